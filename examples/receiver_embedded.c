/* examples/receiver_embedded.c - the receiver as it runs on a device with
   lwIP's raw TCP API: bytes arrive in chunks of any size through a receive
   callback, into one fixed buffer per connection, and answers leave
   through a send function. The device part uses no OS call, no heap and
   no stdio; Blue's signature needs no clock.

   The harness at the end stands in for lwIP: it reads a byte stream from
   standard input in pseudo-random chunks (1 byte each with seed 0) and
   writes the answers to standard output, the device's log to stderr.

       cc -O2 -o receiver_embedded examples/receiver_embedded.c
       BLUEHOOK_SECRET=... ./receiver_embedded [SEED] < requests.http */
#define _POSIX_C_SOURCE 200809L
#define BLUEHOOK_IMPLEMENTATION
#define BLUEHOOK_STATIC
#define BLUEHOOK_NO_STDIO
#include "../bluehook.h"

#include <string.h>

/* ---- what the board provides (the harness below, on a PC) ---- */
static void net_send(void *conn, const char *data, size_t len); /* tcp_write */
static void device_log(const char *text, size_t len);

/* ---- the device part ---- */

#define HOOK_BUF 6144     /* one request must fit: Blue's are ~2-5 KB */

struct hook_conn {
    char buf[HOOK_BUF];
    size_t len;
    bh_header headers[24];
    bh_http_parser parser;
    int closed;           /* answered with Connection: close: tcp_close */
};

static bh_key key;
static bh_json_tok toks[512];
static bh_replay_slot slots[64];
static bh_replay cache;
static bh_receiver rx;
static unsigned relay_on; /* what this device controls */

static int on_todo_done(void *ctx, const bh_received *r)
{
    int t = bh_json_get(&r->doc, r->payload.current, "/done");
    (void)ctx;
    relay_on = t >= 0 && bh_json_type_of(&r->doc, t) == BH_JSON_TRUE;
    device_log(relay_on ? "relay on\n" : "relay off\n", relay_on ? 9 : 10);
    return 0;
}

static int on_other(void *ctx, const bh_received *r)
{
    (void)ctx;
    device_log(r->name, r->name_len);
    device_log("\n", 1);
    return 0;
}

static int hook_init(const char *secret, size_t len)
{
    if (bh_key_init(&key, BH_SCHEME_BLUE, secret, len) != BH_OK) return -1;
    bh_replay_init(&cache, slots, 64);
    bh_receiver_init(&rx, BH_SCHEME_BLUE, &key, 1, toks, 512);
    rx.max_body = HOOK_BUF;
    rx.replay = &cache;
    bh_receiver_on(&rx, BH_EVENT_TODO_DONE_STATUS_UPDATED, on_todo_done, NULL);
    bh_receiver_on(&rx, BH_EVENT_UNKNOWN, on_other, NULL);
    return 0;
}

static void hook_accept(struct hook_conn *c)
{
    c->len = 0;
    c->closed = 0;
    bh_http_init(&c->parser, c->headers, 24);
}

/* Answer every whole request in the buffer. */
static void hook_serve(struct hook_conn *c)
{
    char out[BH_RESPONSE_MAX];
    bh_served s;
    while (!c->closed) {
        int rc = bh_receiver_serve(&rx, &c->parser, c->buf, c->len,
                                   sizeof c->buf, 0, out, sizeof out, &s);
        if (s.out_len) net_send(c, out, s.out_len);
        if (rc != BH_OK) return; /* wait for more bytes */
        memmove(c->buf, c->buf + s.consumed, c->len - s.consumed);
        c->len -= s.consumed;
        c->closed = s.close;
    }
}

/* The tcp_recv callback's work: any chunk size, any split. Returns -1
   once the connection is to be closed. */
static int hook_recv(struct hook_conn *c, const char *data, size_t n)
{
    while (n && !c->closed) {
        size_t room = sizeof c->buf - c->len, k = n < room ? n : room;
        memcpy(c->buf + c->len, data, k);
        c->len += k;
        data += k;
        n -= k;
        hook_serve(c); /* a full buffer is answered (413) and closed */
    }
    return c->closed ? -1 : 0;
}

/* ---- the harness: lwIP's part, played from stdin and stdout ---- */
#include <stdlib.h>
#include <unistd.h>

static void net_send(void *conn, const char *data, size_t len)
{
    (void)conn;
    while (len) {
        ssize_t w = write(1, data, len);
        if (w <= 0) return;
        data += w;
        len -= (size_t)w;
    }
}

static void device_log(const char *text, size_t len)
{
    ssize_t w = write(2, text, len);
    (void)w;
}

int main(int argc, char **argv)
{
    static struct hook_conn conn;
    static char in[1 << 16];
    const char *secret = getenv("BLUEHOOK_SECRET");
    unsigned long rng = argc > 1 ? strtoul(argv[1], NULL, 10) : 1;
    ssize_t got;
    if (!secret || hook_init(secret, strlen(secret)) != 0) return 2;
    hook_accept(&conn);
    while ((got = read(0, in, sizeof in)) > 0) {
        size_t at = 0;
        while (at < (size_t)got) { /* pbufs of 1 to 97 bytes */
            size_t n = 1;
            if (rng) {
                rng = rng * 6364136223846793005ul + 1442695040888963407ul;
                n = 1 + (size_t)(rng >> 33) % 97;
            }
            if (n > (size_t)got - at) n = (size_t)got - at;
            if (hook_recv(&conn, in + at, n) != 0) return 0; /* tcp_close */
            at += n;
        }
    }
    return 0;
}
