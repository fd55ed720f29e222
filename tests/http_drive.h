/* tests/http_drive.h - feed a byte stream of HTTP requests to bh_http_parse
   in pieces and record what it says, so that runs split differently can be
   compared. Used by tests/unit_http.c and fuzz/fuzz_http.c; include it after
   bluehook.h (with the implementation).

   Every call gets a fresh heap buffer of exactly the bytes it may read, so
   AddressSanitizer sees any over-read, and the buffer moves between calls,
   as a realloc would move it (the parser must follow). */
#ifndef BH_TESTS_HTTP_DRIVE_H
#define BH_TESTS_HTTP_DRIVE_H

#include <stdlib.h>
#include <string.h>

#define HD_MAX_HEADERS 64
#define HD_MAX_REQUESTS 8

/* One request as offsets from the start of its own bytes, so that results
   from buffers at different addresses compare with memcmp. */
typedef struct hd_req {
    int rc;
    size_t err_pos;
    size_t method_off, method_len, target_off, target_len;
    int minor_version;
    size_t nheaders;
    size_t name_off[HD_MAX_HEADERS], name_len[HD_MAX_HEADERS];
    size_t value_off[HD_MAX_HEADERS], value_len[HD_MAX_HEADERS];
    size_t head_len, content_length;
    int chunked, keep_alive, expect_continue;
    size_t body_off, body_len, consumed;
    unsigned long body_hash; /* FNV-1a of the decoded body */
} hd_req;

typedef struct hd_run {
    size_t nreq;             /* complete requests, then the final answer */
    hd_req req[HD_MAX_REQUESTS + 1];
    int continues;           /* how many calls said send_continue */
} hd_run;

typedef struct hd_cfg {
    size_t max_headers;      /* <= HD_MAX_HEADERS */
    size_t max_header_bytes; /* 0: the default */
    size_t max_body_bytes;   /* 0: the default */
} hd_cfg;

static unsigned long hd_hash(const char *p, size_t n)
{
    unsigned long h = 2166136261ul;
    size_t i;
    for (i = 0; i < n; i++) h = (h ^ (unsigned char)p[i]) * 16777619ul;
    return h & 0xfffffffful;
}

static size_t hd_off(const char *base, const char *p)
{
    return p ? (size_t)(p - base) : (size_t)-1;
}

/* Record a parse answer and the request fields relative to buf. */
static void hd_record(hd_req *o, int rc, const bh_http_parser *p,
                      const bh_http_request *r, const char *buf)
{
    size_t i;
    memset(o, 0, sizeof *o);
    o->rc = rc;
    o->err_pos = rc < 0 && rc != BH_EINCOMPLETE ? p->err_pos : 0;
    if (!r->head_len) return;
    o->method_off = hd_off(buf, r->method);
    o->method_len = r->method_len;
    o->target_off = hd_off(buf, r->target);
    o->target_len = r->target_len;
    o->minor_version = r->minor_version;
    o->nheaders = r->nheaders;
    for (i = 0; i < r->nheaders && i < HD_MAX_HEADERS; i++) {
        o->name_off[i] = hd_off(buf, r->headers[i].name);
        o->name_len[i] = r->headers[i].name_len;
        o->value_off[i] = hd_off(buf, r->headers[i].value);
        o->value_len[i] = r->headers[i].value_len;
    }
    o->head_len = r->head_len;
    o->content_length = r->content_length;
    o->chunked = r->chunked;
    o->keep_alive = r->keep_alive;
    o->expect_continue = r->expect_continue;
    if (rc == BH_OK) {
        o->body_off = hd_off(buf, r->body);
        o->body_len = r->body_len;
        o->consumed = r->consumed;
        o->body_hash = hd_hash(r->body, r->body_len);
    }
}

/* Feed in[0 .. n-1], delivered in pieces that end at cuts[0] < cuts[1] <
   ... (the last cut should be n). After each complete request the parser is
   reset and the rest of the bytes parsed as the next request, until
   HD_MAX_REQUESTS, an error, or the end of the input. Returns 0 if memory
   ran out. */
static int hd_drive(const char *in, size_t n, const size_t *cuts,
                    size_t ncuts, const hd_cfg *cfg, hd_run *run)
{
    bh_header headers[HD_MAX_HEADERS];
    bh_http_parser p;
    bh_http_request r;
    char *cur = NULL; /* the current request's bytes: in[start .. have-1],
                         with the parser's rewrites */
    size_t start = 0, have = 0, k;
    memset(run, 0, sizeof *run);
    bh_http_init(&p, headers, cfg->max_headers);
    if (cfg->max_header_bytes) p.max_header_bytes = cfg->max_header_bytes;
    if (cfg->max_body_bytes) p.max_body_bytes = cfg->max_body_bytes;
    for (k = 0; k < ncuts; k++) {
        size_t want = cuts[k] > n ? n : cuts[k];
        char *next;
        if (want <= have) continue;
        next = (char *)malloc(want - start);
        if (!next) {
            free(cur);
            return 0;
        }
        if (have > start) memcpy(next, cur, have - start);
        memcpy(next + (have - start), in + have, want - have);
        free(cur);
        cur = next;
        have = want;
        for (;;) {
            int rc = bh_http_parse(&p, cur, have - start, &r);
            if (r.send_continue) run->continues++;
            hd_record(&run->req[run->nreq], rc, &p, &r, cur);
            if (rc != BH_OK) break;
            run->nreq++;
            if (run->nreq == HD_MAX_REQUESTS) {
                free(cur);
                return 1;
            }
            /* the next request: its bytes move to a buffer of their own */
            start += r.consumed;
            next = NULL;
            if (have > start) {
                next = (char *)malloc(have - start);
                if (!next) {
                    free(cur);
                    return 0;
                }
                memcpy(next, cur + r.consumed, have - start);
            }
            free(cur);
            cur = next;
            bh_http_reset(&p);
        }
    }
    free(cur);
    return 1;
}

/* Index of the first difference between two runs, or -1 when equal. The
   last entry (the final answer) counts too. */
static int hd_diff(const hd_run *a, const hd_run *b)
{
    size_t i;
    if (a->nreq != b->nreq) return (int)(a->nreq < b->nreq ? a->nreq : b->nreq);
    for (i = 0; i <= a->nreq && i <= HD_MAX_REQUESTS; i++)
        if (memcmp(&a->req[i], &b->req[i], sizeof a->req[i]) != 0) return (int)i;
    return -1;
}

#endif
