/* The HTTP/1.1 request parser: valid requests, every smuggling ambiguity and
   malformation with its error and status, every limit, Expect, keep-alive,
   pipelining, in-place chunk decoding, the same answer at every split point,
   no over-read (guard page), and the response writer. */
#define _DEFAULT_SOURCE
#define T_SUITE "http"
#define BLUEHOOK_IMPLEMENTATION
#include "../bluehook.h"
#include "t.h"
#include "http_drive.h"

#include <stdlib.h>
#if defined(__unix__) || defined(__APPLE__)
#include <sys/mman.h>
#include <unistd.h>
#define HAVE_MMAP 1
#endif

#define S(lit) lit, (sizeof lit - 1)

/* ---- helpers -------------------------------------------------------- */

static bh_header hdrs[HD_MAX_HEADERS];
static bh_http_parser P;
static bh_http_request R;
static char work[1 << 16];

/* Parse a copy of the text whole with default limits and 16 headers; the
   views point into `work`. */
static int parse_n(const char *text, size_t len, size_t max_headers)
{
    memcpy(work, text, len);
    bh_http_init(&P, hdrs, max_headers);
    return bh_http_parse(&P, work, len, &R);
}

static int parse(const char *text, size_t len) { return parse_n(text, len, 16); }

static int view_is(const char *p, size_t n, const char *want)
{
    return p && n == strlen(want) && memcmp(p, want, n) == 0;
}

static const char *header(const char *name)
{
    static char v[256];
    const bh_header *h = bh_header_find(R.headers, R.nheaders, name);
    if (!h) return NULL;
    memcpy(v, h->value, h->value_len < 255 ? h->value_len : 255);
    v[h->value_len < 255 ? h->value_len : 255] = '\0';
    return v;
}

static char *load(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf;
    long n;
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    buf = (char *)malloc((size_t)n + 1);
    if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    *len = (size_t)n;
    return buf;
}

/* ---- valid requests ------------------------------------------------- */

static void get_request(void)
{
    static const char req[] = "GET /hooks/blue?x=1 HTTP/1.1\r\n"
                              "Host: example.com:8080\r\n"
                              "User-Agent: t/1\r\n"
                              "Accept: */*\r\n"
                              "\r\n";
    CHECK_EQ(parse(S(req)), BH_OK);
    CHECK(view_is(R.method, R.method_len, "GET"));
    CHECK(view_is(R.target, R.target_len, "/hooks/blue?x=1"));
    CHECK_EQ(R.minor_version, 1);
    CHECK_EQ(R.nheaders, 3);
    CHECK(R.headers == hdrs);
    CHECK(view_is(hdrs[0].name, hdrs[0].name_len, "Host"));
    CHECK(view_is(hdrs[0].value, hdrs[0].value_len, "example.com:8080"));
    CHECK(view_is(hdrs[2].name, hdrs[2].name_len, "Accept"));
    CHECK_STR(header("user-agent"), "t/1");
    CHECK_EQ(R.head_len, sizeof req - 1);
    CHECK_EQ(R.consumed, sizeof req - 1);
    CHECK_EQ(R.body_len, 0);
    CHECK(R.body == work + R.head_len);
    CHECK_EQ(R.content_length, 0);
    CHECK_EQ(R.chunked, 0);
    CHECK_EQ(R.keep_alive, 1);
    CHECK_EQ(R.expect_continue, 0);
    CHECK_EQ(R.send_continue, 0);
    /* the views are into the caller's buffer, not copies */
    CHECK(R.method == work && R.target == work + 4);
}

static void post_content_length(void)
{
    static const char req[] = "POST /in HTTP/1.1\r\n"
                              "Host: h\r\n"
                              "Content-Type: application/json\r\n"
                              "Content-Length: 13\r\n"
                              "\r\n"
                              "{\"a\":[1,2,3]}";
    CHECK_EQ(parse(S(req)), BH_OK);
    CHECK(view_is(R.method, R.method_len, "POST"));
    CHECK_EQ(R.content_length, 13);
    CHECK(view_is(R.body, R.body_len, "{\"a\":[1,2,3]}"));
    CHECK_EQ(R.consumed, sizeof req - 1);
    CHECK_EQ(R.body - work, R.head_len);
    /* a Content-Length body is not touched */
    CHECK_MEM(work, req, sizeof req - 1);
}

static void field_values_trimmed(void)
{
    static const char req[] = "GET / HTTP/1.1\r\n"
                              "Host:h\r\n"
                              "A: \t spaced value \t \r\n"
                              "Empty:\r\n"
                              "Blank:   \r\n"
                              "Obs: caf\xc3\xa9\r\n"
                              "Tab: a\tb\r\n"
                              "\r\n";
    CHECK_EQ(parse(S(req)), BH_OK);
    CHECK_STR(header("host"), "h");
    CHECK_STR(header("a"), "spaced value");
    CHECK_STR(header("empty"), "");
    CHECK_STR(header("blank"), "");
    CHECK_STR(header("obs"), "caf\xc3\xa9");
    CHECK_STR(header("tab"), "a\tb");
}

static void every_method_token_and_forms(void)
{
    static const char *const lines[] = {
        "OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n",
        "CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n",
        "GET http://example.com/a?b#c HTTP/1.1\r\nHost: example.com\r\n\r\n",
        "M-SEARCH * HTTP/1.1\r\nHost: [::1]:80\r\n\r\n",
        "!#$%&'*+-.^_`|~09azAZ /%41 HTTP/1.1\r\nHost: \r\n\r\n",
        "GET / HTTP/1.9\r\nHost: h\r\n\r\n",
        "GET / HTTP/1.0\r\n\r\n",
    };
    size_t i;
    for (i = 0; i < sizeof lines / sizeof lines[0]; i++)
        CHECK_EQ(parse(lines[i], strlen(lines[i])), BH_OK);
    CHECK_EQ(R.minor_version, 0);
    CHECK_EQ(parse(lines[5], strlen(lines[5])), BH_OK);
    CHECK_EQ(R.minor_version, 9);
}

static void leading_empty_lines_skipped(void)
{
    static const char req[] = "\r\n\r\nGET / HTTP/1.1\r\nHost: h\r\n\r\n";
    CHECK_EQ(parse(S(req)), BH_OK);
    CHECK_EQ(R.method - work, 4);
    CHECK_EQ(R.consumed, sizeof req - 1);
    CHECK_EQ(parse(S("\n\nGET / HTTP/1.1\r\nHost: h\r\n\r\n")), BH_EREQUEST);
    CHECK_EQ(parse(S("\r\r\nGET / HTTP/1.1\r\nHost: h\r\n\r\n")), BH_EREQUEST);
}

static void chunked_with_extensions_and_trailers(void)
{
    static const char req[] =
        "POST /c HTTP/1.1\r\n"
        "Host: h\r\n"
        "Transfer-Encoding: chunked\r\n"
        "X-After: still here\r\n"
        "\r\n"
        "5;name=value;flag\r\n"
        "hello\r\n"
        "1 ; q=\"quoted \\\" ; string\" ; t\t=\ttok\r\n"
        " \r\n"
        "A\r\n"
        "0123456789\r\n"
        "000\r\n"
        "Trailer-One: 1\r\n"
        "Content-Length: 99\r\n"
        "\r\n"
        "NEXT";
    size_t n = sizeof req - 1;
    CHECK_EQ(parse(req, n), BH_OK);
    CHECK_EQ(R.chunked, 1);
    CHECK_EQ(R.content_length, 0);
    CHECK(view_is(R.body, R.body_len, "hello 0123456789"));
    CHECK_EQ(R.body - work, R.head_len);
    CHECK_EQ(R.consumed, n - 4);
    /* the head's views are intact after the body was decoded in place */
    CHECK(view_is(R.method, R.method_len, "POST"));
    CHECK(view_is(R.target, R.target_len, "/c"));
    CHECK_EQ(R.nheaders, 3);
    CHECK_STR(header("transfer-encoding"), "chunked");
    CHECK_STR(header("x-after"), "still here");
    CHECK_MEM(work, req, R.head_len);
    /* trailers are ignored, and the next request's bytes are untouched */
    CHECK(bh_header_find(R.headers, R.nheaders, "Trailer-One") == NULL);
    CHECK_MEM(work + R.consumed, "NEXT", 4);
    /* the encoded bytes past the decoded body are what they were */
    CHECK_MEM(work + R.head_len + R.body_len, req + R.head_len + R.body_len,
              R.consumed - R.head_len - R.body_len);
}

