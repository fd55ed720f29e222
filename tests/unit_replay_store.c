/* The replay store interface (bh_replay_store) under bh_receive, with a
   fake store that records its calls and answers what it is told: new,
   duplicate, in flight, full, unavailable; commit and release after the
   handler, their failures; and bh_replay_store_local, which must behave
   as rx.replay does. */
#define T_SUITE "replay_store"
#define BLUEHOOK_IMPLEMENTATION
#include "../bluehook.h"
#include "t.h"

#define S(lit) lit, (sizeof lit - 1)
#define NOW 1700000000

static const char body_a[] =
    "{\"event\":\"TODO_CREATED\",\"webhook\":{},\"currentValue\":{\"id\":\"a\"}}";
static const char body_b[] =
    "{\"event\":\"TODO_DELETED\",\"webhook\":{},\"previousValue\":{\"id\":\"b\"}}";

static bh_json_tok toks[512];
static bh_key key;
static bh_receiver rx;
static int calls, handler_result;

static int handler(void *ctx, const bh_received *r)
{
    (void)ctx;
    (void)r;
    calls++;
    return handler_result;
}

/* ---- the fake store -------------------------------------------------- */

struct fake {
    int reserve_result, commit_result, release_result;
    int reserves, commits, releases;
    bh_replay_id last;  /* the id of the last call */
    int64_t last_now;
};
static struct fake F;

static void note(struct fake *f, const bh_replay_id *id, int64_t now)
{
    f->last = *id;
    f->last_now = now;
}

static int fake_reserve(void *ctx, const bh_replay_id *id, int64_t now)
{
    struct fake *f = (struct fake *)ctx;
    f->reserves++;
    note(f, id, now);
    return f->reserve_result;
}

static int fake_commit(void *ctx, const bh_replay_id *id, int64_t now)
{
    struct fake *f = (struct fake *)ctx;
    f->commits++;
    note(f, id, now);
    return f->commit_result;
}

static int fake_release(void *ctx, const bh_replay_id *id, int64_t now)
{
    struct fake *f = (struct fake *)ctx;
    f->releases++;
    note(f, id, now);
    return f->release_result;
}

static bh_replay_store store;

/* A Blue receiver whose replay store is the fake one. */
static void setup(void)
{
    memset(&F, 0, sizeof F);
    calls = 0;
    handler_result = 0;
    bh_key_init(&key, BH_SCHEME_BLUE, "k", 1);
    bh_receiver_init(&rx, BH_SCHEME_BLUE, &key, 1, toks, 512);
    bh_receiver_on(&rx, BH_EVENT_UNKNOWN, handler, NULL);
    store.reserve = fake_reserve;
    store.commit = fake_commit;
    store.release = fake_release;
    store.ctx = &F;
    rx.replay_store = &store;
}

/* POST body signed with the receiver's key. */
static int post(const char *body, size_t len, bh_outcome *o)
{
    bh_header h[2];
    char buf[128];
    int n;
    h[0].name = "Content-Type";
    h[0].name_len = 12;
    h[0].value = "application/json";
    h[0].value_len = 16;
    n = bh_sign(&key, NULL, 0, body, len, h + 1, 1, buf, sizeof buf);
    return bh_receive(&rx, "POST", 4, h, n == 1 ? 2 : 1, body, len, NOW, o);
}

/* ---- the pipeline over a store ------------------------------------- */

static void new_then_commit(void)
{
    bh_outcome o;
    setup();
    CHECK_EQ(post(S(body_a), &o), 200);
    CHECK_EQ(o.result, BH_RX_HANDLED);
    CHECK_EQ(o.err, BH_OK);
    CHECK_STR(o.reason, "handled");
    CHECK_EQ(calls, 1);
    CHECK_EQ(F.reserves, 1);
    CHECK_EQ(F.commits, 1);
    CHECK_EQ(F.releases, 0);
    CHECK_EQ(F.last_now, NOW);
    CHECK_EQ(F.last.window_s, BH_REPLAY_WINDOW_NO_TIMESTAMP);
    /* without a handler the id is committed as well */
    bh_receiver_on(&rx, BH_EVENT_UNKNOWN, NULL, NULL);
    CHECK_EQ(post(S(body_a), &o), 200);
    CHECK_EQ(o.result, BH_RX_UNHANDLED);
    CHECK_EQ(F.commits, 2);
}

static void the_same_id_throughout(void)
{
    bh_outcome o;
    bh_replay_id reserved;
    setup();
    post(S(body_a), &o);
    reserved = F.last; /* the commit's */
    handler_result = 500;
    post(S(body_a), &o);
    CHECK_MEM(F.last.digest, reserved.digest, 16); /* the release's */
    post(S(body_b), &o);
    CHECK(memcmp(F.last.digest, reserved.digest, 16) != 0);
}

