/* Signatures and the replay cache: every vector in the three ../shared/vectors files
   (read at test time), the official known answers, and the edges: tolerance,
   several signatures, tampering, bad encodings, missing headers, empty
   bodies, secret lengths, rotation, error precedence, replay cache. */
#define T_SUITE "sig"
#define BLUEHOOK_IMPLEMENTATION
#include "../bluehook.h"
#include "t.h"
#include "vectors.h"

#include <ctype.h>

#define VEC_DIR "../shared/vectors/"

static uint8_t body[4096];
static size_t body_len;

/* The vector's exact body bytes, from body_base64. */
static int load_body(const vj *v)
{
    const char *b64 = vj_str(v, "body_base64");
    vj *n = vj_get(v, "body_len_bytes");
    int r;
    if (!b64) return 0;
    r = bh_base64_decode(body, sizeof body, b64, strlen(b64));
    if (r < 0 || !n || (long long)r != n->num) return 0;
    body_len = (size_t)r;
    return 1;
}

static void hdr(bh_header *h, const char *name, const char *value)
{
    h->name = name;
    h->name_len = strlen(name);
    h->value = value;
    h->value_len = value ? strlen(value) : 0;
}

static int key(bh_key *k, bh_scheme s, const char *secret)
{
    return bh_key_init(k, s, secret, strlen(secret));
}

/* Sign with the vector's secret; compare with the expected headers; verify
   them back; return how many vectors were checked. */
static void check_vector_sign(const vj *v, bh_scheme s, const char *const names[],
                              size_t nnames)
{
    const vj *exp = vj_get(v, "expected");
    const char *secret = vj_str(v, "secret");
    const char *fmt = vj_str(v, "secret_format");
    const vj *ts = vj_get(v, "timestamp");
    bh_header out[3], in[3];
    char buf[512];
    bh_key k;
    size_t i;
    int n;
    CHECK(load_body(v));
    CHECK(secret != NULL);
    if (!secret) return;
    if (fmt && strncmp(fmt, "raw", 3) == 0)
        CHECK_EQ(bh_key_init_raw(&k, s, secret, strlen(secret)), BH_OK);
    else
        CHECK_EQ(key(&k, s, secret), BH_OK);
    n = bh_sign(&k, vj_str(v, "msg_id"), ts && ts->type == VJ_NUM ? ts->num : 0,
                body, body_len, out, 3, buf, sizeof buf);
    CHECK_EQ(n, (int)nnames);
    for (i = 0; i < nnames && n == (int)nnames; i++) {
        const char *want = vj_str(exp, names[i]);
        CHECK_STR(out[i].name, names[i]);
        CHECK_STR(out[i].value, want);
        CHECK_EQ(out[i].value_len, want ? strlen(want) : 0);
        hdr(&in[i], names[i], want);
    }
    CHECK_EQ(bh_verify(&k, 1, in, nnames, body, body_len,
                       ts && ts->type == VJ_NUM ? ts->num : 0, 0), BH_OK);
}

/* The vector's key_hex, when present, gives the same MAC as the key. */
static void check_key_hex(const vj *v, bh_scheme s)
{
    const char *hex = vj_str(v, "key_hex"), *secret = vj_str(v, "secret");
    const char *fmt = vj_str(v, "secret_format");
    uint8_t raw[256], a[32], b[32];
    bh_key k;
    size_t n;
    if (!hex || !secret) return;
    n = t_unhex(raw, hex);
    if (fmt && strncmp(fmt, "raw", 3) == 0)
        bh_key_init_raw(&k, s, secret, strlen(secret));
    else
        key(&k, s, secret);
    bh_hmac(&k.hmac, "probe", 5, a);
    bh_hmac_sha256(raw, n, "probe", 5, b);
    CHECK_MEM(a, b, 32);
}

/* A vector signed with several secrets: each one alone verifies. */
static void check_rotation_vector(const vj *v, bh_scheme s, const char *name)
{
    const vj *secrets = vj_get(v, "secrets"), *c;
    const vj *ts = vj_get(v, "timestamp");
    const char *want = vj_str(vj_get(v, "expected"), name);
    int64_t t = ts && ts->type == VJ_NUM ? ts->num : 0;
    bh_header in[3];
    bh_key k[2];
    size_t nh = 1, nsec = 0;
    CHECK(load_body(v));
    CHECK(secrets && secrets->type == VJ_ARR);
    hdr(&in[0], name, want);
    if (s == BH_SCHEME_STANDARD) {
        hdr(&in[1], "webhook-id", vj_str(vj_get(v, "expected"), "webhook-id"));
        hdr(&in[2], "webhook-timestamp",
            vj_str(vj_get(v, "expected"), "webhook-timestamp"));
        nh = 3;
    }
    for (c = secrets ? secrets->child : NULL; c; c = c->next) {
        bh_verified out;
        CHECK_EQ(key(&k[0], s, c->str), BH_OK);
        CHECK_EQ(bh_verify(k, 1, in, nh, body, body_len, t, 0), BH_OK);
        /* with a wrong key first, the right one still passes */
        CHECK_EQ(key(&k[0], s, s == BH_SCHEME_STANDARD ? "whsec_AAAA" : "wrong"),
                 BH_OK);
        CHECK_EQ(key(&k[1], s, c->str), BH_OK);
        CHECK_EQ(bh_verify_ex(k, 2, in, nh, body, body_len, t, 0, &out), BH_OK);
        CHECK_EQ(out.key, 1);
        nsec++;
    }
    CHECK_EQ(nsec, 2);
}

static void vectors_standard(void)
{
    static const char *const names[] = {"webhook-id", "webhook-timestamp",
                                        "webhook-signature"};
    vj *f = vj_load(VEC_DIR "standard-webhooks.json"), *v;
    size_t n = 0;
    CHECK(f != NULL);
    for (v = vj_get(f, "vectors") ? vj_get(f, "vectors")->child : NULL; v; v = v->next, n++) {
        const char *name = vj_str(v, "name");
        if (vj_get(v, "secrets")) {
            check_rotation_vector(v, BH_SCHEME_STANDARD, "webhook-signature");
            continue;
        }
        check_vector_sign(v, BH_SCHEME_STANDARD, names, 3);
        check_key_hex(v, BH_SCHEME_STANDARD);
        if (name && strcmp(name, "invalid_utf8_body_buffer") == 0) {
            /* the JS library signed other bytes: that signature fails */
            bh_header in[3];
            bh_key k;
            const vj *exp = vj_get(v, "expected");
            key(&k, BH_SCHEME_STANDARD, vj_str(v, "secret"));
            hdr(&in[0], "webhook-id", vj_str(exp, "webhook-id"));
            hdr(&in[1], "webhook-timestamp", vj_str(exp, "webhook-timestamp"));
            hdr(&in[2], "webhook-signature", vj_str(v, "library_output"));
            CHECK(in[2].value != NULL);
            CHECK_EQ(bh_verify(&k, 1, in, 3, body, body_len, 1614265330, 0), BH_ESIG);
        }
    }
    CHECK_EQ(n, 22);
}

static void vectors_github(void)
{
    static const char *const names[] = {"X-Hub-Signature-256"};
    vj *f = vj_load(VEC_DIR "github.json"), *v;
    size_t n = 0;
    CHECK(f != NULL);
    for (v = vj_get(f, "vectors") ? vj_get(f, "vectors")->child : NULL; v; v = v->next, n++) {
        const char *lib = vj_str(v, "library_output");
        check_vector_sign(v, BH_SCHEME_GITHUB, names, 1);
        if (lib) CHECK_STR(lib, vj_str(vj_get(v, "expected"), names[0]));
    }
    CHECK_EQ(n, 14);
}

