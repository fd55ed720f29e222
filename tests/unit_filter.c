/* Record-scope filters and the payload reader: every operator on Blue's
   real delivery, `changed` on update payloads, syntax errors with their
   positions, node counting, explanations; where each kind of entity keeps
   its ids; what is and is not Blue-shaped. */
#define T_SUITE "filter"
#define BLUEHOOK_IMPLEMENTATION
#include "../bluehook.h"
#include "t.h"

static char real[8192];
static size_t real_len;
static bh_json_tok toks[1024];
static bh_json doc;

static int load_real(void)
{
    FILE *f = fopen("../shared/blue/todo_created.min.json", "rb");
    if (!f) return 0;
    real_len = fread(real, 1, sizeof real, f);
    fclose(f);
    return bh_json_parse(&doc, real, real_len, toks, 1024) == BH_OK;
}

/* Parse a filter and evaluate it on a document: 1, 0, or the error. */
static int holds_on(const bh_json *d, const char *text)
{
    static bh_filter_node nodes[128];
    bh_filter f;
    int r = bh_filter_parse(&f, text, strlen(text), nodes, 128);
    return r < 0 ? r : bh_filter_eval(&f, d);
}

#define HOLDS(text, want)                                                      \
    do {                                                                       \
        int r_ = holds_on(&doc, text);                                         \
        if (r_ != (want)) {                                                    \
            char m_[300];                                                      \
            snprintf(m_, sizeof m_, "%s -> %d, want %d", text, r_, want);      \
            t_fail(__FILE__, __LINE__, m_);                                    \
        }                                                                      \
    } while (0)

static void equality_on_the_real_delivery(void)
{
    if (!load_real()) {
        T_SKIP("../shared/blue/todo_created.min.json not found");
        return;
    }
    HOLDS("/todoList/id == \"clakt9v5t000kvt64f563l90l\"", 1);
    HOLDS("/todoList/id == \"clakt9v5t000kvt64f563l90x\"", 0);
    HOLDS("/todoList/id != \"clakt9v5t000kvt64f563l90x\"", 1);
    HOLDS("/todoList/project/company/name == \"Rogue\"", 1);
    HOLDS("/title == \"G\\u0047GG\"", 1); /* compared after unescaping */
    HOLDS("/done == false", 1);
    HOLDS("/done == true", 0);
    HOLDS("/done != true", 1);
    HOLDS("/done == 0", 0);               /* false is not 0 */
    HOLDS("/html == null", 1);
    HOLDS("/html == \"\"", 0);
    HOLDS("/position == \"32767.5\"", 1); /* a string, not a number */
    HOLDS("/position == 32767.5", 0);
    HOLDS("/todoList == {}", BH_EFILTER); /* values are scalars */
    HOLDS("/todoList == null", 0);        /* an object equals no literal */
}

static void absent_fields(void)
{
    if (!real_len && !load_real()) return;
    HOLDS("/nope == 1", 0);
    HOLDS("/nope != 1", 1);               /* != holds when absent */
    HOLDS("/nope exists", 0);
    HOLDS("/html exists", 1);             /* null exists */
    HOLDS("/nope < 1", 0);
    HOLDS("/nope in [1, 2]", 0);
    HOLDS("prev:/done exists", 0);        /* no previousValue on create */
    HOLDS("prev:/done != true", 1);
}

static void numbers_compare_by_value(void)
{
    if (!real_len && !load_real()) return;
    HOLDS("/todoList/position == 131070", 1);
    HOLDS("/todoList/position == 131070.0", 1);
    HOLDS("/todoList/position == 1.3107e5", 1);
    HOLDS("/todoList/position > 131069", 1);
    HOLDS("/todoList/position >= 131070", 1);
    HOLDS("/todoList/position < 131070", 0);
    HOLDS("/todoList/position <= 131070", 1);
    HOLDS("/todoList/position < 1e10", 1);
    HOLDS("/todoList/position > -1", 1);
    HOLDS("/position > 1", 0);            /* strings never compare */
    HOLDS("/title < \"Z\"", 0);
}

