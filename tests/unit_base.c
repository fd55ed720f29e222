/* The base section and the encodings: error names, header lookup, hex and
   base64 (RFC 4648 vectors, every error, capacity edges, round trips). */
#define T_SUITE "base"
#define BLUEHOOK_IMPLEMENTATION
#include "../bluehook.h"
#include "t.h"

static const int all_errors[] = {
    BH_EINVAL,   BH_ESPACE,     BH_EINCOMPLETE, BH_ESYNTAX, BH_EUTF8,
    BH_EDEPTH,   BH_ENUMBER,    BH_ETRAILING,   BH_ENOKEY,  BH_ENOSIG,
    BH_EMALFORMED, BH_ESIG,     BH_ESTALE,      BH_EREPLAY, BH_EFULL,
    BH_ETRANSPORT, BH_ECHAR,    BH_EPADDING,    BH_ELENGTH,
    /* json */
    BH_ENOTFOUND, BH_EPOINTER, BH_ENOTINT, BH_ESTATE, BH_ETOOBIG,

    /* signatures and replay */
    BH_EINFLIGHT, BH_ENOTRESERVED, BH_EREPLAYFULL, BH_EUNAVAILABLE,

    /* events, webhooks and filters */
    BH_EFILTER, BH_ESHAPE,

    /* http */
    BH_EREQUEST, BH_EVERSION, BH_EHOST, BH_EFRAMING, BH_ECODING, BH_ECHUNK,
    BH_EHEADERS, BH_EHEADSIZE, BH_EBODYSIZE, BH_EEXPECT,

    /* sender and transports */
    BH_ECONNECT, BH_ETIMEOUT, BH_ERESET, BH_EDNS, BH_EURL, BH_EFORBIDDEN,
    BH_ENOTLS, BH_EIO, BH_ECORRUPT, BH_ECLOCK,

};
#define NERRORS (sizeof all_errors / sizeof all_errors[0])

static void errors_distinct_and_named(void)
{
    size_t i, j;
    CHECK_EQ(BH_OK, 0);
    CHECK_STR(bh_strerror(BH_OK), "ok");
    for (i = 0; i < NERRORS; i++) {
        CHECK(all_errors[i] < 0);
        CHECK(all_errors[i] != -1);
        CHECK(bh_strerror(all_errors[i]) != NULL);
        CHECK(strcmp(bh_strerror(all_errors[i]), "unknown error") != 0);
        for (j = 0; j < i; j++) {
            CHECK(all_errors[i] != all_errors[j]);
            CHECK(strcmp(bh_strerror(all_errors[i]),
                         bh_strerror(all_errors[j])) != 0);
        }
    }
    CHECK_STR(bh_strerror(-1), "unknown error");
    CHECK_STR(bh_strerror(-9999), "unknown error");
}

static void version_macros(void)
{
    char v[32];
    snprintf(v, sizeof v, "%d.%d.%d", BLUEHOOK_VERSION_MAJOR,
             BLUEHOOK_VERSION_MINOR, BLUEHOOK_VERSION_PATCH);
    CHECK_STR(v, BLUEHOOK_VERSION);
}

static void header_lookup(void)
{
    bh_header h[3];
    h[0].name = "Content-Type"; h[0].name_len = 12;
    h[0].value = "application/json"; h[0].value_len = 16;
    h[1].name = "X-SIGNATURE-extra"; h[1].name_len = 11; /* "X-SIGNATURE" */
    h[1].value = "ab"; h[1].value_len = 2;
    h[2].name = "x-signature"; h[2].name_len = 11;
    h[2].value = "cd"; h[2].value_len = 2;
    CHECK(bh_header_find(h, 3, "x-signature") == &h[1]);
    CHECK(bh_header_find(h, 3, "X-Signature") == &h[1]);
    CHECK(bh_header_find(h, 3, "content-type") == &h[0]);
    CHECK(bh_header_find(h, 3, "Content-Typ") == NULL);
    CHECK(bh_header_find(h, 3, "Content-Type-") == NULL);
    CHECK(bh_header_find(h, 3, "X-Signature-extra") == NULL);
    CHECK(bh_header_find(h + 2, 1, "X-SIGNATURE") == &h[2]);
    CHECK(bh_header_find(h, 0, "Content-Type") == NULL);
    CHECK(bh_header_find(NULL, 0, "Content-Type") == NULL);
}

