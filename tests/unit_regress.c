/* Regressions found by hardening (issue 8): each case is a finding of the
   fuzzers (its input is in fuzz/regress/), of the sanitizers, or of the
   cross-architecture runs, reduced to the smallest call that showed it. */
#define T_SUITE "regress"
#define BLUEHOOK_IMPLEMENTATION
#include "../bluehook.h"
#include "t.h"

/* fuzz/regress/fuzz_sig/header-null-empty-name: a header whose name is
   (NULL, 0) is the empty name, as any (NULL, 0) input is; it was skipped. */
static void header_null_empty_name(void)
{
    bh_header h[2];
    memset(h, 0, sizeof h);
    h[0].name = NULL;
    h[0].name_len = 0;
    h[1].name = "";
    h[1].name_len = 0;
    CHECK(bh_header_find(h, 2, "") == &h[0]);
    CHECK(bh_header_find(h, 2, "x") == NULL);
    h[0].name_len = 3; /* NULL with a length: ignored, never read */
    CHECK(bh_header_find(h, 2, "") == &h[1]);
}

int main(void)
{
    T_RUN(header_null_empty_name);
    return t_done();
}
