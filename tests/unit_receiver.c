/* The receive pipeline (bh_receive) and the connection server
   (bh_receiver_serve): every status, key rotation, the replay cache's
   reserve / commit / release around the handler, the health check, every
   source of the event name, the Blue-shape check for Blue receivers only,
   subscription and filter; then requests served whole, at every split
   point, byte by byte, pipelined, with Expect: 100-continue, too large for
   the buffer, and refused by the HTTP parser. */
#define T_SUITE "receiver"
#define BLUEHOOK_IMPLEMENTATION
#include "../bluehook.h"
#include "t.h"

#include <stdlib.h>

#define S(lit) lit, (sizeof lit - 1)
#define NOW 1700000000

static char blue_body[8192];
static size_t blue_len;
static bh_json_tok toks[4096];
static bh_key keys[2];
static bh_receiver rx;

/* ---- helpers -------------------------------------------------------- */

struct calls {
    int n;         /* handler calls */
    int result;    /* what the handler returns */
    bh_event event;
    char name[64];
    int blue;
    size_t key;
};
static struct calls C, D;

static int record(void *ctx, const bh_received *r)
{
    struct calls *c = (struct calls *)ctx;
    size_t n = r->name_len < 63 ? r->name_len : 63;
    c->n++;
    c->event = r->event;
    memcpy(c->name, r->name, n);
    c->name[n] = '\0';
    c->blue = r->blue;
    c->key = r->verified.key;
    return c->result;
}

static void load_blue(void)
{
    FILE *f = fopen("../shared/blue/todo_created.min.json", "rb");
    blue_len = f ? fread(blue_body, 1, sizeof blue_body, f) : 0;
    if (f) fclose(f);
}

/* A signed request: Content-Type, then the scheme's headers. */
struct req {
    bh_header h[8];
    size_t n;
    char buf[256];
};

static void sign(struct req *q, const bh_key *k, const char *id, int64_t ts,
                 const char *body, size_t len)
{
    int n;
    q->h[0].name = "Content-Type";
    q->h[0].name_len = 12;
    q->h[0].value = "application/json";
    q->h[0].value_len = 16;
    n = bh_sign(k, id ? id : "msg_1", ts, body, len, q->h + 1, 3, q->buf,
                sizeof q->buf);
    q->n = n > 0 ? 1 + (size_t)n : 1;
}

static void add_header(struct req *q, const char *name, const char *value)
{
    q->h[q->n].name = name;
    q->h[q->n].name_len = strlen(name);
    q->h[q->n].value = value;
    q->h[q->n].value_len = strlen(value);
    q->n++;
}

static void setup(bh_scheme s, const char *secret)
{
    memset(&C, 0, sizeof C);
    memset(&D, 0, sizeof D);
    bh_key_init(&keys[0], s, secret, strlen(secret));
    bh_receiver_init(&rx, s, keys, 1, toks, 4096);
    bh_receiver_on(&rx, BH_EVENT_TODO_CREATED, record, &C);
    bh_receiver_on(&rx, BH_EVENT_UNKNOWN, record, &D);
}

static int post(const struct req *q, const char *body, size_t len,
                bh_outcome *o)
{
    return bh_receive(&rx, "POST", 4, q->h, q->n, body, len, NOW, o);
}

/* ---- the pipeline ---------------------------------------------------- */

static void blue_delivery_handled(void)
{
    struct req q;
    bh_outcome o;
    int t;
    char project[64];
    setup(BH_SCHEME_BLUE, "blue-secret");
    if (!blue_len) {
        T_SKIP("../shared/blue/todo_created.min.json not found");
        return;
    }
    sign(&q, &keys[0], NULL, 0, blue_body, blue_len);
    CHECK_EQ(post(&q, blue_body, blue_len, &o), 200);
    CHECK_EQ(o.result, BH_RX_HANDLED);
    CHECK_EQ(o.err, BH_OK);
    CHECK_STR(o.reason, "handled");
    CHECK_EQ(C.n, 1);
    CHECK_EQ(D.n, 0);
    CHECK_EQ(C.event, BH_EVENT_TODO_CREATED);
    CHECK_STR(C.name, "TODO_CREATED");
    CHECK_EQ(C.blue, 1);
    /* the outcome still holds the parsed delivery */
    CHECK_EQ(o.in.blue, 1);
    CHECK_EQ(o.in.payload.event, BH_EVENT_TODO_CREATED);
    t = bh_payload_project_id(&o.in.payload, &o.in.doc);
    CHECK(t >= 0);
    CHECK_EQ(bh_json_string(&o.in.doc, t, project, sizeof project), 25);
    CHECK_STR(project, "clakt90vu000bvt64hhffqleq");
    CHECK(o.in.body == blue_body && o.in.body_len == blue_len);
}

static void method_and_media_type(void)
{
    static const char *const json[] = {
        "application/json", "application/json; charset=utf-8",
        "APPLICATION/JSON", " application/json ", "application/cloudevents+json",
        "application/vnd.api+json;v=1"};
    static const char *const other[] = {
        "text/plain", "application/jsonx", "text/json", "application/+json",
        "application/x-www-form-urlencoded", "application/json/x", "",
        "application/ json"};
    struct req q;
    bh_outcome o;
    size_t i;
    setup(BH_SCHEME_BLUE, "k");
    sign(&q, &keys[0], NULL, 0, S("{\"event\":\"TODO_CREATED\",\"webhook\":{}}"));
    CHECK_EQ(bh_receive(&rx, "GET", 3, q.h, q.n, S("{\"event\":\"TODO_CREATED\",\"webhook\":{}}"),
                        NOW, &o), 405);
    CHECK_EQ(o.result, BH_RX_BAD_METHOD);
    CHECK_EQ(bh_receive(&rx, "post", 4, q.h, q.n, S("{\"event\":\"TODO_CREATED\",\"webhook\":{}}"),
                        NOW, &o), 405); /* methods are case-sensitive */
    CHECK_EQ(bh_receive(&rx, NULL, 0, q.h, q.n, S("{\"event\":\"TODO_CREATED\",\"webhook\":{}}"),
                        NOW, &o), 200); /* NULL: routed by the caller */
    for (i = 0; i < sizeof json / sizeof *json; i++) {
        q.h[0].value = json[i];
        q.h[0].value_len = strlen(json[i]);
        CHECK_EQ(post(&q, S("{\"event\":\"TODO_CREATED\",\"webhook\":{}}"), &o), 200);
    }
    for (i = 0; i < sizeof other / sizeof *other; i++) {
        q.h[0].value = other[i];
        q.h[0].value_len = strlen(other[i]);
        CHECK_EQ(post(&q, S("{\"event\":\"TODO_CREATED\",\"webhook\":{}}"), &o), 415);
        CHECK_EQ(o.result, BH_RX_BAD_MEDIA);
    }
    /* no Content-Type at all passes */
    CHECK_EQ(bh_receive(&rx, "POST", 4, q.h + 1, q.n - 1,
                        S("{\"event\":\"TODO_CREATED\",\"webhook\":{}}"), NOW, &o), 200);
    CHECK_EQ(C.n, 1 + 6 + 1);
}

