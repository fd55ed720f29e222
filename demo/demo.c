/* demo/demo.c - what `make demo` runs: Blue webhooks built and signed by a
   sender, delivered over loopback, verified and dispatched by a receiver.

   Three processes, each on the library's real path:
     listen   build/bluehook listen: bh_receiver_serve with a replay cache
              and a record filter, on a port the kernel picks
     pager    a flaky endpoint in this file: it reads requests with
              bh_http_parse, checks X-Signature with bh_verify, and answers
              503 twice, then 200
     sender   this process: bh_sender over bh_transport_socket, with one
              webhook to each of them

   It shows each side as it happens, then a summary, and stops every process
   it started, by pid (also on failure or Ctrl-C). Exit 0 when every step
   went as the story says, 1 when one did not.

       make demo         or:   build/demo [PATH-TO-bluehook]

   Colour when stdout is a terminal and NO_COLOR is unset (or empty). */
#define _POSIX_C_SOURCE 200809L
#define BLUEHOOK_IMPLEMENTATION
#define BLUEHOOK_STATIC /* one file: only what it uses is compiled in */
#include "../bluehook.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

/* ---- the data: a maintenance team's records, as Blue sends them ----

   Blue expands a record's list, the list's project and the project's
   company into every payload; ids are Blue's 25-character cuids. */

#define SECRET "whk_demo_ops_5Jq8TzR2mV"     /* ops-dashboard's secret */
#define PAGER_SECRET "whk_demo_pager_Xw41Lc9e" /* the pager's */
#define FILTER "!(/todoTags/*/title == \"confidential\")"

#define PROJECT_ID "cm3k8x2pq0001vt7h4ndz9rwe"
#define COMPANY                                                             \
    "{\"id\":\"cm1q7zk3e0002vt64n8d2c5ha\",\"slug\":\"northwind\","         \
    "\"name\":\"Northwind Foods\"}"
#define PROJECT                                                             \
    "{\"id\":\"" PROJECT_ID "\",\"slug\":\"plant-maintenance\","           \
    "\"name\":\"Plant maintenance\",\"archived\":false,"                    \
    "\"companyId\":\"cm1q7zk3e0002vt64n8d2c5ha\",\"company\":" COMPANY "}"
#define LIST(id, title)                                                     \
    "{\"id\":\"" id "\",\"title\":\"" title "\",\"position\":65535,"        \
    "\"projectId\":\"" PROJECT_ID "\",\"project\":" PROJECT "}"
#define TO_DO "cm3k8y1rt0004vt7hb2m6qz0c"
#define IN_PROGRESS "cm3k8y1rt0005vt7hx9f3k7ud"
#define RECORD(id, title, list, list_title, tags)                           \
    "{\"id\":\"" id "\",\"title\":\"" title "\",\"done\":false,"            \
    "\"archived\":false,\"position\":\"32767.5\",\"duedAt\":null,"          \
    "\"createdById\":\"cm1q7zq2w0003vt64k5u1xe8b\",\"todoListId\":\"" list  \
    "\",\"todoUsers\":[{\"id\":\"cm1q7zq2w0003vt64k5u1xe8b\","             \
    "\"fullName\":\"Ana Costa\"}],\"todoTags\":" tags ",\"todoList\":"      \
    LIST(list, list_title) "}"

#define PUMP "cm3r2d8wq000hvt5c1j8ekp4m"
#define PUMP_TITLE "Replace pump seal on line 2"
#define PUMP_IN(list, title) RECORD(PUMP, PUMP_TITLE, list, title, "[]")
#define ITEM(done)                                                          \
    "{\"id\":\"cm3r2e9xb000kvt5cq3u8wz1f\",\"title\":\"Drain line 2 and "   \
    "lock out the pump\",\"done\":" done ",\"position\":65535,"             \
    "\"checklistId\":\"cm3r2e5nv000jvt5c7q2mhy6s\",\"checklist\":{"         \
    "\"id\":\"cm3r2e5nv000jvt5c7q2mhy6s\",\"title\":\"Before the swap\","   \
    "\"todoId\":\"" PUMP "\",\"todo\":" PUMP_IN(IN_PROGRESS, "In progress") \
    "}}"
