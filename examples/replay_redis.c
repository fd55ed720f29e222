/* examples/replay_redis.c - a Blue webhook receiver whose replay store is
   Redis (hiredis), so that replicas behind one URL handle each delivery
   once. The server is examples/receiver_posix.c's, shortened.

       cc -O2 -o replay_redis examples/replay_redis.c -lhiredis
       BLUEHOOK_SECRET=your-webhook-secret ./replay_redis PORT REDIS

   REDIS is HOST:PORT or a unix socket path; PORT 0 picks a free port,
   printed first. Then a line per event dispatched: name, record id, and
   "failed" when REPLAY_REDIS_FAIL=N made it one of the first N to fail.
   Key "bh:<hex id>" is "pending:<replica>" for a lease of LEASE_S while a
   replica handles the delivery, then "done" for the id's window (24 h for
   Blue); a replica releases only its own lease:
   a replica that dies mid-handling blocks retries (409) for the lease
   only. While Redis does not answer, deliveries get 503. */
#define _POSIX_C_SOURCE 200809L
#define BLUEHOOK_IMPLEMENTATION
#include "../bluehook.h"

#include <arpa/inet.h>
#include <hiredis/hiredis.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define LEASE_S 30 /* > a handler runs, < the sender's retries last */

/* The three calls, as scripts (each runs whole, so nothing expires or
   changes halfway): KEYS[1] is the key, ARGV[1] a lifetime in ms, ARGV[2]
   this replica's "pending:<owner>". */
static const char reserve_lua[] = /* SET NX, else say what is there */
    "if redis.call('SET', KEYS[1], ARGV[2], 'NX', 'PX', ARGV[1]) "
    "then return 'new' end return redis.call('GET', KEYS[1])";
static const char commit_lua[] =
    "return redis.call('SET', KEYS[1], 'done', 'PX', ARGV[1])";
static const char release_lua[] = /* DEL, only while still our lease */
    "if redis.call('GET', KEYS[1]) == ARGV[2] "
    "then return redis.call('DEL', KEYS[1]) end return 0";

struct redis {
    redisContext *c; /* NULL or failed: connect again on the next call */
    char host[256];
    int port; /* 0: host is a unix socket path */
    char owner[64]; /* "pending:" + pid and start time: this replica's */
};

/* Run a script on id's key: BH_OK, BH_EREPLAY ("done"), BH_EINFLIGHT
   ("pending"), or BH_EUNAVAILABLE when Redis does not answer. */
static int run(void *ctx, const char *script, const bh_replay_id *id, long long s)
{
    struct redis *r = (struct redis *)ctx;
    struct timeval tv = {1, 0};
    redisReply *reply = NULL;
    char key[40] = "bh:";
    int res = BH_EUNAVAILABLE;
    bh_hex_encode(key + 3, sizeof key - 3, id->digest, sizeof id->digest);
    if (!r->c || r->c->err) {
        if (r->c) redisFree(r->c);
        r->c = r->port ? redisConnectWithTimeout(r->host, r->port, tv)
                       : redisConnectUnixWithTimeout(r->host, tv);
        if (r->c && !r->c->err) redisSetTimeout(r->c, tv);
    }
    if (r->c && !r->c->err)
        reply = (redisReply *)redisCommand(r->c, "EVAL %s 1 %s %lld %s", script, key,
                                           s * 1000, r->owner);
    if (reply && reply->type == REDIS_REPLY_STRING)
        res = !strcmp(reply->str, "done") ? BH_EREPLAY
              : !strcmp(reply->str, "new") ? BH_OK : BH_EINFLIGHT;
    else if (reply && reply->type != REDIS_REPLY_ERROR && reply->type != REDIS_REPLY_NIL)
        res = BH_OK; /* SET's OK, DEL's count */
    if (res == BH_EUNAVAILABLE)
        fprintf(stderr, "replay_redis: %s\n", reply && reply->str ? reply->str
                                             : r->c ? r->c->errstr : "no memory");
    if (reply) freeReplyObject(reply);
    return res;
}

static int redis_reserve(void *ctx, const bh_replay_id *id, int64_t now)
{
    (void)now; /* for a lease: a dead replica holds the id this long only */
    return run(ctx, reserve_lua, id, id->window_s < LEASE_S ? id->window_s : LEASE_S);
}

