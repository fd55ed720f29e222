/* The sender, with a scripted transport and a fake clock: who gets what,
   exact attempt counts and spacing, health under both policies, dead
   letters and replay, every "full" error, Standard headers and the unset
   wall clock, the health check on enable, restarts from a journal. */
#define _DEFAULT_SOURCE
#define _POSIX_C_SOURCE 200809L
#define T_SUITE "sender"
#define BLUEHOOK_IMPLEMENTATION
#include "../bluehook.h"
#include "t.h"

#include <stdlib.h>
#include <unistd.h>

/* ---- a transport that records each POST and answers from a script ---- */

#define MAXPOSTS 64
struct sent {
    char url[128];
    char body[4096];
    size_t body_len;
    bh_header headers[8];
    char hbuf[8][160];
    char hname[8][40];
    size_t nheaders;
    uint32_t timeout_ms;
};
static struct sent posts[MAXPOSTS];
static size_t nposts;
static int script[MAXPOSTS]; /* results, in order; past the end: 200 */
static size_t nscript;

static int fake_transport(void *ctx, const bh_post *p)
{
    struct sent *s = &posts[nposts < MAXPOSTS ? nposts : MAXPOSTS - 1];
    size_t i;
    (void)ctx;
    snprintf(s->url, sizeof s->url, "%s", p->url);
    s->body_len = p->body_len < sizeof s->body ? p->body_len : sizeof s->body;
    memcpy(s->body, p->body, s->body_len);
    s->nheaders = p->nheaders < 8 ? p->nheaders : 8;
    for (i = 0; i < s->nheaders; i++) {
        snprintf(s->hname[i], sizeof s->hname[i], "%.*s", (int)p->headers[i].name_len, p->headers[i].name);
        snprintf(s->hbuf[i], sizeof s->hbuf[i], "%.*s", (int)p->headers[i].value_len, p->headers[i].value);
        s->headers[i].name = s->hname[i];
        s->headers[i].name_len = strlen(s->hname[i]);
        s->headers[i].value = s->hbuf[i];
        s->headers[i].value_len = strlen(s->hbuf[i]);
    }
    s->timeout_ms = p->timeout_ms;
    return nposts < nscript ? script[nposts++] : (nposts++, 200);
}

static uint32_t rng = 12345;
static uint32_t fake_random(void *ctx)
{
    (void)ctx;
    rng = rng * 1103515245u + 12345u;
    return rng >> 1;
}
static int64_t wall_now;
static int64_t fake_wall(void *ctx)
{
    (void)ctx;
    return wall_now;
}

/* ---- a sender over static memory ---- */

static bh_sender_hook hooks[8];
static bh_delivery outbox[16];
static uint8_t arena[16384];
static char body[8192];
static bh_sender S;
static bh_webhook W[4];
static const char *const proj_a[] = {"proj-a"};

static bh_sender_config base_config(void)
{
    bh_sender_config c;
    memset(&c, 0, sizeof c);
    c.transport = fake_transport;
    c.random = fake_random;
    c.wall_clock = fake_wall;
    c.hooks = hooks;
    c.hooks_cap = 8;
    c.outbox = outbox;
    c.outbox_cap = 16;
    c.arena = arena;
    c.arena_cap = sizeof arena;
    c.body = body;
    c.body_cap = sizeof body;
    return c;
}

/* Three webhooks: all events of proj-a; TAG_* anywhere; disabled. */
static void setup(bh_sender_config c)
{
    memset(W, 0, sizeof W);
    nposts = 0;
    nscript = 0;
    W[0].id = "hook-a";
    W[0].url = "http://a.example/hook";
    W[0].secret = "secret-a";
    W[0].enabled = 1;
    W[0].project_ids = proj_a;
    W[0].nproject_ids = 1;
    W[1].id = "hook-tags";
    W[1].url = "http://tags.example/hook";
    W[1].secret = "secret-tags";
    W[1].enabled = 1;
    bh_event_set_add_group(&W[1].events, BH_ENTITY_TAG);
    W[2].id = "hook-off";
    W[2].url = "http://off.example/hook";
    W[2].secret = "secret-off";
    CHECK_EQ(bh_sender_init(&S, &c), BH_OK);
    CHECK_EQ(bh_sender_add(&S, &W[0], 0), 0);
    CHECK_EQ(bh_sender_add(&S, &W[1], 0), 1);
    CHECK_EQ(bh_sender_add(&S, &W[2], 0), 2);
}

