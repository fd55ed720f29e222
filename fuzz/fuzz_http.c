/* fuzz/fuzz_http.c - libFuzzer harness for the HTTP/1.1 request parser.

   Input: 5 bytes of settings, then a byte stream of requests.
     [0]    header array size (0..16)
     [1]    max_header_bytes / 4 (0: the default)
     [2]    max_body_bytes (0: the default)
     [3..4] seed for the points where the stream is split
   Properties checked:
   - the stream parsed whole, split at fuzzer-chosen points, and (when short)
     one byte at a time gives the same requests and the same final answer
     (code and error position);
   - every accepted request keeps the parser's promises: views inside the
     buffer, names are tokens, values hold no control byte and no outer
     white space, limits hold, the body lies at head_len, a Content-Length
     body is the bytes sent, a chunked body is what a plain reference
     decoder makes of the bytes sent.
   Build: make fuzz (clang -fsanitize=fuzzer,address,undefined). */
#define BLUEHOOK_IMPLEMENTATION
#include "../bluehook.h"
#include "../tests/http_drive.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SETTINGS 5
#define BYTEWISE_MAX 1024

static void die(const char *what, size_t at)
{
    fprintf(stderr, "fuzz_http: %s (at %u)\n", what, (unsigned)at);
    abort();
}

static int is_tchar(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
           (c >= 'A' && c <= 'Z') || (c && strchr("!#$%&'*+-.^_`|~", c));
}

static int is_ctl(unsigned char c) { return (c < 0x20 && c != '\t') || c == 0x7f; }

/* A lenient chunked decoder: hex size, skip to LF, data, CRLF, repeat;
   returns the decoded length, or (size_t)-1. Only run on bodies the parser
   accepted, which are strictly valid, so leniency cannot hide a difference. */
static size_t ref_dechunk(const char *in, size_t n, char *out)
{
    size_t i = 0, o = 0;
    for (;;) {
        size_t size = 0, digits = 0;
        while (i < n) {
            char c = in[i];
            int d = c >= '0' && c <= '9' ? c - '0'
                  : c >= 'a' && c <= 'f' ? c - 'a' + 10
                  : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
            if (d < 0) break;
            size = size * 16 + (size_t)d;
            digits++;
            i++;
        }
        if (!digits) return (size_t)-1;
        while (i < n && in[i] != '\n') i++;
        if (i++ == n) return (size_t)-1;
        if (size == 0) return o;
        if (n - i < size + 2) return (size_t)-1;
        memcpy(out + o, in + i, size);
        o += size;
        i += size + 2;
    }
}

static void check_request(const bh_http_parser *p, const bh_http_request *r,
                          const char *buf, size_t len, const char *orig,
                          size_t max_headers)
{
    size_t i, k;
    if (r->consumed > len || r->head_len > r->consumed) die("consumed", 0);
    if (r->head_len > p->max_header_bytes) die("head over limit", r->head_len);
    if (r->body_len > p->max_body_bytes) die("body over limit", r->body_len);
    if (r->body != buf + r->head_len) die("body not at head_len", 0);
    if (r->head_len + r->body_len > r->consumed) die("body past consumed", 0);
    if (r->nheaders > max_headers) die("too many headers", r->nheaders);
    if (r->method < buf || r->method + r->method_len > buf + r->head_len ||
        !r->method_len)
        die("method view", 0);
    for (i = 0; i < r->method_len; i++)
        if (!is_tchar((unsigned char)r->method[i])) die("method byte", i);
    if (r->target < buf || r->target + r->target_len > buf + r->head_len ||
        !r->target_len)
        die("target view", 0);
    for (i = 0; i < r->target_len; i++)
        if ((unsigned char)r->target[i] <= 0x20 || (unsigned char)r->target[i] >= 0x7f)
            die("target byte", i);
    for (k = 0; k < r->nheaders; k++) {
        const bh_header *h = &r->headers[k];
        if (h->name < buf || h->name + h->name_len > buf + r->head_len ||
            h->value < buf || h->value + h->value_len > buf + r->head_len ||
            !h->name_len)
            die("header view", k);
        for (i = 0; i < h->name_len; i++)
            if (!is_tchar((unsigned char)h->name[i])) die("name byte", k);
        for (i = 0; i < h->value_len; i++)
            if (is_ctl((unsigned char)h->value[i])) die("value byte", k);
        if (h->value_len && (h->value[0] == ' ' || h->value[0] == '\t' ||
                             h->value[h->value_len - 1] == ' ' ||
                             h->value[h->value_len - 1] == '\t'))
            die("value not trimmed", k);
    }
    /* the head is as sent */
    if (memcmp(buf, orig, r->head_len) != 0) die("head rewritten", 0);
    if (r->chunked) {
        char *ref = (char *)malloc(r->consumed - r->head_len + 1);
        size_t n;
        if (!ref) return;
        n = ref_dechunk(orig + r->head_len, r->consumed - r->head_len, ref);
        if (n != r->body_len || memcmp(ref, r->body, n) != 0)
            die("chunked body differs from the reference", n);
        free(ref);
        if (r->content_length) die("content_length with chunked", 0);
    } else {
        if (r->body_len != r->content_length) die("body_len", r->body_len);
        if (memcmp(r->body, orig + r->head_len, r->body_len) != 0)
            die("body differs", 0);
        if (r->consumed != r->head_len + r->body_len) die("consumed", 1);
    }
    /* the bytes after the request are untouched */
    if (memcmp(buf + r->consumed, orig + r->consumed, len - r->consumed) != 0)
        die("bytes after the request touched", r->consumed);
}