static void hex_known(void)
{
    static const unsigned char bytes[] = {0x00, 0x01, 0x7f, 0x80, 0xab, 0xff};
    char out[13];
    unsigned char back[6];
    size_t v;
    CHECK_EQ(bh_hex_encode(out, sizeof out, bytes, 6), 12);
    CHECK_STR(out, "00017f80abff");
    CHECK_EQ(bh_hex_decode(back, sizeof back, "00017f80abff", 12), 6);
    CHECK_MEM(back, bytes, 6);
    CHECK_EQ(bh_hex_decode(back, sizeof back, "00017F80ABFF", 12), 6);
    CHECK_MEM(back, bytes, 6);
    CHECK_EQ(bh_hex_decode(back, sizeof back, "00017f80AbFf", 12), 6);
    CHECK_MEM(back, bytes, 6);
    CHECK_EQ(bh_hex_encode(out, sizeof out, NULL, 0), 0);
    CHECK_STR(out, "");
    CHECK_EQ(bh_hex_decode(back, 0, NULL, 0), 0);
    /* every byte value: exactly 0-9, a-f, A-F are digits */
    for (v = 0; v < 256; v++) {
        char in[2];
        int r;
        in[0] = '0';
        in[1] = (char)v;
        r = bh_hex_decode(back, 1, in, 2);
        if ((v >= '0' && v <= '9') || (v >= 'a' && v <= 'f') ||
            (v >= 'A' && v <= 'F'))
            CHECK_EQ(r, 1);
        else
            CHECK_EQ(r, BH_ECHAR);
    }
}

static void hex_errors_and_capacity(void)
{
    unsigned char out[8];
    char txt[8];
    CHECK_EQ(bh_hex_decode(out, sizeof out, "abc", 3), BH_ELENGTH);
    CHECK_EQ(bh_hex_decode(out, sizeof out, "zz", 2), BH_ECHAR);
    CHECK_EQ(bh_hex_decode(out, sizeof out, "0g", 2), BH_ECHAR);
    CHECK_EQ(bh_hex_decode(out, sizeof out, "a\0", 2), BH_ECHAR);
    memset(out, 0xee, sizeof out);
    CHECK_EQ(bh_hex_decode(out, 2, "aabbcc", 6), BH_ESPACE);
    CHECK_EQ(out[2], 0xee);
    memset(txt, 'x', sizeof txt);
    CHECK_EQ(bh_hex_encode(txt, 6, "abc", 3), BH_ESPACE); /* needs 7 */
    CHECK_EQ(txt[0], 'x');
    CHECK_EQ(bh_hex_encode(txt, 7, "abc", 3), 6);
    CHECK_STR(txt, "616263");
    CHECK_EQ(txt[7], 'x');
}

static void base64_rfc4648(void)
{
    static const char *plain[] = {"", "f", "fo", "foo", "foob", "fooba", "foobar"};
    static const char *code[] = {"", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==",
                                 "Zm9vYmE=", "Zm9vYmFy"};
    size_t i;
    for (i = 0; i < 7; i++) {
        char out[16];
        unsigned char back[16];
        size_t n = strlen(plain[i]);
        CHECK_EQ(bh_base64_encode(out, sizeof out, plain[i], n),
                 (int)strlen(code[i]));
        CHECK_STR(out, code[i]);
        CHECK_EQ(bh_base64_decode(back, sizeof back, code[i], strlen(code[i])),
                 (int)n);
        CHECK_MEM(back, plain[i], n);
        /* exactly enough room */
        CHECK_EQ(bh_base64_decode(back, n, code[i], strlen(code[i])), (int)n);
        if (n) {
            back[n - 1] = 0xee;
            CHECK_EQ(bh_base64_decode(back, n - 1, code[i], strlen(code[i])),
                     BH_ESPACE);
        }
        CHECK_EQ(bh_base64_encode(out, BH_BASE64_LEN(n), plain[i], n),
                 BH_ESPACE);
    }
}