static void chunked_coding_name_case(void)
{
    CHECK_EQ(parse(S("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding:  ChUnKeD \r\n"
                     "\r\n3\r\nabc\r\n0\r\n\r\n")),
             BH_OK);
    CHECK(view_is(R.body, R.body_len, "abc"));
    CHECK_EQ(parse(S("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n"
                     "\r\naBcDeF0\r\n")),
             BH_EBODYSIZE); /* 0xabcdef0 > 1 MiB: big hex digits of either case */
}

static void zero_length_bodies(void)
{
    CHECK_EQ(parse(S("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n")), BH_OK);
    CHECK_EQ(R.body_len, 0);
    CHECK_EQ(R.consumed, R.head_len);
    CHECK_EQ(parse(S("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 000\r\n\r\n")), BH_OK);
    CHECK_EQ(R.body_len, 0);
    CHECK_EQ(parse(S("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
                     "0\r\n\r\n")),
             BH_OK);
    CHECK_EQ(R.body_len, 0);
    CHECK_EQ(R.consumed, R.head_len + 5);
    /* no Content-Length and no Transfer-Encoding: no body (RFC 9112 6.3) */
    CHECK_EQ(parse(S("POST / HTTP/1.1\r\nHost: h\r\n\r\nXYZ")), BH_OK);
    CHECK_EQ(R.consumed, R.head_len);
}

static void repeated_equal_content_length(void)
{
    CHECK_EQ(parse(S("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n"
                     "content-length: 003\r\n\r\nabc")),
             BH_OK);
    CHECK(view_is(R.body, R.body_len, "abc"));
}

static void pipelined_pair(void)
{
    static const char two[] = "POST /a HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nfirst"
                              "GET /b HTTP/1.1\r\nHost: h\r\n\r\n";
    size_t n = sizeof two - 1, used;
    CHECK_EQ(parse(two, n), BH_OK);
    CHECK(view_is(R.target, R.target_len, "/a"));
    CHECK(view_is(R.body, R.body_len, "first"));
    used = R.consumed;
    CHECK(used < n);
    bh_http_reset(&P);
    CHECK_EQ(bh_http_parse(&P, work + used, n - used, &R), BH_OK);
    CHECK(view_is(R.method, R.method_len, "GET"));
    CHECK(view_is(R.target, R.target_len, "/b"));
    CHECK_EQ(used + R.consumed, n);
    CHECK_EQ(R.keep_alive, 1);
}

static void keep_alive_rules(void)
{
    static const struct {
        const char *req;
        int keep;
    } cases[] = {
        {"GET / HTTP/1.1\r\nHost: h\r\n\r\n", 1},
        {"GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n", 0},
        {"GET / HTTP/1.1\r\nHost: h\r\nConnection: Upgrade, CLOSE\r\n\r\n", 0},
        {"GET / HTTP/1.1\r\nHost: h\r\nConnection: closed\r\n\r\n", 1},
        {"GET / HTTP/1.1\r\nHost: h\r\nConnection: keep-alive\r\n\r\n", 1},
        {"GET / HTTP/1.1\r\nHost: h\r\nConnection: keep-alive\r\nConnection: close\r\n\r\n", 0},
        {"GET / HTTP/1.0\r\n\r\n", 0},
        {"GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n", 1},
        {"GET / HTTP/1.0\r\nConnection: , keep-alive ,\r\n\r\n", 1},
        {"GET / HTTP/1.0\r\nConnection: keep-alive, close\r\n\r\n", 0},
        {"GET / HTTP/1.0\r\nConnection: keep-alive-ish\r\n\r\n", 0},
    };
    size_t i;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        CHECK_EQ(parse(cases[i].req, strlen(cases[i].req)), BH_OK);
        if (R.keep_alive != cases[i].keep) {
            char m[200];
            snprintf(m, sizeof m, "keep-alive case %u", (unsigned)i);
            t_fail(__FILE__, __LINE__, m);
        }
    }
    /* after an error the connection is not kept */
    CHECK_EQ(parse(S("GET / HTTP/1.1\r\n\r\n")), BH_EHOST);
    CHECK_EQ(R.keep_alive, 0);
}

static void http10_without_host(void)
{
    CHECK_EQ(parse(S("POST / HTTP/1.0\r\nContent-Length: 2\r\n\r\nhi")), BH_OK);
    CHECK(view_is(R.body, R.body_len, "hi"));
}

/* ---- refused requests ----------------------------------------------- */

