/* fuzz/fuzz.h: what the libFuzzer harnesses share.

   - FUZZ_CHECK(cond): a property that must hold; a failure prints the
     condition and aborts, which libFuzzer reports as a crash.
   - fuzz_dup(p, n): a copy of n bytes in its own heap block of exactly n
     bytes (NULL for n == 0), so that AddressSanitizer catches a read one
     byte past any field, not only past the whole input. fuzz_free_all()
     releases them at the end of each input.
   - Reference codecs written from the specifications, independent of the
     library's: lowercase hex, padded base64 (strict: canonical padding), and
     ASCII case-insensitive comparison. They are slow and obvious on
     purpose: the harnesses compare the library against them.
   - fuzz_lines: the line-oriented inputs (a head of lines, an empty line,
     then a body of raw bytes). */
#ifndef BH_FUZZ_H
#define BH_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef __cplusplus
extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
#else
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
#endif

#if defined(__GNUC__) || defined(__clang__)
#define FUZZ_UNUSED __attribute__((unused))
#else
#define FUZZ_UNUSED
#endif

FUZZ_UNUSED static void fuzz_fail(const char *file, int line, const char *what)
{
    fprintf(stderr, "%s:%d: property failed: %s\n", file, line, what);
    fflush(stderr);
    abort();
}