static size_t live(void)
{
    size_t i, n = 0;
    for (i = 0; i < 16; i++) n += outbox[i].state != 0;
    return n;
}

static const char *header(const struct sent *s, const char *name)
{
    const bh_header *h = bh_header_find(s->headers, s->nheaders, name);
    return h ? h->value : NULL;
}

#define REC "{\"id\":\"t1\",\"title\":\"GGGG\"}"
#define PUB(ev, proj) bh_sender_publish(&S, 1000, ev, strlen(ev), proj, strlen(proj), NULL, 0, REC, strlen(REC))

static void publish_reaches_the_subscribed(void)
{
    setup(base_config());
    CHECK_EQ(PUB("TODO_CREATED", "proj-a"), 1);     /* hook-a only */
    CHECK_EQ(PUB("TAG_CREATED", "proj-a"), 2);      /* hook-a and hook-tags */
    CHECK_EQ(PUB("TAG_DELETED", "proj-b"), 1);      /* hook-tags */
    CHECK_EQ(PUB("TODO_CREATED", "proj-b"), 0);
    CHECK_EQ(PUB("SENSOR_READING", "proj-a"), 1);   /* unknown: all-events hooks */
    CHECK_EQ(live(), 5);
    CHECK_EQ(bh_sender_poll(&S, 1000 + 4999), 0);   /* Blue's 5 s first delay */
    CHECK_EQ(bh_sender_next_due(&S), 6000);
    CHECK_EQ(bh_sender_poll(&S, 6000), 5);
    CHECK_EQ(nposts, 5);
    CHECK_EQ(live(), 0);
    CHECK_EQ(bh_sender_next_due(&S), UINT64_MAX);
}

static void bodies_are_blue_payloads_and_signed(void)
{
    size_t i;
    bh_key k;
    setup(base_config());
    CHECK_EQ(PUB("TAG_CREATED", "proj-a"), 2);
    CHECK_EQ(bh_sender_poll(&S, 6000), 2);
    for (i = 0; i < 2; i++) {
        struct sent *s = &posts[i];
        int hook = strcmp(s->url, W[0].url) == 0 ? 0 : 1;
        char want[2048];
        bh_json_writer jw;
        int n;
        bh_jw_init(&jw, want, sizeof want);
        bh_payload_write(&jw, "TAG_CREATED", 11, &W[hook], NULL, 0, REC, strlen(REC));
        n = bh_jw_finish(&jw);
        CHECK_EQ(s->body_len, n);
        CHECK(memcmp(s->body, want, s->body_len) == 0);
        CHECK_STR(header(s, "Content-Type"), "application/json");
        CHECK(header(s, "X-Bluehook-Delivery") != NULL);
        CHECK_EQ(bh_key_init(&k, BH_SCHEME_BLUE, W[hook].secret, strlen(W[hook].secret)), BH_OK);
        CHECK_EQ(bh_verify(&k, 1, s->headers, s->nheaders, s->body, s->body_len, 0, 0), BH_OK);
        CHECK(strstr(s->body, W[hook].secret) == NULL);
        CHECK_EQ(s->timeout_ms, 7000);
    }
}