static const struct bad_case {
    const char *name;
    const char *req;
    int err;
    int status;
} bad_cases[] = {
    /* framing: Content-Length and Transfer-Encoding */
    {"cl+te", "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n", BH_EFRAMING, 400},
    {"te+cl", "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n", BH_EFRAMING, 400},
    {"cl twice differ", "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd", BH_EFRAMING, 400},
    {"cl plus", "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: +5\r\n\r\nhello", BH_EFRAMING, 400},
    {"cl minus", "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: -1\r\n\r\n", BH_EFRAMING, 400},
    {"cl inner space", "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1 5\r\n\r\n", BH_EFRAMING, 400},
    {"cl list", "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 5, 5\r\n\r\nhello", BH_EFRAMING, 400},
    {"cl hex", "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 0x5\r\n\r\nhello", BH_EFRAMING, 400},
    {"cl empty", "POST / HTTP/1.1\r\nHost: h\r\nContent-Length:\r\n\r\n", BH_EFRAMING, 400},
    {"cl decimal", "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 5.0\r\n\r\nhello", BH_EFRAMING, 400},
    {"cl overflow", "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 18446744073709551616\r\n\r\n", BH_EFRAMING, 400},
    {"cl overflow long", "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 99999999999999999999999\r\n\r\n", BH_EFRAMING, 400},
    {"te in http/1.0", "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", BH_EFRAMING, 400},
    /* transfer codings other than exactly chunked */
    {"te gzip", "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip\r\n\r\n", BH_ECODING, 501},
    {"te identity", "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: identity\r\n\r\n", BH_ECODING, 501},
    {"te gzip,chunked", "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", BH_ECODING, 501},
    {"te chunked,chunked", "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked, chunked\r\n\r\n", BH_ECODING, 501},
    {"te twice", "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n", BH_ECODING, 501},
    {"te xchunked", "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: xchunked\r\n\r\n", BH_ECODING, 501},
    {"te empty", "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding:\r\n\r\n", BH_ECODING, 501},
    {"te quoted", "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: \"chunked\"\r\n\r\n", BH_ECODING, 501},
    /* white space before a colon, obsolete folding, white space first */
    {"space before colon", "GET / HTTP/1.1\r\nHost : h\r\n\r\n", BH_EREQUEST, 400},
    {"tab before colon", "GET / HTTP/1.1\r\nHost\t: h\r\n\r\n", BH_EREQUEST, 400},
    {"te space colon", "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding : chunked\r\n\r\n", BH_EREQUEST, 400},
    {"obs-fold", "GET / HTTP/1.1\r\nHost: h\r\nX: a\r\n b\r\n\r\n", BH_EREQUEST, 400},
    {"obs-fold tab", "GET / HTTP/1.1\r\nHost: h\r\nX: a\r\n\tb\r\n\r\n", BH_EREQUEST, 400},
    {"space after start line", "GET / HTTP/1.1\r\n Host: h\r\n\r\n", BH_EREQUEST, 400},
    /* bare CR and LF */
    {"lf line ends", "GET / HTTP/1.1\nHost: h\n\n", BH_EREQUEST, 400},
    {"lf in fields", "GET / HTTP/1.1\r\nHost: h\nX: y\r\n\r\n", BH_EREQUEST, 400},
    {"lf blank line", "GET / HTTP/1.1\r\nHost: h\r\n\n", BH_EREQUEST, 400},
    {"cr alone", "GET / HTTP/1.1\rHost: h\r\n\r\n", BH_EREQUEST, 400},
    {"cr in value", "GET / HTTP/1.1\r\nHost: h\r\nX: a\rb\r\n\r\n", BH_EREQUEST, 400},
    {"cr cr lf", "GET / HTTP/1.1\r\r\nHost: h\r\n\r\n", BH_EREQUEST, 400},
    {"cr blank line", "GET / HTTP/1.1\r\nHost: h\r\n\r\r\n", BH_EREQUEST, 400},
    /* Host */
    {"no host", "GET / HTTP/1.1\r\n\r\n", BH_EHOST, 400},
    {"two hosts", "GET / HTTP/1.1\r\nHost: a\r\nHost: a\r\n\r\n", BH_EHOST, 400},
    {"host space", "GET / HTTP/1.1\r\nHost: a b\r\n\r\n", BH_EHOST, 400},
    {"host slash", "GET / HTTP/1.1\r\nHost: a/b\r\n\r\n", BH_EHOST, 400},
    {"host at", "GET / HTTP/1.1\r\nHost: user@a\r\n\r\n", BH_EHOST, 400},
    {"host obs-text", "GET / HTTP/1.1\r\nHost: caf\xc3\xa9\r\n\r\n", BH_EHOST, 400},
    /* tokens */
    {"method paren", "G(ET / HTTP/1.1\r\nHost: h\r\n\r\n", BH_EREQUEST, 400},
    {"method empty", " / HTTP/1.1\r\nHost: h\r\n\r\n", BH_EREQUEST, 400},
    {"method obs-text", "G\xc3\xa9T / HTTP/1.1\r\nHost: h\r\n\r\n", BH_EREQUEST, 400},
    {"name paren", "GET / HTTP/1.1\r\nHost: h\r\nX(Y: a\r\n\r\n", BH_EREQUEST, 400},
    {"name space", "GET / HTTP/1.1\r\nHost: h\r\nX Y: a\r\n\r\n", BH_EREQUEST, 400},
    {"name obs-text", "GET / HTTP/1.1\r\nHost: h\r\nX\xe9: a\r\n\r\n", BH_EREQUEST, 400},
    {"name empty", "GET / HTTP/1.1\r\nHost: h\r\n: a\r\n\r\n", BH_EREQUEST, 400},
    {"no colon", "GET / HTTP/1.1\r\nHost: h\r\nNoColon\r\n\r\n", BH_EREQUEST, 400},
    /* control characters in values and in the request line */
    {"value soh", "GET / HTTP/1.1\r\nHost: h\r\nX: a\x01\x62\r\n\r\n", BH_EREQUEST, 400},
    {"value del", "GET / HTTP/1.1\r\nHost: h\r\nX: a\x7f\r\n\r\n", BH_EREQUEST, 400},
    {"value nul", "GET / HTTP/1.1\r\nHost: h\r\nX: a\0b\r\n\r\n", BH_EREQUEST, 400},
    {"target nul", "GET /a\0b HTTP/1.1\r\nHost: h\r\n\r\n", BH_EREQUEST, 400},
    {"target obs-text", "GET /caf\xc3\xa9 HTTP/1.1\r\nHost: h\r\n\r\n", BH_EREQUEST, 400},
    {"target tab", "GET /a\tb HTTP/1.1\r\nHost: h\r\n\r\n", BH_EREQUEST, 400},
    /* request line shape and version */
    {"two spaces", "GET  / HTTP/1.1\r\nHost: h\r\n\r\n", BH_EREQUEST, 400},
    {"no version", "GET /\r\nHost: h\r\n\r\n", BH_EREQUEST, 400},
    {"trailing space", "GET / HTTP/1.1 \r\nHost: h\r\n\r\n", BH_EREQUEST, 400},
    {"tab separator", "GET\t/ HTTP/1.1\r\nHost: h\r\n\r\n", BH_EREQUEST, 400},
    {"lowercase http", "GET / http/1.1\r\nHost: h\r\n\r\n", BH_EREQUEST, 400},
    {"version 1.10", "GET / HTTP/1.10\r\nHost: h\r\n\r\n", BH_EREQUEST, 400},
    {"version 1", "GET / HTTP/1\r\nHost: h\r\n\r\n", BH_EREQUEST, 400},
    {"version 2.0", "GET / HTTP/2.0\r\nHost: h\r\n\r\n", BH_EVERSION, 505},
    {"version 0.9", "GET / HTTP/0.9\r\nHost: h\r\n\r\n", BH_EVERSION, 505},
    {"empty target", "GET  HTTP/1.1\r\nHost: h\r\n\r\n", BH_EREQUEST, 400},
    /* chunks */
    {"chunk no digits", "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n;a\r\n", BH_ECHUNK, 400},
    {"chunk empty size", "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n\r\n", BH_ECHUNK, 400},
    {"chunk not hex", "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\ng\r\n", BH_ECHUNK, 400},
    {"chunk minus", "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n-5\r\n", BH_ECHUNK, 400},
    {"chunk 0x", "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n0x5\r\n", BH_ECHUNK, 400},
    {"chunk 17 digits", "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n00000000000000001\r\n", BH_ECHUNK, 400},
    {"chunk overflow", "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n10000000000000000\r\n", BH_ECHUNK, 400},
    {"chunk space end", "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5 \r\nhello\r\n0\r\n\r\n", BH_ECHUNK, 400},
    {"chunk lf", "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5\nhello\r\n0\r\n\r\n", BH_ECHUNK, 400},
    {"chunk bare cr", "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5\rhello\r\n0\r\n\r\n", BH_ECHUNK, 400},
    {"chunk data too long", "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhelloX\r\n0\r\n\r\n", BH_ECHUNK, 400},
    {"chunk data lf", "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\n0\r\n\r\n", BH_ECHUNK, 400},
    {"chunk data cr cr", "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\r0\r\n\r\n", BH_ECHUNK, 400},
    {"ext empty", "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5;\r\nhello\r\n0\r\n\r\n", BH_ECHUNK, 400},
    {"ext no value", "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5;a=\r\nhello\r\n0\r\n\r\n", BH_ECHUNK, 400},
    {"ext open quote", "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5;a=\"x\r\nhello\r\n0\r\n\r\n", BH_ECHUNK, 400},
    {"ext escaped end", "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5;a=\"x\\\r\nhello\r\n0\r\n\r\n", BH_ECHUNK, 400},
    {"ext no semicolon", "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5 a\r\nhello\r\n0\r\n\r\n", BH_ECHUNK, 400},
    {"ext bad name", "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5;(a)\r\nhello\r\n0\r\n\r\n", BH_ECHUNK, 400},
    {"ext ctl", "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5;a=b\x01\r\nhello\r\n0\r\n\r\n", BH_ECHUNK, 400},
    {"ext value after quote", "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5;a=\"b\"c\r\nhello\r\n0\r\n\r\n", BH_ECHUNK, 400},
    {"trailer space colon", "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nT : x\r\n\r\n", BH_ECHUNK, 400},
    {"trailer fold", "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nT: x\r\n y\r\n\r\n", BH_ECHUNK, 400},
    {"trailer lf", "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nT: x\n\r\n", BH_ECHUNK, 400},
    {"trailer ctl", "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nT: \x7f\r\n\r\n", BH_ECHUNK, 400},
    {"last chunk lf", "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\n", BH_ECHUNK, 400},
    /* expectations */
    {"expect other", "POST / HTTP/1.1\r\nHost: h\r\nExpect: 200-ok\r\nContent-Length: 1\r\n\r\n", BH_EEXPECT, 417},
    {"expect list", "POST / HTTP/1.1\r\nHost: h\r\nExpect: 100-continue, foo\r\nContent-Length: 1\r\n\r\n", BH_EEXPECT, 417},
    {"expect params", "POST / HTTP/1.1\r\nHost: h\r\nExpect: 100-continue;x=1\r\nContent-Length: 1\r\n\r\n", BH_EEXPECT, 417},
};

