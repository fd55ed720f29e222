/* fuzz/fuzz_payload.c - libFuzzer harness for the payload reader
   (bh_payload_read and its accessors) and the payload builder
   (bh_payload_write).

   Input: a JSON document (any; Blue's payloads are the seeds).
   Properties checked, on every document that parses:
   - bh_payload_read answers BH_OK or BH_ESHAPE exactly as the rule in its
     declaration says (an object root with an "event" string and a
     "webhook" object; previousValue and currentValue absent, null or
     objects; the last of repeated keys), and its fields are the tokens
     that rule names;
   - each accessor (entity, record, project, company and webhook ids)
     answers a string token or BH_ENOTFOUND, never another error, and the
     same token as a reference that follows the lookup order of the
     declarations with whole pointers; every token it gives is a view
     inside the input;
   - the builder round trip: bh_payload_write from the parts read (the
     event name, a webhook with that id, the previous and current records
     as their raw text) gives a payload that reads back to the same event,
     kind and ids (by unescaped value), into a buffer of exactly the
     measured size; an empty event name, which the reader takes, is
     BH_EINVAL for the builder (no round trip then);
   - bh_webhook_matches takes it for an enabled webhook of every event and
     project, and for one subscribed to just its (known) event. */
#define BLUEHOOK_IMPLEMENTATION
#include "../bluehook.h"
#include "fuzz.h"

#define MAX_TOKS 8192
static bh_json_tok toks[MAX_TOKS], toks2[MAX_TOKS];

/* ---- the reference lookups, from the declarations ---- */

static int first_string(const bh_json *doc, int base, const char *const *ptrs)
{
    for (; base >= 0 && *ptrs; ptrs++) {
        int t = bh_json_get(doc, base, *ptrs);
        if (t >= 0 && bh_json_type_of(doc, t) == BH_JSON_STRING) return t;
    }
    return BH_ENOTFOUND;
}

static int ref_record_id(const bh_payload *p, const bh_json *doc)
{
    static const char *const record[] = {"/id", NULL};
    static const char *const checklist[] = {"/todoId", "/todo/id", NULL};
    static const char *const item[] = {"/checklist/todoId", "/checklist/todo/id", NULL};
    static const char *const comment[] = {"/todoId", "/todo/id", "/categoryId", NULL};
    switch (p->kind) {
    case BH_ENTITY_RECORD: return first_string(doc, p->entity, record);
    case BH_ENTITY_CHECKLIST: return first_string(doc, p->entity, checklist);
    case BH_ENTITY_CHECKLIST_ITEM: return first_string(doc, p->entity, item);
    case BH_ENTITY_COMMENT: return first_string(doc, p->entity, comment);
    default: return BH_ENOTFOUND;
    }
}

/* Where each kind keeps its project object; lists, tags, custom fields
   (and, as the implementation does, any other kind) directly. */
static const char *project_object(bh_entity k)
{
    switch (k) {
    case BH_ENTITY_RECORD: return "/todoList/project";
    case BH_ENTITY_CHECKLIST:
    case BH_ENTITY_COMMENT: return "/todo/todoList/project";
    case BH_ENTITY_CHECKLIST_ITEM: return "/checklist/todo/todoList/project";
    default: return "/project";
    }
}

static int ref_project_id(const bh_payload *p, const bh_json *doc)
{
    const char *obj = project_object(p->kind);
    char a[96], b[96];
    const char *ptrs[4];
    size_t parent = (size_t)(strrchr(obj, '/') - obj);
    snprintf(a, sizeof a, "%s/id", obj);                       /* .../project/id */
    snprintf(b, sizeof b, "%.*s/projectId", (int)parent, obj); /* .../projectId */
    ptrs[0] = a;
    ptrs[1] = b;
    ptrs[2] = "/projectId";
    ptrs[3] = NULL;
    return first_string(doc, p->entity, ptrs);
}