static void base64_errors(void)
{
    unsigned char out[32];
    CHECK_EQ(bh_base64_decode(out, sizeof out, "Zg=", 3), BH_ELENGTH);
    CHECK_EQ(bh_base64_decode(out, sizeof out, "Zg", 2), BH_ELENGTH);
    CHECK_EQ(bh_base64_decode(out, sizeof out, "Zm9vY", 5), BH_ELENGTH);
    CHECK_EQ(bh_base64_decode(out, sizeof out, "Z$==", 4), BH_ECHAR);
    CHECK_EQ(bh_base64_decode(out, sizeof out, "Zm9-", 4), BH_ECHAR);
    CHECK_EQ(bh_base64_decode(out, sizeof out, "Zm9_", 4), BH_ECHAR);
    CHECK_EQ(bh_base64_decode(out, sizeof out, "Zm 9", 4), BH_ECHAR);
    CHECK_EQ(bh_base64_decode(out, sizeof out, "Zm\09", 4), BH_ECHAR);
    CHECK_EQ(bh_base64_decode(out, sizeof out, "Zg=a", 4), BH_EPADDING);
    CHECK_EQ(bh_base64_decode(out, sizeof out, "=Zg=", 4), BH_EPADDING);
    CHECK_EQ(bh_base64_decode(out, sizeof out, "Z===", 4), BH_EPADDING);
    CHECK_EQ(bh_base64_decode(out, sizeof out, "====", 4), BH_EPADDING);
    CHECK_EQ(bh_base64_decode(out, sizeof out, "Zg==Zg==", 8), BH_EPADDING);
    CHECK_EQ(bh_base64_decode(out, sizeof out, "Zm8=Zm9v", 8), BH_EPADDING);
    /* non-zero bits under the padding: a second spelling of the same bytes */
    CHECK_EQ(bh_base64_decode(out, sizeof out, "Zh==", 4), BH_EPADDING);
    CHECK_EQ(bh_base64_decode(out, sizeof out, "Zm9=", 4), BH_EPADDING);
    CHECK_EQ(bh_base64_decode(out, sizeof out, "Zm8=", 4), 2);
}

static void base64_alphabet(void)
{
    size_t v;
    for (v = 0; v < 256; v++) {
        char in[4] = {'A', 'A', 'A', 'A'};
        unsigned char out[3];
        int ok = (v >= 'A' && v <= 'Z') || (v >= 'a' && v <= 'z') ||
                 (v >= '0' && v <= '9') || v == '+' || v == '/';
        in[1] = (char)v;
        if (v == '=') continue; /* padding, tested above */
        CHECK_EQ(bh_base64_decode(out, 3, in, 4), ok ? 3 : BH_ECHAR);
    }
}

static void base64_round_trip(void)
{
    unsigned char in[200], back[200];
    char txt[BH_BASE64_LEN(200) + 1];
    size_t n, k;
    for (k = 0; k < 20; k++)
        for (n = 0; n <= sizeof in; n++) {
            int len;
            t_fill(in, n);
            len = bh_base64_encode(txt, sizeof txt, in, n);
            CHECK_EQ(len, (int)BH_BASE64_LEN(n));
            CHECK_EQ(bh_base64_decode(back, sizeof back, txt, (size_t)len),
                     (int)n);
            CHECK_MEM(back, in, n);
        }
}

int main(void)
{
    T_RUN(errors_distinct_and_named);
    T_RUN(version_macros);
    T_RUN(header_lookup);
    T_RUN(hex_known);
    T_RUN(hex_errors_and_capacity);
    T_RUN(base64_rfc4648);
    T_RUN(base64_errors);
    T_RUN(base64_alphabet);
    T_RUN(base64_round_trip);
    return t_done();
}
