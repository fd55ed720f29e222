/* fuzz/fuzz_writer.c - libFuzzer harness for the JSON writer (bh_jw_*).

   Input: a sequence of writer calls, one opcode byte each (taken modulo
   the number of calls) followed by its arguments:
     0 begin_object   1 end_object   2 begin_array   3 end_array
     4 key            len byte, then len bytes (255: NULL with length 1)
     5 string         the same
     6 int64          8 bytes, big-endian
     7 uint64         8 bytes
     8 double         8 bytes, the bits (NaN and infinities too)
     9 bool           1 byte (0 false, any other value true)
    10 null
    11 raw            len byte, then len bytes of JSON text (a fragment)
    12 value          len byte, then len bytes of JSON text, then a byte
                      that picks the token (one past the last: a bad index)
    13 deep           1 byte k: begin k * 5 arrays (up to the depth limit)
    14 close          end every container open, innermost first
    15 finish         bh_jw_finish in the middle of the sequence
   The calls are run three times: measuring (NULL, 0), into a buffer of
   exactly the measured size + 1, and into a buffer of a size the input
   picks (its last byte), too small or not; each buffer is a heap block of
   exactly its capacity, so a byte written past it is caught.
   Properties checked:
   - every call returns what a model of the writer (written from the
     manual: the call order, the depth limit, UTF-8 validity, NaN and
     infinities, the raw fragment's own validity and nesting, sticky
     errors) says it returns, and the three runs agree call by call;
   - bh_jw_finish: the measured length equals the length written into the
     big buffer, NUL-terminated there; the small buffer gets BH_ESPACE
     exactly when length + 1 > capacity, and whatever was written into it
     is the same bytes as the big buffer's at the same offsets;
   - when the writer reports success the output is one valid JSON document
     (bh_json_parse), with the tokens the calls wrote, in order: their
     types, keys and strings byte for byte, integers by value, doubles to
     the same bits. */
#define BLUEHOOK_IMPLEMENTATION
#include "../bluehook.h"
#include "fuzz.h"

#include <math.h>

#define MAX_OPS 400
#define MAX_TOKS 4096
#define MODEL_DEPTH 2048

enum {
    OP_BEGIN_OBJECT, OP_END_OBJECT, OP_BEGIN_ARRAY, OP_END_ARRAY, OP_KEY,
    OP_STRING, OP_INT64, OP_UINT64, OP_DOUBLE, OP_BOOL, OP_NULL, OP_RAW,
    OP_VALUE, OP_DEEP, OP_CLOSE, OP_FINISH, OP_COUNT
};

typedef struct op {
    int code;
    const char *s; /* an exact-size copy of the argument bytes */
    size_t n;
    uint64_t u;    /* the 8-byte argument, the bool, the deep count, the token */
} op;

static op ops[MAX_OPS];
static size_t nops;

/* ---- a reference UTF-8 validator (RFC 3629), independent of the library ---- */

static int utf8_valid(const uint8_t *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        uint8_t c = s[i];
        uint32_t cp;
        size_t k, j;
        if (c < 0x80) {
            i++;
            continue;
        }
        if (c >= 0xc2 && c <= 0xdf) k = 1, cp = c & 0x1fu;
        else if (c >= 0xe0 && c <= 0xef) k = 2, cp = c & 0x0fu;
        else if (c >= 0xf0 && c <= 0xf4) k = 3, cp = c & 0x07u;
        else return 0;
        if (n - i <= k) return 0;
        for (j = 1; j <= k; j++) {
            if ((s[i + j] & 0xc0) != 0x80) return 0;
            cp = cp << 6 | (s[i + j] & 0x3fu);
        }
        if ((k == 2 && cp < 0x800) || (k == 3 && cp < 0x10000) || cp > 0x10ffff ||
            (cp >= 0xd800 && cp <= 0xdfff))
            return 0;
        i += k + 1;
    }
    return 1;
}

/* ---- decoding the input ---- */

static uint64_t be64(const uint8_t *p, size_t n)
{
    uint64_t v = 0;
    size_t i;
    for (i = 0; i < 8; i++) v = v << 8 | (i < n ? p[i] : 0u);
    return v;
}

