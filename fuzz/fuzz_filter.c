/* fuzz/fuzz_filter.c - libFuzzer harness for record-scope filters
   (bh_filter_parse, bh_filter_eval, bh_filter_explain).

   Input: the filter text, a 0 byte, one byte whose value modulo 16 is the
   node capacity (0: a NULL node array), then a JSON payload. Without a 0
   byte the whole input is the filter and there is no payload.
   Properties checked:
   - parsing answers BH_OK, BH_EFILTER or BH_ESPACE; a syntax error has a
     reason and a position within the text; the node array (a heap block
     of exactly cap nodes) is never written past;
   - the capacity changes nothing but BH_ESPACE: with 64 nodes the answer
     is the same (BH_ESPACE becomes BH_OK when nnodes fit), as is the
     syntax error and its position; after BH_ESPACE, nnodes nodes are
     enough;
   - a filter whose parse failed is unusable: eval and explain say
     BH_EINVAL, whatever half-built nodes are left;
   - on a parsed payload eval answers 0 or 1, the same every time, the same
     with nnodes nodes as with 64, the same as explain, which points at a
     condition inside the text when it answers 0;
   - "!(" text ")" answers the opposite, where it parses (the parentheses
     add two levels of nesting, so a filter nested near the limit may not).
*/
#define BLUEHOOK_IMPLEMENTATION
#include "../bluehook.h"
#include "fuzz.h"

#define BIG 64
#define MAX_TOKS 4096

static bh_json_tok toks[MAX_TOKS];

/* eval and explain on a filter that did not parse */
static void check_unusable(const bh_filter *f, const bh_json *payload)
{
    size_t pos = 7, len = 7;
    FUZZ_CHECK(bh_filter_eval(f, payload) == BH_EINVAL);
    FUZZ_CHECK(bh_filter_explain(f, payload, &pos, &len) == BH_EINVAL);
    FUZZ_CHECK(pos == 7 && len == 7);
}

/* eval and explain on a parsed filter: the answer (0 or 1) */
static int check_eval(const bh_filter *f, const bh_json *payload)
{
    size_t pos = (size_t)-1, len = (size_t)-1;
    int r = bh_filter_eval(f, payload), e;
    FUZZ_CHECK(r == 0 || r == 1);
    FUZZ_CHECK(bh_filter_eval(f, payload) == r);
    e = bh_filter_explain(f, payload, &pos, &len);
    FUZZ_CHECK(e == r);
    if (r == 0) FUZZ_CHECK(pos <= f->len && len <= f->len - pos);
    else FUZZ_CHECK(pos == (size_t)-1 && len == (size_t)-1);
    FUZZ_CHECK(bh_filter_explain(f, payload, NULL, NULL) == r);
    return r;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *nul = size ? (const uint8_t *)memchr(data, 0, size) : NULL;
    size_t tlen = nul ? (size_t)(nul - data) : size, cap = 0, plen = 0;
    const char *text = (const char *)fuzz_dup(data, tlen), *payload_text = NULL;
    bh_filter f, big, exact, neg;
    bh_filter_node *nodes, *bnodes, *enodes = NULL, *nnodes;
    bh_json doc, *payload = NULL;
    int r, rb, have_payload = 0;
    if (nul && tlen + 1 < size) {
        cap = data[tlen + 1] % 16u;
        plen = size - tlen - 2;
        payload_text = (const char *)fuzz_dup(data + tlen + 2, plen);
        have_payload = bh_json_parse(&doc, payload_text, plen, toks, MAX_TOKS) == BH_OK;
        if (have_payload) payload = &doc;
    }

    /* parse with cap nodes (a NULL array for 0), and with plenty */
    nodes = cap ? (bh_filter_node *)fuzz_alloc(cap * sizeof *nodes) : NULL;
    r = bh_filter_parse(&f, text, tlen, nodes, cap);
    FUZZ_CHECK(r == BH_OK || r == BH_EFILTER || r == BH_ESPACE);
    bnodes = (bh_filter_node *)fuzz_alloc(BIG * sizeof *bnodes);
    rb = bh_filter_parse(&big, text, tlen, bnodes, BIG);
    FUZZ_CHECK(rb == BH_OK || rb == BH_EFILTER || rb == BH_ESPACE);
    FUZZ_CHECK(f.reason != NULL && big.reason != NULL);
    if (r == BH_EFILTER) {
        FUZZ_CHECK(f.err_pos <= tlen);
        FUZZ_CHECK(rb == BH_EFILTER && big.err_pos == f.err_pos);
        FUZZ_CHECK(strcmp(f.reason, big.reason) == 0);
    } else if (r == BH_ESPACE) {
        FUZZ_CHECK(f.nnodes > cap);
        FUZZ_CHECK(rb == (f.nnodes <= BIG ? BH_OK : BH_ESPACE));
        if (rb == BH_ESPACE) FUZZ_CHECK(big.nnodes == f.nnodes);
    } else {
        FUZZ_CHECK(f.nnodes >= 1 && f.nnodes <= cap);
        FUZZ_CHECK(rb == BH_OK && big.nnodes == f.nnodes);
    }
    if (rb == BH_EFILTER) FUZZ_CHECK(r == BH_EFILTER);

    /* after BH_ESPACE, the count it asked for is enough */
    if (r == BH_ESPACE && f.nnodes <= 4096) {
        enodes = (bh_filter_node *)fuzz_alloc(f.nnodes * sizeof *enodes);
        FUZZ_CHECK(bh_filter_parse(&exact, text, tlen, enodes, f.nnodes) == BH_OK);
        FUZZ_CHECK(exact.nnodes <= f.nnodes); /* the peak was needed */
    }

    if (r != BH_OK) {
        /* whatever the payload, even none or an unparsed one */
        static const char empty_obj[] = "{}";
        bh_json e;
        bh_json_tok t[2];
        FUZZ_CHECK(bh_json_parse(&e, empty_obj, 2, t, 2) == BH_OK);
        check_unusable(&f, payload ? payload : &e);
        check_unusable(&f, &e);
    }
    if (rb != BH_OK && payload) check_unusable(&big, payload);
    if (!payload || rb != BH_OK) {
        fuzz_free_all();
        return 0;
    }

    /* evaluation: 0 or 1, stable, the same whatever the capacity */
    {
        int v = check_eval(&big, payload);
        if (r == BH_OK) FUZZ_CHECK(check_eval(&f, payload) == v);
        if (enodes) FUZZ_CHECK(check_eval(&exact, payload) == v);
        /* the negation, where it parses */
        {
            char *nt = (char *)fuzz_alloc(tlen + 3);
            nt[0] = '!';
            nt[1] = '(';
            if (tlen) memcpy(nt + 2, text, tlen);
            nt[tlen + 2] = ')';
            nnodes = (bh_filter_node *)fuzz_alloc((BIG + 1) * sizeof *nnodes);
            if (bh_filter_parse(&neg, nt, tlen + 3, nnodes, BIG + 1) == BH_OK)
                FUZZ_CHECK(check_eval(&neg, payload) == !v);
        }
    }
    fuzz_free_all();
    return 0;
}
