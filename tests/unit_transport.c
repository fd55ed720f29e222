/* Transports: URL parsing, the internal-address policy, and the socket
   transport against a real loopback server (forked, port 0) that answers
   in scripted ways: 200, 500, 302, a reset, silence, a slow body, a
   server that keeps the connection open. */
#define _DEFAULT_SOURCE
#define _POSIX_C_SOURCE 200809L
#define T_SUITE "transport"
#define BLUEHOOK_IMPLEMENTATION
#include "../bluehook.h"
#include "t.h"

#include <arpa/inet.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>

#define P(s) s, strlen(s)

static void url_parts(void)
{
    bh_url u;
    CHECK_EQ(bh_url_parse(&u, P("http://example.com/hook?a=1#frag")), BH_OK);
    CHECK_EQ(u.https, 0);
    CHECK_EQ(u.port, 80);
    CHECK(u.host_len == 11 && memcmp(u.host, "example.com", 11) == 0);
    CHECK(u.path_len == 9 && memcmp(u.path, "/hook?a=1", 9) == 0);
    CHECK_EQ(bh_url_parse(&u, P("HTTPS://Example.com:8443")), BH_OK);
    CHECK_EQ(u.https, 1);
    CHECK_EQ(u.port, 8443);
    CHECK_EQ(u.path_len, 0);
    CHECK_EQ(bh_url_parse(&u, P("https://[::1]:9/x")), BH_OK);
    CHECK(u.host_len == 3 && memcmp(u.host, "::1", 3) == 0);
    CHECK_EQ(u.port, 9);
    CHECK_EQ(bh_url_parse(&u, P("http://h?q")), BH_OK);
    CHECK(u.path_len == 2 && u.path[0] == '?');
}

static void url_refusals(void)
{
    static const char *const bad[] = {
        "ftp://example.com/", "file:///etc/passwd", "gopher://h/",
        "http//example.com", "http://", "https://", "http://:80/",
        "http://user@example.com/", "http://user:pw@example.com/",
        "http://example.com:0/", "http://example.com:65536/",
        "http://example.com:8x/", "http://example.com:/",
        "http://a:1:2/", "http://[::1/", "http://[::1]x/", "http://[]/",
        "http://exa mple.com/", "http://example.com/\x7f", "http://ex\xc3\xa9.com/",
        "javascript:alert(1)", ""};
    size_t i;
    bh_url u;
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int r = bh_url_parse(&u, P(bad[i]));
        if (r != BH_EURL) {
            char m[200];
            snprintf(m, sizeof m, "accepted \"%s\"", bad[i]);
            t_fail(__FILE__, __LINE__, m);
        }
    }
    CHECK_EQ(bh_url_parse(&u, "http://a\0b/", 11), BH_EURL);
    CHECK_EQ(bh_url_parse(NULL, P("http://a/")), BH_EINVAL);
}

static int v4_internal(const char *dotted)
{
    uint8_t a[4];
    inet_pton(AF_INET, dotted, a);
    return bh_ip_is_internal(a, 4);
}

static int v6_internal(const char *text)
{
    uint8_t a[16];
    if (inet_pton(AF_INET6, text, a) != 1) return -1;
    return bh_ip_is_internal(a, 16);
}

static void internal_ipv4(void)
{
    static const char *const in[] = {
        "0.0.0.0", "0.255.255.255", "127.0.0.1", "127.255.255.255", "10.0.0.1",
        "10.255.255.255", "172.16.0.0", "172.31.255.255", "192.168.0.1",
        "192.168.255.255", "100.64.0.0", "100.127.255.255", "169.254.169.254",
        "169.254.0.1", "224.0.0.1", "239.255.255.255", "240.0.0.1",
        "255.255.255.255"};
    static const char *const out[] = {
        "1.1.1.1", "8.8.8.8", "9.255.255.255", "11.0.0.0", "126.255.255.255",
        "128.0.0.0", "172.15.255.255", "172.32.0.0", "192.167.255.255",
        "192.169.0.0", "100.63.255.255", "100.128.0.0", "169.253.255.255",
        "169.255.0.0", "223.255.255.255", "93.184.216.34"};
    size_t i;
    for (i = 0; i < sizeof in / sizeof in[0]; i++) CHECK_EQ(v4_internal(in[i]), 1);
    for (i = 0; i < sizeof out / sizeof out[0]; i++) CHECK_EQ(v4_internal(out[i]), 0);
}