static void decode(const uint8_t *data, size_t size)
{
    size_t i = 0;
    nops = 0;
    while (i < size && nops < MAX_OPS) {
        op *o = &ops[nops++];
        size_t len;
        memset(o, 0, sizeof *o);
        o->code = data[i++] % OP_COUNT;
        switch (o->code) {
        case OP_KEY:
        case OP_STRING:
        case OP_RAW:
        case OP_VALUE:
            len = i < size ? data[i++] : 0;
            if (len == 255 && (o->code == OP_KEY || o->code == OP_STRING)) {
                o->s = NULL; /* a NULL pointer with a length: BH_EINVAL */
                o->n = 1;
                break;
            }
            if (len > size - i) len = size - i;
            o->s = (const char *)fuzz_dup(data + i, len);
            o->n = len;
            i += len;
            if (o->code == OP_VALUE) o->u = i < size ? data[i++] : 0;
            break;
        case OP_INT64:
        case OP_UINT64:
        case OP_DOUBLE:
            o->u = be64(data + i, size - i);
            i = size - i < 8 ? size : i + 8;
            break;
        case OP_BOOL:
        case OP_DEEP:
            o->u = i < size ? data[i++] : 0;
            break;
        default:
            break;
        }
    }
}

/* ---- the model ---- */

typedef struct exp_tok {
    int type;
    int key;
    const char *s; /* key, string: the bytes written */
    size_t n;
    int has_int, neg;
    uint64_t mag;
    int has_double;
    double d;
    const bh_json *doc; /* from a raw fragment or a value: its token */
    int tok;
} exp_tok;

typedef struct model {
    int err;
    size_t depth;
    int kinds[MODEL_DEPTH]; /* 1 object, 0 array */
    int key_due;            /* in an object, after a key */
    int has_value;          /* the open container has a value */
    int done;               /* the top-level value is complete */
    exp_tok toks[MAX_TOKS];
    size_t ntoks;
    int toks_overflow;
} model;

static model M;

/* Fragments parsed for raw and value, kept for the token comparison. */
#define MAX_FRAGS 64
static bh_json frag_docs[MAX_FRAGS];
static size_t nfrags;

static int m_fail(int e)
{
    if (!M.err) M.err = e;
    return M.err;
}

static int m_in_object(void)
{
    return M.depth > 0 && M.kinds[M.depth - 1];
}

/* What bh__jw_before_value says: BH_OK or the error. */
static int m_before_value(void)
{
    if (M.err) return M.err;
    if (M.depth == 0) return M.done ? m_fail(BH_ESTATE) : BH_OK;
    if (m_in_object() && !M.key_due) return m_fail(BH_ESTATE);
    return BH_OK;
}

static void m_value_done(void)
{
    if (M.depth) {
        M.key_due = 0;
        M.has_value = 1;
    } else {
        M.done = 1;
    }
}

static exp_tok *m_tok(int type)
{
    exp_tok *t;
    if (M.ntoks >= MAX_TOKS) {
        M.toks_overflow = 1;
        return NULL;
    }
    t = &M.toks[M.ntoks++];
    memset(t, 0, sizeof *t);
    t->type = type;
    t->tok = -1;
    return t;
}

static int m_begin(int object)
{
    int r = m_before_value();
    if (r) return r;
    if (M.depth >= BH_JW_MAX_DEPTH) return m_fail(BH_EDEPTH);
    m_tok(object ? BH_JSON_OBJECT : BH_JSON_ARRAY);
    M.kinds[M.depth++] = object;
    M.key_due = 0;
    M.has_value = 0;
    return BH_OK;
}

static int m_end(int object)
{
    if (M.err) return M.err;
    if (!M.depth || m_in_object() != object || M.key_due) return m_fail(BH_ESTATE);
    M.depth--;
    m_value_done();
    return BH_OK;
}

/* The nesting of a token's subtree: 0 for a scalar, 1 for [] ... */
static size_t subtree_nesting(const bh_json *doc, int tok)
{
    const bh_json_tok *root = &doc->toks[tok];
    size_t i, most = 0;
    for (i = (size_t)tok; i < root->next; i++) {
        const bh_json_tok *t = &doc->toks[i];
        size_t lv = (size_t)(t->depth - root->depth);
        if (t->type == BH_JSON_OBJECT || t->type == BH_JSON_ARRAY) lv++;
        if (lv > most) most = lv;
    }
    return most;
}

