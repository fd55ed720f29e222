/* The sender's throughput: publish one event (Blue's real record) to 1, 10
   and 100 webhooks and make every attempt through a null transport, so each
   event costs building the payload once, a webhook object per delivery,
   composing each body and signing it. Against node doing the same work
   (JSON.stringify + createHmac per webhook), in the same run. */
#include "bench.h"
#define BLUEHOOK_IMPLEMENTATION
#include "../bluehook.h"

#define MAXHOOKS 100
static bh_webhook hooks[MAXHOOKS];
static bh_sender_hook states[MAXHOOKS];
static bh_delivery outbox[MAXHOOKS];
static uint8_t arena[1 << 20];
static char body[64 << 10];
static char ids[MAXHOOKS][16], urls[MAXHOOKS][40], secrets[MAXHOOKS][16];
static bh_sender sender;
static const char *record;
static size_t record_len;
static unsigned long delivered;

static int null_transport(void *ctx, const bh_post *p)
{
    (void)ctx;
    delivered += p->body_len != 0;
    return 200;
}

static uint32_t rnd(void *ctx)
{
    static uint32_t x = 1;
    (void)ctx;
    x = x * 1664525u + 1013904223u;
    return x;
}

static void setup(size_t n)
{
    bh_sender_config c;
    size_t i;
    memset(&c, 0, sizeof c);
    c.transport = null_transport;
    c.random = rnd;
    c.first_delay_ms = BH_NO_DELAY;
    c.hooks = states;
    c.hooks_cap = MAXHOOKS;
    c.outbox = outbox;
    c.outbox_cap = MAXHOOKS;
    c.arena = arena;
    c.arena_cap = sizeof arena;
    c.body = body;
    c.body_cap = sizeof body;
    bh_sender_init(&sender, &c);
    for (i = 0; i < n; i++) {
        memset(&hooks[i], 0, sizeof hooks[i]);
        snprintf(ids[i], sizeof ids[i], "hook-%zu", i);
        snprintf(urls[i], sizeof urls[i], "http://127.0.0.1/%zu", i);
        snprintf(secrets[i], sizeof secrets[i], "secret-%zu", i);
        hooks[i].id = ids[i];
        hooks[i].name = "bench";
        hooks[i].url = urls[i];
        hooks[i].secret = secrets[i];
        hooks[i].enabled = 1;
        bh_sender_add(&sender, &hooks[i], 0);
    }
}

static void publish(void *arg, size_t iters)
{
    (void)arg;
    while (iters--) {
        bh_sender_publish(&sender, 0, "TODO_CREATED", 12, NULL, 0, NULL, 0, record, record_len);
        bh_sender_poll(&sender, 0);
    }
}

static double node_ns(size_t n)
{
    char cmd[256];
    double v = 0;
    FILE *p;
    snprintf(cmd, sizeof cmd, "node bench/bench_publish.mjs ../shared/blue/todo_created.min.json %zu 2>/dev/null", n);
    p = popen(cmd, "r");
    if (!p) return 0;
    if (fscanf(p, "%lf", &v) != 1) v = 0;
    pclose(p);
    return v;
}

int main(void)
{
    static char text[8192];
    static bh_json_tok toks[512];
    static const size_t counts[] = {1, 10, 100};
    bh_json doc;
    size_t k, n;
    FILE *f = fopen("../shared/blue/todo_created.min.json", "rb");
    if (!f) return 1;
    n = fread(text, 1, sizeof text, f);
    fclose(f);
    if (bh_json_parse(&doc, text, n, toks, 512) != BH_OK) return 1;
    record = bh_json_raw(&doc, bh_json_get(&doc, 0, "/currentValue"), &record_len);
    printf("publish + sign + (null) deliver, Blue's real record (%zu B), SHA-256: %s\n",
           record_len, bh_sha256_backend());
    printf("%-10s %14s %14s %14s %8s\n", "webhooks", "bluehook/event", "events/s", "node/event", "ratio");
    for (k = 0; k < 3; k++) {
        bench_contender c;
        double nn;
        memset(&c, 0, sizeof c);
        c.name = "publish";
        c.run = publish;
        setup(counts[k]);
        bench_compare(&c, 1, 15, 20e6);
        nn = node_ns(counts[k]);
        printf("%-10zu %11.2f us %14.0f ", counts[k], c.median_ns / 1e3, 1e9 / c.median_ns);
        if (nn > 0) printf("%11.2f us %7.2fx\n", nn / 1e3, nn / c.median_ns);
        else printf("%14s\n", "(no node)");
    }
    return delivered ? 0 : 1;
}