static void vectors_stripe(void)
{
    static const char *const names[] = {"Stripe-Signature"};
    vj *f = vj_load(VEC_DIR "stripe.json"), *v;
    size_t n = 0;
    CHECK(f != NULL);
    for (v = vj_get(f, "vectors") ? vj_get(f, "vectors")->child : NULL; v; v = v->next, n++) {
        if (vj_get(v, "secrets"))
            check_rotation_vector(v, BH_SCHEME_STRIPE, names[0]);
        else
            check_vector_sign(v, BH_SCHEME_STRIPE, names, 1);
    }
    CHECK_EQ(n, 25);
}

/* The answers the schemes publish themselves. */
static void official_known_answers(void)
{
    vj *f = vj_load(VEC_DIR "standard-webhooks.json");
    vj *o = vj_get(f, "official_known_answer");
    bh_header out[3];
    char buf[256];
    bh_key k;
    const char *b;
    CHECK(o != NULL);
    if (!o) return;
    CHECK_EQ(key(&k, BH_SCHEME_STANDARD, vj_str(o, "secret")), BH_OK);
    b = vj_str(o, "body");
    CHECK_EQ(bh_sign(&k, vj_str(o, "msg_id"), vj_get(o, "timestamp")->num, b,
                     strlen(b), out, 3, buf, sizeof buf), 3);
    CHECK_STR(out[2].value, vj_str(o, "expected_signature"));

    f = vj_load(VEC_DIR "github.json");
    o = vj_get(f, "official_known_answer");
    CHECK(o != NULL);
    if (!o) return;
    CHECK_EQ(key(&k, BH_SCHEME_GITHUB, vj_str(o, "secret")), BH_OK);
    b = vj_str(o, "body");
    CHECK_EQ(bh_sign(&k, NULL, 0, b, strlen(b), out, 1, buf, sizeof buf), 1);
    CHECK_STR(out[0].value, vj_str(o, "expected"));
    CHECK_STR(out[0].value,
              "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17");
}

/* ---- helpers for the edges ---- */

static const char BODY[] = "{\"event\":\"TODO_CREATED\",\"n\":\"Zo\xc3\xab\"}";
#define TS 1700000000

typedef struct signed_msg {
    bh_header h[4];
    size_t n;
    char buf[256];
} signed_msg;

static void sign_msg(signed_msg *m, const bh_key *k, const void *b, size_t len)
{
    int n = bh_sign(k, "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W", TS, b, len, m->h, 4,
                    m->buf, sizeof m->buf);
    CHECK(n > 0);
    m->n = n > 0 ? (size_t)n : 0;
}

static void make_key(bh_key *k, bh_scheme s)
{
    static const char *const secrets[] = {
        "blue-secret", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
        "It's a Secret to Everybody", "whsec_stripe-like-secret"};
    CHECK_EQ(key(k, s, secrets[s]), BH_OK);
}

static const bh_scheme ALL[] = {BH_SCHEME_BLUE, BH_SCHEME_STANDARD,
                                BH_SCHEME_GITHUB, BH_SCHEME_STRIPE};

/* The signature header of a signed message (the last one). */
static bh_header *sig_of(signed_msg *m) { return &m->h[m->n - 1]; }

static int verify_value(const bh_key *k, signed_msg *m, const char *value,
                        int64_t now, uint32_t tol)
{
    bh_header saved = *sig_of(m);
    int r;
    sig_of(m)->value = value;
    sig_of(m)->value_len = strlen(value);
    r = bh_verify(k, 1, m->h, m->n, BODY, sizeof BODY - 1, now, tol);
    *sig_of(m) = saved;
    return r;
}

/* ---- edges ---- */

static void tolerance_edges(void)
{
    bh_scheme s;
    signed_msg m;
    bh_key k;
    for (s = BH_SCHEME_STANDARD; s <= BH_SCHEME_STRIPE; s = (bh_scheme)(s + 2)) {
        make_key(&k, s);
        sign_msg(&m, &k, BODY, sizeof BODY - 1);
        CHECK_EQ(bh_verify(&k, 1, m.h, m.n, BODY, sizeof BODY - 1, TS, 0), BH_OK);
        CHECK_EQ(bh_verify(&k, 1, m.h, m.n, BODY, sizeof BODY - 1, TS + 300, 0), BH_OK);
        CHECK_EQ(bh_verify(&k, 1, m.h, m.n, BODY, sizeof BODY - 1, TS - 300, 0), BH_OK);
        CHECK_EQ(bh_verify(&k, 1, m.h, m.n, BODY, sizeof BODY - 1, TS + 301, 0), BH_ESTALE);
        CHECK_EQ(bh_verify(&k, 1, m.h, m.n, BODY, sizeof BODY - 1, TS - 301, 0), BH_ESTALE);
        CHECK_EQ(bh_verify(&k, 1, m.h, m.n, BODY, sizeof BODY - 1, TS + 300, 300), BH_OK);
        CHECK_EQ(bh_verify(&k, 1, m.h, m.n, BODY, sizeof BODY - 1, TS + 301, 300), BH_ESTALE);
        CHECK_EQ(bh_verify(&k, 1, m.h, m.n, BODY, sizeof BODY - 1, TS - 10, 10), BH_OK);
        CHECK_EQ(bh_verify(&k, 1, m.h, m.n, BODY, sizeof BODY - 1, TS + 11, 10), BH_ESTALE);
        CHECK_EQ(bh_verify(&k, 1, m.h, m.n, BODY, sizeof BODY - 1, INT64_MIN, 0xffffffffu), BH_ESTALE);
        CHECK_EQ(bh_verify(&k, 1, m.h, m.n, BODY, sizeof BODY - 1, INT64_MAX, 0xffffffffu), BH_ESTALE);
        /* a stale message with a wrong signature is a wrong signature */
        CHECK_EQ(bh_verify(&k, 1, m.h, m.n, BODY, sizeof BODY - 2, TS + 301, 0), BH_ESIG);
    }
    /* no timestamp, no staleness */
    for (s = BH_SCHEME_BLUE; s <= BH_SCHEME_GITHUB; s = (bh_scheme)(s + 2)) {
        make_key(&k, s);
        sign_msg(&m, &k, BODY, sizeof BODY - 1);
        CHECK_EQ(bh_verify(&k, 1, m.h, m.n, BODY, sizeof BODY - 1, 0, 1), BH_OK);
        CHECK_EQ(bh_verify(&k, 1, m.h, m.n, BODY, sizeof BODY - 1, INT64_MAX, 1), BH_OK);
    }
}