static void too_large(void)
{
    static const char body[] = "{\"event\":\"TODO_CREATED\",\"webhook\":{},\"currentValue\":{\"a\":[1,2,3,4]}}";
    struct req q;
    bh_outcome o;
    setup(BH_SCHEME_BLUE, "k");
    sign(&q, &keys[0], NULL, 0, body, sizeof body - 1);
    rx.max_body = sizeof body - 2;
    CHECK_EQ(post(&q, body, sizeof body - 1, &o), 413);
    CHECK_EQ(o.result, BH_RX_TOO_LARGE);
    CHECK_EQ(o.err, BH_EBODYSIZE);
    rx.max_body = sizeof body - 1;
    CHECK_EQ(post(&q, body, sizeof body - 1, &o), 200);
    rx.ntoks = 8; /* the body has 13 values and keys */
    CHECK_EQ(post(&q, body, sizeof body - 1, &o), 413);
    CHECK_EQ(o.err, BH_ESPACE);
    CHECK_EQ(C.n, 1);
}

static void unauthorized(void)
{
    static const char body[] = "{\"event\":\"TODO_CREATED\",\"webhook\":{}}";
    struct req q;
    bh_outcome o;
    bh_key wrong, std;
    setup(BH_SCHEME_BLUE, "right");
    /* unsigned */
    sign(&q, &keys[0], NULL, 0, body, sizeof body - 1);
    CHECK_EQ(bh_receive(&rx, "POST", 4, q.h, 1, S(body), NOW, &o), 401);
    CHECK_EQ(o.result, BH_RX_UNAUTHORIZED);
    CHECK_EQ(o.err, BH_ENOSIG);
    CHECK_STR(o.reason, "signature header missing");
    /* tampered body */
    CHECK_EQ(post(&q, S("{\"event\":\"TODO_CREATED\",\"webhook\":{} }"), &o), 401);
    CHECK_EQ(o.err, BH_ESIG);
    /* signed with another secret */
    bh_key_init(&wrong, BH_SCHEME_BLUE, "wrong", 5);
    sign(&q, &wrong, NULL, 0, body, sizeof body - 1);
    CHECK_EQ(post(&q, S(body), &o), 401);
    CHECK_EQ(o.err, BH_ESIG);
    /* malformed */
    q.h[1].value = "zz";
    q.h[1].value_len = 2;
    CHECK_EQ(post(&q, S(body), &o), 401);
    CHECK_EQ(o.err, BH_EMALFORMED);
    /* stale (Standard, outside the tolerance either way) */
    bh_key_init(&std, BH_SCHEME_STANDARD, "whsec_c2VjcmV0LWtleQ==", 22);
    rx.keys = &std;
    rx.tolerance_s = 60;
    sign(&q, &std, "msg_a", NOW - 61, body, sizeof body - 1);
    CHECK_EQ(post(&q, S(body), &o), 401);
    CHECK_EQ(o.err, BH_ESTALE);
    sign(&q, &std, "msg_a", NOW + 61, body, sizeof body - 1);
    CHECK_EQ(post(&q, S(body), &o), 401);
    sign(&q, &std, "msg_a", NOW - 60, body, sizeof body - 1);
    CHECK_EQ(post(&q, S(body), &o), 200);
    /* no key prepared */
    memset(&wrong, 0, sizeof wrong);
    rx.keys = &wrong;
    CHECK_EQ(post(&q, S(body), &o), 401);
    CHECK_EQ(o.err, BH_ENOKEY);
    CHECK_EQ(C.n, 1);
}

static void not_json_not_blue(void)
{
    struct req q;
    bh_outcome o;
    setup(BH_SCHEME_BLUE, "k");
    sign(&q, &keys[0], NULL, 0, S("{\"event\": nope}"));
    CHECK_EQ(post(&q, S("{\"event\": nope}"), &o), 400);
    CHECK_EQ(o.result, BH_RX_NOT_JSON);
    CHECK_EQ(o.err, BH_ESYNTAX);
    CHECK_EQ(o.err_pos, 10);
    CHECK(strlen(o.reason) > 0);
    sign(&q, &keys[0], NULL, 0, S("{\"event\":\"TODO_CREATED\",\"webhook\":[]}"));
    CHECK_EQ(post(&q, S("{\"event\":\"TODO_CREATED\",\"webhook\":[]}"), &o), 400);
    CHECK_EQ(o.result, BH_RX_NOT_BLUE);
    CHECK_EQ(o.err, BH_ESHAPE);
    sign(&q, &keys[0], NULL, 0, S("[1,2]"));
    CHECK_EQ(post(&q, S("[1,2]"), &o), 400);
    CHECK_EQ(o.result, BH_RX_NOT_BLUE);
    sign(&q, &keys[0], NULL, 0, S("{\"event\":\"TODO_CREATED\",\"webhook\":{}"));
    CHECK_EQ(post(&q, S("{\"event\":\"TODO_CREATED\",\"webhook\":{}"), &o), 400);
    CHECK_EQ(o.err, BH_EINCOMPLETE);
    /* a receiver that does not want Blue payloads takes any JSON */
    rx.blue = 0;
    sign(&q, &keys[0], NULL, 0, S("[1,2]"));
    CHECK_EQ(post(&q, S("[1,2]"), &o), 200);
    CHECK_EQ(D.n, 1);
    CHECK_EQ(D.blue, 0);
    CHECK_EQ(D.name[0], '\0');
    CHECK_EQ(C.n, 0);
}

