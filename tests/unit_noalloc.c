/* Zero allocation, counted: this program replaces malloc, calloc, realloc,
   free, posix_memalign and aligned_alloc with counting versions (under
   AddressSanitizer or MemorySanitizer, which own those names, it installs
   their malloc and free hooks instead), then runs the library's whole work with counting
   on: key preparation and verification in every scheme, signing, the JSON
   reader and writer, the payload reader, filters, the HTTP parser, the
   receive pipeline and the connection server, the sender's publish and
   poll (through a transport that only counts). Any allocation inside
   those windows fails the case. Transports that call into libc's resolver
   or libcurl are left out: those libraries allocate, bluehook does not.
   tests/check_compile.sh also checks that the library's object file
   references no allocator at all. */
#define T_SUITE "noalloc"
#define BLUEHOOK_IMPLEMENTATION
#include "../bluehook.h"
#include "t.h"

#include <stdlib.h>

static volatile int counting;
static volatile unsigned long allocations;

#if defined(__SANITIZE_ADDRESS__)
#define NOALLOC_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(memory_sanitizer)
#define NOALLOC_ASAN 1
#endif
#endif

#ifdef NOALLOC_ASAN
/* ASan and MSan keep malloc's names; they call these hooks on every
   allocation. */
void __sanitizer_install_malloc_and_free_hooks(void (*m)(const volatile void *, size_t),
                                               void (*f)(const volatile void *));
static void on_malloc(const volatile void *p, size_t n)
{
    (void)p, (void)n;
    if (counting) allocations++;
}
static void on_free(const volatile void *p)
{
    (void)p;
    if (counting) allocations++;
}
static void install_counter(void)
{
    __sanitizer_install_malloc_and_free_hooks(on_malloc, on_free);
}
#elif defined(NOALLOC_WRAP) || defined(__GLIBC__)
/* glibc: the program's own malloc wins, and glibc's stays reachable as
   __libc_malloc. A static link (the cross runs under qemu) cannot replace
   libc.a's malloc, so there the link renames every call instead
   (tests/check_cross.sh passes -Wl,--wrap=malloc and the rest): calls
   reach __wrap_malloc, and libc's is __real_malloc. */
#ifdef NOALLOC_WRAP
#define COUNTED(f) __wrap_##f
#define LIBC(f) __real_##f
#else
#define COUNTED(f) f
#define LIBC(f) __libc_##f
#endif
void *LIBC(malloc)(size_t n);
void *LIBC(calloc)(size_t k, size_t n);
void *LIBC(realloc)(void *p, size_t n);
void LIBC(free)(void *p);
void *COUNTED(malloc)(size_t n);
void *COUNTED(calloc)(size_t k, size_t n);
void *COUNTED(realloc)(void *p, size_t n);
void COUNTED(free)(void *p);
void *COUNTED(malloc)(size_t n)
{
    if (counting) allocations++;
    return LIBC(malloc)(n);
}
void *COUNTED(calloc)(size_t k, size_t n)
{
    if (counting) allocations++;
    return LIBC(calloc)(k, n);
}
void *COUNTED(realloc)(void *p, size_t n)
{
    if (counting) allocations++;
    return LIBC(realloc)(p, n);
}
void COUNTED(free)(void *p)
{
    if (counting && p) allocations++;
    LIBC(free)(p);
}
#ifndef NOALLOC_WRAP /* the aligned ones, where they can be replaced */
void *__libc_memalign(size_t a, size_t n);
int posix_memalign(void **p, size_t a, size_t n);
void *aligned_alloc(size_t a, size_t n);
int posix_memalign(void **p, size_t a, size_t n)
{
    if (counting) allocations++;
    *p = __libc_memalign(a, n);
    return *p || !n ? 0 : 12; /* ENOMEM */
}
void *aligned_alloc(size_t a, size_t n)
{
    if (counting) allocations++;
    return __libc_memalign(a, n);
}
#endif
static void install_counter(void) {}
#define NOALLOC_OWN 1
#endif

#if defined(NOALLOC_ASAN) || defined(NOALLOC_OWN)
#define NOALLOC_CAN_COUNT 1
#endif

/* The counter works: an allocation inside a window is seen. */
static void counter_sees_malloc(void)
{
#ifdef NOALLOC_CAN_COUNT
    void *volatile p;
    allocations = 0;
    counting = 1;
    p = malloc(24);
    free(p);
    counting = 0;
    CHECK(allocations >= 2);
#else
    T_SKIP("no way to count allocations with this libc");
#endif
}

#define WINDOW_BEGIN() (allocations = 0, counting = 1)
#define WINDOW_END() (counting = 0)

static char blue[8192];
static size_t blue_len;
static bh_json_tok toks[4096];

static void load_blue(void)
{
    FILE *f = fopen("../shared/blue/todo_created.min.json", "rb");
    blue_len = f ? fread(blue, 1, sizeof blue, f) : 0;
    if (f) fclose(f);
}

