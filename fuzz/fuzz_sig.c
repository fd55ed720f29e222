/* fuzz/fuzz_sig.c: the signature side: bh_key_init, the header parsers
   through bh_verify / bh_verify_ex for every scheme, the bh_sign ->
   bh_verify round trip, the replay cache, and SHA-256/HMAC streaming.

   The input is a head of lines, an empty line, then the body (raw bytes):
       %k<S><secret>    a key: bh_key_init(scheme S, secret)   (up to 4 keys)
       %r<S><secret>    a key: bh_key_init_raw
                        S: b blue, s standard, g github, t stripe; any other
                        byte is a scheme number (4 and 5 are not schemes)
       %i<id>           the message id bh_sign gets (default "msg_fuzz")
       %t<int>          the timestamp bh_sign gets (default 1614265330)
       %n<int>          "now" for bh_verify (default: the timestamp)
       %o<int>          tolerance_s (default 0, which means 300)
       %c<bytes>        replay cache operations
       %e<bytes>        edits applied to the headers bh_sign wrote
       %s<bytes>        split points for the streaming hash check
       Name:value       a request header, verbatim (up to 16)

   Properties checked (FUZZ_CHECK aborts when one fails):
   - key init: a Standard secret is accepted exactly when a reference
     base64 decoder (after an optional "whsec_") accepts it with 1..510
     bytes, and the key then equals bh_key_init_raw of those bytes; a
     refused key is all zeros; other schemes accept any non-empty secret.
   - verify with the request headers: the result is a documented code;
     bh_verify agrees with bh_verify_ex; the several-key answer is the
     first key that matches, else the furthest single-key answer (the
     documented precedence), whatever the key order; whenever a key
     matches, the MAC it reports is the reference HMAC of the scheme's
     signed content, and that MAC's text is in the signature header.
   - sign: the documented errors (bad id, negative timestamp, small
     buffers, nothing written past a capacity), values equal to the
     reference encoding of the reference MAC, NUL-terminated; what bh_sign
     wrote verifies, at the edges of the tolerance and not past them, not
     with a changed body, and after edits that keep it valid (name case,
     svix- names, spaces, hex case, extra or unknown signatures, a
     duplicate header after it) while edits that break it (a changed MAC
     digit, a removed header, a bad duplicate before it) fail.
   - the replay cache against a model of its documented behaviour, with
     lock hooks that must be balanced.
   - bh_header_find against a linear case-insensitive search; streaming
     SHA-256 and HMAC split anywhere equal the one-shot results. */
#define BLUEHOOK_IMPLEMENTATION
#include "../bluehook.h"
#include "fuzz.h"

#define MAX_KEYS 4
#define MAX_HDRS 16
#define MAX_OUT 12 /* the signed headers plus what the edits add */
#define DEFAULT_TS 1614265330

typedef struct key_in {
    bh_scheme scheme;
    int raw;
    const char *secret;
    size_t len;
    bh_key key;
    int ready;
    const uint8_t *bytes; /* the HMAC key: the secret, or its decoding */
    size_t nbytes;
} key_in;

typedef struct sig_in {
    key_in keys[MAX_KEYS];
    size_t nkeys;
    bh_header hdrs[MAX_HDRS];
    size_t nhdrs;
    const char *id;
    int64_t ts, now;
    uint32_t tol;
    const uint8_t *cache, *edits, *splits;
    size_t cache_len, edits_len, splits_len;
    const uint8_t *body;
    size_t body_len;
} sig_in;

static int known_scheme(bh_scheme s)
{
    return s == BH_SCHEME_BLUE || s == BH_SCHEME_STANDARD ||
           s == BH_SCHEME_GITHUB || s == BH_SCHEME_STRIPE;
}

static int has_ts(bh_scheme s)
{
    return s == BH_SCHEME_STANDARD || s == BH_SCHEME_STRIPE;
}

static uint32_t tol_eff(const sig_in *in)
{
    return in->tol ? in->tol : BH_TOLERANCE_DEFAULT;
}

static const char *sig_name(bh_scheme s)
{
    switch (s) {
    case BH_SCHEME_BLUE: return "X-Signature";
    case BH_SCHEME_STANDARD: return "webhook-signature";
    case BH_SCHEME_GITHUB: return "X-Hub-Signature-256";
    default: return "Stripe-Signature";
    }
}

static bh_scheme scheme_of(uint8_t c)
{
    switch (c) {
    case 'b': return BH_SCHEME_BLUE;
    case 's': return BH_SCHEME_STANDARD;
    case 'g': return BH_SCHEME_GITHUB;
    case 't': return BH_SCHEME_STRIPE;
    default: return (bh_scheme)(c % 6);
    }
}

static int valid_verify_code(int r)
{
    return r == BH_OK || r == BH_ENOKEY || r == BH_ENOSIG ||
           r == BH_EMALFORMED || r == BH_ESIG || r == BH_ESTALE;
}

