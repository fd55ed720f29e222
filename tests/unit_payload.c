/* The payload builder: Blue's real delivery rebuilt from its parts byte for
   byte, the health check, null and absent records, invalid records refused,
   the secret never written. */
#define T_SUITE "payload"
#define BLUEHOOK_IMPLEMENTATION
#include "../bluehook.h"
#include "t.h"

#include <stdlib.h>

static char real[8192];
static size_t real_len;

static int read_real(void)
{
    FILE *f = fopen("../shared/blue/todo_created.min.json", "rb");
    if (!f) return 0;
    real_len = fread(real, 1, sizeof real, f);
    fclose(f);
    return real_len > 0;
}

static const bh_event real_events[] = {
    BH_EVENT_TODO_CREATED, BH_EVENT_TODO_DELETED, BH_EVENT_TODO_MOVED,
    BH_EVENT_TODO_NAME_CHANGED, BH_EVENT_TODO_CHECKLIST_CREATED,
    BH_EVENT_TODO_CHECKLIST_NAME_CHANGED, BH_EVENT_TODO_CHECKLIST_DELETED,
    BH_EVENT_TODO_CHECKLIST_ITEM_CREATED, BH_EVENT_TODO_LIST_CREATED,
    BH_EVENT_TODO_LIST_DELETED, BH_EVENT_TODO_LIST_NAME_CHANGED,
    BH_EVENT_COMMENT_CREATED, BH_EVENT_COMMENT_DELETED, BH_EVENT_COMMENT_UPDATED};
static const char *const real_projects[] = {
    "clakt90vu000bvt64hhffqleq", "claulnu1y0000vtrcjurjgds4",
    "clb4gay0y000qvtzs8smaays8"};

/* The webhook of the real delivery, with a real secret. */
static bh_webhook real_webhook(void)
{
    bh_webhook w;
    size_t i;
    memset(&w, 0, sizeof w);
    w.id = "clb4qaopy0000vt24mlp28v03";
    w.uid = "edb5b5d51dc9461a952160dbe72153b4";
    w.name = "Testing webhook";
    w.url = "https://httpdump.app/dumps/7cc66eda-8e83-4039-ba49-4c36db14d508";
    w.secret = "a-very-secret-secret";
    w.status = BH_STATUS_HEALTHY;
    w.enabled = 1;
    for (i = 0; i < sizeof real_events / sizeof real_events[0]; i++)
        bh_event_set_add(&w.events, real_events[i]);
    w.project_ids = real_projects;
    w.nproject_ids = 3;
    w.created_by_id = "claksl2ye0000vtas0h0ln71e";
    w.created_at = "2022-12-01T07:01:25.014Z";
    w.updated_at = "2022-12-01T11:23:00.661Z";
    return w;
}

static void real_delivery_rebuilt_byte_for_byte(void)
{
    static bh_json_tok toks[512];
    static char out[8192];
    bh_json doc;
    bh_json_writer jw;
    bh_webhook w = real_webhook();
    const char *cur;
    size_t cur_len = 0;
    int tok;
    if (!read_real()) {
        T_SKIP("../shared/blue/todo_created.min.json not found");
        return;
    }
    CHECK_EQ(bh_json_parse(&doc, real, real_len, toks, 512), BH_OK);
    tok = bh_json_get(&doc, 0, "/currentValue");
    CHECK(tok > 0);
    cur = bh_json_raw(&doc, tok, &cur_len);
    bh_jw_init(&jw, out, sizeof out);
    bh_payload_write(&jw, "TODO_CREATED", 12, &w, NULL, 0, cur, cur_len);
    CHECK_EQ(bh_jw_finish(&jw), (int)real_len);
    CHECK(memcmp(out, real, real_len) == 0);
    CHECK(strstr(out, w.secret) == NULL);
    /* measuring gives the same length */
    bh_jw_init(&jw, NULL, 0);
    bh_payload_write(&jw, "TODO_CREATED", 12, &w, NULL, 0, cur, cur_len);
    CHECK_EQ(bh_jw_finish(&jw), (int)real_len);
}

