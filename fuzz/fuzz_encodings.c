/* fuzz/fuzz_encodings.c: hex and base64 (decode, encode, round trips,
   capacities), bh_url_parse, bh_ip_is_internal, event and entity names,
   event sets and Blue's subscription rule, bh_ct_equal, bh_strerror.

   The input is one control byte (which picks the output capacities, an
   event and a project) and then the data, which every target gets.

   Properties checked (FUZZ_CHECK aborts when one fails):
   - hex and base64 decoding accept exactly what reference decoders
     written from RFC 4648 accept (base64 strict: padded, canonical), give
     the same bytes, and encode back to the input (hex: lowercased); an
     error is one of the documented codes that applies to the input; a
     capacity one short is BH_ESPACE and nothing is written past it.
   - encoding equals the reference encoding and decodes back.
   - bh_url_parse agrees with a reference parser of the documented rule,
     field by field, and its views lie inside the input.
   - bh_ip_is_internal agrees with the documented ranges (a table of
     prefixes), and an IPv4 address embedded in IPv6 (mapped, compatible,
     NAT64, 6to4) gets the IPv4 answer.
   - bh_event_from_name and bh_entity_from_name agree with a linear search
     of the names; event sets and bh_webhook_subscribed follow the rule. */
#define BLUEHOOK_IMPLEMENTATION
#include "../bluehook.h"
#include "fuzz.h"

/* ---- hex ---- */

static size_t pick_cap(uint8_t ctl, size_t exact)
{
    switch (ctl % 4) {
    case 0: return exact;
    case 1: return exact ? exact - 1 : 0;
    case 2: return exact + 3;
    default: return 0;
    }
}

static void check_hex(const char *d, size_t n, uint8_t ctl)
{
    size_t cap = pick_cap(ctl, n / 2), i;
    uint8_t *out = (uint8_t *)fuzz_alloc(cap);
    int r = bh_hex_decode(out, cap, d, n), bad = 0;
    for (i = 0; i < n; i++) bad |= fuzz_ref_hexval((unsigned char)d[i]) < 0;
    if (n % 2 == 0 && !bad && cap >= n / 2) {
        char *back = (char *)fuzz_alloc(n + 1);
        FUZZ_CHECK(r == (int)(n / 2));
        for (i = 0; i < n / 2; i++)
            FUZZ_CHECK(out[i] == (uint8_t)(fuzz_ref_hexval((unsigned char)d[2 * i]) << 4 |
                                           fuzz_ref_hexval((unsigned char)d[2 * i + 1])));
        FUZZ_CHECK(bh_hex_encode(back, n + 1, out, n / 2) == (int)n);
        for (i = 0; i < n; i++) FUZZ_CHECK(back[i] == (char)fuzz_lower((unsigned char)d[i]));
        FUZZ_CHECK(back[n] == '\0');
    } else {
        FUZZ_CHECK((r == BH_ELENGTH && n % 2) || (r == BH_ECHAR && bad) ||
                   (r == BH_ESPACE && cap < n / 2));
    }
}

static void check_hex_encode(const uint8_t *d, size_t n, uint8_t ctl)
{
    size_t cap = pick_cap(ctl >> 2, 2 * n + 1);
    char *out = (char *)fuzz_alloc(cap), *want = (char *)fuzz_alloc(2 * n + 1);
    uint8_t *back = (uint8_t *)fuzz_alloc(n);
    int r = bh_hex_encode(out, cap, d, n);
    if (cap < 2 * n + 1) {
        FUZZ_CHECK(r == BH_ESPACE);
        return;
    }
    fuzz_ref_hex(want, d, n);
    FUZZ_CHECK(r == (int)(2 * n) && memcmp(out, want, 2 * n + 1) == 0);
    FUZZ_CHECK(bh_hex_decode(back, n, out, 2 * n) == (int)n);
    FUZZ_CHECK(n == 0 || memcmp(back, d, n) == 0);
}

/* ---- base64 ---- */