static void internal_ipv6(void)
{
    static const char *const in[] = {
        "::", "::1", "fc00::1", "fdff:ffff::1", "fe80::1", "febf::1",
        "fec0::1", "ff02::1", "::ffff:127.0.0.1", "::ffff:10.1.2.3",
        "::ffff:169.254.169.254", "::127.0.0.1", "64:ff9b::a9fe:a9fe",
        "2002:7f00:0001::1", "2002:c0a8:0101::"};
    static const char *const out[] = {
        "2001:4860:4860::8888", "2606:4700::1111", "::ffff:8.8.8.8",
        "64:ff9b::808:808", "2002:0808:0808::1", "fbff::1", "fe00::1"};
    size_t i;
    for (i = 0; i < sizeof in / sizeof in[0]; i++) {
        int r = v6_internal(in[i]);
        if (r != 1) {
            char m[100];
            snprintf(m, sizeof m, "%s not internal (%d)", in[i], r);
            t_fail(__FILE__, __LINE__, m);
        }
    }
    for (i = 0; i < sizeof out / sizeof out[0]; i++) {
        int r = v6_internal(out[i]);
        if (r != 0) {
            char m[100];
            snprintf(m, sizeof m, "%s internal (%d)", out[i], r);
            t_fail(__FILE__, __LINE__, m);
        }
    }
    CHECK_EQ(bh_ip_is_internal((const uint8_t *)"abc", 3), 1);
    CHECK_EQ(bh_ip_is_internal(NULL, 4), 1);
}

static void post_head_for_own_transports(void)
{
    bh_header h[1];
    bh_post p;
    char out[256];
    int n;
    memset(&p, 0, sizeof p);
    h[0].name = "X-Signature"; h[0].name_len = 11;
    h[0].value = "ab12"; h[0].value_len = 4;
    p.url = "https://[2001:db8::1]:8443/in?x=1#frag";
    p.headers = h;
    p.nheaders = 1;
    p.body = "{}";
    p.body_len = 2;
    n = bh_post_head(out, sizeof out, &p);
    CHECK_STR(out, "POST /in?x=1 HTTP/1.1\r\nHost: [2001:db8::1]:8443\r\n"
                   "Content-Length: 2\r\nConnection: close\r\n"
                   "X-Signature: ab12\r\n\r\n");
    CHECK_EQ(n, (int)strlen(out));
    CHECK_EQ(bh_post_head(NULL, 0, &p), n);     /* measuring */
    CHECK_EQ(bh_post_head(out, 10, &p), n);     /* counts past the end */
    p.url = "https://example.com/";
    CHECK(bh_post_head(out, sizeof out, &p) > 0);
    CHECK(strstr(out, "Host: example.com\r\n") != NULL); /* default port left out */
    p.url = "http://example.com?q";
    CHECK(bh_post_head(out, sizeof out, &p) > 0);
    CHECK(strncmp(out, "POST /?q HTTP/1.1\r\n", 19) == 0);
    p.url = "ftp://example.com/";
    CHECK_EQ(bh_post_head(out, sizeof out, &p), BH_EURL);
    p.url = "http://example.com/";
    h[0].value = "a\r\nX: y"; h[0].value_len = 8;
    CHECK_EQ(bh_post_head(out, sizeof out, &p), BH_EINVAL);
}