static void retries_count_and_spacing(void)
{
    bh_sender_config c = base_config();
    uint64_t t = 6000, prev_due;
    const bh_delivery *d;
    int i;
    c.backoff_ms = 100;
    c.backoff_max_ms = 10000;
    setup(c);
    script[0] = 500; script[1] = 503; script[2] = BH_ETIMEOUT; script[3] = 302;
    nscript = 4;
    CHECK_EQ(PUB("TODO_CREATED", "proj-a"), 1);
    d = &outbox[0];
    for (i = 0; i < 4; i++) {
        uint64_t cap = 100u << i;
        CHECK_EQ(bh_sender_poll(&S, t), 1);
        CHECK_EQ(d->attempts, i + 1);
        CHECK_EQ(d->state, BH_DELIVERY_PENDING);
        prev_due = d->due_ms;
        CHECK(prev_due >= t && prev_due <= t + cap); /* full jitter */
        CHECK_EQ(bh_sender_poll(&S, prev_due - (prev_due > t ? 1 : 0)), prev_due > t ? 0 : 1);
        if (prev_due == t) { i++; if (i >= 4) break; }
        t = prev_due;
    }
    CHECK_EQ(d->last, 302); /* a redirect is a failed attempt */
    if (d->state) CHECK_EQ(bh_sender_poll(&S, d->due_ms), 1);
    CHECK_EQ(live(), 0);            /* the fifth attempt got a 200 */
    CHECK_EQ(nposts, 5);
    for (i = 1; i < 5; i++)         /* the same body every time */
        CHECK(posts[i].body_len == posts[0].body_len &&
              memcmp(posts[i].body, posts[0].body, posts[0].body_len) == 0 &&
              strcmp(header(&posts[i], "X-Signature"), header(&posts[0], "X-Signature")) == 0 &&
              strcmp(header(&posts[i], "X-Bluehook-Delivery"), header(&posts[0], "X-Bluehook-Delivery")) == 0);
}

/* Poll until nothing is due any more (the fake clock jumps). */
static void drain(void)
{
    int guard = 0;
    while (bh_sender_next_due(&S) != UINT64_MAX && guard++ < 100)
        bh_sender_poll(&S, bh_sender_next_due(&S));
}

static void dead_letter_policy(void)
{
    size_t i;
    const bh_delivery *dead = NULL;
    setup(base_config());
    for (i = 0; i < 5; i++) script[i] = 500;
    nscript = 5;
    CHECK_EQ(PUB("TODO_CREATED", "proj-a"), 1);
    drain();
    CHECK_EQ(nposts, 5);
    CHECK_EQ(W[0].status, BH_STATUS_UNHEALTHY);
    CHECK_EQ(W[0].enabled, 1);                   /* the others go on */
    for (i = 0; i < 16; i++)
        if (outbox[i].state == BH_DELIVERY_DEAD) dead = &outbox[i];
    CHECK(dead != NULL);
    if (!dead) return;
    CHECK_EQ(dead->attempts, 5);
    CHECK_EQ(dead->last, 500);
    CHECK_EQ(PUB("TODO_MOVED", "proj-a"), 1);    /* still delivering */
    drain();
    CHECK_EQ(W[0].status, BH_STATUS_HEALTHY);    /* back on the next 2xx */
    CHECK_EQ(bh_sender_replay(&S, dead->id, 20000), BH_OK);
    CHECK_EQ(bh_sender_poll(&S, 20000), 1);
    CHECK_EQ(live(), 0);
    CHECK_EQ(bh_sender_replay(&S, "msg_nope", 1), BH_ENOTFOUND);
}

static void blue_policy_disables(void)
{
    bh_sender_config c = base_config();
    size_t i, dead = 0;
    c.policy = BH_POLICY_BLUE;
    setup(c);
    for (i = 0; i < 10; i++) script[i] = 500;
    nscript = 10;
    CHECK_EQ(PUB("TODO_CREATED", "proj-a"), 1);
    CHECK_EQ(bh_sender_poll(&S, 6000), 1);       /* first of five fails */
    CHECK_EQ(PUB("TODO_MOVED", "proj-a"), 1);    /* a second one waits */
    drain();
    CHECK_EQ(W[0].enabled, 0);
    CHECK_EQ(W[0].status, BH_STATUS_UNHEALTHY);
    for (i = 0; i < 16; i++) dead += outbox[i].state == BH_DELIVERY_DEAD;
    CHECK_EQ(dead, 2);                           /* kept, not dropped */
    CHECK_EQ(PUB("TODO_DELETED", "proj-a"), 0);  /* disabled: gets nothing */
    /* enabling sends the health check first, then replays work */
    CHECK_EQ(bh_sender_enable(&S, 0, 50000), BH_OK);
    CHECK_EQ(W[0].enabled, 1);
    CHECK_EQ(W[0].status, BH_STATUS_HEALTHY);
    CHECK_EQ(bh_sender_poll(&S, 50000), 1);
    CHECK(strstr(posts[nposts - 1].body, "\"event\":\"WEBHOOK_HEALTH_CHECK\"") == posts[nposts - 1].body + 1);
    CHECK(strstr(posts[nposts - 1].body, "currentValue") == NULL);
}

