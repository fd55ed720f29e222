/* tests/e2e_receiver.c: a receiver end to end, over loopback.

   e2e_receiver LABEL SECRET [smuggle] [concurrent] [exit0] -- CMD ARGS...
       starts CMD with BLUEHOOK_SECRET=SECRET, reads the port it prints on
       its first stdout line (it binds 127.0.0.1 port 0), then sends real
       requests over TCP and checks the answers and the event lines CMD
       prints (one per dispatched event, holding the record id). Stops CMD
       by its PID (SIGTERM); with exit0 it must then exit with status 0.
       smuggle: also the request-smuggling cases (bluehook's parser);
       concurrent: also a client that stalls mid-request while 8 others
       are served (a server that serves connections concurrently).
   e2e_receiver LABEL SECRET stdin -- CMD ARGS...
       the embedded harness: the request stream goes to CMD's stdin, in
       the chunks CMD picks (its first argument is the seed), and the
       answers come back on its stdout.

   Prints PASS/FAIL lines named e2e/LABEL/case. */
#define _POSIX_C_SOURCE 200809L
#define BLUEHOOK_IMPLEMENTATION
#include "../bluehook.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char *label, *secret;
static int port, failures;
static pid_t server;
static int server_out = -1;      /* the server's stdout */
static char events[1 << 20];     /* everything it printed after the port */
static size_t events_len;
static char real[8192];          /* Blue's real delivery */
static size_t real_len;

static void result(const char *name, int ok, const char *why)
{
    if (ok) printf("PASS e2e/%s/%s\n", label, name);
    else printf("FAIL e2e/%s/%s: %s\n", label, name, why);
    failures += !ok;
    fflush(stdout);
}

static void sleep_ms(long ms)
{
    struct timespec t;
    t.tv_sec = ms / 1000;
    t.tv_nsec = (ms % 1000) * 1000000L;
    nanosleep(&t, NULL);
}

/* ---- building requests ---- */

/* The real delivery with its record id replaced by tag. */
static size_t make_body(char *out, const char *tag)
{
    static const char id[] = "clb4zna6x0000vt1swuwso25f";
    const char *at = strstr(real, "\"currentValue\":{\"id\":\"");
    size_t pre = (size_t)(at - real) + 22, tl = strlen(tag);
    memcpy(out, real, pre);
    memcpy(out + pre, tag, tl);
    memcpy(out + pre + tl, at + 22 + sizeof id - 1, real_len - pre - (sizeof id - 1));
    return real_len - (sizeof id - 1) + tl;
}

/* A POST of body, signed with key_secret (NULL: unsigned); extra is more
   header lines ("Name: v\r\n"); chunked splits the body in three. */
