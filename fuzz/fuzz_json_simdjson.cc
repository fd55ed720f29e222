// fuzz/fuzz_json_simdjson.cc - differential libFuzzer harness: bluehook's
// JSON reader against simdjson's DOM parser (Debian libsimdjson-dev; link
// flags in fuzz/fuzz_json_simdjson.flags).
//
// Input: any bytes, given to both parsers as a JSON text.
// Properties checked:
// - both accept, or both reject, except where bluehook's manual ("Reading
//   JSON") documents an implementation-defined choice; each exclusion is
//   exact and listed here:
//   1. lone surrogate escapes: bluehook accepts "\uD800" (and reads it as
//      U+FFFD), simdjson rejects it. Not skipped: simdjson is given a copy
//      in which every \u escape of a lone surrogate (a high one not
//      followed by a \u escape of a low one, or a low one not after a high
//      one), inside strings, is rewritten to \uFFFD, the character
//      bluehook reads. Both parsers must then agree on everything.
//   2. numbers out of range: bluehook accepts any number the grammar
//      allows (the i_number_* files), simdjson 3 rejects, with
//      NUMBER_ERROR, one that overflows a double and an integer (no
//      fraction, no exponent) that fits neither int64 nor uint64 (it does
//      not read those as doubles). Skipped only when bluehook accepts,
//      simdjson says NUMBER_ERROR, and a number of the document is one of
//      those: bh_json_double answers BH_ENUMBER for it, or it is written
//      as an integer and bh_json_int64 and bh_json_uint64 both answer
//      BH_ENUMBER.
//   3. depth: inputs bluehook rejects with BH_EDEPTH (deeper than
//      BLUEHOOK_JSON_MAX_DEPTH), and inputs simdjson rejects with
//      DEPTH_ERROR (deeper than its parser's max_depth), are skipped.
//   4. token capacity: none; bluehook only validates and counts first
//      (tokens NULL), then parses into exactly the tokens it counted.
// - for a document both accept, the values agree, in document order:
//   types (object, array, string, number, true, false, null), members
//   and their keys (duplicates included), strings after unescaping
//   (bh_json_string against simdjson's), integers that fit int64
//   (bh_json_int64 against simdjson's int64), integers above INT64_MAX
//   that fit uint64, and numbers simdjson reads as doubles
//   (bh_json_double, to the same bits).
#define BLUEHOOK_IMPLEMENTATION
#include "../bluehook.h"
#include "fuzz.h"

#include <simdjson.h>

#include <cstring>
#include <string_view>
#include <vector>

namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;

int hex4(const uint8_t *p)
{
    int v = 0;
    for (int i = 0; i < 4; i++) {
        int d = fuzz_ref_hexval(p[i]);
        if (d < 0) return -1;
        v = v << 4 | d;
    }
    return v;
}

// Exclusion 1: rewrite lone surrogate escapes to \uFFFD, in strings,
// pairing escapes as bluehook does (a high surrogate escape followed at
// once by a low one is a pair).
void rewrite_lone_surrogates(uint8_t *s, size_t n)
{
    bool in_string = false;
    for (size_t i = 0; i < n; i++) {
        if (!in_string) {
            if (s[i] == '"') in_string = true;
            continue;
        }
        if (s[i] == '"') {
            in_string = false;
            continue;
        }
        if (s[i] != '\\') continue;
        if (i + 1 >= n) return;
        if (s[i + 1] != 'u' || n - i < 6) {
            i++; // a one-character escape
            continue;
        }
        int c = hex4(s + i + 2);
        if (c < 0) {
            i++;
            continue;
        }
        if (c >= 0xd800 && c <= 0xdbff && n - i >= 12 && s[i + 6] == '\\' &&
            s[i + 7] == 'u') {
            int lo = hex4(s + i + 8);
            if (lo >= 0xdc00 && lo <= 0xdfff) {
                i += 11; // a pair
                continue;
            }
        }
        if (c >= 0xd800 && c <= 0xdfff) std::memcpy(s + i + 2, "FFFD", 4);
        i += 5;
    }
}

struct walker {
    const bh_json *doc;
    size_t at; // the next bluehook token
    std::vector<char> buf;

    void string_eq(int tok, std::string_view sv)
    {
        size_t len = 0;
        bh_json_raw(doc, tok, &len);
        buf.resize(len + 1);
        int n = bh_json_string(doc, tok, buf.data(), buf.size());
        FUZZ_CHECK(n >= 0);
        FUZZ_CHECK(static_cast<size_t>(n) == sv.size() &&
                   std::memcmp(buf.data(), sv.data(), sv.size()) == 0);
    }

    void number_eq(int tok, element el)
    {
        const bh_json_tok *t = &doc->toks[tok];
        int64_t bi = 0, si = 0;
        uint64_t bu = 0, su = 0;
        double bd = 0, sd = 0;
        bool integral = (t->flags & BH_JSON_FREAL) == 0;
        element_type ty = el.type();
        if (integral && bh_json_int64(doc, tok, &bi) == BH_OK) {
            FUZZ_CHECK(ty == element_type::INT64);
            FUZZ_CHECK(el.get_int64().get(si) == simdjson::SUCCESS && si == bi);
        } else if (integral && bh_json_uint64(doc, tok, &bu) == BH_OK) {
            FUZZ_CHECK(ty == element_type::UINT64);
            FUZZ_CHECK(el.get_uint64().get(su) == simdjson::SUCCESS && su == bu);
        } else {
            FUZZ_CHECK(ty == element_type::DOUBLE);
        }
        if (ty == element_type::DOUBLE) {
            FUZZ_CHECK(el.get_double().get(sd) == simdjson::SUCCESS);
            FUZZ_CHECK(bh_json_double(doc, tok, &bd) == BH_OK);
            FUZZ_CHECK(std::memcmp(&bd, &sd, sizeof bd) == 0);
        }
    }

