/* Subscription matching: one event against 10,000 webhooks with mixed
   events and projectIds (Blue's rule: enabled, events, projectIds).
   Reports decisions per second, the median of interleaved samples. */
#include "bench.h"
#define BLUEHOOK_IMPLEMENTATION
#include "../bluehook.h"

#define NHOOKS 10000
#define NPROJECTS 64

static char project_pool[NPROJECTS][26];
static bh_webhook hooks[NHOOKS];
static const char *project_lists[NHOOKS][6];
static unsigned long long rng = 0x243f6a8885a308d3ull;

static unsigned next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (unsigned)(rng >> 32);
}

/* A cuid-like id: "cl" and 23 base-36 characters. */
static void make_id(char out[26])
{
    static const char a[] = "0123456789abcdefghijklmnopqrstuvwxyz";
    int i;
    out[0] = 'c';
    out[1] = 'l';
    for (i = 2; i < 25; i++) out[i] = a[next() % 36];
    out[25] = '\0';
}

static void setup(void)
{
    size_t i, j;
    for (i = 0; i < NPROJECTS; i++) make_id(project_pool[i]);
    for (i = 0; i < NHOOKS; i++) {
        bh_webhook *w = &hooks[i];
        size_t ne = next() % 5 == 0 ? 0 : 1 + next() % 15;
        size_t np = next() % 5 == 0 ? 0 : 1 + next() % 5;
        memset(w, 0, sizeof *w);
        w->enabled = next() % 10 != 0;
        for (j = 0; j < ne; j++)
            bh_event_set_add(&w->events, (bh_event)(1 + next() % (BH_EVENT_COUNT - 1)));
        for (j = 0; j < np; j++) project_lists[i][j] = project_pool[next() % NPROJECTS];
        w->project_ids = project_lists[i];
        w->nproject_ids = np;
    }
}

struct query {
    bh_event event;
    const char *project;
    size_t len;
};
static struct query queries[256];

/* One iteration: one event against every webhook. */
static void match_all(void *arg, size_t iters)
{
    size_t n = 0, i;
    (void)arg;
    while (iters--) {
        const struct query *q = &queries[iters & 255];
        for (i = 0; i < NHOOKS; i++)
            n += (size_t)bh_webhook_subscribed(&hooks[i], q->event, q->project, q->len);
    }
    bench_sink += (unsigned)n;
}

/* A three-condition record filter on Blue's real delivery, parsed once. */
static bh_json filter_doc;
static bh_filter filter3;

static void eval_filter(void *arg, size_t iters)
{
    int n = 0;
    (void)arg;
    while (iters--) n += bh_filter_eval(&filter3, &filter_doc);
    bench_sink += (unsigned)n;
}

static int setup_filter(void)
{
    static char text[8192];
    static bh_json_tok toks[512];
    static bh_filter_node nodes[32];
    static const char expr[] =
        "/todoList/id == \"clakt9v5t000kvt64f563l90l\" && /done == false && "
        "$/event in [\"TODO_MOVED\", \"TODO_CREATED\"]";
    FILE *f = fopen("../shared/blue/todo_created.min.json", "rb");
    size_t n;
    if (!f) return 0;
    n = fread(text, 1, sizeof text, f);
    fclose(f);
    return bh_json_parse(&filter_doc, text, n, toks, 512) == BH_OK &&
           bh_filter_parse(&filter3, expr, sizeof expr - 1, nodes, 32) == BH_OK &&
           bh_filter_eval(&filter3, &filter_doc) == 1;
}

int main(void)
{
    bench_contender c[1];
    size_t i, hits = 0;
    setup();
    for (i = 0; i < 256; i++) {
        queries[i].event = (bh_event)(1 + next() % (BH_EVENT_COUNT - 1));
        queries[i].project = project_pool[next() % NPROJECTS];
        queries[i].len = 25;
    }
    for (i = 0; i < NHOOKS; i++)
        hits += (size_t)bh_webhook_subscribed(&hooks[i], queries[0].event,
                                              queries[0].project, 25);
    memset(c, 0, sizeof c);
    c[0].name = "bh_webhook_subscribed x 10000";
    c[0].run = match_all;
    bench_compare(c, 1, 15, 30e6);
    printf("subscription matching, %d webhooks (%zu subscribed to the first event)\n",
           NHOOKS, hits);
    printf("  %.1f ns per event, %.1f M decisions/s (median of 15)\n",
           c[0].median_ns, (double)NHOOKS / c[0].median_ns * 1e3);
    if (setup_filter()) {
        memset(c, 0, sizeof c);
        c[0].name = "bh_filter_eval";
        c[0].run = eval_filter;
        bench_compare(c, 1, 15, 20e6);
        printf("record filter, 3 conditions on the real 2.3 KB delivery (parsed once):\n"
               "  %.0f ns per payload (median of 15)\n", c[0].median_ns);
    }
    return 0;
}
