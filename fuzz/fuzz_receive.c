/* fuzz/fuzz_receive.c - libFuzzer harness for the receive pipeline behind
   the connection server (bh_receiver_serve, bh_receive).

   Input: 3 bytes of settings, then data.
     [0]    seed for the points where the stream is split
     [1]    bit 0: data is a body, which the harness signs and frames
                   (bit 1: chunked) so the fuzzer reaches past the
                   signature into JSON, shape, event name, filter;
                   otherwise data is the raw byte stream of a connection
            bit 2: a replay cache; bit 3: health checks reach the handler;
            bit 4: not a Blue receiver (any JSON, the name from "/type");
            bit 5: a replay store that cannot answer (Redis down)
     [2]    the connection buffer's size / 16 (0: 4096)
   Properties checked:
   - the stream served whole and split at fuzzer-chosen points gives the
     same answers (status, close, and bytes consumed unless closing: a
     request refused at its head may be whole or not) in the same order;
   - every answer is a well-formed response of at most BH_RESPONSE_MAX
     bytes, its status in 100..599, consumed within what was given, and
     it says "Connection: close" exactly when the server closes;
   - a handler only ever sees a body whose X-Signature is the HMAC of its
     bytes (checked here with the plain HMAC, not bh_verify);
   - no handler runs while the replay store cannot answer.
   Build: make fuzz-build; run: fuzz/run.sh fuzz fuzz_receive SECONDS. */
#define BLUEHOOK_IMPLEMENTATION
#include "../bluehook.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SETTINGS 3
#define MAX_ANSWERS 64
static const char SECRET[] = "fuzz-secret";

static void die(const char *what)
{
    fprintf(stderr, "fuzz_receive: %s\n", what);
    abort();
}

static int on_any(void *ctx, const bh_received *r)
{
    uint8_t mac[32];
    char hex[65];
    const bh_header *h = bh_header_find(r->headers, r->nheaders, "X-Signature");
    size_t i;
    if (ctx) die("a handler ran while the replay store was down");
    bh_hmac_sha256(SECRET, sizeof SECRET - 1, r->body, r->body_len, mac);
    bh_hex_encode(hex, sizeof hex, mac, 32);
    if (!h || h->value_len != 64) die("a handler saw a request without a signature");
    for (i = 0; i < 64; i++)
        if ((h->value[i] | 0x20) != hex[i]) die("a handler saw a body that is not signed");
    return r->body_len % 7 == 3 ? 503 : 0; /* some handlers fail */
}

struct run {
    int status[MAX_ANSWERS];
    size_t consumed[MAX_ANSWERS];
    int close[MAX_ANSWERS];
    int n;
};

static bh_key key;
static bh_json_tok toks[256];
static bh_replay_slot slots[8];
static bh_replay cache;
static bh_receiver rx;
static bh_filter filter;
static bh_filter_node nodes[8];

/* A replay store that is down: every call fails. */
static int store_down(void *ctx, const bh_replay_id *id, int64_t now)
{
    (void)ctx;
    (void)id;
    (void)now;
    return BH_EUNAVAILABLE;
}
static const bh_replay_store down = {store_down, store_down, store_down, NULL};

static void setup(unsigned flags)
{
    static const char f[] = "$/event != \"TAG_DELETED\"";
    bh_key_init(&key, BH_SCHEME_BLUE, SECRET, sizeof SECRET - 1);
    bh_receiver_init(&rx, BH_SCHEME_BLUE, &key, 1, toks, 256);
    bh_receiver_on(&rx, BH_EVENT_UNKNOWN, on_any, NULL);
    bh_receiver_on(&rx, BH_EVENT_TODO_CREATED, on_any, NULL);
    bh_filter_parse(&filter, f, sizeof f - 1, nodes, 8);
    rx.filter = &filter;
    bh_replay_init(&cache, slots, 8);
    if (flags & 4) rx.replay = &cache;
    if (flags & 32) { /* the handlers' ctx says that the store is down */
        rx.replay_store = &down;
        bh_receiver_on(&rx, BH_EVENT_UNKNOWN, on_any, &rx);
        bh_receiver_on(&rx, BH_EVENT_TODO_CREATED, on_any, &rx);
    }
    rx.health_checks = (flags & 8) != 0;
    if (flags & 16) {
        rx.blue = 0;
        rx.event_pointer = "/type";
    }
}