static size_t make_request(char *out, const char *body, size_t len,
                           const char *key_secret, const char *extra, int chunked)
{
    size_t n;
    char sig[128] = "";
    if (key_secret) {
        bh_key k;
        bh_header h[1];
        char buf[128];
        bh_key_init(&k, BH_SCHEME_BLUE, key_secret, strlen(key_secret));
        bh_sign(&k, NULL, 0, body, len, h, 1, buf, sizeof buf);
        snprintf(sig, sizeof sig, "X-Signature: %s\r\n", h[0].value);
    }
    n = (size_t)sprintf(out, "POST /hooks/blue HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                             "Content-Type: application/json\r\n%s%s", sig, extra);
    if (!chunked) {
        n += (size_t)sprintf(out + n, "Content-Length: %zu\r\n\r\n", len);
        memcpy(out + n, body, len);
        return n + len;
    } else {
        size_t a = len / 3, b = len / 3;
        n += (size_t)sprintf(out + n, "Transfer-Encoding: chunked\r\n\r\n%zx\r\n", a);
        memcpy(out + n, body, a), n += a;
        n += (size_t)sprintf(out + n, "\r\n%zx;note=x\r\n", b);
        memcpy(out + n, body + a, b), n += b;
        n += (size_t)sprintf(out + n, "\r\n%zx\r\n", len - a - b);
        memcpy(out + n, body + a + b, len - a - b), n += len - a - b;
        n += (size_t)sprintf(out + n, "\r\n0\r\n\r\n");
        return n;
    }
}

/* ---- talking to the server ---- */

static int connect_server(void)
{
    struct sockaddr_in a;
    int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = htons((uint16_t)port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
        if (fd >= 0) close(fd);
        return -1;
    }
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return fd;
}

static int send_all(int fd, const char *p, size_t n)
{
    while (n) {
        ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

static void write_all(int fd, const char *p, size_t n)
{
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return;
        p += w;
        n -= (size_t)w;
    }
}

/* What came back on a connection. */
struct answers {
    int status[16];
    int n;        /* whole responses parsed */
    int eof;      /* the server closed the connection */
    char raw[8192];
    size_t len;
};

/* Parse whole responses from the front of a->raw. */
static void parse_answers(struct answers *a)
{
    for (;;) {
        char *end, *cl;
        size_t head, body = 0, i;
        a->raw[a->len] = '\0';
        end = strstr(a->raw, "\r\n\r\n");
        if (!end || a->len < 12) return;
        head = (size_t)(end - a->raw) + 4;
        for (cl = a->raw; cl < end; cl++)
            if (strncasecmp(cl, "\r\ncontent-length:", 17) == 0) {
                body = strtoul(cl + 17, NULL, 10);
                break;
            }
        if (a->len < head + body) return;
        if (a->n < 16) a->status[a->n] = atoi(a->raw + 9);
        a->n++;
        for (i = head + body; i < a->len; i++) a->raw[i - head - body] = a->raw[i];
        a->len -= head + body;
    }
}

/* Read until want responses (or EOF, when want is 0 or more come), or
   until timeout_ms pass quietly. */
static void read_answers(int fd, struct answers *a, int want, int timeout_ms)
{
    for (;;) {
        struct pollfd p;
        ssize_t r;
        if (want && a->n >= want) return;
        p.fd = fd;
        p.events = POLLIN;
        if (poll(&p, 1, timeout_ms) <= 0) return;
        r = read(fd, a->raw + a->len, sizeof a->raw - 1 - a->len);
        if (r <= 0) {
            a->eof = 1;
            return;
        }
        a->len += (size_t)r;
        parse_answers(a);
    }
}

/* One request on a fresh connection; its status (0 when none came). */
static int exchange(const char *req, size_t n)
{
    struct answers a;
    int fd = connect_server();
    memset(&a, 0, sizeof a);
    if (fd < 0) return -1;
    if (send_all(fd, req, n) == 0) read_answers(fd, &a, 1, 5000);
    close(fd);
    return a.n ? a.status[0] : 0;
}

/* The server's event lines so far (waiting quietly for wait_ms). */
static void drain_events(int wait_ms)
{
    struct pollfd p;
    p.fd = server_out;
    p.events = POLLIN;
    while (poll(&p, 1, wait_ms) > 0) {
        ssize_t r = read(server_out, events + events_len, sizeof events - 1 - events_len);
        if (r <= 0) break;
        events_len += (size_t)r;
        events[events_len] = '\0';
        wait_ms = 20;
    }
}

/* How many event lines mention tag. */
static int seen(const char *tag)
{
    int n = 0;
    const char *p = events;
    drain_events(50);
    while ((p = strstr(p, tag)) != NULL) n++, p++;
    return n;
}

static void expect(const char *name, int got, int want, const char *tag, int lines)
{
    char why[160];
    int s = tag ? seen(tag) : lines;
    snprintf(why, sizeof why, "status %d (want %d), %d event lines (want %d)", got, want, s, lines);
    result(name, got == want && s == lines, why);
}

/* ---- the cases ---- */

static char body[8192], req[65536];

static void basic_cases(void)
{
    size_t n, bl;
    bl = make_body(body, "e2e-valid");
    n = make_request(req, body, bl, secret, "", 0);
    expect("valid", exchange(req, n), 200, "e2e-valid", 1);
    expect("duplicate-answered-2xx-dispatched-once", exchange(req, n), 200, "e2e-valid", 1);
    bl = make_body(body, "e2e-tampered");
    n = make_request(req, body, bl, secret, "", 0);
    req[n - 10] ^= 1;
    expect("tampered", exchange(req, n), 401, "e2e-tampered", 0);
    n = make_request(req, body, bl, NULL, "", 0);
    expect("unsigned", exchange(req, n), 401, "e2e-tampered", 0);
    n = make_request(req, body, bl, "not-the-secret", "", 0);
    expect("wrongly-signed", exchange(req, n), 401, "e2e-tampered", 0);
    n = make_request(req, "{\"event\": e2e-notjson", 21, secret, "", 0);
    expect("not-json", exchange(req, n), 400, "e2e-notjson", 0);
    n = make_request(req, "{\"e2e-notblue\":1}", 17, secret, "", 0);
    expect("not-blue", exchange(req, n), 400, "e2e-notblue", 0);
    n = make_request(req, body, bl, secret, "", 0);
    memcpy(strstr(req, "application/json"), "text/plain; x=yy", 16);
    expect("not-json-content-type", exchange(req, n), 415, "e2e-tampered", 0);
    n = (size_t)sprintf(req, "GET /hooks/blue HTTP/1.1\r\nHost: x\r\n\r\n");
    expect("get-refused", exchange(req, n), 405, NULL, 0);
    bl = make_body(body, "e2e-chunked");
    n = make_request(req, body, bl, secret, "", 1);
    expect("chunked", exchange(req, n), 200, "e2e-chunked", 1);
    {
        static const char hc[] = "{\"event\":\"WEBHOOK_HEALTH_CHECK\",\"webhook\":{\"id\":\"e2e-health\"}}";
        n = make_request(req, hc, sizeof hc - 1, secret, "", 0);
        expect("health-check-answered", exchange(req, n), 200, "e2e-health", 0);
    }
}

/* Over 1 MB: the head alone is refused when the server reads the limit
   from Content-Length; otherwise the body is sent too. */
static void oversized(void)
{
    static char big[(1 << 20) + 65536];
    struct answers a;
    size_t bl = (1 << 20) + 1000, n;
    int fd = connect_server();
    memset(&a, 0, sizeof a);
    memset(big, ' ', bl);
    big[0] = '[';
    big[bl - 1] = ']';
    n = (size_t)sprintf(req, "POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                             "Content-Length: %zu\r\n\r\n", bl);
    if (fd >= 0 && send_all(fd, req, n) == 0) {
        read_answers(fd, &a, 1, 1000);
        if (!a.n && !a.eof && send_all(fd, big, bl) == 0) read_answers(fd, &a, 1, 5000);
    }
    if (fd >= 0) close(fd);
    expect("oversized", a.n ? a.status[0] : 0, 413, NULL, 0);
}

static void slow_byte_at_a_time(void)
{
    struct answers a;
    size_t n, i;
    int fd = connect_server(), ok = 1;
    static const char tiny[] = "{\"event\":\"TODO_CREATED\",\"webhook\":{},\"currentValue\":{\"id\":\"e2e-slow\"}}";
    memset(&a, 0, sizeof a);
    n = make_request(req, tiny, sizeof tiny - 1, secret, "", 0);
    for (i = 0; fd >= 0 && i < n && ok; i++) {
        ok = send_all(fd, req + i, 1) == 0;
        sleep_ms(1);
    }
    if (fd >= 0) read_answers(fd, &a, 1, 5000), close(fd);
    expect("slow-byte-at-a-time", a.n ? a.status[0] : 0, 200, "e2e-slow", 1);
}

static void keep_alive_and_pipelined(void)
{
    struct answers a;
    size_t n = 0, bl;
    int fd = connect_server(), ok;
    char why[96];
    memset(&a, 0, sizeof a);
    bl = make_body(body, "e2e-keep-1");
    n = make_request(req, body, bl, secret, "", 0);
    if (fd >= 0 && send_all(fd, req, n) == 0) read_answers(fd, &a, 1, 5000);
    bl = make_body(body, "e2e-keep-2");
    n = make_request(req, body, bl, secret, "", 0);
    if (fd >= 0 && send_all(fd, req, n) == 0) read_answers(fd, &a, 2, 5000);
    if (fd >= 0) close(fd);
    ok = a.n == 2 && a.status[0] == 200 && a.status[1] == 200;
    snprintf(why, sizeof why, "%d answers", a.n);
    result("keep-alive", ok && seen("e2e-keep-1") == 1 && seen("e2e-keep-2") == 1, why);

    memset(&a, 0, sizeof a);
    bl = make_body(body, "e2e-pipe-1");
    n = make_request(req, body, bl, secret, "", 0);
    bl = make_body(body, "e2e-pipe-2");
    n += make_request(req + n, body, bl, "wrong", "", 0);
    bl = make_body(body, "e2e-pipe-3");
    n += make_request(req + n, body, bl, secret, "Connection: close\r\n", 0);
    fd = connect_server();
    if (fd >= 0 && send_all(fd, req, n) == 0) read_answers(fd, &a, 0, 5000);
    if (fd >= 0) close(fd);
    ok = a.n == 3 && a.status[0] == 200 && a.status[1] == 401 && a.status[2] == 200 && a.eof;
    snprintf(why, sizeof why, "%d answers (%d %d %d), eof %d", a.n, a.status[0], a.status[1],
             a.status[2], a.eof);
    result("pipelined", ok && seen("e2e-pipe-1") == 1 && seen("e2e-pipe-2") == 0 &&
                            seen("e2e-pipe-3") == 1, why);
}

/* 8 clients at once, each with its own delivery. With stall, a ninth
   client sends half a request first and waits: the others are served. */
static void concurrent(int stall)
{
    int fds[8], i, ok = 1, lines = 0, staller = -1;
    char tag[32], why[96];
    size_t n[8];
    static char reqs[8][8192];
    struct answers a[8];
    if (stall) {
        size_t m = make_request(req, body, make_body(body, "e2e-stall"), secret, "", 0);
        staller = connect_server();
        if (staller >= 0) send_all(staller, req, m / 2);
    }
    for (i = 0; i < 8; i++) {
        snprintf(tag, sizeof tag, "e2e-conc%d-%d", stall, i);
        n[i] = make_request(reqs[i], body, make_body(body, tag), secret, "", 0);
        fds[i] = connect_server();
        memset(&a[i], 0, sizeof a[i]);
    }
    for (i = 0; i < 8; i++) /* half of each, then the rest: interleaved */
        if (fds[i] < 0 || send_all(fds[i], reqs[i], n[i] / 2) != 0) ok = 0;
    for (i = 0; i < 8; i++)
        if (fds[i] < 0 || send_all(fds[i], reqs[i] + n[i] / 2, n[i] - n[i] / 2) != 0) ok = 0;
    for (i = 0; i < 8; i++) {
        if (fds[i] >= 0) read_answers(fds[i], &a[i], 1, 5000), close(fds[i]);
        ok = ok && a[i].n == 1 && a[i].status[0] == 200;
        snprintf(tag, sizeof tag, "e2e-conc%d-%d", stall, i);
        lines += seen(tag);
    }
    if (staller >= 0) close(staller);
    snprintf(why, sizeof why, "%d of 8 event lines; answers ok %d", lines, ok);
    result(stall ? "8-clients-beside-a-stalled-one" : "8-concurrent-clients", ok && lines == 8, why);
}

static void expect_continue(void)
{
    struct answers a;
    size_t bl = make_body(body, "e2e-continue"), n, head;
    int fd = connect_server();
    char why[64];
    memset(&a, 0, sizeof a);
    n = make_request(req, body, bl, secret, "Expect: 100-continue\r\n", 0);
    head = n - bl;
    if (fd >= 0 && send_all(fd, req, head) == 0) read_answers(fd, &a, 1, 5000);
    if (fd >= 0 && send_all(fd, req + head, bl) == 0) read_answers(fd, &a, 2, 5000);
    if (fd >= 0) close(fd);
    snprintf(why, sizeof why, "%d answers: %d %d", a.n, a.status[0], a.status[1]);
    result("expect-100-continue", a.n == 2 && a.status[0] == 100 && a.status[1] == 200 &&
                                      seen("e2e-continue") == 1, why);
}

/* Each smuggling case hides a whole signed request after the ambiguous
   one: it must be refused, the connection closed, the hidden one unseen. */
static void smuggling(void)
{
    static const char *const cases[][3] = {
        {"cl-and-te", "Content-Length: 4\r\nTransfer-Encoding: chunked\r\n", "400"},
        {"two-content-lengths", "Content-Length: 4\r\nContent-Length: 5\r\n", "400"},
        {"content-length-plus", "Content-Length: +4\r\n", "400"},
        {"te-not-chunked", "Transfer-Encoding: gzip, chunked\r\n", "501"},
        {"te-identity", "Transfer-Encoding: identity\r\n", "501"},
        {"space-before-colon", "Content-Length : 4\r\n", "400"},
        {"obs-fold", "X-A: 1\r\n  folded\r\nContent-Length: 4\r\n", "400"},
        {"bare-lf", "X-A: 1\nContent-Length: 4\r\n", "400"},
        {"bare-cr", "X-A: 1\rX\r\nContent-Length: 4\r\n", "400"},
        {"no-host", NULL, "400"},
    };
    size_t i;
    for (i = 0; i < sizeof cases / sizeof *cases; i++) {
        struct answers a;
        char name[64], why[96], tag[32];
        size_t n, bl;
        int fd = connect_server();
        memset(&a, 0, sizeof a);
        if (cases[i][1])
            n = (size_t)sprintf(req, "POST / HTTP/1.1\r\nHost: x\r\n%s\r\n0\r\n\r\n", cases[i][1]);
        else
            n = (size_t)sprintf(req, "POST / HTTP/1.1\r\nContent-Length: 0\r\n\r\n");
        snprintf(tag, sizeof tag, "e2e-smuggled-%zu", i);
        bl = make_body(body, tag);
        n += make_request(req + n, body, bl, secret, "", 0);
        if (fd >= 0 && send_all(fd, req, n) == 0) read_answers(fd, &a, 0, 3000);
        if (fd >= 0) close(fd);
        snprintf(name, sizeof name, "smuggling-%s", cases[i][0]);
        snprintf(why, sizeof why, "%d answers (first %d, want %s), eof %d, hidden seen %d", a.n,
                 a.status[0], cases[i][2], a.eof, seen(tag));
        result(name, a.n == 1 && a.status[0] == atoi(cases[i][2]) && a.eof && seen(tag) == 0, why);
    }
}

/* ---- running the server ---- */

/* Run argv with its stdout on *out_fd; its stdin from *in_fd and its
   stderr on *log_fd when they are given. */
static pid_t spawn(char **argv, int *out_fd, int *in_fd, int *log_fd)
{
    int o[2], i[2], l[2];
    pid_t pid;
    if (pipe(o) != 0 || (in_fd && pipe(i) != 0) || (log_fd && pipe(l) != 0)) return -1;
    pid = fork();
    if (pid == 0) {
        dup2(o[1], 1);
        close(o[0]);
        close(o[1]);
        if (in_fd) dup2(i[0], 0), close(i[0]), close(i[1]);
        if (log_fd) dup2(l[1], 2), close(l[0]), close(l[1]);
        execv(argv[0], argv);
        _exit(127);
    }
    close(o[1]);
    *out_fd = o[0];
    if (in_fd) close(i[0]), *in_fd = i[1];
    if (log_fd) close(l[1]), *log_fd = l[0];
    return pid;
}

/* The first line the server prints: its port. */
static int read_port(void)
{
    char line[32];
    size_t n = 0;
    while (n < sizeof line - 1) {
        struct pollfd p;
        p.fd = server_out;
        p.events = POLLIN;
        if (poll(&p, 1, 5000) <= 0 || read(server_out, line + n, 1) != 1) return -1;
        if (line[n] == '\n') break;
        n++;
    }
    line[n] = '\0';
    return atoi(line);
}

/* The embedded harness: streams of requests on stdin, at several seeds. */
static void embedded(char **argv)
{
    static const char *const seeds[] = {"0", "1", "7", "12345"};
    size_t i, s;
    for (s = 0; s < sizeof seeds / sizeof *seeds; s++) {
        struct answers a;
        size_t n = 0, bl;
        int in_fd = -1, out_fd = -1, log_fd = -1, ok;
        char name[64], why[128], *args[4];
        pid_t pid;
        static const char done[] = "{\"event\":\"TODO_DONE_STATUS_UPDATED\",\"webhook\":{},"
                                   "\"currentValue\":{\"id\":\"e2e-done\",\"done\":true}}";
        bl = make_body(body, "e2e-emb");
        n += make_request(req + n, body, bl, secret, "", 0);
        n += make_request(req + n, body, bl, secret, "", 0);              /* duplicate */
        req[n - 3] ^= 1;                                                 /* tampered */
        n += make_request(req + n, body, bl, secret, "", 1);              /* chunked dup */
        n += make_request(req + n, done, sizeof done - 1, secret, "", 1);
        n += make_request(req + n, "nope", 4, secret, "", 0);
        n += (size_t)sprintf(req + n, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n"
                                      "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n");
        n += make_request(req + n, body, make_body(body, "e2e-emb-hidden"), secret, "", 0);
        args[0] = argv[0];
        args[1] = (char *)(uintptr_t)seeds[s];
        args[2] = NULL;
        pid = spawn(args, &out_fd, &in_fd, &log_fd);
        if (pid < 0) {
            result("spawn", 0, "cannot start the harness");
            return;
        }
        write_all(in_fd, req, n);
        close(in_fd);
        memset(&a, 0, sizeof a);
        read_answers(out_fd, &a, 0, 5000);
        close(out_fd);
        kill(pid, SIGTERM);
        waitpid(pid, NULL, 0);
        server_out = log_fd; /* the device's log: each event once */
        events_len = 0;
        events[0] = '\0';
        ok = a.n == 6 && a.eof && seen("TODO_CREATED\n") == 1 && seen("relay on\n") == 1 &&
             events_len == strlen("TODO_CREATED\nrelay on\n");
        close(log_fd);
        for (i = 0; i < 6 && ok; i++) ok = a.status[i] == (int[]){200, 401, 200, 200, 400, 400}[i];
        snprintf(name, sizeof name, "stream-chunks-seed-%s", seeds[s]);
        snprintf(why, sizeof why, "%d answers: %d %d %d %d %d %d, eof %d, log \"%.40s\"", a.n,
                 a.status[0], a.status[1], a.status[2], a.status[3], a.status[4], a.status[5],
                 a.eof, events);
        result(name, ok, why);
    }
}

int main(int argc, char **argv)
{
    int i, smuggle = 0, conc = 0, exit0 = 0, stdin_mode = 0, status;
    FILE *f = fopen("../shared/blue/todo_created.min.json", "rb");
    if (argc < 5) {
        fprintf(stderr, "usage: e2e_receiver LABEL SECRET [smuggle] [concurrent] [exit0|stdin] -- CMD...\n");
        return 2;
    }
    label = argv[1];
    secret = argv[2];
    for (i = 3; i < argc && strcmp(argv[i], "--") != 0; i++) {
        smuggle |= strcmp(argv[i], "smuggle") == 0;
        conc |= strcmp(argv[i], "concurrent") == 0;
        exit0 |= strcmp(argv[i], "exit0") == 0;
        stdin_mode |= strcmp(argv[i], "stdin") == 0;
    }
    if (!f || i + 1 >= argc) {
        result("setup", 0, "no ../shared/blue/todo_created.min.json, or no command");
        return 1;
    }
    real_len = fread(real, 1, sizeof real - 1, f);
    fclose(f);
    setenv("BLUEHOOK_SECRET", secret, 1);
    signal(SIGPIPE, SIG_IGN);
    if (stdin_mode) {
        embedded(argv + i + 1);
        return failures ? 1 : 0;
    }
    server = spawn(argv + i + 1, &server_out, NULL, NULL);
    port = server > 0 ? read_port() : -1;
    if (port <= 0) {
        result("start", 0, "the server printed no port");
        if (server > 0) kill(server, SIGKILL), waitpid(server, NULL, 0);
        return 1;
    }
    basic_cases();
    oversized();
    slow_byte_at_a_time();
    keep_alive_and_pipelined();
    expect_continue();
    concurrent(0);
    if (conc) concurrent(1);
    if (smuggle) smuggling();
    kill(server, SIGTERM);
    waitpid(server, &status, 0);
    if (exit0)
        result("stops-cleanly-on-sigterm", WIFEXITED(status) && WEXITSTATUS(status) == 0,
               "did not exit 0 after SIGTERM");
    return failures ? 1 : 0;
}