/* Parse a fragment into tokens of its own; BH_OK or the parse error. */
static int parse_frag(const char *s, size_t n, bh_json **out)
{
    bh_json count;
    int r = bh_json_parse(&count, s, n, NULL, 0);
    bh_json_tok *toks;
    if (r) return r;
    if (nfrags >= MAX_FRAGS) return 1; /* not tracked: the caller skips it */
    toks = (bh_json_tok *)fuzz_alloc(count.ntoks * sizeof *toks);
    FUZZ_CHECK(bh_json_parse(&frag_docs[nfrags], s, n, toks, count.ntoks) == BH_OK);
    *out = &frag_docs[nfrags++];
    return BH_OK;
}

/* The expected tokens of a fragment's subtree, as written by the writer. */
static void m_copy_tokens(const bh_json *doc, int tok)
{
    size_t i;
    for (i = (size_t)tok; i < doc->toks[tok].next; i++) {
        exp_tok *t = m_tok(doc->toks[i].type);
        if (!t) return;
        t->key = (doc->toks[i].flags & BH_JSON_FKEY) && i != (size_t)tok;
        t->doc = doc;
        t->tok = (int)i;
    }
}

/* Predict one call: the result code (for finish: BH_OK when the document
   is complete). Model-side fragments are parsed once per input (pass 0). */
static int predict(const op *o, bh_json **frag, int *frag_r)
{
    exp_tok *t;
    int r;
    switch (o->code) {
    case OP_BEGIN_OBJECT: return m_begin(1);
    case OP_END_OBJECT: return m_end(1);
    case OP_BEGIN_ARRAY: return m_begin(0);
    case OP_END_ARRAY: return m_end(0);
    case OP_KEY:
        if (M.err) return M.err;
        if (!m_in_object() || M.key_due) return m_fail(BH_ESTATE);
        if (!o->s && o->n) return m_fail(BH_EINVAL);
        if (!utf8_valid((const uint8_t *)o->s, o->n)) return m_fail(BH_EUTF8);
        t = m_tok(BH_JSON_STRING);
        if (t) t->key = 1, t->s = o->s, t->n = o->n;
        M.key_due = 1;
        return BH_OK;
    case OP_STRING:
        r = m_before_value();
        if (r) return r;
        if (!o->s && o->n) return m_fail(BH_EINVAL);
        if (!utf8_valid((const uint8_t *)o->s, o->n)) return m_fail(BH_EUTF8);
        t = m_tok(BH_JSON_STRING);
        if (t) t->s = o->s, t->n = o->n;
        m_value_done();
        return BH_OK;
    case OP_INT64:
    case OP_UINT64:
        r = m_before_value();
        if (r) return r;
        t = m_tok(BH_JSON_NUMBER);
        if (t) {
            t->has_int = 1;
            t->neg = o->code == OP_INT64 && (o->u >> 63);
            t->mag = t->neg ? 0 - o->u : o->u;
        }
        m_value_done();
        return BH_OK;
    case OP_DOUBLE: {
        double d;
        memcpy(&d, &o->u, sizeof d);
        if (isnan(d) || isinf(d)) return m_fail(M.err ? M.err : BH_ENUMBER);
        r = m_before_value();
        if (r) return r;
        t = m_tok(BH_JSON_NUMBER);
        if (t) t->has_double = 1, t->d = d;
        m_value_done();
        return BH_OK;
    }
    case OP_BOOL:
        r = m_before_value();
        if (r) return r;
        m_tok(o->u ? BH_JSON_TRUE : BH_JSON_FALSE);
        m_value_done();
        return BH_OK;
    case OP_NULL:
        r = m_before_value();
        if (r) return r;
        m_tok(BH_JSON_NULL);
        m_value_done();
        return BH_OK;
    case OP_RAW:
        r = m_before_value();
        if (r) return r;
        if (*frag_r) return m_fail(*frag_r);
        if (M.depth + subtree_nesting(*frag, 0) > BH_JW_MAX_DEPTH)
            return m_fail(BH_EDEPTH);
        m_copy_tokens(*frag, 0);
        m_value_done();
        return BH_OK;
    case OP_VALUE: {
        size_t nest;
        if (M.err) return M.err;
        if (*frag_r || o->u >= (*frag)->ntoks) return m_fail(BH_EINVAL);
        r = m_before_value();
        if (r) return r;
        nest = subtree_nesting(*frag, (int)o->u);
        if (M.depth + nest > BH_JW_MAX_DEPTH) return m_fail(BH_EDEPTH);
        m_copy_tokens(*frag, (int)o->u);
        m_value_done();
        return BH_OK;
    }
    case OP_FINISH:
        if (M.err) return M.err;
        if (M.depth || !M.done) return m_fail(BH_ESTATE);
        return BH_OK;
    default:
        return BH_OK; /* deep and close are sequences of calls */
    }
}

