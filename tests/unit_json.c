/* The JSON reader and writer: every JSONTestSuite file (one case each),
   the real Blue delivery against Python's json module, pointers, accessors,
   numbers against strtod and Python's repr, errors with their positions,
   token capacity, depth, the writer's rules, round trips, and inputs that
   end at a guard page. `unit_json --digest` prints a digest of the parser's
   answers on many generated inputs, so that builds (SIMD, SWAR, aarch64)
   can be compared by tests/check_json.sh. */
#define _DEFAULT_SOURCE
#define _FILE_OFFSET_BITS 64 /* readdir on 32-bit targets */
#define T_SUITE "json"
#define BLUEHOOK_IMPLEMENTATION
#include "../bluehook.h"
#include "t.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#define SUITE_DIR "../shared/jsontestsuite/test_parsing"
#define BLUE_DIR "../shared/blue"

/* ---- helpers ---- */

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t cap = 0, n = 0, got;
    if (!f) return NULL;
    for (;;) {
        if (n == cap) {
            char *b = (char *)realloc(buf, cap = cap ? cap * 2 : 4096);
            if (!b) {
                free(buf);
                fclose(f);
                return NULL;
            }
            buf = b;
        }
        got = fread(buf + n, 1, cap - n, f);
        if (!got) break;
        n += got;
    }
    fclose(f);
    *len = n;
    return buf;
}

/* Parse into a token array of the right size (malloc'd, *toks). */
static int parse_alloc(bh_json *doc, const char *s, size_t n, bh_json_tok **toks)
{
    bh_json probe;
    int r = bh_json_parse(&probe, s, n, NULL, 0);
    *toks = NULL;
    if (r) {
        *doc = probe;
        return r;
    }
    *toks = (bh_json_tok *)malloc((probe.ntoks ? probe.ntoks : 1) * sizeof **toks);
    return bh_json_parse(doc, s, n, *toks, probe.ntoks);
}

static int parse_str(bh_json *doc, const char *s, bh_json_tok *toks, size_t cap)
{
    return bh_json_parse(doc, s, strlen(s), toks, cap);
}

/* Whether two values (of two documents) are the same JSON: same types,
   strings equal after unescaping, numbers equal by value (or, with
   as_double, as the doubles nearest to them), members in the same order.
   Walks the tokens in order, without recursion. */
static int same_json_as(const bh_json *a, int ta, const bh_json *b, int tb, int as_double)
{
    int i, n;
    if (ta < 0 || tb < 0) return 0;
    n = (int)(a->toks[ta].next - (uint32_t)ta);
    if ((int)(b->toks[tb].next - (uint32_t)tb) != n) return 0;
    for (i = 0; i < n; i++) {
        const bh_json_tok *x = &a->toks[ta + i], *y = &b->toks[tb + i];
        int order = 1;
        if (x->type != y->type || x->next - (uint32_t)ta != y->next - (uint32_t)tb ||
            x->depth - a->toks[ta].depth != y->depth - b->toks[tb].depth ||
            (x->flags & BH_JSON_FKEY) != (y->flags & BH_JSON_FKEY))
            return 0;
        if (x->type == BH_JSON_STRING && bh_json_strings_equal(a, ta + i, b, tb + i) != 1)
            return 0;
#ifndef BLUEHOOK_NO_DOUBLE
        if (x->type == BH_JSON_NUMBER && as_double) {
            double da = 1, db = 2;
            bh_json_double(a, ta + i, &da);
            bh_json_double(b, tb + i, &db);
            if (da != db) return 0;
            continue;
        }
#else
        (void)as_double;
#endif
        if (x->type == BH_JSON_NUMBER &&
            (bh_json_number_cmp(a->src + x->start, x->len, b->src + y->start,
                                y->len, &order) != BH_OK ||
             order != 0))
            return 0;
    }
    return 1;
}

static int same_json(const bh_json *a, int ta, const bh_json *b, int tb)
{
    return same_json_as(a, ta, b, tb, 0);
}

/* Write token tok of doc with the writer's typed calls (strings through
   bh_json_string, integers through bh_json_int64, other numbers through
   bh_json_double), recursively. */
static int write_typed(bh_json_writer *w, const bh_json *doc, int tok, int as_key)
{
    const bh_json_tok *t = &doc->toks[tok];
    char small[256], *buf;
    int k, n;
    int64_t i;
    switch (t->type) {
    case BH_JSON_OBJECT:
        bh_jw_begin_object(w);
        for (k = bh_json_child(doc, tok); k >= 0; k = bh_json_next(doc, tok, k)) {
            write_typed(w, doc, k, 1);
            write_typed(w, doc, k + 1, 0);
        }
        return bh_jw_end_object(w);
    case BH_JSON_ARRAY:
        bh_jw_begin_array(w);
        for (k = bh_json_child(doc, tok); k >= 0; k = bh_json_next(doc, tok, k))
            write_typed(w, doc, k, 0);
        return bh_jw_end_array(w);
    case BH_JSON_STRING:
        buf = t->len <= sizeof small ? small : (char *)malloc(t->len);
        n = bh_json_string(doc, tok, buf, t->len - 1);
        if (n < 0) {
            if (buf != small) free(buf);
            return n;
        }
        k = as_key ? bh_jw_key(w, buf, (size_t)n) : bh_jw_string(w, buf, (size_t)n);
        if (buf != small) free(buf);
        return k;
    case BH_JSON_NUMBER:
        if (bh_json_int64(doc, tok, &i) == BH_OK) return bh_jw_int64(w, i);
#ifndef BLUEHOOK_NO_DOUBLE
        {
            double d;
            if (bh_json_double(doc, tok, &d) == BH_OK) return bh_jw_double(w, d);
        }
#endif
        return bh_jw_raw(w, doc->src + t->start, t->len);
    case BH_JSON_TRUE: return bh_jw_bool(w, 1);
    case BH_JSON_FALSE: return bh_jw_bool(w, 0);
    default: return bh_jw_null(w);
    }
}

/* Write doc's root into a malloc'd buffer: typed (1) or with bh_jw_value. */
static char *write_doc(const bh_json *doc, int typed, int *len)
{
    bh_json_writer w;
    char *out;
    int n;
    bh_jw_init(&w, NULL, 0);
    if (typed) write_typed(&w, doc, 0, 0);
    else bh_jw_value(&w, doc, 0);
    n = bh_jw_finish(&w);
    if (n < 0) {
        *len = n;
        return NULL;
    }
    out = (char *)malloc((size_t)n + 1);
    bh_jw_init(&w, out, (size_t)n + 1);
    if (typed) write_typed(&w, doc, 0, 0);
    else bh_jw_value(&w, doc, 0);
    *len = bh_jw_finish(&w);
    return out;
}

/* ---- JSONTestSuite: one case per file ---- */

/* The decision for each i_ file (also the table in the header's manual):
   1 accepted, 0 rejected. */
static const struct {
    const char *file;
    int accept;
} i_decisions[] = {
    {"i_number_double_huge_neg_exp.json", 1},
    {"i_number_huge_exp.json", 1},
    {"i_number_neg_int_huge_exp.json", 1},
    {"i_number_pos_double_huge_exp.json", 1},
    {"i_number_real_neg_overflow.json", 1},
    {"i_number_real_pos_overflow.json", 1},
    {"i_number_real_underflow.json", 1},
    {"i_number_too_big_neg_int.json", 1},
    {"i_number_too_big_pos_int.json", 1},
    {"i_number_very_big_negative_int.json", 1},
    {"i_object_key_lone_2nd_surrogate.json", 1},
    {"i_string_1st_surrogate_but_2nd_missing.json", 1},
    {"i_string_1st_valid_surrogate_2nd_invalid.json", 1},
    {"i_string_UTF-16LE_with_BOM.json", 0},
    {"i_string_UTF-8_invalid_sequence.json", 0},
    {"i_string_UTF8_surrogate_U+D800.json", 0},
    {"i_string_incomplete_surrogate_and_escape_valid.json", 1},
    {"i_string_incomplete_surrogate_pair.json", 1},
    {"i_string_incomplete_surrogates_escape_valid.json", 1},
    {"i_string_invalid_lonely_surrogate.json", 1},
    {"i_string_invalid_surrogate.json", 1},
    {"i_string_invalid_utf-8.json", 0},
    {"i_string_inverted_surrogates_U+1D11E.json", 1},
    {"i_string_iso_latin_1.json", 0},
    {"i_string_lone_second_surrogate.json", 1},
    {"i_string_lone_utf8_continuation_byte.json", 0},
    {"i_string_not_in_unicode_range.json", 0},
    {"i_string_overlong_sequence_2_bytes.json", 0},
    {"i_string_overlong_sequence_6_bytes.json", 0},
    {"i_string_overlong_sequence_6_bytes_null.json", 0},
    {"i_string_truncated-utf-8.json", 0},
    {"i_string_utf16BE_no_BOM.json", 0},
    {"i_string_utf16LE_no_BOM.json", 0},
    {"i_structure_500_nested_arrays.json", 1},
    {"i_structure_UTF-8_BOM_empty_object.json", 0},
};

static const char *suite_file;

/* Everything an accepted document must satisfy: the measure-only parse
   agrees, a one-too-small array says BH_ESPACE with the count, tokens nest
   properly, and both ways of writing it back parse to the same JSON. */
static void check_accepted(const char *s, size_t n, const bh_json *doc)
{
    bh_json m, back;
    bh_json_tok *small, *btoks;
    size_t i;
    char *out;
    int len, typed;
    CHECK_EQ(bh_json_parse(&m, s, n, NULL, 0), BH_OK);
    CHECK_EQ(m.ntoks, doc->ntoks);
    if (doc->ntoks > 1) {
        small = (bh_json_tok *)malloc((doc->ntoks - 1) * sizeof *small);
        CHECK_EQ(bh_json_parse(&m, s, n, small, doc->ntoks - 1), BH_ESPACE);
        CHECK_EQ(m.ntoks, doc->ntoks);
        free(small);
    }
    CHECK_EQ(doc->toks[0].depth, 0);
    CHECK_EQ(doc->toks[0].next, doc->ntoks);
    for (i = 0; i < doc->ntoks; i++) {
        const bh_json_tok *t = &doc->toks[i];
        CHECK(t->next > i && t->next <= doc->ntoks);
        CHECK(t->start + t->len <= n);
        CHECK(t->type >= BH_JSON_OBJECT && t->type <= BH_JSON_NULL);
        if (t->type != BH_JSON_OBJECT && t->type != BH_JSON_ARRAY) CHECK_EQ(t->next, i + 1);
    }
    for (typed = 0; typed < 2; typed++) {
        out = write_doc(doc, typed, &len);
        CHECK(out != NULL && len >= 0);
        if (!out) continue;
        CHECK_EQ(parse_alloc(&back, out, (size_t)len, &btoks), BH_OK);
        /* typed, numbers go through doubles (or int64) */
        if (btoks) CHECK(same_json_as(doc, 0, &back, 0, typed));
        free(btoks);
        free(out);
    }
}