static void full_outbox_and_arena(void)
{
    bh_sender_config c = base_config();
    size_t i;
    int r = 0;
    setup(c);
    for (i = 0; i < 16 && r >= 0; i++) r = PUB("TODO_CREATED", "proj-a");
    CHECK_EQ(live(), 16);
    CHECK_EQ(PUB("TODO_CREATED", "proj-a"), BH_EFULL);
    CHECK_EQ(live(), 16);                        /* nothing half done */
    CHECK_EQ(PUB("TAG_CREATED", "proj-x"), BH_EFULL);
    drain();
    CHECK_EQ(live(), 0);
    /* a tiny arena */
    c.arena_cap = 160; /* the event fits, its webhook object does not */
    setup(c);
    CHECK_EQ(PUB("TODO_CREATED", "proj-a"), BH_EFULL);
    CHECK_EQ(live(), 0);
    /* a body over body_cap */
    c = base_config();
    c.body_cap = 64;
    setup(c);
    CHECK_EQ(PUB("TODO_CREATED", "proj-a"), BH_ESPACE);
    CHECK_EQ(live(), 0);
}

static void invalid_records_are_refused(void)
{
    setup(base_config());
    CHECK_EQ(bh_sender_publish(&S, 0, "TODO_CREATED", 12, "proj-a", 6, NULL, 0, "{\"a\":", 5), BH_EINCOMPLETE);
    CHECK_EQ(bh_sender_publish(&S, 0, "TODO_CREATED", 12, "proj-a", 6, "[1,]", 4, NULL, 0), BH_ESYNTAX);
    CHECK_EQ(bh_sender_publish(&S, 0, "", 0, "proj-a", 6, NULL, 0, NULL, 0), BH_EINVAL);
    CHECK_EQ(live(), 0);
}

static void arena_compaction_keeps_bodies(void)
{
    bh_sender_config c = base_config();
    size_t i;
    char first[4096];
    int n;
    c.arena_cap = 2048;
    setup(c);
    CHECK_EQ(PUB("TAG_CREATED", "proj-a"), 2);
    n = bh_sender_body(&S, &outbox[1], first, sizeof first);
    CHECK(n > 0);
    /* fill and free the arena many times over */
    for (i = 0; i < 40; i++) {
        CHECK_EQ(PUB("TODO_CREATED", "proj-a"), 1);
        CHECK_EQ(bh_sender_drop(&S, outbox[2].id), BH_OK);
    }
    {
        char again[4096];
        CHECK_EQ(bh_sender_body(&S, &outbox[1], again, sizeof again), n);
        CHECK(memcmp(first, again, (size_t)n) == 0);
    }
}