static void refused_requests(void)
{
    size_t i;
    for (i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++) {
        const struct bad_case *c = &bad_cases[i];
        size_t n = strlen(c->req);
        int rc;
        /* the cases holding a NUL byte give its length by a second NUL-free
           tail: find the real end at the blank line */
        if (strstr(c->name, "nul")) n = (size_t)(strchr(c->req, '\0') - c->req) + 1 +
                                        strlen(strchr(c->req, '\0') + 1);
        rc = parse(c->req, n);
        if (rc != c->err || bh_http_status_for(rc) != c->status ||
            R.keep_alive != 0 || P.err_pos > n) {
            char m[300];
            snprintf(m, sizeof m, "%s: got %d (%s), status %d, err_pos %u",
                     c->name, rc, bh_strerror(rc), bh_http_status_for(rc),
                     (unsigned)P.err_pos);
            t_fail(__FILE__, __LINE__, m);
        }
        /* the error is sticky */
        CHECK_EQ(bh_http_parse(&P, work, n, &R), c->err);
    }
}

static void error_positions(void)
{
    CHECK_EQ(parse(S("GET / HTTP/1.1\r\nHost : h\r\n\r\n")), BH_EREQUEST);
    CHECK_EQ(P.err_pos, 20);
    CHECK_EQ(parse(S("GET / HTTP/1.1\r\nHost: h\r\nX: a\x01\r\n\r\n")), BH_EREQUEST);
    CHECK_EQ(P.err_pos, 29);
    CHECK_EQ(parse(S("GET / HTTP/1.1\r\nHost: h\r\nX: a\r\n b\r\n\r\n")), BH_EREQUEST);
    CHECK_EQ(P.err_pos, 31);
    CHECK_EQ(parse(S("GET / HTTP/2.0\r\n")), BH_EVERSION);
    CHECK_EQ(P.err_pos, 11);
    CHECK_EQ(parse(S("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\n"
                     "Content-Length: 2\r\n")),
             BH_EFRAMING);
    CHECK_EQ(P.err_pos, 45);
    CHECK_EQ(parse(S("GET / HTTP/1.1\r\n\r\n")), BH_EHOST);
    CHECK_EQ(P.err_pos, 16);
}

static void errors_decided_early(void)
{
    /* each is refused from the bytes shown, without waiting for more */
    CHECK_EQ(parse(S("GET / HTTP/1.1\r\nHost: h\r\nX: a\r\n ")), BH_EREQUEST);
    CHECK_EQ(parse(S("GET / HTTP/1.1\r\nHost: h\r\nX: \x01")), BH_EREQUEST);
    CHECK_EQ(parse(S("GET / HTTP/1.1\r")), BH_EINCOMPLETE);
    CHECK_EQ(parse(S("GET / HTTP/1.1\rX")), BH_EREQUEST);
    CHECK_EQ(parse(S("GET / HTTP/1.1\n")), BH_EREQUEST);
    CHECK_EQ(parse(S("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 9999999\r\n")),
             BH_EBODYSIZE);
    CHECK_EQ(parse(S("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
                     "5\r\nhelloX")),
             BH_ECHUNK);
    CHECK_EQ(parse(S("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
                     "00000000000000000")),
             BH_ECHUNK);
    CHECK_EQ(parse(S("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
                     "0000000000000000")),
             BH_EINCOMPLETE);
}

static void status_mapping(void)
{
    static const int codes[][2] = {
        {BH_OK, 200},        {BH_EINCOMPLETE, 400}, {BH_EREQUEST, 400},
        {BH_EVERSION, 505},  {BH_EHOST, 400},       {BH_EFRAMING, 400},
        {BH_ECODING, 501},   {BH_ECHUNK, 400},      {BH_EHEADERS, 431},
        {BH_EHEADSIZE, 431}, {BH_EBODYSIZE, 413},   {BH_EEXPECT, 417},
        {BH_EINVAL, 500},    {BH_ESIG, 500},        {-9999, 500},
    };
    size_t i;
    for (i = 0; i < sizeof codes / sizeof codes[0]; i++)
        CHECK_EQ(bh_http_status_for(codes[i][0]), codes[i][1]);
    CHECK_STR(bh_http_reason(200), "OK");
    CHECK_STR(bh_http_reason(100), "Continue");
    CHECK_STR(bh_http_reason(413), "Content Too Large");
    CHECK_STR(bh_http_reason(417), "Expectation Failed");
    CHECK_STR(bh_http_reason(431), "Request Header Fields Too Large");
    CHECK_STR(bh_http_reason(501), "Not Implemented");
    CHECK_STR(bh_http_reason(505), "HTTP Version Not Supported");
    CHECK_STR(bh_http_reason(299), "");
    CHECK_STR(bh_http_reason(-1), "");
    for (i = 0; i < sizeof codes / sizeof codes[0]; i++)
        CHECK(bh_http_reason(codes[i][1])[0] != '\0');
}

/* ---- every byte value in every position ----------------------------- */

static int is_tchar_ref(int c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
           (c >= 'A' && c <= 'Z') || (c && strchr("!#$%&'*+-.^_`|~", c));
}

static void byte_classes(void)
{
    int c;
    for (c = 0; c < 256; c++) {
        char req[64];
        size_t n;
        int want, got;
        /* in a field name */
        n = (size_t)sprintf(req, "GET / HTTP/1.1\r\nHost: h\r\nA%cB: v\r\n\r\n", 'x');
        req[25 + 1] = (char)c;
        got = parse(req, n);
        /* a colon there ends the name: "A:B: v" is the field A */
        want = is_tchar_ref(c) || c == ':' ? BH_OK : BH_EREQUEST;
        if (got != want) {
            char m[80];
            snprintf(m, sizeof m, "name byte 0x%02x: %d", c, got);
            t_fail(__FILE__, __LINE__, m);
        }
        /* in the method */
        n = (size_t)sprintf(req, "GxT / HTTP/1.1\r\nHost: h\r\n\r\n");
        req[1] = (char)c;
        got = parse(req, n);
        want = is_tchar_ref(c) ? BH_OK : BH_EREQUEST;
        if (got != want) {
            char m[80];
            snprintf(m, sizeof m, "method byte 0x%02x: %d", c, got);
            t_fail(__FILE__, __LINE__, m);
        }
        /* in a field value: everything but controls (HTAB allowed) and DEL */
        n = (size_t)sprintf(req, "GET / HTTP/1.1\r\nHost: h\r\nA: vxv\r\n\r\n");
        req[29] = (char)c;
        got = parse(req, n);
        want = ((c < 0x20 && c != '\t') || c == 0x7f) ? BH_EREQUEST : BH_OK;
        if (got != want) {
            char m[80];
            snprintf(m, sizeof m, "value byte 0x%02x: %d", c, got);
            t_fail(__FILE__, __LINE__, m);
        }
        /* in the target: visible ASCII only */
        n = (size_t)sprintf(req, "GET /x HTTP/1.1\r\nHost: h\r\n\r\n");
        req[5] = (char)c;
        got = parse(req, n);
        want = (c > 0x20 && c < 0x7f) ? BH_OK : BH_EREQUEST;
        if (got != want) {
            char m[80];
            snprintf(m, sizeof m, "target byte 0x%02x: %d", c, got);
            t_fail(__FILE__, __LINE__, m);
        }
    }
}

/* ---- limits --------------------------------------------------------- */

static void limit_header_count(void)
{
    static const char three[] = "GET / HTTP/1.1\r\nHost: h\r\nA: 1\r\nB: 2\r\n\r\n";
    static const char four[] = "GET / HTTP/1.1\r\nHost: h\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n";
    CHECK_EQ(parse_n(S(three), 3), BH_OK);
    CHECK_EQ(R.nheaders, 3);
    CHECK_EQ(parse_n(S(four), 3), BH_EHEADERS);
    CHECK_EQ(bh_http_status_for(BH_EHEADERS), 431);
    CHECK_EQ(P.err_pos, 37);
    /* the array is never written past its size */
    memset(hdrs, 0x5a, sizeof hdrs);
    CHECK_EQ(parse_n(S(four), 3), BH_EHEADERS);
    CHECK_EQ(((unsigned char *)&hdrs[3])[0], 0x5a);
    /* no array at all: only HTTP/1.0 without fields gets through */
    memcpy(work, "GET / HTTP/1.0\r\n\r\n", 18);
    bh_http_init(&P, NULL, 5);
    CHECK_EQ(bh_http_parse(&P, work, 18, &R), BH_OK);
    memcpy(work, "GET / HTTP/1.1\r\nHost: h\r\n\r\n", 27);
    bh_http_init(&P, NULL, 5);
    CHECK_EQ(bh_http_parse(&P, work, 27, &R), BH_EHEADERS);
}