static void response_status_line(void)
{
    CHECK_EQ(bh_response_status(P("HTTP/1.1 204 No Content\r\n")), 204);
    CHECK_EQ(bh_response_status(P("HTTP/1.0 500\r\nX: y\r\n")), 500);
    CHECK_EQ(bh_response_status(P("HTTP/1.1 200 O")), BH_EINCOMPLETE);
    CHECK_EQ(bh_response_status(P("HTTP/1.1")), BH_EINCOMPLETE);
    CHECK_EQ(bh_response_status(P("SMTP ready\r\n")), BH_ETRANSPORT);
    CHECK_EQ(bh_response_status(P("HTTP/1.1 2000 OK\r\n")), BH_ETRANSPORT);
    CHECK_EQ(bh_response_status(P("HTTP/2 200\r\n")), BH_ETRANSPORT);
    CHECK_EQ(bh_response_status(NULL, 0), BH_EINCOMPLETE);
}

/* ---- the scripted server ------------------------------------------------ */

static pid_t server_pid;
static int server_port;
static char *last_request; /* shared with the server: the last request seen */
#define REQ_MAX 65536

static int read_request(int c, char *buf, size_t cap)
{
    size_t n = 0, need = 0;
    for (;;) {
        ssize_t r = recv(c, buf + n, cap - 1 - n, 0);
        char *end;
        if (r <= 0) return (int)n;
        n += (size_t)r;
        buf[n] = '\0';
        end = strstr(buf, "\r\n\r\n");
        if (end && !need) {
            const char *cl = strstr(buf, "Content-Length: ");
            need = (size_t)(end + 4 - buf) + (cl ? (size_t)atol(cl + 16) : 0);
        }
        if (need && n >= need) return (int)n;
        if (n + 1 >= cap) return (int)n;
    }
}

static void say(int c, const char *s) { send(c, s, strlen(s), MSG_NOSIGNAL); }