static int ref_company_id(const bh_payload *p, const bh_json *doc)
{
    const char *obj = project_object(p->kind);
    char a[96], b[96];
    const char *ptrs[4];
    snprintf(a, sizeof a, "%s/company/id", obj);
    snprintf(b, sizeof b, "%s/companyId", obj);
    ptrs[0] = a;
    ptrs[1] = b;
    ptrs[2] = "/companyId";
    ptrs[3] = NULL;
    return first_string(doc, p->entity, ptrs);
}

/* A record member: the object, or BH_ENOTFOUND (absent or null), or
   BH_ESHAPE. */
static int ref_record(const bh_json *doc, const char *name)
{
    int t = bh_json_member(doc, 0, name, strlen(name));
    if (t < 0 || bh_json_type_of(doc, t) == BH_JSON_NULL) return BH_ENOTFOUND;
    return bh_json_type_of(doc, t) == BH_JSON_OBJECT ? t : BH_ESHAPE;
}

/* An accessor's answer: a string token inside the input, or absent. */
static void check_view(const bh_json *doc, int t)
{
    size_t len = 0;
    const char *raw;
    if (t < 0) {
        FUZZ_CHECK(t == BH_ENOTFOUND);
        return;
    }
    FUZZ_CHECK((size_t)t < doc->ntoks);
    FUZZ_CHECK(bh_json_type_of(doc, t) == BH_JSON_STRING);
    raw = bh_json_raw(doc, t, &len);
    FUZZ_CHECK(raw && raw >= doc->src && len <= doc->len &&
               (size_t)(raw - doc->src) <= doc->len - len);
}

/* Two answers of two documents: both absent, or strings of one value. */
static void same_string(const bh_json *a, int ta, const bh_json *b, int tb)
{
    FUZZ_CHECK((ta < 0) == (tb < 0));
    if (ta >= 0) FUZZ_CHECK(bh_json_strings_equal(a, ta, b, tb) == 1);
}

typedef struct ids {
    int entity, record, project, company, webhook;
} ids;