#define COMMENT                                                             \
    "{\"id\":\"cm3r4k7ha000pvt5c9e2nbx5t\",\"text\":\"Seal replaced; no "   \
    "leak after 30 min at 4 bar.\",\"html\":\"<p>Seal replaced; no leak "   \
    "after 30 min at 4 bar.</p>\",\"category\":\"TODO\",\"categoryId\":\""  \
    PUMP "\",\"userId\":\"cm1q7zq2w0003vt64k5u1xe8b\",\"todo\":"            \
    PUMP_IN(IN_PROGRESS, "In progress") "}"
#define QUOTE                                                               \
    RECORD("cm3r3a1fd000mvt5cw6t0hv2y", "Supplier quote: Acme Seals, "      \
           "4 x seal kits", TO_DO, "To do",                                 \
           "[{\"id\":\"cm1q80b6z0009vt64t3s7ja4k\",\"title\":"              \
           "\"confidential\",\"color\":\"#e53935\"}]")
#define DUPLICATE                                                           \
    RECORD("cm3r1z6uo000evt5cm4w9gd3h", "Line 2 pump: check seal "          \
           "(duplicate)", TO_DO, "To do", "[]")

/* What the receiver should do with a delivery. */
enum verdict { DISPATCHED, FILTERED, REFUSED, DUPLICATE_DROPPED, NO_LINE };
static const char *const verdict_text[] = {
    "verified, dispatched", "filtered, not dispatched", "refused",
    "duplicate, not dispatched", "no line from the receiver"};

/* One step of the story: an event and its records before and after. */
struct story {
    const char *event, *what;
    const char *previous; /* NULL: absent, as Blue sends a create */
    const char *current;  /* "null" on a delete */
    enum verdict expect;  /* at ops-dashboard */
};

static const struct story stories[] = {
    {"TODO_CREATED", "\"" PUMP_TITLE "\" in To do", NULL,
     PUMP_IN(TO_DO, "To do"), DISPATCHED},
    {"TODO_MOVED", "\"" PUMP_TITLE "\": To do -> In progress",
     PUMP_IN(TO_DO, "To do"), PUMP_IN(IN_PROGRESS, "In progress"), DISPATCHED},
    {"TODO_CHECKLIST_ITEM_DONE_STATUS_UPDATED",
     "\"Drain line 2 and lock out the pump\": done", ITEM("false"),
     ITEM("true"), DISPATCHED},
    {"COMMENT_CREATED", "\"Seal replaced; no leak after 30 min at 4 bar.\"",
     NULL, COMMENT, DISPATCHED},
    {"TODO_CREATED", "\"Supplier quote: Acme Seals\", tagged confidential",
     NULL, QUOTE, FILTERED},
    {"TODO_DELETED", "\"Line 2 pump: check seal (duplicate)\"", DUPLICATE,
     "null", DISPATCHED},
};
#define NSTORIES (sizeof stories / sizeof stories[0])

/* ---- the terminal ---- */

static int colour;
#define BOLD "\033[1m"
#define DIM "\033[2m"
#define RED "\033[31m"
#define GREEN "\033[32m"
#define YELLOW "\033[33m"
#define BLUE "\033[34m"
#define MAGENTA "\033[35m"
#define CYAN "\033[36m"

/* A colour's escape sequence, or nothing when colour is off. */
static const char *on(const char *sgr) { return colour ? sgr : ""; }
static const char *off(void) { return colour ? "\033[0m" : ""; }

static const char *status_colour(int status)
{
    return status >= 200 && status < 300 ? GREEN : status >= 500 ? YELLOW : RED;
}

/* "200 OK", or a transport error's name. */
static void status_text(int result, char *out, size_t cap)
{
    if (result >= 100) snprintf(out, cap, "%d %s", result, bh_http_reason(result));
    else snprintf(out, cap, "error: %s", bh_strerror(result));
}

static uint64_t now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000 + (uint64_t)t.tv_nsec / 1000000;
}

/* ---- the processes it starts ---- */

struct child {
    pid_t pid;             /* kept after it stopped, for the report */
    int running;
    int fd[2];             /* read ends of its stdout and stderr; -1: closed */
    char buf[2][4096];     /* what was read and not yet taken as lines */
    size_t len[2];
    int status;            /* waitpid's, once stopped */
};

static struct child listen_proc = {0, 0, {-1, -1}, {"", ""}, {0, 0}, 0};
static struct child pager_proc = {0, 0, {-1, -1}, {"", ""}, {0, 0}, 0};
static struct child *const children[] = {&pager_proc, &listen_proc};
static pid_t demo_pid;