static void key_rotation(void)
{
    static const char body[] = "{\"event\":\"TODO_CREATED\",\"webhook\":{}}";
    struct req q;
    bh_outcome o;
    setup(BH_SCHEME_BLUE, "new-secret");
    bh_key_init(&keys[1], BH_SCHEME_BLUE, "old-secret", 10);
    rx.nkeys = 2;
    sign(&q, &keys[1], NULL, 0, body, sizeof body - 1);
    CHECK_EQ(post(&q, S(body), &o), 200);
    CHECK_EQ(C.key, 1);
    CHECK_EQ(o.in.verified.key, 1);
    sign(&q, &keys[0], NULL, 0, body, sizeof body - 1);
    CHECK_EQ(post(&q, S(body), &o), 200);
    CHECK_EQ(C.key, 0);
    rx.nkeys = 1; /* the old secret retired */
    sign(&q, &keys[1], NULL, 0, body, sizeof body - 1);
    CHECK_EQ(post(&q, S(body), &o), 401);
    CHECK_EQ(C.n, 2);
}

static bh_replay_slot slots[8];
static bh_replay cache;

static void replay_duplicate_and_release(void)
{
    static const char body[] = "{\"event\":\"TODO_CREATED\",\"webhook\":{},\"currentValue\":{\"id\":\"r1\"}}";
    struct req q;
    bh_outcome o;
    setup(BH_SCHEME_BLUE, "k");
    bh_replay_init(&cache, slots, 8);
    rx.replay = &cache;
    sign(&q, &keys[0], NULL, 0, body, sizeof body - 1);
    /* the handler fails: 500, and the id is released */
    C.result = -1;
    CHECK_EQ(post(&q, S(body), &o), 500);
    CHECK_EQ(o.result, BH_RX_FAILED);
    CHECK_EQ(o.err, -1);
    C.result = 503;
    CHECK_EQ(post(&q, S(body), &o), 503); /* its own 5xx */
    C.result = 404;
    CHECK_EQ(post(&q, S(body), &o), 500); /* not a 5xx: 500 */
    /* the sender's retry is handled */
    C.result = 0;
    CHECK_EQ(post(&q, S(body), &o), 200);
    CHECK_EQ(o.result, BH_RX_HANDLED);
    CHECK_EQ(C.n, 4);
    /* then a duplicate: 200, not dispatched again */
    CHECK_EQ(post(&q, S(body), &o), 200);
    CHECK_EQ(o.result, BH_RX_DUPLICATE);
    CHECK_EQ(o.err, BH_EREPLAY);
    CHECK_EQ(C.n, 4);
    /* a refused request never touches the cache */
    CHECK_EQ(post(&q, S("{}"), &o), 401);
    /* without a cache, every copy is dispatched */
    rx.replay = NULL;
    CHECK_EQ(post(&q, S(body), &o), 200);
    CHECK_EQ(C.n, 5);
}

/* A handler that, while the first delivery is in flight, receives another
   request on a second receiver sharing the cache (its own tokens). */
static bh_receiver rx2;
static bh_json_tok toks2[256];
static struct req inner_q;
static const char *inner_body;
static int inner_status;
static bh_outcome inner_o;

static int reenter(void *ctx, const bh_received *r)
{
    (void)ctx;
    (void)r;
    inner_status = bh_receive(&rx2, "POST", 4, inner_q.h, inner_q.n, inner_body,
                              strlen(inner_body), NOW, &inner_o);
    return 0;
}

static void replay_in_flight_and_full(void)
{
    static const char a[] = "{\"event\":\"TODO_CREATED\",\"webhook\":{}}";
    static const char b[] = "{\"event\":\"TODO_DELETED\",\"webhook\":{}}";
    struct req q;
    bh_outcome o;
    setup(BH_SCHEME_BLUE, "k");
    bh_replay_init(&cache, slots, 8);
    rx.replay = &cache;
    bh_receiver_on(&rx, BH_EVENT_TODO_CREATED, reenter, NULL);
    rx2 = rx;
    rx2.toks = toks2;
    rx2.ntoks = 256;
    bh_receiver_on(&rx2, BH_EVENT_TODO_CREATED, record, &C);
    sign(&q, &keys[0], NULL, 0, a, sizeof a - 1);
    /* the same delivery again while the first is handled: 409 */
    inner_q = q;
    inner_body = a;
    CHECK_EQ(post(&q, S(a), &o), 200);
    CHECK_EQ(inner_status, 409);
    CHECK_EQ(inner_o.result, BH_RX_IN_FLIGHT);
    CHECK_EQ(inner_o.err, BH_EINFLIGHT);
    /* a one-slot cache holding the first in flight: the second is 503 */
    bh_replay_init(&cache, slots, 1);
    sign(&inner_q, &keys[0], NULL, 0, b, sizeof b - 1);
    inner_body = b;
    CHECK_EQ(post(&q, S(a), &o), 200);
    CHECK_EQ(inner_status, 503);
    CHECK_EQ(inner_o.result, BH_RX_BUSY);
    CHECK_EQ(inner_o.err, BH_EREPLAYFULL);
    CHECK_EQ(C.n, 0);
}