static void read_ids(const bh_payload *p, const bh_json *doc, ids *o)
{
    o->entity = bh_payload_entity_id(p, doc);
    o->record = bh_payload_record_id(p, doc);
    o->project = bh_payload_project_id(p, doc);
    o->company = bh_payload_company_id(p, doc);
    o->webhook = bh_payload_webhook_id(p, doc);
    check_view(doc, o->entity);
    check_view(doc, o->record);
    check_view(doc, o->project);
    check_view(doc, o->company);
    check_view(doc, o->webhook);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const entity_id[] = {"/id", NULL};
    const char *src = (const char *)fuzz_dup(data, size);
    bh_json doc, back;
    bh_payload p, q;
    ids a, b;
    int r, want, ev, wh, prev, cur, name_n;
    char *name, *wid = NULL, *out;
    size_t cap;

    if (bh_json_parse(&doc, src, size, toks, MAX_TOKS) != BH_OK) goto done;

    /* the shape rule */
    ev = bh_json_member(&doc, 0, "event", 5);
    wh = bh_json_member(&doc, 0, "webhook", 7);
    prev = ref_record(&doc, "previousValue");
    cur = ref_record(&doc, "currentValue");
    want = bh_json_type_of(&doc, 0) == BH_JSON_OBJECT && ev >= 0 &&
                   bh_json_type_of(&doc, ev) == BH_JSON_STRING && wh >= 0 &&
                   bh_json_type_of(&doc, wh) == BH_JSON_OBJECT &&
                   prev != BH_ESHAPE && cur != BH_ESHAPE
               ? BH_OK
               : BH_ESHAPE;
    r = bh_payload_read(&p, &doc);
    FUZZ_CHECK(r == want);
    FUZZ_CHECK(bh_payload_read(NULL, &doc) == BH_EINVAL && bh_payload_read(&q, NULL) == BH_EINVAL);
    if (r != BH_OK) goto done;
    FUZZ_CHECK(p.event_name == ev && p.webhook == wh && p.previous == prev &&
               p.current == cur && p.entity == (cur >= 0 ? cur : prev));
    name = (char *)fuzz_alloc(size + 1);
    name_n = bh_json_string(&doc, ev, name, size + 1);
    FUZZ_CHECK(name_n >= 0);
    FUZZ_CHECK(p.event == bh_event_from_name(name, (size_t)name_n));
    FUZZ_CHECK(p.kind == bh_event_entity(p.event));

    /* the accessors against the reference */
    read_ids(&p, &doc, &a);
    FUZZ_CHECK(a.entity == first_string(&doc, p.entity, entity_id));
    FUZZ_CHECK(a.record == ref_record_id(&p, &doc));
    FUZZ_CHECK(a.project == ref_project_id(&p, &doc));
    FUZZ_CHECK(a.company == ref_company_id(&p, &doc));
    FUZZ_CHECK(a.webhook == first_string(&doc, p.webhook, entity_id));

    /* Blue's rule on it */
    {
        bh_webhook w;
        memset(&w, 0, sizeof w);
        w.enabled = 1;
        FUZZ_CHECK(bh_webhook_matches(&w, &doc) == 1);
        if (p.event != BH_EVENT_UNKNOWN) {
            bh_event_set_add(&w.events, p.event);
            FUZZ_CHECK(bh_webhook_matches(&w, &doc) == 1);
        }
        w.enabled = 0;
        FUZZ_CHECK(bh_webhook_matches(&w, &doc) == 0);
    }

    /* the builder round trip */
    {
        bh_webhook w;
        bh_json_writer jw;
        size_t pl = 0, cl = 0;
        const char *pr = p.previous >= 0 ? bh_json_raw(&doc, p.previous, &pl) : NULL;
        const char *cr = p.current >= 0 ? bh_json_raw(&doc, p.current, &cl) : NULL;
        int n, keep_wid = 1;
        memset(&w, 0, sizeof w);
        if (a.webhook >= 0) {
            int k;
            wid = (char *)fuzz_alloc(size + 1);
            k = bh_json_string(&doc, a.webhook, wid, size + 1);
            FUZZ_CHECK(k >= 0);
            if (strlen(wid) != (size_t)k) keep_wid = 0; /* a NUL inside: no C string */
            w.id = wid;
        }
        bh_jw_init(&jw, NULL, 0);
        n = bh_payload_write(&jw, name, (size_t)name_n, &w, pr, pl, cr, cl);
        if (name_n == 0) { /* the builder wants an event name; the reader takes "" */
            FUZZ_CHECK(n == BH_EINVAL);
            goto done;
        }
        FUZZ_CHECK(n == BH_OK);
        n = bh_jw_finish(&jw);
        FUZZ_CHECK(n > 0);
        cap = (size_t)n + 1;
        out = (char *)fuzz_alloc(cap);
        bh_jw_init(&jw, out, cap);
        FUZZ_CHECK(bh_payload_write(&jw, name, (size_t)name_n, &w, pr, pl, cr, cl) == BH_OK);
        FUZZ_CHECK(bh_jw_finish(&jw) == n);
        FUZZ_CHECK(bh_json_parse(&back, out, (size_t)n, toks2, MAX_TOKS) == BH_OK);
        FUZZ_CHECK(bh_payload_read(&q, &back) == BH_OK);
        FUZZ_CHECK(q.event == p.event && q.kind == p.kind);
        FUZZ_CHECK(bh_json_strings_equal(&doc, p.event_name, &back, q.event_name) == 1);
        FUZZ_CHECK((q.previous >= 0) == (p.previous >= 0) &&
                   (q.current >= 0) == (p.current >= 0));
        read_ids(&q, &back, &b);
        same_string(&doc, a.entity, &back, b.entity);
        same_string(&doc, a.record, &back, b.record);
        same_string(&doc, a.project, &back, b.project);
        same_string(&doc, a.company, &back, b.company);
        if (keep_wid) same_string(&doc, a.webhook, &back, b.webhook);
    }
done:
    fuzz_free_all();
    return 0;
}