/* A request whose head is exactly `head` bytes long (head >= 40). */
static size_t make_head(char *out, size_t head)
{
    size_t fixed = strlen("GET / HTTP/1.1\r\nHost: h\r\nX: \r\n\r\n");
    size_t pad = head - fixed, n;
    n = (size_t)sprintf(out, "GET / HTTP/1.1\r\nHost: h\r\nX: ");
    memset(out + n, 'v', pad);
    n += pad;
    memcpy(out + n, "\r\n\r\n", 4);
    return n + 4;
}

static void limit_header_bytes(void)
{
    static char req[20000];
    size_t n, k;
    /* the default limit, exactly and one over */
    n = make_head(req, BH_HTTP_MAX_HEADER_BYTES);
    CHECK_EQ(parse(req, n), BH_OK);
    CHECK_EQ(R.head_len, BH_HTTP_MAX_HEADER_BYTES);
    n = make_head(req, BH_HTTP_MAX_HEADER_BYTES + 1);
    CHECK_EQ(parse(req, n), BH_EHEADSIZE);
    CHECK_EQ(bh_http_status_for(BH_EHEADSIZE), 431);
    /* decided as soon as the limit is passed, not at the end of the head */
    CHECK_EQ(parse(req, BH_HTTP_MAX_HEADER_BYTES), BH_EHEADSIZE);
    CHECK_EQ(parse(req, BH_HTTP_MAX_HEADER_BYTES - 2), BH_EINCOMPLETE);
    /* a configured limit, at every size around it */
    for (k = 40; k < 80; k++) {
        n = make_head(req, k);
        memcpy(work, req, n);
        bh_http_init(&P, hdrs, 16);
        P.max_header_bytes = 60;
        CHECK_EQ(bh_http_parse(&P, work, n, &R), k <= 60 ? BH_OK : BH_EHEADSIZE);
    }
    /* a request line longer than the limit */
    memset(req, 'a', 9000);
    memcpy(req, "GET /", 5);
    CHECK_EQ(parse(req, 9000), BH_EHEADSIZE);
    /* leading empty lines count */
    n = make_head(req + 2, 60);
    memcpy(req, "\r\n", 2);
    memcpy(work, req, n + 2);
    bh_http_init(&P, hdrs, 16);
    P.max_header_bytes = 61;
    CHECK_EQ(bh_http_parse(&P, work, n + 2, &R), BH_EHEADSIZE);
    bh_http_init(&P, hdrs, 16);
    P.max_header_bytes = 62;
    CHECK_EQ(bh_http_parse(&P, work, n + 2, &R), BH_OK);
    /* tiny limits */
    for (k = 0; k < 3; k++) {
        bh_http_init(&P, hdrs, 16);
        P.max_header_bytes = k;
        CHECK_EQ(bh_http_parse(&P, work, n + 2, &R), BH_EHEADSIZE);
    }
}

static void limit_body_bytes(void)
{
    static char req[300];
    size_t n;
    /* Content-Length at the limit and over it; over is decided from the head */
    n = (size_t)sprintf(req, "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\n0123456789");
    memcpy(work, req, n);
    bh_http_init(&P, hdrs, 16);
    P.max_body_bytes = 10;
    CHECK_EQ(bh_http_parse(&P, work, n, &R), BH_OK);
    bh_http_init(&P, hdrs, 16);
    P.max_body_bytes = 9;
    CHECK_EQ(bh_http_parse(&P, work, n - 10, &R), BH_EBODYSIZE);
    CHECK_EQ(bh_http_status_for(BH_EBODYSIZE), 413);
    /* huge Content-Length values */
    CHECK_EQ(parse(S("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1048577\r\n\r\n")),
             BH_EBODYSIZE);
    CHECK_EQ(parse(S("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1048576\r\n\r\n")),
             BH_EINCOMPLETE);
    CHECK_EQ(R.content_length, 1048576);
    CHECK_EQ(parse(S("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 18446744073709551615\r\n\r\n")),
             BH_EBODYSIZE);
    CHECK_EQ(parse(S("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1000000000000\r\n\r\n")),
             BH_EBODYSIZE);
    /* chunked: the total of the chunks, checked at each chunk size */
    n = (size_t)sprintf(req, "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
                             "6\r\n012345\r\n4\r\n6789\r\n0\r\n\r\n");
    memcpy(work, req, n);
    bh_http_init(&P, hdrs, 16);
    P.max_body_bytes = 10;
    CHECK_EQ(bh_http_parse(&P, work, n, &R), BH_OK);
    CHECK(view_is(R.body, R.body_len, "0123456789"));
    memcpy(work, req, n);
    bh_http_init(&P, hdrs, 16);
    P.max_body_bytes = 9;
    CHECK_EQ(bh_http_parse(&P, work, n, &R), BH_EBODYSIZE);
    CHECK_EQ(P.err_pos, (size_t)(strstr(req, "4\r\n") - req));
    /* a zero limit still takes empty bodies */
    n = (size_t)sprintf(req, "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n");
    memcpy(work, req, n);
    bh_http_init(&P, hdrs, 16);
    P.max_body_bytes = 0;
    CHECK_EQ(bh_http_parse(&P, work, n, &R), BH_OK);
}

static void limit_trailers_and_extensions(void)
{
    static char req[4096];
    size_t n, i;
    const char *head = "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n";
    /* trailer fields: as many as the header array holds */
    n = (size_t)sprintf(req, "%s0\r\nA: 1\r\nB: 2\r\n\r\n", head);
    CHECK_EQ(parse_n(req, n, 2), BH_OK);
    CHECK_EQ(parse_n(req, n, 1), BH_EHEADERS);
    /* extensions and trailers share max_header_bytes */
    n = (size_t)sprintf(req, "%s1;", head);
    for (i = 0; i < 100; i++) req[n++] = 'e';
    n += (size_t)sprintf(req + n, "\r\nx\r\n0\r\nT: 12345\r\n\r\n");
    /* the extension ";eee..." is 101 bytes, the trailer line 10, the blank
       line ending the trailers 2: 113 in all */
    for (i = 100; i < 120; i++) {
        memcpy(work, req, n);
        bh_http_init(&P, hdrs, 16);
        P.max_header_bytes = i;
        CHECK_EQ(bh_http_parse(&P, work, n, &R), i >= 113 ? BH_OK : BH_EHEADSIZE);
    }
    /* an endless extension is cut off at the limit */
    n = (size_t)sprintf(req, "%s1;", head);
    memset(req + n, 'e', 3000);
    memcpy(work, req, n + 3000);
    bh_http_init(&P, hdrs, 16);
    P.max_header_bytes = 2000;
    CHECK_EQ(bh_http_parse(&P, work, n + 3000, &R), BH_EHEADSIZE);
    /* an endless trailer too */
    n = (size_t)sprintf(req, "%s0\r\nT: ", head);
    memset(req + n, 't', 3000);
    memcpy(work, req, n + 3000);
    bh_http_init(&P, hdrs, 16);
    P.max_header_bytes = 2000;
    CHECK_EQ(bh_http_parse(&P, work, n + 3000, &R), BH_EHEADSIZE);
}

/* Limits are meant to be set before a request starts; lowering them in the
   middle must still never read out of bounds nor let a request past them. */