static void in_and_root_paths(void)
{
    if (!real_len && !load_real()) return;
    HOLDS("/title in [\"x\", \"GGGG\"]", 1);
    HOLDS("/title in [\"x\"]", 0);
    HOLDS("/todoList/position in [1, 131070.00, \"a\"]", 1);
    HOLDS("$/event == \"TODO_CREATED\"", 1);
    HOLDS("$/event in [\"COMMENT_CREATED\", \"TODO_DELETED\"]", 0);
    HOLDS("$/webhook/name == \"Testing webhook\"", 1);
    HOLDS("$/webhook/metadata/projectIds/1 == \"claulnu1y0000vtrcjurjgds4\"", 1);
    HOLDS("$/webhook/metadata/events/* == \"COMMENT_UPDATED\"", 1);
    HOLDS("$/webhook/metadata/events/* == \"TAG_CREATED\"", 0);
    HOLDS("$/webhook/metadata/events/* != \"TODO_CREATED\"", 1); /* any of them */
}

static void combining(void)
{
    if (!real_len && !load_real()) return;
    HOLDS("/done == false && /title == \"GGGG\"", 1);
    HOLDS("/done == false && /title == \"X\"", 0);
    HOLDS("/done == true || /title == \"GGGG\"", 1);
    HOLDS("/done == true || /title == \"X\"", 0);
    HOLDS("!(/archived == true) && /position == \"32767.5\"", 1);
    HOLDS("!/done == false", 0);
    HOLDS("!!/done == false", 1);
    HOLDS("/done == true && /x == 1 || /title == \"GGGG\"", 1); /* && first */
    HOLDS("/done == true && (/x == 1 || /title == \"GGGG\")", 0);
    HOLDS("(((/done == false)))", 1);
    HOLDS("/todoTags/*/title in [\"urgent\", \"blocked\"] || $/event == \"COMMENT_CREATED\"", 0);
}

static const char update[] =
    "{\"event\":\"TODO_DONE_STATUS_UPDATED\",\"webhook\":{\"id\":\"w\"},"
    "\"previousValue\":{\"id\":\"t\",\"done\":false,\"title\":\"A\",\"meta\":{\"a\":1,\"b\":[1,2]},"
    "\"list\":[1,2],\"todoTags\":[{\"title\":\"later\"}],\"gone\":1},"
    "\"currentValue\":{\"id\":\"t\",\"done\":true,\"title\":\"\\u0041\",\"meta\":{\"b\":[1,2.0],\"a\":1},"
    "\"list\":[2,1],\"todoTags\":[{\"title\":\"later\"},{\"title\":\"urgent\"}],"
    "\"todoUsers\":[{\"id\":\"u1\"},{\"id\":\"u2\"}],\"new\":null}}";

static void changed_on_an_update(void)
{
    bh_json d;
    static bh_json_tok t2[256];
    CHECK_EQ(bh_json_parse(&d, update, strlen(update), t2, 256), BH_OK);
    CHECK_EQ(holds_on(&d, "changed /done && /done == true"), 1);
    CHECK_EQ(holds_on(&d, "changed /done && /done == false"), 0);
    CHECK_EQ(holds_on(&d, "prev:/done == false && /done == true"), 1);
    CHECK_EQ(holds_on(&d, "changed /title"), 0);  /* "A" and "\u0041" */
    CHECK_EQ(holds_on(&d, "changed /meta"), 0);   /* keys in another order, 2 == 2.0 */
    CHECK_EQ(holds_on(&d, "changed /list"), 1);   /* arrays keep their order */
    CHECK_EQ(holds_on(&d, "changed /gone"), 1);   /* now absent */
    CHECK_EQ(holds_on(&d, "changed /new"), 1);    /* now present (null) */
    CHECK_EQ(holds_on(&d, "changed /nowhere"), 0);/* absent in both */
    CHECK_EQ(holds_on(&d, "changed /id"), 0);
    CHECK_EQ(holds_on(&d, "/todoTags/*/title == \"urgent\""), 1);
    CHECK_EQ(holds_on(&d, "prev:/todoTags/*/title == \"urgent\""), 0);
    CHECK_EQ(holds_on(&d, "/todoUsers/*/id == \"u2\""), 1);
    CHECK_EQ(holds_on(&d, "/todoUsers/*/id in [\"u3\", \"u1\"]"), 1);
    CHECK_EQ(holds_on(&d, "/todoUsers/*/name exists"), 0);
    CHECK_EQ(holds_on(&d, "/todoTags/1/title == \"urgent\""), 1);
    /* a value against a literal: strings by what they stand for */
    CHECK_EQ(holds_on(&d, "/title == \"A\""), 1);       /* "\u0041" in the body */
    CHECK_EQ(holds_on(&d, "/title == \"\\u0041\""), 1);
    CHECK_EQ(holds_on(&d, "/title == \"\\u0042\""), 0);
    CHECK_EQ(holds_on(&d, "/title == \"AB\""), 0);
    CHECK_EQ(holds_on(&d, "/title == \"\""), 0);
    CHECK_EQ(holds_on(&d, "prev:/title == \"\\u0041\""), 1); /* "A" in the body */
    CHECK_EQ(holds_on(&d, "prev:/title in [\"B\", \"\\u0041\"]"), 1);
    CHECK_EQ(holds_on(&d, "/title == 65"), 0);            /* a string is no number */
    /* numbers by value, true, false and null by type */
    CHECK_EQ(holds_on(&d, "/meta/b/1 == 2"), 1);          /* 2.0 in the body */
    CHECK_EQ(holds_on(&d, "/meta/b/1 == 2e0"), 1);
    CHECK_EQ(holds_on(&d, "/meta/b/1 == 3"), 0);
    CHECK_EQ(holds_on(&d, "/meta/b/1 == \"2.0\""), 0);
    CHECK_EQ(holds_on(&d, "/new == null"), 1);
    CHECK_EQ(holds_on(&d, "/new == false"), 0);
    CHECK_EQ(holds_on(&d, "/done == null"), 0);
}

