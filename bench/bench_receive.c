/* Receiving one Blue delivery (the real 2.3 KB body,
   ../shared/blue/todo_created.min.json), without HTTP:

   - the whole receive, as issue 4 defines it: verify the X-Signature, parse
     the body, read /event and /currentValue/todoList/project/id; bluehook
     (bh_verify, bh_json_parse into caller tokens, bh_json_get) against
     OpenSSL's reused EVP_MAC + simdjson's DOM (bench/receive_simdjson.cpp;
     both at their fastest: a reused MAC context, a reused parser, a
     pre-padded buffer) and node's createHmac + timingSafeEqual +
     JSON.parse (bench/bench_receive.mjs, in the same run);
   - the pipeline's cost per request: bh_receive (method, media type,
     verify, parse, Blue shape, event name, subscription, dispatch to a
     handler that reads the project id), without a replay cache and with
     a full one (reserve and commit scan its 1024 slots), and
     bh_receiver_serve (the HTTP parser, the pipeline, the answer written)
     on the raw request bytes.

   Medians of interleaved samples. */
#include "bench.h"
#define BLUEHOOK_IMPLEMENTATION
#include "../bluehook.h"

#define BODY_PATH "../shared/blue/todo_created.min.json"
static const char SECRET[] = "a-blue-webhook-secret-of-32-byte";

static char *body; /* in a buffer padded for simdjson */
static size_t body_len;
static char sig_hex[65];
static bh_key key;
static bh_header headers[6];
static bh_json_tok toks[512];

static void set_header(bh_header *h, const char *name, const char *value)
{
    h->name = name;
    h->name_len = strlen(name);
    h->value = value;
    h->value_len = strlen(value);
}

/* ---- the whole receive ---- */

static void bluehook_receive(void *arg, size_t n)
{
    bh_json doc;
    (void)arg;
    while (n--) {
        int e, p;
        if (bh_verify(&key, 1, headers, 6, body, body_len, 0, 0) != BH_OK ||
            bh_json_parse(&doc, body, body_len, toks, 512) != BH_OK)
            continue;
        e = bh_json_get(&doc, 0, "/event");
        p = bh_json_get(&doc, 0, "/currentValue/todoList/project/id");
        bench_sink += (unsigned)(e + p);
    }
}

#ifdef BH_HAVE_SIMDJSON
size_t sj_padding(void);
void sj_setup(const char *secret, size_t len);
int sj_receive(const char *b, size_t len, const char *sig, size_t *elen, size_t *plen);

static void simdjson_receive(void *arg, size_t n)
{
    (void)arg;
    while (n--) {
        const bh_header *h = bh_header_find(headers, 6, "X-Signature");
        size_t e = 0, p = 0;
        bench_sink += (unsigned)(h && sj_receive(body, body_len, h->value, &e, &p)) + (unsigned)(e + p);
    }
}
#endif

/* ---- the pipeline ---- */

static bh_receiver rx, rxc; /* without and with a replay cache */
static bh_replay cache;
static bh_replay_slot slots[1024];
static size_t free_slot;

static int on_event(void *ctx, const bh_received *r)
{
    (void)ctx;
    bench_sink += (unsigned)bh_payload_project_id(&r->payload, &r->doc);
    return 0;
}

static void pipeline(void *arg, size_t n)
{
    bh_outcome o;
    (void)arg;
    while (n--) bench_sink += (unsigned)bh_receive(&rx, "POST", 4, headers, 6, body, body_len, 0, &o);
}

/* A cache of 1024 slots, 1023 of them holding other ids: each request
   scans them all to reserve, and again to commit; then its slot is freed
   by hand so the next request is new too. */
static void fill_cache(void)
{
    size_t i;
    char id[16];
    bh_replay_init(&cache, slots, 1024);
    for (i = 0; i < 1023; i++) {
        bh_replay_id r;
        snprintf(id, sizeof id, "other-%zu", i);
        bh_replay_id_init(&r, NULL, NULL, 0, id, strlen(id), 0);
        bh_replay_reserve(&cache, &r, 0);
        bh_replay_commit(&cache, &r);
    }
    for (free_slot = 0; slots[free_slot].state; free_slot++) continue;
}

static void pipeline_cached(void *arg, size_t n)
{
    bh_outcome o;
    (void)arg;
    while (n--) {
        bench_sink += (unsigned)bh_receive(&rxc, "POST", 4, headers, 6, body, body_len, 0, &o);
        memset(&slots[free_slot], 0, sizeof slots[free_slot]);
    }
}

static char request[8192], work[8192];
static size_t request_len;
static bh_header hdrs[32];
static bh_http_parser parser;

static void serve(void *arg, size_t n)
{
    char out[BH_RESPONSE_MAX];
    bh_served s;
    (void)arg;
    while (n--) {
        memcpy(work, request, request_len); /* a fresh read() */
        bh_receiver_serve(&rx, &parser, work, request_len, sizeof work, 0, out, sizeof out, &s);
        bench_sink += (unsigned)s.out_len;
    }
}

static void copy_only(void *arg, size_t n)
{
    (void)arg;
    while (n--) {
        memcpy(work, request, request_len);
        bench_sink += (unsigned char)work[n % request_len];
    }
}

/* node's median ns per receive, or 0 when node cannot run it. */
static double node_receive_ns(void)
{
    char cmd[512];
    double ns = 0;
    FILE *p;
    snprintf(cmd, sizeof cmd, "node bench/bench_receive.mjs '%s' '%s' '%s' 2>/dev/null",
             BODY_PATH, SECRET, sig_hex);
    p = popen(cmd, "r");
    if (!p) return 0;
    if (fscanf(p, "%lf", &ns) != 1) ns = 0;
    pclose(p);
    return ns;
}