static void suite_case(void)
{
    char path[512];
    size_t n, i;
    char *s;
    bh_json doc, m;
    bh_json_tok *toks;
    int r, want = -1;
    snprintf(path, sizeof path, "%s/%s", SUITE_DIR, suite_file);
    s = read_file(path, &n);
    if (!s) {
        T_SKIP("cannot read the file");
        return;
    }
    r = parse_alloc(&doc, s, n, &toks);
    if (suite_file[0] == 'y') want = 1;
    if (suite_file[0] == 'n') want = 0;
    for (i = 0; i < sizeof i_decisions / sizeof i_decisions[0]; i++)
        if (strcmp(i_decisions[i].file, suite_file) == 0) want = i_decisions[i].accept;
    if (want < 0) {
        t_fail(__FILE__, __LINE__, "no decision documented for this i_ file");
    } else if (want) {
        CHECK_EQ(r, BH_OK);
        if (r == BH_OK) check_accepted(s, n, &doc);
    } else {
        size_t line = 0, col = 0;
        CHECK(r < 0 && r != BH_ESPACE);
        CHECK(doc.err_pos <= n);
        CHECK(strcmp(bh_json_reason(&doc), "ok") != 0);
        CHECK_EQ(bh_json_line_col(&doc, doc.err_pos, &line, &col), BH_OK);
        CHECK(line >= 1 && col >= 1);
        /* the measure-only parse finds the same error */
        CHECK_EQ(bh_json_parse(&m, s, n, NULL, 0), r);
        CHECK_EQ(m.err_pos, doc.err_pos);
    }
    free(toks);
    free(s);
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void run_suite(void)
{
    DIR *d = opendir(SUITE_DIR);
    struct dirent *e;
    char *names[1024];
    size_t n = 0, i;
    if (!d) {
        printf("FAIL json/jsontestsuite: cannot open %s\n", SUITE_DIR);
        t_failures++;
        return;
    }
    while ((e = readdir(d)) && n < 1024) {
        size_t l = strlen(e->d_name);
        if (l > 5 && strcmp(e->d_name + l - 5, ".json") == 0 &&
            (e->d_name[0] == 'y' || e->d_name[0] == 'n' || e->d_name[0] == 'i'))
            names[n++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof names[0], cmp_names);
    if (n < 300) {
        printf("FAIL json/jsontestsuite: only %u files\n", (unsigned)n);
        t_failures++;
    }
    for (i = 0; i < n; i++) {
        char label[300];
        suite_file = names[i];
        snprintf(label, sizeof label, "suite/%s", names[i]);
        t_run(label, suite_case);
        free(names[i]);
    }
}

/* ---- the real Blue delivery against Python's json module ---- */

/* Python lists every value of the file as one line: a JSON array of the
   RFC 6901 pointer and the value as Python reads it (strings unescaped,
   numbers by value), written back as JSON. */
static const char PY_POINTERS[] =
    "import json, sys\n"
    "def esc(k): return k.replace('~', '~0').replace('/', '~1')\n"
    "def walk(p, v):\n"
    "    print(json.dumps([p, v], ensure_ascii=False))\n"
    "    if isinstance(v, dict):\n"
    "        for k, x in v.items(): walk(p + '/' + esc(k), x)\n"
    "    elif isinstance(v, list):\n"
    "        for i, x in enumerate(v): walk(p + '/' + str(i), x)\n"
    "walk('', json.load(open(sys.argv[1], encoding='utf-8')))\n";

static int have_python(void)
{
    return system("python3 -c 'import json' >/dev/null 2>&1") == 0;
}

/* Run a Python script with arguments; returns its output (malloc'd). */
static char *python_output(const char *script, const char *args, size_t *len)
{
    char path[] = "/tmp/bh_json_pyXXXXXX", cmd[1200];
    int fd = mkstemp(path);
    FILE *p;
    char *out = NULL;
    size_t cap = 0, n = 0, got;
    if (fd < 0) return NULL;
    if (write(fd, script, strlen(script)) != (ssize_t)strlen(script)) {
        close(fd);
        unlink(path);
        return NULL;
    }
    close(fd);
    snprintf(cmd, sizeof cmd, "python3 %s %s", path, args);
    p = popen(cmd, "r");
    if (p) {
        for (;;) {
            if (n + 4096 > cap) {
                char *b = (char *)realloc(out, cap = cap * 2 + 65536);
                if (!b) break;
                out = b;
            }
            got = fread(out + n, 1, cap - n - 1, p);
            if (!got) break;
            n += got;
        }
        if (pclose(p) != 0) {
            free(out);
            out = NULL;
        }
    }
    unlink(path);
    if (out) out[n] = '\0';
    *len = n;
    return out;
}

/* Compare every pointer of a file with what Python read there. */
static void check_against_python(const char *file)
{
    char path[256], *src, *lines, *line, *nl;
    size_t n, ln, count = 0;
    bh_json doc;
    bh_json_tok *toks;
    snprintf(path, sizeof path, "%s/%s", BLUE_DIR, file);
    src = read_file(path, &n);
    if (!src) {
        t_fail(__FILE__, __LINE__, "cannot read the payload");
        return;
    }
    lines = python_output(PY_POINTERS, path, &ln);
    if (!lines) {
        t_fail(__FILE__, __LINE__, "python3 failed");
        free(src);
        return;
    }
    CHECK_EQ(parse_alloc(&doc, src, n, &toks), BH_OK);
    for (line = lines; toks && *line; line = nl + 1) {
        bh_json exp;
        bh_json_tok et[4096];
        char ptr[512];
        int p, want, got, k;
        nl = strchr(line, '\n');
        if (!nl) break;
        CHECK_EQ(bh_json_parse(&exp, line, (size_t)(nl - line), et, 4096), BH_OK);
        p = bh_json_index(&exp, 0, 0);
        want = bh_json_index(&exp, 0, 1);
        k = bh_json_string(&exp, p, ptr, sizeof ptr);
        CHECK(k >= 0);
        if (k < 0) continue;
        got = bh_json_get(&doc, 0, ptr);
        CHECK(got >= 0);
        if (got < 0) continue;
        CHECK_EQ(bh_json_get_n(&doc, 0, ptr, (size_t)k), got);
        CHECK_EQ(bh_json_type_of(&doc, got), bh_json_type_of(&exp, want));
        switch (bh_json_type_of(&exp, want)) {
        case BH_JSON_STRING: {
            char a[2048], b[2048];
            int la = bh_json_string(&doc, got, a, sizeof a);
            int lb = bh_json_string(&exp, want, b, sizeof b);
            CHECK(la >= 0 && la == lb && memcmp(a, b, (size_t)la) == 0);
            CHECK_EQ(bh_json_strings_equal(&doc, got, &exp, want), 1);
            CHECK_EQ(bh_json_string_eq(&doc, got, b, (size_t)lb), 1);
            break;
        }
        case BH_JSON_NUMBER: {
            size_t al = 0, bl = 0;
            const char *a = bh_json_raw(&doc, got, &al), *b = bh_json_raw(&exp, want, &bl);
            int order = 9;
            CHECK_EQ(bh_json_number_cmp(a, al, b, bl, &order), BH_OK);
            CHECK_EQ(order, 0);
#ifndef BLUEHOOK_NO_DOUBLE
            {
                double da = 0, db = 1;
                CHECK_EQ(bh_json_double(&doc, got, &da), BH_OK);
                CHECK_EQ(bh_json_double(&exp, want, &db), BH_OK);
                CHECK(da == db);
            }
#endif
            break;
        }
        case BH_JSON_OBJECT:
        case BH_JSON_ARRAY:
            CHECK_EQ(bh_json_count(&doc, got), bh_json_count(&exp, want));
            break;
        default:
            break;
        }
        count++;
    }
    CHECK(count > 10);
    free(toks);
    free(lines);
    free(src);
}

static void blue_min_vs_python(void)
{
    if (!have_python()) {
        T_SKIP("python3 not found (it computes the expected values)");
        return;
    }
    check_against_python("todo_created.min.json");
}

static void blue_pretty_vs_python(void)
{
    if (!have_python()) {
        T_SKIP("python3 not found (it computes the expected values)");
        return;
    }
    check_against_python("todo_created.json");
    check_against_python("docs_todo_done_status_updated.json");
    check_against_python("docs_webhook_health_check.json");
}

/* The two documents of the real delivery parse to the same JSON. */
static void blue_pretty_equals_min(void)
{
    size_t n1, n2;
    char *a = read_file(BLUE_DIR "/todo_created.min.json", &n1);
    char *b = read_file(BLUE_DIR "/todo_created.json", &n2);
    bh_json da, db;
    bh_json_tok *ta, *tb;
    CHECK(a && b);
    if (!a || !b) return;
    CHECK_EQ(parse_alloc(&da, a, n1, &ta), BH_OK);
    CHECK_EQ(parse_alloc(&db, b, n2, &tb), BH_OK);
    CHECK_EQ(da.ntoks, db.ntoks);
    CHECK(same_json(&da, 0, &db, 0));
    CHECK_EQ(bh_json_get(&da, 0, "/previousValue"), BH_ENOTFOUND);
    free(ta);
    free(tb);
    free(a);
    free(b);
}

/* ---- pointers and accessors ---- */

static void pointers(void)
{
    static const char s[] =
        "{\"a\":{\"b\":[10,20,{\"c\":true}]},\"a/b\":1,\"m~n\":2,\"\":3,"
        "\"dup\":1,\"x\":null,\"dup\":2,\"esc\\u0061ped\":\"yes\",\" \":4,"
        "\"arr\":[],\"obj\":{},\"k\\\"q\":5,\"01\":6}";
    bh_json doc;
    bh_json_tok t[64];
    int64_t v;
    int r;
    CHECK_EQ(parse_str(&doc, s, t, 64), BH_OK);
    CHECK_EQ(bh_json_get(&doc, 0, ""), 0);
    CHECK_EQ(bh_json_type_of(&doc, bh_json_get(&doc, 0, "/a")), BH_JSON_OBJECT);
    CHECK_EQ(bh_json_type_of(&doc, bh_json_get(&doc, 0, "/a/b")), BH_JSON_ARRAY);
    CHECK_EQ(bh_json_int64(&doc, bh_json_get(&doc, 0, "/a/b/1"), &v), BH_OK);
    CHECK_EQ(v, 20);
    CHECK_EQ(bh_json_type_of(&doc, bh_json_get(&doc, 0, "/a/b/2/c")), BH_JSON_TRUE);
    CHECK_EQ(bh_json_int64(&doc, bh_json_get(&doc, 0, "/a~1b"), &v), BH_OK);
    CHECK_EQ(v, 1);
    CHECK_EQ(bh_json_int64(&doc, bh_json_get(&doc, 0, "/m~0n"), &v), BH_OK);
    CHECK_EQ(v, 2);
    CHECK_EQ(bh_json_int64(&doc, bh_json_get(&doc, 0, "/"), &v), BH_OK);
    CHECK_EQ(v, 3);
    CHECK_EQ(bh_json_int64(&doc, bh_json_get(&doc, 0, "/ "), &v), BH_OK);
    CHECK_EQ(v, 4);
    /* a repeated key resolves to the last occurrence */
    CHECK_EQ(bh_json_int64(&doc, bh_json_get(&doc, 0, "/dup"), &v), BH_OK);
    CHECK_EQ(v, 2);
    CHECK_EQ(bh_json_int64(&doc, bh_json_member(&doc, 0, "dup", 3), &v), BH_OK);
    CHECK_EQ(v, 2);
    /* keys compare after unescaping */
    CHECK(bh_json_get(&doc, 0, "/escaped") > 0);
    CHECK_EQ(bh_json_get(&doc, 0, "/esc\\u0061ped"), BH_ENOTFOUND);
    CHECK(bh_json_get(&doc, 0, "/k\"q") > 0);
    /* "01" is a key of an object, but not an index of an array */
    CHECK(bh_json_get(&doc, 0, "/01") > 0);
    CHECK_EQ(bh_json_get(&doc, 0, "/a/b/01"), BH_ENOTFOUND);
    CHECK_EQ(bh_json_get(&doc, 0, "/a/b/3"), BH_ENOTFOUND);
    CHECK_EQ(bh_json_get(&doc, 0, "/a/b/-"), BH_ENOTFOUND);
    CHECK_EQ(bh_json_get(&doc, 0, "/a/b/1x"), BH_ENOTFOUND);
    CHECK_EQ(bh_json_get(&doc, 0, "/a/b/"), BH_ENOTFOUND);
    CHECK_EQ(bh_json_get(&doc, 0, "/a/b/99999999999999999999999"), BH_ENOTFOUND);
    CHECK_EQ(bh_json_get(&doc, 0, "/arr/0"), BH_ENOTFOUND);
    CHECK_EQ(bh_json_get(&doc, 0, "/obj/x"), BH_ENOTFOUND);
    CHECK_EQ(bh_json_get(&doc, 0, "/x/y"), BH_ENOTFOUND);
    CHECK_EQ(bh_json_get(&doc, 0, "/a/b/1/z"), BH_ENOTFOUND);
    CHECK_EQ(bh_json_get(&doc, 0, "/nope"), BH_ENOTFOUND);
    /* malformed pointers */
    CHECK_EQ(bh_json_get(&doc, 0, "a"), BH_EPOINTER);
    CHECK_EQ(bh_json_get(&doc, 0, "/m~2n"), BH_EPOINTER);
    CHECK_EQ(bh_json_get(&doc, 0, "/m~"), BH_EPOINTER);
    CHECK_EQ(bh_json_get(&doc, 0, "/nope/~"), BH_EPOINTER);
    /* relative to a token, counted, and bad arguments */
    r = bh_json_get(&doc, 0, "/a");
    CHECK_EQ(bh_json_get(&doc, r, "/b/0"), bh_json_get(&doc, 0, "/a/b/0"));
    CHECK_EQ(bh_json_get_n(&doc, 0, "/a/bXX", 4), bh_json_get(&doc, 0, "/a/b"));
    CHECK_EQ(bh_json_get(&doc, -1, ""), BH_EINVAL);
    CHECK_EQ(bh_json_get(&doc, (int)doc.ntoks, ""), BH_EINVAL);
    CHECK_EQ(bh_json_get(&doc, 0, NULL), BH_EINVAL);
    CHECK_EQ(bh_json_get(NULL, 0, ""), BH_EINVAL);
    CHECK_EQ(bh_json_member(&doc, bh_json_get(&doc, 0, "/arr"), "a", 1), BH_EINVAL);
    CHECK_EQ(bh_json_index(&doc, 0, 0), BH_EINVAL);
}

static void strings(void)
{
    static const char s[] =
        "[\"plain\",\"a\\\"b\\\\c\\/d\\be\\ff\\ng\\rh\\ti\",\"\\u00e9\\u20AC\","
        "\"\\ud83d\\ude80\",\"\\ud800x\",\"\\udc00\",\"\\ud800\\ud800\",\"nul\\u0000.\","
        "\"caf\xc3\xa9 \xf0\x9f\x9a\x80\",\"\",\"\\ud83d\"]";
    static const struct {
        const char *text;
        size_t len;
    } want[] = {
        {"plain", 5},
        {"a\"b\\c/d\be\ff\ng\rh\ti", 17},
        {"\xc3\xa9\xe2\x82\xac", 5},
        {"\xf0\x9f\x9a\x80", 4},
        {"\xef\xbf\xbdx", 4},
        {"\xef\xbf\xbd", 3},
        {"\xef\xbf\xbd\xef\xbf\xbd", 6},
        {"nul\0.", 5},
        {"caf\xc3\xa9 \xf0\x9f\x9a\x80", 10},
        {"", 0},
        {"\xef\xbf\xbd", 3},
    };
    bh_json doc;
    bh_json_tok t[32];
    char out[64];
    int i, k, n;
    CHECK_EQ(parse_str(&doc, s, t, 32), BH_OK);
    for (i = 0, k = bh_json_child(&doc, 0); k >= 0; i++, k = bh_json_next(&doc, 0, k)) {
        size_t raw = 0;
        bh_json_raw(&doc, k, &raw);
        n = bh_json_string(&doc, k, out, sizeof out);
        CHECK_EQ(n, (int)want[i].len);
        CHECK(n >= 0 && memcmp(out, want[i].text, (size_t)n) == 0 && out[n] == '\0');
        CHECK_EQ(bh_json_string_eq(&doc, k, want[i].text, want[i].len), 1);
        if (want[i].len)
            CHECK_EQ(bh_json_string_eq(&doc, k, want[i].text, want[i].len - 1), 0);
        CHECK_EQ(bh_json_string_eq(&doc, k, "zzzzzzzzzzzzzzzzzzzzzzzzzzz", 27), 0);
        CHECK_EQ(bh_json_strings_equal(&doc, k, &doc, k), 1);
        /* raw length - 1 is always enough room; one byte less than the
           exact need is not, and nothing is written past cap */
        CHECK_EQ(bh_json_string(&doc, k, out, raw - 1), n);
        memset(out, 'x', sizeof out);
        CHECK_EQ(bh_json_string(&doc, k, out, (size_t)n), BH_ESPACE);
        if (n) CHECK_EQ(out[0], '\0');
        CHECK_EQ(out[n], 'x');
        CHECK_EQ(bh_json_string(&doc, k, out, (size_t)n + 1), n);
    }
    CHECK_EQ(i, 11);
    /* escaped and plain forms of one string are equal */
    {
        bh_json d2;
        bh_json_tok t2[4];
        CHECK_EQ(parse_str(&d2, "[\"\\u0070lain\",\"pl\\u0061in\",\"\\u00e9\"]", t2, 4), BH_OK);
        CHECK_EQ(bh_json_strings_equal(&d2, 1, &doc, 1), 1);
        CHECK_EQ(bh_json_strings_equal(&doc, 1, &d2, 1), 1);
        CHECK_EQ(bh_json_strings_equal(&d2, 1, &d2, 2), 1);
        CHECK_EQ(bh_json_strings_equal(&d2, 1, &doc, 2), 0);
        CHECK_EQ(bh_json_strings_equal(&d2, 3, &doc, 3), 0);
        CHECK_EQ(bh_json_strings_equal(&d2, 0, &doc, 1), BH_EINVAL);
    }
    CHECK_EQ(bh_json_string(&doc, 0, out, sizeof out), BH_EINVAL);
    CHECK_EQ(bh_json_string(&doc, 1, NULL, 4), BH_EINVAL);
    CHECK_EQ(bh_json_string(&doc, 1, NULL, 0), BH_ESPACE);
    CHECK_EQ(bh_json_string_eq(&doc, 0, "", 0), BH_EINVAL);
}

static void literals_and_iteration(void)
{
    static const char s[] = " { \"t\" : true , \"f\":false,\"n\":null,\"a\":[1,[2,3],{\"x\":4},5],"
                            "\"o\":{\"p\":{\"q\":[]}}} ";
    bh_json doc;
    bh_json_tok t[32];
    int b = 7, a, k, n, keys[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    size_t len;
    const char *raw;
    CHECK_EQ(parse_str(&doc, s, t, 32), BH_OK);
    CHECK_EQ(bh_json_bool(&doc, bh_json_get(&doc, 0, "/t"), &b), BH_OK);
    CHECK_EQ(b, 1);
    CHECK_EQ(bh_json_bool(&doc, bh_json_get(&doc, 0, "/f"), &b), BH_OK);
    CHECK_EQ(b, 0);
    CHECK_EQ(bh_json_bool(&doc, bh_json_get(&doc, 0, "/n"), &b), BH_EINVAL);
    CHECK_EQ(bh_json_is_null(&doc, bh_json_get(&doc, 0, "/n")), 1);
    CHECK_EQ(bh_json_is_null(&doc, bh_json_get(&doc, 0, "/f")), 0);
    CHECK_EQ(bh_json_is_null(&doc, -5), 0);
    CHECK_EQ(bh_json_count(&doc, 0), 5);
    a = bh_json_get(&doc, 0, "/a");
    CHECK_EQ(bh_json_count(&doc, a), 4);
    CHECK_EQ(bh_json_count(&doc, bh_json_get(&doc, 0, "/o/p/q")), 0);
    CHECK_EQ(bh_json_child(&doc, bh_json_get(&doc, 0, "/o/p/q")), BH_ENOTFOUND);
    CHECK_EQ(bh_json_count(&doc, bh_json_get(&doc, 0, "/t")), BH_EINVAL);
    CHECK_EQ(bh_json_child(&doc, bh_json_get(&doc, 0, "/t")), BH_EINVAL);
    /* elements, skipping nested containers in one step */
    n = 0;
    for (k = bh_json_child(&doc, a); k >= 0; k = bh_json_next(&doc, a, k)) keys[n++] = k;
    CHECK_EQ(n, 4);
    CHECK_EQ(keys[1], bh_json_index(&doc, a, 1));
    CHECK_EQ(keys[3], bh_json_index(&doc, a, 3));
    CHECK_EQ(bh_json_index(&doc, a, 4), BH_ENOTFOUND);
    raw = bh_json_raw(&doc, keys[1], &len);
    CHECK(raw && len == 5 && memcmp(raw, "[2,3]", 5) == 0);
    raw = bh_json_raw(&doc, keys[2], &len);
    CHECK(raw && len == 7 && memcmp(raw, "{\"x\":4}", 7) == 0);
    /* members: key tokens, the value right after */
    n = 0;
    for (k = bh_json_child(&doc, 0); k >= 0; k = bh_json_next(&doc, 0, k)) {
        CHECK(t[k].flags & BH_JSON_FKEY);
        keys[n++] = k;
    }
    CHECK_EQ(n, 5);
    CHECK_EQ(bh_json_string_eq(&doc, keys[3], "a", 1), 1);
    CHECK_EQ(keys[3] + 1, a);
    /* next() refuses what is not a child of the container */
    CHECK_EQ(bh_json_next(&doc, 0, a), BH_EINVAL);
    CHECK_EQ(bh_json_next(&doc, a, keys[0]), BH_EINVAL);
    CHECK_EQ(bh_json_next(&doc, a, bh_json_get(&doc, 0, "/a/1/0")), BH_EINVAL);
    raw = bh_json_raw(&doc, 0, &len);
    CHECK(raw == s + 1 && len == strlen(s) - 2);
    CHECK(bh_json_raw(&doc, 99, &len) == NULL);
    CHECK_EQ(bh_json_type_of(&doc, 99), BH_EINVAL);
    CHECK_EQ(t[a].depth, 1);
    CHECK_EQ(t[bh_json_get(&doc, 0, "/o/p/q")].depth, 3);
}

/* ---- numbers ---- */

static int parse_number(bh_json *doc, bh_json_tok *t, const char *text)
{
    return bh_json_parse(doc, text, strlen(text), t, 4);
}

static void integers(void)
{
    static const struct {
        const char *text;
        int r;
        long long v;
    } cases[] = {
        {"0", BH_OK, 0},
        {"-0", BH_OK, 0},
        {"42", BH_OK, 42},
        {"-42", BH_OK, -42},
        {"9223372036854775807", BH_OK, 9223372036854775807ll},
        {"-9223372036854775808", BH_OK, -9223372036854775807ll - 1},
        {"9223372036854775808", BH_ENUMBER, 0},
        {"-9223372036854775809", BH_ENUMBER, 0},
        {"18446744073709551616", BH_ENUMBER, 0},
        {"1e19", BH_ENUMBER, 0},
        {"1e400", BH_ENUMBER, 0},
        {"1.0", BH_OK, 1},
        {"1.500e1", BH_OK, 15},
        {"1e3", BH_OK, 1000},
        {"1E+2", BH_OK, 100},
        {"12300e-2", BH_OK, 123},
        {"0.0000e5", BH_OK, 0},
        {"0e999999999999999999999", BH_OK, 0},
        {"100000000000000000000e-2", BH_OK, 1000000000000000000ll},
        {"922337203685477580.7e1", BH_OK, 9223372036854775807ll},
        {"1.5", BH_ENOTINT, 0},
        {"1e-1", BH_ENOTINT, 0},
        {"-0.5", BH_ENOTINT, 0},
        {"1e-99999999999999999999", BH_ENOTINT, 0},
        {"123456789012345678901234567890e-10", BH_ENOTINT, 0},
    };
    size_t i;
    bh_json doc;
    bh_json_tok t[4];
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int64_t v = 77;
        CHECK_EQ(parse_number(&doc, t, cases[i].text), BH_OK);
        CHECK_EQ(bh_json_int64(&doc, 0, &v), cases[i].r);
        if (cases[i].r == BH_OK) CHECK_EQ(v, cases[i].v);
    }
    {
        uint64_t u = 0;
        CHECK_EQ(parse_number(&doc, t, "18446744073709551615"), BH_OK);
        CHECK_EQ(bh_json_uint64(&doc, 0, &u), BH_OK);
        CHECK(u == UINT64_MAX);
        CHECK_EQ(parse_number(&doc, t, "18446744073709551616"), BH_OK);
        CHECK_EQ(bh_json_uint64(&doc, 0, &u), BH_ENUMBER);
        CHECK_EQ(parse_number(&doc, t, "-1"), BH_OK);
        CHECK_EQ(bh_json_uint64(&doc, 0, &u), BH_ENUMBER);
        CHECK_EQ(parse_number(&doc, t, "-0.0"), BH_OK);
        CHECK_EQ(bh_json_uint64(&doc, 0, &u), BH_OK);
        CHECK(u == 0);
        CHECK_EQ(parse_number(&doc, t, "\"1\""), BH_OK);
        CHECK_EQ(bh_json_uint64(&doc, 0, &u), BH_EINVAL);
        CHECK_EQ(bh_json_int64(&doc, 0, NULL), BH_EINVAL);
    }
}

static void number_compare(void)
{
    static const struct {
        const char *a, *b;
        int order;
    } cases[] = {
        {"1", "1.0", 0},      {"1.5", "15e-1", 0},  {"-0", "0", 0},
        {"0", "0.000e99", 0}, {"1", "2", -1},       {"-1", "1", -1},
        {"-2", "-1", -1},     {"10", "9.99", 1},    {"1e2", "99", 1},
        {"1e-2", "0.01", 0},  {"0.1", "0.10000000000000000000000001", -1},
        {"123456789012345678901234567890", "123456789012345678901234567891", -1},
        {"5", "-5", 1},       {"0", "-1e-400", 1},  {"1e400", "1e399", 1},
        {"-1e400", "-1e399", -1},
    };
    size_t i;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int o = 9;
        CHECK_EQ(bh_json_number_cmp(cases[i].a, strlen(cases[i].a), cases[i].b,
                                    strlen(cases[i].b), &o), BH_OK);
        CHECK_EQ(o, cases[i].order);
        CHECK_EQ(bh_json_number_cmp(cases[i].b, strlen(cases[i].b), cases[i].a,
                                    strlen(cases[i].a), &o), BH_OK);
        CHECK_EQ(o, -cases[i].order);
    }
    CHECK_EQ(bh_json_number_cmp("1", 1, "01", 2, NULL), BH_ENUMBER);
    CHECK_EQ(bh_json_number_cmp("1 ", 2, "1", 1, NULL), BH_ENUMBER);
    CHECK_EQ(bh_json_number_cmp("", 0, "1", 1, NULL), BH_ENUMBER);
    CHECK_EQ(bh_json_number_cmp("1", 1, "+1", 2, NULL), BH_ENUMBER);
}

#ifndef BLUEHOOK_NO_DOUBLE
/* bh_json_double against glibc's strtod (correctly rounded) on a text. */
static int double_matches_strtod(const char *text)
{
    bh_json doc;
    bh_json_tok t[2];
    double got = 0, want;
    uint64_t a, b;
    int r;
    if (bh_json_parse(&doc, text, strlen(text), t, 2) != BH_OK) return 0;
    r = bh_json_double(&doc, 0, &got);
    errno = 0;
    want = strtod(text, NULL);
    memcpy(&a, &got, 8);
    memcpy(&b, &want, 8);
    if (a != b) return 0;
    if (want == HUGE_VAL || want == -HUGE_VAL) return r == BH_ENUMBER;
    return r == BH_OK;
}

static void doubles_known(void)
{
    static const char *const cases[] = {
        "0", "-0", "1", "0.1", "0.3", "1e23", "8.98846567431158e307",
        "1.7976931348623157e308", "1.7976931348623158e308", "1.7976931348623159e308",
        "1e309", "-1e309", "2.2250738585072011e-308", "2.2250738585072012e-308",
        "2.2250738585072014e-308", "4.9406564584124654e-324", "2.4703282292062327e-324",
        "2.4703282292062328e-324", "1e-400", "9007199254740993", "9007199254740992.5",
        "9007199254740993.0000000000000000000000000000001", "123456789012345678901234567890",
        "0.000000000000000000000000000000000000000000001", "3.14159265358979323846264338327950288",
        "1e22", "1e-22", "123e20", "4503599627370496.5", "4503599627370497.5",
        "6.02214076e23", "32767.5", "131070", "1.5e-5", "2e-1074",
        "7.2057594037927933e16", "1448997445238699", "0.000123456789e-300",
    };
    size_t i;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        if (!double_matches_strtod(cases[i])) {
            char m[200];
            snprintf(m, sizeof m, "bh_json_double(\"%s\") differs from strtod", cases[i]);
            t_fail(__FILE__, __LINE__, m);
        }
    }
}