static void several_signatures_last_right(void)
{
    signed_msg m;
    bh_key k;
    char v[600];
    const char *wrong_b64 = "v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
    const char *wrong_hex = "0000000000000000000000000000000000000000000000000000000000000000";
    make_key(&k, BH_SCHEME_STANDARD);
    sign_msg(&m, &k, BODY, sizeof BODY - 1);
    snprintf(v, sizeof v, "%s %s v2,abc %s", wrong_b64, wrong_b64, sig_of(&m)->value);
    CHECK_EQ(verify_value(&k, &m, v, TS, 0), BH_OK);
    snprintf(v, sizeof v, "%s  %s", wrong_b64, wrong_b64);
    CHECK_EQ(verify_value(&k, &m, v, TS, 0), BH_ESIG);
    /* the right one first also passes: every one is tried */
    snprintf(v, sizeof v, "%s %s", sig_of(&m)->value, wrong_b64);
    CHECK_EQ(verify_value(&k, &m, v, TS, 0), BH_OK);

    make_key(&k, BH_SCHEME_STRIPE);
    sign_msg(&m, &k, BODY, sizeof BODY - 1);
    snprintf(v, sizeof v, "t=%d,v1=%s,v0=%s,v1=%s,v1=%s", TS, wrong_hex, wrong_hex,
             wrong_hex, strstr(sig_of(&m)->value, "v1=") + 3);
    CHECK_EQ(verify_value(&k, &m, v, TS, 0), BH_OK);
    /* any order: v1 entries before t */
    snprintf(v, sizeof v, "v1=%s,v1=%s,t=%d", wrong_hex,
             strstr(sig_of(&m)->value, "v1=") + 3, TS);
    CHECK_EQ(verify_value(&k, &m, v, TS, 0), BH_OK);
    snprintf(v, sizeof v, "t=%d,v1=%s,v1=%s", TS, wrong_hex, wrong_hex);
    CHECK_EQ(verify_value(&k, &m, v, TS, 0), BH_ESIG);
}

static void tampered_bodies(void)
{
    size_t si, i;
    for (si = 0; si < 4; si++) {
        bh_key k;
        signed_msg m;
        uint8_t b[sizeof BODY];
        make_key(&k, ALL[si]);
        sign_msg(&m, &k, BODY, sizeof BODY - 1);
        memcpy(b, BODY, sizeof BODY);
        for (i = 0; i < sizeof BODY - 1; i++) {
            b[i] ^= 0x01;
            CHECK_EQ(bh_verify(&k, 1, m.h, m.n, b, sizeof BODY - 1, TS, 0), BH_ESIG);
            b[i] ^= 0x01;
        }
        CHECK_EQ(bh_verify(&k, 1, m.h, m.n, b, sizeof BODY - 1, TS, 0), BH_OK);
        CHECK_EQ(bh_verify(&k, 1, m.h, m.n, b, sizeof BODY - 2, TS, 0), BH_ESIG);
        CHECK_EQ(bh_verify(&k, 1, m.h, m.n, b, sizeof BODY, TS, 0), BH_ESIG);
        CHECK_EQ(bh_verify(&k, 1, m.h, m.n, NULL, 0, TS, 0), BH_ESIG);
        /* a tampered signature, every position */
        {
            char v[200];
            size_t len = strlen(sig_of(&m)->value);
            for (i = len - (ALL[si] == BH_SCHEME_STANDARD ? 44 : 64); i < len; i++) {
                strcpy(v, sig_of(&m)->value);
                v[i] = v[i] == 'A' ? 'B' : v[i] == '0' ? '1' : (v[i] == 'a' ? 'b' : 'a');
                if (sig_of(&m)->value[i] == '=') continue;
                CHECK(verify_value(&k, &m, v, TS, 0) == BH_ESIG ||
                      verify_value(&k, &m, v, TS, 0) == BH_EMALFORMED);
            }
        }
    }
}

static void bad_base64(void)
{
    signed_msg m;
    bh_key k;
    char v[200];
    /* each alone is malformed; beside a good signature, those with a v1
       entry still spoil the header, the others are ignored */
    static const struct { const char *sig; int spoils; } bad_sigs[] = {
        {"v1,!!!!9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", 1}, /* alphabet */
        {"v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE", 1},  /* unpadded */
        {"v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OF=", 1}, /* bits under '=' */
        {"v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1O==", 1}, /* 31 bytes */
        {"v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=AAAA", 1}, /* 35 bytes */
        {"v1,g0hM9SsE-OTPJTGt_tmIKtSyZlE3uFJELVlNIOLJ1OE=", 1}, /* URL alphabet */
        {"v1,", 1}, {"v1", 1}, {"v1,=", 1}, {"v2,abc v1", 1},
        {"v3,abc", 0}, {"", 0}, {" ", 0}, {"v1;abc", 0}, {"v1a,abc", 0},
    };
    size_t i;
    make_key(&k, BH_SCHEME_STANDARD);
    sign_msg(&m, &k, BODY, sizeof BODY - 1);
    for (i = 0; i < sizeof bad_sigs / sizeof bad_sigs[0]; i++) {
        CHECK_EQ(verify_value(&k, &m, bad_sigs[i].sig, TS, 0), BH_EMALFORMED);
        snprintf(v, sizeof v, "%s %s", sig_of(&m)->value, bad_sigs[i].sig);
        CHECK_EQ(verify_value(&k, &m, v, TS, 0), bad_sigs[i].spoils ? BH_EMALFORMED : BH_OK);
    }
    /* secrets that are not padded base64 */
    {
        static const char *const bad_secrets[] = {
            "whsec_", "whsec_A", "whsec_AA", "whsec_AAA", "whsec_AA=A",
            "whsec_AB==", /* non-zero bits under the padding */
            "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaS", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLa-w",
            "WHSEC_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "whsec:MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
            "xx", "====", "A===", "whsec_whsec_AAAA", "AAAA AAAA", "AAAA\n",
        };
        for (i = 0; i < sizeof bad_secrets / sizeof bad_secrets[0]; i++) {
            CHECK_EQ(key(&k, BH_SCHEME_STANDARD, bad_secrets[i]), BH_EINVAL);
            CHECK(k.ready == 0);
        }
        CHECK_EQ(key(&k, BH_SCHEME_STANDARD, "whsec_AA=="), BH_OK);
        CHECK_EQ(key(&k, BH_SCHEME_STANDARD, "AA=="), BH_OK);
        CHECK_EQ(key(&k, BH_SCHEME_STANDARD, "whsec_AAA="), BH_OK);
    }
}

/* The received-signature decoder (public text, branching) agrees with the
   constant-time bh_base64_decode on 44-character texts: random digits,
   '=' anywhere, characters outside the alphabet, stray low bits. */
static void signature_base64_agrees(void)
{
    static const char alphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=-_ \x01\xff";
    char text[44];
    uint8_t a[32], b[32];
    int i, j, bad = 0, accepted = 0;
    t_rng_state = 0x5167b64a5167b64aull;
    for (i = 0; i < 200000; i++) {
        int mode = (int)(t_rand() % 4), ra, rb;
        for (j = 0; j < 44; j++)
            text[j] = alphabet[mode ? t_rand() % 64 : t_rand() % (sizeof alphabet - 1)];
        if (mode >= 2) text[43] = '=';
        if (mode == 3) text[42] = "AEIMQUYcgkosw048"[t_rand() % 16]; /* low bits zero */
        memset(a, 0, sizeof a);
        memset(b, 0, sizeof b);
        ra = bh__decode_b64_sig(text, 44, a);
        rb = bh_base64_decode(b, 32, text, 44) == 32;
        accepted += ra;
        if ((ra != rb || (ra && memcmp(a, b, 32) != 0)) && bad++ < 3)
            t_fail(__FILE__, __LINE__, "bh__decode_b64_sig and bh_base64_decode disagree");
    }
    CHECK(accepted > 10000); /* the valid shapes were reached */
    CHECK(!bh__decode_b64_sig("g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", 43, a));
}

static void uppercase_hex(void)
{
    bh_scheme ss[] = {BH_SCHEME_BLUE, BH_SCHEME_GITHUB, BH_SCHEME_STRIPE};
    size_t si, i;
    for (si = 0; si < 3; si++) {
        signed_msg m;
        bh_key k;
        char v[200];
        make_key(&k, ss[si]);
        sign_msg(&m, &k, BODY, sizeof BODY - 1);
        strcpy(v, sig_of(&m)->value);
        for (i = strlen(v) - 64; v[i]; i++)
            if (v[i] >= 'a' && v[i] <= 'f') v[i] = (char)(v[i] - 32);
        CHECK_EQ(verify_value(&k, &m, v, TS, 0), BH_OK);
        /* mixed case too */
        for (i = strlen(v) - 64; v[i]; i += 2)
            if (v[i] >= 'A' && v[i] <= 'F') v[i] = (char)(v[i] + 32);
        CHECK_EQ(verify_value(&k, &m, v, TS, 0), BH_OK);
    }
}

