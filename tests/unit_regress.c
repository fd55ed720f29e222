/* Regressions found by hardening (issue 8): each case is a finding of the
   fuzzers (its input is in fuzz/regress/), of the sanitizers, or of the
   cross-architecture runs, reduced to the smallest call that showed it. */
#define _POSIX_C_SOURCE 200809L /* the journal */
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

/* check_tcc.sh, replaying fuzz/corpus/fuzz_receive (an input of nine
   HTABs): where __builtin_ctzll is missing (tcc, MSVC), the search for a
   control byte stepped over an HTAB inside an 8-byte word and read on
   past the bytes given. A request line of HTABs is incomplete, whatever
   lies beyond its length; every split of it says the same. */
static void http_htab_word_stays_within_len(void)
{
    static char buf[64];
    bh_header h[4];
    bh_http_parser p;
    bh_http_request r;
    size_t n, k;
    for (n = 8; n <= 24; n++) {
        memset(buf, 'G', sizeof buf); /* a malformed request if it were read */
        memset(buf, '\t', n);
        bh_http_init(&p, h, 4);
        CHECK_EQ(bh_http_parse(&p, buf, n, &r), BH_EINCOMPLETE);
        bh_http_init(&p, h, 4);
        for (k = 1; k <= n; k++) CHECK_EQ(bh_http_parse(&p, buf, k, &r), BH_EINCOMPLETE);
    }
    memcpy(buf, "GET\t", 4); /* an HTAB is still refused where it stands */
    memcpy(buf + 4, "/ HTTP/1.1\r\n\r\n", 14);
    bh_http_init(&p, h, 4);
    CHECK_EQ(bh_http_parse(&p, buf, 18, &r), BH_EREQUEST);
}

/* fuzz/regress/fuzz_writer/raw-past-depth-limit: bh_jw_raw did not count
   the fragment's own nesting, so 1020 arrays and a raw fragment of 10
   levels wrote a document deeper than BH_JW_MAX_DEPTH (and than the reader
   accepts) and reported success. It is BH_EDEPTH, as for bh_jw_begin_*;
   up to the limit exactly it is accepted. */
static void jw_raw_counts_fragment_depth(void)
{
    static char out[4096];
    static const char frag[] = "[[[[[[[[[[]]]]]]]]]]", str[] = "[\"[[[[[[[[[[\"]";
    bh_json_writer w;
    bh_json doc;
    int i, n;
    bh_jw_init(&w, NULL, 0);
    for (i = 0; i < 1020; i++) CHECK_EQ(bh_jw_begin_array(&w), BH_OK);
    CHECK_EQ(bh_jw_raw(&w, frag, sizeof frag - 1), BH_EDEPTH);
    CHECK_EQ(bh_jw_finish(&w), BH_EDEPTH); /* sticky */
    bh_jw_init(&w, out, sizeof out);
    for (i = 0; i < 1014; i++) CHECK_EQ(bh_jw_begin_array(&w), BH_OK);
    CHECK_EQ(bh_jw_raw(&w, frag, sizeof frag - 1), BH_OK); /* 1024 levels */
    CHECK_EQ(bh_jw_raw(&w, str, sizeof str - 1), BH_OK); /* brackets in a string */
    for (i = 0; i < 1014; i++) CHECK_EQ(bh_jw_end_array(&w), BH_OK);
    n = bh_jw_finish(&w);
    CHECK(n > 0);
    if (n > 0) CHECK_EQ(bh_json_parse(&doc, out, (size_t)n, NULL, 0), BH_OK);
}

/* fuzz/regress/fuzz_filter/espace-then-eval: after bh_filter_parse
   answered BH_ESPACE, the filter kept its node array with nnodes set to
   the count needed, so eval and explain walked half-built nodes (and read
   past the two given). The filter is unusable instead: BH_EINVAL. */
static void filter_espace_leaves_it_unusable(void)
{
    static const char text[] = "/a==1&&/b==2", payload[] = "{}";
    bh_filter_node nodes[2];
    bh_filter f;
    bh_json doc;
    bh_json_tok toks[2];
    size_t pos = 99, len = 99;
    CHECK_EQ(bh_json_parse(&doc, payload, 2, toks, 2), BH_OK);
    CHECK_EQ(bh_filter_parse(&f, text, sizeof text - 1, nodes, 2), BH_ESPACE);
    CHECK(f.nnodes > 2);
    CHECK_EQ(bh_filter_eval(&f, &doc), BH_EINVAL);
    CHECK_EQ(bh_filter_explain(&f, &doc, &pos, &len), BH_EINVAL);
    CHECK(pos == 99 && len == 99);
    CHECK_EQ(bh_filter_parse(&f, "/a==", 4, nodes, 2), BH_EFILTER);
    CHECK_EQ(bh_filter_eval(&f, &doc), BH_EINVAL);
}