/* Random decimal texts: short and long mantissas, every exponent range,
   halfway cases made from a double's exact midpoint. */
static void doubles_random(void)
{
    char text[1200];
    int i, bad = 0;
    t_rng_state = 0x1234567890abcdefull;
    for (i = 0; i < 60000; i++) {
        unsigned kind = t_rand() % 4, j, nd, dot = 0;
        size_t o = 0;
        if (t_rand() & 1) text[o++] = '-';
        if (kind == 3) { /* near a midpoint: print a double with 25 digits */
            double d;
            uint64_t bits = ((uint64_t)t_rand() << 32 | t_rand()) & 0x7fefffffffffffffull;
            memcpy(&d, &bits, 8);
            o += (size_t)snprintf(text + o, sizeof text - o, "%.25e", d);
            /* nudge the 17th digit onwards to a 5000... tail */
            if (o > 20) {
                char *e = strchr(text, 'e');
                char *pt = strchr(text, '.');
                if (e && pt && e - pt > 18) {
                    pt[17] = '5';
                    for (j = 18; pt + j < e; j++) pt[j] = '0';
                }
            }
        } else {
            nd = kind == 0 ? 1 + t_rand() % 8 : kind == 1 ? 15 + t_rand() % 6 : 20 + t_rand() % 900;
            text[o++] = (char)('1' + t_rand() % 9);
            for (j = 1; j < nd; j++) {
                if (!dot && j == 1 + t_rand() % 4) {
                    text[o++] = '.';
                    dot = 1;
                }
                text[o++] = (char)('0' + t_rand() % 10);
            }
            o += (size_t)snprintf(text + o, sizeof text - o, "e%d",
                                  (int)(t_rand() % 700) - 350);
        }
        text[o] = '\0';
        if (!double_matches_strtod(text) && bad++ < 3) {
            char m[300];
            snprintf(m, sizeof m, "bh_json_double(\"%.200s\") differs from strtod", text);
            t_fail(__FILE__, __LINE__, m);
        }
    }
}
#endif

