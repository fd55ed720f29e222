/* HTTP/1.1 request parsing: a typical Blue delivery (POST, 8 header fields,
   the 2,334-byte body of ../shared/blue/todo_created.min.json), by
   Content-Length and chunked, and its head alone. Against nodejs/http-parser
   (Debian libhttp-parser-dev) when it is built in; picohttpparser is not
   packaged. Medians of interleaved samples. */
#include "bench.h"
#define BLUEHOOK_IMPLEMENTATION
#include "../bluehook.h"

#ifdef BH_HAVE_HTTP_PARSER
#include <http_parser.h>
#endif

static char plain[8192], chunked[8192], head_only[2048], work[8192];
static size_t plain_len, chunked_len, head_len, body_len;
static bh_header headers[32];

static const char HEAD[] =
    "POST /webhooks/blue HTTP/1.1\r\n"
    "Host: receiver.example.com\r\n"
    "User-Agent: Blue-Webhooks/1.0\r\n"
    "Content-Type: application/json\r\n"
    "X-Signature: 0c8d1d1fb4f3a1e0b0e6d7f1c0f3e0b3e1a9c6f8e2d7b4a1c9e8f7d6c5b4a392\r\n"
    "Accept: application/json, text/plain, */*\r\n"
    "Accept-Encoding: gzip, compress, deflate, br\r\n"
    "Connection: keep-alive\r\n";

static int load_body(char *out, size_t cap, size_t *len)
{
    FILE *f = fopen("../shared/blue/todo_created.min.json", "rb");
    if (!f) return 0;
    *len = fread(out, 1, cap, f);
    fclose(f);
    return *len > 0;
}

static void build(const char *body)
{
    size_t n, i, piece = (body_len + 2) / 3;
    n = (size_t)sprintf(plain, "%sContent-Length: %u\r\n\r\n", HEAD, (unsigned)body_len);
    memcpy(plain + n, body, body_len);
    plain_len = n + body_len;
    n = (size_t)sprintf(chunked, "%sTransfer-Encoding: chunked\r\n\r\n", HEAD);
    for (i = 0; i < body_len; i += piece) {
        size_t k = body_len - i < piece ? body_len - i : piece;
        n += (size_t)sprintf(chunked + n, "%x\r\n", (unsigned)k);
        memcpy(chunked + n, body + i, k);
        n += k;
        memcpy(chunked + n, "\r\n", 2);
        n += 2;
    }
    memcpy(chunked + n, "0\r\n\r\n", 5);
    chunked_len = n + 5;
    head_len = (size_t)sprintf(head_only, "GET%s\r\n", HEAD + 4);
}

/* ---- bluehook ------------------------------------------------------- */

static size_t bh_once(char *buf, size_t len)
{
    bh_http_parser p;
    bh_http_request r;
    bh_http_init(&p, headers, 32);
    if (bh_http_parse(&p, buf, len, &r) != BH_OK) abort();
    return r.nheaders + r.body_len;
}

static void bh_plain(void *arg, size_t iters)
{
    size_t s = 0;
    (void)arg;
    while (iters--) s += bh_once(plain, plain_len);
    bench_sink += (unsigned)s;
}

/* As from a socket: one 1,460-byte segment, then the rest. */
static void bh_segments(void *arg, size_t iters)
{
    size_t s = 0;
    (void)arg;
    while (iters--) {
        bh_http_parser p;
        bh_http_request r;
        bh_http_init(&p, headers, 32);
        if (bh_http_parse(&p, plain, 1460, &r) != BH_EINCOMPLETE) abort();
        if (bh_http_parse(&p, plain, plain_len, &r) != BH_OK) abort();
        s += r.body_len;
    }
    bench_sink += (unsigned)s;
}

static void bh_chunked(void *arg, size_t iters)
{
    size_t s = 0;
    (void)arg;
    while (iters--) {
        memcpy(work, chunked, chunked_len); /* decoding is in place */
        s += bh_once(work, chunked_len);
    }
    bench_sink += (unsigned)s;
}

static void bh_head(void *arg, size_t iters)
{
    size_t s = 0;
    (void)arg;
    while (iters--) s += bh_once(head_only, head_len);
    bench_sink += (unsigned)s;
}

static void copy_only(void *arg, size_t iters)
{
    (void)arg;
    while (iters--) {
        memcpy(work, chunked, chunked_len);
        bench_sink += (unsigned char)work[iters % chunked_len];
    }
}

/* ---- nodejs/http-parser --------------------------------------------- */

#ifdef BH_HAVE_HTTP_PARSER
typedef struct hp_count {
    size_t fields, body, done;
} hp_count;