/* SIGTERM, a wait of up to 2 s, then SIGKILL; always reaped. */
static void stop_child(struct child *c)
{
    uint64_t end = now_ms() + 2000;
    if (!c->running) return;
    kill(c->pid, SIGTERM);
    while (waitpid(c->pid, &c->status, WNOHANG) == 0) {
        if (now_ms() > end) {
            kill(c->pid, SIGKILL);
            waitpid(c->pid, &c->status, 0);
            break;
        }
        poll(NULL, 0, 10);
    }
    c->running = 0;
}

static void stop_children(void)
{
    size_t i;
    if (getpid() != demo_pid) return; /* a child never stops its siblings */
    for (i = 0; i < sizeof children / sizeof children[0]; i++)
        stop_child(children[i]);
}

/* Ctrl-C or a kill: stop the children (kill and waitpid are safe in a
   handler), then leave. */
static void on_signal(int sig)
{
    size_t i;
    for (i = 0; i < sizeof children / sizeof children[0]; i++) {
        if (!children[i]->running) continue;
        kill(children[i]->pid, SIGTERM);
        waitpid(children[i]->pid, NULL, 0);
    }
    _exit(128 + sig);
}

/* In a child: default signals, and no life after the demo's. */
static void child_setup(void)
{
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
#ifdef __linux__
    prctl(PR_SET_PDEATHSIG, SIGTERM); /* SIGTERM when the demo dies, even */
    if (getppid() != demo_pid) _exit(1); /* by SIGKILL, or if it just did */
#endif
    alarm(60); /* and everywhere a watchdog: SIGALRM (kept across exec) */
}

/* Fork a child whose stdout and stderr go to pipes, and run fn in it. */
static int spawn(struct child *c, void (*fn)(void *), void *arg)
{
    int out[2], err[2];
    if (pipe(out) != 0) return -1;
    if (pipe(err) != 0) {
        close(out[0]), close(out[1]);
        return -1;
    }
    fflush(stdout);
    c->pid = fork();
    if (c->pid == 0) {
        child_setup();
        dup2(out[1], 1);
        dup2(err[1], 2);
        close(out[0]), close(out[1]), close(err[0]), close(err[1]);
        fn(arg);
        _exit(127);
    }
    close(out[1]), close(err[1]);
    c->fd[0] = out[0];
    c->fd[1] = err[0];
    if (c->pid < 0) {
        close(out[0]), close(err[0]);
        return -1;
    }
    c->running = 1;
    return 0;
}

/* Take one whole line from what was read on pipe i (0 stdout, 1 stderr). */
static int take_line(struct child *c, int i, char *line, size_t cap)
{
    char *nl = (char *)memchr(c->buf[i], '\n', c->len[i]);
    size_t n = nl ? (size_t)(nl - c->buf[i]) : c->len[i];
    if (!nl && c->len[i] < sizeof c->buf[i] && (c->fd[i] >= 0 || !n)) return 0;
    snprintf(line, cap, "%.*s", (int)n, c->buf[i]);
    n += nl != NULL;
    memmove(c->buf[i], c->buf[i] + n, c->len[i] - n);
    c->len[i] -= n;
    return 1;
}

/* Read what a child's pipes hold, waiting up to ms for something. */
static void read_pipes(struct child *c, int want, int ms)
{
    struct pollfd p[2];
    int which[2], n = 0, i;
    for (i = 0; i < 2; i++) {
        if (!(want & (1 << i)) || c->fd[i] < 0) continue;
        p[n].fd = c->fd[i];
        p[n].events = POLLIN;
        which[n++] = i;
    }
    if (!n || poll(p, (nfds_t)n, ms) <= 0) return;
    for (i = 0; i < n; i++) {
        int w = which[i];
        ssize_t r;
        if (!p[i].revents) continue;
        r = read(c->fd[w], c->buf[w] + c->len[w], sizeof c->buf[w] - c->len[w]);
        if (r > 0) c->len[w] += (size_t)r;
        else if (r == 0 || errno != EINTR) close(c->fd[w]), c->fd[w] = -1; /* EOF */
    }
}

/* One line from the child's stdout (want 1), stderr (2) or either (3),
   within ms: 0 when it came from stdout, 1 from stderr, -1 for none. */
static int child_line(struct child *c, int want, int ms, char *line, size_t cap)
{
    uint64_t end = now_ms() + (uint64_t)ms;
    for (;;) {
        int i, open = 0;
        for (i = 0; i < 2; i++) {
            if (!(want & (1 << i))) continue;
            if (take_line(c, i, line, cap)) return i;
            open |= c->fd[i] >= 0;
        }
        if (!open || now_ms() >= end) return -1;
        read_pipes(c, want, (int)(end - now_ms()));
    }
}

