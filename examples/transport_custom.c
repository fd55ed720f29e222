/* transport_custom.c: plugging bluehook's sender into your own network
   stack (an lwIP netconn, a cellular modem's AT sockets, a vendor SDK).

   A transport is one function: take a bh_post, send its head and body,
   return the HTTP status (or a negative BH_E* error). bh_post_head() writes
   the head; bh_response_status() reads the answer's status line. Nothing
   else is needed: no heap, no stdio, no OS.

   Usage: transport_custom URL SECRET        (sends one signed Blue event)

   The four modem_* functions stand for your stack. Here they are a thin
   harness over POSIX sockets so the example runs on a desktop; on a device
   they would call your stack's API. */
#define _POSIX_C_SOURCE 200809L
#define BLUEHOOK_IMPLEMENTATION
#include "../bluehook.h"

#include <stdio.h>
#include <string.h>

/* ---- the harness: your stack provides these four ---- */
static int modem_connect(const char *host, size_t host_len, uint16_t port);
static int modem_send(int link, const void *p, size_t n);
static int modem_recv(int link, void *p, size_t cap);
static void modem_close(int link);

/* ---- the transport: this is the part to copy ---- */
static int modem_transport(void *ctx, const bh_post *post)
{
    char head[512], answer[128];
    size_t got = 0;
    bh_url u;
    int n, link, status = BH_EINCOMPLETE;
    (void)ctx;
    if (bh_url_parse(&u, post->url, strlen(post->url)) != BH_OK) return BH_EURL;
    if (u.https) return BH_ENOTLS;          /* or use your stack's TLS */
    n = bh_post_head(head, sizeof head, post);
    if (n < 0) return n;
    if ((size_t)n >= sizeof head) return BH_ESPACE;
    link = modem_connect(u.host, u.host_len, u.port);
    if (link < 0) return BH_ECONNECT;
    if (modem_send(link, head, (size_t)n) < 0 ||
        modem_send(link, post->body, post->body_len) < 0) {
        modem_close(link);
        return BH_ERESET;
    }
    while (status == BH_EINCOMPLETE && got < sizeof answer) {
        int r = modem_recv(link, answer + got, sizeof answer - got);
        if (r <= 0) break;
        got += (size_t)r;
        status = bh_response_status(answer, got);
    }
    modem_close(link);
    return status == BH_EINCOMPLETE ? BH_ERESET : status;
}

/* ---- using it: a sender over static memory, one event ---- */
static uint32_t next_random(void *ctx)
{
    static uint32_t x = 2463534242u; /* use your hardware RNG */
    (void)ctx;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return x;
}

int main(int argc, char **argv)
{
    static bh_sender_hook hooks[1];
    static bh_delivery outbox[4];
    static uint8_t arena[4096];
    static char body[2048];
    static const char record[] = "{\"id\":\"sensor-7\",\"title\":\"Boiler\",\"done\":false}";
    bh_sender_config c;
    bh_sender s;
    bh_webhook w;
    uint64_t now = 0;
    int r;
    if (argc != 3) {
        fprintf(stderr, "usage: transport_custom URL SECRET\n");
        return 2;
    }
    memset(&w, 0, sizeof w);
    w.id = "wh-device";
    w.url = argv[1];
    w.secret = argv[2];
    w.enabled = 1;
    memset(&c, 0, sizeof c);
    c.transport = modem_transport;
    c.random = next_random;
    c.first_delay_ms = BH_NO_DELAY;
    c.backoff_ms = 100;
    c.hooks = hooks;
    c.hooks_cap = 1;
    c.outbox = outbox;
    c.outbox_cap = 4;
    c.arena = arena;
    c.arena_cap = sizeof arena;
    c.body = body;
    c.body_cap = sizeof body;
    if (bh_sender_init(&s, &c) != BH_OK || bh_sender_add(&s, &w, 0) < 0) return 1;
    r = bh_sender_publish(&s, now, "TODO_CREATED", 12, NULL, 0, NULL, 0, record,
                          sizeof record - 1);
    while (r >= 0 && bh_sender_next_due(&s) != UINT64_MAX) {
        now = bh_sender_next_due(&s);  /* a real device waits on its timer */
        bh_sender_poll(&s, now);
    }
    r = r < 0 ? r : outbox[0].state ? outbox[0].last : 200;
    printf("delivered: %s (last result %d)\n", r >= 200 && r < 300 ? "yes" : "no", r);
    return r >= 200 && r < 300 ? 0 : 1;
}

/* ---- the harness, over POSIX sockets ---- */
#include <netdb.h>
#include <sys/socket.h>
#include <unistd.h>

static int modem_connect(const char *host, size_t host_len, uint16_t port)
{
    char h[256], p[8];
    struct addrinfo hints, *ai;
    int fd;
    if (host_len >= sizeof h) return -1;
    memcpy(h, host, host_len);
    h[host_len] = '\0';
    snprintf(p, sizeof p, "%u", (unsigned)port);
    memset(&hints, 0, sizeof hints);
    hints.ai_socktype = SOCK_STREAM;
    if (getaddrinfo(h, p, &hints, &ai) != 0) return -1;
    fd = socket(ai->ai_family, SOCK_STREAM, 0);
    if (fd >= 0 && connect(fd, ai->ai_addr, ai->ai_addrlen) != 0) {
        close(fd);
        fd = -1;
    }
    freeaddrinfo(ai);
    return fd;
}

static int modem_send(int link, const void *p, size_t n)
{
    return send(link, p, n, 0) == (ssize_t)n ? 0 : -1;
}

static int modem_recv(int link, void *p, size_t cap)
{
    return (int)recv(link, p, cap, 0);
}

static void modem_close(int link) { close(link); }