static void limits_lowered_midway(void)
{
    static const char req[] = "POST / HTTP/1.1\r\nHost: h\r\nX-Long: abcdefghijklmnop\r\n"
                              "Transfer-Encoding: chunked\r\n\r\n"
                              "8\r\n01234567\r\n8\r\n89abcdef\r\n0\r\n\r\n";
    size_t n = sizeof req - 1, cut;
    for (cut = 1; cut < n; cut++) {
        int rc;
        char *a = (char *)malloc(cut), *b = (char *)malloc(n);
        if (!a || !b) {
            free(a);
            free(b);
            return;
        }
        memcpy(a, req, cut);
        memcpy(b, req, n);
        bh_http_init(&P, hdrs, 16);
        rc = bh_http_parse(&P, a, cut, &R);
        P.max_header_bytes = 20;
        P.max_body_bytes = 4;
        if (rc == BH_EINCOMPLETE) {
            rc = bh_http_parse(&P, b, n, &R);
            /* past the second chunk's size, every chunk was accepted
               under the old limit */
            if (cut > (size_t)(strstr(req, "8\r\n89") - req) + 2) CHECK_EQ(rc, BH_OK);
            else CHECK(rc == BH_EHEADSIZE || rc == BH_EBODYSIZE);
        }
        free(a);
        free(b);
    }
}

/* ---- Expect: 100-continue ------------------------------------------- */

static void expect_continue(void)
{
    static const char req[] = "POST / HTTP/1.1\r\nHost: h\r\nExpect: 100-Continue\r\n"
                              "Content-Length: 5\r\n\r\nhello";
    size_t head = sizeof req - 1 - 5;
    memcpy(work, req, sizeof req - 1);
    bh_http_init(&P, hdrs, 16);
    /* the head alone: answer 100 now */
    CHECK_EQ(bh_http_parse(&P, work, head - 1, &R), BH_EINCOMPLETE);
    CHECK_EQ(R.send_continue, 0);
    CHECK_EQ(R.head_len, 0);
    CHECK_EQ(bh_http_parse(&P, work, head, &R), BH_EINCOMPLETE);
    CHECK_EQ(R.send_continue, 1);
    CHECK_EQ(R.expect_continue, 1);
    CHECK_EQ(R.head_len, head);
    CHECK_EQ(R.content_length, 5);
    /* once only */
    CHECK_EQ(bh_http_parse(&P, work, head, &R), BH_EINCOMPLETE);
    CHECK_EQ(R.send_continue, 0);
    CHECK_EQ(bh_http_parse(&P, work, head + 2, &R), BH_EINCOMPLETE);
    CHECK_EQ(R.send_continue, 0);
    CHECK_EQ(bh_http_parse(&P, work, sizeof req - 1, &R), BH_OK);
    CHECK_EQ(R.expect_continue, 1);
    CHECK(view_is(R.body, R.body_len, "hello"));
    /* head and some body in one call: the client did not wait, no 100 */
    bh_http_init(&P, hdrs, 16);
    CHECK_EQ(bh_http_parse(&P, work, head + 1, &R), BH_EINCOMPLETE);
    CHECK_EQ(R.send_continue, 0);
    /* no body to come: no 100 */
    CHECK_EQ(parse(S("POST / HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\n"
                     "Content-Length: 0\r\n\r\n")),
             BH_OK);
    CHECK_EQ(R.send_continue, 0);
    CHECK_EQ(parse(S("GET / HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\n\r\n")), BH_OK);
    /* chunked bodies get a 100 too */
    CHECK_EQ(parse(S("POST / HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\n"
                     "Transfer-Encoding: chunked\r\n\r\n")),
             BH_EINCOMPLETE);
    CHECK_EQ(R.send_continue, 1);
    /* too large: 413 before the body */
    CHECK_EQ(parse(S("POST / HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\n"
                     "Content-Length: 2000000\r\n\r\n")),
             BH_EBODYSIZE);
    CHECK_EQ(R.send_continue, 0);
    /* an unknown expectation: 417 before the body */
    CHECK_EQ(parse(S("POST / HTTP/1.1\r\nHost: h\r\nExpect: something\r\n"
                     "Content-Length: 5\r\n\r\n")),
             BH_EEXPECT);
    CHECK_EQ(R.send_continue, 0);
    CHECK_EQ(bh_http_status_for(BH_EEXPECT), 417);
    /* HTTP/1.0: Expect is ignored (RFC 9110 10.1.1) */
    CHECK_EQ(parse(S("POST / HTTP/1.0\r\nExpect: 100-continue\r\n"
                     "Content-Length: 1\r\n\r\n")),
             BH_EINCOMPLETE);
    CHECK_EQ(R.send_continue, 0);
    CHECK_EQ(R.expect_continue, 0);
    CHECK_EQ(parse(S("POST / HTTP/1.0\r\nExpect: odd\r\nContent-Length: 1\r\n\r\nx")),
             BH_OK);
}

/* ---- the incremental contract --------------------------------------- */

static void incremental_basics(void)
{
    static const char req[] = "POST /x HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc";
    size_t i;
    memcpy(work, req, sizeof req - 1);
    bh_http_init(&P, hdrs, 16);
    /* NULL with no bytes, and every strict prefix: more input needed */
    CHECK_EQ(bh_http_parse(&P, NULL, 0, &R), BH_EINCOMPLETE);
    for (i = 0; i < sizeof req - 1; i++)
        CHECK_EQ(bh_http_parse(&P, work, i, &R), BH_EINCOMPLETE);
    CHECK_EQ(bh_http_parse(&P, work, sizeof req - 1, &R), BH_OK);
    /* done is done: the same answer again, with more bytes too */
    CHECK_EQ(bh_http_parse(&P, work, sizeof req - 1, &R), BH_OK);
    CHECK_EQ(R.consumed, sizeof req - 1);
    CHECK_EQ(bh_http_parse(&P, work, sizeof req + 5, NULL), BH_OK);
    /* bad arguments */
    CHECK_EQ(bh_http_parse(NULL, work, 3, &R), BH_EINVAL);
    CHECK_EQ(bh_http_parse(&P, NULL, 3, &R), BH_EINVAL);
    CHECK_EQ(bh_http_parse(&P, work, 10, &R), BH_EINVAL); /* shorter than parsed */
    /* reset keeps the array and limits */
    P.max_body_bytes = 2;
    bh_http_reset(&P);
    CHECK_EQ(P.max_body_bytes, 2);
    CHECK_EQ(bh_http_parse(&P, work, sizeof req - 1, &R), BH_EBODYSIZE);
}

static void buffer_may_move(void)
{
    static const char req[] = "POST /moved HTTP/1.1\r\nHost: h\r\nX-A: one\r\n"
                              "Transfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n";
    char *a = (char *)malloc(sizeof req), *b = (char *)malloc(sizeof req);
    size_t cut = 45; /* inside the head, after two fields */
    if (!a || !b) {
        T_SKIP("out of memory");
        free(a);
        free(b);
        return;
    }
    memcpy(a, req, cut);
    bh_http_init(&P, hdrs, 16);
    CHECK_EQ(bh_http_parse(&P, a, cut, &R), BH_EINCOMPLETE);
    CHECK(P.nheaders == 2 && hdrs[0].name == a + 22);
    memcpy(b, a, cut);
    memset(a, 0, cut); /* the old buffer is gone */
    memcpy(b + cut, req + cut, sizeof req - 1 - cut);
    CHECK_EQ(bh_http_parse(&P, b, sizeof req - 1, &R), BH_OK);
    CHECK(view_is(R.target, R.target_len, "/moved"));
    CHECK(hdrs[0].name == b + 22);
    CHECK_STR(header("host"), "h");
    CHECK_STR(header("x-a"), "one");
    CHECK(view_is(R.body, R.body_len, "abc"));
    free(a);
    free(b);
}

/* Requests (and streams of them) that are parsed whole, split at every
   point, and byte by byte; each must give the same answers. */