static void standard_headers_and_the_clock(void)
{
    bh_key k;
    setup(base_config());
    W[3].id = "hook-std";
    W[3].url = "http://std.example/";
    W[3].secret = "std-secret";
    W[3].enabled = 1;
    CHECK_EQ(bh_sender_add(&S, &W[3], BH_SEND_STANDARD), 3);
    wall_now = 0; /* an MCU just booted: 1970 */
    CHECK_EQ(PUB("TODO_CREATED", "proj-z"), 1);
    CHECK_EQ(bh_sender_poll(&S, 6000), 0);
    CHECK_EQ(nposts, 0);                         /* nothing sent unsigned */
    CHECK_EQ(outbox[0].last, BH_ECLOCK);
    CHECK_EQ(outbox[0].attempts, 0);
    wall_now = 1764288000;
    CHECK_EQ(bh_sender_poll(&S, 7000), 1);
    CHECK_EQ(nposts, 1);
    CHECK_STR(header(&posts[0], "webhook-id"), outbox[0].state ? "" : header(&posts[0], "X-Bluehook-Delivery"));
    CHECK_STR(header(&posts[0], "webhook-timestamp"), "1764288000");
    CHECK_EQ(bh_key_init_raw(&k, BH_SCHEME_STANDARD, "std-secret", 10), BH_OK);
    CHECK_EQ(bh_verify(&k, 1, posts[0].headers, posts[0].nheaders, posts[0].body,
                       posts[0].body_len, 1764288000, 0), BH_OK);
    CHECK_EQ(bh_key_init(&k, BH_SCHEME_BLUE, "std-secret", 10), BH_OK);
    CHECK_EQ(bh_verify(&k, 1, posts[0].headers, posts[0].nheaders, posts[0].body,
                       posts[0].body_len, 0, 0), BH_OK);
    /* the longest timestamp fits the sender's signature text too */
    wall_now = INT64_MAX;
    CHECK_EQ(PUB("TODO_CREATED", "proj-z"), 1);
    CHECK_EQ(bh_sender_poll(&S, 7000), 1);
    CHECK_EQ(nposts, 2);
    CHECK_EQ(posts[1].nheaders, 7);
    CHECK_STR(header(&posts[1], "webhook-timestamp"), "9223372036854775807");
    CHECK_EQ(bh_key_init_raw(&k, BH_SCHEME_STANDARD, "std-secret", 10), BH_OK);
    CHECK_EQ(bh_verify(&k, 1, posts[1].headers, posts[1].nheaders, posts[1].body,
                       posts[1].body_len, INT64_MAX, 0), BH_OK);
}

static void delivery_ids_unique(void)
{
    size_t i, j;
    setup(base_config());
    for (i = 0; i < 8; i++) CHECK_EQ(PUB("TAG_CREATED", "proj-a"), 2);
    for (i = 0; i < 16; i++) {
        CHECK_EQ(strlen(outbox[i].id), BH_DELIVERY_ID_LEN);
        CHECK(strncmp(outbox[i].id, "msg_", 4) == 0);
        for (j = 0; j < i; j++) CHECK(strcmp(outbox[i].id, outbox[j].id) != 0);
    }
}

static void bad_configuration(void)
{
    bh_sender_config c = base_config();
    bh_webhook w;
    c.transport = NULL;
    CHECK_EQ(bh_sender_init(&S, &c), BH_EINVAL);
    c = base_config();
    c.random = NULL;
    CHECK_EQ(bh_sender_init(&S, &c), BH_EINVAL);
    setup(base_config());
    memset(&w, 0, sizeof w);
    w.id = "x";
    CHECK_EQ(bh_sender_add(&S, &w, 0), BH_EINVAL);   /* no secret */
    w.secret = "";
    CHECK_EQ(bh_sender_add(&S, &w, 0), BH_EINVAL);
}

static void record_filters_narrow(void)
{
    static bh_json_tok toks[64];
    static bh_filter_node nodes[16];
    static const char done[] = "{\"id\":\"t1\",\"done\":true}";
    static const char open_[] = "{\"id\":\"t1\",\"done\":false}";
    bh_sender_config c = base_config();
    bh_filter f;
    CHECK_EQ(bh_filter_parse(&f, "changed /done && /done == true", 30, nodes, 16), BH_OK);
    setup(c);
    W[0].filter = &f;
    /* without token memory a filter cannot be evaluated */
    CHECK_EQ(bh_sender_publish(&S, 0, "TODO_DONE_STATUS_UPDATED", 24, "proj-a", 6,
                               open_, strlen(open_), done, strlen(done)), BH_EINVAL);
    CHECK_EQ(live(), 0);
    c.toks = toks;
    c.toks_cap = 64;
    setup(c);
    W[0].filter = &f;
    CHECK_EQ(bh_sender_publish(&S, 0, "TODO_DONE_STATUS_UPDATED", 24, "proj-a", 6,
                               open_, strlen(open_), done, strlen(done)), 1);
    CHECK_EQ(bh_sender_publish(&S, 0, "TODO_DONE_STATUS_UPDATED", 24, "proj-a", 6,
                               done, strlen(done), open_, strlen(open_)), 0);
    CHECK_EQ(bh_sender_publish(&S, 0, "TODO_DONE_STATUS_UPDATED", 24, "proj-a", 6,
                               done, strlen(done), done, strlen(done)), 0);
    CHECK_EQ(live(), 1);
    W[0].filter = NULL;
}