static int hp_field(http_parser *p, const char *at, size_t n)
{
    (void)at;
    (void)n;
    ((hp_count *)p->data)->fields++;
    return 0;
}

static int hp_body(http_parser *p, const char *at, size_t n)
{
    (void)at;
    ((hp_count *)p->data)->body += n;
    return 0;
}

static int hp_done(http_parser *p)
{
    ((hp_count *)p->data)->done = 1;
    return 0;
}

static http_parser_settings hp_settings;

static size_t hp_once(const char *buf, size_t len)
{
    http_parser p;
    hp_count c;
    memset(&c, 0, sizeof c);
    http_parser_init(&p, HTTP_REQUEST);
    p.data = &c;
    if (http_parser_execute(&p, &hp_settings, buf, len) != len || !c.done) abort();
    return c.fields + c.body;
}

static void hp_plain(void *arg, size_t iters)
{
    size_t s = 0;
    (void)arg;
    while (iters--) s += hp_once(plain, plain_len);
    bench_sink += (unsigned)s;
}

static void hp_chunked(void *arg, size_t iters)
{
    size_t s = 0;
    (void)arg;
    while (iters--) {
        memcpy(work, chunked, chunked_len); /* the same copy as bluehook's */
        s += hp_once(work, chunked_len);
    }
    bench_sink += (unsigned)s;
}

static void hp_head(void *arg, size_t iters)
{
    size_t s = 0;
    (void)arg;
    while (iters--) s += hp_once(head_only, head_len);
    bench_sink += (unsigned)s;
}
#endif

static void report(const char *title, bench_contender *c, size_t n,
                   size_t bytes, size_t ref)
{
    size_t i;
    printf("\n%s (%u bytes)\n", title, (unsigned)bytes);
    printf("  %-30s %10s %12s %9s %8s\n", "contender", "ns/req", "req/s", "GB/s",
           "ratio");
    for (i = 0; i < n; i++)
        printf("  %-30s %10.1f %12.0f %9.2f %8.2f\n", c[i].name, c[i].median_ns,
               1e9 / c[i].median_ns, (double)bytes / c[i].median_ns,
               c[ref].median_ns / c[i].median_ns);
}

int main(void)
{
    static char body[4096];
    bench_contender c[4];
    size_t n, ref;
    if (!load_body(body, sizeof body, &body_len)) {
        printf("bench_http: ../shared/blue/todo_created.min.json not found\n");
        return 1;
    }
    build(body);
#ifdef BH_HAVE_HTTP_PARSER
    hp_settings.on_header_field = hp_field;
    hp_settings.on_body = hp_body;
    hp_settings.on_message_complete = hp_done;
    printf("HTTP/1.1 request parsing: bluehook %s against nodejs/http-parser %lu.%lu.%lu\n",
           BLUEHOOK_VERSION, http_parser_version() >> 16 & 255,
           http_parser_version() >> 8 & 255, http_parser_version() & 255);
    printf("ratio = http-parser's time / this time (above 1: faster than it)\n");
#else
    printf("HTTP/1.1 request parsing: bluehook %s (http-parser not built in: "
           "install libhttp-parser-dev for the comparison)\n", BLUEHOOK_VERSION);
    printf("ratio = against the first line\n");
#endif
    printf("medians of 31 interleaved samples; GB/s = request bytes / time\n");

    memset(c, 0, sizeof c);
    n = 0;
    ref = 0;
#ifdef BH_HAVE_HTTP_PARSER
    c[n].name = "http-parser";
    c[n++].run = hp_plain;
#endif
    c[n].name = "bluehook, one call";
    c[n++].run = bh_plain;
    c[n].name = "bluehook, 1460 B + rest";
    c[n++].run = bh_segments;
    bench_compare(c, n, 31, 20e6);
    report("Blue delivery, Content-Length, 8 fields", c, n, plain_len, ref);

    memset(c, 0, sizeof c);
    n = 0;
#ifdef BH_HAVE_HTTP_PARSER
    c[n].name = "http-parser (+ copy)";
    c[n++].run = hp_chunked;
#endif
    c[n].name = "bluehook in place (+ copy)";
    c[n++].run = bh_chunked;
    c[n].name = "the copy alone";
    c[n++].run = copy_only;
    bench_compare(c, n, 31, 20e6);
    report("Blue delivery, chunked in 3 pieces", c, n, chunked_len, ref);

    memset(c, 0, sizeof c);
    n = 0;
#ifdef BH_HAVE_HTTP_PARSER
    c[n].name = "http-parser";
    c[n++].run = hp_head;
#endif
    c[n].name = "bluehook";
    c[n++].run = bh_head;
    bench_compare(c, n, 31, 20e6);
    report("the head alone (GET, 8 fields)", c, n, head_len, ref);
    return 0;
}