static const char *const corpus[] = {
    "GET / HTTP/1.1\r\nHost: h\r\n\r\n",
    "GET /a HTTP/1.0\r\n\r\n",
    "\r\n\r\nGET /lead HTTP/1.1\r\nHost: h\r\n\r\n",
    "POST /in HTTP/1.1\r\nHost: h\r\nContent-Length: 11\r\n\r\nhello world",
    "POST /c HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
    "5;a=b\r\nhello\r\n1 ; q=\"x\\\"y\"\r\n \r\n5\r\nworld\r\n0\r\nT: 1\r\nU: 2\r\n\r\n",
    "POST /a HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nfirst"
    "POST /b HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"
    "GET /c HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n",
    "GET /1 HTTP/1.1\r\nHost: h\r\n\r\nGET /2 HTTP/1.1\r\nHost: h\r\n\r\nGET /3 HTTP/1.0\r\n\r\n",
    "POST / HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\nbody",
    "POST / HTTP/1.1\r\nHost: h\r\nA:  spaced  \r\nB:\r\nC: \t\r\nContent-Length: 0\r\n\r\n",
    "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET / HTTP/1.1\r\nHost: h\r\n\r\n",
    "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
    "000000000000000A\r\n0123456789\r\n0\r\n\r\n",
    /* refused ones: the error and its position must not depend on splits */
    "GET / HTTP/1.1\r\nHost : h\r\n\r\n",
    "GET / HTTP/1.1\r\nHost: h\r\nX: a\r\n b\r\n\r\n",
    "GET / HTTP/1.1\nHost: h\n\n",
    "GET / HTTP/1.1\r\nHost: h\rX: 1\r\n\r\n",
    "GET / HTTP/1.1\r\n\r\n",
    "GET / HTTP/2.0\r\nHost: h\r\n\r\n",
    "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n",
    "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n",
    "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip, chunked\r\n\r\n",
    "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhelloX\r\n",
    "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n00000000000000001\r\n",
    "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5 \r\nhello\r\n",
    "POST / HTTP/1.1\r\nHost: h\r\nExpect: nope\r\nContent-Length: 3\r\n\r\nabc",
    "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 2000000\r\n\r\n",
    "GET / HTTP/1.1\r\nHost: h\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\nE: 5\r\nF: 6\r\nG: 7\r\nH: 8\r\n\r\n",
    "GET / HTTP/1.1\r\nHost: h\r\nX: \x01\r\n\r\n",
    "GET /ok HTTP/1.1\r\nHost: h\r\n\r\nGET /bad HTTP/1.1\r\nHost: h\r\nBad Name: 1\r\n\r\n",
};

/* Compare the whole run with runs split everywhere; report the first
   split that differs. */
static void check_splits(const char *label, const char *in, size_t n,
                         const hd_cfg *cfg)
{
    static hd_run whole, split;
    size_t cuts[3], s, i;
    size_t *bytes;
    cuts[0] = n;
    if (!hd_drive(in, n, cuts, 1, cfg, &whole)) {
        t_fail(__FILE__, __LINE__, "out of memory");
        return;
    }
    for (s = 0; s <= n; s++) {
        cuts[0] = s;
        cuts[1] = n;
        if (!hd_drive(in, n, cuts, 2, cfg, &split) || hd_diff(&whole, &split) >= 0) {
            char m[200];
            snprintf(m, sizeof m, "%s: split at %u differs (request %d)", label,
                     (unsigned)s, hd_diff(&whole, &split));
            t_fail(__FILE__, __LINE__, m);
            return;
        }
    }
    /* one byte at a time */
    bytes = (size_t *)malloc((n + 1) * sizeof *bytes);
    if (!bytes) return;
    for (i = 0; i < n; i++) bytes[i] = i + 1;
    if (!hd_drive(in, n, bytes, n, cfg, &split) || hd_diff(&whole, &split) >= 0) {
        char m[200];
        snprintf(m, sizeof m, "%s: byte at a time differs", label);
        t_fail(__FILE__, __LINE__, m);
    }
    /* three random pieces, a few times */
    for (i = 0; i < 20 && n > 2; i++) {
        cuts[0] = t_rand() % n;
        cuts[1] = cuts[0] + t_rand() % (n - cuts[0]);
        cuts[2] = n;
        if (!hd_drive(in, n, cuts, 3, cfg, &split) || hd_diff(&whole, &split) >= 0) {
            char m[200];
            snprintf(m, sizeof m, "%s: cuts %u,%u differ", label,
                     (unsigned)cuts[0], (unsigned)cuts[1]);
            t_fail(__FILE__, __LINE__, m);
        }
    }
    free(bytes);
}

static void same_answer_at_every_split(void)
{
    size_t i;
    hd_cfg cfg;
    cfg.max_headers = 8;
    cfg.max_header_bytes = 0;
    cfg.max_body_bytes = 0;
    for (i = 0; i < sizeof corpus / sizeof corpus[0]; i++) {
        char label[32];
        snprintf(label, sizeof label, "corpus %u", (unsigned)i);
        check_splits(label, corpus[i], strlen(corpus[i]), &cfg);
    }
    /* the same corpus with tight limits, so that limit errors are split too */
    cfg.max_headers = 3;
    cfg.max_header_bytes = 48;
    cfg.max_body_bytes = 6;
    for (i = 0; i < sizeof corpus / sizeof corpus[0]; i++) {
        char label[32];
        snprintf(label, sizeof label, "tight corpus %u", (unsigned)i);
        check_splits(label, corpus[i], strlen(corpus[i]), &cfg);
    }
}

/* The same results whole and split: the driver itself must see what the
   parser said (a sanity check on the comparison). */
static void split_driver_sees_results(void)
{
    static hd_run run;
    hd_cfg cfg;
    size_t cut = 20, n = strlen(corpus[5]);
    cfg.max_headers = 8;
    cfg.max_header_bytes = 0;
    cfg.max_body_bytes = 0;
    CHECK(hd_drive(corpus[5], n, &n, 1, &cfg, &run));
    CHECK_EQ(run.nreq, 3);
    CHECK_EQ(run.req[0].body_len, 5);
    CHECK_EQ(run.req[1].body_len, 3);
    CHECK_EQ(run.req[1].chunked, 1);
    CHECK_EQ(run.req[2].keep_alive, 0);
    CHECK_EQ(run.req[3].rc, BH_EINCOMPLETE);
    CHECK(hd_drive(corpus[7], strlen(corpus[7]), &cut, 1, &cfg, &run));
    CHECK_EQ(run.req[0].rc, BH_EINCOMPLETE);
}

static void blue_delivery_every_split(void)
{
    size_t blen, n;
    char *body = load("../shared/blue/todo_created.min.json", &blen);
    char *req;
    hd_cfg cfg;
    static hd_run run;
    if (!body) {
        T_SKIP("../shared/blue/todo_created.min.json not found");
        return;
    }
    req = (char *)malloc(blen + 1024);
    if (!req) {
        free(body);
        return;
    }
    n = (size_t)sprintf(req,
                        "POST /webhooks/blue HTTP/1.1\r\n"
                        "Host: receiver.example.com\r\n"
                        "User-Agent: Blue-Webhooks/1.0\r\n"
                        "Content-Type: application/json\r\n"
                        "Content-Length: %u\r\n"
                        "X-Signature: 0c8d1d1fb4f3a1e0b0e6d7f1c0f3e0b3e1a9c6f8e2d7b4a1c9e8f7d6c5b4a392\r\n"
                        "Accept: application/json, text/plain, */*\r\n"
                        "Accept-Encoding: gzip, compress, deflate, br\r\n"
                        "Connection: keep-alive\r\n"
                        "\r\n",
                        (unsigned)blen);
    memcpy(req + n, body, blen);
    n += blen;
    cfg.max_headers = 16;
    cfg.max_header_bytes = 0;
    cfg.max_body_bytes = 0;
    check_splits("blue delivery", req, n, &cfg);
    CHECK(hd_drive(req, n, &n, 1, &cfg, &run));
    CHECK_EQ(run.nreq, 1);
    CHECK_EQ(run.req[0].nheaders, 8);
    CHECK_EQ(run.req[0].body_len, blen);
    CHECK_EQ(run.req[0].body_hash, hd_hash(body, blen));
    free(body);
    free(req);
}

/* ---- no over-read: the input ends at a PROT_NONE page ---------------- */

