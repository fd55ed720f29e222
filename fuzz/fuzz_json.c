/* libFuzzer harness for the JSON reader and writer (make fuzz-json).

   Every input is parsed into tokens and also measure-only: both must agree
   on the answer and the error position. An accepted input is written back
   with bh_jw_value, parsed again and compared token by token (types,
   nesting, strings after unescaping, numbers by exact value); then it is
   written again, which must give the same bytes (the writer's output is
   canonical). Every accessor is called on every token. Numbers read as
   doubles are written and read back to the same bits. */
#define BLUEHOOK_IMPLEMENTATION
#include "../bluehook.h"

#include <stdlib.h>
#include <string.h>

#define CHECK(x)                                                               \
    do {                                                                       \
        if (!(x)) abort();                                            \
    } while (0)

static char *write_value(const bh_json *doc, int *len)
{
    bh_json_writer w;
    char *out;
    bh_jw_init(&w, NULL, 0);
    CHECK(bh_jw_value(&w, doc, 0) == BH_OK);
    *len = bh_jw_finish(&w);
    CHECK(*len >= 0);
    out = (char *)malloc((size_t)*len + 1);
    bh_jw_init(&w, out, (size_t)*len + 1);
    bh_jw_value(&w, doc, 0);
    CHECK(bh_jw_finish(&w) == *len);
    return out;
}

static void same_json(const bh_json *a, const bh_json *b)
{
    size_t i;
    CHECK(a->ntoks == b->ntoks);
    for (i = 0; i < a->ntoks; i++) {
        const bh_json_tok *x = &a->toks[i], *y = &b->toks[i];
        int k = (int)i, order = 9;
        CHECK(x->type == y->type && x->next == y->next && x->depth == y->depth &&
              (x->flags & BH_JSON_FKEY) == (y->flags & BH_JSON_FKEY));
        if (x->type == BH_JSON_STRING) CHECK(bh_json_strings_equal(a, k, b, k) == 1);
        if (x->type == BH_JSON_NUMBER) {
            CHECK(bh_json_number_cmp(a->src + x->start, x->len, b->src + y->start,
                                     y->len, &order) == BH_OK);
            CHECK(order == 0);
        }
    }
}

static void use_tokens(const bh_json *doc)
{
    char out[256];
    size_t i;
    for (i = 0; i < doc->ntoks; i++) {
        const bh_json_tok *t = &doc->toks[i];
        int k = (int)i, n, c;
        size_t len;
        const char *raw = bh_json_raw(doc, k, &len);
        int64_t v;
        uint64_t u;
        double d;
        CHECK(raw && len == t->len);
        switch (t->type) {
        case BH_JSON_STRING:
            n = bh_json_string(doc, k, out, sizeof out);
            CHECK(n >= 0 || (n == BH_ESPACE && t->len > sizeof out));
            if (n >= 0) CHECK(bh_json_string_eq(doc, k, out, (size_t)n) == 1);
            break;
        case BH_JSON_NUMBER:
            bh_json_int64(doc, k, &v);
            bh_json_uint64(doc, k, &u);
            if (bh_json_double(doc, k, &d) == BH_OK) {
                bh_json_writer w;
                bh_json back;
                bh_json_tok bt[2];
                double e = 0;
                char buf[64];
                bh_jw_init(&w, buf, sizeof buf);
                CHECK(bh_jw_double(&w, d) == BH_OK);
                n = bh_jw_finish(&w);
                CHECK(n > 0);
                CHECK(bh_json_parse(&back, buf, (size_t)n, bt, 2) == BH_OK);
                CHECK(bh_json_double(&back, 0, &e) == BH_OK);
                CHECK(memcmp(&d, &e, sizeof d) == 0);
            }
            break;
        case BH_JSON_OBJECT:
        case BH_JSON_ARRAY:
            c = bh_json_count(doc, k);
            CHECK(c >= 0);
            bh_json_get(doc, k, "/0/a~1b");
            bh_json_index(doc, k, 0);
            bh_json_member(doc, k, "id", 2);
            break;
        default:
            break;
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static bh_json_tok toks[1 << 16], btoks[1 << 16];
    bh_json doc, m, back, again;
    const char *s = (const char *)data;
    size_t line, col;
    int r = bh_json_parse(&doc, s, size, toks, 1 << 16);
    int rm = bh_json_parse(&m, s, size, NULL, 0);
    char *out, *out2;
    int len, len2;
    CHECK(r == rm || (r == BH_ESPACE && rm == BH_OK));
    if (r != BH_OK) {
        if (r != BH_ESPACE) CHECK(doc.err_pos == m.err_pos && doc.err_pos <= size);
        CHECK(bh_json_line_col(&doc, doc.err_pos, &line, &col) == BH_OK);
        return 0;
    }
    CHECK(m.ntoks == doc.ntoks);
    use_tokens(&doc);
    out = write_value(&doc, &len);
    CHECK(bh_json_parse(&back, out, (size_t)len, btoks, 1 << 16) == BH_OK);
    same_json(&doc, &back);
    out2 = write_value(&back, &len2);
    CHECK(len2 == len && memcmp(out, out2, (size_t)len) == 0);
    CHECK(bh_json_parse(&again, out2, (size_t)len2, NULL, 0) == BH_OK);
    free(out);
    free(out2);
    return 0;
}