static void check_base64_encode(const uint8_t *d, size_t n, uint8_t ctl)
{
    size_t len = BH_BASE64_LEN(n), cap = pick_cap(ctl >> 4, len + 1);
    char *out = (char *)fuzz_alloc(cap), *want = (char *)fuzz_alloc(len + 1);
    uint8_t *back = (uint8_t *)fuzz_alloc(n);
    int r = bh_base64_encode(out, cap, d, n);
    if (cap < len + 1) {
        FUZZ_CHECK(r == BH_ESPACE);
        return;
    }
    FUZZ_CHECK(fuzz_ref_b64(want, d, n) == len);
    FUZZ_CHECK(r == (int)len && memcmp(out, want, len + 1) == 0);
    FUZZ_CHECK(bh_base64_decode(back, n, out, len) == (int)n);
    FUZZ_CHECK(n == 0 || memcmp(back, d, n) == 0);
}

static void check_base64(const char *d, size_t n, uint8_t ctl)
{
    uint8_t *want = (uint8_t *)fuzz_alloc(n / 4 * 3 + 3), *out;
    size_t wn = 0, cap;
    int v = fuzz_ref_unb64(want, &wn, d, n), r;
    cap = pick_cap(ctl >> 6, v == FUZZ_B64_OK ? wn : n / 4 * 3);
    out = (uint8_t *)fuzz_alloc(cap);
    r = bh_base64_decode(out, cap, d, n);
    if (v == FUZZ_B64_OK && cap >= wn) {
        char *back = (char *)fuzz_alloc(n + 1);
        FUZZ_CHECK(r == (int)wn);
        FUZZ_CHECK(wn == 0 || memcmp(out, want, wn) == 0);
        FUZZ_CHECK(bh_base64_encode(back, n + 1, out, wn) == (int)n);
        FUZZ_CHECK(n == 0 || memcmp(back, d, n) == 0);
    } else {
        /* the first bad quad decides among the codes that apply */
        FUZZ_CHECK((r == BH_ELENGTH && v == FUZZ_B64_LENGTH) ||
                   (r == BH_ECHAR && v == FUZZ_B64_CHAR) ||
                   (r == BH_EPADDING && (v == FUZZ_B64_PADDING || v == FUZZ_B64_CHAR)) ||
                   (r == BH_ESPACE && v != FUZZ_B64_LENGTH && cap < n / 4 * 3));
    }
}

/* ---- URLs ---- */

/* The documented rule, written out again: http:// or https:// (any case),
   bytes 0x21..0x7e only, an authority up to the first '/', '?' or '#' with
   no '@', a host (an IPv6 literal in brackets), an optional port 1..65535,
   then the path up to '#'. */
static int ref_url(bh_url *u, const char *s, size_t n)
{
    size_t i, start, end, h0, h1, p0 = 0, p1 = 0, colons = 0, colon = 0;
    memset(u, 0, sizeof *u);
    for (i = 0; i < n; i++)
        if ((unsigned char)s[i] <= 0x20 || (unsigned char)s[i] >= 0x7f) return BH_EURL;
    if (n > 7 && fuzz_ieq(s, 7, "http://", 7)) start = 7, u->port = 80;
    else if (n > 8 && fuzz_ieq(s, 8, "https://", 8)) start = 8, u->https = 1, u->port = 443;
    else return BH_EURL;
    for (end = start; end < n && s[end] != '/' && s[end] != '?' && s[end] != '#'; end++)
        if (s[end] == '@') return BH_EURL;
    if (end > start && s[start] == '[') {
        for (h1 = start + 1; h1 < end && s[h1] != ']'; h1++) continue;
        if (h1 == end || h1 == start + 1) return BH_EURL;
        h0 = start + 1;
        if (h1 + 1 < end) {
            if (s[h1 + 1] != ':') return BH_EURL;
            p0 = h1 + 2, p1 = end;
        }
    } else {
        for (i = start; i < end; i++)
            if (s[i] == ':') colons++, colon = i;
        if (colons > 1) return BH_EURL;
        h0 = start;
        h1 = colons ? colon : end;
        if (h1 == h0) return BH_EURL;
        if (colons) p0 = colon + 1, p1 = end;
    }
    if (p0) {
        unsigned long port = 0;
        if (p1 == p0 || p1 - p0 > 5) return BH_EURL;
        for (i = p0; i < p1; i++) {
            if (s[i] < '0' || s[i] > '9') return BH_EURL;
            port = port * 10 + (unsigned long)(s[i] - '0');
        }
        if (port == 0 || port > 65535) return BH_EURL;
        u->port = (uint16_t)port;
    }
    u->host = s + h0;
    u->host_len = h1 - h0;
    u->path = s + end;
    for (i = end; i < n && s[i] != '#'; i++) continue;
    u->path_len = i - end;
    return BH_OK;
}