static void health_check(void)
{
    static const char body[] = "{\"event\":\"WEBHOOK_HEALTH_CHECK\",\"webhook\":{\"id\":\"w\",\"secret\":\"\"}}";
    struct calls h;
    struct req q;
    bh_outcome o;
    setup(BH_SCHEME_BLUE, "k");
    bh_event_set_add(&rx.events, BH_EVENT_TODO_CREATED);
    sign(&q, &keys[0], NULL, 0, body, sizeof body - 1);
    CHECK_EQ(post(&q, S(body), &o), 200);
    CHECK_EQ(o.result, BH_RX_HEALTH_CHECK);
    CHECK_EQ(o.in.event, BH_EVENT_WEBHOOK_HEALTH_CHECK);
    CHECK_EQ(C.n + D.n, 0);
    /* asked for: the default handler, despite the subscription */
    rx.health_checks = 1;
    CHECK_EQ(post(&q, S(body), &o), 200);
    CHECK_EQ(o.result, BH_RX_HANDLED);
    CHECK_EQ(D.n, 1);
    CHECK_EQ(D.event, BH_EVENT_WEBHOOK_HEALTH_CHECK);
    /* or its own handler */
    memset(&h, 0, sizeof h);
    bh_receiver_on(&rx, BH_EVENT_WEBHOOK_HEALTH_CHECK, record, &h);
    CHECK_EQ(post(&q, S(body), &o), 200);
    CHECK_EQ(h.n, 1);
    CHECK_EQ(D.n, 1);
    /* signed wrongly, it is refused like anything else */
    CHECK_EQ(post(&q, S("{\"event\":\"WEBHOOK_HEALTH_CHECK\",\"webhook\":{}}"), &o), 401);
}

static void event_name_sources(void)
{
    static const char stripe[] = "{\"id\":\"evt_1\",\"type\":\"invoice.paid\",\"data\":{}}";
    static const char gh[] = "{\"action\":\"opened\",\"number\":1}";
    static const char esc[] = "{\"event\":\"TODO\\u005fCREATED\",\"webhook\":{}}";
    static const char noname[] = "{\"webhook\":{},\"event\":\"\"}";
    struct req q;
    bh_outcome o;
    /* Blue: /event, escaped names unescaped */
    setup(BH_SCHEME_BLUE, "k");
    sign(&q, &keys[0], NULL, 0, esc, sizeof esc - 1);
    CHECK_EQ(post(&q, S(esc), &o), 200);
    CHECK_EQ(C.n, 1);
    CHECK_STR(C.name, "TODO_CREATED");
    CHECK(o.in.name == o.name_buf);
    /* an unknown Blue name goes to the default handler */
    sign(&q, &keys[0], NULL, 0, S("{\"event\":\"TODO_ARCHIVED\",\"webhook\":{}}"));
    CHECK_EQ(post(&q, S("{\"event\":\"TODO_ARCHIVED\",\"webhook\":{}}"), &o), 200);
    CHECK_EQ(D.n, 1);
    CHECK_EQ(D.event, BH_EVENT_UNKNOWN);
    CHECK_STR(D.name, "TODO_ARCHIVED");
    sign(&q, &keys[0], NULL, 0, noname, sizeof noname - 1);
    CHECK_EQ(post(&q, S(noname), &o), 200);
    CHECK_EQ(D.n, 2);
    CHECK_STR(D.name, "");
    /* without a default handler: 200, unhandled */
    bh_receiver_on(&rx, BH_EVENT_UNKNOWN, NULL, NULL);
    CHECK_EQ(post(&q, S(noname), &o), 200);
    CHECK_EQ(o.result, BH_RX_UNHANDLED);
    CHECK_EQ(D.n, 2);
    /* Stripe: /type */
    setup(BH_SCHEME_STRIPE, "whsec_stripe");
    sign(&q, &keys[0], NULL, NOW, stripe, sizeof stripe - 1);
    CHECK_EQ(post(&q, S(stripe), &o), 200);
    CHECK_EQ(D.n, 1);
    CHECK_STR(D.name, "invoice.paid");
    CHECK_EQ(D.blue, 0);
    /* Standard: /type */
    setup(BH_SCHEME_STANDARD, "whsec_c2VjcmV0LWtleQ==");
    sign(&q, &keys[0], "msg_2", NOW, stripe, sizeof stripe - 1);
    CHECK_EQ(post(&q, S(stripe), &o), 200);
    CHECK_STR(D.name, "invoice.paid");
    /* GitHub: the X-GitHub-Event header */
    setup(BH_SCHEME_GITHUB, "gh-secret");
    sign(&q, &keys[0], NULL, 0, gh, sizeof gh - 1);
    add_header(&q, "x-github-event", " pull_request ");
    CHECK_EQ(post(&q, S(gh), &o), 200);
    CHECK_STR(D.name, "pull_request");
    /* a header naming a Blue event dispatches to its handler */
    q.h[q.n - 1].value = "TODO_CREATED";
    q.h[q.n - 1].value_len = 12;
    CHECK_EQ(post(&q, S(gh), &o), 200);
    CHECK_EQ(C.n, 1);
    /* a pointer configured by hand */
    rx.event_header = NULL;
    rx.event_pointer = "/action";
    CHECK_EQ(post(&q, S(gh), &o), 200);
    CHECK_STR(D.name, "opened");
    /* a pointer to a non-string: no name */
    rx.event_pointer = "/number";
    CHECK_EQ(post(&q, S(gh), &o), 200);
    CHECK_STR(D.name, "");
}

static void blue_shape_only_for_blue(void)
{
    static const char body[] = "{\"type\":\"user.created\",\"data\":{\"id\":1}}";
    struct req q;
    bh_outcome o;
    setup(BH_SCHEME_STANDARD, "whsec_c2VjcmV0LWtleQ==");
    CHECK_EQ(rx.blue, 0);
    sign(&q, &keys[0], "msg_3", NOW, body, sizeof body - 1);
    CHECK_EQ(post(&q, S(body), &o), 200);
    CHECK_EQ(o.in.blue, 0);
    /* Blue payloads signed with Standard headers (BH_SEND_STANDARD) */
    rx.blue = 1;
    rx.event_pointer = "/event";
    CHECK_EQ(post(&q, S(body), &o), 400);
    CHECK_EQ(o.result, BH_RX_NOT_BLUE);
    sign(&q, &keys[0], "msg_4", NOW, S("{\"event\":\"TODO_CREATED\",\"webhook\":{}}"));
    CHECK_EQ(post(&q, S("{\"event\":\"TODO_CREATED\",\"webhook\":{}}"), &o), 200);
    CHECK_EQ(C.n, 1);
    CHECK_EQ(C.blue, 1);
}