/* ---- errors, positions, capacity, depth ---- */

static void errors_and_positions(void)
{
    static const struct {
        const char *text;
        size_t len; /* 0: strlen */
        int code;
        size_t pos;
        const char *reason; /* NULL: not checked */
    } cases[] = {
        {"", 0, BH_EINCOMPLETE, 0, "a value is missing"},
        {"   ", 0, BH_EINCOMPLETE, 3, NULL},
        {"[", 0, BH_EINCOMPLETE, 1, NULL},
        {"[1", 0, BH_EINCOMPLETE, 2, "unclosed array"},
        {"[1,", 0, BH_EINCOMPLETE, 3, NULL},
        {"{\"a\"", 0, BH_EINCOMPLETE, 4, "unclosed object"},
        {"{\"a\":", 0, BH_EINCOMPLETE, 5, NULL},
        {"\"abc", 0, BH_EINCOMPLETE, 4, "unterminated string"},
        {"\"ab\\", 0, BH_EINCOMPLETE, 3, NULL},
        {"\"\\u12", 0, BH_EINCOMPLETE, 1, NULL},
        {"\"\xc3", 0, BH_EINCOMPLETE, 1, NULL},
        {"tru", 0, BH_EINCOMPLETE, 3, "truncated literal"},
        {"-", 0, BH_EINCOMPLETE, 1, NULL},
        {"1.", 0, BH_EINCOMPLETE, 2, NULL},
        {"1e+", 0, BH_EINCOMPLETE, 3, NULL},
        {"[1.]", 0, BH_ENUMBER, 3, "digit expected in a number"},
        {"01", 0, BH_ENUMBER, 0, "leading zero in a number"},
        {"[-01]", 0, BH_ENUMBER, 2, "leading zero in a number"},
        {"[1e+x]", 0, BH_ENUMBER, 4, NULL},
        {"[-a]", 0, BH_ENUMBER, 2, NULL},
        {"[.5]", 0, BH_ESYNTAX, 1, "a value is expected here"},
        {"[+1]", 0, BH_ESYNTAX, 1, NULL},
        {"[1,]", 0, BH_ESYNTAX, 3, NULL},
        {"{\"a\":1,}", 0, BH_ESYNTAX, 7, "a string key is expected"},
        {"{\"a\" 1}", 0, BH_ESYNTAX, 5, "':' expected after a key"},
        {"{1:1}", 0, BH_ESYNTAX, 1, NULL},
        {"[1 2]", 0, BH_ESYNTAX, 3, "',' or ']' expected"},
        {"[1}", 0, BH_ESYNTAX, 2, NULL},
        {"{\"a\":1]", 0, BH_ESYNTAX, 6, "',' or '}' expected"},
        {"[truex]", 0, BH_ESYNTAX, 5, NULL},
        {"[nul]", 0, BH_ESYNTAX, 1, "invalid literal"},
        {"1 2", 0, BH_ETRAILING, 2, "bytes after the document"},
        {"{} x", 0, BH_ETRAILING, 3, NULL},
        {"[1]\0", 4, BH_ETRAILING, 3, NULL},
        {"\0", 1, BH_ESYNTAX, 0, NULL},
        {"\"a\x01z\"", 0, BH_ESYNTAX, 2, "control character in a string"},
        {"\"a\0z\"", 5, BH_ESYNTAX, 2, NULL},
        {"\"\\x\"", 0, BH_ESYNTAX, 1, "invalid escape"},
        {"\"\\u12G4\"", 0, BH_ESYNTAX, 1, "\\u needs four hex digits"},
        {"\"\xff\"", 0, BH_EUTF8, 1, "byte that is never UTF-8"},
        {"\"\xc3\"", 0, BH_EUTF8, 1, "truncated UTF-8 sequence"},
        {"\"\xed\xa0\x80\"", 0, BH_EUTF8, 1, "surrogate encoded in UTF-8"},
        {"\"\xf4\x90\x80\x80\"", 0, BH_EUTF8, 1, "UTF-8 above U+10FFFF"},
        {"\"\xe0\x80\x80\"", 0, BH_EUTF8, 1, "overlong UTF-8 form"},
        {"\"\xf0\x80\x80\x80\"", 0, BH_EUTF8, 1, "overlong UTF-8 form"},
        {"\"ok\xc0\x80\"", 0, BH_EUTF8, 3, "overlong UTF-8 form"},
        {"\"\x80\"", 0, BH_EUTF8, 1, "UTF-8 continuation byte without a lead byte"},
        {"\xef\xbb\xbf{}", 0, BH_ESYNTAX, 0, "byte order mark before the document"},
        /* past the first 16-byte block, so found by the SIMD scan */
        {"\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\xff\"", 0, BH_EUTF8, 41, NULL},
        {"\"aaaaaaaaaaaaaaaaaaaa\xc3\xa9" "aaaaaaaaaaaaaaaaaa\xe2\x82\"", 0, BH_EUTF8, 41, NULL},
        {"\"aaaaaaaaaaaaaaaaaaaa\x01\xff\"", 0, BH_ESYNTAX, 21, NULL},
        {"\"aaaaaaaaaaaaaaaaaaaa\xff\x01\"", 0, BH_EUTF8, 21, NULL},
        {"[\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\\q\"]", 0, BH_ESYNTAX, 44, NULL},
        {"[\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 0, BH_EINCOMPLETE, 46, NULL},
    };
    size_t i;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t len = cases[i].len ? cases[i].len : strlen(cases[i].text);
        bh_json doc, m;
        bh_json_tok t[16];
        int r = bh_json_parse(&doc, cases[i].text, len, t, 16);
        if (r != cases[i].code || doc.err_pos != cases[i].pos ||
            (cases[i].reason && strcmp(bh_json_reason(&doc), cases[i].reason) != 0)) {
            char msg[300];
            snprintf(msg, sizeof msg, "case %u: got %d at %u (%s), want %d at %u",
                     (unsigned)i, r, (unsigned)doc.err_pos, bh_json_reason(&doc),
                     cases[i].code, (unsigned)cases[i].pos);
            t_fail(__FILE__, __LINE__, msg);
        }
        CHECK_EQ(doc.ntoks, 0);
        CHECK(bh_json_get(&doc, 0, "") == BH_EINVAL);
        /* the measure-only parse agrees */
        CHECK_EQ(bh_json_parse(&m, cases[i].text, len, NULL, 0), cases[i].code);
        CHECK_EQ(m.err_pos, cases[i].pos);
    }
}