static void store_unavailable(void)
{
    bh_outcome o;
    char out[BH_RESPONSE_MAX];
    setup();
    F.reserve_result = BH_EUNAVAILABLE;
    CHECK_EQ(post(S(body_a), &o), 503);
    CHECK_EQ(o.result, BH_RX_UNAVAILABLE);
    CHECK_EQ(o.err, BH_EUNAVAILABLE);
    CHECK_STR(o.reason, "replay store unavailable");
    CHECK_STR(bh_rx_result_name(BH_RX_UNAVAILABLE), "unavailable");
    CHECK_EQ(calls, 0);
    CHECK_EQ(F.commits + F.releases, 0);
    /* any answer but the four is unavailable too: never dispatched */
    F.reserve_result = BH_EIO;
    CHECK_EQ(post(S(body_a), &o), 503);
    CHECK_EQ(o.err, BH_EIO);
    F.reserve_result = 1;
    CHECK_EQ(post(S(body_a), &o), 503);
    CHECK_EQ(o.result, BH_RX_UNAVAILABLE);
    F.reserve_result = BH_EINVAL;
    CHECK_EQ(post(S(body_a), &o), 503);
    CHECK_EQ(calls, 0);
    CHECK_EQ(F.commits + F.releases, 0);
    /* served over HTTP: 503 with Retry-After */
    {
        static char req[1024];
        bh_header hh[16], sig[1];
        bh_http_parser p;
        bh_served s;
        char sbuf[128];
        int n = bh_sign(&key, NULL, 0, S(body_a), sig, 1, sbuf, sizeof sbuf);
        int len = snprintf(req, sizeof req,
                           "POST / HTTP/1.1\r\nHost: x\r\n"
                           "Content-Type: application/json\r\n"
                           "X-Signature: %.*s\r\nContent-Length: %u\r\n\r\n%s",
                           n == 1 ? (int)sig[0].value_len : 0, sbuf,
                           (unsigned)(sizeof body_a - 1), body_a);
        bh_http_init(&p, hh, 16);
        CHECK_EQ(bh_receiver_serve(&rx, &p, req, (size_t)len, sizeof req, NOW,
                                   out, sizeof out, &s),
                 BH_OK);
        out[s.out_len < sizeof out ? s.out_len : sizeof out - 1] = '\0';
        CHECK(strncmp(out, "HTTP/1.1 503 ", 13) == 0);
        CHECK(strstr(out, "\r\nRetry-After: 1\r\n") != NULL);
        CHECK_EQ(s.outcome.result, BH_RX_UNAVAILABLE);
    }
    CHECK_EQ(calls, 0);
}

static void in_flight_duplicate_full(void)
{
    bh_outcome o;
    setup();
    F.reserve_result = BH_EINFLIGHT;
    CHECK_EQ(post(S(body_a), &o), 409);
    CHECK_EQ(o.result, BH_RX_IN_FLIGHT);
    F.reserve_result = BH_EREPLAY;
    CHECK_EQ(post(S(body_a), &o), 200);
    CHECK_EQ(o.result, BH_RX_DUPLICATE);
    CHECK_EQ(o.err, BH_EREPLAY);
    F.reserve_result = BH_EREPLAYFULL;
    CHECK_EQ(post(S(body_a), &o), 503);
    CHECK_EQ(o.result, BH_RX_BUSY);
    CHECK_EQ(calls, 0);
    CHECK_EQ(F.reserves, 3);
    CHECK_EQ(F.commits + F.releases, 0);
}

static void handler_failure_releases(void)
{
    bh_outcome o;
    setup();
    handler_result = -7;
    CHECK_EQ(post(S(body_a), &o), 500);
    CHECK_EQ(o.result, BH_RX_FAILED);
    CHECK_EQ(o.err, -7);
    CHECK_STR(o.reason, "handler failed");
    CHECK_EQ(F.releases, 1);
    CHECK_EQ(F.commits, 0);
    handler_result = 502;
    CHECK_EQ(post(S(body_a), &o), 502);
    CHECK_EQ(F.releases, 2);
    /* a release that fails: the same answer, another reason */
    F.release_result = BH_EUNAVAILABLE;
    CHECK_EQ(post(S(body_a), &o), 502);
    CHECK_EQ(o.result, BH_RX_FAILED);
    CHECK_EQ(o.err, 502);
    CHECK_STR(o.reason, "handler failed; release failed");
    CHECK_EQ(F.commits, 0);
}

static void commit_failure_still_200(void)
{
    bh_outcome o;
    setup();
    F.commit_result = BH_EUNAVAILABLE;
    CHECK_EQ(post(S(body_a), &o), 200);
    CHECK_EQ(o.result, BH_RX_HANDLED);
    CHECK_EQ(o.err, BH_EUNAVAILABLE);
    CHECK_STR(o.reason, "handled; commit failed");
    CHECK_EQ(calls, 1);
    CHECK_EQ(F.releases, 0);
}