/* ---- listen: build/bluehook listen, the receiver ---- */

static const char *bluehook_path = "build/bluehook";

static void exec_listen(void *arg)
{
    (void)arg;
    /* the secret goes in the environment, not on the command line, where
       ps would show it */
    setenv("BLUEHOOK_SECRET", SECRET, 1);
    execl(bluehook_path, bluehook_path, "listen", "--port", "0", "--filter",
          FILTER, (char *)NULL);
    fprintf(stderr, "cannot run %s: %s\n", bluehook_path, strerror(errno));
}

/* Start it and read its port (its first line). 0 or -1. */
static int start_listen(long *port)
{
    char line[512], *end;
    int from;
    if (spawn(&listen_proc, exec_listen, NULL) != 0) return -1;
    from = child_line(&listen_proc, 3, 5000, line, sizeof line);
    if (from == 0) {
        *port = strtol(line, &end, 10);
        if (*end == '\0' && *port > 0) {
            child_line(&listen_proc, 2, 1000, line, sizeof line); /* listening on */
            return 0;
        }
    }
    fprintf(stderr, "demo: bluehook listen did not start%s%s\n", from >= 0 ? ": " : "",
            from >= 0 ? line : "");
    return -1;
}

/* ---- pager: a flaky endpoint, over bh_http ---- */

/* Read one request into buf with bh_http_parse: BH_OK, or why not. */
static int pager_read(int fd, char *buf, size_t cap, bh_http_parser *p, bh_http_request *req)
{
    size_t len = 0;
    int rc = BH_EINCOMPLETE;
    while (rc == BH_EINCOMPLETE) {
        ssize_t r = len < cap ? read(fd, buf + len, cap - len) : 0;
        if (r <= 0) return BH_EINCOMPLETE; /* closed, idle, or too large */
        len += (size_t)r;
        rc = bh_http_parse(p, buf, len, req); /* it resumes where it stopped */
    }
    return rc;
}

/* Read a request, print what it was, and answer status (or the error's). */
static void pager_answer(int fd, const bh_key *key, int status)
{
    static char buf[64 << 10];
    char out[256], id[24] = "-";
    bh_header hdrs[32];
    const bh_header *h;
    bh_http_parser p;
    bh_http_request req;
    int rc, n;
    memset(&req, 0, sizeof req);
    bh_http_init(&p, hdrs, 32);
    rc = pager_read(fd, buf, sizeof buf, &p, &req);
    if (rc != BH_OK) {
        status = bh_http_status_for(rc);
        printf("a request it cannot read (%s) -> %d\n", bh_strerror(rc), status);
    } else {
        /* Blue's signature: hex HMAC-SHA256 of the raw body, in X-Signature */
        if (bh_verify(key, 1, req.headers, req.nheaders, req.body, req.body_len, 0, 0) != BH_OK)
            status = 401;
        /* the sender's delivery id: the same on every attempt of a delivery */
        h = bh_header_find(req.headers, req.nheaders, "X-Bluehook-Delivery");
        if (h) snprintf(id, sizeof id, "%.*s...", h->value_len > 16 ? 16 : (int)h->value_len,
                        h->value);
        printf("%.*s %.*s  %zu bytes  X-Bluehook-Delivery %s  signature %s -> %d\n",
               (int)req.method_len, req.method, (int)req.target_len, req.target, req.body_len,
               id, status == 401 ? "bad" : "ok", status);
    }
    fflush(stdout); /* before the answer: the demo reads this line after it */
    n = bh_http_response(out, sizeof out, status, 0, 0, NULL, 0);
    if (n > 0 && (size_t)n < sizeof out && write(fd, out, (size_t)n) != n)
        fprintf(stderr, "pager: the answer was not sent\n");
}

/* Answer 503 to the first two requests, then 200. */
static void pager_main(void *arg)
{
    int lfd = *(int *)arg, served = 0;
    struct timeval idle = {2, 0};
    bh_key key;
    bh_key_init(&key, BH_SCHEME_BLUE, PAGER_SECRET, strlen(PAGER_SECRET));
    for (;;) {
        int fd = accept(lfd, NULL, NULL);
        if (fd < 0) continue;
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &idle, sizeof idle);
        pager_answer(fd, &key, served++ < 2 ? 503 : 200);
        close(fd);
    }
}