static void subscription_and_filter(void)
{
    static const char *const projects[] = {"p-other", "clakt90vu000bvt64hhffqleq"};
    static const char text[] = "/todoList/id == \"clakt9v5t000kvt64f563l90l\" && /done == true";
    bh_filter_node nodes[16];
    bh_filter f;
    struct req q;
    bh_outcome o;
    setup(BH_SCHEME_BLUE, "k");
    if (!blue_len) {
        T_SKIP("../shared/blue/todo_created.min.json not found");
        return;
    }
    sign(&q, &keys[0], NULL, 0, blue_body, blue_len);
    bh_event_set_add(&rx.events, BH_EVENT_TODO_DELETED);
    CHECK_EQ(post(&q, blue_body, blue_len, &o), 200);
    CHECK_EQ(o.result, BH_RX_FILTERED);
    CHECK_STR(o.reason, "event not subscribed");
    bh_event_set_add_group(&rx.events, BH_ENTITY_RECORD);
    rx.project_ids = projects;
    rx.nproject_ids = 1;
    CHECK_EQ(post(&q, blue_body, blue_len, &o), 200);
    CHECK_STR(o.reason, "project not subscribed");
    rx.nproject_ids = 2;
    CHECK_EQ(post(&q, blue_body, blue_len, &o), 200);
    CHECK_EQ(o.result, BH_RX_HANDLED);
    CHECK_EQ(bh_filter_parse(&f, text, sizeof text - 1, nodes, 16), BH_OK);
    rx.filter = &f;
    CHECK_EQ(post(&q, blue_body, blue_len, &o), 200);
    CHECK_EQ(o.result, BH_RX_FILTERED);
    CHECK_STR(o.reason, "filter does not hold");
    CHECK_EQ(o.err_pos, (size_t)(strstr(text, "/done") - text)); /* not done */
    CHECK_EQ(o.err_len, 13);
    CHECK_EQ(C.n, 1);
    f.nodes = NULL; /* a filter never parsed */
    CHECK_EQ(post(&q, blue_body, blue_len, &o), 500);
    CHECK_EQ(o.result, BH_RX_ERROR);
    /* a health check has no project: it bypasses them when dispatched */
    rx.filter = NULL;
    rx.health_checks = 1;
    sign(&q, &keys[0], NULL, 0, S("{\"event\":\"WEBHOOK_HEALTH_CHECK\",\"webhook\":{}}"));
    CHECK_EQ(post(&q, S("{\"event\":\"WEBHOOK_HEALTH_CHECK\",\"webhook\":{}}"), &o), 200);
    CHECK_EQ(D.n, 1);
}

static void replay_ids_per_scheme(void)
{
    static const char evt[] = "{\"id\":\"evt_9\",\"type\":\"invoice.paid\"}";
    static const char gh[] = "{\"zen\":\"x\"}";
    struct req q;
    bh_outcome o;
    /* Stripe signs each retry anew: the body's /id is the replay id */
    setup(BH_SCHEME_STRIPE, "whsec_s");
    bh_replay_init(&cache, slots, 8);
    rx.replay = &cache;
    sign(&q, &keys[0], NULL, NOW, evt, sizeof evt - 1);
    CHECK_EQ(post(&q, S(evt), &o), 200);
    CHECK_EQ(o.result, BH_RX_HANDLED);
    sign(&q, &keys[0], NULL, NOW + 5, evt, sizeof evt - 1);
    CHECK_EQ(post(&q, S(evt), &o), 200);
    CHECK_EQ(o.result, BH_RX_DUPLICATE);
    CHECK_EQ(D.n, 1);
    /* without the pointer, the retry (another MAC) is new */
    rx.replay_pointer = NULL;
    sign(&q, &keys[0], NULL, NOW + 6, evt, sizeof evt - 1);
    CHECK_EQ(post(&q, S(evt), &o), 200);
    CHECK_EQ(o.result, BH_RX_HANDLED);
    /* Standard: webhook-id */
    setup(BH_SCHEME_STANDARD, "whsec_c2VjcmV0LWtleQ==");
    bh_replay_init(&cache, slots, 8);
    rx.replay = &cache;
    sign(&q, &keys[0], "msg_same", NOW, evt, sizeof evt - 1);
    CHECK_EQ(post(&q, S(evt), &o), 200);
    sign(&q, &keys[0], "msg_same", NOW + 1, evt, sizeof evt - 1);
    CHECK_EQ(post(&q, S(evt), &o), 200);
    CHECK_EQ(o.result, BH_RX_DUPLICATE);
    sign(&q, &keys[0], "msg_other", NOW + 1, evt, sizeof evt - 1);
    CHECK_EQ(post(&q, S(evt), &o), 200);
    CHECK_EQ(o.result, BH_RX_HANDLED);
    /* GitHub: X-GitHub-Delivery */
    setup(BH_SCHEME_GITHUB, "g");
    bh_replay_init(&cache, slots, 8);
    rx.replay = &cache;
    sign(&q, &keys[0], NULL, 0, gh, sizeof gh - 1);
    add_header(&q, "X-GitHub-Delivery", "d-1");
    CHECK_EQ(post(&q, S(gh), &o), 200);
    q.h[q.n - 1].value = "d-2";
    CHECK_EQ(post(&q, S(gh), &o), 200);
    CHECK_EQ(o.result, BH_RX_HANDLED);
    CHECK_EQ(post(&q, S(gh), &o), 200);
    CHECK_EQ(o.result, BH_RX_DUPLICATE);
    CHECK_EQ(D.n, 2);
}

