/* End-to-end deliveries per second over loopback: bh_sender publishes
   Blue's real record (a fresh record id each time, so no delivery is a
   duplicate) to one webhook, and bh_transport_socket delivers each one to
   `bluehook listen`, which verifies, parses, checks and prints it (to a
   file). One connection per delivery, as the socket transport makes them.
   Against node doing the same in the same run: JSON.stringify + createHmac
   and http.request without keep-alive, one delivery after another
   (bench/bench_e2e.mjs), to the same listen. ROUNDS rounds (5) of N
   deliveries (2000) each, interleaved; medians and the ratio.
   Not a test: make bench runs it. */
#include "bench.h"
#define BLUEHOOK_IMPLEMENTATION
#include "../bluehook.h"

#include <signal.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#define SECRET "bench-e2e-secret"
#define OUTBOX 256

static bh_webhook hook;
static bh_sender_hook state;
static bh_delivery outbox[OUTBOX];
static uint8_t arena[4 << 20];
static char body[64 << 10];
static char record[16 << 10];
static char url[64];
static bh_sender sender;
static unsigned long ok, failed;
static const char *rec_tail; /* the real record after its '{' */
static size_t rec_tail_len;

static int counting_transport(void *ctx, const bh_post *p)
{
    int rc = bh_transport_socket(ctx, p);
    if (rc >= 200 && rc < 300) ok++;
    else failed++;
    return rc;
}

static uint32_t rnd(void *ctx)
{
    static uint32_t x = 7;
    (void)ctx;
    x = x * 1664525u + 1013904223u;
    return x;
}

static double median_of(const double *v, size_t n)
{
    double c[64];
    memcpy(c, v, n * sizeof *v);
    qsort(c, n, sizeof *c, bench_cmp);
    return n % 2 ? c[n / 2] : (c[n / 2 - 1] + c[n / 2]) / 2;
}

static uint64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static void setup_sender(void)
{
    bh_sender_config c;
    memset(&c, 0, sizeof c);
    c.transport = counting_transport;
    c.random = rnd;
    c.first_delay_ms = BH_NO_DELAY;
    c.timeout_ms = 2000;
    c.hooks = &state;
    c.hooks_cap = 1;
    c.outbox = outbox;
    c.outbox_cap = OUTBOX;
    c.arena = arena;
    c.arena_cap = sizeof arena;
    c.body = body;
    c.body_cap = sizeof body;
    bh_sender_init(&sender, &c);
    hook.id = "hook-e2e";
    hook.name = "bench";
    hook.url = url;
    hook.secret = SECRET;
    hook.enabled = 1;
    bh_sender_add(&sender, &hook, 0);
}

/* Publish n events, a batch at a time, and deliver them all. */
static double deliver(size_t n)
{
    static unsigned long seq;
    double t0 = bench_now();
    size_t done = 0;
    while (done < n) {
        size_t batch = n - done < OUTBOX ? n - done : OUTBOX;
        size_t i;
        for (i = 0; i < batch; i++) {
            int len = snprintf(record, sizeof record, "{\"seq\":%lu,%.*s", ++seq,
                               (int)rec_tail_len, rec_tail);
            bh_sender_publish(&sender, now_ms(), "TODO_CREATED", 12, NULL, 0, NULL, 0,
                              record, (size_t)len);
        }
        while (bh_sender_next_due(&sender) != UINT64_MAX)
            bh_sender_poll(&sender, now_ms());
        done += batch;
    }
    return bench_now() - t0;
}

static double node_round(const char *file, uint16_t port, size_t n)
{
    char cmd[512];
    double v = 0;
    FILE *p;
    snprintf(cmd, sizeof cmd, "node bench/bench_e2e.mjs %s %u %s %zu 2>/dev/null", file,
             (unsigned)port, SECRET, n);
    p = popen(cmd, "r");
    if (!p) return 0;
    if (fscanf(p, "%lf", &v) != 1) v = 0;
    pclose(p);
    return v;
}

/* Start `build/bluehook listen --port 0`, its output in a file; its port. */
static pid_t start_listen(const char *out, uint16_t *port)
{
    struct timespec tick = {0, 20000000};
    pid_t pid = fork();
    int i;
    if (pid == 0) {
        if (!freopen(out, "w", stdout) || !freopen("/dev/null", "w", stderr)) _exit(127);
        execl("build/bluehook", "bluehook", "listen", "--port", "0", "--secret", SECRET,
              (char *)NULL);
        _exit(127);
    }
    for (i = 0; i < 200 && pid > 0; i++) {
        unsigned p = 0;
        FILE *f = fopen(out, "r");
        int got = f && fscanf(f, "%u", &p) == 1;
        if (f) fclose(f);
        if (got && p > 0 && p < 65536) {
            *port = (uint16_t)p;
            return pid;
        }
        nanosleep(&tick, NULL);
    }
    if (pid > 0) kill(pid, SIGTERM);
    return -1;
}

int main(void)
{
    static char text[16 << 10];
    static bh_json_tok toks[1024];
    const char *file = "../shared/blue/todo_created.min.json";
    const char *rounds_env = getenv("ROUNDS"), *n_env = getenv("N");
    size_t rounds = rounds_env ? (size_t)atoi(rounds_env) : 5;
    size_t n = n_env ? (size_t)atoi(n_env) : 2000, r;
    double mine[64], theirs[64], ratio[64];
    int have_node = system("node --version >/dev/null 2>&1") == 0;
    bh_json doc;
    uint16_t port = 0;
    pid_t pid;
    size_t len, k = 0;
    FILE *f = fopen(file, "rb");
    if (!f) return 1;
    len = fread(text, 1, sizeof text, f);
    fclose(f);
    if (bh_json_parse(&doc, text, len, toks, 1024) != BH_OK) return 1;
    rec_tail = bh_json_raw(&doc, bh_json_get(&doc, 0, "/currentValue"), &rec_tail_len);
    rec_tail++, rec_tail_len--;
    if (rounds < 1 || rounds > 64 || n < 1) return 1;
    pid = start_listen("build/bench-e2e-listen.out", &port);
    if (pid < 0) {
        fprintf(stderr, "bench_e2e: bluehook listen did not start (make)\n");
        return 1;
    }
    snprintf(url, sizeof url, "http://127.0.0.1:%u/hook", (unsigned)port);
    setup_sender();
    deliver(200); /* warm up */
    printf("end to end over loopback to bluehook listen (verify, parse, print), "
           "%zu deliveries a round, one connection each\n", n);
    for (r = 0; r < rounds; r++) {
        mine[r] = deliver(n) / (double)n;
        theirs[r] = have_node ? node_round(file, port, n) : 0;
        if (theirs[r] > 0) ratio[k++] = theirs[r] / mine[r];
    }
    kill(pid, SIGTERM);
    waitpid(pid, NULL, 0);
    (void)bench_compare;
    printf("  bluehook sender      %8.0f deliveries/s  (median of %zu rounds)\n",
           1e9 / median_of(mine, rounds), rounds);
    if (k > 0) {
        double per_node[64];
        size_t j = 0;
        for (r = 0; r < rounds; r++)
            if (theirs[r] > 0) per_node[j++] = theirs[r];
        printf("  node (http, no keep-alive)  %8.0f deliveries/s\n", 1e9 / median_of(per_node, j));
        printf("  ratio bluehook/node  %8.2fx  (median of the per-round ratios)\n",
               median_of(ratio, k));
    } else {
        printf("  node: not installed\n");
    }
    printf("  %lu delivered with 2xx, %lu attempts failed\n", ok, failed);
    return failed == 0 ? 0 : 1;
}