/* A socket on 127.0.0.1, port picked by the kernel. */
static int listen_loopback(long *port)
{
    struct sockaddr_in a;
    socklen_t alen = sizeof a;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof a) != 0 || listen(fd, 16) != 0 ||
        getsockname(fd, (struct sockaddr *)&a, &alen) != 0) {
        if (fd >= 0) close(fd);
        return -1;
    }
    *port = ntohs(a.sin_port);
    return fd;
}

static int start_pager(long *port)
{
    int lfd = listen_loopback(port), r;
    if (lfd < 0) return -1;
    r = spawn(&pager_proc, pager_main, &lfd);
    close(lfd); /* the pager has its own copy */
    return r;
}

/* ---- the tallies ---- */

static struct {
    unsigned deliveries, attempts, retries, by_hand;
    unsigned statuses[600];            /* by HTTP status */
    unsigned errors;                   /* transport errors */
    unsigned verdicts[NO_LINE + 1];    /* what listen did */
    unsigned surprises;                /* steps that did not go as told */
} tally;

static void count_status(int result)
{
    tally.attempts++;
    if (result >= 100 && result < 600) tally.statuses[result]++;
    else tally.errors++;
}

/* Read listen's line for the request just answered (it prints it before it
   answers): stdout for an event dispatched, stderr for anything else. None
   when the request got no answer. */
static enum verdict listen_verdict(int result, char *line, size_t cap)
{
    int from = result >= 100 ? child_line(&listen_proc, 3, 2000, line, cap) : -1;
    if (from < 0) return snprintf(line, cap, "(nothing)"), NO_LINE;
    if (from == 0) return DISPATCHED;
    if (strstr(line, " filtered: ")) return FILTERED;
    if (strstr(line, " duplicate: ")) return DUPLICATE_DROPPED;
    return REFUSED;
}

/* A receiver's line, its timestamp (listen's lines start with one) dimmed. */
static void show_line(const char *label, const char *label_colour, const char *line)
{
    int stamp = strlen(line) > 21 && line[4] == '-' && line[19] == 'Z' && line[20] == ' ';
    printf("    %s%-6s%s  ", on(label_colour), label, off());
    if (stamp) printf("%s%.20s%s", on(DIM), line, off());
    printf("%s\n", stamp ? line + 20 : line);
}

/* A sender row (attempt 0: sent by hand), then the receiver's own line. */
static void show_attempt(const char *hook, int attempt, int result, const char *note,
                         const char *note_colour, const char *label,
                         const char *label_colour, const char *line)
{
    char st[64], nth[16] = "";
    status_text(result, st, sizeof st);
    if (attempt) snprintf(nth, sizeof nth, "#%d", attempt);
    printf("    %ssender%s  -> %-14s %-3s %s%-24s%s %s%s%s\n", on(BLUE), off(), hook, nth,
           on(status_colour(result)), st, off(), on(note_colour), note, off());
    show_line(label, label_colour, line);
}

static const char *const verdict_colour[] = {GREEN, DIM, RED, DIM, RED};

static void check_verdict(enum verdict got, enum verdict want)
{
    tally.verdicts[got]++;
    if (got != want) {
        tally.surprises++;
        printf("    %sdemo: expected %s%s\n", on(RED), verdict_text[want], off());
    }
}

/* ---- the sender ---- */

static bh_webhook hooks[2];
static bh_sender_hook hook_state[2];
static bh_delivery outbox[32];
static uint8_t arena[128 << 10];
static char body[32 << 10];
static bh_sender sender;
static const char *const plant[] = {PROJECT_ID};
static char listen_url[64], pager_url[64];
static enum verdict expected; /* of the delivery being published */
static uint64_t last_end[2];  /* when each webhook's last attempt ended */

/* The first delivery to ops-dashboard, as it went on the wire, kept for
   the tampering and the replay. */
static struct {
    bh_header h[8];
    char text[1024];
    size_t nh;
    char body[sizeof body];
    size_t len;
} first;

static void keep_first(const bh_post *p)
{
    size_t i, used = 0;
    for (i = 0; i < p->nheaders && i < 8; i++) {
        const bh_header *h = &p->headers[i];
        if (used + h->name_len + h->value_len > sizeof first.text) break;
        memcpy(first.text + used, h->name, h->name_len);
        first.h[i].name = first.text + used;
        first.h[i].name_len = h->name_len;
        used += h->name_len;
        memcpy(first.text + used, h->value, h->value_len);
        first.h[i].value = first.text + used;
        first.h[i].value_len = h->value_len;
        used += h->value_len;
    }
    first.nh = i;
    memcpy(first.body, p->body, p->body_len);
    first.len = p->body_len;
}