static int load(void)
{
    FILE *f = fopen(BODY_PATH, "rb");
    size_t pad = 64;
    bh_header out[1];
    char buf[128];
#ifdef BH_HAVE_SIMDJSON
    pad = sj_padding();
#endif
    body = (char *)calloc(1, 8192 + pad);
    if (!f || !body) return 0;
    body_len = fread(body, 1, 8192, f);
    fclose(f);
    bh_key_init(&key, BH_SCHEME_BLUE, SECRET, sizeof SECRET - 1);
    bh_sign(&key, NULL, 0, body, body_len, out, 1, buf, sizeof buf);
    memcpy(sig_hex, out[0].value, 65);
    set_header(&headers[0], "Host", "hooks.example.com");
    set_header(&headers[1], "User-Agent", "Blue-Webhooks/1.0");
    set_header(&headers[2], "Content-Type", "application/json");
    set_header(&headers[3], "Content-Length", "2334");
    set_header(&headers[4], "Accept-Encoding", "gzip");
    set_header(&headers[5], "X-Signature", sig_hex);
    request_len = (size_t)snprintf(request, sizeof request,
                                   "POST /hooks/blue HTTP/1.1\r\nHost: hooks.example.com\r\n"
                                   "User-Agent: Blue-Webhooks/1.0\r\nContent-Type: application/json\r\n"
                                   "Content-Length: %zu\r\nAccept-Encoding: gzip\r\nX-Signature: %s\r\n\r\n",
                                   body_len, sig_hex);
    memcpy(request + request_len, body, body_len);
    request_len += body_len;
    return 1;
}

static void report(bench_contender *cs, size_t n, size_t ref, double node_ns, const char *node)
{
    size_t i;
    printf("%-52s %11s %10s\n", "contender", "time", "bluehook x");
    for (i = 0; i < n; i++)
        printf("%-52s %8.3f us %9.2fx\n", cs[i].name, cs[i].median_ns / 1e3,
               cs[i].median_ns / cs[ref].median_ns);
    if (node_ns > 0)
        printf("%-52s %8.3f us %9.2fx\n", node, node_ns / 1e3, node_ns / cs[ref].median_ns);
    else
        printf("%-52s %11s\n", node, "(node not available)");
}

int main(void)
{
    bench_contender whole[2], pipe[4];
    bh_outcome o;
    double node_ns;
    size_t nw = 0;
    if (!load()) {
        fprintf(stderr, "bench_receive: cannot read %s\n", BODY_PATH);
        return 1;
    }
    bh_receiver_init(&rx, BH_SCHEME_BLUE, &key, 1, toks, 512);
    bh_receiver_on(&rx, BH_EVENT_TODO_CREATED, on_event, NULL);
    rxc = rx;
    rxc.replay = &cache;
    fill_cache();
    bh_http_init(&parser, hdrs, 32);
    if (bh_receive(&rxc, "POST", 4, headers, 6, body, body_len, 0, &o) != 200 ||
        o.result != BH_RX_HANDLED || slots[free_slot].state == 0) {
        fprintf(stderr, "bench_receive: the pipeline does not handle the delivery\n");
        return 1;
    }
    memset(whole, 0, sizeof whole);
    memset(pipe, 0, sizeof pipe);
#ifdef BH_HAVE_SIMDJSON
    sj_setup(SECRET, sizeof SECRET - 1);
    whole[nw].name = "openssl EVP_MAC + simdjson DOM (padded, reused)";
    whole[nw++].run = simdjson_receive;
#endif
    whole[nw].name = "bluehook bh_verify + bh_json_parse + 2 gets";
    whole[nw++].run = bluehook_receive;
    printf("Receive one Blue delivery (%zu bytes): verify, parse, read /event and\n"
           "/currentValue/todoList/project/id; SHA-256 path %s\n", body_len, bh_sha256_backend());
    node_ns = node_receive_ns();
    bench_compare(whole, nw, 31, 10e6);
    printf("medians; ratio = bluehook's speed over the contender's (>1: bluehook faster)\n\n");
    report(whole, nw, nw - 1, node_ns, "node createHmac + timingSafeEqual + JSON.parse");
    printf("\ntargets: >= 1.3x OpenSSL + simdjson, >= 12x node\n");

    memset(&slots[free_slot], 0, sizeof slots[free_slot]);
    pipe[0].name = "bh_receive, no replay cache";
    pipe[0].run = pipeline;
    pipe[1].name = "bh_receive, a full 1024-slot replay cache";
    pipe[1].run = pipeline_cached;
    pipe[2].name = "bh_receiver_serve (HTTP + pipeline, no cache)";
    pipe[2].run = serve;
    pipe[3].name = "memcpy of the request (serve's input copy)";
    pipe[3].run = copy_only;
    bench_compare(pipe, 4, 31, 10e6);
    printf("\nThe pipeline per request, without sockets (%zu-byte request)\n\n", request_len);
    printf("%-52s %11s %12s\n", "stage", "time", "requests/s");
    {
        size_t i;
        for (i = 0; i < 4; i++)
            printf("%-52s %8.3f us %12.0f\n", pipe[i].name, pipe[i].median_ns / 1e3,
                   1e9 / pipe[i].median_ns);
    }
    return 0;
}