    // NOLINTNEXTLINE(misc-no-recursion): simdjson's depth limit bounds it
    void walk(element el)
    {
        FUZZ_CHECK(at < doc->ntoks);
        int tok = static_cast<int>(at++);
        int type = bh_json_type_of(doc, tok);
        switch (el.type()) {
        case element_type::OBJECT: {
            FUZZ_CHECK(type == BH_JSON_OBJECT);
            simdjson::dom::object obj;
            FUZZ_CHECK(el.get_object().get(obj) == simdjson::SUCCESS);
            for (auto kv : obj) {
                FUZZ_CHECK(at < doc->ntoks);
                int k = static_cast<int>(at++);
                FUZZ_CHECK(bh_json_type_of(doc, k) == BH_JSON_STRING &&
                           (doc->toks[k].flags & BH_JSON_FKEY));
                string_eq(k, kv.key);
                walk(kv.value);
            }
            break;
        }
        case element_type::ARRAY: {
            FUZZ_CHECK(type == BH_JSON_ARRAY);
            simdjson::dom::array arr;
            FUZZ_CHECK(el.get_array().get(arr) == simdjson::SUCCESS);
            for (element child : arr) walk(child);
            break;
        }
        case element_type::STRING: {
            std::string_view sv;
            FUZZ_CHECK(type == BH_JSON_STRING);
            FUZZ_CHECK(el.get_string().get(sv) == simdjson::SUCCESS);
            string_eq(tok, sv);
            break;
        }
        case element_type::INT64:
        case element_type::UINT64:
        case element_type::DOUBLE:
            FUZZ_CHECK(type == BH_JSON_NUMBER);
            number_eq(tok, el);
            break;
        case element_type::BOOL: {
            bool b = false;
            FUZZ_CHECK(el.get_bool().get(b) == simdjson::SUCCESS);
            FUZZ_CHECK(type == (b ? BH_JSON_TRUE : BH_JSON_FALSE));
            break;
        }
        case element_type::NULL_VALUE:
            FUZZ_CHECK(type == BH_JSON_NULL);
            break;
        }
        // the token after this value's subtree is where the walk is now
        FUZZ_CHECK(doc->toks[tok].next == at);
    }
};

// Exclusion 2: a number of the document that overflows a double, or an
// integer beyond 64 bits.
bool has_number_out_of_range(const bh_json *doc)
{
    for (size_t i = 0; i < doc->ntoks; i++) {
        const bh_json_tok *t = &doc->toks[i];
        int k = static_cast<int>(i);
        double d;
        int64_t v;
        uint64_t u;
        if (t->type != BH_JSON_NUMBER) continue;
        if (bh_json_double(doc, k, &d) == BH_ENUMBER) return true;
        if (!(t->flags & BH_JSON_FREAL) && bh_json_int64(doc, k, &v) == BH_ENUMBER &&
            bh_json_uint64(doc, k, &u) == BH_ENUMBER)
            return true;
    }
    return false;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static simdjson::dom::parser parser;
    const char *src = static_cast<const char *>(fuzz_dup(data, size));
    bh_json count, doc;
    int r = bh_json_parse(&count, src, size, nullptr, 0);
    if (r == BH_EDEPTH) { // exclusion 3
        fuzz_free_all();
        return 0;
    }
    bool bh_ok = r == BH_OK;
    bh_json_tok *toks = nullptr;
    if (bh_ok) {
        toks = static_cast<bh_json_tok *>(fuzz_alloc(count.ntoks * sizeof *toks));
        FUZZ_CHECK(bh_json_parse(&doc, src, size, toks, count.ntoks) == BH_OK);
    }

    // simdjson reads a padded copy, lone surrogate escapes rewritten
    std::vector<uint8_t> copy(size + simdjson::SIMDJSON_PADDING, 0);
    if (size) std::memcpy(copy.data(), data, size);
    rewrite_lone_surrogates(copy.data(), size);
    element root;
    simdjson::error_code e =
        parser.parse(reinterpret_cast<const char *>(copy.data()), size, false).get(root);
    if (e == simdjson::DEPTH_ERROR) { // exclusion 3
        fuzz_free_all();
        return 0;
    }
    bool sj_ok = e == simdjson::SUCCESS;
    if (bh_ok && !sj_ok &&
        e == simdjson::NUMBER_ERROR &&
        has_number_out_of_range(&doc)) { // exclusion 2
        fuzz_free_all();
        return 0;
    }
    if (bh_ok != sj_ok) {
        std::fprintf(stderr, "bluehook: %s (at %zu); simdjson: %s\n",
                     bh_strerror(r), count.err_pos, simdjson::error_message(e));
    }
    FUZZ_CHECK(bh_ok == sj_ok);
    if (bh_ok) {
        walker w{&doc, 0, {}};
        w.walk(root);
        FUZZ_CHECK(w.at == doc.ntoks);
    }
    fuzz_free_all();
    return 0;
}