/* The sender's transport: the POSIX socket one, which also keeps a copy of
   the first delivery. */
static int socket_and_keep(void *ctx, const bh_post *p)
{
    if (!first.len && strcmp(p->url, listen_url) == 0 && p->body_len <= sizeof first.body)
        keep_first(p);
    return bh_transport_socket(ctx, p);
}

/* Called by bh_sender_poll after every attempt. */
static void on_attempt(void *ctx, const bh_delivery *d, int result, uint32_t ms)
{
    char line[1024], note[64] = "";
    int to_pager = d->hook == 1;
    uint64_t end = now_ms(), start = end - ms;
    enum verdict v = DISPATCHED;
    (void)ctx;
    count_status(result);
    if (d->attempts == 0) tally.deliveries++;
    else tally.retries++;
    if (to_pager) {
        const char *then = result < 200 || result > 299 ? "will retry"
                           : d->attempts ? "recovered" : "delivered";
        if (child_line(&pager_proc, 1, 2000, line, sizeof line) < 0) strcpy(line, "(nothing)");
        if (d->attempts) /* the backoff the sender waited, jitter included */
            snprintf(note, sizeof note, "backoff %u ms; %s", (unsigned)(start - last_end[1]), then);
        else
            snprintf(note, sizeof note, "%s", then);
    } else {
        v = listen_verdict(result, line, sizeof line);
        snprintf(note, sizeof note, "%s", verdict_text[v]);
    }
    last_end[d->hook] = end;
    show_attempt(hooks[d->hook].name, d->attempts + 1, result, note,
                 to_pager ? (result == 200 ? GREEN : YELLOW) : verdict_colour[v],
                 to_pager ? "pager" : "listen", to_pager ? MAGENTA : CYAN, line);
    if (!to_pager) check_verdict(v, expected);
}

static uint32_t random32(void *ctx)
{
    static uint64_t x;
    (void)ctx;
    if (!x) x = now_ms() * 0x9e3779b97f4a7c15ull + (uint64_t)getpid();
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return (uint32_t)(x >> 32);
}

static int setup_sender(void)
{
    bh_sender_config c;
    memset(&c, 0, sizeof c);
    c.transport = socket_and_keep;
    c.random = random32;                /* jitter and delivery ids */
    c.on_attempt = on_attempt;
    c.first_delay_ms = BH_NO_DELAY;     /* Blue waits 5 s first */
    c.timeout_ms = 2000;                /* Blue: 7 s */
    c.backoff_ms = 40;                  /* 2 s by default; a demo's are ms */
    c.backoff_max_ms = 200;             /* 5 min by default */
    c.max_attempts = 5;                 /* as Blue */
    c.hooks = hook_state;
    c.hooks_cap = 2;
    c.outbox = outbox;
    c.outbox_cap = sizeof outbox / sizeof outbox[0];
    c.arena = arena;
    c.arena_cap = sizeof arena;
    c.body = body;
    c.body_cap = sizeof body;
    if (bh_sender_init(&sender, &c) != BH_OK) return -1;

    /* ops-dashboard: every event of the Plant maintenance project */
    hooks[0].id = "cm3jx4w1e0000vt2s8d1yq6mf";
    hooks[0].name = "ops-dashboard";
    hooks[0].url = listen_url;
    hooks[0].secret = SECRET;
    hooks[0].enabled = 1;
    hooks[0].project_ids = plant;
    hooks[0].nproject_ids = 1;
    /* pager: new comments only, from any project */
    hooks[1].id = "cm3jx5b7c0001vt2sf4k9wr2n";
    hooks[1].name = "pager";
    hooks[1].url = pager_url;
    hooks[1].secret = PAGER_SECRET;
    hooks[1].enabled = 1;
    bh_event_set_add(&hooks[1].events, BH_EVENT_COMMENT_CREATED);
    if (bh_sender_add(&sender, &hooks[0], 0) < 0) return -1;
    return bh_sender_add(&sender, &hooks[1], 0) < 0 ? -1 : 0;
}