static void line_and_column(void)
{
    static const char s[] = "{\n  \"a\": 1,\n  \"\xc3\xa9\": x\n}";
    bh_json doc;
    bh_json_tok t[8];
    size_t line = 0, col = 0;
    CHECK_EQ(parse_str(&doc, s, t, 8), BH_ESYNTAX);
    CHECK_EQ(doc.err_pos, 20);
    CHECK_EQ(bh_json_line_col(&doc, doc.err_pos, &line, &col), BH_OK);
    CHECK_EQ(line, 3);
    CHECK_EQ(col, 8); /* 'x' is the 8th character of its line */
    CHECK_EQ(bh_json_line_col(&doc, 0, &line, &col), BH_OK);
    CHECK(line == 1 && col == 1);
    CHECK_EQ(bh_json_line_col(&doc, strlen(s), &line, &col), BH_OK);
    CHECK(line == 4 && col == 2);
    CHECK_EQ(bh_json_line_col(&doc, strlen(s) + 1, &line, &col), BH_EINVAL);
    CHECK_EQ(bh_json_line_col(NULL, 0, &line, &col), BH_EINVAL);
}

static void capacity(void)
{
    bh_json doc;
    bh_json_tok t[8];
    static const char s[] = "[1,{\"a\":[]},\"x\"]"; /* 6 tokens */
    CHECK_EQ(parse_str(&doc, s, t, 8), BH_OK);
    CHECK_EQ(doc.ntoks, 6);
    CHECK_EQ(parse_str(&doc, s, t, 6), BH_OK);
    CHECK_EQ(doc.ntoks, 6);
    CHECK_EQ(parse_str(&doc, s, t, 5), BH_ESPACE);
    CHECK_EQ(doc.ntoks, 6);
    CHECK_EQ(bh_json_get(&doc, 0, ""), BH_EINVAL); /* no tokens to read */
    CHECK_EQ(parse_str(&doc, s, t, 1), BH_ESPACE);
    CHECK_EQ(doc.ntoks, 6);
    CHECK_EQ(parse_str(&doc, s, t, 0), BH_ESPACE);
    CHECK_EQ(doc.ntoks, 6);
    CHECK_EQ(parse_str(&doc, s, NULL, 0), BH_OK);
    CHECK_EQ(doc.ntoks, 6);
    CHECK_EQ(parse_str(&doc, s, NULL, 3), BH_EINVAL);
    /* an invalid document says so, even when the tokens ran out first */
    CHECK_EQ(parse_str(&doc, "[1,2,3,4,5,]", t, 2), BH_ESYNTAX);
    CHECK_EQ(doc.err_pos, 11);
    CHECK_EQ(bh_json_parse(&doc, NULL, 0, t, 8), BH_EINCOMPLETE);
    CHECK_EQ(bh_json_parse(&doc, NULL, 1, t, 8), BH_EINVAL);
    CHECK_EQ(bh_json_parse(NULL, s, 3, t, 8), BH_EINVAL);
    /* never reads a byte of an input over the limit */
    CHECK_EQ(bh_json_parse(&doc, s, (size_t)INT_MAX + 1, t, 8), BH_ETOOBIG);
    /* tokens are 16 bytes whatever the configuration */
    CHECK_EQ(sizeof(bh_json_tok), 16);
}

static void depth_limit(void)
{
    size_t d = BLUEHOOK_JSON_MAX_DEPTH, i;
    char *s = (char *)malloc(2 * d + 4);
    bh_json_tok *t = (bh_json_tok *)malloc((d + 2) * sizeof *t);
    bh_json doc;
    for (i = 0; i < d; i++) s[i] = '[';
    for (i = 0; i < d; i++) s[d + i] = ']';
    CHECK_EQ(bh_json_parse(&doc, s, 2 * d, t, d + 2), BH_OK);
    CHECK_EQ(doc.ntoks, d);
    CHECK_EQ(t[d - 1].depth, d - 1);
    CHECK_EQ(bh_json_parse(&doc, s, 2 * d, NULL, 0), BH_OK);
    memmove(s + 1, s, 2 * d);
    s[0] = '[';
    s[2 * d + 1] = ']';
    CHECK_EQ(bh_json_parse(&doc, s, 2 * d + 2, t, d + 2), BH_EDEPTH);
    CHECK_EQ(doc.err_pos, d);
    CHECK_EQ(bh_json_parse(&doc, s, 2 * d + 2, NULL, 0), BH_EDEPTH);
    CHECK_EQ(doc.err_pos, d);
    /* brackets of both kinds keep matching in the measure-only parse */
    CHECK_EQ(bh_json_parse(&doc, "[{\"a\":[{}]}]", 12, NULL, 0), BH_OK);
    CHECK_EQ(bh_json_parse(&doc, "[{\"a\":[{}}]}", 12, NULL, 0), BH_ESYNTAX);
    CHECK_EQ(doc.err_pos, 9);
    free(s);
    free(t);
}

/* ---- writer ---- */

static void writer_basic(void)
{
    static const char want[] = "{\"a\":1,\"b\":[true,false,null,\"s\",-7,18446744073709551615],"
                               "\"c\":{},\"d\":[[]],\"e\":\"\"}";
    char buf[128];
    bh_json_writer w;
    int pass, n;
    for (pass = 0; pass < 2; pass++) {
        if (pass == 0) bh_jw_init(&w, NULL, 0);
        else bh_jw_init(&w, buf, sizeof buf);
        CHECK_EQ(bh_jw_begin_object(&w), BH_OK);
        CHECK_EQ(bh_jw_key(&w, "a", 1), BH_OK);
        CHECK_EQ(bh_jw_int64(&w, 1), BH_OK);
        CHECK_EQ(bh_jw_key(&w, "b", 1), BH_OK);
        CHECK_EQ(bh_jw_begin_array(&w), BH_OK);
        CHECK_EQ(bh_jw_bool(&w, 1), BH_OK);
        CHECK_EQ(bh_jw_bool(&w, 0), BH_OK);
        CHECK_EQ(bh_jw_null(&w), BH_OK);
        CHECK_EQ(bh_jw_string(&w, "s", 1), BH_OK);
        CHECK_EQ(bh_jw_int64(&w, -7), BH_OK);
        CHECK_EQ(bh_jw_uint64(&w, UINT64_MAX), BH_OK);
        CHECK_EQ(bh_jw_end_array(&w), BH_OK);
        CHECK_EQ(bh_jw_key(&w, "c", 1), BH_OK);
        CHECK_EQ(bh_jw_begin_object(&w), BH_OK);
        CHECK_EQ(bh_jw_end_object(&w), BH_OK);
        CHECK_EQ(bh_jw_key(&w, "d", 1), BH_OK);
        CHECK_EQ(bh_jw_begin_array(&w), BH_OK);
        CHECK_EQ(bh_jw_begin_array(&w), BH_OK);
        CHECK_EQ(bh_jw_end_array(&w), BH_OK);
        CHECK_EQ(bh_jw_end_array(&w), BH_OK);
        CHECK_EQ(bh_jw_key(&w, "e", 1), BH_OK);
        CHECK_EQ(bh_jw_string(&w, NULL, 0), BH_OK);
        CHECK_EQ(bh_jw_end_object(&w), BH_OK);
        n = bh_jw_finish(&w);
        CHECK_EQ(n, (int)strlen(want));
        CHECK_EQ(w.len, strlen(want));
    }
    CHECK_STR(buf, want);
    CHECK_EQ(bh_jw_finish(&w), n); /* finishing twice is harmless */
    /* integers and scalars are documents too */
    bh_jw_init(&w, buf, sizeof buf);
    CHECK_EQ(bh_jw_int64(&w, INT64_MIN), BH_OK);
    CHECK_EQ(bh_jw_finish(&w), 20);
    CHECK_STR(buf, "-9223372036854775808");
}

static void writer_capacity(void)
{
    static const char want[] = "[\"hello\",\"world\",12345]";
    size_t need = strlen(want), cap;
    char buf[64];
    for (cap = 0; cap <= need + 2; cap++) {
        bh_json_writer w;
        int r;
        memset(buf, 'x', sizeof buf);
        bh_jw_init(&w, buf, cap);
        bh_jw_begin_array(&w);
        bh_jw_string(&w, "hello", 5);
        bh_jw_string(&w, "world", 5);
        bh_jw_int64(&w, 12345);
        bh_jw_end_array(&w);
        r = bh_jw_finish(&w);
        CHECK_EQ(w.len, need); /* counted past the end */
        if (cap > need) {
            CHECK_EQ(r, (int)need);
            CHECK_STR(buf, want);
        } else {
            CHECK_EQ(r, BH_ESPACE);
        }
        CHECK_EQ(buf[cap], 'x'); /* nothing written past cap */
    }
}

static void writer_escapes(void)
{
    char in[130], buf[1024], back[256];
    bh_json_writer w;
    bh_json doc;
    bh_json_tok t[2];
    int i, n;
    for (i = 0; i < 128; i++) in[i] = (char)i;
    memcpy(in + 128, "\xc3\xa9", 2);
    bh_jw_init(&w, buf, sizeof buf);
    CHECK_EQ(bh_jw_string(&w, in, 130), BH_OK);
    n = bh_jw_finish(&w);
    CHECK(n > 0);
    CHECK(strstr(buf, "\"\\u0000\\u0001") == buf);
    CHECK(strstr(buf, "\\u0007\\b\\t\\n\\u000b\\f\\r\\u000e") != NULL);
    CHECK(strstr(buf, "\\u001f !\\\"#") != NULL);
    CHECK(strstr(buf, "./0") != NULL);       /* '/' is not escaped */
    CHECK(strstr(buf, "[\\\\]") != NULL);    /* backslash is */
    CHECK(strstr(buf, "~\x7f\xc3\xa9\"") != NULL); /* DEL and UTF-8 as they are */
    CHECK_EQ(bh_json_parse(&doc, buf, (size_t)n, t, 2), BH_OK);
    CHECK_EQ(bh_json_string(&doc, 0, back, sizeof back), 130);
    CHECK_MEM(back, in, 130);
    /* keys are escaped the same way */
    bh_jw_init(&w, buf, sizeof buf);
    bh_jw_begin_object(&w);
    CHECK_EQ(bh_jw_key(&w, "a\"\n", 3), BH_OK);
    bh_jw_null(&w);
    bh_jw_end_object(&w);
    CHECK_EQ(bh_jw_finish(&w), 14);
    CHECK_STR(buf, "{\"a\\\"\\n\":null}");
}

static void writer_utf8(void)
{
    static const char *const bad[] = {
        "\xff", "\x80", "\xc0\x80", "\xc1\xbf", "\xe0\x80\x80", "\xed\xa0\x80",
        "\xed\xbf\xbf", "\xf0\x80\x80\x80", "\xf4\x90\x80\x80", "\xf5\x80\x80\x80",
        "\xc3", "\xe2\x82", "\xf0\x9f\x9a", "ok\xc3(",
    };
    static const char good[] = "\xc2\x80\xdf\xbf\xe0\xa0\x80\xed\x9f\xbf\xee\x80\x80"
                               "\xef\xbf\xbf\xf0\x90\x80\x80\xf4\x8f\xbf\xbf";
    char buf[128];
    bh_json_writer w;
    size_t i;
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        bh_jw_init(&w, buf, sizeof buf);
        bh_jw_begin_array(&w);
        CHECK_EQ(bh_jw_string(&w, bad[i], strlen(bad[i])), BH_EUTF8);
        CHECK_EQ(bh_jw_null(&w), BH_EUTF8); /* sticky */
        CHECK_EQ(bh_jw_end_array(&w), BH_EUTF8);
        CHECK_EQ(bh_jw_finish(&w), BH_EUTF8);
    }
    bh_jw_init(&w, buf, sizeof buf);
    CHECK_EQ(bh_jw_string(&w, good, sizeof good - 1), BH_OK);
    CHECK_EQ(bh_jw_finish(&w), (int)sizeof good + 1);
    CHECK_MEM(buf + 1, good, sizeof good - 1);
}