static void guard_page(void)
{
#ifdef HAVE_MMAP
    size_t page = (size_t)sysconf(_SC_PAGESIZE), map = 4 * page, i, k;
    char *m = (char *)mmap(NULL, map + page, PROT_READ | PROT_WRITE,
                           MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    char *guard;
    if (m == MAP_FAILED) {
        T_SKIP("mmap failed");
        return;
    }
    guard = m + map;
    if (mprotect(guard, page, PROT_NONE) != 0) {
        munmap(m, map + page);
        T_SKIP("mprotect failed");
        return;
    }
    for (i = 0; i < sizeof corpus / sizeof corpus[0]; i++) {
        size_t n = strlen(corpus[i]);
        int whole_rc;
        /* every prefix, parsed whole, ending right before the guard page */
        for (k = 0; k <= n && k <= map; k++) {
            memcpy(guard - k, corpus[i], k);
            bh_http_init(&P, hdrs, 8);
            (void)bh_http_parse(&P, guard - k, k, &R);
        }
        /* and incrementally: the buffer slides so that it always ends there */
        memcpy(guard - n, corpus[i], n);
        bh_http_init(&P, hdrs, 8);
        whole_rc = bh_http_parse(&P, guard - n, n, &R);
        bh_http_init(&P, hdrs, 8);
        for (k = 0; k <= n; k++) {
            int rc;
            if (k) {
                memmove(guard - k, guard - k + 1, k - 1);
                guard[-1] = corpus[i][k - 1];
            }
            rc = bh_http_parse(&P, guard - k, k, &R);
            if (rc != BH_EINCOMPLETE) {
                CHECK_EQ(rc, whole_rc);
                break;
            }
        }
    }
    munmap(m, map + page);
#else
    T_SKIP("no mmap on this platform");
#endif
}

/* ---- responses ------------------------------------------------------ */

static void response_heads(void)
{
    static const char want401[] =
        "HTTP/1.1 401 Unauthorized\r\nContent-Length: 12\r\n"
        "Connection: keep-alive\r\nContent-Type: text/plain\r\n"
        "X-Reason: bad\tsignature\r\n\r\n";
    char out[256];
    bh_header extra[2];
    int n;
    n = bh_http_response(out, sizeof out, 200, 2, 1, NULL, 0);
    CHECK_STR(out, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: keep-alive\r\n\r\n");
    CHECK_EQ(n, (int)strlen(out));
    n = bh_http_response(out, sizeof out, 413, 0, 0, NULL, 0);
    CHECK_STR(out, "HTTP/1.1 413 Content Too Large\r\nContent-Length: 0\r\n"
                   "Connection: close\r\n\r\n");
    CHECK_EQ(n, (int)strlen(out));
    n = bh_http_response(out, sizeof out, 100, 0, 1, NULL, 0);
    CHECK_STR(out, "HTTP/1.1 100 Continue\r\n\r\n");
    n = bh_http_response(out, sizeof out, 204, 5, 1, NULL, 0);
    CHECK_STR(out, "HTTP/1.1 204 No Content\r\nConnection: keep-alive\r\n\r\n");
    n = bh_http_response(out, sizeof out, 299, (size_t)-1, 0, NULL, 0);
    CHECK(strncmp(out, "HTTP/1.1 299 \r\nContent-Length: ", 31) == 0);
    CHECK_EQ(n, (int)strlen(out));
    extra[0].name = "Content-Type";
    extra[0].name_len = 12;
    extra[0].value = "text/plain";
    extra[0].value_len = 10;
    extra[1].name = "X-Reason";
    extra[1].name_len = 8;
    extra[1].value = "bad\tsignature";
    extra[1].value_len = 13;
    n = bh_http_response(out, sizeof out, 401, 12, 1, extra, 2);
    CHECK_STR(out, want401);
    CHECK_EQ(n, (int)strlen(out));
}

static void response_capacity(void)
{
    char full[256], out[256];
    int n = bh_http_response(full, sizeof full, 200, 2334, 1, NULL, 0), k;
    CHECK(n > 0);
    CHECK_EQ(bh_http_response(NULL, 0, 200, 2334, 1, NULL, 0), n);
    for (k = 1; k <= n + 1; k++) {
        memset(out, 'Z', sizeof out);
        CHECK_EQ(bh_http_response(out, (size_t)k, 200, 2334, 1, NULL, 0), n);
        CHECK(strlen(out) == (size_t)(k - 1 < n ? k - 1 : n));
        CHECK(strncmp(out, full, (size_t)(k - 1)) == 0);
        CHECK(out[k] == 'Z');
    }
}

static void response_refuses_bad_input(void)
{
    char out[256];
    bh_header h;
    CHECK_EQ(bh_http_response(out, sizeof out, 99, 0, 1, NULL, 0), BH_EINVAL);
    CHECK_EQ(bh_http_response(out, sizeof out, 1000, 0, 1, NULL, 0), BH_EINVAL);
    CHECK_EQ(bh_http_response(NULL, 5, 200, 0, 1, NULL, 0), BH_EINVAL);
    CHECK_EQ(bh_http_response(out, sizeof out, 200, 0, 1, NULL, 1), BH_EINVAL);
    h.name = "X";
    h.name_len = 1;
    h.value = "a\r\nSet-Cookie: x";
    h.value_len = 16;
    CHECK_EQ(bh_http_response(out, sizeof out, 200, 0, 1, &h, 1), BH_EINVAL);
    h.value = "ok";
    h.value_len = 2;
    h.name = "Bad Name";
    h.name_len = 8;
    CHECK_EQ(bh_http_response(out, sizeof out, 200, 0, 1, &h, 1), BH_EINVAL);
    h.name_len = 0;
    CHECK_EQ(bh_http_response(out, sizeof out, 200, 0, 1, &h, 1), BH_EINVAL);
    h.name = "content-length";
    h.name_len = 14;
    CHECK_EQ(bh_http_response(out, sizeof out, 200, 0, 1, &h, 1), BH_EINVAL);
    h.name = "Transfer-Encoding";
    h.name_len = 17;
    CHECK_EQ(bh_http_response(out, sizeof out, 200, 0, 1, &h, 1), BH_EINVAL);
    h.name = "Connection";
    h.name_len = 10;
    CHECK_EQ(bh_http_response(out, sizeof out, 200, 0, 1, &h, 1), BH_EINVAL);
}

/* A response head the writer made is one the parser's rules accept as a
   field block: every line ends in CRLF, no bare CR or LF. */
static void response_parses_back(void)
{
    char out[256];
    int n = bh_http_response(out, sizeof out, 202, 7, 0, NULL, 0), i;
    CHECK(n > 0);
    for (i = 0; i < n; i++) {
        if (out[i] == '\n') CHECK(i > 0 && out[i - 1] == '\r');
        if (out[i] == '\r') CHECK(i + 1 < n && out[i + 1] == '\n');
    }
    CHECK(n >= 4 && memcmp(out + n - 4, "\r\n\r\n", 4) == 0);
}

int main(void)
{
    T_RUN(get_request);
    T_RUN(post_content_length);
    T_RUN(field_values_trimmed);
    T_RUN(every_method_token_and_forms);
    T_RUN(leading_empty_lines_skipped);
    T_RUN(chunked_with_extensions_and_trailers);
    T_RUN(chunked_coding_name_case);
    T_RUN(zero_length_bodies);
    T_RUN(repeated_equal_content_length);
    T_RUN(pipelined_pair);
    T_RUN(keep_alive_rules);
    T_RUN(http10_without_host);
    T_RUN(refused_requests);
    T_RUN(error_positions);
    T_RUN(errors_decided_early);
    T_RUN(status_mapping);
    T_RUN(byte_classes);
    T_RUN(limit_header_count);
    T_RUN(limit_header_bytes);
    T_RUN(limit_body_bytes);
    T_RUN(limit_trailers_and_extensions);
    T_RUN(limits_lowered_midway);
    T_RUN(expect_continue);
    T_RUN(incremental_basics);
    T_RUN(buffer_may_move);
    T_RUN(same_answer_at_every_split);
    T_RUN(split_driver_sees_results);
    T_RUN(blue_delivery_every_split);
    T_RUN(guard_page);
    T_RUN(response_heads);
    T_RUN(response_capacity);
    T_RUN(response_refuses_bad_input);
    T_RUN(response_parses_back);
    return t_done();
}