static int redis_commit(void *ctx, const bh_replay_id *id, int64_t now)
{
    (void)now;
    return run(ctx, commit_lua, id, id->window_s);
}

static int redis_release(void *ctx, const bh_replay_id *id, int64_t now)
{
    (void)now;
    return run(ctx, release_lua, id, 0);
}

static int fail_first; /* REPLAY_REDIS_FAIL */

static int on_event(void *ctx, const bh_received *r)
{
    char record[128] = "-";
    int failed = fail_first > 0;
    (void)ctx;
    fail_first -= failed;
    bh_json_string(&r->doc, bh_payload_record_id(&r->payload, &r->doc), record,
                   sizeof record);
    printf("%.*s %s%s\n", (int)r->name_len, r->name, record, failed ? " failed" : "");
    fflush(stdout);
    return failed ? 503 : 0;
}

/* One connection: requests until it closes (keep-alive, pipelining). */
static void serve_connection(const bh_receiver *rx, int fd)
{
    static char buf[1 << 20];
    char out[BH_RESPONSE_MAX];
    bh_header headers[32];
    bh_http_parser p;
    bh_served s;
    size_t len = 0;
    ssize_t n;
    bh_http_init(&p, headers, 32);
    while ((n = read(fd, buf + len, sizeof buf - len)) > 0) {
        len += (size_t)n;
        for (;;) { /* a read may bring several requests */
            int rc = bh_receiver_serve(rx, &p, buf, len, sizeof buf,
                                       (int64_t)time(NULL), out, sizeof out, &s);
            if (s.out_len && write(fd, out, s.out_len) != (ssize_t)s.out_len) return;
            if (rc != BH_OK) break; /* BH_EINCOMPLETE: read more */
            len -= s.consumed;
            memmove(buf, buf + s.consumed, len);
            if (s.close) return;
        }
    }
}

int main(int argc, char **argv)
{
    static bh_json_tok toks[16384];
    static struct redis redis;
    const char *secret = getenv("BLUEHOOK_SECRET"), *fail = getenv("REPLAY_REDIS_FAIL");
    const char *colon = argc > 2 ? strrchr(argv[2], ':') : NULL;
    bh_replay_store store = {redis_reserve, redis_commit, redis_release, &redis};
    struct timeval idle = {5, 0};
    struct sockaddr_in a;
    socklen_t alen = sizeof a;
    int lfd = socket(AF_INET, SOCK_STREAM, 0), one = 1, fd;
    bh_receiver rx;
    bh_key key;
    if (argc != 3 || !secret || bh_key_init(&key, BH_SCHEME_BLUE, secret, strlen(secret))) {
        fprintf(stderr, "usage: BLUEHOOK_SECRET=... replay_redis PORT HOST:PORT|SOCKET\n");
        return 2;
    }
    snprintf(redis.host, sizeof redis.host, "%.*s", (int)(colon ? colon - argv[2] : 255), argv[2]);
    redis.port = colon ? atoi(colon + 1) : 0;
    gettimeofday(&idle, NULL);
    snprintf(redis.owner, sizeof redis.owner, "pending:%ld.%ld.%ld", (long)getpid(),
             (long)idle.tv_sec, (long)idle.tv_usec);
    idle.tv_sec = 5;
    idle.tv_usec = 0;
    fail_first = fail ? atoi(fail) : 0;
    bh_receiver_init(&rx, BH_SCHEME_BLUE, &key, 1, toks, 16384);
    rx.replay_store = &store; /* shared with every replica on this Redis */
    bh_receiver_on(&rx, BH_EVENT_UNKNOWN, on_event, NULL);
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = htons((uint16_t)atoi(argv[1]));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (lfd < 0 || bind(lfd, (struct sockaddr *)&a, sizeof a) || listen(lfd, 64) ||
        getsockname(lfd, (struct sockaddr *)&a, &alen))
        return perror("replay_redis: listen"), 1;
    printf("%u\n", ntohs(a.sin_port));
    fflush(stdout);
    signal(SIGPIPE, SIG_IGN);
    for (;;) {
        if ((fd = accept(lfd, NULL, NULL)) < 0) continue;
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &idle, sizeof idle);
        serve_connection(&rx, fd);
        close(fd);
    }
}