static void init_and_arguments(void)
{
    bh_outcome o;
    bh_receiver r;
    bh_key k;
    unsigned i, j;
    bh_key_init(&k, BH_SCHEME_BLUE, "k", 1);
    CHECK_EQ(bh_receiver_init(NULL, BH_SCHEME_BLUE, &k, 1, toks, 8), BH_EINVAL);
    CHECK_EQ(bh_receiver_init(&r, BH_SCHEME_BLUE, NULL, 1, toks, 8), BH_EINVAL);
    CHECK_EQ(bh_receiver_init(&r, BH_SCHEME_BLUE, &k, 0, toks, 8), BH_EINVAL);
    CHECK_EQ(bh_receiver_init(&r, BH_SCHEME_BLUE, &k, 1, NULL, 8), BH_EINVAL);
    CHECK_EQ(bh_receiver_init(&r, BH_SCHEME_BLUE, &k, 1, toks, 0), BH_EINVAL);
    CHECK_EQ(bh_receiver_init(&r, (bh_scheme)9, &k, 1, toks, 8), BH_EINVAL);
    CHECK_EQ(bh_receive(&r, "POST", 4, NULL, 0, NULL, 0, NOW, &o), 500);
    CHECK_EQ(o.result, BH_RX_ERROR);
    CHECK_EQ(bh_receive(NULL, "POST", 4, NULL, 0, NULL, 0, NOW, NULL), 500);
    CHECK_EQ(bh_receiver_init(&r, BH_SCHEME_BLUE, &k, 1, toks, 8), BH_OK);
    CHECK_EQ(r.blue, 1);
    CHECK_STR(r.event_pointer, "/event");
    CHECK(r.event_header == NULL && r.replay == NULL && r.replay_pointer == NULL);
    CHECK_EQ(r.max_body, BH_HTTP_MAX_BODY_BYTES);
    CHECK_EQ(r.health_checks, 0);
    CHECK_EQ(bh_receiver_init(&r, BH_SCHEME_STRIPE, &k, 1, toks, 8), BH_OK);
    CHECK(r.blue == 0 && r.replay_pointer && strcmp(r.replay_pointer, "/id") == 0);
    CHECK_STR(r.event_pointer, "/type");
    CHECK_EQ(bh_receiver_init(&r, BH_SCHEME_GITHUB, &k, 1, toks, 8), BH_OK);
    CHECK_STR(r.event_header, "X-GitHub-Event");
    CHECK(r.event_pointer == NULL);
    CHECK_EQ(bh_receiver_on(&r, BH_EVENT_COUNT, record, NULL), BH_EINVAL);
    CHECK_EQ(bh_receiver_on(NULL, BH_EVENT_TODO_MOVED, record, NULL), BH_EINVAL);
    CHECK_EQ(bh_receiver_on(&r, BH_EVENT_TODO_MOVED, record, &C), BH_OK);
    CHECK(r.on[BH_EVENT_TODO_MOVED].fn == record);
    /* a body without a length, or headers without an array */
    CHECK_EQ(bh_receive(&r, "POST", 4, NULL, 2, NULL, 0, NOW, &o), 500);
    CHECK_EQ(bh_receive(&r, "POST", 4, NULL, 0, NULL, 3, NOW, &o), 500);
    /* every result has its own name */
    for (i = BH_RX_HANDLED; i <= BH_RX_UNAVAILABLE; i++) {
        CHECK(strcmp(bh_rx_result_name((bh_rx_result)i), "?") != 0);
        for (j = BH_RX_HANDLED; j < i; j++)
            CHECK(strcmp(bh_rx_result_name((bh_rx_result)i),
                         bh_rx_result_name((bh_rx_result)j)) != 0);
    }
    CHECK_STR(bh_rx_result_name((bh_rx_result)0), "?");
}

/* ---- serving a connection ------------------------------------------- */

static bh_header hh[32];
static bh_http_parser P;
static char buf[16384], out[BH_RESPONSE_MAX];

/* A whole signed HTTP request for a body, in text; returns its length. */
static size_t http_request(char *dst, size_t cap, const char *extra,
                           const char *body, size_t len, const bh_key *k)
{
    bh_header h[3];
    char sb[160];
    int n = bh_sign(k, "msg_h", NOW, body, len, h, 3, sb, sizeof sb), i;
    size_t at;
    at = (size_t)snprintf(dst, cap,
                          "POST /hook HTTP/1.1\r\nHost: x\r\nContent-Type: "
                          "application/json\r\nContent-Length: %zu\r\n%s",
                          len, extra);
    for (i = 0; i < n; i++)
        at += (size_t)snprintf(dst + at, cap - at, "%s: %s\r\n", h[i].name,
                               h[i].value);
    at += (size_t)snprintf(dst + at, cap - at, "\r\n");
    memcpy(dst + at, body, len);
    return at + len;
}

/* The status of a response in out, and its Content-Length matches. */
static int response_status(size_t len)
{
    char *cl, *end;
    unsigned long n;
    int status;
    if (len < 12 || memcmp(out, "HTTP/1.1 ", 9) != 0) return -1;
    status = atoi(out + 9);
    if (status == 100) return memcmp(out + len - 4, "\r\n\r\n", 4) == 0 ? 100 : -1;
    out[len < sizeof out ? len : sizeof out - 1] = '\0';
    cl = strstr(out, "Content-Length: ");
    end = strstr(out, "\r\n\r\n");
    if (!cl || !end) return -2;
    n = strtoul(cl + 16, NULL, 10);
    if (strstr(out, "HEAD") == NULL && (size_t)(end + 4 - out) + n != len) return -3;
    return status;
}

static const char small[] = "{\"event\":\"TODO_CREATED\",\"webhook\":{}}";

static void serve_whole_request(void)
{
    bh_served s;
    size_t n;
    setup(BH_SCHEME_BLUE, "k");
    n = http_request(buf, sizeof buf, "", small, sizeof small - 1, &keys[0]);
    bh_http_init(&P, hh, 32);
    CHECK_EQ(bh_receiver_serve(&rx, &P, buf, n, sizeof buf, NOW, out, sizeof out, &s), BH_OK);
    CHECK_EQ(s.consumed, n);
    CHECK_EQ(s.close, 0);
    CHECK_EQ(s.outcome.status, 200);
    CHECK_EQ(s.outcome.result, BH_RX_HANDLED);
    CHECK_EQ(response_status(s.out_len), 200);
    CHECK(strstr(out, "Connection: keep-alive\r\n") != NULL);
    CHECK(strstr(out, "\r\n\r\nhandled\n") != NULL);
    CHECK_EQ(C.n, 1);
    /* the parser was reset: the next request parses from the start */
    CHECK_EQ(bh_receiver_serve(&rx, &P, buf, n, sizeof buf, NOW, out, sizeof out, &s), BH_OK);
    CHECK_EQ(C.n, 2);
    /* out too small, bad arguments */
    CHECK_EQ(bh_receiver_serve(&rx, &P, buf, n, sizeof buf, NOW, out, 100, &s), BH_ESPACE);
    CHECK_EQ(bh_receiver_serve(&rx, &P, buf, n, n - 1, NOW, out, sizeof out, &s), BH_EINVAL);
    CHECK_EQ(bh_receiver_serve(NULL, &P, buf, n, sizeof buf, NOW, out, sizeof out, &s), BH_EINVAL);
    CHECK_EQ(bh_receiver_serve(&rx, &P, buf, n, sizeof buf, NOW, out, sizeof out, NULL), BH_EINVAL);
}

