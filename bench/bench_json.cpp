/* JSON reading: bluehook against simdjson's DOM parser and cJSON, on the
   workload of a webhook receiver: parse the body, read "/event" and
   "/currentValue/todoList/project/id", and unescape both into a buffer.

   Inputs: the real Blue delivery (../shared/blue/todo_created.min.json,
   2.3 KB) and generated Blue-shaped payloads of 64 KB and 1 MB
   (bench/blue_payload.h). simdjson gets its best case: a pre-padded copy of
   the input and one parser reused for every document. cJSON allocates a
   tree per document and frees it. bluehook parses into a token array
   allocated once. "bluehook swar" is the same code built with
   BLUEHOOK_NO_ASM (bench/bench_json_swar.c).

   Medians of interleaved samples. The ratio is the median, over rounds, of
   the reference's time / bluehook's time in the same round (above 1 means
   bluehook is faster): on a loaded machine it moves much less than a ratio
   of medians. Built with plain -O2. */
#include "bench.h"
#define BLUEHOOK_IMPLEMENTATION
#include "../bluehook.h"
#include "blue_payload.h"

#include <cJSON.h>
#include <simdjson.h>

#include <string>
#include <vector>

extern "C" int bench_json_swar(const char *src, size_t len, void *toks,
                               size_t cap, char *a, char *b);

struct input {
    const char *name;
    std::string text;
    simdjson::padded_string padded;
    std::vector<bh_json_tok> toks;
};

static const char EVENT[] = "/event";
static const char PROJECT[] = "/currentValue/todoList/project/id";
static char out_a[256], out_b[256];

static void keep(void) { bench_sink += (unsigned char)out_a[0] + (unsigned char)out_b[0]; }

static int bluehook_once(input *in)
{
    bh_json doc;
    int a, b;
    if (bh_json_parse(&doc, in->text.data(), in->text.size(), in->toks.data(),
                      in->toks.size()) != BH_OK)
        return 0;
    a = bh_json_get(&doc, 0, EVENT);
    b = bh_json_get(&doc, 0, PROJECT);
    return bh_json_string(&doc, a, out_a, sizeof out_a) > 0 &&
           bh_json_string(&doc, b, out_b, sizeof out_b) > 0;
}

static void run_bluehook(void *arg, size_t n)
{
    input *in = (input *)arg;
    while (n--) {
        bluehook_once(in);
        keep();
    }
}

static void run_swar(void *arg, size_t n)
{
    input *in = (input *)arg;
    while (n--) {
        bench_json_swar(in->text.data(), in->text.size(), in->toks.data(),
                        in->toks.size(), out_a, out_b);
        keep();
    }
}

static simdjson::dom::parser sj_parser;

static int simdjson_once(input *in)
{
    simdjson::dom::element doc;
    std::string_view a, b;
    if (sj_parser.parse(in->padded).get(doc)) return 0;
    if (doc.at_pointer(EVENT).get_string().get(a)) return 0;
    if (doc.at_pointer(PROJECT).get_string().get(b)) return 0;
    if (a.size() >= sizeof out_a || b.size() >= sizeof out_b) return 0;
    memcpy(out_a, a.data(), a.size());
    out_a[a.size()] = '\0';
    memcpy(out_b, b.data(), b.size());
    out_b[b.size()] = '\0';
    return 1;
}

static void run_simdjson(void *arg, size_t n)
{
    input *in = (input *)arg;
    while (n--) {
        simdjson_once(in);
        keep();
    }
}

static int cjson_once(input *in)
{
    cJSON *root = cJSON_ParseWithLength(in->text.data(), in->text.size());
    cJSON *ev, *id;
    int ok = 0;
    if (!root) return 0;
    ev = cJSON_GetObjectItemCaseSensitive(root, "event");
    id = cJSON_GetObjectItemCaseSensitive(root, "currentValue");
    id = cJSON_GetObjectItemCaseSensitive(id, "todoList");
    id = cJSON_GetObjectItemCaseSensitive(id, "project");
    id = cJSON_GetObjectItemCaseSensitive(id, "id");
    if (cJSON_IsString(ev) && cJSON_IsString(id)) {
        snprintf(out_a, sizeof out_a, "%s", ev->valuestring);
        snprintf(out_b, sizeof out_b, "%s", id->valuestring);
        ok = 1;
    }
    cJSON_Delete(root);
    return ok;
}

static void run_cjson(void *arg, size_t n)
{
    input *in = (input *)arg;
    while (n--) {
        cjson_once(in);
        keep();
    }
}

static int load(input *in, const char *path)
{
    FILE *f = fopen(path, "rb");
    char buf[65536];
    size_t n;
    if (!f) return 0;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) in->text.append(buf, n);
    fclose(f);
    return 1;
}

static int generate(input *in, size_t size)
{
    std::vector<char> buf(size * 2 + 65536);
    int len = bp_generate(buf.data(), buf.size(), size);
    if (len < 0) return 0;
    in->text.assign(buf.data(), (size_t)len);
    return 1;
}