static void syntax_errors(void)
{
    static const struct {
        const char *text;
        size_t pos;
    } bad[] = {
        {"", 0},
        {"   ", 3},
        {"/a ==", 5},
        {"/a = 1", 3},
        {"a == 1", 0},
        {"/a == [1]", 6},
        {"/a == {}", 6},
        {"/a in 1", 6},
        {"/a in [1,", 9},
        {"/a in [1 2]", 9},
        {"(/a == 1", 8},
        {"/a == 1 &&", 10},
        {"/a == 1 ||", 10},
        {"/a == 1 /b == 2", 8},
        {"/a == 'x'", 6},
        {"/a == tru", 6},
        {"/a == \"x", 6},
        {"/a == 01", 6},
        {"changed /a/*/b", 14},
        {"changed", 7},
        {"/a exists 1", 10},
        {"/a == 1 & /b == 2", 8},
        {"/a/*/*/*/*/*/*/*/*/* exists", 20},
    };
    static bh_filter_node nodes[64];
    size_t i;
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        bh_filter f;
        int r = bh_filter_parse(&f, bad[i].text, strlen(bad[i].text), nodes, 64);
        if (r != BH_EFILTER || f.err_pos != bad[i].pos || !f.reason ||
            strcmp(f.reason, "ok") == 0) {
            char m[200];
            snprintf(m, sizeof m, "\"%s\": %d at %zu (%s), want BH_EFILTER at %zu",
                     bad[i].text, r, f.err_pos, f.reason ? f.reason : "-", bad[i].pos);
            t_fail(__FILE__, __LINE__, m);
        }
    }
}

static void deep_nesting_refused(void)
{
    char text[200];
    static bh_filter_node nodes[64];
    bh_filter f;
    size_t i;
    for (i = 0; i < 40; i++) text[i] = '!';
    strcpy(text + 40, "/a exists");
    CHECK_EQ(bh_filter_parse(&f, text, strlen(text), nodes, 64), BH_EFILTER);
    CHECK_STR(f.reason, "nested too deep");
    for (i = 0; i < 40; i++) text[i] = '(';
    CHECK_EQ(bh_filter_parse(&f, text, 40, nodes, 64), BH_EFILTER);
}

static void counting_nodes(void)
{
    static const char text[] =
        "/todoList/id == \"x\" && changed /done && /done == true || "
        "/todoTags/*/title in [\"a\", \"b\", \"c\"]";
    bh_filter_node nodes[32];
    bh_filter f;
    size_t need, cap;
    CHECK_EQ(bh_filter_parse(&f, text, strlen(text), nodes, 0), BH_ESPACE);
    need = f.nnodes;
    CHECK(need > 0 && need <= 32);
    for (cap = 0; cap < need; cap++)
        CHECK_EQ(bh_filter_parse(&f, text, strlen(text), nodes, cap), BH_ESPACE);
    CHECK_EQ(bh_filter_parse(&f, text, strlen(text), nodes, need), BH_OK);
    CHECK(f.nnodes <= need);
    CHECK_EQ(bh_filter_parse(NULL, text, 3, nodes, 32), BH_EINVAL);
    CHECK_EQ(bh_filter_eval(NULL, &doc), BH_EINVAL);
}