/* One misuse, after a prefix of calls: BH_ESTATE, and it sticks. */
static void misuse(int (*prefix)(bh_json_writer *), int (*bad)(bh_json_writer *))
{
    char buf[64];
    bh_json_writer w;
    bh_jw_init(&w, buf, sizeof buf);
    CHECK_EQ(prefix(&w), BH_OK);
    CHECK_EQ(bad(&w), BH_ESTATE);
    CHECK_EQ(bh_jw_null(&w), BH_ESTATE);
    CHECK_EQ(bh_jw_finish(&w), BH_ESTATE);
}

static int p_nothing(bh_json_writer *w) { (void)w; return BH_OK; }
static int p_object(bh_json_writer *w) { return bh_jw_begin_object(w); }
static int p_array(bh_json_writer *w) { return bh_jw_begin_array(w); }
static int p_key(bh_json_writer *w) { bh_jw_begin_object(w); return bh_jw_key(w, "k", 1); }
static int p_done(bh_json_writer *w) { return bh_jw_int64(w, 1); }
static int b_key(bh_json_writer *w) { return bh_jw_key(w, "k", 1); }
static int b_string(bh_json_writer *w) { return bh_jw_string(w, "v", 1); }
static int b_end_object(bh_json_writer *w) { return bh_jw_end_object(w); }
static int b_end_array(bh_json_writer *w) { return bh_jw_end_array(w); }
static int b_finish(bh_json_writer *w) { return bh_jw_finish(w); }
static int b_object(bh_json_writer *w) { return bh_jw_begin_object(w); }
static int b_raw(bh_json_writer *w) { return bh_jw_raw(w, "1", 1); }

static void writer_misuse(void)
{
    misuse(p_nothing, b_key);        /* a key outside an object */
    misuse(p_array, b_key);          /* a key in an array */
    misuse(p_object, b_string);      /* a value where a key is due */
    misuse(p_object, b_raw);
    misuse(p_object, b_end_array);   /* an end that does not match */
    misuse(p_array, b_end_object);
    misuse(p_key, b_end_object);     /* a key without its value */
    misuse(p_key, b_key);            /* two keys */
    misuse(p_nothing, b_end_array);  /* an end with nothing open */
    misuse(p_done, b_object);        /* a second document */
    misuse(p_done, b_string);
    misuse(p_nothing, b_finish);     /* nothing written */
    misuse(p_array, b_finish);       /* still open */
    misuse(p_key, b_finish);
}

static void writer_depth(void)
{
    bh_json_writer w;
    int i;
    bh_jw_init(&w, NULL, 0);
    for (i = 0; i < BH_JW_MAX_DEPTH; i++) CHECK_EQ(bh_jw_begin_array(&w), BH_OK);
    CHECK_EQ(bh_jw_begin_object(&w), BH_EDEPTH);
    CHECK_EQ(bh_jw_finish(&w), BH_EDEPTH);
    bh_jw_init(&w, NULL, 0);
    for (i = 0; i < BH_JW_MAX_DEPTH; i++)
        CHECK_EQ(i & 1 ? bh_jw_begin_array(&w) : (bh_jw_begin_object(&w), bh_jw_key(&w, "", 0)), BH_OK);
    for (i = BH_JW_MAX_DEPTH - 1; i >= 0; i--)
        CHECK_EQ(i & 1 ? bh_jw_end_array(&w) : bh_jw_end_object(&w), BH_OK);
    CHECK_EQ(bh_jw_finish(&w), BH_JW_MAX_DEPTH * 2 + BH_JW_MAX_DEPTH / 2 * 3);
}

static void writer_raw_and_value(void)
{
    static const char rec[] = "{\"id\":\"x\",\"n\":[1.50, 2e3 ,\"\\u00e9\\/\\ud83d\\ude80\\ud800\"]}";
    char buf[256];
    bh_json_writer w;
    bh_json doc;
    bh_json_tok t[16];
    bh_jw_init(&w, buf, sizeof buf);
    bh_jw_begin_object(&w);
    bh_jw_key(&w, "record", 6);
    CHECK_EQ(bh_jw_raw(&w, " \n" "[1, {\"a\": null}]\t ", 20), BH_OK);
    bh_jw_key(&w, "copy", 4);
    CHECK_EQ(parse_str(&doc, rec, t, 16), BH_OK);
    CHECK_EQ(bh_jw_value(&w, &doc, 0), BH_OK);
    bh_jw_key(&w, "part", 4);
    CHECK_EQ(bh_jw_value(&w, &doc, bh_json_get(&doc, 0, "/n/2")), BH_OK);
    bh_jw_end_object(&w);
    CHECK(bh_jw_finish(&w) > 0);
    CHECK(strcmp(buf, "{\"record\":[1, {\"a\": null}],\"copy\":{\"id\":\"x\",\"n\":[1.50,2e3,"
                      "\"\xc3\xa9/\xf0\x9f\x9a\x80\xef\xbf\xbd\"]},\"part\":\"\xc3\xa9/"
                      "\xf0\x9f\x9a\x80\xef\xbf\xbd\"}") == 0);
    /* a raw fragment is validated first */
    bh_jw_init(&w, buf, sizeof buf);
    bh_jw_begin_array(&w);
    CHECK_EQ(bh_jw_raw(&w, "[1,]", 4), BH_ESYNTAX);
    CHECK_EQ(bh_jw_finish(&w), BH_ESYNTAX);
    bh_jw_init(&w, buf, sizeof buf);
    CHECK_EQ(bh_jw_raw(&w, "1 2", 3), BH_ETRAILING);
    bh_jw_init(&w, buf, sizeof buf);
    CHECK_EQ(bh_jw_raw(&w, "", 0), BH_EINCOMPLETE);
    bh_jw_init(&w, buf, sizeof buf);
    CHECK_EQ(bh_jw_raw(&w, "\"\xff\"", 3), BH_EUTF8);
    bh_jw_init(&w, buf, sizeof buf);
    CHECK_EQ(bh_jw_value(&w, &doc, 99), BH_EINVAL);
    /* a key token copied as a value is a string */
    bh_jw_init(&w, buf, sizeof buf);
    CHECK_EQ(bh_jw_value(&w, &doc, 1), BH_OK);
    CHECK_EQ(bh_jw_finish(&w), 4);
    CHECK_STR(buf, "\"id\"");
}

#ifndef BLUEHOOK_NO_DOUBLE
static void writer_doubles(void)
{
    static const struct {
        double v;
        const char *text; /* as JavaScript's JSON.stringify writes it */
    } cases[] = {
        {0.1, "0.1"}, {0.0, "0"}, {-0.0, "-0"}, {100, "100"}, {-1.5, "-1.5"},
        {1e21, "1e+21"}, {1e20, "100000000000000000000"}, {1e-7, "1e-7"},
        {1e-6, "0.000001"}, {1.5e-7, "1.5e-7"}, {123e-20, "1.23e-18"},
        {5e-324, "5e-324"}, {1.7976931348623157e308, "1.7976931348623157e+308"},
        {2.2250738585072014e-308, "2.2250738585072014e-308"},
        {123456789012345680000.0, "123456789012345680000"},
        {9007199254740992.0, "9007199254740992"}, {9007199254740994.0, "9007199254740994"},
        {0.30000000000000004, "0.30000000000000004"}, {1.0 / 3, "0.3333333333333333"},
        {32767.5, "32767.5"}, {4.35, "4.35"}, {2.5e-5, "0.000025"}, {1e100, "1e+100"},
        {-2.5e-300, "-2.5e-300"}, {9.5367431640625e-07, "9.5367431640625e-7"},
        {4503599627370495.5, "4503599627370495.5"}, {1.2345678901234567e-5, "0.000012345678901234568"},
        /* exact ties between the two closest shortest digits: half to even */
        {2.9802322387695312e-8, "2.9802322387695312e-8"}, /* 2^-25 = ...3125e-8 */
        {1.7881393432617188e-7, "1.7881393432617188e-7"}, /* 1.5 * 2^-23 = ...1875e-7 */
        {5.960464477539062e-7, "5.960464477539062e-7"},   /* 1.25 * 2^-21 = ...0625e-7 */
        /* powers of two: the gap below is half the gap above */
        {1152921504606846976.0, "1152921504606847000"}, {8.98846567431158e307, "8.98846567431158e+307"},
        {4.450147717014403e-308, "4.450147717014403e-308"}, {18014398509481992.0, "18014398509481990"},
        /* subnormals, the largest and the few smallest */
        {2.225073858507201e-308, "2.225073858507201e-308"}, {1e-323, "1e-323"}, {1.5e-323, "1.5e-323"},
        {5e-310, "5e-310"}, {-5e-324, "-5e-324"},
        /* the double below DBL_MAX, 17 digits, and 1, 1e23 and their neighbours */
        {1.7976931348623155e308, "1.7976931348623155e+308"}, {123456.78901234567, "123456.78901234567"},
        {1.0000000000000002, "1.0000000000000002"}, {0.9999999999999999, "0.9999999999999999"},
        {1e23, "1e+23"}, {9.999999999999997e22, "9.999999999999997e+22"},
        {1.0000000000000001e23, "1.0000000000000001e+23"}, {8.41e21, "8.41e+21"},
    };
    char buf[64];
    bh_json_writer w;
    size_t i;
    double zero = 0.0;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        bh_jw_init(&w, buf, sizeof buf);
        CHECK_EQ(bh_jw_double(&w, cases[i].v), BH_OK);
        CHECK_EQ(bh_jw_finish(&w), (int)strlen(cases[i].text));
        CHECK_STR(buf, cases[i].text);
    }
    bh_jw_init(&w, buf, sizeof buf);
    CHECK_EQ(bh_jw_double(&w, 1.0 / zero), BH_ENUMBER);
    bh_jw_init(&w, buf, sizeof buf);
    CHECK_EQ(bh_jw_double(&w, -1.0 / zero), BH_ENUMBER);
    bh_jw_init(&w, buf, sizeof buf);
    CHECK_EQ(bh_jw_double(&w, zero / zero), BH_ENUMBER);
    CHECK_EQ(bh_jw_finish(&w), BH_ENUMBER);
}

static double random_double(void)
{
    uint64_t bits;
    double d;
    do {
        bits = (uint64_t)t_rand() << 32 | t_rand();
        switch (t_rand() % 4) { /* favour short decimals and small exponents */
        case 0: d = (double)(t_rand() % 100000) / (double)(1 + t_rand() % 1000); memcpy(&bits, &d, 8); break;
        case 1: bits = (bits & 0x800fffffffffffffull) | (uint64_t)(1023 - 60 + t_rand() % 120) << 52; break;
        default: break;
        }
        memcpy(&d, &bits, 8);
    } while (((bits >> 52) & 0x7ff) == 0x7ff);
    return d;
}

/* Every double written reads back to the same bits. */
static void double_round_trip(void)
{
    char buf[64];
    int i, bad = 0;
    t_rng_state = 0xfeedfacecafebeefull;
    for (i = 0; i < 100000; i++) {
        double d = random_double(), back = 0;
        bh_json_writer w;
        bh_json doc;
        bh_json_tok t[2];
        int n;
        bh_jw_init(&w, buf, sizeof buf);
        bh_jw_double(&w, d);
        n = bh_jw_finish(&w);
        if (n <= 0 || bh_json_parse(&doc, buf, (size_t)n, t, 2) != BH_OK ||
            bh_json_double(&doc, 0, &back) != BH_OK || memcmp(&back, &d, 8) != 0 ||
            strtod(buf, NULL) != d) {
            if (bad++ < 3) {
                char m[120];
                snprintf(m, sizeof m, "%a wrote \"%s\"", d, n > 0 ? buf : "");
                t_fail(__FILE__, __LINE__, m);
            }
        }
    }
}