static void check_url(const char *d, size_t n)
{
    bh_url u, w;
    int r = bh_url_parse(&u, d ? d : "", n), want = ref_url(&w, d, n);
    FUZZ_CHECK(r == want);
    if (r == BH_OK) {
        FUZZ_CHECK(u.https == w.https && u.port == w.port);
        FUZZ_CHECK(u.host == w.host && u.host_len == w.host_len);
        FUZZ_CHECK(u.path == w.path && u.path_len == w.path_len);
        FUZZ_CHECK(u.host >= d && u.host + u.host_len <= d + n);
        FUZZ_CHECK(u.path >= d && u.path + u.path_len <= d + n);
    }
    if (!n) FUZZ_CHECK(bh_url_parse(&u, NULL, 0) == BH_EINVAL);
}

/* ---- internal addresses ---- */

typedef struct prefix {
    uint8_t bytes[16];
    unsigned bits;
} prefix;

static int in_prefix(const uint8_t *a, const prefix *p)
{
    unsigned i;
    for (i = 0; i < p->bits; i++)
        if (((a[i / 8] ^ p->bytes[i / 8]) >> (7 - i % 8)) & 1) return 0;
    return 1;
}

static int ref_v4_internal(const uint8_t *a)
{
    static const prefix v4[] = {
        {{0}, 8},          {{127}, 8},       {{10}, 8},   {{172, 16}, 12},
        {{192, 168}, 16},  {{100, 64}, 10},  {{169, 254}, 16},
        {{224}, 4},        {{240}, 4}};
    size_t i;
    for (i = 0; i < sizeof v4 / sizeof v4[0]; i++)
        if (in_prefix(a, &v4[i])) return 1;
    return 0;
}

static int ref_internal(const uint8_t *a, size_t n)
{
    static const prefix mapped = {{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff}, 96};
    static const prefix compat = {{0}, 96};
    static const prefix nat64 = {{0, 0x64, 0xff, 0x9b}, 96};
    static const prefix six2four = {{0x20, 0x02}, 16};
    static const prefix v6[] = {{{0xfc}, 7}, {{0xfe, 0x80}, 10},
                                {{0xfe, 0xc0}, 10}, {{0xff}, 8}};
    size_t i;
    if (!a || (n != 4 && n != 16)) return 1;
    if (n == 4) return ref_v4_internal(a);
    if (in_prefix(a, &mapped) || in_prefix(a, &compat) || in_prefix(a, &nat64))
        return ref_v4_internal(a + 12);
    if (in_prefix(a, &six2four)) return ref_v4_internal(a + 2);
    for (i = 0; i < sizeof v6 / sizeof v6[0]; i++)
        if (in_prefix(a, &v6[i])) return 1;
    return 0;
}

static void check_ip(const uint8_t *d, size_t n)
{
    uint8_t a[16], v4[4];
    size_t i;
    FUZZ_CHECK(bh_ip_is_internal(d, n) == ref_internal(d, n));
    if (n >= 4) FUZZ_CHECK(bh_ip_is_internal(d, 4) == ref_internal(d, 4));
    if (n >= 16) FUZZ_CHECK(bh_ip_is_internal(d, 16) == ref_internal(d, 16));
    if (n < 4) return;
    memcpy(v4, d, 4);
    for (i = 0; i < 4; i++) { /* the same IPv4 address, embedded four ways */
        memset(a, 0, 16);
        if (i == 0) a[10] = a[11] = 0xff;
        if (i == 2) a[1] = 0x64, a[2] = 0xff, a[3] = 0x9b;
        if (i == 3) {
            a[0] = 0x20, a[1] = 0x02;
            memcpy(a + 2, v4, 4);
        } else {
            memcpy(a + 12, v4, 4);
        }
        FUZZ_CHECK(bh_ip_is_internal(a, 16) == ref_v4_internal(v4));
    }
}