/* Make every attempt as it falls due, until nothing is pending. */
static int drain(void)
{
    uint64_t give_up = now_ms() + 5000, next;
    while ((next = bh_sender_next_due(&sender)) != UINT64_MAX) {
        uint64_t now = now_ms();
        if (now > give_up) return -1;
        if (next > now) poll(NULL, 0, (int)(next - now));
        if (bh_sender_poll(&sender, now_ms()) < 0) return -1;
    }
    return 0;
}

/* One story step: publish the event (one payload, signed for each webhook
   that subscribes), then deliver it. */
static int publish(const struct story *s)
{
    size_t plen = s->previous ? strlen(s->previous) : 0;
    int n = bh_sender_publish(&sender, now_ms(), s->event, strlen(s->event), PROJECT_ID,
                              strlen(PROJECT_ID), s->previous, plen, s->current,
                              strlen(s->current));
    printf("  %s%s%s  %s\n", on(BOLD), s->event, off(), s->what);
    if (n < 0) {
        printf("    demo: not published: %s\n", bh_strerror(n));
        return -1;
    }
    expected = s->expect;
    return drain();
}

/* ---- the acts ---- */

static int act_publish(void)
{
    size_t i;
    printf("%s1. Events published: each payload built once, signed and delivered to "
           "every webhook that subscribes%s\n\n", on(BOLD), off());
    for (i = 0; i < NSTORIES; i++)
        if (publish(&stories[i]) != 0 || tally.surprises) return -1; /* stop there */
    return 0;
}

/* Send the kept delivery again, by hand, with body b. */
static void send_again(const char *title, const char *what, const char *b, size_t len,
                       enum verdict want)
{
    char line[1024];
    bh_post p;
    int result;
    enum verdict v;
    memset(&p, 0, sizeof p);
    p.url = listen_url;
    p.headers = first.h; /* X-Signature among them, as first signed */
    p.nheaders = first.nh;
    p.body = b;
    p.body_len = len;
    p.timeout_ms = 2000;
    result = bh_transport_socket(NULL, &p);
    count_status(result);
    tally.deliveries++;
    tally.by_hand++;
    v = listen_verdict(result, line, sizeof line);
    printf("  %s%s%s  %s\n", on(BOLD), title, off(), what);
    show_attempt("ops-dashboard", 0, result, verdict_text[v], verdict_colour[v], "listen", CYAN,
                 line);
    check_verdict(v, want);
}

/* Where text first occurs in b[0 .. n), or NULL. */
static char *find(char *b, size_t n, const char *text)
{
    size_t k = strlen(text), i;
    for (i = 0; i + k <= n; i++)
        if (memcmp(b + i, text, k) == 0) return b + i;
    return NULL;
}

static int act_by_hand(void)
{
    static char tampered[sizeof first.body];
    char *at;
    printf("\n%s2. The first delivery sent again by hand, with bh_transport_socket%s\n\n",
           on(BOLD), off());
    memcpy(tampered, first.body, first.len);
    at = find(tampered, first.len, "on line 2");
    if (!at) return -1;
    at[8] = '3';
    send_again("tampered", "its title changed in transit (\"line 2\" -> \"line 3\"), "
               "X-Signature kept", tampered, first.len, REFUSED);
    send_again("replayed", "byte for byte, as a replaying attacker or proxy would",
               first.body, first.len, DUPLICATE_DROPPED);
    return 0;
}

/* Stop listen, show its last words, and say how each child ended. */
static void stop_and_report(void)
{
    char line[512];
    stop_child(&listen_proc);
    while (child_line(&listen_proc, 3, 1000, line, sizeof line) >= 0)
        show_line("listen", CYAN, line);
    stop_child(&pager_proc);
}

static const char *ended(const struct child *c, char *out, size_t cap)
{
    if (WIFEXITED(c->status)) snprintf(out, cap, "exit %d", WEXITSTATUS(c->status));
    else snprintf(out, cap, "%s", WTERMSIG(c->status) == SIGTERM ? "SIGTERM" : "killed");
    return out;
}

static void summary_row(const char *name, unsigned n, const char *what)
{
    printf("  %-12s %3u  %s\n", name, n, what);
}