static void missing_and_malformed_headers(void)
{
    size_t si, i;
    for (si = 0; si < 4; si++) {
        signed_msg m;
        bh_key k;
        make_key(&k, ALL[si]);
        sign_msg(&m, &k, BODY, sizeof BODY - 1);
        CHECK_EQ(bh_verify(&k, 1, m.h, m.n - 1, BODY, sizeof BODY - 1, TS, 0), BH_ENOSIG);
        CHECK_EQ(bh_verify(&k, 1, NULL, 0, BODY, sizeof BODY - 1, TS, 0), BH_ENOSIG);
        CHECK_EQ(bh_verify(&k, 1, NULL, 3, BODY, sizeof BODY - 1, TS, 0), BH_EINVAL);
        CHECK_EQ(bh_verify(&k, 1, m.h, m.n, NULL, 5, TS, 0), BH_EINVAL);
        /* names match whatever their case */
        for (i = 0; i < m.n; i++) {
            char name[64];
            size_t j;
            for (j = 0; j < m.h[i].name_len; j++)
                name[j] = (char)((j & 1) ? toupper((unsigned char)m.h[i].name[j])
                                         : tolower((unsigned char)m.h[i].name[j]));
            name[j] = '\0';
            {
                bh_header h2[4];
                memcpy(h2, m.h, sizeof h2);
                h2[i].name = name;
                CHECK_EQ(bh_verify(&k, 1, h2, m.n, BODY, sizeof BODY - 1, TS, 0), BH_OK);
            }
        }
        /* surrounding white space is trimmed; oversized values refused */
        {
            char v[BH_SIG_VALUE_MAX + 8];
            snprintf(v, sizeof v, " \t%s\t  ", sig_of(&m)->value);
            CHECK_EQ(verify_value(&k, &m, v, TS, 0), BH_OK);
            memset(v, ' ', sizeof v);
            memcpy(v, sig_of(&m)->value, sig_of(&m)->value_len);
            v[BH_SIG_VALUE_MAX] = '\0';
            CHECK_EQ(verify_value(&k, &m, v, TS, 0), BH_OK);
            v[BH_SIG_VALUE_MAX] = ' ';
            v[BH_SIG_VALUE_MAX + 1] = '\0';
            CHECK_EQ(verify_value(&k, &m, v, TS, 0), BH_EMALFORMED);
            CHECK_EQ(verify_value(&k, &m, "", TS, 0), BH_EMALFORMED);
            CHECK_EQ(verify_value(&k, &m, "  ", TS, 0), BH_EMALFORMED);
        }
    }
}

static void standard_headers(void)
{
    signed_msg m;
    bh_key k;
    bh_header h[4];
    size_t i;
    static const char *const bad_ts[] = {"", "+1700000000", "-1700000000",
        "1700000000.0", "01700000000", "17000000OO", "0x65", "1 700000000",
        "99999999999999999999", "9223372036854775808"};
    make_key(&k, BH_SCHEME_STANDARD);
    sign_msg(&m, &k, BODY, sizeof BODY - 1);
    /* svix- aliases */
    memcpy(h, m.h, sizeof h);
    h[0].name = "svix-id"; h[0].name_len = 7;
    h[1].name = "Svix-Timestamp"; h[1].name_len = 14;
    h[2].name = "SVIX-SIGNATURE"; h[2].name_len = 14;
    CHECK_EQ(bh_verify(&k, 1, h, 3, BODY, sizeof BODY - 1, TS, 0), BH_OK);
    /* id or timestamp missing */
    CHECK_EQ(bh_verify(&k, 1, m.h + 1, 2, BODY, sizeof BODY - 1, TS, 0), BH_EMALFORMED);
    h[0] = m.h[0]; h[1] = m.h[2];
    CHECK_EQ(bh_verify(&k, 1, h, 2, BODY, sizeof BODY - 1, TS, 0), BH_EMALFORMED);
    /* a strict decimal timestamp */
    for (i = 0; i < sizeof bad_ts / sizeof bad_ts[0]; i++) {
        memcpy(h, m.h, sizeof h);
        hdr(&h[1], "webhook-timestamp", bad_ts[i]);
        CHECK_EQ(bh_verify(&k, 1, h, 3, BODY, sizeof BODY - 1, TS, 0), BH_EMALFORMED);
    }
    /* another id, the same signature: the id is signed */
    memcpy(h, m.h, sizeof h);
    hdr(&h[0], "webhook-id", "msg_other");
    CHECK_EQ(bh_verify(&k, 1, h, 3, BODY, sizeof BODY - 1, TS, 0), BH_ESIG);
    hdr(&h[0], "webhook-id", "");
    CHECK_EQ(bh_verify(&k, 1, h, 3, BODY, sizeof BODY - 1, TS, 0), BH_EMALFORMED);
    /* another timestamp: signed too */
    memcpy(h, m.h, sizeof h);
    hdr(&h[1], "webhook-timestamp", "1700000001");
    CHECK_EQ(bh_verify(&k, 1, h, 3, BODY, sizeof BODY - 1, TS, 0), BH_ESIG);
}

static void stripe_headers(void)
{
    signed_msg m;
    bh_key k;
    char v[300];
    const char *sig;
    make_key(&k, BH_SCHEME_STRIPE);
    sign_msg(&m, &k, BODY, sizeof BODY - 1);
    sig = strstr(sig_of(&m)->value, "v1=") + 3;
    /* a space after the comma: " v1" is not "v1", as Stripe's library reads it */
    snprintf(v, sizeof v, "t=%d, v1=%s", TS, sig);
    CHECK_EQ(verify_value(&k, &m, v, TS, 0), BH_EMALFORMED);
    snprintf(v, sizeof v, "v1=%s", sig);
    CHECK_EQ(verify_value(&k, &m, v, TS, 0), BH_EMALFORMED);
    snprintf(v, sizeof v, "t=%d,t=%d,v1=%s", TS, TS, sig);
    CHECK_EQ(verify_value(&k, &m, v, TS, 0), BH_EMALFORMED);
    snprintf(v, sizeof v, "t=%d,v0=%s", TS, sig);
    CHECK_EQ(verify_value(&k, &m, v, TS, 0), BH_EMALFORMED);
    snprintf(v, sizeof v, "t=0%d,v1=%s", TS, sig);
    CHECK_EQ(verify_value(&k, &m, v, TS, 0), BH_EMALFORMED);
    snprintf(v, sizeof v, "t=%d,v1=%.63s", TS, sig);
    CHECK_EQ(verify_value(&k, &m, v, TS, 0), BH_EMALFORMED);
    snprintf(v, sizeof v, "t=%d,v1=%sz", TS, sig);
    CHECK_EQ(verify_value(&k, &m, v, TS, 0), BH_EMALFORMED);
    snprintf(v, sizeof v, "t,v1=%s", sig);
    CHECK_EQ(verify_value(&k, &m, v, TS, 0), BH_EMALFORMED);
    snprintf(v, sizeof v, "t=%d,,x=y,v1=%s,", TS, sig);
    CHECK_EQ(verify_value(&k, &m, v, TS, 0), BH_OK);
    snprintf(v, sizeof v, "t=%d,v1=%s", TS + 1, sig);
    CHECK_EQ(verify_value(&k, &m, v, TS, 0), BH_ESIG);
}