static int handled;
static int on_any(void *ctx, const bh_received *r)
{
    (void)ctx, (void)r;
    handled++;
    return 0;
}

/* Every scheme: key, sign, verify, and the receive pipeline with a replay
   cache, a subscription and a filter. */
static void receive_every_scheme(void)
{
    static const bh_scheme schemes[] = {BH_SCHEME_BLUE, BH_SCHEME_STANDARD, BH_SCHEME_GITHUB,
                                        BH_SCHEME_STRIPE};
    static const char *secrets[] = {"blue-secret", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
                                    "github-secret", "whsec_stripe"};
    static bh_replay_slot slots[64];
    static bh_filter_node nodes[32];
    static const char filter_text[] = "/title exists && !(/archived == true)";
    size_t i;
    for (i = 0; i < 4; i++) {
        bh_key key;
        bh_receiver rx;
        bh_replay cache;
        bh_filter f;
        bh_header h[8];
        char sigbuf[512];
        int n, st1 = 0, st2 = 0, pr;
        handled = 0;
        WINDOW_BEGIN();
        bh_key_init(&key, schemes[i], secrets[i], strlen(secrets[i]));
        n = bh_sign(&key, "msg_noalloc", 1700000000, blue, blue_len, h + 1, 6, sigbuf,
                    sizeof sigbuf);
        h[0].name = "Content-Type", h[0].name_len = 12;
        h[0].value = "application/json", h[0].value_len = 16;
        h[n > 0 ? n + 1 : 1].name = "X-GitHub-Event";
        h[n > 0 ? n + 1 : 1].name_len = 14;
        h[n > 0 ? n + 1 : 1].value = "push";
        h[n > 0 ? n + 1 : 1].value_len = 4;
        pr = bh_filter_parse(&f, filter_text, sizeof filter_text - 1, nodes, 32);
        bh_replay_init(&cache, slots, 64);
        bh_receiver_init(&rx, schemes[i], &key, 1, toks, 4096);
        rx.replay = &cache;
        if (schemes[i] == BH_SCHEME_BLUE) rx.filter = &f;
        else rx.blue = 0;
        bh_receiver_on(&rx, BH_EVENT_UNKNOWN, on_any, NULL);
        bh_receiver_on(&rx, BH_EVENT_TODO_CREATED, on_any, NULL);
        if (n > 0) {
            st1 = bh_receive(&rx, "POST", 4, h, (size_t)n + 2, blue, blue_len, 1700000000, NULL);
            st2 = bh_receive(&rx, "POST", 4, h, (size_t)n + 2, blue, blue_len, 1700000000, NULL);
        }
        bh_wipe(&key, sizeof key);
        WINDOW_END();
        CHECK(n > 0);
        CHECK_EQ(pr, BH_OK);
        CHECK_EQ(st1, 200);
        CHECK_EQ(st2, 200);
        CHECK_EQ(handled, 1); /* the second was a duplicate */
        CHECK_EQ(allocations, 0);
    }
}

/* JSON reader, pointer lookups, string decoding, the payload reader and
   the writer. */
static void json_and_payload(void)
{
    static char out[16384];
    bh_json doc;
    bh_payload p;
    bh_json_writer w;
    char title[128];
    int64_t pos = 0;
    int rc, rd, wl;
    WINDOW_BEGIN();
    rc = bh_json_parse(&doc, blue, blue_len, toks, 4096);
    rd = bh_payload_read(&p, &doc);
    bh_json_string(&doc, bh_json_get(&doc, p.entity, "/title"), title, sizeof title);
    bh_json_int64(&doc, bh_json_get(&doc, p.entity, "/position"), &pos);
    bh_payload_project_id(&p, &doc);
    bh_payload_record_id(&p, &doc);
    bh_jw_init(&w, out, sizeof out);
    bh_jw_begin_object(&w);
    bh_jw_key(&w, "copy", 4);
    bh_jw_raw(&w, blue, blue_len);
    bh_jw_key(&w, "title", 5);
    bh_jw_string(&w, title, strlen(title));
#ifndef BLUEHOOK_NO_DOUBLE
    bh_jw_key(&w, "x", 1);
    bh_jw_double(&w, 0.1);
#endif
    bh_jw_end_object(&w);
    wl = bh_jw_finish(&w);
    WINDOW_END();
    CHECK_EQ(rc, BH_OK);
    CHECK_EQ(rd, BH_OK);
    CHECK(wl > (int)blue_len);
    CHECK_EQ(allocations, 0);
}

