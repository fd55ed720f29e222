/* examples/receiver_posix.c - a Blue webhook receiver on blocking POSIX
   sockets. One connection at a time, keep-alive and pipelining; every
   request goes through bh_receiver_serve, which parses it, verifies the
   signature, checks the payload, drops duplicates and calls the handler.

       cc -O2 -o receiver_posix examples/receiver_posix.c
       BLUEHOOK_SECRET=your-webhook-secret ./receiver_posix [PORT]

   It binds 127.0.0.1 (PORT 0 or none: a free port) and prints the port
   first, then one line per event: its name and the record id. A real
   service would serve each connection in a thread of its own, sharing
   the replay cache through bh_replay_set_lock. */
#define _POSIX_C_SOURCE 200809L
#define BLUEHOOK_IMPLEMENTATION
#include "../bluehook.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static char buf[1 << 20]; /* the largest request this receiver takes */

/* Every event ends here (the default handler); return 0 when handled, or
   500..599 to have the sender retry. */
static int on_event(void *ctx, const bh_received *r)
{
    char record[128] = "-";
    int t = bh_payload_record_id(&r->payload, &r->doc);
    (void)ctx;
    if (t >= 0 && bh_json_string(&r->doc, t, record, sizeof record) < 0)
        strcpy(record, "?");
    printf("%.*s %s\n", (int)r->name_len, r->name, record);
    fflush(stdout);
    return 0;
}

static int write_all(int fd, const char *p, size_t n)
{
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* Serve one connection until the client or the server closes it. */
static void serve_connection(const bh_receiver *rx, int fd)
{
    char out[BH_RESPONSE_MAX];
    bh_header headers[32];
    bh_http_parser parser;
    bh_served s;
    size_t len = 0;
    bh_http_init(&parser, headers, 32);
    for (;;) {
        ssize_t n = read(fd, buf + len, sizeof buf - len);
        int rc;
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return; /* closed, or idle past SO_RCVTIMEO */
        len += (size_t)n;
        for (;;) { /* a read may bring several pipelined requests */
            rc = bh_receiver_serve(rx, &parser, buf, len, sizeof buf,
                                   (int64_t)time(NULL), out, sizeof out, &s);
            if (s.out_len && write_all(fd, out, s.out_len) != 0) return;
            if (rc != BH_OK) break; /* BH_EINCOMPLETE: read more */
            memmove(buf, buf + s.consumed, len - s.consumed);
            len -= s.consumed;
            if (s.close) return;
        }
    }
}

static int listen_on(int port)
{
    struct sockaddr_in a;
    socklen_t alen = sizeof a;
    int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = htons((uint16_t)port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof a) != 0 ||
        listen(fd, 64) != 0 || getsockname(fd, (struct sockaddr *)&a, &alen) != 0) {
        perror("receiver_posix: listen");
        exit(1);
    }
    printf("%u\n", ntohs(a.sin_port));
    fflush(stdout);
    return fd;
}

int main(int argc, char **argv)
{
    static bh_json_tok toks[16384];
    static bh_replay_slot slots[1024];
    const char *secret = getenv("BLUEHOOK_SECRET");
    struct timeval idle = {5, 0};
    bh_replay cache;
    bh_receiver rx;
    bh_key key;
    int lfd;
    if (!secret || bh_key_init(&key, BH_SCHEME_BLUE, secret, strlen(secret)) != BH_OK) {
        fprintf(stderr, "receiver_posix: set BLUEHOOK_SECRET\n");
        return 2;
    }
    bh_replay_init(&cache, slots, 1024);
    bh_receiver_init(&rx, BH_SCHEME_BLUE, &key, 1, toks, 16384);
    rx.replay = &cache; /* Blue retries: a duplicate is answered 200, once */
    bh_receiver_on(&rx, BH_EVENT_UNKNOWN, on_event, NULL);
    signal(SIGPIPE, SIG_IGN);
    lfd = listen_on(argc > 1 ? atoi(argv[1]) : 0);
    for (;;) {
        int fd = accept(lfd, NULL, NULL);
        if (fd < 0) continue;
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &idle, sizeof idle);
        serve_connection(&rx, fd);
        close(fd);
    }
}