static void github_headers(void)
{
    signed_msg m;
    bh_key k;
    char v[300];
    bh_header legacy;
    make_key(&k, BH_SCHEME_GITHUB);
    sign_msg(&m, &k, BODY, sizeof BODY - 1);
    CHECK_EQ(verify_value(&k, &m, m.h[0].value + 7, TS, 0), BH_EMALFORMED);
    snprintf(v, sizeof v, "SHA256=%s", m.h[0].value + 7);
    CHECK_EQ(verify_value(&k, &m, v, TS, 0), BH_EMALFORMED);
    snprintf(v, sizeof v, "sha1=%s", m.h[0].value + 7);
    CHECK_EQ(verify_value(&k, &m, v, TS, 0), BH_EMALFORMED);
    snprintf(v, sizeof v, "sha256=%.62s", m.h[0].value + 7);
    CHECK_EQ(verify_value(&k, &m, v, TS, 0), BH_EMALFORMED);
    snprintf(v, sizeof v, "sha256= %s", m.h[0].value + 7);
    CHECK_EQ(verify_value(&k, &m, v, TS, 0), BH_EMALFORMED);
    hdr(&legacy, "X-Hub-Signature", "sha1=01dc10d0c83e72ed246219cdd91669667fe2ca59");
    CHECK_EQ(bh_verify(&k, 1, &legacy, 1, BODY, sizeof BODY - 1, TS, 0), BH_ENOSIG);
}

static void blue_headers(void)
{
    signed_msg m;
    bh_key k;
    char v[300];
    make_key(&k, BH_SCHEME_BLUE);
    sign_msg(&m, &k, BODY, sizeof BODY - 1);
    CHECK_EQ(m.n, 1);
    CHECK_STR(m.h[0].name, "X-Signature");
    snprintf(v, sizeof v, "sha256=%s", m.h[0].value);
    CHECK_EQ(verify_value(&k, &m, v, TS, 0), BH_EMALFORMED);
    snprintf(v, sizeof v, "%.63s", m.h[0].value);
    CHECK_EQ(verify_value(&k, &m, v, TS, 0), BH_EMALFORMED);
    snprintf(v, sizeof v, "%.63sg", m.h[0].value);
    CHECK_EQ(verify_value(&k, &m, v, TS, 0), BH_EMALFORMED);
    /* Blue's real delivery, signed as Blue signs it */
    {
        FILE *f = fopen("../shared/blue/todo_created.min.json", "rb");
        static uint8_t b[4096];
        uint8_t mac[32];
        size_t n = f ? fread(b, 1, sizeof b, f) : 0;
        if (f) fclose(f);
        CHECK_EQ(n, 2334);
        sign_msg(&m, &k, b, n);
        bh_hmac_sha256("blue-secret", 11, b, n, mac);
        CHECK_EQ(bh_hex_decode(b + 3000, 32, m.h[0].value, 64), 32);
        CHECK_MEM(b + 3000, mac, 32);
        CHECK_EQ(bh_verify(&k, 1, m.h, 1, b, n, 0, 0), BH_OK);
    }
}

static void empty_body(void)
{
    size_t si;
    for (si = 0; si < 4; si++) {
        signed_msg m;
        bh_key k;
        uint8_t mac[32], want[32];
        make_key(&k, ALL[si]);
        sign_msg(&m, &k, NULL, 0);
        CHECK_EQ(bh_verify(&k, 1, m.h, m.n, NULL, 0, TS, 0), BH_OK);
        CHECK_EQ(bh_verify(&k, 1, m.h, m.n, "", 0, TS, 0), BH_OK);
        CHECK_EQ(bh_verify(&k, 1, m.h, m.n, "x", 1, TS, 0), BH_ESIG);
        if (ALL[si] == BH_SCHEME_BLUE) {
            bh_hmac_sha256("blue-secret", 11, "", 0, want);
            bh_hex_decode(mac, 32, m.h[0].value, 64);
            CHECK_MEM(mac, want, 32);
        }
    }
}

/* Secrets of 0, 1, 64, 65 and 300 bytes (and every length to 200 for
   Standard, which covers each padding of the decoded key), against HMAC
   with the raw key. */
static void secret_lengths(void)
{
    static const size_t lens[] = {0, 1, 63, 64, 65, 66, 67, 300};
    uint8_t raw[510], mac[32], want[32];
    char secret[720], content[64];
    size_t i, si, n;
    bh_key k;
    t_fill(raw, sizeof raw);
    for (si = 0; si < 4; si++)
        for (i = 0; i < sizeof lens / sizeof lens[0]; i++) {
            signed_msg m;
            size_t len = lens[i];
            if (ALL[si] == BH_SCHEME_STANDARD) continue;
            memcpy(secret, raw, len);
            CHECK_EQ(bh_key_init(&k, ALL[si], secret, len), len ? BH_OK : BH_EINVAL);
            if (!len) {
                CHECK_EQ(bh_key_init(&k, ALL[si], NULL, 0), BH_EINVAL);
                CHECK_EQ(bh_sign(&k, "id", TS, "", 0, m.h, 3, m.buf, sizeof m.buf), BH_ENOKEY);
                continue;
            }
            sign_msg(&m, &k, BODY, sizeof BODY - 1);
            CHECK_EQ(bh_hex_decode(mac, 32, sig_of(&m)->value + sig_of(&m)->value_len - 64, 64), 32);
            n = 0;
            if (ALL[si] == BH_SCHEME_STRIPE) n = (size_t)snprintf(content, sizeof content, "%d.", TS);
            {
                bh_hmac_ctx c;
                bh_hmac_key hk;
                bh_hmac_key_init(&hk, raw, len);
                bh_hmac_init(&c, &hk);
                bh_hmac_update(&c, content, n);
                bh_hmac_update(&c, BODY, sizeof BODY - 1);
                bh_hmac_final(&c, want);
            }
            CHECK_MEM(mac, want, 32);
            CHECK_EQ(bh_verify(&k, 1, m.h, m.n, BODY, sizeof BODY - 1, TS, 0), BH_OK);
        }
    /* Standard: the decoded key's length; with and without the prefix */
    for (n = 0; n <= 510; n = n < 200 || n >= 500 ? n + 1 : n + 100) {
        int prefixed;
        for (prefixed = 0; prefixed < 2; prefixed++) {
            signed_msg m;
            char b64[690];
            int len = bh_base64_encode(b64, sizeof b64, raw, n);
            char msg[128];
            size_t ml;
            CHECK(len >= 0);
            snprintf(secret, sizeof secret, "%s%s", prefixed ? "whsec_" : "", b64);
            CHECK_EQ(key(&k, BH_SCHEME_STANDARD, secret), n ? BH_OK : BH_EINVAL);
            if (!n) continue;
            sign_msg(&m, &k, BODY, sizeof BODY - 1);
            CHECK_EQ(bh_base64_decode(mac, 32, m.h[2].value + 3, 44), 32);
            ml = (size_t)snprintf(msg, sizeof msg, "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W.%d.", TS);
            {
                bh_hmac_ctx c;
                bh_hmac_key hk;
                bh_hmac_key_init(&hk, raw, n);
                bh_hmac_init(&c, &hk);
                bh_hmac_update(&c, msg, ml);
                bh_hmac_update(&c, BODY, sizeof BODY - 1);
                bh_hmac_final(&c, want);
            }
            CHECK_MEM(mac, want, 32);
        }
    }
    /* over BH_STANDARD_KEY_MAX decoded bytes */
    {
        char b64[800];
        bh_base64_encode(b64, sizeof b64, raw, 3);
        memset(secret, 'A', 684);
        CHECK_EQ(bh_key_init(&k, BH_SCHEME_STANDARD, secret, 680), BH_OK);
        CHECK_EQ(bh_key_init(&k, BH_SCHEME_STANDARD, secret, 684), BH_EINVAL);
        CHECK_EQ(BH_STANDARD_KEY_MAX, 510);
    }
    /* the raw Standard format */
    CHECK_EQ(bh_key_init_raw(&k, BH_SCHEME_STANDARD, "not base64!", 11), BH_OK);
    CHECK_EQ(bh_key_init_raw(&k, BH_SCHEME_STANDARD, "", 0), BH_EINVAL);
    CHECK_EQ(bh_key_init(&k, (bh_scheme)7, "x", 1), BH_EINVAL);
    CHECK_EQ(bh_key_init(NULL, BH_SCHEME_BLUE, "x", 1), BH_EINVAL);
}