static void health_check_body(void)
{
    char out[1024];
    bh_json_writer jw;
    bh_webhook w;
    static const char *const none[1] = {NULL};
    memset(&w, 0, sizeof w);
    w.id = "clm4n8qwx000008l0g4oxdqn7";
    w.uid = "wh_8f3a2c1e";
    w.url = "https://example.com/webhooks/blue";
    w.secret = "shh";
    w.enabled = 1;
    w.project_ids = none;
    bh_jw_init(&jw, out, sizeof out);
    bh_payload_write(&jw, "WEBHOOK_HEALTH_CHECK", 20, &w, NULL, 0, NULL, 0);
    CHECK(bh_jw_finish(&jw) > 0);
    CHECK_STR(out, "{\"event\":\"WEBHOOK_HEALTH_CHECK\",\"webhook\":{"
                   "\"id\":\"clm4n8qwx000008l0g4oxdqn7\",\"uid\":\"wh_8f3a2c1e\","
                   "\"url\":\"https://example.com/webhooks/blue\",\"secret\":\"\","
                   "\"status\":\"HEALTHY\",\"enabled\":true,"
                   "\"metadata\":{\"events\":[],\"projectIds\":[]}}}");
}

static void null_and_absent_records(void)
{
    char out[512];
    bh_json_writer jw;
    bh_webhook w;
    memset(&w, 0, sizeof w);
    w.id = "h";
    w.status = BH_STATUS_UNHEALTHY;
    /* delete: previous is the record, current is null */
    bh_jw_init(&jw, out, sizeof out);
    bh_payload_write(&jw, "TODO_DELETED", 12, &w, " {\"id\":\"t1\"} ", 13, "null", 4);
    CHECK(bh_jw_finish(&jw) > 0);
    CHECK_STR(out, "{\"event\":\"TODO_DELETED\",\"webhook\":{\"id\":\"h\","
                   "\"secret\":\"\",\"status\":\"UNHEALTHY\",\"enabled\":false,"
                   "\"metadata\":{\"events\":[],\"projectIds\":[]}},"
                   "\"previousValue\":{\"id\":\"t1\"},\"currentValue\":null}");
    /* no webhook at all writes null */
    bh_jw_init(&jw, out, sizeof out);
    bh_payload_write(&jw, "TAG_CREATED", 11, NULL, NULL, 0, "{}", 2);
    CHECK(bh_jw_finish(&jw) > 0);
    CHECK_STR(out, "{\"event\":\"TAG_CREATED\",\"webhook\":null,\"currentValue\":{}}");
}

static void invalid_records_refused(void)
{
    static const char *const bad[] = {"{", "{\"a\":}", "[1,]", "tru", "{} {}",
                                      "\"\xff\"", ""};
    char out[512];
    size_t i;
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        bh_json_writer jw;
        int r;
        bh_jw_init(&jw, out, sizeof out);
        bh_payload_write(&jw, "TAG_CREATED", 11, NULL, NULL, 0, bad[i], strlen(bad[i]));
        r = bh_jw_finish(&jw);
        if (r >= 0) {
            char m[100];
            snprintf(m, sizeof m, "embedded \"%s\"", bad[i]);
            t_fail(__FILE__, __LINE__, m);
        }
    }
    {
        bh_json_writer jw;
        bh_jw_init(&jw, out, sizeof out);
        CHECK_EQ(bh_payload_write(&jw, NULL, 0, NULL, NULL, 0, NULL, 0), BH_EINVAL);
        CHECK_EQ(bh_payload_write(&jw, "", 0, NULL, NULL, 0, NULL, 0), BH_EINVAL);
    }
}

static void event_names_escaped(void)
{
    char out[256];
    bh_json_writer jw;
    bh_jw_init(&jw, out, sizeof out);
    bh_payload_write(&jw, "A\"B\\C", 5, NULL, NULL, 0, NULL, 0);
    CHECK(bh_jw_finish(&jw) > 0);
    CHECK_STR(out, "{\"event\":\"A\\\"B\\\\C\",\"webhook\":null}");
}

int main(void)
{
    T_RUN(real_delivery_rebuilt_byte_for_byte);
    T_RUN(health_check_body);
    T_RUN(null_and_absent_records);
    T_RUN(invalid_records_refused);
    T_RUN(event_names_escaped);
    return t_done();
}