/* Serve text arriving in pieces at the given split points (ascending),
   each call seeing everything so far; the statuses answered, in order. */
static int serve_pieces(const char *text, size_t len, const size_t *cuts,
                        size_t ncuts, int *statuses, int max)
{
    size_t have = 0, start = 0, c = 0;
    int n = 0;
    bh_served s;
    bh_http_init(&P, hh, 32);
    while (have < len) {
        size_t before = have;
        int rc;
        have = c < ncuts ? cuts[c++] : len;
        memcpy(buf + before, text + before, have - before); /* new bytes */
        for (;;) {
            rc = bh_receiver_serve(&rx, &P, buf + start, have - start,
                                   sizeof buf - start, NOW, out, sizeof out, &s);
            if (rc != BH_OK) break;
            if (n < max) statuses[n] = s.outcome.status;
            n++;
            start += s.consumed;
            if (s.close) return n;
        }
        if (rc != BH_EINCOMPLETE) return -1;
    }
    return n;
}

static void serve_every_split_point(void)
{
    char text[1024];
    size_t n, i, cut[1];
    int st[4], calls_ok = 1;
    setup(BH_SCHEME_BLUE, "k");
    n = http_request(text, sizeof text, "", small, sizeof small - 1, &keys[0]);
    for (i = 1; i < n; i++) {
        cut[0] = i;
        if (serve_pieces(text, n, cut, 1, st, 4) != 1 || st[0] != 200)
            calls_ok = 0;
    }
    CHECK(calls_ok);
    CHECK_EQ(C.n, (int)(n - 1));
}

static void serve_byte_at_a_time_and_chunked(void)
{
    static const char body[] = "{\"event\":\"TODO_CREATED\",\"webhook\":{\"id\":\"w1\"}}";
    char text[1024], sig[160];
    size_t n, i, cuts[1024];
    bh_header h[1];
    int st[4];
    setup(BH_SCHEME_BLUE, "k");
    /* a chunked body: the signature is over the decoded bytes */
    bh_sign(&keys[0], NULL, 0, body, sizeof body - 1, h, 1, sig, sizeof sig);
    n = (size_t)snprintf(text, sizeof text,
                         "POST /h HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                         "X-Signature: %s\r\n\r\n10\r\n%.16s\r\n5;ext=1\r\n%.5s\r\n%zx\r\n%s\r\n0\r\nT: v\r\n\r\n",
                         h[0].value, body, body + 16, sizeof body - 22, body + 21);
    for (i = 0; i < n - 1; i++) cuts[i] = i + 1;
    CHECK_EQ(serve_pieces(text, n, cuts, n - 1, st, 4), 1);
    CHECK_EQ(st[0], 200);
    CHECK_EQ(C.n, 1);
    CHECK_EQ(serve_pieces(text, n, NULL, 0, st, 4), 1);
    CHECK_EQ(st[0], 200);
    CHECK_EQ(C.n, 2);
}

static void serve_pipelined(void)
{
    char text[4096];
    size_t n = 0;
    int st[4];
    bh_key wrong;
    setup(BH_SCHEME_BLUE, "k");
    bh_key_init(&wrong, BH_SCHEME_BLUE, "x", 1);
    n += http_request(text + n, sizeof text - n, "", small, sizeof small - 1, &keys[0]);
    n += http_request(text + n, sizeof text - n, "", small, sizeof small - 1, &wrong);
    n += http_request(text + n, sizeof text - n, "Connection: close\r\n", small,
                      sizeof small - 1, &keys[0]);
    CHECK_EQ(serve_pieces(text, n, NULL, 0, st, 4), 3);
    CHECK_EQ(st[0], 200);
    CHECK_EQ(st[1], 401);
    CHECK_EQ(st[2], 200);
    CHECK_EQ(C.n, 2);
}

