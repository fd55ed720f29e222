/* tests/t.h - the unit-test harness. Each case prints one line:
   "PASS suite/case", "FAIL suite/case: file:line: what" or
   "SKIP suite/case: why". tests/run.sh counts the lines.

   #define T_SUITE "name" before including, then in main():
       T_RUN(case_function); ...  return t_done();               */
#ifndef BH_TESTS_T_H
#define BH_TESTS_T_H

#include <stdio.h>
#include <string.h>

#if defined(__GNUC__) || defined(__clang__)
#define T_UNUSED __attribute__((unused))
#else
#define T_UNUSED
#endif

static int t_case_failed, t_case_skipped, t_failures;
static char t_case_msg[1024];

T_UNUSED static void t_fail(const char *file, int line, const char *what)
{
    if (!t_case_failed)
        snprintf(t_case_msg, sizeof t_case_msg, "%.200s:%d: %.700s", file, line, what);
    t_case_failed++;
}

#define CHECK(cond)                                                            \
    do {                                                                       \
        if (!(cond)) t_fail(__FILE__, __LINE__, #cond);                        \
    } while (0)

#define CHECK_EQ(a, b)                                                         \
    do {                                                                       \
        long long a_ = (long long)(a), b_ = (long long)(b);                    \
        if (a_ != b_) {                                                        \
            char m_[256];                                                      \
            snprintf(m_, sizeof m_, "%s == %s (%lld != %lld)", #a, #b, a_, b_);\
            t_fail(__FILE__, __LINE__, m_);                                    \
        }                                                                      \
    } while (0)

#define CHECK_MEM(a, b, n)                                                     \
    do {                                                                       \
        if (memcmp((a), (b), (n)) != 0)                                        \
            t_fail(__FILE__, __LINE__, "memcmp(" #a ", " #b ")");              \
    } while (0)

#define CHECK_STR(a, b)                                                        \
    do {                                                                       \
        const char *a_ = (a), *b_ = (b);                                       \
        if (!a_ || !b_ || strcmp(a_, b_) != 0) {                               \
            char m_[512];                                                      \
            snprintf(m_, sizeof m_, "%.60s == %.60s (\"%.150s\" != \"%.150s\")",\
                     #a, #b, a_ ? a_ : "(null)", b_ ? b_ : "(null)");          \
            t_fail(__FILE__, __LINE__, m_);                                    \
        }                                                                      \
    } while (0)

/* Mark the running case skipped with a reason; the caller returns. */
#define T_SKIP(why)                                                            \
    do {                                                                       \
        t_case_skipped = 1;                                                    \
        snprintf(t_case_msg, sizeof t_case_msg, "%s", why);                    \
    } while (0)

#define T_RUN(fn) t_run(#fn, fn)

T_UNUSED static void t_run(const char *name, void (*fn)(void))
{
    t_case_failed = 0;
    t_case_skipped = 0;
    t_case_msg[0] = '\0';
    fn();
    if (t_case_failed) {
        printf("FAIL %s/%s: %s", T_SUITE, name, t_case_msg);
        if (t_case_failed > 1) printf(" (and %d more)", t_case_failed - 1);
        printf("\n");
        t_failures++;
    } else if (t_case_skipped) {
        printf("SKIP %s/%s: %s\n", T_SUITE, name, t_case_msg);
    } else {
        printf("PASS %s/%s\n", T_SUITE, name);
    }
    fflush(stdout);
}

T_UNUSED static int t_done(void) { return t_failures ? 1 : 0; }

/* A small deterministic generator for property and differential tests. */
static unsigned long long t_rng_state = 0x9e3779b97f4a7c15ull;
T_UNUSED static unsigned t_rand(void)
{
    t_rng_state ^= t_rng_state << 13;
    t_rng_state ^= t_rng_state >> 7;
    t_rng_state ^= t_rng_state << 17;
    return (unsigned)(t_rng_state >> 32);
}
T_UNUSED static void t_fill(void *p, size_t n)
{
    unsigned char *b = (unsigned char *)p;
    size_t i;
    for (i = 0; i < n; i++) b[i] = (unsigned char)t_rand();
}

/* Parse lowercase or uppercase hex into out; returns the byte count. */
T_UNUSED static size_t t_unhex(unsigned char *out, const char *hex)
{
    size_t n = 0;
    while (hex[0] && hex[1]) {
        unsigned v;
        sscanf(hex, "%2x", &v);
        out[n++] = (unsigned char)v;
        hex += 2;
    }
    return n;
}

T_UNUSED static void t_tohex(char *out, const unsigned char *p, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++) sprintf(out + 2 * i, "%02x", p[i]);
    out[2 * n] = '\0';
}

#endif