/* Parse the stream in one buffer, checking every request. */
static void check_whole(const char *in, size_t n, const hd_cfg *cfg)
{
    bh_header headers[HD_MAX_HEADERS];
    bh_http_parser p;
    bh_http_request r;
    char *buf = (char *)malloc(n ? n : 1);
    size_t start = 0, count = 0;
    if (!buf) return;
    memcpy(buf, in, n);
    bh_http_init(&p, headers, cfg->max_headers);
    if (cfg->max_header_bytes) p.max_header_bytes = cfg->max_header_bytes;
    if (cfg->max_body_bytes) p.max_body_bytes = cfg->max_body_bytes;
    while (count++ < HD_MAX_REQUESTS) {
        int rc = bh_http_parse(&p, buf + start, n - start, &r);
        if (rc == BH_OK) {
            check_request(&p, &r, buf + start, n - start, in + start,
                          cfg->max_headers);
            /* parsing again answers the same */
            if (bh_http_parse(&p, buf + start, n - start, NULL) != BH_OK)
                die("not idempotent", start);
            start += r.consumed;
            bh_http_reset(&p);
            continue;
        }
        if (rc != BH_EINCOMPLETE) {
            if (p.err_pos > n - start) die("err_pos past the input", p.err_pos);
            if (r.keep_alive) die("keep_alive after an error", 0);
            if (bh_http_status_for(rc) < 400) die("status for an error", 0);
            if (bh_http_parse(&p, buf + start, n - start, NULL) != rc)
                die("error not sticky", start);
        }
        break;
    }
    free(buf);
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    static hd_run whole, split;
    static size_t cuts[BYTEWISE_MAX + 1];
    const char *in = (const char *)data + SETTINGS;
    size_t n, i, ncuts;
    unsigned seed;
    hd_cfg cfg;
    if (size < SETTINGS) return 0;
    n = size - SETTINGS;
    cfg.max_headers = data[0] % 17;
    cfg.max_header_bytes = (size_t)data[1] * 4;
    cfg.max_body_bytes = data[2];
    seed = (unsigned)data[3] << 8 | data[4];

    check_whole(in, n, &cfg);

    cuts[0] = n;
    if (!hd_drive(in, n, cuts, 1, &cfg, &whole)) return 0;

    /* 1 to 8 pieces at points drawn from the seed */
    ncuts = 1 + seed % 8;
    for (i = 0; i + 1 < ncuts; i++) {
        seed = seed * 1103515245u + 12345u;
        cuts[i] = n ? (seed >> 8) % (n + 1) : 0;
    }
    cuts[ncuts - 1] = n;
    for (i = 1; i < ncuts; i++) { /* ascending: insertion sort */
        size_t v = cuts[i], j = i;
        while (j > 0 && cuts[j - 1] > v) {
            cuts[j] = cuts[j - 1];
            j--;
        }
        cuts[j] = v;
    }
    if (!hd_drive(in, n, cuts, ncuts, &cfg, &split)) return 0;
    if (hd_diff(&whole, &split) >= 0) die("split run differs", (size_t)hd_diff(&whole, &split));

    if (n <= BYTEWISE_MAX) {
        for (i = 0; i < n; i++) cuts[i] = i + 1;
        if (!hd_drive(in, n, cuts, n, &cfg, &split)) return 0;
        if (hd_diff(&whole, &split) >= 0)
            die("byte-at-a-time run differs", (size_t)hd_diff(&whole, &split));
    }
    return 0;
}