/* All three must read the same two strings, or the comparison is void. */
static int agree(input *in)
{
    std::string a, b;
    if (!bluehook_once(in)) return 0;
    a = out_a;
    b = out_b;
    memset(out_a, 0, sizeof out_a);
    if (!bench_json_swar(in->text.data(), in->text.size(), in->toks.data(),
                         in->toks.size(), out_a, out_b) ||
        a != out_a || b != out_b)
        return 0;
    memset(out_a, 0, sizeof out_a);
    if (!simdjson_once(in) || a != out_a || b != out_b) return 0;
    memset(out_a, 0, sizeof out_a);
    if (!cjson_once(in) || a != out_a || b != out_b) return 0;
    return 1;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* bench_compare, also keeping each round's samples in order: ratio[c] is
   the median over rounds of (contender c's time / contender 0's time) in
   the same round, which a machine whose load changes during the run moves
   much less than a ratio of medians. */
static void compare_paired(bench_contender *cs, size_t n, int rounds,
                           double sample_ns, double *ratio)
{
    static double t[4][64];
    double r[64];
    size_t i;
    int k;
    if (rounds > 64) rounds = 64;
    for (i = 0; i < n; i++) bench_calibrate(&cs[i], sample_ns);
    for (k = 0; k < rounds; k++)
        for (i = 0; i < n; i++) {
            double t0 = bench_now();
            cs[i].run(cs[i].arg, cs[i].iters);
            t[i][k] = (bench_now() - t0) / (double)cs[i].iters;
            cs[i].samples[k] = t[i][k];
        }
    for (i = 0; i < n; i++) {
        for (k = 0; k < rounds; k++) r[k] = t[i][k] / t[0][k];
        qsort(r, (size_t)rounds, sizeof r[0], cmp_double);
        ratio[i] = r[rounds / 2];
        qsort(cs[i].samples, (size_t)rounds, sizeof(double), cmp_double);
        cs[i].median_ns = cs[i].samples[rounds / 2];
    }
}

int main(int argc, char **argv)
{
    static input inputs[3];
    const char *real = argc > 1 ? argv[1] : "../shared/blue/todo_created.min.json";
    int rounds = argc > 2 ? atoi(argv[2]) : 63;
    size_t i, c;
    inputs[0].name = "real 2.3 KB";
    inputs[1].name = "generated 64 KB";
    inputs[2].name = "generated 1 MB";
    if (!load(&inputs[0], real)) {
        fprintf(stderr, "bench_json: cannot read %s\n", real);
        return 1;
    }
    if (!generate(&inputs[1], 65536) || !generate(&inputs[2], 1 << 20)) {
        fprintf(stderr, "bench_json: cannot generate the payloads\n");
        return 1;
    }
    printf("JSON parse + 2 pointer lookups + unescape: bluehook %s (%s) against "
           "simdjson %s (%s) and cJSON %d.%d.%d\n",
           BLUEHOOK_VERSION,
#if defined(BH__JSON_SSE2)
           "SSE2",
#elif defined(BH__JSON_NEON)
           "NEON",
#else
           "SWAR",
#endif
           SIMDJSON_STRINGIFY(SIMDJSON_VERSION), simdjson::get_active_implementation()->name().c_str(),
           CJSON_VERSION_MAJOR, CJSON_VERSION_MINOR, CJSON_VERSION_PATCH);
    printf("medians of %d interleaved samples; ratio = median over rounds of reference "
           "time / bluehook time\n\n",
           rounds);
    printf("%-16s %-16s %11s %9s %13s\n", "input", "contender", "time/op", "MB/s",
           "bluehook is");
    for (i = 0; i < 3; i++) {
        input *in = &inputs[i];
        bench_contender cs[4];
        double ratio[4];
        bh_json probe;
        in->padded = simdjson::padded_string(in->text);
        bh_json_parse(&probe, in->text.data(), in->text.size(), NULL, 0);
        in->toks.resize(probe.ntoks);
        if (!agree(in)) {
            fprintf(stderr, "bench_json: the parsers disagree on %s\n", in->name);
            return 1;
        }
        memset(cs, 0, sizeof cs);
        cs[0].name = "bluehook";
        cs[0].run = run_bluehook;
        cs[1].name = "bluehook swar";
        cs[1].run = run_swar;
        cs[2].name = "simdjson dom";
        cs[2].run = run_simdjson;
        cs[3].name = "cJSON";
        cs[3].run = run_cjson;
        for (c = 0; c < 4; c++) cs[c].arg = in;
        /* short samples, many rounds: a preempted sample moves no median */
        compare_paired(cs, 4, rounds, in->text.size() > 100000 ? 12e6 : 3e6, ratio);
        for (c = 0; c < 4; c++) {
            double ns = cs[c].median_ns;
            printf("%-16s %-16s %8.2f us %9.0f", in->name, cs[c].name, ns / 1e3,
                   (double)in->text.size() / ns * 1e3);
            if (c >= 2)
                printf(" %8.2fx", ratio[c]);
            printf("\n");
        }
        printf("\n");
    }
    return 0;
}