static void serve_one(int c)
{
    char *buf = last_request;
    int n = read_request(c, buf, REQ_MAX);
    if (n <= 0) return;
    if (strstr(buf, "POST /ok ")) {
        say(c, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
    } else if (strstr(buf, "POST /500 ")) {
        say(c, "HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\n\r\n");
    } else if (strstr(buf, "POST /302 ")) {
        say(c, "HTTP/1.1 302 Found\r\nLocation: http://169.254.169.254/\r\nContent-Length: 0\r\n\r\n");
    } else if (strstr(buf, "POST /204 ")) {
        say(c, "HTTP/1.0 204 No Content\r\n\r\n");
    } else if (strstr(buf, "POST /reset ")) {
        struct linger l;
        l.l_onoff = 1;
        l.l_linger = 0;
        setsockopt(c, SOL_SOCKET, SO_LINGER, &l, sizeof l);
    } else if (strstr(buf, "POST /silent ")) {
        sleep(3);
    } else if (strstr(buf, "POST /keepopen ")) {
        /* answers with a length, then keeps the connection open */
        say(c, "HTTP/1.1 201 Created\r\ncontent-length: 5\r\n\r\nhello");
        sleep(3);
    } else if (strstr(buf, "POST /slowbody ")) {
        int i;
        say(c, "HTTP/1.1 202 Accepted\r\nContent-Length: 4\r\n\r\n");
        for (i = 0; i < 4; i++) {
            struct timespec ts = {0, 50000000};
            nanosleep(&ts, NULL);
            say(c, "x");
        }
    } else if (strstr(buf, "POST /garbage ")) {
        say(c, "SMTP ready\r\n\r\n");
    } else if (strstr(buf, "POST /bigbody ")) {
        static char chunk[4096];
        int i;
        memset(chunk, 'z', sizeof chunk);
        say(c, "HTTP/1.1 200 OK\r\n\r\n");
        for (i = 0; i < 256; i++) send(c, chunk, sizeof chunk, MSG_NOSIGNAL);
    } else {
        say(c, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");
    }
}

static int start_server(void)
{
    struct sockaddr_in a;
    socklen_t alen = sizeof a;
    int s = socket(AF_INET, SOCK_STREAM, 0), one = 1;
    last_request = (char *)mmap(NULL, REQ_MAX, PROT_READ | PROT_WRITE,
                                MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (s < 0 || last_request == MAP_FAILED) return -1;
    setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = 0;
    if (bind(s, (struct sockaddr *)&a, sizeof a) || listen(s, 16) ||
        getsockname(s, (struct sockaddr *)&a, &alen))
        return -1;
    server_port = ntohs(a.sin_port);
    server_pid = fork();
    if (server_pid == 0) {
        signal(SIGPIPE, SIG_IGN);
        for (;;) {
            int c = accept(s, NULL, NULL);
            if (c < 0) continue;
            if (fork() == 0) {
                serve_one(c);
                close(c);
                _exit(0);
            }
            close(c);
            while (waitpid(-1, NULL, WNOHANG) > 0) {}
        }
    }
    close(s);
    return server_pid > 0 ? 0 : -1;
}

static void stop_server(void)
{
    if (server_pid > 0) {
        kill(server_pid, SIGKILL);
        waitpid(server_pid, NULL, 0);
    }
}

static char url_buf[256];
static const char *url(const char *path)
{
    snprintf(url_buf, sizeof url_buf, "http://127.0.0.1:%d%s", server_port, path);
    return url_buf;
}

static int post_to(const char *path, uint32_t timeout_ms, const bh_transport_opts *o)
{
    bh_header h[2];
    bh_post p;
    h[0].name = "Content-Type"; h[0].name_len = 12;
    h[0].value = "application/json"; h[0].value_len = 16;
    h[1].name = "X-Signature"; h[1].name_len = 11;
    h[1].value = "abcd"; h[1].value_len = 4;
    memset(&p, 0, sizeof p);
    p.url = path[0] == '/' ? url(path) : path;
    p.headers = h;
    p.nheaders = 2;
    p.body = "{\"event\":\"TODO_CREATED\"}";
    p.body_len = 24;
    p.timeout_ms = timeout_ms;
    return bh_transport_socket((void *)(uintptr_t)o, &p);
}

static double ms_since(int64_t t0) { return (double)(bh__now_ms() - t0); }

static void socket_statuses(void)
{
    CHECK_EQ(post_to("/ok", 2000, NULL), 200);
    CHECK_EQ(post_to("/500", 2000, NULL), 500);
    CHECK_EQ(post_to("/302", 2000, NULL), 302); /* reported, never followed */
    CHECK_EQ(post_to("/204", 2000, NULL), 204);
    CHECK_EQ(post_to("/nothing-here", 2000, NULL), 404);
    CHECK_EQ(post_to("/garbage", 2000, NULL), BH_ETRANSPORT);
}

static void socket_request_bytes(void)
{
    char want[256];
    CHECK_EQ(post_to("/ok", 2000, NULL), 200);
    snprintf(want, sizeof want,
             "POST /ok HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nContent-Length: 24\r\n"
             "Connection: close\r\nContent-Type: application/json\r\n"
             "X-Signature: abcd\r\n\r\n{\"event\":\"TODO_CREATED\"}",
             server_port);
    CHECK_STR(last_request, want);
}

static void socket_failures(void)
{
    int64_t t0;
    CHECK_EQ(post_to("/reset", 2000, NULL), BH_ERESET);
    t0 = bh__now_ms();
    CHECK_EQ(post_to("/silent", 300, NULL), BH_ETIMEOUT);
    CHECK(ms_since(t0) >= 250 && ms_since(t0) < 2000);
    /* the answer is known when the declared body has arrived */
    t0 = bh__now_ms();
    CHECK_EQ(post_to("/keepopen", 2000, NULL), 201);
    CHECK(ms_since(t0) < 1500);
    CHECK_EQ(post_to("/slowbody", 2000, NULL), 202);
    /* a long answer is drained up to the cap, then the status stands */
    CHECK_EQ(post_to("/bigbody", 2000, NULL), 200);
}

static void socket_connect_refused(void)
{
    struct sockaddr_in a;
    socklen_t alen = sizeof a;
    char u[64];
    int s = socket(AF_INET, SOCK_STREAM, 0);
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(s, (struct sockaddr *)&a, sizeof a);
    getsockname(s, (struct sockaddr *)&a, &alen);
    close(s); /* nothing listens on this port now */
    snprintf(u, sizeof u, "http://127.0.0.1:%d/ok", ntohs(a.sin_port));
    CHECK_EQ(post_to(u, 2000, NULL), BH_ECONNECT);
}

static void socket_refusals(void)
{
    bh_transport_opts strict;
    char u[96];
    memset(&strict, 0, sizeof strict);
    strict.refuse_internal = 1;
    CHECK_EQ(post_to("ftp://127.0.0.1/x", 2000, NULL), BH_EURL);
    CHECK_EQ(post_to("https://127.0.0.1/x", 2000, NULL), BH_ENOTLS);
    CHECK_EQ(post_to("http://host.invalid/x", 2000, NULL), BH_EDNS);
    CHECK_EQ(post_to("/ok", 2000, &strict), BH_EFORBIDDEN);
    /* numeric, hex and octal spellings count as the address they resolve to */
    snprintf(u, sizeof u, "http://2130706433:%d/ok", server_port);
    CHECK_EQ(post_to(u, 2000, &strict), BH_EFORBIDDEN);
    snprintf(u, sizeof u, "http://0x7f.0.0.1:%d/ok", server_port);
    CHECK_EQ(post_to(u, 2000, &strict), BH_EFORBIDDEN);
    snprintf(u, sizeof u, "http://0177.0.0.1:%d/ok", server_port);
    CHECK_EQ(post_to(u, 2000, &strict), BH_EFORBIDDEN);
    snprintf(u, sizeof u, "http://localhost:%d/ok", server_port);
    CHECK_EQ(post_to(u, 2000, &strict), BH_EFORBIDDEN);
    snprintf(u, sizeof u, "http://[::1]:%d/ok", server_port);
    CHECK_EQ(post_to(u, 2000, &strict), BH_EFORBIDDEN);
    snprintf(u, sizeof u, "http://[::ffff:127.0.0.1]:%d/ok", server_port);
    CHECK_EQ(post_to(u, 2000, &strict), BH_EFORBIDDEN);
    snprintf(u, sizeof u, "http://169.254.169.254:%d/latest/meta-data", server_port);
    CHECK_EQ(post_to(u, 2000, &strict), BH_EFORBIDDEN);
    /* without the policy the same loopback server is reached */
    CHECK_EQ(post_to("/ok", 2000, NULL), 200);
}

static void socket_header_injection(void)
{
    bh_header h;
    bh_post p;
    memset(&p, 0, sizeof p);
    p.url = url("/ok");
    p.headers = &h;
    p.nheaders = 1;
    p.timeout_ms = 2000;
    h.name = "X-A"; h.name_len = 3;
    h.value = "v\r\nX-Injected: 1"; h.value_len = 16;
    CHECK_EQ(bh_transport_socket(NULL, &p), BH_EINVAL);
    h.value = "v"; h.value_len = 1;
    h.name = "X A"; h.name_len = 3;
    CHECK_EQ(bh_transport_socket(NULL, &p), BH_EINVAL);
    h.name = "X:A"; h.name_len = 3;
    CHECK_EQ(bh_transport_socket(NULL, &p), BH_EINVAL);
    h.name = "X-A"; h.name_len = 3;
    CHECK_EQ(bh_transport_socket(NULL, &p), 200);
    p.body = NULL;
    p.body_len = 5;
    CHECK_EQ(bh_transport_socket(NULL, &p), BH_EINVAL);
}


#ifdef BLUEHOOK_CURL
static int curl_post(bh_curl_transport *t, const char *path, uint32_t timeout_ms)
{
    bh_header h[2];
    bh_post p;
    h[0].name = "Content-Type"; h[0].name_len = 12;
    h[0].value = "application/json"; h[0].value_len = 16;
    h[1].name = "X-Signature"; h[1].name_len = 11;
    h[1].value = "abcd"; h[1].value_len = 4;
    memset(&p, 0, sizeof p);
    p.url = path[0] == '/' ? url(path) : path;
    p.headers = h;
    p.nheaders = 2;
    p.body = "{\"event\":\"TODO_CREATED\"}";
    p.body_len = 24;
    p.timeout_ms = timeout_ms;
    return bh_transport_curl(t, &p);
}

static void curl_statuses(void)
{
    bh_curl_transport t;
    char u[96];
    memset(&t, 0, sizeof t);
    t.curl = curl_easy_init();
    CHECK_EQ(curl_post(&t, "/ok", 2000), 200);
    CHECK(strstr(last_request, "X-Signature: abcd\r\n") != NULL);
    CHECK(strstr(last_request, "Content-Type: application/json\r\n") != NULL);
    CHECK(strstr(last_request, "\r\n\r\n{\"event\":\"TODO_CREATED\"}") != NULL);
    CHECK(strstr(last_request, "Expect:") == NULL);
    CHECK_EQ(curl_post(&t, "/500", 2000), 500);
    CHECK_EQ(curl_post(&t, "/302", 2000), 302); /* never followed */
    CHECK_EQ(curl_post(&t, "/bigbody", 2000), 200);
    CHECK_EQ(curl_post(&t, "/reset", 2000), BH_ERESET);
    CHECK_EQ(curl_post(&t, "/silent", 300), BH_ETIMEOUT);
    CHECK_EQ(curl_post(&t, "http://host.invalid/x", 2000), BH_EDNS);
    CHECK_EQ(curl_post(&t, "ftp://127.0.0.1/x", 2000), BH_EURL);
    t.opts.refuse_internal = 1;
    CHECK_EQ(curl_post(&t, "/ok", 2000), BH_EFORBIDDEN);
    snprintf(u, sizeof u, "http://0x7f.1:%d/ok", server_port);
    CHECK_EQ(curl_post(&t, u, 2000), BH_EFORBIDDEN);
    t.opts.refuse_internal = 0;
    CHECK_EQ(curl_post(&t, "/ok", 2000), 200); /* the handle is reused */
    curl_easy_cleanup(t.curl);
}

static void curl_pin_format(void)
{
    struct addrinfo a4, a6;
    struct sockaddr_in s4;
    struct sockaddr_in6 s6;
    char out[128];
    size_t n = 0;
    memset(&a4, 0, sizeof a4);
    memset(&a6, 0, sizeof a6);
    memset(&s4, 0, sizeof s4);
    memset(&s6, 0, sizeof s6);
    s4.sin_family = AF_INET;
    inet_pton(AF_INET, "93.184.216.34", &s4.sin_addr);
    s6.sin6_family = AF_INET6;
    inet_pton(AF_INET6, "2606:2800:220:1::", &s6.sin6_addr);
    a4.ai_family = AF_INET;
    a4.ai_addr = (struct sockaddr *)&s4;
    a6.ai_family = AF_INET6;
    a6.ai_addr = (struct sockaddr *)&s6;
    CHECK(bh__pin_address(out, sizeof out, &n, &a4));
    CHECK(bh__pin_address(out, sizeof out, &n, &a6));
    out[n] = '\0';
    CHECK_STR(out, "93.184.216.34,[2606:2800:220:1::],");
    CHECK(!bh__pin_address(out, 20, &n, &a4)); /* no room: refused */
}
#endif

int main(void)
{
    signal(SIGPIPE, SIG_IGN);
    T_RUN(url_parts);
    T_RUN(url_refusals);
    T_RUN(internal_ipv4);
    T_RUN(internal_ipv6);
    T_RUN(post_head_for_own_transports);
    T_RUN(response_status_line);
    if (start_server() != 0) {
        printf("FAIL transport/server: could not start the loopback server\n");
        return 1;
    }
    T_RUN(socket_statuses);
    T_RUN(socket_request_bytes);
    T_RUN(socket_failures);
    T_RUN(socket_connect_refused);
    T_RUN(socket_refusals);
    T_RUN(socket_header_injection);
#ifdef BLUEHOOK_CURL
    curl_global_init(CURL_GLOBAL_DEFAULT);
    T_RUN(curl_statuses);
    T_RUN(curl_pin_format);
    curl_global_cleanup();
#else
    printf("SKIP transport/curl: libcurl not found (install libcurl4-openssl-dev)\n");
#endif
    stop_server();
    return t_done();
}