static void serve_expect_continue(void)
{
    char text[1024];
    size_t n, head;
    bh_served s;
    setup(BH_SCHEME_BLUE, "k");
    n = http_request(text, sizeof text, "Expect: 100-continue\r\n", small,
                     sizeof small - 1, &keys[0]);
    head = n - (sizeof small - 1);
    memcpy(buf, text, n);
    bh_http_init(&P, hh, 32);
    CHECK_EQ(bh_receiver_serve(&rx, &P, buf, head, sizeof buf, NOW, out, sizeof out, &s),
             BH_EINCOMPLETE);
    CHECK_EQ(s.out_len, 25);
    CHECK_MEM(out, "HTTP/1.1 100 Continue\r\n\r\n", 25);
    CHECK_EQ(bh_receiver_serve(&rx, &P, buf, n, sizeof buf, NOW, out, sizeof out, &s), BH_OK);
    CHECK_EQ(response_status(s.out_len), 200);
    CHECK_EQ(C.n, 1);
    /* refused before the body: 415, then close */
    memcpy(buf, text, n);
    memcpy(strstr(buf, "application/json"), "applicatio/xjson", 16);
    bh_http_init(&P, hh, 32);
    CHECK_EQ(bh_receiver_serve(&rx, &P, buf, head, sizeof buf, NOW, out, sizeof out, &s), BH_OK);
    CHECK_EQ(response_status(s.out_len), 415);
    CHECK_EQ(s.close, 1);
    CHECK_EQ(s.outcome.result, BH_RX_BAD_MEDIA);
    /* the head decides first, whatever of the body came (bad chunks) */
    bh_http_init(&P, hh, 32);
    n = (size_t)snprintf(buf, sizeof buf, "POST / HTTP/1.1\r\nHost: x\r\nContent-Type: text/x\r\n"
                         "Expect: 100-continue\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n");
    CHECK_EQ(bh_receiver_serve(&rx, &P, buf, n, sizeof buf, NOW, out, sizeof out, &s), BH_OK);
    CHECK_EQ(s.outcome.status, 415);
    CHECK_EQ(s.close, 1);
    /* body bytes sent early: no 100, the answer is the same */
    n = http_request(text, sizeof text, "Expect: 100-continue\r\n", small, sizeof small - 1,
                     &keys[0]);
    memcpy(buf, text, n);
    bh_http_init(&P, hh, 32);
    CHECK_EQ(bh_receiver_serve(&rx, &P, buf, n - 3, sizeof buf, NOW, out, sizeof out, &s),
             BH_EINCOMPLETE);
    CHECK_EQ(s.out_len, 0);
    CHECK_EQ(bh_receiver_serve(&rx, &P, buf, n, sizeof buf, NOW, out, sizeof out, &s), BH_OK);
    CHECK_EQ(s.outcome.status, 200);
    CHECK_EQ(C.n, 2);
    n = http_request(text, sizeof text, "Expect: 100-continue\r\n", small, sizeof small - 1,
                     &keys[0]);
    /* over the receiver's max_body: 413 before the body */
    rx.max_body = 10;
    bh_http_init(&P, hh, 32);
    CHECK_EQ(bh_receiver_serve(&rx, &P, text, head, sizeof text, NOW, out, sizeof out, &s), BH_OK);
    CHECK_EQ(response_status(s.out_len), 413);
    CHECK_EQ(s.close, 1);
    CHECK_EQ(C.n, 2);
}

static void serve_refusals(void)
{
    static const char smuggle[] = "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n"
                                  "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n";
    static const char gzip[] = "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n";
    static const char nohost[] = "POST / HTTP/1.1\r\nContent-Length: 0\r\n\r\n";
    static const char head_req[] = "HEAD / HTTP/1.1\r\nHost: x\r\n\r\n";
    char text[1024];
    bh_served s;
    size_t n;
    setup(BH_SCHEME_BLUE, "k");
    bh_http_init(&P, hh, 32);
    memcpy(buf, smuggle, sizeof smuggle - 1);
    CHECK_EQ(bh_receiver_serve(&rx, &P, buf, sizeof smuggle - 1, sizeof buf, NOW, out,
                               sizeof out, &s), BH_OK);
    CHECK_EQ(response_status(s.out_len), 400);
    CHECK_EQ(s.outcome.result, BH_RX_BAD_REQUEST);
    CHECK_EQ(s.outcome.err, BH_EFRAMING);
    CHECK_EQ(s.close, 1);
    CHECK(strstr(out, "Connection: close") != NULL);
    memcpy(buf, gzip, sizeof gzip - 1);
    CHECK_EQ(bh_receiver_serve(&rx, &P, buf, sizeof gzip - 1, sizeof buf, NOW, out,
                               sizeof out, &s), BH_OK);
    CHECK_EQ(response_status(s.out_len), 501);
    memcpy(buf, nohost, sizeof nohost - 1);
    CHECK_EQ(bh_receiver_serve(&rx, &P, buf, sizeof nohost - 1, sizeof buf, NOW, out,
                               sizeof out, &s), BH_OK);
    CHECK_EQ(response_status(s.out_len), 400);
    /* HEAD: 405 without a body */
    memcpy(buf, head_req, sizeof head_req - 1);
    CHECK_EQ(bh_receiver_serve(&rx, &P, buf, sizeof head_req - 1, sizeof buf, NOW, out,
                               sizeof out, &s), BH_OK);
    CHECK_EQ(s.outcome.status, 405);
    CHECK(strstr(out, "Allow: POST\r\n") != NULL);
    CHECK(strstr(out, "Connection: close\r\n") != NULL); /* as it closes */
    CHECK_EQ(s.close, 1);
    CHECK_EQ(memcmp(out + s.out_len - 4, "\r\n\r\n", 4), 0);
    /* a request larger than the buffer can hold: 431 (head), 413 (body) */
    n = http_request(text, sizeof text, "", small, sizeof small - 1, &keys[0]);
    memcpy(buf, text, n);
    bh_http_init(&P, hh, 32);
    CHECK_EQ(bh_receiver_serve(&rx, &P, buf, 60, 60, NOW, out, sizeof out, &s), BH_OK);
    CHECK_EQ(s.outcome.status, 431);
    CHECK_EQ(s.close, 1);
    bh_http_init(&P, hh, 32); /* serve lowered its limits to 60 bytes */
    CHECK_EQ(bh_receiver_serve(&rx, &P, buf, n - 5, n - 5, NOW, out, sizeof out, &s), BH_OK);
    CHECK_EQ(s.outcome.status, 413);
    CHECK_EQ(s.outcome.err, BH_EBODYSIZE);
    CHECK_EQ(s.outcome.result, BH_RX_TOO_LARGE);
    CHECK_EQ(C.n, 0);
}

int main(void)
{
    load_blue();
    T_RUN(blue_delivery_handled);
    T_RUN(method_and_media_type);
    T_RUN(too_large);
    T_RUN(unauthorized);
    T_RUN(not_json_not_blue);
    T_RUN(key_rotation);
    T_RUN(replay_duplicate_and_release);
    T_RUN(replay_in_flight_and_full);
    T_RUN(health_check);
    T_RUN(event_name_sources);
    T_RUN(blue_shape_only_for_blue);
    T_RUN(subscription_and_filter);
    T_RUN(replay_ids_per_scheme);
    T_RUN(init_and_arguments);
    T_RUN(serve_whole_request);
    T_RUN(serve_every_split_point);
    T_RUN(serve_byte_at_a_time_and_chunked);
    T_RUN(serve_pipelined);
    T_RUN(serve_expect_continue);
    T_RUN(serve_refusals);
    return t_done();
}