/* The connection server: a request in three pieces, then pipelined. */
static void serve_a_connection(void)
{
    static char buf[16384], out[BH_RESPONSE_MAX];
    bh_key key;
    bh_receiver rx;
    bh_http_parser hp;
    bh_header hh[32], sig[1];
    bh_served s;
    char sigbuf[128];
    size_t len = 0, k;
    int statuses = 0, rc = 0;
    WINDOW_BEGIN();
    bh_key_init(&key, BH_SCHEME_BLUE, "serve-secret", 12);
    bh_sign(&key, NULL, 0, blue, blue_len, sig, 1, sigbuf, sizeof sigbuf);
    WINDOW_END();
    for (k = 0; k < 2; k++) { /* the test composes requests outside the window */
        len += (size_t)snprintf(buf + len, sizeof buf - len,
                                "POST /hook HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                                "X-Signature: %.*s\r\nContent-Length: %zu\r\n\r\n",
                                (int)sig[0].value_len, sig[0].value, blue_len);
        memcpy(buf + len, blue, blue_len);
        len += blue_len;
    }
    WINDOW_BEGIN();
    bh_receiver_init(&rx, BH_SCHEME_BLUE, &key, 1, toks, 4096);
    bh_receiver_on(&rx, BH_EVENT_TODO_CREATED, on_any, NULL);
    bh_http_init(&hp, hh, 32);
    for (;;) {
        rc = bh_receiver_serve(&rx, &hp, buf, len, sizeof buf, 0, out, sizeof out, &s);
        if (rc != BH_OK) break;
        statuses += memcmp(out, "HTTP/1.1 200", 12) == 0;
        memmove(buf, buf + s.consumed, len - s.consumed);
        len -= s.consumed;
        if (s.close || !len) break;
    }
    WINDOW_END();
    CHECK_EQ(statuses, 2);
    CHECK_EQ(allocations, 0);
}

static unsigned long posted;
static int counting_transport(void *ctx, const bh_post *p)
{
    (void)ctx;
    posted += p->body_len > 0;
    return posted % 3 == 1 ? 503 : 200; /* some retries too */
}
static int64_t wall(void *ctx)
{
    (void)ctx;
    return 1700000000;
}
static uint32_t lcg(void *ctx)
{
    static uint32_t x = 99;
    (void)ctx;
    return x = x * 1664525u + 1013904223u;
}

/* The sender: publish to webhooks with a filter, retries, health. */
static void sender_publish_and_poll(void)
{
    static bh_sender_hook states[4];
    static bh_delivery outbox[64];
    static uint8_t arena[1 << 18];
    static char body[1 << 15];
    static bh_webhook hooks[3];
    static bh_filter_node nodes[16];
    static const char ft[] = "/title exists";
    bh_sender_config c;
    bh_sender s;
    bh_json doc;
    bh_filter f;
    const char *record;
    size_t record_len = 0, i;
    uint64_t now = 0;
    int published = 0, rounds = 0;
    bh_json_parse(&doc, blue, blue_len, toks, 4096);
    record = bh_json_raw(&doc, bh_json_get(&doc, 0, "/currentValue"), &record_len);
    memset(&c, 0, sizeof c);
    memset(hooks, 0, sizeof hooks);
    WINDOW_BEGIN();
    bh_filter_parse(&f, ft, sizeof ft - 1, nodes, 16);
    c.transport = counting_transport;
    c.random = lcg;
    c.wall_clock = wall;
    c.first_delay_ms = BH_NO_DELAY;
    c.backoff_ms = 10;
    c.hooks = states, c.hooks_cap = 4;
    c.outbox = outbox, c.outbox_cap = 64;
    c.arena = arena, c.arena_cap = sizeof arena;
    c.body = body, c.body_cap = sizeof body;
    c.toks = toks, c.toks_cap = 4096;
    bh_sender_init(&s, &c);
    for (i = 0; i < 3; i++) {
        hooks[i].id = i == 0 ? "a" : i == 1 ? "b" : "c";
        hooks[i].url = "http://127.0.0.1/hook";
        hooks[i].secret = "sender-secret";
        hooks[i].enabled = 1;
        if (i == 2) hooks[i].filter = &f;
        bh_sender_add(&s, &hooks[i], i == 1 ? BH_SEND_STANDARD : 0);
    }
    for (i = 0; i < 5; i++)
        published += bh_sender_publish(&s, now, "TODO_CREATED", 12, NULL, 0, NULL, 0, record,
                                       record_len);
    while (bh_sender_next_due(&s) != UINT64_MAX && rounds++ < 1000) {
        now = bh_sender_next_due(&s);
        bh_sender_poll(&s, now);
    }
    WINDOW_END();
    CHECK_EQ(published, 15);
    CHECK(posted >= 15);
    CHECK(bh_sender_next_due(&s) == UINT64_MAX);
    CHECK_EQ(allocations, 0);
}

int main(void)
{
    install_counter();
    load_blue();
    T_RUN(counter_sees_malloc);
    T_RUN(receive_every_scheme);
    T_RUN(json_and_payload);
    T_RUN(serve_a_connection);
    T_RUN(sender_publish_and_poll);
    return t_done();
}