/* Split a decimal text into its significant digits and the power of ten
   of the first: "1.25e-3" -> "125", -3. */
static void normal_digits(const char *s, char *digits, int *exp10)
{
    int n = 0, point = -1, seen = 0, lead = 0;
    const char *p = s;
    if (*p == '-') p++;
    for (; *p && *p != 'e' && *p != 'E'; p++) {
        if (*p == '.') {
            point = n + lead;
            continue;
        }
        if (*p == '0' && !seen) {
            lead++;
            continue;
        }
        seen = 1;
        digits[n++] = *p;
    }
    if (point < 0) point = n + lead;
    while (n > 0 && digits[n - 1] == '0') n--;
    digits[n] = '\0';
    *exp10 = point - lead - 1 + (*p ? atoi(p + 1) : 0);
}

/* The digits match Python's repr (shortest, then closest): every power
   of two, the smallest and largest mantissa of every binade, and random
   doubles. */
static void double_shortest_vs_python(void)
{
    static const char script[] =
        "import sys\n"
        "for line in open(sys.argv[1]):\n"
        "    print(repr(float.fromhex(line.strip())))\n";
    char path[] = "/tmp/bh_json_dblXXXXXX";
    static double ds[20000];
    char *out, *line, *nl, buf[64];
    size_t n = 20000, i, len;
    int fd, bad = 0;
    FILE *f;
    if (!have_python()) {
        T_SKIP("python3 not found (it computes the expected digits)");
        return;
    }
    t_rng_state = 0x5eed5eed5eed5eedull;
    fd = mkstemp(path);
    f = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!f) {
        t_fail(__FILE__, __LINE__, "cannot write a temporary file");
        return;
    }
    for (i = 0; i < n; i++) {
        uint64_t edge = (uint64_t)(i - 2046) % 2046 << 52 | (i < 4092 ? 1 : 0xfffffffffffffull);
        if (i < 2046)
            ds[i] = ldexp(1.0, (int)i - 1074);
        else if (i < 6138)
            memcpy(&ds[i], &edge, 8);
        else
            ds[i] = random_double();
        fprintf(f, "%a\n", ds[i]);
    }
    fclose(f);
    out = python_output(script, path, &len);
    unlink(path);
    CHECK(out != NULL);
    for (i = 0, line = out; out && i < n && (nl = strchr(line, '\n')); i++, line = nl + 1) {
        bh_json_writer w;
        char d1[64], d2[64];
        int e1, e2;
        *nl = '\0';
        bh_jw_init(&w, buf, sizeof buf);
        bh_jw_double(&w, ds[i]);
        if (bh_jw_finish(&w) <= 0) continue;
        normal_digits(buf, d1, &e1);
        normal_digits(line, d2, &e2);
        if ((strcmp(d1, d2) != 0 || (d1[0] && e1 != e2)) && bad++ < 3) {
            char m[200];
            snprintf(m, sizeof m, "%a: bluehook \"%s\", Python \"%s\"", ds[i], buf, line);
            t_fail(__FILE__, __LINE__, m);
        }
    }
    CHECK_EQ(i, n);
    free(out);
}
#endif

/* ---- round trips of random documents ---- */

static void random_string(char *s, size_t *len, size_t max)
{
    size_t n = 0;
    unsigned k = t_rand() % 12;
    while (k-- && n + 4 < max) {
        unsigned c, r = t_rand() % 10;
        uint8_t u[4];
        if (r < 5) c = 0x20 + t_rand() % 0x5f;
        else if (r == 5) c = t_rand() % 0x20;
        else if (r == 6) c = "\"\\/"[t_rand() % 3];
        else if (r == 7) c = 0x80 + t_rand() % 0x780;
        else if (r == 8) c = 0x800 + t_rand() % 0xf800;
        else c = 0x10000 + t_rand() % 0x100000;
        if (c >= 0xd800 && c <= 0xdfff) c = 0xfffd;
        {
            unsigned m = bh__utf8_put(c, u);
            memcpy(s + n, u, m);
            n += m;
        }
    }
    *len = n;
}

static void random_value(bh_json_writer *w, int depth)
{
    char s[64];
    size_t n;
    unsigned r = t_rand() % (depth > 5 ? 6 : 8), i, k;
    switch (r) {
    case 0: bh_jw_null(w); break;
    case 1: bh_jw_bool(w, (int)(t_rand() & 1)); break;
    case 2: {
        int64_t v = (int64_t)((uint64_t)t_rand() << 32 | t_rand()) >> (t_rand() % 64);
        bh_jw_int64(w, t_rand() % 8 ? v : INT64_MIN);
        break;
    }
    case 3:
#ifndef BLUEHOOK_NO_DOUBLE
        {
            double d = random_double();
            bh_jw_double(w, d == 0 ? 0.0 : d);
        }
#else
        bh_jw_uint64(w, (uint64_t)t_rand() << 32 | t_rand());
#endif
        break;
    case 4:
    case 5:
        random_string(s, &n, sizeof s);
        bh_jw_string(w, s, n);
        break;
    case 6:
        bh_jw_begin_array(w);
        for (i = 0, k = t_rand() % 5; i < k; i++) random_value(w, depth + 1);
        bh_jw_end_array(w);
        break;
    default:
        bh_jw_begin_object(w);
        for (i = 0, k = t_rand() % 5; i < k; i++) {
            random_string(s, &n, sizeof s);
            bh_jw_key(w, s, n);
            random_value(w, depth + 1);
        }
        bh_jw_end_object(w);
    }
}

/* A random document, written, parsed and written again (by the typed
   accessors, and by bh_jw_value): the three texts are the same bytes. */
static void round_trip_random(void)
{
    int i, bad = 0;
    t_rng_state = 0x0123456789abcdefull;
    for (i = 0; i < 3000; i++) {
        bh_json_writer w;
        bh_json doc;
        bh_json_tok *toks;
        char *a, *b, *c;
        int la, lb, lc;
        unsigned long long seed = t_rng_state;
        bh_jw_init(&w, NULL, 0);
        random_value(&w, 0);
        la = bh_jw_finish(&w);
        CHECK(la > 0);
        if (la <= 0) return;
        a = (char *)malloc((size_t)la + 1);
        t_rng_state = seed;
        bh_jw_init(&w, a, (size_t)la + 1);
        random_value(&w, 0);
        CHECK_EQ(bh_jw_finish(&w), la);
        CHECK_EQ(parse_alloc(&doc, a, (size_t)la, &toks), BH_OK);
        b = toks ? write_doc(&doc, 1, &lb) : NULL;
        c = toks ? write_doc(&doc, 0, &lc) : NULL;
        if ((!b || lb != la || memcmp(a, b, (size_t)la) != 0 || !c || lc != la ||
             memcmp(a, c, (size_t)la) != 0) &&
            bad++ < 2) {
            char m[400];
            snprintf(m, sizeof m, "%.120s / %.120s / %.120s", a, b ? b : "", c ? c : "");
            t_fail(__FILE__, __LINE__, m);
        }
        free(a);
        free(b);
        free(c);
        free(toks);
    }
}

/* ---- no byte outside the input is ever read ---- */

typedef struct guarded {
    uint8_t *map;
    size_t size, page;
} guarded;

/* Two pages of room, the page before and the page after them made
   inaccessible. */