static int rank(int r)
{
    switch (r) {
    case BH_ENOSIG: return 1;
    case BH_EMALFORMED: return 2;
    case BH_ESIG: return 3;
    case BH_ESTALE: return 4;
    default: return 0;
    }
}

/* |a - b| <= tol, without overflow. */
static int within(int64_t a, int64_t b, uint32_t tol)
{
    uint64_t d = a > b ? (uint64_t)a - (uint64_t)b : (uint64_t)b - (uint64_t)a;
    return d <= tol;
}

static size_t fmt_i64(char *out, int64_t v)
{
    char tmp[24];
    size_t n = 0, i;
    uint64_t u = (uint64_t)v;
    do {
        tmp[n++] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    for (i = 0; i < n; i++) out[i] = tmp[n - 1 - i];
    out[n] = '\0';
    return n;
}

/* ---- parsing the input ---- */

static void add_key(sig_in *in, const uint8_t *p, size_t n, int raw)
{
    key_in *k;
    if (in->nkeys == MAX_KEYS || n < 1) return;
    k = &in->keys[in->nkeys++];
    memset(k, 0, sizeof *k);
    k->scheme = scheme_of(p[0]);
    k->raw = raw;
    k->len = n - 1;
    k->secret = (const char *)fuzz_dup(p + 1, n - 1);
}

static void add_header(sig_in *in, const uint8_t *p, size_t n)
{
    const uint8_t *colon = (const uint8_t *)memchr(p, ':', n);
    bh_header *h;
    size_t nl;
    if (!colon || in->nhdrs == MAX_HDRS) return;
    nl = (size_t)(colon - p);
    h = &in->hdrs[in->nhdrs++];
    h->name = (const char *)fuzz_dup(p, nl);
    h->name_len = nl;
    h->value = (const char *)fuzz_dup(colon + 1, n - nl - 1);
    h->value_len = n - nl - 1;
}

static void parse(sig_in *in, const uint8_t *data, size_t size)
{
    fuzz_lines l;
    const uint8_t *line;
    size_t len;
    memset(in, 0, sizeof *in);
    in->ts = DEFAULT_TS;
    in->now = INT64_MIN; /* unset */
    fuzz_lines_init(&l, data, size);
    while (fuzz_next_line(&l, &line, &len)) {
        const uint8_t *a = line + 2;
        size_t an = len >= 2 ? len - 2 : 0;
        if (len < 2 || line[0] != '%') {
            add_header(in, line, len);
            continue;
        }
        switch (line[1]) {
        case 'k': add_key(in, a, an, 0); break;
        case 'r': add_key(in, a, an, 1); break;
        case 'i': in->id = fuzz_cstr(a, an); break;
        case 't': in->ts = fuzz_int(a, an); break;
        case 'n': in->now = fuzz_int(a, an); break;
        case 'o': in->tol = (uint32_t)fuzz_int(a, an); break;
        case 'c': in->cache = a, in->cache_len = an; break;
        case 'e': in->edits = a, in->edits_len = an; break;
        case 's': in->splits = a, in->splits_len = an; break;
        default: add_header(in, line, len); break;
        }
    }
    if (in->now == INT64_MIN) in->now = in->ts;
    in->body = fuzz_body(&l, &in->body_len);
    in->body = (const uint8_t *)fuzz_dup(in->body, in->body_len);
}

/* ---- keys ---- */

static int all_zero(const void *p, size_t n)
{
    const uint8_t *b = (const uint8_t *)p;
    size_t i;
    for (i = 0; i < n; i++)
        if (b[i]) return 0;
    return 1;
}

static void check_key(key_in *k)
{
    int r = k->raw ? bh_key_init_raw(&k->key, k->scheme, k->secret, k->len)
                   : bh_key_init(&k->key, k->scheme, k->secret, k->len);
    FUZZ_CHECK(r == BH_OK || r == BH_EINVAL);
    if (!known_scheme(k->scheme) || k->len == 0) {
        FUZZ_CHECK(r == BH_EINVAL);
    } else if (k->scheme == BH_SCHEME_STANDARD && !k->raw) {
        const char *s = k->secret;
        size_t n = k->len, dn = 0;
        uint8_t *dec;
        int v = FUZZ_B64_LENGTH, valid;
        if (n >= 6 && memcmp(s, "whsec_", 6) == 0) s += 6, n -= 6;
        dec = (uint8_t *)fuzz_alloc(n / 4 * 3 + 3);
        v = fuzz_ref_unb64(dec, &dn, s, n);
        valid = v == FUZZ_B64_OK && dn >= 1 && dn <= BH_STANDARD_KEY_MAX;
        FUZZ_CHECK((r == BH_OK) == valid);
        if (valid) {
            bh_key want;
            FUZZ_CHECK(bh_key_init_raw(&want, BH_SCHEME_STANDARD,
                                       (const char *)dec, dn) == BH_OK);
            FUZZ_CHECK(memcmp(&want, &k->key, sizeof want) == 0);
            k->bytes = dec;
            k->nbytes = dn;
        }
    } else {
        FUZZ_CHECK(r == BH_OK);
        k->bytes = (const uint8_t *)k->secret;
        k->nbytes = k->len;
    }
    if (r != BH_OK) FUZZ_CHECK(all_zero(&k->key, sizeof k->key));
    k->ready = r == BH_OK;
}

/* ---- reference MACs ---- */

/* HMAC(key bytes, [id "."] [ts "."] body), with the plain key API. */
static void ref_mac(const key_in *k, const char *id, size_t id_len,
                    const char *ts, size_t ts_len, const sig_in *in,
                    uint8_t mac[32])
{
    bh_hmac_key hk;
    bh_hmac_ctx c;
    bh_hmac_key_init(&hk, k->bytes, k->nbytes);
    bh_hmac_init(&c, &hk);
    if (id) {
        bh_hmac_update(&c, id, id_len);
        bh_hmac_update(&c, ".", 1);
    }
    if (ts) {
        bh_hmac_update(&c, ts, ts_len);
        bh_hmac_update(&c, ".", 1);
    }
    bh_hmac_update(&c, in->body, in->body_len);
    bh_hmac_final(&c, mac);
}

static void trim(const char **p, size_t *n)
{
    while (*n && ((*p)[0] == ' ' || (*p)[0] == '\t')) (*p)++, (*n)--;
    while (*n && ((*p)[*n - 1] == ' ' || (*p)[*n - 1] == '\t')) (*n)--;
}

/* 1 when some header named `name` holds the MAC's text. */
static int header_holds(const bh_header *hs, size_t n, const char *name,
                        bh_scheme s, const uint8_t mac[32])
{
    char text[72];
    size_t i, tn;
    if (s == BH_SCHEME_STANDARD)
        tn = fuzz_ref_b64(text, mac, 32);
    else
        fuzz_ref_hex(text, mac, 32), tn = 64;
    for (i = 0; i < n; i++)
        if (fuzz_ieq(hs[i].name, hs[i].name_len, name, strlen(name)) &&
            fuzz_contains(hs[i].value, hs[i].value_len, text, tn,
                          s != BH_SCHEME_STANDARD))
            return 1;
    return 0;
}

/* A key matched: its report must be the reference MAC, and the MAC's text
   must be in the signature header. */
static void check_match(const sig_in *in, const key_in *k, const bh_header *hs,
                        size_t nh, const bh_verified *v)
{
    uint8_t mac[32];
    char ts[24];
    size_t tsn, i;
    int found = 0;
    FUZZ_CHECK(v->scheme == k->scheme);
    if (!has_ts(k->scheme)) {
        FUZZ_CHECK(v->timestamp == -1);
        ref_mac(k, NULL, 0, NULL, 0, in, mac);
        found = memcmp(mac, v->mac, 32) == 0;
    } else {
        FUZZ_CHECK(v->timestamp >= 0 && within(v->timestamp, in->now, tol_eff(in)));
        tsn = fmt_i64(ts, v->timestamp);
        if (k->scheme == BH_SCHEME_STRIPE) {
            ref_mac(k, NULL, 0, ts, tsn, in, mac);
            found = memcmp(mac, v->mac, 32) == 0;
        }
        for (i = 0; i < nh && k->scheme == BH_SCHEME_STANDARD; i++) {
            const char *id = hs[i].value;
            size_t idn = hs[i].value_len;
            if (!fuzz_ieq(hs[i].name, hs[i].name_len, "webhook-id", 10) &&
                !fuzz_ieq(hs[i].name, hs[i].name_len, "svix-id", 7))
                continue;
            trim(&id, &idn);
            ref_mac(k, id, idn, ts, tsn, in, mac);
            found |= memcmp(mac, v->mac, 32) == 0;
        }
    }
    FUZZ_CHECK(found);
    FUZZ_CHECK(header_holds(hs, nh, sig_name(k->scheme), k->scheme, v->mac) ||
               (k->scheme == BH_SCHEME_STANDARD &&
                header_holds(hs, nh, "svix-signature", k->scheme, v->mac)));
}

/* ---- verify with the request's headers ---- */

static void check_verify(const sig_in *in)
{
    bh_key keys[MAX_KEYS], rev[MAX_KEYS];
    bh_verified v, vi, first;
    size_t i, first_ok = MAX_KEYS;
    int r, r2, want = BH_ENOKEY;
    for (i = 0; i < in->nkeys; i++) {
        keys[i] = in->keys[i].key;
        rev[in->nkeys - 1 - i] = in->keys[i].key;
    }
    memset(&first, 0, sizeof first);
    r = bh_verify_ex(keys, in->nkeys, in->hdrs, in->nhdrs, in->body,
                     in->body_len, in->now, in->tol, &v);
    FUZZ_CHECK(valid_verify_code(r));
    FUZZ_CHECK(r == bh_verify(keys, in->nkeys, in->hdrs, in->nhdrs, in->body,
                              in->body_len, in->now, in->tol));
    for (i = 0; i < in->nkeys; i++) {
        int ri = bh_verify_ex(&keys[i], 1, in->hdrs, in->nhdrs, in->body,
                              in->body_len, in->now, in->tol, &vi);
        FUZZ_CHECK(valid_verify_code(ri));
        if (!in->keys[i].ready) FUZZ_CHECK(ri == BH_ENOKEY);
        if (ri == BH_OK) {
            FUZZ_CHECK(vi.key == 0);
            check_match(in, &in->keys[i], in->hdrs, in->nhdrs, &vi);
            if (first_ok == MAX_KEYS) first_ok = i, first = vi;
        } else if (rank(ri) > rank(want)) {
            want = ri;
        }
    }
    if (first_ok < MAX_KEYS) {
        FUZZ_CHECK(r == BH_OK);
        FUZZ_CHECK(v.key == first_ok && v.scheme == first.scheme &&
                   v.timestamp == first.timestamp &&
                   memcmp(v.mac, first.mac, 32) == 0);
    } else {
        FUZZ_CHECK(r == want);
    }
    r2 = bh_verify(in->nkeys ? rev : NULL, in->nkeys, in->hdrs, in->nhdrs,
                   in->body, in->body_len, in->now, in->tol);
    FUZZ_CHECK(r2 == r);
    FUZZ_CHECK(bh_verify(NULL, in->nkeys, in->hdrs, in->nhdrs, in->body,
                         in->body_len, in->now, in->tol) == BH_ENOKEY);
}

/* ---- sign, then verify what was signed ---- */

typedef struct edited {
    bh_header h[MAX_OUT];
    size_t n;
    int breaks;      /* an edit that must make verification fail */
    int removed_sig; /* the only breaking edit removed the signature */
} edited;

static int id_valid(const char *id)
{
    size_t n = strlen(id), i;
    if (n == 0 || n >= BH_SIG_VALUE_MAX) return 0;
    for (i = 0; i < n; i++)
        if ((unsigned char)id[i] <= 0x20 || (unsigned char)id[i] >= 0x7f)
            return 0;
    return 1;
}

/* Replace header i's value by (p, n) in a block of its own. */
static void set_value(edited *e, size_t i, const char *p, size_t n)
{
    e->h[i].value = (const char *)fuzz_dup(p, n);
    e->h[i].value_len = n;
}

static size_t sig_index(bh_scheme s) { return s == BH_SCHEME_STANDARD ? 2 : 0; }

/* Change one digit of the MAC's text to another value. */
static void corrupt(edited *e, bh_scheme s, uint8_t arg)
{
    size_t si = sig_index(s), at;
    char v[128];
    const bh_header *h = &e->h[si];
    memcpy(v, h->value, h->value_len);
    if (s == BH_SCHEME_STANDARD) { /* "v1," + 43 characters + "=" */
        int d;
        at = 3 + arg % 43;
        d = fuzz_ref_b64val((unsigned char)v[at]);
        v[at] = fuzz_b64_alphabet[(d + 1 + arg % 63) % 64];
    } else {
        int d;
        at = h->value_len - 64 + arg % 64; /* the hex is at the end */
        d = fuzz_ref_hexval((unsigned char)v[at]);
        v[at] = "0123456789abcdef"[(d + 1 + arg % 15) % 16];
    }
    set_value(e, si, v, h->value_len);
    e->breaks = 1;
}

/* Apply the %e edits to a copy of the signed headers, in phases so that the
   expected outcome is exact: corrupt the MAC, rename, edit values, pad them
   (only at their ends), remove, then add duplicates. */
static void apply_edits(edited *e, const bh_header *out, size_t n, bh_scheme s,
                        const uint8_t *ops, size_t nops)
{
    size_t i, phase, nsigned = n;
    int corrupted = 0;
    memcpy(e->h, out, n * sizeof *out);
    e->n = n;
    e->breaks = 0;
    e->removed_sig = 0;
    if (nops > 16) nops = 16;
    for (phase = 0; phase < 6; phase++)
        for (i = 0; i + 1 < nops; i += 2) {
            uint8_t op = ops[i] % 8, arg = ops[i + 1];
            size_t si = sig_index(s);
            bh_header *sh = &e->h[si];
            char v[512];
            if (phase == 0 && op == 0 && !corrupted) {
                corrupt(e, s, arg); /* once: a second could undo it */
                corrupted = 1;
            } else if (phase == 1 && op == 1) { /* name case, svix- names */
                size_t k = arg % nsigned, j;
                char name[64];
                const char *nm = e->h[k].name;
                size_t nl = e->h[k].name_len;
                if (s == BH_SCHEME_STANDARD && (arg & 0x80) && nl > 8 &&
                    memcmp(nm, "webhook-", 8) == 0) {
                    memcpy(name, "svix-", 5);
                    memcpy(name + 5, nm + 8, nl - 8);
                    nl -= 3;
                } else {
                    memcpy(name, nm, nl);
                }
                for (j = 0; j < nl; j++)
                    if (((arg >> (j % 7)) & 1) && name[j] >= 'a' && name[j] <= 'z')
                        name[j] = (char)(name[j] - 'a' + 'A');
                e->h[k].name = (const char *)fuzz_dup(name, nl);
                e->h[k].name_len = nl;
            } else if (phase == 3 && op == 2) { /* spaces and tabs around */
                size_t k = arg % nsigned, a = arg >> 6 & 3, b = arg >> 4 & 3, j;
                const bh_header *h = &e->h[k];
                if (h->value_len + a + b > BH_SIG_VALUE_MAX || h->value_len + 6 > sizeof v)
                    continue;
                for (j = 0; j < a; j++) v[j] = (arg & 1) ? '\t' : ' ';
                memcpy(v + a, h->value, h->value_len);
                for (j = 0; j < b; j++) v[a + h->value_len + j] = (arg & 2) ? ' ' : '\t';
                set_value(e, k, v, a + h->value_len + b);
            } else if (phase == 2 && op == 3 && s != BH_SCHEME_STANDARD) {
                size_t j; /* hex in upper case */
                memcpy(v, sh->value, sh->value_len);
                for (j = 0; j < sh->value_len; j++)
                    if (v[j] >= 'a' && v[j] <= 'f' && j + 64 >= sh->value_len &&
                        ((arg >> (j % 8)) & 1))
                        v[j] = (char)(v[j] - 'a' + 'A');
                set_value(e, si, v, sh->value_len);
            } else if (phase == 2 && (op == 4 || op == 5) &&
                       (s == BH_SCHEME_STANDARD || s == BH_SCHEME_STRIPE) &&
                       sh->value_len + 80 < sizeof v) {
                /* another v1 signature (op 4) or an unknown version (op 5),
                   before or after the others */
                uint8_t other[32];
                char text[72], entry[80];
                size_t en, j;
                for (j = 0; j < 32; j++) other[j] = (uint8_t)(arg + 7 * j);
                if (s == BH_SCHEME_STANDARD) {
                    fuzz_ref_b64(text, other, 32);
                    en = (size_t)sprintf(entry, "%s,%s", op == 4 ? "v1" : "v2",
                                         op == 4 ? text : "not/base64!");
                } else {
                    fuzz_ref_hex(text, other, 32);
                    en = (size_t)sprintf(entry, "%s=%s", op == 4 ? "v1" : "v0",
                                         op == 4 ? text : "zz");
                }
                if (arg & 1) {
                    memcpy(v, entry, en);
                    v[en] = s == BH_SCHEME_STANDARD ? ' ' : ',';
                    memcpy(v + en + 1, sh->value, sh->value_len);
                } else {
                    memcpy(v, sh->value, sh->value_len);
                    v[sh->value_len] = s == BH_SCHEME_STANDARD ? ' ' : ',';
                    memcpy(v + sh->value_len + 1, entry, en);
                }
                set_value(e, si, v, sh->value_len + 1 + en);
            } else if (phase == 4 && op == 6 && e->n > 0) { /* remove one */
                size_t k = arg % e->n;
                if (!e->breaks) e->removed_sig = k == si;
                else e->removed_sig = 0;
                e->breaks = 1;
                memmove(&e->h[k], &e->h[k + 1], (e->n - k - 1) * sizeof e->h[0]);
                e->n--;
                nsigned = 0; /* the indexes no longer hold */
            } else if (phase == 5 && op == 7 && e->n > 0 && e->n < MAX_OUT) {
                /* a duplicate with a bad value: harmless after, fatal
                   before (the first header of a name is the one read) */
                size_t k = arg % e->n;
                bh_header d = e->h[k];
                d.value = "x y"; /* no valid id, timestamp or signature */
                d.value_len = 3;
                if (arg & 1) {
                    e->h[e->n++] = d;
                } else {
                    memmove(&e->h[1], &e->h[0], e->n * sizeof e->h[0]);
                    e->h[0] = d;
                    e->n++;
                    e->breaks = 1;
                    e->removed_sig = 0;
                }
            }
        }
}

static void check_sign(const sig_in *in, const key_in *k, const uint8_t *ops,
                       size_t nops)
{
    const char *id = in->id ? in->id : "msg_fuzz";
    size_t idn = strlen(id), need, i, cap = BH_SIGN_BUF(idn);
    bh_header out[3], o2[3];
    bh_verified v;
    bh_scheme s = k->scheme;
    char *buf = (char *)fuzz_alloc(cap), *small, tsbuf[24], text[72];
    uint8_t mac[32];
    uint32_t tol = tol_eff(in);
    int64_t ts = in->ts;
    int n, bad_args, nwant = s == BH_SCHEME_STANDARD ? 3 : 1;
    size_t tsn = fmt_i64(tsbuf, ts);
    edited e;
    if (!k->ready) {
        FUZZ_CHECK(bh_sign(&k->key, id, ts, in->body, in->body_len, out, 3,
                           buf, cap) == BH_ENOKEY);
        return;
    }
    n = bh_sign(&k->key, id, ts, in->body, in->body_len, out, 3, buf, cap);
    bad_args = (s == BH_SCHEME_STANDARD && !id_valid(id)) || (has_ts(s) && ts < 0);
    if (bad_args) {
        FUZZ_CHECK(n == BH_EINVAL);
        return;
    }
    FUZZ_CHECK(n == nwant);
    /* the values: NUL-terminated, in buf, equal to the reference */
    for (i = 0; i < (size_t)n; i++)
        FUZZ_CHECK(out[i].value >= buf && out[i].value + out[i].value_len < buf + cap &&
                   out[i].value[out[i].value_len] == '\0');
    need = (size_t)(out[n - 1].value - buf) + out[n - 1].value_len + 1;
    ref_mac(k, s == BH_SCHEME_STANDARD ? id : NULL, idn,
            has_ts(s) ? tsbuf : NULL, tsn, in, mac);
    fuzz_ref_hex(text, mac, 32);
    switch (s) {
    case BH_SCHEME_BLUE:
        FUZZ_CHECK(out[0].value_len == 64 && memcmp(out[0].value, text, 64) == 0);
        break;
    case BH_SCHEME_GITHUB:
        FUZZ_CHECK(out[0].value_len == 71 && memcmp(out[0].value, "sha256=", 7) == 0 &&
                   memcmp(out[0].value + 7, text, 64) == 0);
        break;
    case BH_SCHEME_STRIPE:
        FUZZ_CHECK(out[0].value_len == 2 + tsn + 4 + 64 &&
                   memcmp(out[0].value, "t=", 2) == 0 &&
                   memcmp(out[0].value + 2, tsbuf, tsn) == 0 &&
                   memcmp(out[0].value + 2 + tsn, ",v1=", 4) == 0 &&
                   memcmp(out[0].value + 6 + tsn, text, 64) == 0);
        break;
    default:
        fuzz_ref_b64(text, mac, 32);
        FUZZ_CHECK(out[0].value_len == idn && memcmp(out[0].value, id, idn) == 0);
        FUZZ_CHECK(out[1].value_len == tsn && memcmp(out[1].value, tsbuf, tsn) == 0);
        FUZZ_CHECK(out[2].value_len == 47 && memcmp(out[2].value, "v1,", 3) == 0 &&
                   memcmp(out[2].value + 3, text, 44) == 0);
        break;
    }
    for (i = 0; i < (size_t)n; i++)
        FUZZ_CHECK(out[i].name && strlen(out[i].name) == out[i].name_len);
    /* capacities: one byte or one header short is BH_ESPACE, and nothing is
       written past the capacity (the blocks are exactly that size) */
    small = (char *)fuzz_alloc(need - 1);
    FUZZ_CHECK(bh_sign(&k->key, id, ts, in->body, in->body_len, o2, 3, small,
                       need - 1) == BH_ESPACE);
    FUZZ_CHECK(bh_sign(&k->key, id, ts, in->body, in->body_len, o2,
                       (size_t)n - 1, buf, cap) == BH_ESPACE);
    small = (char *)fuzz_alloc(need);
    FUZZ_CHECK(bh_sign(&k->key, id, ts, in->body, in->body_len, o2, 3, small,
                       need) == n);
    /* it verifies, with the reference MAC reported */
    FUZZ_CHECK(bh_verify_ex(&k->key, 1, out, (size_t)n, in->body, in->body_len,
                            ts, in->tol, &v) == BH_OK);
    FUZZ_CHECK(memcmp(v.mac, mac, 32) == 0 && v.key == 0 && v.scheme == s);
    FUZZ_CHECK(v.timestamp == (has_ts(s) ? ts : -1));
    {
        int r = bh_verify(&k->key, 1, out, (size_t)n, in->body, in->body_len,
                          in->now, in->tol);
        FUZZ_CHECK(r == (!has_ts(s) || within(ts, in->now, tol) ? BH_OK : BH_ESTALE));
    }
    if (has_ts(s) && ts <= INT64_MAX - (int64_t)tol - 1) {
        FUZZ_CHECK(bh_verify(&k->key, 1, out, (size_t)n, in->body, in->body_len,
                             ts + (int64_t)tol, in->tol) == BH_OK);
        FUZZ_CHECK(bh_verify(&k->key, 1, out, (size_t)n, in->body, in->body_len,
                             ts + (int64_t)tol + 1, in->tol) == BH_ESTALE);
    }
    if (has_ts(s) && ts >= (int64_t)tol + 1)
        FUZZ_CHECK(bh_verify(&k->key, 1, out, (size_t)n, in->body, in->body_len,
                             ts - (int64_t)tol - 1, in->tol) == BH_ESTALE);
    /* a changed body does not verify */
    {
        uint8_t *b2 = (uint8_t *)fuzz_alloc(in->body_len + 1);
        size_t at = nops ? ops[0] % (in->body_len + 1) : 0;
        if (in->body_len) memcpy(b2, in->body, in->body_len);
        if (at < in->body_len) {
            b2[at] ^= (uint8_t)(1u << (nops > 1 ? ops[1] % 8 : 0));
            FUZZ_CHECK(bh_verify(&k->key, 1, out, (size_t)n, b2, in->body_len,
                                 ts, in->tol) == BH_ESIG);
        }
        b2[in->body_len] = nops > 2 ? ops[2] : 0;
        FUZZ_CHECK(bh_verify(&k->key, 1, out, (size_t)n, b2, in->body_len + 1,
                             ts, in->tol) == BH_ESIG);
    }
    /* edited headers: kept valid, or broken */
    apply_edits(&e, out, (size_t)n, s, ops, nops);
    {
        int r = bh_verify(&k->key, 1, e.h, e.n, in->body, in->body_len, ts,
                          in->tol);
        if (!e.breaks) FUZZ_CHECK(r == BH_OK);
        else FUZZ_CHECK(r != BH_OK && valid_verify_code(r));
        if (e.breaks && e.removed_sig) FUZZ_CHECK(r == BH_ENOSIG);
    }
    /* the replay id of what verified */
    {
        bh_replay_id rid;
        FUZZ_CHECK(bh_replay_id_init(&rid, &v, out, (size_t)n, NULL, 0, in->tol) == BH_OK);
        FUZZ_CHECK(rid.window_s == (has_ts(s) ? (tol > 0x7fffffffu ? 0xffffffffu : 2 * tol)
                                              : BH_REPLAY_WINDOW_NO_TIMESTAMP));
    }
}

/* ---- the replay cache against a model ---- */

typedef struct model_slot {
    int state; /* 0 absent, 1 reserved, 2 committed */
    int64_t expires;
    uint64_t order;
} model_slot;

static int lock_depth, lock_calls;
static void hook_lock(void *arg)
{
    FUZZ_CHECK(arg == &lock_depth && lock_depth == 0);
    lock_depth++;
    lock_calls++;
}
static void hook_unlock(void *arg)
{
    FUZZ_CHECK(arg == &lock_depth && lock_depth == 1);
    lock_depth--;
}

static int live(const model_slot *m, int64_t now)
{
    return m->state && now < m->expires;
}

static void check_cache(const sig_in *in)
{
    static const uint32_t windows[8] = {0, 1, 2, 10, 300, 86400,
                                        0x7fffffffu, 0xffffffffu};
    bh_replay_slot slots[8];
    bh_replay_id ids[8];
    model_slot m[8];
    bh_replay cache;
    const uint8_t *c = in->cache;
    size_t n = in->cache_len, i, nslots;
    uint64_t order = 0;
    int64_t now = in->now;
    if (n < 9) return;
    nslots = 1 + c[0] % 8;
    FUZZ_CHECK(bh_replay_init(&cache, slots, 0) == BH_EINVAL);
    FUZZ_CHECK(bh_replay_init(&cache, slots, nslots) == BH_OK);
    if (c[0] & 0x80) bh_replay_set_lock(&cache, hook_lock, hook_unlock, &lock_depth);
    for (i = 0; i < 8; i++) {
        char name[4] = {'i', 'd', (char)('0' + i), 0};
        FUZZ_CHECK(bh_replay_id_init(&ids[i], NULL, NULL, 0, name, 3, 0) == BH_OK);
        ids[i].window_s = windows[c[1 + i] % 8];
    }
    memset(m, 0, sizeof m);
    lock_depth = lock_calls = 0;
    for (i = 9; i + 1 < n; i += 2) {
        uint8_t op = c[i] % 4, arg = c[i + 1];
        size_t k = arg % 8, j;
        int r, calls = lock_calls;
        if (op == 3) { /* time moves on */
            uint64_t d = (arg & 0x80) ? (uint64_t)(arg & 0x7f) << 24 : arg;
            now = now > INT64_MAX - (int64_t)d ? INT64_MAX : now + (int64_t)d;
            continue;
        }
        if (op == 0) {
            r = bh_replay_reserve(&cache, &ids[k], now);
            if (live(&m[k], now)) {
                FUZZ_CHECK(r == (m[k].state == 1 ? BH_EINFLIGHT : BH_EREPLAY));
            } else {
                size_t count = 0, victim = 8;
                for (j = 0; j < 8; j++) {
                    if (!live(&m[j], now)) m[j].state = 0; /* swept */
                    if (!m[j].state) continue;
                    count++;
                    if (m[j].state == 2 && (victim == 8 || m[j].order < m[victim].order))
                        victim = j;
                }
                if (count < nslots || victim < 8) {
                    FUZZ_CHECK(r == BH_OK);
                    if (count >= nslots) m[victim].state = 0;
                    m[k].state = 1;
                    m[k].order = ++order;
                    m[k].expires = now > INT64_MAX - (int64_t)ids[k].window_s
                                       ? INT64_MAX
                                       : now + (int64_t)ids[k].window_s;
                } else {
                    FUZZ_CHECK(r == BH_EREPLAYFULL);
                }
            }
        } else {
            r = op == 1 ? bh_replay_commit(&cache, &ids[k])
                        : bh_replay_release(&cache, &ids[k]);
            if (m[k].state && !live(&m[k], now)) {
                /* expired but perhaps not swept yet: either answer */
                FUZZ_CHECK(r == BH_OK || r == BH_ENOTRESERVED);
                m[k].state = 0;
            } else if (m[k].state == 1) {
                FUZZ_CHECK(r == BH_OK);
                m[k].state = op == 1 ? 2 : 0;
            } else {
                FUZZ_CHECK(r == BH_ENOTRESERVED);
            }
        }
        FUZZ_CHECK(lock_depth == 0);
        FUZZ_CHECK(lock_calls == calls + ((c[0] & 0x80) ? 1 : 0));
    }
}

/* ---- header lookup, streaming hashes ---- */

static void check_find(const sig_in *in)
{
    size_t i, j;
    for (i = 0; i < in->nhdrs; i++) {
        const bh_header *h = &in->hdrs[i], *got;
        const char *name = fuzz_cstr(h->name, h->name_len);
        size_t want = in->nhdrs;
        if (strlen(name) != h->name_len) continue; /* an embedded NUL */
        for (j = 0; j < in->nhdrs && want == in->nhdrs; j++)
            if (fuzz_ieq(in->hdrs[j].name, in->hdrs[j].name_len, name, h->name_len))
                want = j;
        got = bh_header_find(in->hdrs, in->nhdrs, name);
        FUZZ_CHECK(got == &in->hdrs[want]);
    }
    FUZZ_CHECK(bh_header_find(NULL, 0, "x") == NULL);
}

static void check_streaming(const sig_in *in)
{
    bh_sha256_ctx c;
    uint8_t one[32], got[32], again[32];
    size_t at = 0, i = 0;
    bh_sha256(in->body, in->body_len, one);
    bh_sha256_init(&c);
    while (at < in->body_len) {
        size_t step = i < in->splits_len ? (size_t)in->splits[i++] * 3 + 1 : in->body_len;
        if (step > in->body_len - at) step = in->body_len - at;
        bh_sha256_update(&c, in->body + at, step);
        at += step;
    }
    bh_sha256_final(&c, got);
    bh_sha256_final(&c, again);
    FUZZ_CHECK(memcmp(one, got, 32) == 0 && memcmp(got, again, 32) == 0);
    for (i = 0; i < in->nkeys; i++) {
        bh_hmac_ctx h;
        const bh_key *k = &in->keys[i].key;
        size_t half = in->splits_len ? in->splits[0] % (in->body_len + 1) : in->body_len / 2;
        if (!in->keys[i].ready) continue;
        bh_hmac(&k->hmac, in->body, in->body_len, one);
        bh_hmac_init(&h, &k->hmac);
        bh_hmac_update(&h, in->body, half);
        bh_hmac_update(&h, in->body ? in->body + half : NULL, in->body_len - half);
        bh_hmac_final(&h, got);
        FUZZ_CHECK(memcmp(one, got, 32) == 0);
        bh_hmac_sha256(in->keys[i].bytes, in->keys[i].nbytes, in->body,
                       in->body_len, got);
        FUZZ_CHECK(memcmp(one, got, 32) == 0);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static sig_in in;
    size_t i;
    parse(&in, data, size);
    for (i = 0; i < in.nkeys; i++) check_key(&in.keys[i]);
    check_verify(&in);
    for (i = 0; i < in.nkeys; i++)
        check_sign(&in, &in.keys[i], in.edits, in.edits_len);
    check_cache(&in);
    check_find(&in);
    check_streaming(&in);
    fuzz_free_all();
    return 0;
}