#define FUZZ_CHECK(cond)                                                       \
    do {                                                                       \
        if (!(cond)) fuzz_fail(__FILE__, __LINE__, #cond);                     \
    } while (0)

/* ---- exact-size copies ---- */

#define FUZZ_MAX_ALLOCS 1024
static void *fuzz_allocs[FUZZ_MAX_ALLOCS];
static size_t fuzz_nallocs;

FUZZ_UNUSED static void *fuzz_alloc(size_t n)
{
    void *p;
    FUZZ_CHECK(fuzz_nallocs < FUZZ_MAX_ALLOCS);
    p = malloc(n ? n : 1);
    FUZZ_CHECK(p != NULL);
    fuzz_allocs[fuzz_nallocs++] = p;
    return p;
}

FUZZ_UNUSED static void *fuzz_dup(const void *p, size_t n)
{
    void *q;
    if (!n) return NULL;
    q = fuzz_alloc(n);
    memcpy(q, p, n);
    return q;
}

/* A NUL-terminated copy (n + 1 bytes). */
FUZZ_UNUSED static char *fuzz_cstr(const void *p, size_t n)
{
    char *q = (char *)fuzz_alloc(n + 1);
    if (n) memcpy(q, p, n);
    q[n] = '\0';
    return q;
}

FUZZ_UNUSED static void fuzz_free_all(void)
{
    while (fuzz_nallocs) free(fuzz_allocs[--fuzz_nallocs]);
}

/* ---- reference codecs ---- */

static const char fuzz_b64_alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

FUZZ_UNUSED static void fuzz_ref_hex(char *out, const uint8_t *p, size_t n)
{
    static const char digits[] = "0123456789abcdef";
    size_t i;
    for (i = 0; i < n; i++) {
        out[2 * i] = digits[p[i] >> 4];
        out[2 * i + 1] = digits[p[i] & 15];
    }
    out[2 * n] = '\0';
}

/* The value of a hex digit, or -1. */
FUZZ_UNUSED static int fuzz_ref_hexval(unsigned char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Padded base64 of n bytes, NUL-terminated; returns its length. */
FUZZ_UNUSED static size_t fuzz_ref_b64(char *out, const uint8_t *p, size_t n)
{
    size_t i, o = 0;
    for (i = 0; i < n; i += 3) {
        unsigned long v = (unsigned long)p[i] << 16;
        if (i + 1 < n) v |= (unsigned long)p[i + 1] << 8;
        if (i + 2 < n) v |= p[i + 2];
        out[o++] = fuzz_b64_alphabet[(v >> 18) & 63];
        out[o++] = fuzz_b64_alphabet[(v >> 12) & 63];
        out[o++] = i + 1 < n ? fuzz_b64_alphabet[(v >> 6) & 63] : '=';
        out[o++] = i + 2 < n ? fuzz_b64_alphabet[v & 63] : '=';
    }
    out[o] = '\0';
    return o;
}

FUZZ_UNUSED static int fuzz_ref_b64val(unsigned char c)
{
    const char *at = c ? strchr(fuzz_b64_alphabet, c) : NULL;
    return at ? (int)(at - fuzz_b64_alphabet) : -1;
}

enum { FUZZ_B64_OK, FUZZ_B64_LENGTH, FUZZ_B64_CHAR, FUZZ_B64_PADDING };

/* Strict padded base64 (RFC 4648 section 4, canonical: the bits under the
   padding are zero). Writes up to n/4*3 bytes to out (which must hold
   them) and sets *outn; returns a FUZZ_B64_* verdict. CHAR when any byte
   is neither in the alphabet nor '='. */
FUZZ_UNUSED static int fuzz_ref_unb64(uint8_t *out, size_t *outn,
                                      const char *in, size_t n)
{
    size_t i, pad = 0, o = 0;
    *outn = 0;
    if (n % 4) return FUZZ_B64_LENGTH;
    for (i = 0; i < n; i++)
        if (in[i] != '=' && fuzz_ref_b64val((unsigned char)in[i]) < 0)
            return FUZZ_B64_CHAR;
    if (n && in[n - 1] == '=') pad = (n >= 2 && in[n - 2] == '=') ? 2 : 1;
    for (i = 0; i < n - pad; i++)
        if (in[i] == '=') return FUZZ_B64_PADDING;
    for (i = 0; i < n; i += 4) {
        unsigned long v = 0;
        size_t j;
        for (j = 0; j < 4; j++)
            v = v << 6 | (unsigned long)(in[i + j] == '='
                                             ? 0
                                             : fuzz_ref_b64val((unsigned char)in[i + j]));
        out[o++] = (uint8_t)(v >> 16);
        out[o++] = (uint8_t)(v >> 8);
        out[o++] = (uint8_t)v;
        if (i + 4 == n && ((pad == 1 && (v & 0xff)) || (pad == 2 && (v & 0xffff))))
            return FUZZ_B64_PADDING;
    }
    *outn = o - pad;
    return FUZZ_B64_OK;
}

FUZZ_UNUSED static int fuzz_lower(int c)
{
    return (c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c;
}

/* ASCII case-insensitive equality of (a, an) and (b, bn). */
FUZZ_UNUSED static int fuzz_ieq(const char *a, size_t an, const char *b,
                                size_t bn)
{
    size_t i;
    if (an != bn) return 0;
    for (i = 0; i < an; i++)
        if (fuzz_lower((unsigned char)a[i]) != fuzz_lower((unsigned char)b[i]))
            return 0;
    return 1;
}

/* 1 when (needle, nn) occurs in (hay, hn), ASCII case-insensitively when
   icase is set. */
FUZZ_UNUSED static int fuzz_contains(const char *hay, size_t hn,
                                     const char *needle, size_t nn, int icase)
{
    size_t i;
    if (nn > hn) return 0;
    for (i = 0; i + nn <= hn; i++)
        if (icase ? fuzz_ieq(hay + i, nn, needle, nn)
                  : memcmp(hay + i, needle, nn) == 0)
            return 1;
    return 0;
}

/* ---- line-oriented inputs ---- */

typedef struct fuzz_lines {
    const uint8_t *p;
    size_t n, pos;
    int in_body;
} fuzz_lines;

FUZZ_UNUSED static void fuzz_lines_init(fuzz_lines *l, const uint8_t *p,
                                        size_t n)
{
    l->p = p;
    l->n = n;
    l->pos = 0;
    l->in_body = 0;
}

/* The next line of the head (without its '\n'); 0 at the empty line that
   ends the head, or at the end of the input. */
FUZZ_UNUSED static int fuzz_next_line(fuzz_lines *l, const uint8_t **line,
                                      size_t *len)
{
    size_t end = l->pos;
    if (l->in_body || l->pos >= l->n) return 0;
    while (end < l->n && l->p[end] != '\n') end++;
    *line = l->p + l->pos;
    *len = end - l->pos;
    l->pos = end < l->n ? end + 1 : end;
    if (*len == 0) {
        l->in_body = 1;
        return 0;
    }
    return 1;
}

/* What follows the empty line (empty when there is none). */
FUZZ_UNUSED static const uint8_t *fuzz_body(const fuzz_lines *l, size_t *len)
{
    *len = l->in_body ? l->n - l->pos : 0;
    return l->p + l->pos;
}

/* A decimal integer (optional '-'), saturating; 0 when there is none. */
FUZZ_UNUSED static int64_t fuzz_int(const uint8_t *p, size_t n)
{
    uint64_t v = 0;
    size_t i = 0;
    int neg = 0;
    if (n && p[0] == '-') neg = 1, i = 1;
    for (; i < n && p[i] >= '0' && p[i] <= '9'; i++) {
        if (v > (uint64_t)INT64_MAX / 10) return neg ? INT64_MIN : INT64_MAX;
        v = v * 10 + (uint64_t)(p[i] - '0');
    }
    if (v > (uint64_t)INT64_MAX) v = (uint64_t)INT64_MAX;
    return neg ? -(int64_t)v : (int64_t)v;
}

#endif