/* 1 when a response head says "Connection: close". */
static int says_close(const char *out, size_t n)
{
    static const char f[] = "\r\nConnection: close\r\n";
    size_t i;
    for (i = 0; i + sizeof f - 1 <= n; i++)
        if (memcmp(out + i, f, sizeof f - 1) == 0) return 1;
    return 0;
}

/* Serve stream in pieces (cut points from seed; seed 0: whole). */
static void serve(const char *stream, size_t n, size_t cap, unsigned seed, struct run *r)
{
    static char buf[65536];
    char out[BH_RESPONSE_MAX];
    bh_header hdrs[16];
    bh_http_parser p;
    size_t fed = 0, len = 0;
    bh_http_init(&p, hdrs, 16);
    while (fed < n) {
        size_t k = n - fed, room = cap - len;
        int rc;
        bh_served s;
        if (seed) {
            seed = seed * 1103515245u + 12345u;
            k = 1 + (seed >> 16) % (k < 300 ? k : 300);
        }
        if (k > room) k = room;
        memcpy(buf + len, stream + fed, k);
        len += k;
        fed += k;
        for (;;) {
            rc = bh_receiver_serve(&rx, &p, buf, len, cap, 1700000000, out, sizeof out, &s);
            if (s.out_len > sizeof out) die("answer over its capacity");
            if (rc == BH_EINCOMPLETE) {
                if (s.out_len && memcmp(out, "HTTP/1.1 100 Continue\r\n\r\n", 25) != 0)
                    die("an answer while incomplete that is not 100 Continue");
                break;
            }
            if (rc != BH_OK) die("serve failed");
            if (s.consumed > len || memcmp(out, "HTTP/1.1 ", 9) != 0 ||
                s.outcome.status < 100 || s.outcome.status > 599 || !s.outcome.reason)
                die("a malformed answer");
            if (says_close(out, s.out_len) != s.close)
                die("the answer's Connection field disagrees with close");
            if (r->n < MAX_ANSWERS) {
                r->status[r->n] = s.outcome.status;
                r->consumed[r->n] = s.consumed;
                r->close[r->n] = s.close;
            }
            r->n++;
            memmove(buf, buf + s.consumed, len - s.consumed);
            len -= s.consumed;
            if (s.close) return;
        }
        if (len == cap) die("a full buffer was not answered");
    }
}

/* A signed request around body. */
static size_t frame(char *out, const char *body, size_t n, int chunked)
{
    bh_header h[1];
    char sig[80];
    size_t at;
    bh_sign(&key, NULL, 0, body, n, h, 1, sig, sizeof sig);
    at = (size_t)sprintf(out, "POST / HTTP/1.1\r\nHost: f\r\nContent-Type: application/json\r\n"
                              "X-Signature: %s\r\n", h[0].value);
    if (!chunked) {
        at += (size_t)sprintf(out + at, "Content-Length: %zu\r\n\r\n", n);
        memcpy(out + at, body, n);
        return at + n;
    }
    at += (size_t)sprintf(out + at, "Transfer-Encoding: chunked\r\n\r\n%zx\r\n", n / 2);
    memcpy(out + at, body, n / 2);
    at += n / 2;
    at += (size_t)sprintf(out + at, "\r\n%zx\r\n", n - n / 2);
    memcpy(out + at, body + n / 2, n - n / 2);
    at += n - n / 2;
    return at + (size_t)sprintf(out + at, "\r\n0\r\n\r\n");
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    static char stream[70000];
    static struct run whole, split;
    unsigned flags;
    size_t cap, n, i;
    if (size < SETTINGS || size > 16384 + SETTINGS) return 0;
    flags = data[1];
    cap = data[2] ? (size_t)data[2] * 16 : 4096;
    if (cap < 64) cap = 64;
    setup(flags);
    if (flags & 1) {
        n = frame(stream, (const char *)data + SETTINGS, size - SETTINGS, (flags & 2) != 0);
    } else {
        n = size - SETTINGS;
        memcpy(stream, data + SETTINGS, n);
    }
    memset(&whole, 0, sizeof whole);
    memset(&split, 0, sizeof split);
    setup(flags);
    serve(stream, n, cap, 0, &whole);
    setup(flags);
    serve(stream, n, cap, data[0] | 0x100u, &split);
    if (whole.n != split.n) die("a split stream got another number of answers");
    for (i = 0; i < (size_t)whole.n && i < MAX_ANSWERS; i++)
        if (whole.status[i] != split.status[i] || whole.close[i] != split.close[i] ||
            (!whole.close[i] && whole.consumed[i] != split.consumed[i]))
            die("a split stream got other answers");
    return 0;
}