/* ---- restarts ---- */

static char jpath[64];
static uint8_t jbuf[32768];

static void restart_resumes_from_the_journal(void)
{
    bh_journal j;
    bh_store st;
    bh_sender_config c = base_config();
    char ids[3][BH_DELIVERY_ID_LEN + 1];
    size_t i, n = 0;
    unlink(jpath);
    CHECK_EQ(bh_journal_open(&j, jpath, jbuf, sizeof jbuf), BH_OK);
    st = bh_journal_store(&j);
    c.store = &st;
    setup(c);
    script[0] = 500;
    nscript = 1;
    CHECK_EQ(PUB("TAG_CREATED", "proj-a"), 2);
    CHECK_EQ(PUB("TODO_CREATED", "proj-a"), 1);
    CHECK_EQ(bh_sender_poll(&S, 6000), 3);  /* one 500, two delivered */
    for (i = 0; i < 16; i++)
        if (outbox[i].state) memcpy(ids[n++], outbox[i].id, BH_DELIVERY_ID_LEN + 1);
    CHECK_EQ(n, 1);
    CHECK_EQ(PUB("TAG_DELETED", "proj-b"), 1);
    memcpy(ids[n++], outbox[0].state && strcmp(outbox[0].id, ids[0]) ? outbox[0].id
                     : outbox[1].state && strcmp(outbox[1].id, ids[0]) ? outbox[1].id : outbox[2].id,
           BH_DELIVERY_ID_LEN + 1);
    bh_journal_close(&j);
    /* "restart": new memory, same webhooks, load */
    memset(outbox, 0xaa, sizeof outbox);
    memset(arena, 0xaa, sizeof arena);
    CHECK_EQ(bh_journal_open(&j, jpath, jbuf, sizeof jbuf), BH_OK);
    st = bh_journal_store(&j);
    c.store = &st;
    setup(c);
    CHECK_EQ(bh_sender_load(&S, 100), BH_OK);
    CHECK_EQ(live(), 2);
    for (i = 0; i < 2; i++) {
        bh_delivery *d = (bh_delivery *)(uintptr_t)bh__find(&S, ids[i]);
        CHECK(d != NULL);
        if (d) CHECK_EQ(d->attempts, i == 0 ? 1 : 0);
    }
    CHECK_EQ(bh_sender_compact(&S), BH_OK);
    CHECK_EQ(bh_sender_poll(&S, 100), 2);
    CHECK_EQ(live(), 0);
    bh_journal_close(&j);
    /* and after delivering everything, a restart has nothing to do */
    CHECK_EQ(bh_journal_open(&j, jpath, jbuf, sizeof jbuf), BH_OK);
    st = bh_journal_store(&j);
    c.store = &st;
    setup(c);
    CHECK_EQ(bh_sender_load(&S, 100), BH_OK);
    CHECK_EQ(live(), 0);
    bh_journal_close(&j);
    unlink(jpath);
}

int main(void)
{
    snprintf(jpath, sizeof jpath, "/tmp/bh-sender-%d.journal", (int)getpid());
    T_RUN(publish_reaches_the_subscribed);
    T_RUN(bodies_are_blue_payloads_and_signed);
    T_RUN(retries_count_and_spacing);
    T_RUN(dead_letter_policy);
    T_RUN(blue_policy_disables);
    T_RUN(full_outbox_and_arena);
    T_RUN(invalid_records_are_refused);
    T_RUN(arena_compaction_keeps_bodies);
    T_RUN(standard_headers_and_the_clock);
    T_RUN(delivery_ids_unique);
    T_RUN(bad_configuration);
    T_RUN(record_filters_narrow);
    T_RUN(restart_resumes_from_the_journal);
    return t_done();
}