/* ---- the calls, expanded and predicted ---- */

typedef struct flat {
    int code;
    const char *s;
    size_t n;
    uint64_t u;
    const bh_json *frag;
    int want; /* the model's answer (finish: BH_OK for a complete document) */
} flat;

#define MAX_CALLS 8192
static flat calls[MAX_CALLS];
static size_t ncalls;

static void add_call(const op *o, bh_json *frag, int frag_r)
{
    flat *c;
    if (ncalls >= MAX_CALLS) return;
    c = &calls[ncalls++];
    c->code = o->code;
    c->s = o->s;
    c->n = o->n;
    c->u = o->u;
    c->frag = frag;
    c->want = predict(o, &frag, &frag_r);
}

/* Expand deep and close into single calls (close follows the model's open
   containers) and predict every call. */
static void expand(void)
{
    size_t i, k;
    memset(&M, 0, sizeof M);
    ncalls = 0;
    nfrags = 0;
    for (i = 0; i < nops && ncalls < MAX_CALLS; i++) {
        const op *o = &ops[i];
        op sub;
        memset(&sub, 0, sizeof sub);
        if (o->code == OP_DEEP) {
            sub.code = OP_BEGIN_ARRAY;
            for (k = 0; k < (size_t)o->u * 5; k++) add_call(&sub, NULL, 0);
        } else if (o->code == OP_CLOSE) {
            while (M.depth && !M.err && ncalls < MAX_CALLS) {
                sub.code = M.kinds[M.depth - 1] ? OP_END_OBJECT : OP_END_ARRAY;
                add_call(&sub, NULL, 0);
            }
        } else if (o->code == OP_RAW || o->code == OP_VALUE) {
            bh_json *frag = NULL;
            int r = parse_frag(o->s, o->n, &frag);
            if (r == 1) break; /* too many fragments: the rest is left out */
            add_call(o, frag, r);
        } else {
            add_call(o, NULL, 0);
        }
    }
}

static int call(bh_json_writer *w, const flat *o)
{
    double d;
    switch (o->code) {
    case OP_BEGIN_OBJECT: return bh_jw_begin_object(w);
    case OP_END_OBJECT: return bh_jw_end_object(w);
    case OP_BEGIN_ARRAY: return bh_jw_begin_array(w);
    case OP_END_ARRAY: return bh_jw_end_array(w);
    case OP_KEY: return bh_jw_key(w, o->s, o->n);
    case OP_STRING: return bh_jw_string(w, o->s, o->n);
    case OP_INT64: return bh_jw_int64(w, (int64_t)o->u);
    case OP_UINT64: return bh_jw_uint64(w, o->u);
    case OP_DOUBLE:
        memcpy(&d, &o->u, sizeof d);
        return bh_jw_double(w, d);
    case OP_BOOL: return bh_jw_bool(w, o->u ? (int)o->u : 0);
    case OP_NULL: return bh_jw_null(w);
    case OP_RAW: return bh_jw_raw(w, o->s, o->n);
    case OP_VALUE:
        /* a fragment that did not parse: any document, a bad index */
        if (!o->frag) {
            bh_json empty;
            memset(&empty, 0, sizeof empty);
            return bh_jw_value(w, &empty, 0);
        }
        return bh_jw_value(w, o->frag, (int)o->u);
    case OP_FINISH: return bh_jw_finish(w);
    default: return BH_OK;
    }
}

/* Run every call on w, each answering what the model said. */
static void run(bh_json_writer *w)
{
    size_t i;
    for (i = 0; i < ncalls; i++) {
        const flat *c = &calls[i];
        int got = call(w, c);
        if (c->code != OP_FINISH) {
            FUZZ_CHECK(got == c->want);
        } else if (c->want != BH_OK) {
            FUZZ_CHECK(got == c->want);
        } else if (got == BH_ESPACE) { /* only when the NUL does not fit */
            FUZZ_CHECK(w->buf && w->len + 1 > w->cap);
        } else {
            FUZZ_CHECK(got >= 0 && (size_t)got == w->len);
            FUZZ_CHECK(!w->buf || (w->len < w->cap && w->buf[w->len] == '\0'));
        }
    }
}