static int guard_open(guarded *g, size_t room)
{
    g->page = (size_t)sysconf(_SC_PAGESIZE);
    room = (room + g->page - 1) / g->page * g->page;
    g->size = room + 2 * g->page;
    g->map = (uint8_t *)mmap(NULL, g->size, PROT_READ | PROT_WRITE,
                             MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (g->map == MAP_FAILED) return 0;
    return mprotect(g->map, g->page, PROT_NONE) == 0 &&
           mprotect(g->map + g->size - g->page, g->page, PROT_NONE) == 0;
}

/* Copy s[0..n) so that it ends at the guard page (at_end) or starts right
   after the guard page before it. */
static const char *guard_place(guarded *g, const char *s, size_t n, int at_end)
{
    uint8_t *dst = at_end ? g->map + g->size - g->page - n : g->map + g->page;
    if (n) memcpy(dst, s, n);
    return (const char *)dst;
}

/* Parse, and when valid use every accessor on every token. */
static void exercise(const char *s, size_t n, bh_json_tok *toks, size_t cap)
{
    bh_json doc;
    char out[64];
    size_t i, line, col;
    int r = bh_json_parse(&doc, s, n, toks, cap);
    bh_json_parse(&doc, s, n, NULL, 0);
    bh_json_line_col(&doc, doc.err_pos, &line, &col);
    if (r) return;
    bh_json_parse(&doc, s, n, toks, cap);
    for (i = 0; i < doc.ntoks; i++) {
        int64_t v;
        uint64_t u;
        int k = (int)i, o;
        size_t len;
        const char *raw = bh_json_raw(&doc, k, &len);
        switch (toks[i].type) {
        case BH_JSON_STRING:
            bh_json_string(&doc, k, out, sizeof out);
            bh_json_string(&doc, k, out, 3);
            bh_json_string_eq(&doc, k, "abc", 3);
            bh_json_strings_equal(&doc, k, &doc, k);
            break;
        case BH_JSON_NUMBER:
            bh_json_int64(&doc, k, &v);
            bh_json_uint64(&doc, k, &u);
#ifndef BLUEHOOK_NO_DOUBLE
            {
                double d;
                bh_json_double(&doc, k, &d);
            }
#endif
            bh_json_number_cmp(raw, len, raw, len, &o);
            break;
        case BH_JSON_OBJECT:
            bh_json_member(&doc, k, "a", 1);
            bh_json_get(&doc, k, "/a/0/~1");
            bh_json_count(&doc, k);
            break;
        case BH_JSON_ARRAY:
            bh_json_index(&doc, k, 1);
            bh_json_get(&doc, k, "/0/a");
            bh_json_count(&doc, k);
            break;
        default:
            break;
        }
    }
    {
        bh_json_writer w;
        bh_jw_init(&w, NULL, 0);
        bh_jw_value(&w, &doc, 0);
        bh_jw_init(&w, NULL, 0);
        bh_jw_raw(&w, s, n);
        bh_jw_init(&w, NULL, 0);
        bh_jw_string(&w, s, n);
    }
}

/* Every prefix of every test input (a sample of the prefixes of inputs
   over 4 KB), placed against a guard page at its end and at its start. */
static void guard_pages(void)
{
    static const char *const blue[] = {"todo_created.min.json", "todo_created.json",
                                       "docs_todo_done_status_updated.json"};
    guarded g;
    DIR *d;
    struct dirent *e;
    bh_json_tok *toks = (bh_json_tok *)malloc(70000 * sizeof *toks);
    size_t count = 0, i;
    if (!guard_open(&g, 65536)) {
        T_SKIP("mmap or mprotect failed");
        return;
    }
    d = opendir(SUITE_DIR);
    CHECK(d != NULL);
    for (i = 0; d && (e = readdir(d)) != NULL;) {
        char path[600], *s;
        size_t n, plen;
        if (e->d_name[0] == '.') continue;
        snprintf(path, sizeof path, "%s/%s", SUITE_DIR, e->d_name);
        s = read_file(path, &n);
        if (!s) continue;
        for (plen = 0; plen <= n && plen <= 65536; plen++) {
            if (n > 4096 && plen > 64 && plen + 64 < n && plen % 97) continue;
            exercise(guard_place(&g, s, plen, 1), plen, toks, 70000);
            exercise(guard_place(&g, s, plen, 0), plen, toks, 70000);
            count++;
        }
        free(s);
    }
    if (d) closedir(d);
    for (i = 0; i < sizeof blue / sizeof blue[0]; i++) {
        char path[256], *s;
        size_t n, plen;
        snprintf(path, sizeof path, "%s/%s", BLUE_DIR, blue[i]);
        s = read_file(path, &n);
        CHECK(s != NULL);
        if (!s) continue;
        for (plen = 0; plen <= n; plen++) {
            exercise(guard_place(&g, s, plen, 1), plen, toks, 70000);
            exercise(guard_place(&g, s, plen, 0), plen, toks, 70000);
            count++;
        }
        free(s);
    }
    CHECK(count > 5000);
    munmap(g.map, g.size);
    free(toks);
}

/* ---- the SIMD paths agree with the portable ones ---- */

/* A random run of bytes, mostly valid UTF-8 with a few corruptions. */
static size_t random_utf8(uint8_t *b, size_t max)
{
    size_t n = 0, want = t_rand() % max;
    while (n + 4 <= want) {
        uint8_t u[4];
        unsigned r = t_rand() % 8, c, k;
        c = r < 3 ? t_rand() % 0x80 : r == 3 ? 0x80 + t_rand() % 0x780
            : r == 4 ? 0x800 + t_rand() % 0xf800 : 0x10000 + t_rand() % 0x100000;
        if (c >= 0xd800 && c <= 0xdfff) c = 0xe000;
        k = bh__utf8_put(c, u);
        memcpy(b + n, u, k);
        n += k;
        if (t_rand() % 40 == 0) b[n - 1 - t_rand() % k] = (uint8_t)t_rand();
    }
    if (t_rand() % 8 == 0 && n) n -= t_rand() % 2; /* sometimes cut one */
    return n;
}

#ifdef BH__JSON_SIMD
/* UTF-8 validity of [b, b + n) as the SIMD check sees it. */
static int utf8_valid_windows(const uint8_t *b, size_t n)
{
    return bh__utf8_valid_simd(b, b + n);
}

/* The reference for a string body: the byte-by-byte walk that diagnoses
   errors; it stops at the closing quote of a valid string. */
static const uint8_t *string_end_bytes(const uint8_t *s, const uint8_t *end)
{
    const uint8_t *at;
    const char *why;
    bh__json_string_error(s, end, &at, &why);
    return at < end && *at == '"' ? at : NULL;
}
#endif

static void simd_paths_agree(void)
{
    uint8_t buf[200];
    int i, bad = 0;
    t_rng_state = 0xabcdef0123456789ull;
    for (i = 0; i < 100000; i++) {
        size_t n = random_utf8(buf, 140), off;
        const uint8_t *e = buf + n;
        /* the scan for special bytes, both ways, from every start */
        for (off = 0; off < n && off < 40; off += 1 + t_rand() % 7) {
            const uint8_t *ref = buf + off;
            while (ref < e && !bh__json_is_special(*ref)) ref++;
            if (bh__json_special(buf + off, e) != ref || bh__json_special_swar(buf + off, e) != ref)
                bad++;
        }
#ifdef BH__JSON_SIMD
        if (utf8_valid_windows(buf, n) != bh__utf8_valid_bytes(buf, e)) bad++;
        /* a string body from a random start, windows found fresh */
        {
            size_t wo = (size_t)0 - 128, st = t_rand() % 70;
            uint64_t w = 0;
            unsigned fl = 0;
            if (st < n) {
                /* as in a document: the opening quote, and only complete
                   characters (here ASCII) before it */
                memset(buf, 'x', st);
                if (st) buf[st - 1] = '"';
                if (t_rand() % 3 == 0) buf[st + t_rand() % (n - st)] = '"';
                if (t_rand() % 5 == 0) buf[st + t_rand() % (n - st)] = '\\';
                if (bh__json_string_body(buf + st, buf, e, &wo, &w, &fl) !=
                    string_end_bytes(buf + st, e))
                    bad++;
            }
        }
#endif
    }
    CHECK_EQ(bad, 0);
#ifdef BH__JSON_SIMD
    /* every lead and second byte, with chosen third and fourth bytes, at
       each position around 16- and 64-byte boundaries */
    {
        static const uint8_t tail[] = {0x00, 0x41, 0x7f, 0x80, 0x8f, 0x90, 0x9f,
                                       0xa0, 0xbf, 0xc0, 0xc3, 0xe1, 0xf1, 0xff};
        static const unsigned at[] = {12, 14, 29, 60, 61, 62, 63, 64, 124, 127};
        unsigned a, b2, c3;
        size_t len;
        bad = 0;
        for (a = 0x80; a < 0x100; a++)
            for (b2 = 0; b2 < 0x100; b2++)
                for (c3 = 0; c3 < sizeof tail; c3++) {
                    /* the fourth byte and the place vary with the others */
                    unsigned pos = at[(a * 7 + b2 + c3) % (sizeof at / sizeof at[0])];
                    memset(buf, 'a', 140);
                    buf[pos] = (uint8_t)a;
                    buf[pos + 1] = (uint8_t)b2;
                    buf[pos + 2] = tail[c3];
                    buf[pos + 3] = tail[(a + b2 + c3) % sizeof tail];
                    for (len = pos + 1; len <= pos + 5; len += 2)
                        if (utf8_valid_windows(buf, len) != bh__utf8_valid_bytes(buf, buf + len))
                            bad++;
                    if (utf8_valid_windows(buf, 140) != bh__utf8_valid_bytes(buf, buf + 140))
                        bad++;
                }
        CHECK_EQ(bad, 0);
    }
    /* a character cut by the closing quote at every place around a window
       boundary */
    {
        static const char *const cut[] = {"\xc3", "\xe2\x82", "\xf0\x9f\x9a", "\xed\xa0",
                                          "\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x9a\x80"};
        size_t pos, c;
        bad = 0;
        for (c = 0; c < sizeof cut / sizeof cut[0]; c++)
            for (pos = 50; pos < 140; pos++) {
                size_t l = strlen(cut[c]), wo = (size_t)0 - 128;
                uint64_t w = 0;
                unsigned fl = 0;
                memset(buf, 'b', sizeof buf);
                memcpy(buf + pos, cut[c], l);
                buf[pos + l] = '"';
                if (bh__json_string_body(buf + 1, buf, buf + sizeof buf, &wo, &w, &fl) !=
                    string_end_bytes(buf + 1, buf + sizeof buf))
                    bad++;
            }
        CHECK_EQ(bad, 0);
    }
#endif
}

/* ---- digest: the parser's answers on generated inputs ---- */

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
    const uint8_t *b = (const uint8_t *)p;
    while (n--) h = (h ^ *b++) * 0x100000001b3ull;
    return h;
}

/* Hash a number the same way on every byte order. */
static uint64_t fnv_num(uint64_t h, uint64_t v)
{
    int i;
    for (i = 0; i < 8; i++) h = (h ^ ((v >> (8 * i)) & 0xff)) * 0x100000001b3ull;
    return h;
}

/* A mutation of a JSONTestSuite file or a random JSON-ish text. */
static size_t digest_input(char *out, size_t cap, char **files, size_t *lens, size_t nfiles)
{
    static const char *const bits[] = {
        "{", "}", "[", "]", ",", ":", "\"", "\\", "\\u", "d83d", "\\ude80", "0", "-",
        "1e5", ".", "true", "null", " ", "\n", "\"k\"", "\xc3\xa9", "\xe2\x82", "\xff",
        "\xed\xa0\x80", "\x01", "aaaaaaaaaaaaaaaaaaaa", "\"\xf0\x9f\x9a\x80 text\""};
    size_t n = 0, k;
    if (t_rand() & 1 && nfiles) {
        size_t f = t_rand() % nfiles;
        n = lens[f] < cap ? lens[f] : cap;
        memcpy(out, files[f], n);
        for (k = t_rand() % 4; k > 0 && n; k--) {
            size_t at = t_rand() % n;
            switch (t_rand() % 3) {
            case 0: out[at] = (char)t_rand(); break;
            case 1: n = at; break;
            default: out[at] = bits[t_rand() % (sizeof bits / sizeof bits[0])][0];
            }
        }
    } else {
        for (k = t_rand() % 40; k > 0; k--) {
            const char *b = bits[t_rand() % (sizeof bits / sizeof bits[0])];
            size_t l = strlen(b);
            if (n + l > cap) break;
            memcpy(out + n, b, l);
            n += l;
        }
    }
    return n;
}

static int print_digest(void)
{
    DIR *d = opendir(SUITE_DIR);
    struct dirent *e;
    char *files[400], in[8192];
    size_t lens[400], nfiles = 0, i;
    bh_json_tok toks[8192];
    uint64_t h = 0xcbf29ce484222325ull;
    while (d && (e = readdir(d)) && nfiles < 400) {
        char path[600];
        if (e->d_name[0] == '.') continue;
        snprintf(path, sizeof path, "%s/%s", SUITE_DIR, e->d_name);
        files[nfiles] = read_file(path, &lens[nfiles]);
        if (files[nfiles] && lens[nfiles] < sizeof in) nfiles++;
        else free(files[nfiles]);
    }
    if (d) closedir(d);
    /* readdir order differs between systems: sort by content */
    for (i = 1; i < nfiles; i++) {
        size_t j = i;
        while (j > 0 && (lens[j - 1] > lens[j] ||
                         (lens[j - 1] == lens[j] && memcmp(files[j - 1], files[j], lens[j]) > 0))) {
            char *tf = files[j];
            size_t tl = lens[j];
            files[j] = files[j - 1];
            lens[j] = lens[j - 1];
            files[j - 1] = tf;
            lens[j - 1] = tl;
            j--;
        }
    }
    t_rng_state = 0x9e3779b97f4a7c15ull;
    for (i = 0; i < 40000; i++) {
        size_t n = digest_input(in, sizeof in, files, lens, nfiles);
        bh_json doc;
        int r = bh_json_parse(&doc, in, n, toks, 8192);
        h = fnv_num(h, (uint64_t)(int64_t)r);
        h = fnv_num(h, doc.err_pos);
        h = fnv_num(h, doc.ntoks);
        h = fnv(h, bh_json_reason(&doc), strlen(bh_json_reason(&doc)));
        if (r == BH_OK) {
            size_t k;
            for (k = 0; k < doc.ntoks; k++) {
                h = fnv_num(h, toks[k].start);
                h = fnv_num(h, toks[k].len);
                h = fnv_num(h, toks[k].next);
                h = fnv_num(h, (uint64_t)toks[k].type << 24 | (uint64_t)toks[k].flags << 16 |
                                   toks[k].depth);
            }
            for (k = 0; k < doc.ntoks; k++) {
                char out[8192];
                int l = bh_json_string(&doc, (int)k, out, sizeof out);
                if (l > 0) h = fnv(h, out, (size_t)l);
            }
        }
        if (i % 2000 == 1999) printf("%u %016llx\n", (unsigned)(i + 1), (unsigned long long)h);
    }
    for (i = 0; i < nfiles; i++) free(files[i]);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "--digest") == 0) return print_digest();
    run_suite();
    T_RUN(blue_min_vs_python);
    T_RUN(blue_pretty_vs_python);
    T_RUN(blue_pretty_equals_min);
    T_RUN(pointers);
    T_RUN(strings);
    T_RUN(literals_and_iteration);
    T_RUN(integers);
    T_RUN(number_compare);
#ifndef BLUEHOOK_NO_DOUBLE
    T_RUN(doubles_known);
    T_RUN(doubles_random);
#endif
    T_RUN(errors_and_positions);
    T_RUN(line_and_column);
    T_RUN(capacity);
    T_RUN(depth_limit);
    T_RUN(writer_basic);
    T_RUN(writer_capacity);
    T_RUN(writer_escapes);
    T_RUN(writer_utf8);
    T_RUN(writer_misuse);
    T_RUN(writer_depth);
    T_RUN(writer_raw_and_value);
#ifndef BLUEHOOK_NO_DOUBLE
    T_RUN(writer_doubles);
    T_RUN(double_round_trip);
    T_RUN(double_shortest_vs_python);
#endif
    T_RUN(round_trip_random);
    T_RUN(guard_pages);
    T_RUN(simd_paths_agree);
    return t_done();
}