static void rotation_and_precedence(void)
{
    bh_key keys[4], blue, std, stripe;
    signed_msg m;
    bh_verified out;
    size_t i;
    make_key(&blue, BH_SCHEME_BLUE);
    make_key(&std, BH_SCHEME_STANDARD);
    make_key(&stripe, BH_SCHEME_STRIPE);
    CHECK_EQ(key(&keys[0], BH_SCHEME_BLUE, "old-secret"), BH_OK);
    keys[1] = blue;
    sign_msg(&m, &blue, BODY, sizeof BODY - 1);
    memset(&out, 0xee, sizeof out);
    CHECK_EQ(bh_verify_ex(keys, 2, m.h, m.n, BODY, sizeof BODY - 1, TS, 0, &out), BH_OK);
    CHECK_EQ(out.key, 1);
    CHECK_EQ(out.scheme, BH_SCHEME_BLUE);
    CHECK_EQ(out.timestamp, -1);
    {
        uint8_t want[32];
        bh_hmac_sha256("blue-secret", 11, BODY, sizeof BODY - 1, want);
        CHECK_MEM(out.mac, want, 32);
    }
    CHECK_EQ(bh_verify(keys, 1, m.h, m.n, BODY, sizeof BODY - 1, TS, 0), BH_ESIG);
    /* no key */
    CHECK_EQ(bh_verify(NULL, 0, m.h, m.n, BODY, sizeof BODY - 1, TS, 0), BH_ENOKEY);
    CHECK_EQ(bh_verify(keys, 0, m.h, m.n, BODY, sizeof BODY - 1, TS, 0), BH_ENOKEY);
    memset(&keys[2], 0, sizeof keys[2]);
    CHECK_EQ(bh_verify(&keys[2], 1, m.h, m.n, BODY, sizeof BODY - 1, TS, 0), BH_ENOKEY);
    {   /* a zeroed key never verifies, even a MAC made with zero pads */
        bh_key z;
        memset(&z, 0, sizeof z);
        CHECK_EQ(bh_sign(&z, NULL, 0, BODY, 3, m.h, 1, m.buf, sizeof m.buf), BH_ENOKEY);
    }
    /* Standard + Stripe keys, a Standard message signed by another key:
       Stripe says ENOSIG, Standard says ESIG; ESIG wins */
    {
        bh_key other;
        key(&other, BH_SCHEME_STANDARD, "whsec_AAAAAAAA");
        sign_msg(&m, &other, BODY, sizeof BODY - 1);
        keys[0] = stripe;
        keys[1] = std;
        CHECK_EQ(bh_verify(keys, 2, m.h, m.n, BODY, sizeof BODY - 1, TS, 0), BH_ESIG);
        /* ... stale and authentic: ESTALE wins over the other key's ESIG */
        keys[2] = other;
        CHECK_EQ(bh_verify(keys, 3, m.h, m.n, BODY, sizeof BODY - 1, TS + 1000, 0), BH_ESTALE);
        CHECK_EQ(bh_verify_ex(keys, 3, m.h, m.n, BODY, sizeof BODY - 1, TS, 0, &out), BH_OK);
        CHECK_EQ(out.key, 2);
        CHECK_EQ(out.timestamp, TS);
        /* malformed Standard header: EMALFORMED beats ENOSIG */
        hdr(&m.h[2], "webhook-signature", "v1,xx");
        CHECK_EQ(bh_verify(keys, 2, m.h, m.n, BODY, sizeof BODY - 1, TS, 0), BH_EMALFORMED);
        /* no header for either */
        CHECK_EQ(bh_verify(keys, 2, m.h, 0, BODY, sizeof BODY - 1, TS, 0), BH_ENOSIG);
    }
    /* every scheme in one key list: each message passes with its own key */
    keys[0] = blue;
    keys[1] = std;
    make_key(&keys[2], BH_SCHEME_GITHUB);
    keys[3] = stripe;
    for (i = 0; i < 4; i++) {
        sign_msg(&m, &keys[i], BODY, sizeof BODY - 1);
        CHECK_EQ(bh_verify_ex(keys, 4, m.h, m.n, BODY, sizeof BODY - 1, TS, 0, &out), BH_OK);
        CHECK_EQ(out.key, i);
    }
}

static void sign_arguments(void)
{
    bh_key k;
    bh_header h[3];
    char buf[BH_SIGN_BUF(30)];
    size_t si;
    make_key(&k, BH_SCHEME_STANDARD);
    CHECK_EQ(bh_sign(&k, NULL, TS, "", 0, h, 3, buf, sizeof buf), BH_EINVAL);
    CHECK_EQ(bh_sign(&k, "", TS, "", 0, h, 3, buf, sizeof buf), BH_EINVAL);
    CHECK_EQ(bh_sign(&k, "a b", TS, "", 0, h, 3, buf, sizeof buf), BH_EINVAL);
    CHECK_EQ(bh_sign(&k, "a\r\nX: y", TS, "", 0, h, 3, buf, sizeof buf), BH_EINVAL);
    CHECK_EQ(bh_sign(&k, "id", -1, "", 0, h, 3, buf, sizeof buf), BH_EINVAL);
    CHECK_EQ(bh_sign(&k, "id", TS, NULL, 1, h, 3, buf, sizeof buf), BH_EINVAL);
    CHECK_EQ(bh_sign(&k, "id", TS, "", 0, h, 2, buf, sizeof buf), BH_ESPACE);
    /* exactly the space needed: id + NUL, ts + NUL, 47 + NUL */
    CHECK_EQ(bh_sign(&k, "id", TS, "", 0, h, 3, buf, 3 + 11 + 48), 3);
    CHECK_EQ(bh_sign(&k, "id", TS, "", 0, h, 3, buf, 3 + 11 + 47), BH_ESPACE);
    CHECK_EQ(bh_sign(&k, "id", 0, "", 0, h, 3, buf, sizeof buf), 3);
    CHECK_STR(h[1].value, "0");
    CHECK_EQ(bh_sign(&k, "id", INT64_MAX, "", 0, h, 3, buf, sizeof buf), 3);
    CHECK_STR(h[1].value, "9223372036854775807");
    for (si = 0; si < 4; si++) {
        char id[31];
        memset(id, 'x', 30);
        id[30] = '\0';
        make_key(&k, ALL[si]);
        CHECK(bh_sign(&k, id, INT64_MAX, "", 0, h, 3, buf, sizeof buf) > 0);
        CHECK_EQ(bh_sign(&k, id, TS, "", 0, h, 0, buf, sizeof buf), BH_ESPACE);
        CHECK_EQ(bh_sign(&k, id, TS, "", 0, h, 3, buf, 10), BH_ESPACE);
        CHECK_EQ(bh_sign(&k, id, TS, "", 0, h, 3, NULL, 0), BH_ESPACE);
    }
    /* Blue and GitHub ignore id and timestamp */
    make_key(&k, BH_SCHEME_BLUE);
    CHECK_EQ(bh_sign(&k, NULL, -5, "", 0, h, 1, buf, 65), 1);
    CHECK_EQ(bh_sign(&k, NULL, -5, "", 0, h, 1, buf, 64), BH_ESPACE);
}