/* ---- events, webhooks ---- */

static void check_names(const char *d, size_t n, uint8_t ctl)
{
    bh_event e = bh_event_from_name(d, n), want = BH_EVENT_UNKNOWN;
    bh_entity k = bh_entity_from_name(d, n), kwant = BH_ENTITY_NONE;
    bh_event_set set = bh_event_set_none();
    unsigned i;
    for (i = 1; i < BH_EVENT_COUNT; i++) {
        const char *name = bh_event_name((bh_event)i);
        FUZZ_CHECK(name && bh_event_from_name(name, strlen(name)) == (bh_event)i);
        if (strlen(name) == n && memcmp(name, d, n) == 0) want = (bh_event)i;
    }
    for (i = 1; i < BH_ENTITY_COUNT; i++) {
        const char *name = bh_entity_name((bh_entity)i);
        if (strlen(name) == n && memcmp(name, d, n) == 0) kwant = (bh_entity)i;
    }
    FUZZ_CHECK(e == want && k == kwant);
    FUZZ_CHECK(bh_event_name((bh_event)(ctl % 64)) == NULL ||
               (unsigned)(ctl % 64) < BH_EVENT_COUNT);
    /* sets: what was added is there, and nothing else */
    bh_event_set_add(&set, e);
    bh_event_set_add(&set, (bh_event)(ctl % 64));
    for (i = 0; i < 64; i++) {
        int in = (i == (unsigned)e || i == (unsigned)(ctl % 64)) && i > 0 &&
                 i < BH_EVENT_COUNT;
        FUZZ_CHECK(bh_event_set_has(set, (bh_event)i) == in);
    }
}

static void check_webhook(const char *d, size_t n, uint8_t ctl)
{
    const char *ids[3];
    bh_webhook w;
    bh_event e = (bh_event)(ctl % BH_EVENT_COUNT);
    size_t i, at = 0, nids = 0, plen = n > 4 ? 4 : n;
    int want, in_list = 0;
    memset(&w, 0, sizeof w);
    w.enabled = ctl & 1;
    w.events = bh_event_set_none();
    if (ctl & 2) bh_event_set_add_group(&w.events, bh_event_entity((bh_event)(ctl >> 3)));
    if (ctl & 4) bh_event_set_add(&w.events, e);
    while (nids < 3 && at < n) { /* project ids: NUL-separated pieces */
        size_t end = at;
        while (end < n && d[end]) end++;
        ids[nids++] = fuzz_cstr(d + at, end - at);
        at = end + 1;
    }
    w.project_ids = nids ? ids : NULL;
    w.nproject_ids = (ctl & 0x80) ? 0 : nids;
    for (i = 0; i < w.nproject_ids; i++)
        in_list |= strlen(ids[i]) == plen && memcmp(ids[i], d, plen) == 0;
    want = w.enabled && (bh_event_set_empty(w.events) || bh_event_set_has(w.events, e)) &&
           (w.nproject_ids == 0 || (plen && in_list));
    FUZZ_CHECK(bh_webhook_subscribed(&w, e, plen ? d : NULL, plen) == want);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t ctl = size ? data[0] : 0;
    size_t n = size ? size - 1 : 0;
    const uint8_t *d = (const uint8_t *)fuzz_dup(data + (size ? 1 : 0), n);
    const char *s = (const char *)d;
    check_hex(s, n, ctl);
    check_hex_encode(d, n, ctl);
    check_base64(s, n, ctl);
    check_base64_encode(d, n, ctl);
    check_url(s, n);
    check_ip(d, n);
    check_names(s, n, ctl);
    check_webhook(s, n, ctl);
    if (n >= 2)
        FUZZ_CHECK(bh_ct_equal(d, d + n / 2, n / 2) == (memcmp(d, d + n / 2, n / 2) == 0));
    FUZZ_CHECK(bh_strerror((int)(ctl % 128) - 100) != NULL);
    fuzz_free_all();
    return 0;
}
