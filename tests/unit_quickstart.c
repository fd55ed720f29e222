/* The manual's two quick starts ("Quick start: a receiver", "Quick start:
   a sender" at the top of bluehook.h), as written there, joined: the
   sender's transport hands each POST to the receiver. Keep them in step
   with the manual. */
#define T_SUITE "quickstart"
#define BLUEHOOK_IMPLEMENTATION
#include "../bluehook.h"
#include "t.h"

#include <time.h>

static const char *secret = "quick-start-secret";
static char seen_title[128];
static int answers[8], nanswers;

/* ---- the receiver, as in the manual ---- */
static bh_json_tok toks[4096];
static int on_created(void *ctx, const bh_received *r)
{
    char title[128];
    (void)ctx;
    bh_json_string(&r->doc, bh_json_get(&r->doc, r->payload.entity, "/title"), title,
                   sizeof title);
    memcpy(seen_title, title, sizeof title);
    return 0;
}
static bh_key key;
static bh_receiver rx;

static void receiver_setup(void)
{
    bh_key_init(&key, BH_SCHEME_BLUE, secret, strlen(secret));
    bh_receiver_init(&rx, BH_SCHEME_BLUE, &key, 1, toks, 4096);
    bh_receiver_on(&rx, BH_EVENT_TODO_CREATED, on_created, NULL);
}

/* The sender's transport: each POST goes to bh_receive. */
static int to_receiver(void *ctx, const bh_post *p)
{
    int status;
    (void)ctx;
    status = bh_receive(&rx, "POST", 4, p->headers, p->nheaders, (const char *)p->body,
                        p->body_len, (int64_t)time(NULL), NULL);
    if (nanswers < 8) answers[nanswers++] = status;
    return status;
}

static uint32_t my_random32(void *ctx)
{
    static uint32_t x = 12345;
    (void)ctx;
    x ^= x << 13, x ^= x >> 17, x ^= x << 5;
    return x;
}

/* ---- the sender, as in the manual ---- */
static bh_sender_hook states[8];
static bh_delivery outbox[256];
static uint8_t arena[256 << 10];
static char body[64 << 10];

static void sender_delivers_to_receiver(void)
{
    static const char record_json[] =
        "{\"id\":\"rec1\",\"title\":\"Ship the header\",\"done\":false}";
    const char *project_id = "proj1";
    bh_webhook hook = {0};
    bh_sender_config c = {0};
    bh_sender s;
    uint64_t now = 0;
    receiver_setup();
    hook.id = "wh1";
    hook.url = "http://10.0.0.5/in";
    hook.secret = secret;
    hook.enabled = 1;
    c.transport = to_receiver;
    c.random = my_random32;
    c.hooks = states;
    c.hooks_cap = 8;
    c.outbox = outbox;
    c.outbox_cap = 256;
    c.arena = arena;
    c.arena_cap = sizeof arena;
    c.body = body;
    c.body_cap = sizeof body;
    CHECK_EQ(bh_sender_init(&s, &c), BH_OK);
    CHECK_EQ(bh_sender_add(&s, &hook, 0), 0);
    CHECK_EQ(bh_sender_publish(&s, now, "TODO_CREATED", 12, project_id, strlen(project_id),
                               NULL, 0, record_json, sizeof record_json - 1),
             1);
    CHECK_EQ(bh_sender_poll(&s, now), 0); /* Blue waits 5 s first */
    now = bh_sender_next_due(&s);
    CHECK(now >= 5000 && now != UINT64_MAX);
    CHECK_EQ(bh_sender_poll(&s, now), 1);
    CHECK_EQ(nanswers, 1);
    CHECK_EQ(answers[0], 200);
    CHECK_STR(seen_title, "Ship the header");
    CHECK(bh_sender_next_due(&s) == UINT64_MAX);
    CHECK_EQ(hook.status, BH_STATUS_HEALTHY);
}

int main(void)
{
    T_RUN(sender_delivers_to_receiver);
    return t_done();
}