/* ---- replay cache ---- */

static int locks, unlocks;
static void count_lock(void *arg) { (void)arg; locks++; }
static void count_unlock(void *arg) { (void)arg; unlocks++; }

static void own_id(bh_replay_id *id, const char *s)
{
    CHECK_EQ(bh_replay_id_init(id, NULL, NULL, 0, s, strlen(s), 0), BH_OK);
}

static void replay_two_phases(void)
{
    bh_replay_slot slots[4];
    bh_replay r;
    bh_replay_id a, b;
    CHECK_EQ(bh_replay_init(&r, slots, 4), BH_OK);
    own_id(&a, "evt_1");
    own_id(&b, "evt_2");
    CHECK_EQ(a.window_s, 86400);
    CHECK_EQ(bh_replay_reserve(&r, &a, 1000), BH_OK);
    CHECK_EQ(bh_replay_reserve(&r, &a, 1000), BH_EINFLIGHT);
    CHECK_EQ(bh_replay_reserve(&r, &b, 1000), BH_OK);
    CHECK_EQ(bh_replay_commit(&r, &a), BH_OK);
    CHECK_EQ(bh_replay_commit(&r, &a), BH_ENOTRESERVED);
    CHECK_EQ(bh_replay_reserve(&r, &a, 2000), BH_EREPLAY);
    /* the handler of b failed: the retry is handled */
    CHECK_EQ(bh_replay_release(&r, &b), BH_OK);
    CHECK_EQ(bh_replay_release(&r, &b), BH_ENOTRESERVED);
    CHECK_EQ(bh_replay_reserve(&r, &b, 2000), BH_OK);
    CHECK_EQ(bh_replay_commit(&r, &b), BH_OK);
    CHECK_EQ(bh_replay_reserve(&r, &b, 2001), BH_EREPLAY);
    /* a committed id is not released */
    CHECK_EQ(bh_replay_release(&r, &a), BH_ENOTRESERVED);
    /* expiry: remembered until reserve time + window */
    CHECK_EQ(bh_replay_reserve(&r, &a, 1000 + 86399), BH_EREPLAY);
    CHECK_EQ(bh_replay_reserve(&r, &a, 1000 + 86400), BH_OK);
    /* an id in flight expires too (a handler that never finished) */
    CHECK_EQ(bh_replay_reserve(&r, &a, 1000 + 86400 + 86399), BH_EINFLIGHT);
    CHECK_EQ(bh_replay_reserve(&r, &a, 1000 + 86400 + 86400), BH_OK);
    CHECK_EQ(bh_replay_init(&r, NULL, 4), BH_EINVAL);
    CHECK_EQ(bh_replay_init(&r, slots, 0), BH_EINVAL);
    CHECK_EQ(bh_replay_reserve(&r, &a, 0), BH_EINVAL);
    CHECK_EQ(bh_replay_reserve(NULL, &a, 0), BH_EINVAL);
}

static void replay_eviction(void)
{
    bh_replay_slot slots[3];
    bh_replay r;
    bh_replay_id id[6];
    char s[16];
    int i;
    bh_replay_init(&r, slots, 3);
    for (i = 0; i < 6; i++) {
        snprintf(s, sizeof s, "id%d", i);
        own_id(&id[i], s);
    }
    for (i = 0; i < 3; i++) {
        CHECK_EQ(bh_replay_reserve(&r, &id[i], 10 + i), BH_OK);
        CHECK_EQ(bh_replay_commit(&r, &id[i]), BH_OK);
    }
    /* full: the oldest (id0) goes */
    CHECK_EQ(bh_replay_reserve(&r, &id[3], 20), BH_OK);
    CHECK_EQ(bh_replay_reserve(&r, &id[1], 21), BH_EREPLAY);
    CHECK_EQ(bh_replay_reserve(&r, &id[2], 21), BH_EREPLAY);
    CHECK_EQ(bh_replay_reserve(&r, &id[0], 21), BH_OK); /* forgotten: id1 goes */
    CHECK_EQ(bh_replay_reserve(&r, &id[2], 22), BH_EREPLAY);
    CHECK_EQ(bh_replay_reserve(&r, &id[1], 22), BH_OK); /* id2 goes */
    /* now every slot is in flight (id3, id0, id1): nothing to evict */
    CHECK_EQ(bh_replay_reserve(&r, &id[4], 23), BH_EREPLAYFULL);
    CHECK_EQ(bh_replay_commit(&r, &id[0]), BH_OK);
    CHECK_EQ(bh_replay_reserve(&r, &id[4], 23), BH_OK); /* id0 went */
    CHECK_EQ(bh_replay_reserve(&r, &id[3], 23), BH_EINFLIGHT);
    CHECK_EQ(bh_replay_reserve(&r, &id[1], 23), BH_EINFLIGHT);
    CHECK_EQ(bh_replay_reserve(&r, &id[0], 23), BH_EREPLAYFULL);
}