static void refused_requests_never_reach_it(void)
{
    bh_outcome o;
    bh_header h = {"X-Signature", 11, "00", 2};
    setup();
    CHECK_EQ(bh_receive(&rx, "POST", 4, &h, 1, S(body_a), NOW, &o), 401);
    CHECK_EQ(post(S("[1]"), &o), 400);
    CHECK_EQ(bh_receive(&rx, "GET", 3, NULL, 0, NULL, 0, NOW, &o), 405);
    bh_event_set_add(&rx.events, BH_EVENT_TODO_MOVED);
    CHECK_EQ(post(S(body_a), &o), 200);
    CHECK_EQ(o.result, BH_RX_FILTERED);
    CHECK_EQ(F.reserves + F.commits + F.releases, 0);
}

static void store_wins_and_must_be_whole(void)
{
    static bh_replay_slot slots[4];
    bh_replay cache;
    bh_replay_id id;
    bh_outcome o;
    setup();
    bh_replay_init(&cache, slots, 4);
    rx.replay = &cache;
    CHECK_EQ(post(S(body_a), &o), 200);
    CHECK_EQ(F.reserves, 1);
    /* the cache was not used: the id is not in it */
    id = F.last;
    CHECK_EQ(bh_replay_reserve(&cache, &id, NOW), BH_OK);
    /* a store without one of its calls is a receiver not set up */
    store.release = NULL;
    CHECK_EQ(post(S(body_a), &o), 500);
    CHECK_EQ(o.result, BH_RX_ERROR);
    CHECK_EQ(o.err, BH_EINVAL);
    CHECK_EQ(calls, 1);
}

/* ---- bh_replay_store_local ------------------------------------------ */

struct step {
    const char *body;
    int handler_result;
};

/* Run the same steps through rx.replay and through the local store over
   a fresh cache of the same size: the same answers, the same calls. */
static void local_like_replay(void)
{
    static const struct step steps[] = {
        {body_a, 500}, {body_a, 0},   {body_a, 0}, {body_b, 503},
        {body_b, 0},   {body_b, 500}, {body_a, 0}, {body_b, 0},
    };
    static bh_replay_slot slots[2][4];
    bh_replay cache[2];
    bh_replay_store local;
    bh_outcome o[2];
    int status[2], n[2];
    size_t i, k;
    CHECK_EQ(bh_replay_store_local(NULL, &cache[0]), BH_EINVAL);
    CHECK_EQ(bh_replay_store_local(&local, NULL), BH_EINVAL);
    CHECK(local.reserve == NULL && local.ctx == NULL);
    setup();
    bh_replay_init(&cache[0], slots[0], 4);
    bh_replay_init(&cache[1], slots[1], 4);
    CHECK_EQ(bh_replay_store_local(&local, &cache[1]), BH_OK);
    CHECK(local.ctx == &cache[1]);
    for (i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        for (k = 0; k < 2; k++) {
            rx.replay = k == 0 ? &cache[0] : NULL;
            rx.replay_store = k == 0 ? NULL : &local;
            handler_result = steps[i].handler_result;
            calls = 0;
            status[k] = post(steps[i].body, strlen(steps[i].body), &o[k]);
            n[k] = calls;
        }
        CHECK_EQ(status[0], status[1]);
        CHECK_EQ(o[0].result, o[1].result);
        CHECK_EQ(o[0].err, o[1].err);
        CHECK_EQ(n[0], n[1]);
    }
    CHECK_EQ(o[1].result, BH_RX_DUPLICATE);
    CHECK_MEM(slots[0], slots[1], sizeof slots[0]);
    /* in flight, through the adapter */
    {
        bh_replay_id id;
        bh_replay_id_init(&id, NULL, NULL, 0, "x", 1, 0);
        CHECK_EQ(local.reserve(local.ctx, &id, NOW), BH_OK);
        CHECK_EQ(local.reserve(local.ctx, &id, NOW), BH_EINFLIGHT);
        CHECK_EQ(local.release(local.ctx, &id, NOW), BH_OK);
        CHECK_EQ(local.release(local.ctx, &id, NOW), BH_ENOTRESERVED);
        CHECK_EQ(local.commit(local.ctx, &id, NOW), BH_ENOTRESERVED);
    }
}

int main(void)
{
    T_RUN(new_then_commit);
    T_RUN(the_same_id_throughout);
    T_RUN(store_unavailable);
    T_RUN(in_flight_duplicate_full);
    T_RUN(handler_failure_releases);
    T_RUN(commit_failure_still_200);
    T_RUN(refused_requests_never_reach_it);
    T_RUN(store_wins_and_must_be_whole);
    T_RUN(local_like_replay);
    return t_done();
}