/* The output's tokens against the model's. */
static void check_tokens(const char *out, size_t len)
{
    static bh_json_tok toks[MAX_TOKS];
    bh_json doc;
    size_t i;
    FUZZ_CHECK(bh_json_parse(&doc, out, len, NULL, 0) == BH_OK);
    if (M.toks_overflow) return;
    FUZZ_CHECK(doc.ntoks == M.ntoks);
    FUZZ_CHECK(bh_json_parse(&doc, out, len, toks, MAX_TOKS) == BH_OK);
    for (i = 0; i < M.ntoks; i++) {
        const exp_tok *e = &M.toks[i];
        const bh_json_tok *t = &toks[i];
        int k = (int)i;
        FUZZ_CHECK(t->type == e->type);
        FUZZ_CHECK(((t->flags & BH_JSON_FKEY) != 0) == (e->key != 0));
        if (e->doc) {
            const bh_json_tok *f = &e->doc->toks[e->tok];
            if (t->type == BH_JSON_STRING)
                FUZZ_CHECK(bh_json_strings_equal(&doc, k, e->doc, e->tok) == 1);
            if (t->type == BH_JSON_NUMBER) /* numbers are kept as written */
                FUZZ_CHECK(t->len == f->len &&
                           memcmp(out + t->start, e->doc->src + f->start, f->len) == 0);
            continue;
        }
        if (t->type == BH_JSON_STRING)
            FUZZ_CHECK(bh_json_string_eq(&doc, k, e->s ? e->s : "", e->n) == 1);
        if (e->has_int) {
            int64_t v;
            uint64_t u;
            if (e->neg) {
                FUZZ_CHECK(bh_json_int64(&doc, k, &v) == BH_OK);
                FUZZ_CHECK((uint64_t)0 - (uint64_t)v == e->mag);
            } else {
                FUZZ_CHECK(bh_json_uint64(&doc, k, &u) == BH_OK && u == e->mag);
            }
        }
        if (e->has_double) {
            double d = 1;
            FUZZ_CHECK(bh_json_double(&doc, k, &d) == BH_OK);
            FUZZ_CHECK(memcmp(&d, &e->d, sizeof d) == 0);
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    bh_json_writer mw, bw, sw;
    char *big, *small;
    size_t small_cap, i;
    int mr, br, sr;
    decode(data, size ? size - 1 : 0);
    expand();
    /* measuring */
    bh_jw_init(&mw, NULL, 0);
    run(&mw);
    mr = bh_jw_finish(&mw);
    /* a buffer of exactly the size measured + 1 */
    big = (char *)fuzz_alloc(mw.len + 1);
    bh_jw_init(&bw, big, mw.len + 1);
    run(&bw);
    br = bh_jw_finish(&bw);
    FUZZ_CHECK(bw.len == mw.len && br == mr);
    /* a buffer the input sizes: often too small */
    small_cap = size ? (size_t)data[size - 1] % (mw.len + 2) : 0;
    small = (char *)fuzz_alloc(small_cap);
    memset(small, 0xA5, small_cap);
    bh_jw_init(&sw, small_cap ? small : NULL, small_cap);
    run(&sw);
    sr = bh_jw_finish(&sw);
    FUZZ_CHECK(sw.len == mw.len);
    if (mr < 0) {
        FUZZ_CHECK(sr == mr);
    } else {
        FUZZ_CHECK((size_t)mr == mw.len && big[mr] == '\0');
        if (small_cap == 0) FUZZ_CHECK(sr == mr); /* (NULL, 0) measures */
        else if (small_cap > mw.len) FUZZ_CHECK(sr == mr && memcmp(small, big, mw.len + 1) == 0);
        else FUZZ_CHECK(sr == BH_ESPACE);
        check_tokens(big, (size_t)mr);
    }
    /* what a too-small buffer got is the output's bytes where it got any */
    for (i = 0; i < small_cap && i < mw.len; i++)
        FUZZ_CHECK((uint8_t)small[i] == 0xA5 || small[i] == big[i]);
    /* the model said complete exactly when the writer did */
    FUZZ_CHECK((mr >= 0) == (!M.err && !M.depth && M.done));
    if (mr < 0 && M.err) FUZZ_CHECK(mr == M.err);
    fuzz_free_all();
    return 0;
}