static void replay_ids_per_scheme(void)
{
    bh_key k;
    signed_msg m;
    bh_verified v;
    bh_replay_id a, b;
    bh_header h[5];
    char upper[80];
    size_t i;
    /* Standard: webhook-id; window 2 x tolerance */
    make_key(&k, BH_SCHEME_STANDARD);
    sign_msg(&m, &k, BODY, sizeof BODY - 1);
    CHECK_EQ(bh_verify_ex(&k, 1, m.h, m.n, BODY, sizeof BODY - 1, TS, 0, &v), BH_OK);
    CHECK_EQ(bh_replay_id_init(&a, &v, m.h, m.n, NULL, 0, 0), BH_OK);
    CHECK_EQ(a.window_s, 600);
    CHECK_EQ(bh_replay_id_init(&a, &v, m.h, m.n, NULL, 0, 60), BH_OK);
    CHECK_EQ(a.window_s, 120);
    memcpy(h, m.h, sizeof h);
    h[0].name = "svix-id"; h[0].name_len = 7;
    CHECK_EQ(bh_replay_id_init(&b, &v, h, 3, NULL, 0, 60), BH_OK);
    CHECK_MEM(a.digest, b.digest, 16);
    CHECK_EQ(bh_replay_id_init(&b, &v, m.h + 1, 2, NULL, 0, 60), BH_EINVAL);
    /* the same id signed again at another time is the same delivery */
    {
        signed_msg m2;
        int n = bh_sign(&k, "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W", TS + 5, BODY, 3, m2.h, 3, m2.buf, sizeof m2.buf);
        CHECK_EQ(n, 3);
        CHECK_EQ(bh_verify_ex(&k, 1, m2.h, 3, BODY, 3, TS, 0, &v), BH_OK);
        CHECK_EQ(bh_replay_id_init(&b, &v, m2.h, 3, NULL, 0, 60), BH_OK);
        CHECK_MEM(a.digest, b.digest, 16);
    }
    /* Blue: the MAC; the same MAC in uppercase hex is the same id */
    make_key(&k, BH_SCHEME_BLUE);
    sign_msg(&m, &k, BODY, sizeof BODY - 1);
    CHECK_EQ(bh_verify_ex(&k, 1, m.h, 1, BODY, sizeof BODY - 1, 0, 0, &v), BH_OK);
    CHECK_EQ(bh_replay_id_init(&a, &v, m.h, 1, NULL, 0, 0), BH_OK);
    CHECK_EQ(a.window_s, 86400);
    for (i = 0; i <= 64; i++) upper[i] = (char)toupper((unsigned char)m.h[0].value[i]);
    hdr(&h[0], "x-signature", upper);
    CHECK_EQ(bh_verify_ex(&k, 1, h, 1, BODY, sizeof BODY - 1, 0, 0, &v), BH_OK);
    CHECK_EQ(bh_replay_id_init(&b, &v, h, 1, NULL, 0, 0), BH_OK);
    CHECK_MEM(a.digest, b.digest, 16);
    /* another body, another id */
    sign_msg(&m, &k, BODY, 5);
    CHECK_EQ(bh_verify_ex(&k, 1, m.h, 1, BODY, 5, 0, 0, &v), BH_OK);
    CHECK_EQ(bh_replay_id_init(&b, &v, m.h, 1, NULL, 0, 0), BH_OK);
    CHECK(memcmp(a.digest, b.digest, 16) != 0);
    /* GitHub: X-GitHub-Delivery when present, else the MAC */
    make_key(&k, BH_SCHEME_GITHUB);
    sign_msg(&m, &k, BODY, sizeof BODY - 1);
    CHECK_EQ(bh_verify_ex(&k, 1, m.h, 1, BODY, sizeof BODY - 1, 0, 0, &v), BH_OK);
    CHECK_EQ(bh_replay_id_init(&a, &v, m.h, 1, NULL, 0, 0), BH_OK);
    CHECK_EQ(a.window_s, 86400);
    h[0] = m.h[0];
    hdr(&h[1], "X-GitHub-Delivery", "72d3162e-cc78-11e3-81ab-4c9367dc0958");
    CHECK_EQ(bh_replay_id_init(&b, &v, h, 2, NULL, 0, 0), BH_OK);
    CHECK(memcmp(a.digest, b.digest, 16) != 0);
    hdr(&h[0], "X-GitHub-Delivery", "72d3162e-cc78-11e3-81ab-4c9367dc0958");
    CHECK_EQ(bh_replay_id_init(&a, &v, h, 1, NULL, 0, 0), BH_OK);
    CHECK_MEM(a.digest, b.digest, 16);
    /* Stripe: the caller's event id; without it, the MAC */
    make_key(&k, BH_SCHEME_STRIPE);
    sign_msg(&m, &k, BODY, sizeof BODY - 1);
    CHECK_EQ(bh_verify_ex(&k, 1, m.h, 1, BODY, sizeof BODY - 1, TS, 0, &v), BH_OK);
    CHECK_EQ(bh_replay_id_init(&a, &v, m.h, 1, "evt_1", 5, 0), BH_OK);
    CHECK_EQ(a.window_s, 600);
    own_id(&b, "evt_1");
    CHECK_MEM(a.digest, b.digest, 16);
    CHECK_EQ(bh_replay_id_init(&b, &v, m.h, 1, NULL, 0, 0), BH_OK);
    CHECK(memcmp(a.digest, b.digest, 16) != 0);
    /* arguments */
    CHECK_EQ(bh_replay_id_init(&a, NULL, NULL, 0, NULL, 0, 0), BH_EINVAL);
    CHECK_EQ(bh_replay_id_init(&a, NULL, NULL, 0, NULL, 3, 0), BH_EINVAL);
    CHECK_EQ(bh_replay_id_init(NULL, &v, NULL, 0, NULL, 0, 0), BH_EINVAL);
    CHECK_EQ(bh_replay_id_init(&a, &v, NULL, 0, NULL, 0, 0xffffffffu), BH_OK);
    CHECK_EQ(a.window_s, 0xffffffffu);
}

static void replay_lock_hooks(void)
{
    bh_replay_slot slots[2];
    bh_replay r;
    bh_replay_id a;
    bh_replay_init(&r, slots, 2);
    bh_replay_set_lock(&r, count_lock, count_unlock, NULL);
    own_id(&a, "x");
    bh_replay_reserve(&r, &a, 0);
    bh_replay_reserve(&r, &a, 0);
    bh_replay_commit(&r, &a);
    bh_replay_release(&r, &a);
    CHECK_EQ(locks, 4);
    CHECK_EQ(unlocks, 4);
    /* a window that reaches past the end of time */
    a.window_s = 0xffffffffu;
    bh_replay_init(&r, slots, 2);
    CHECK_EQ(bh_replay_reserve(&r, &a, INT64_MAX - 5), BH_OK);
    CHECK_EQ(bh_replay_commit(&r, &a), BH_OK);
    CHECK_EQ(bh_replay_reserve(&r, &a, INT64_MAX - 1), BH_EREPLAY);
}

/* The receiver's flow: verify, reserve, handle, commit or release. */
static void replay_receiver_flow(void)
{
    bh_replay_slot slots[8];
    bh_replay r;
    bh_key k;
    signed_msg m;
    bh_verified v;
    bh_replay_id id;
    int attempt;
    bh_replay_init(&r, slots, 8);
    make_key(&k, BH_SCHEME_STANDARD);
    sign_msg(&m, &k, BODY, sizeof BODY - 1);
    for (attempt = 0; attempt < 3; attempt++) {
        CHECK_EQ(bh_verify_ex(&k, 1, m.h, m.n, BODY, sizeof BODY - 1, TS + attempt, 0, &v), BH_OK);
        CHECK_EQ(bh_replay_id_init(&id, &v, m.h, m.n, NULL, 0, 0), BH_OK);
        if (attempt == 0) {
            CHECK_EQ(bh_replay_reserve(&r, &id, TS), BH_OK);
            CHECK_EQ(bh_replay_release(&r, &id), BH_OK); /* handler failed */
        } else if (attempt == 1) {
            CHECK_EQ(bh_replay_reserve(&r, &id, TS + 1), BH_OK);
            CHECK_EQ(bh_replay_commit(&r, &id), BH_OK);
        } else {
            CHECK_EQ(bh_replay_reserve(&r, &id, TS + 2), BH_EREPLAY);
        }
    }
    /* still caught at the far edge of the tolerance window */
    CHECK_EQ(bh_replay_reserve(&r, &id, TS + 1 + 599), BH_EREPLAY);
}

int main(void)
{
    T_RUN(vectors_standard);
    T_RUN(vectors_github);
    T_RUN(vectors_stripe);
    T_RUN(official_known_answers);
    T_RUN(tolerance_edges);
    T_RUN(several_signatures_last_right);
    T_RUN(tampered_bodies);
    T_RUN(bad_base64);
    T_RUN(signature_base64_agrees);
    T_RUN(uppercase_hex);
    T_RUN(missing_and_malformed_headers);
    T_RUN(standard_headers);
    T_RUN(stripe_headers);
    T_RUN(github_headers);
    T_RUN(blue_headers);
    T_RUN(empty_body);
    T_RUN(secret_lengths);
    T_RUN(rotation_and_precedence);
    T_RUN(sign_arguments);
    T_RUN(replay_two_phases);
    T_RUN(replay_eviction);
    T_RUN(replay_ids_per_scheme);
    T_RUN(replay_lock_hooks);
    T_RUN(replay_receiver_flow);
    return t_done();
}