static void explanations(void)
{
    static const char text[] = "/done == false && /title == \"X\"";
    static bh_filter_node nodes[16];
    bh_filter f;
    size_t pos = 99, len = 99;
    if (!real_len && !load_real()) return;
    CHECK_EQ(bh_filter_parse(&f, text, strlen(text), nodes, 16), BH_OK);
    CHECK_EQ(bh_filter_explain(&f, &doc, &pos, &len), 0);
    CHECK_EQ(pos, 18);
    CHECK_EQ(len, strlen("/title == \"X\""));
}

/* ---- the payload reader ---- */

static int read_payload(const char *json, bh_json *d, bh_json_tok *t, size_t cap,
                        bh_payload *p)
{
    int r = bh_json_parse(d, json, strlen(json), t, cap);
    return r < 0 ? r : bh_payload_read(p, d);
}

static int string_is(const bh_json *d, int tok, const char *want)
{
    return tok >= 0 && bh_json_string_eq(d, tok, want, strlen(want)) == 1;
}

static void reader_on_the_real_delivery(void)
{
    bh_payload p;
    if (!real_len && !load_real()) return;
    CHECK_EQ(bh_payload_read(&p, &doc), BH_OK);
    CHECK_EQ(p.event, BH_EVENT_TODO_CREATED);
    CHECK_EQ(p.kind, BH_ENTITY_RECORD);
    CHECK_EQ(p.previous, BH_ENOTFOUND);
    CHECK(p.current > 0 && p.entity == p.current);
    CHECK(string_is(&doc, bh_payload_entity_id(&p, &doc), "clb4zna6x0000vt1swuwso25f"));
    CHECK(string_is(&doc, bh_payload_record_id(&p, &doc), "clb4zna6x0000vt1swuwso25f"));
    CHECK(string_is(&doc, bh_payload_project_id(&p, &doc), "clakt90vu000bvt64hhffqleq"));
    CHECK(string_is(&doc, bh_payload_company_id(&p, &doc), "clakt8jud0002vt64205yyj10"));
    CHECK(string_is(&doc, bh_payload_webhook_id(&p, &doc), "clb4qaopy0000vt24mlp28v03"));
}

static void reader_where_ids_live(void)
{
    static const struct {
        const char *json;
        bh_entity kind;
        const char *project, *record, *company;
    } cases[] = {
        {"{\"event\":\"COMMENT_CREATED\",\"webhook\":{},\"currentValue\":{\"id\":\"c1\","
         "\"todo\":{\"id\":\"t1\",\"todoList\":{\"project\":{\"id\":\"p1\",\"companyId\":\"co1\"}}}}}",
         BH_ENTITY_COMMENT, "p1", "t1", "co1"},
        {"{\"event\":\"COMMENT_DELETED\",\"webhook\":{},\"previousValue\":{\"id\":\"c1\","
         "\"categoryId\":\"t9\",\"projectId\":\"p9\"},\"currentValue\":null}",
         BH_ENTITY_COMMENT, "p9", "t9", NULL},
        {"{\"event\":\"TODO_CHECKLIST_ITEM_DONE_STATUS_UPDATED\",\"webhook\":{},\"currentValue\":"
         "{\"id\":\"i1\",\"checklist\":{\"todoId\":\"t2\",\"todo\":{\"todoList\":{\"projectId\":\"p2\"}}}}}",
         BH_ENTITY_CHECKLIST_ITEM, "p2", "t2", NULL},
        {"{\"event\":\"TODO_CHECKLIST_CREATED\",\"webhook\":{},\"currentValue\":"
         "{\"id\":\"k1\",\"todo\":{\"id\":\"t3\",\"todoList\":{\"project\":{\"id\":\"p3\",\"company\":{\"id\":\"co3\"}}}}}}",
         BH_ENTITY_CHECKLIST, "p3", "t3", "co3"},
        {"{\"event\":\"TODO_LIST_CREATED\",\"webhook\":{},\"currentValue\":{\"id\":\"l1\",\"project\":{\"id\":\"p4\"}}}",
         BH_ENTITY_LIST, "p4", NULL, NULL},
        {"{\"event\":\"TAG_UPDATED\",\"webhook\":{},\"currentValue\":{\"id\":\"g1\",\"projectId\":\"p5\"}}",
         BH_ENTITY_TAG, "p5", NULL, NULL},
        {"{\"event\":\"CUSTOM_FIELD_DELETED\",\"webhook\":{},\"previousValue\":{\"id\":\"f1\",\"project\":{\"id\":\"p6\"},\"companyId\":\"co6\"}}",
         BH_ENTITY_CUSTOM_FIELD, "p6", NULL, "co6"},
        {"{\"event\":\"TODO_DELETED\",\"webhook\":{},\"previousValue\":{\"id\":\"t7\",\"todoList\":{\"projectId\":\"p7\"}},\"currentValue\":null}",
         BH_ENTITY_RECORD, "p7", "t7", NULL},
        {"{\"event\":\"WEBHOOK_HEALTH_CHECK\",\"webhook\":{\"id\":\"w\"}}",
         BH_ENTITY_WEBHOOK, NULL, NULL, NULL},
    };
    static bh_json_tok t[128];
    size_t i;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        bh_json d;
        bh_payload p;
        int r = read_payload(cases[i].json, &d, t, 128, &p), tok;
        CHECK_EQ(r, BH_OK);
        if (r) continue;
        CHECK_EQ(p.kind, cases[i].kind);
        tok = bh_payload_project_id(&p, &d);
        CHECK(cases[i].project ? string_is(&d, tok, cases[i].project) : tok == BH_ENOTFOUND);
        tok = bh_payload_record_id(&p, &d);
        CHECK(cases[i].record ? string_is(&d, tok, cases[i].record) : tok == BH_ENOTFOUND);
        tok = bh_payload_company_id(&p, &d);
        CHECK(cases[i].company ? string_is(&d, tok, cases[i].company) : tok == BH_ENOTFOUND);
    }
}