#ifdef BLUEHOOK_HAS_POSIX
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>
/* check_cross.sh (armhf, powerpc): a journal batch whose records add up to
   more than 4 GB wrapped the 32-bit total under the 2 GB limit; append then
   read a gigabyte past a small buffer. It must be refused up front. */
static void journal_batch_total_wraps_32_bits(void)
{
    static uint8_t loadbuf[64];
    char dir[] = "/tmp/bh-regress-XXXXXX", path[64];
    uint8_t small[8] = {0};
    bh_store_record r[5];
    bh_journal j;
    bh_store s;
    bh_store_batch b;
    size_t i;
    if (!mkdtemp(dir)) {
        T_SKIP("mkdtemp failed");
        return;
    }
    snprintf(path, sizeof path, "%s/journal", dir);
    CHECK_EQ(bh_journal_open(&j, path, loadbuf, sizeof loadbuf), BH_OK);
    s = bh_journal_store(&j);
    memset(r, 0, sizeof r);
    for (i = 0; i < 5; i++) { /* 5 x 1 GB views of the same 8 bytes */
        r[i].kind = BH_RECORD_EVENT;
        r[i].data = small;
        r[i].data_len = 0x3fffffff;
    }
    b = bh_store_batch_array(r, 5);
    CHECK_EQ(s.append(s.ctx, &b), BH_EINVAL);
    b = bh_store_batch_array(r, 2);
    CHECK_EQ(s.append(s.ctx, &b), BH_EINVAL); /* 2 GB + 32: over too */
    bh_journal_close(&j);
    unlink(path);
    rmdir(dir);
}

static int count_records(void *arg, const bh_store_record *r)
{
    (void)r;
    (*(int *)arg)++;
    return 0;
}

/* check_cross.sh (armhf, powerpc): a torn last frame whose head claims
   nearly 2 GB overflowed the 32-bit off_t end of frame, and was reported
   as damage (BH_ECORRUPT) instead of being cut off as a torn write. */
static void journal_torn_big_frame_32_bit_off_t(void)
{
    static const uint8_t torn[] = {'B', 'H', 'J', '1', 0xf0, 0xff, 0xff, 0x7f,
                                   'a', 'b', 'c'};
    static uint8_t loadbuf[256];
    char dir[] = "/tmp/bh-regress-XXXXXX", path[64];
    bh_store_record r;
    bh_journal j;
    bh_store s;
    bh_store_batch b;
    long good;
    int fd, n = 0;
    if (!mkdtemp(dir)) {
        T_SKIP("mkdtemp failed");
        return;
    }
    snprintf(path, sizeof path, "%s/journal", dir);
    CHECK_EQ(bh_journal_open(&j, path, loadbuf, sizeof loadbuf), BH_OK);
    s = bh_journal_store(&j);
    memset(&r, 0, sizeof r);
    r.kind = BH_RECORD_EVENT;
    r.data = (const uint8_t *)"{}";
    r.data_len = 2;
    b = bh_store_batch_array(&r, 1);
    CHECK_EQ(s.append(s.ctx, &b), BH_OK);
    good = (long)lseek(j.fd, 0, SEEK_END);
    fd = open(path, O_WRONLY | O_APPEND);
    CHECK(fd >= 0 && write(fd, torn, sizeof torn) == (ssize_t)sizeof torn);
    if (fd >= 0) close(fd);
    CHECK_EQ(s.load(s.ctx, count_records, &n), BH_OK);
    CHECK_EQ(n, 1);
    CHECK_EQ((long)lseek(j.fd, 0, SEEK_END), good); /* cut off */
    bh_journal_close(&j);
    unlink(path);
    rmdir(dir);
}
#endif

int main(void)
{
    T_RUN(header_null_empty_name);
    T_RUN(http_htab_word_stays_within_len);
    T_RUN(jw_raw_counts_fragment_depth);
    T_RUN(filter_espace_leaves_it_unusable);
#ifdef BLUEHOOK_HAS_POSIX
    T_RUN(journal_batch_total_wraps_32_bits);
    T_RUN(journal_torn_big_frame_32_bit_off_t);
#endif
    return t_done();
}
