/* Constant time, checked the way Monocypher's ctgrind does: run under
   valgrind memcheck with every secret byte marked undefined. Any branch or
   table index that depends on a secret is then reported by memcheck; each
   case asserts the exact number of reports it allows (the final verdict,
   where a function has one). Run: valgrind ./ctgrind (tests/check_ctgrind.sh). */
#define T_SUITE "ctgrind"
#define BLUEHOOK_IMPLEMENTATION
#include "../bluehook.h"
#include "t.h"

#include <valgrind/memcheck.h>

#define SECRET(p, n) VALGRIND_MAKE_MEM_UNDEFINED((p), (n))
#define PUBLIC(p, n) VALGRIND_MAKE_MEM_DEFINED((p), (n))

static unsigned long errors_so_far(void)
{
    return (unsigned long)VALGRIND_COUNT_ERRORS;
}

/* Run fn and check memcheck reported exactly `allowed` new errors. */
static void expect_reports(void (*fn)(void), unsigned long allowed)
{
    unsigned long before = errors_so_far(), n;
    fn();
    n = errors_so_far() - before;
    if (n != allowed) {
        char m[128];
        snprintf(m, sizeof m, "%lu secret-dependent branches or indexes, %lu allowed",
                 n, allowed);
        t_fail(__FILE__, __LINE__, m);
    }
}

static void do_sha256(void)
{
    uint8_t data[200], d[32];
    size_t len;
    t_fill(data, sizeof data);
    SECRET(data, sizeof data);
    for (len = 0; len <= sizeof data; len += 13) bh_sha256(data, len, d);
}

static void do_hmac_oneshot(void)
{
    static const size_t klens[] = {1, 20, 32, 64, 65, 131};
    uint8_t key[131], msg[150], mac[32], want[32];
    size_t i;
    int eq;
    t_fill(msg, sizeof msg);
    for (i = 0; i < sizeof klens / sizeof klens[0]; i++) {
        t_fill(key, sizeof key);
        bh_hmac_sha256(key, klens[i], msg, sizeof msg, want);
        SECRET(key, sizeof key);
        SECRET(want, sizeof want);
        bh_hmac_sha256(key, klens[i], msg, sizeof msg, mac);
        eq = bh_ct_equal(mac, want, 32);
        PUBLIC(&eq, sizeof eq); /* the verdict is public */
        CHECK_EQ(eq, 1);
    }
}

static void do_hmac_prepared(void)
{
    uint8_t key[32], msg[300], mac[32], mac2[32];
    bh_hmac_key k;
    bh_hmac_ctx c;
    int eq;
    t_fill(key, sizeof key);
    t_fill(msg, sizeof msg);
    SECRET(key, sizeof key);
    bh_hmac_key_init(&k, key, sizeof key);
    bh_hmac(&k, msg, sizeof msg, mac);
    bh_hmac_init(&c, &k);
    bh_hmac_update(&c, msg, 100);
    bh_hmac_update(&c, msg + 100, sizeof msg - 100);
    bh_hmac_final(&c, mac2);
    eq = bh_ct_equal(mac, mac2, 32);
    PUBLIC(&eq, sizeof eq);
    CHECK_EQ(eq, 1);
}

static void do_ct_equal(void)
{
    uint8_t a[64], b[64];
    size_t len;
    t_fill(a, sizeof a);
    memcpy(b, a, sizeof b);
    b[63] ^= 1;
    SECRET(a, sizeof a);
    SECRET(b, sizeof b);
    for (len = 0; len <= 64; len++) {
        int eq = bh_ct_equal(a, b, len);
        PUBLIC(&eq, sizeof eq);
        CHECK_EQ(eq, len < 64);
    }
}

static void do_hex_encode(void)
{
    uint8_t mac[32];
    char hex[65];
    t_fill(mac, sizeof mac);
    SECRET(mac, sizeof mac);
    CHECK_EQ(bh_hex_encode(hex, sizeof hex, mac, sizeof mac), 64);
}

static void do_base64(void)
{
    uint8_t raw[24], back[24];
    char txt[33];
    size_t pad = 9;
    int r;
    t_fill(raw, sizeof raw);
    SECRET(raw, sizeof raw);
    bh_base64_encode(txt, sizeof txt, raw, sizeof raw);
    r = bh__base64_decode_ct(back, txt, 32, &pad); /* one report: the verdict */
    PUBLIC(&r, sizeof r);
    CHECK_EQ(r, 0);
    PUBLIC(&pad, sizeof pad);
    CHECK_EQ(pad, 0);
}

/* The harness must catch a leak: memcmp on a secret branches. */
static void do_leaky(void)
{
    volatile uint8_t a[32], b[32];
    size_t i;
    int diff = 0;
    for (i = 0; i < 32; i++) a[i] = b[i] = (uint8_t)i;
    SECRET((void *)(uintptr_t)a, sizeof a);
    for (i = 0; i < 32; i++)
        if (a[i] != b[i]) { diff = 1; break; }
    CHECK_EQ(diff, 0);
}

static void sha256_constant_time(void) { expect_reports(do_sha256, 0); }
static void hmac_constant_time(void) { expect_reports(do_hmac_oneshot, 0); }
static void hmac_prepared_constant_time(void) { expect_reports(do_hmac_prepared, 0); }
static void ct_equal_constant_time(void) { expect_reports(do_ct_equal, 0); }
static void hex_encode_constant_time(void) { expect_reports(do_hex_encode, 0); }
static void base64_constant_time(void) { expect_reports(do_base64, 1); }
static void harness_catches_leak(void)
{
    unsigned long before = errors_so_far();
    do_leaky();
    CHECK(errors_so_far() - before >= 1);
}

int main(void)
{
    if (!RUNNING_ON_VALGRIND) {
        printf("SKIP ctgrind/all: not running under valgrind\n");
        return 0;
    }
    CHECK(1);
    if (strcmp(bh_sha256_backend(), "portable") != 0)
        printf("# ctgrind: SHA-256 path is %s, not portable\n", bh_sha256_backend());
    T_RUN(sha256_constant_time);
    T_RUN(hmac_constant_time);
    T_RUN(hmac_prepared_constant_time);
    T_RUN(ct_equal_constant_time);
    T_RUN(hex_encode_constant_time);
    T_RUN(base64_constant_time);
    T_RUN(harness_catches_leak);
    return t_done();
}