static void reader_refuses_other_shapes(void)
{
    static const char *const bad[] = {
        "[]", "{}", "\"x\"", "{\"event\":1,\"webhook\":{}}",
        "{\"event\":\"TODO_CREATED\"}", "{\"event\":\"TODO_CREATED\",\"webhook\":null}",
        "{\"event\":\"TODO_CREATED\",\"webhook\":[]}",
        "{\"event\":\"TODO_CREATED\",\"webhook\":{},\"currentValue\":[1]}",
        "{\"event\":\"TODO_CREATED\",\"webhook\":{},\"previousValue\":\"x\"}"};
    static bh_json_tok t[32];
    size_t i;
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        bh_json d;
        bh_payload p;
        CHECK_EQ(read_payload(bad[i], &d, t, 32, &p), BH_ESHAPE);
    }
    {   /* an unknown event is still a Blue payload */
        bh_json d;
        bh_payload p;
        CHECK_EQ(read_payload("{\"event\":\"TODO_ARCHIVED\",\"webhook\":{}}", &d, t, 32, &p), BH_OK);
        CHECK_EQ(p.event, BH_EVENT_UNKNOWN);
        CHECK_EQ(p.kind, BH_ENTITY_NONE);
        CHECK_EQ(bh_payload_project_id(&p, &d), BH_ENOTFOUND);
    }
}

static void webhook_matches_with_filters(void)
{
    static const char *const projects[] = {"clakt90vu000bvt64hhffqleq"};
    static bh_filter_node nodes[16];
    bh_filter f;
    bh_webhook w;
    if (!real_len && !load_real()) return;
    memset(&w, 0, sizeof w);
    w.enabled = 1;
    w.project_ids = projects;
    w.nproject_ids = 1;
    CHECK_EQ(bh_webhook_matches(&w, &doc), 1);
    bh_event_set_add(&w.events, BH_EVENT_TODO_DELETED);
    CHECK_EQ(bh_webhook_matches(&w, &doc), 0);
    bh_event_set_add(&w.events, BH_EVENT_TODO_CREATED);
    CHECK_EQ(bh_filter_parse(&f, "/done == true", 13, nodes, 16), BH_OK);
    w.filter = &f;
    CHECK_EQ(bh_webhook_matches(&w, &doc), 0);
    CHECK_EQ(bh_filter_parse(&f, "/done == false", 14, nodes, 16), BH_OK);
    CHECK_EQ(bh_webhook_matches(&w, &doc), 1);
    w.enabled = 0;
    CHECK_EQ(bh_webhook_matches(&w, &doc), 0);
}

int main(void)
{
    T_RUN(equality_on_the_real_delivery);
    T_RUN(absent_fields);
    T_RUN(numbers_compare_by_value);
    T_RUN(in_and_root_paths);
    T_RUN(combining);
    T_RUN(changed_on_an_update);
    T_RUN(syntax_errors);
    T_RUN(deep_nesting_refused);
    T_RUN(counting_nodes);
    T_RUN(explanations);
    T_RUN(reader_on_the_real_delivery);
    T_RUN(reader_where_ids_live);
    T_RUN(reader_refuses_other_shapes);
    T_RUN(webhook_matches_with_filters);
    return t_done();
}
