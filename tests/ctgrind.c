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

/* ---- signatures ---- */

static const bh_scheme RAW_SCHEMES[] = {BH_SCHEME_BLUE, BH_SCHEME_GITHUB,
                                        BH_SCHEME_STRIPE};
static const size_t SECRET_LENS[] = {1, 20, 64, 65, 300};
#define NSECRET_LENS (sizeof SECRET_LENS / sizeof SECRET_LENS[0])

/* Blue, GitHub, Stripe: the secret's bytes are the key; no report at all
   (only the secret's length, which is public, is branched on). */
static void do_key_init_raw(void)
{
    char secret[300];
    bh_key k;
    size_t s, i;
    for (s = 0; s < 3; s++)
        for (i = 0; i < NSECRET_LENS; i++) {
            int r;
            t_fill(secret, sizeof secret);
            SECRET(secret, sizeof secret);
            r = bh_key_init(&k, RAW_SCHEMES[s], secret, SECRET_LENS[i]);
            CHECK_EQ(r, BH_OK);
        }
}

/* Standard: the base64 after "whsec_" is decoded with arithmetic; the one
   report per call is the decoder's verdict. Decoded lengths cover every
   padding (0, 1, 2 '=') on both sides of the 64-byte HMAC block, where a
   long key is hashed. The "whsec_" marker is public: it is no key material
   and its presence follows from the length. */
static const size_t STD_LENS[] = {1, 2, 3, 24, 32, 63, 64, 65, 66, 67, 68, 300};
#define NSTD_LENS (sizeof STD_LENS / sizeof STD_LENS[0])

static void do_key_init_standard(void)
{
    uint8_t raw[300];
    char secret[420];
    bh_key k;
    size_t i;
    int prefixed;
    for (i = 0; i < NSTD_LENS; i++)
        for (prefixed = 0; prefixed < 2; prefixed++) {
            size_t off = prefixed ? 6 : 0;
            int n, r;
            t_fill(raw, sizeof raw);
            memcpy(secret, "whsec_", 6);
            n = bh_base64_encode(secret + off, sizeof secret - off, raw, STD_LENS[i]);
            SECRET(secret + off, (size_t)n);
            r = bh_key_init(&k, BH_SCHEME_STANDARD, secret, off + (size_t)n);
            PUBLIC(&r, sizeof r); /* the verdict is public */
            CHECK_EQ(r, BH_OK);
        }
}

/* The MAC state of a key is secret; its path and scheme are not. */
static void secret_key(bh_key *k)
{
    SECRET(k->hmac.inner, sizeof k->hmac.inner);
    SECRET(k->hmac.outer, sizeof k->hmac.outer);
}

static const char *const SECRETS[] = {
    "blue-secret", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
    "It's a Secret to Everybody", "whsec_stripe-like-secret"};

/* Sign and verify with every scheme: signing has no report; each verify
   has one, its verdict, whether it accepts or rejects, however many
   signatures the header carries. */
static int verify_reports_ok;
static void do_sign_verify(void)
{
    static const char body[] = "{\"event\":\"TODO_CREATED\"}";
    bh_scheme s;
    verify_reports_ok = 1;
    for (s = BH_SCHEME_BLUE; s <= BH_SCHEME_STRIPE; s = (bh_scheme)(s + 1)) {
        bh_key k;
        bh_header h[3];
        char buf[256], v[300];
        int n, r;
        unsigned long before;
        bh_key_init(&k, s, SECRETS[s], strlen(SECRETS[s]));
        secret_key(&k);
        before = errors_so_far();
        n = bh_sign(&k, "msg_1", 1700000000, body, sizeof body - 1, h, 3, buf, sizeof buf);
        if (errors_so_far() != before) verify_reports_ok = 0;
        PUBLIC(buf, sizeof buf); /* a signature is sent in the clear */
        CHECK(n > 0);
        if (n <= 0) continue;
        before = errors_so_far();
        r = bh_verify(&k, 1, h, (size_t)n, body, sizeof body - 1, 1700000000, 0);
        if (errors_so_far() - before != 1) verify_reports_ok = 0;
        CHECK_EQ(r, BH_OK);
        before = errors_so_far();
        r = bh_verify(&k, 1, h, (size_t)n, body, sizeof body - 2, 1700000000, 0);
        if (errors_so_far() - before != 1) verify_reports_ok = 0;
        CHECK_EQ(r, BH_ESIG);
        if (s == BH_SCHEME_STANDARD) { /* three signatures, the last right */
            snprintf(v, sizeof v, "v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA= "
                     "v1,BAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA= %s", h[2].value);
            h[2].value = v;
            h[2].value_len = strlen(v);
            before = errors_so_far();
            r = bh_verify(&k, 1, h, 3, body, sizeof body - 1, 1700000000, 0);
            if (errors_so_far() - before != 1) verify_reports_ok = 0;
            CHECK_EQ(r, BH_OK);
        }
    }
}

/* Rotation: two keys, the second matches: one verdict per key tried. */
static void do_verify_rotation(void)
{
    static const char body[] = "payload";
    bh_key k[2];
    bh_header h[1];
    char buf[128];
    bh_verified out;
    int r;
    bh_key_init(&k[0], BH_SCHEME_BLUE, "old", 3);
    bh_key_init(&k[1], BH_SCHEME_BLUE, "new", 3);
    bh_sign(&k[1], NULL, 0, body, sizeof body - 1, h, 1, buf, sizeof buf);
    secret_key(&k[0]);
    secret_key(&k[1]);
    r = bh_verify_ex(k, 2, h, 1, body, sizeof body - 1, 0, 0, &out);
    CHECK_EQ(r, BH_OK);
    PUBLIC(&out.key, sizeof out.key);
    CHECK_EQ(out.key, 1);
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
static void key_init_raw_constant_time(void) { expect_reports(do_key_init_raw, 0); }
static void key_init_standard_constant_time(void)
{
    expect_reports(do_key_init_standard, 2 * NSTD_LENS); /* one per call */
}
static void sign_verify_constant_time(void)
{
    expect_reports(do_sign_verify, 4 * 2 + 1);
    CHECK(verify_reports_ok);
}
static void verify_rotation_constant_time(void) { expect_reports(do_verify_rotation, 2); }
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
    T_RUN(key_init_raw_constant_time);
    T_RUN(key_init_standard_constant_time);
    T_RUN(sign_verify_constant_time);
    T_RUN(verify_rotation_constant_time);
    T_RUN(harness_catches_leak);
    return t_done();
}