static void summary(double seconds)
{
    char statuses[256] = "", what[96], a[32], b[32];
    size_t used = 0;
    int s;
    for (s = 100; s < 600 && used < sizeof statuses; s++)
        if (tally.statuses[s])
            used += (size_t)snprintf(statuses + used, sizeof statuses - used, "%s%u x %d",
                                     used ? ", " : "", tally.statuses[s], s);
    if (tally.errors && used < sizeof statuses)
        snprintf(statuses + used, sizeof statuses - used, "%s%u x a transport error",
                 used ? ", " : "", tally.errors);
    printf("\n%sSummary%s\n", on(BOLD), off());
    snprintf(what, sizeof what, "%u published, %u sent again by hand",
             tally.deliveries - tally.by_hand, tally.by_hand);
    summary_row("deliveries", tally.deliveries, what);
    snprintf(what, sizeof what, "%u of them retries", tally.retries);
    summary_row("attempts", tally.attempts, what);
    printf("  %-12s      %s\n", "statuses", statuses);
    summary_row("dispatched", tally.verdicts[DISPATCHED], "verified, then handled once each");
    summary_row("refused", tally.verdicts[REFUSED], "the signature does not match the body");
    summary_row("duplicates", tally.verdicts[DUPLICATE_DROPPED],
                "answered 200, not dispatched again");
    summary_row("filtered", tally.verdicts[FILTERED], "answered 200, not dispatched: " FILTER);
    printf("\n  stopped: bluehook listen (pid %ld, %s), pager (pid %ld, %s); %.2f s\n",
           (long)listen_proc.pid, ended(&listen_proc, a, sizeof a), (long)pager_proc.pid,
           ended(&pager_proc, b, sizeof b), seconds);
    printf("  this demo's code: demo/demo.c; receivers and senders to copy: examples/\n");
}

/* Every step as expected, every delivery delivered (none pending, no dead
   letter), and listen stopped cleanly. */
static int went_as_told(void)
{
    const bh_delivery *d;
    size_t i;
    for (i = 0; (d = bh_sender_slot(&sender, i)) != NULL; i++)
        if (d->state == BH_DELIVERY_PENDING || d->state == BH_DELIVERY_DEAD) return 0;
    return !tally.surprises && WIFEXITED(listen_proc.status) &&
           WEXITSTATUS(listen_proc.status) == 0;
}

/* Started, in order, with what each one is. */
static int start_all(void)
{
    long lport, pport;
    printf("%sbluehook %s demo%s: Blue webhooks signed and sent by bh_sender, "
           "verified by bluehook listen\n\n", on(BOLD), BLUEHOOK_VERSION, off());
    if (start_pager(&pport) != 0) return -1;
    printf("  %spager%s    a flaky endpoint in this demo (bh_http_parse, bh_verify): "
           "503, 503, then 200\n           pid %ld, 127.0.0.1:%ld\n",
           on(MAGENTA), off(), (long)pager_proc.pid, pport);
    printf("  %slisten%s   %s listen --port 0 --filter '%s'\n", on(CYAN), off(),
           bluehook_path, FILTER);
    if (start_listen(&lport) != 0) return -1;
    printf("           pid %ld, 127.0.0.1:%ld, secret from BLUEHOOK_SECRET\n",
           (long)listen_proc.pid, lport);
    snprintf(listen_url, sizeof listen_url, "http://127.0.0.1:%ld/blue", lport);
    snprintf(pager_url, sizeof pager_url, "http://127.0.0.1:%ld/pager", pport);
    if (setup_sender() != 0) return -1;
    printf("  %ssender%s   bh_sender over bh_transport_socket; retries back off from 40 ms\n"
           "           ops-dashboard  %-30s every event of Plant maintenance\n"
           "           pager          %-30s COMMENT_CREATED only\n\n",
           on(BLUE), off(), listen_url, pager_url);
    return 0;
}

int main(int argc, char **argv)
{
    const char *nc = getenv("NO_COLOR");
    uint64_t t0 = now_ms();
    struct sigaction sa;
    int ok;
    if (argc > 1) bluehook_path = argv[1];
    colour = isatty(1) && !(nc && *nc);
    setvbuf(stdout, NULL, _IOLBF, 0); /* as it happens, in a pipe too */
    demo_pid = getpid();
    atexit(stop_children); /* every way out stops them: exit, failure, signal */
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    if (start_all() != 0) {
        fprintf(stderr, "demo: FAILED: the demo could not start\n");
        return 1; /* atexit stops what did start */
    }
    ok = act_publish() == 0 && act_by_hand() == 0;
    printf("\n");
    stop_and_report();
    summary((double)(now_ms() - t0) / 1000.0);
    if (!ok || !went_as_told()) {
        fprintf(stderr, "demo: FAILED: a step did not go as described above\n");
        return 1;
    }
    return 0;
}
