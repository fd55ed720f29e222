/* SHA-256 and HMAC-SHA256: FIPS 180-4 and RFC 4231 known answers, streaming
   at every split, every hardware path against the portable one, bh_ct_equal
   and bh_wipe. */
#define T_SUITE "sha256"
#define BLUEHOOK_IMPLEMENTATION
#include "../bluehook.h"
#include "t.h"

#include <stdlib.h>

/* The block paths present on this machine (portable first). */
static uint32_t paths[4];
static size_t npaths;

static void find_paths(void)
{
    paths[npaths++] = BH__PATH_PORTABLE;
#ifdef BH__X86_SHA
    if (bh__cpu_has_shani()) paths[npaths++] = BH__PATH_SHANI;
#endif
#ifdef BH__ARM_SHA
    if (bh__cpu_has_armv8_sha2()) paths[npaths++] = BH__PATH_ARMV8;
#endif
}

static void hash_path(uint32_t path, const void *p, size_t n, uint8_t out[32])
{
    bh_sha256_ctx c;
    bh__sha256_init_path(&c, path);
    bh_sha256_update(&c, p, n);
    bh_sha256_final(&c, out);
}

static void check_digest(uint32_t path, const char *msg, size_t len,
                         const char *hex)
{
    uint8_t d[32], d2[32];
    char got[65];
    hash_path(path, msg, len, d);
    t_tohex(got, d, 32);
    CHECK_STR(got, hex);
    bh__sha256_path_oneshot(path, msg, len, d2);
    CHECK_MEM(d, d2, 32);
}

static void fips_examples(void)
{
    static const char m896[] =
        "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmno"
        "ijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";
    size_t i;
    for (i = 0; i < npaths; i++) {
        check_digest(paths[i], "", 0, "e3b0c44298fc1c149afbf4c8996fb924"
                                      "27ae41e4649b934ca495991b7852b855");
        check_digest(paths[i], "abc", 3, "ba7816bf8f01cfea414140de5dae2223"
                                         "b00361a396177a9cb410ff61f20015ad");
        check_digest(paths[i],
                     "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
                     56, "248d6a61d20638b8e5c026930c3e6039"
                         "a33ce45964ff2167f6ecedd419db06c1");
        check_digest(paths[i], m896, 112, "cf5b16a778af8380036ce59e7b049237"
                                          "0b249b11e8f07a51afac45037afee9d1");
    }
}

static void million_a(void)
{
    static char a[1000000];
    const char *want = "cdc76e5c9914fb9281a1c7e284d73e67"
                       "f1809a48a497200e046d39ccc7112cd0";
    size_t i, j;
    memset(a, 'a', sizeof a);
    for (i = 0; i < npaths; i++) {
        bh_sha256_ctx c;
        uint8_t d[32];
        char got[65];
        check_digest(paths[i], a, sizeof a, want);
        /* and in uneven pieces */
        bh__sha256_init_path(&c, paths[i]);
        for (j = 0; j < sizeof a;) {
            size_t n = 1 + (j * 7919) % 1000;
            if (n > sizeof a - j) n = sizeof a - j;
            bh_sha256_update(&c, a + j, n);
            j += n;
        }
        bh_sha256_final(&c, d);
        t_tohex(got, d, 32);
        CHECK_STR(got, want);
    }
    {
        uint8_t d[32];
        char got[65];
        bh_sha256(a, sizeof a, d);
        t_tohex(got, d, 32);
        CHECK_STR(got, want);
    }
}

static void split_every_position(void)
{
    uint8_t msg[300], whole[32], parts[32];
    size_t i, s, t;
    t_fill(msg, sizeof msg);
    for (i = 0; i < npaths; i++) {
        hash_path(paths[i], msg, sizeof msg, whole);
        for (s = 0; s <= sizeof msg; s++) {
            bh_sha256_ctx c;
            bh__sha256_init_path(&c, paths[i]);
            bh_sha256_update(&c, msg, s);
            bh_sha256_update(&c, msg + s, sizeof msg - s);
            bh_sha256_final(&c, parts);
            CHECK_MEM(whole, parts, 32);
        }
        /* three pieces: every first cut, a second cut 0..130 later */
        for (s = 0; s <= sizeof msg; s += 7)
            for (t = s; t <= sizeof msg && t <= s + 130; t++) {
                bh_sha256_ctx c;
                bh__sha256_init_path(&c, paths[i]);
                bh_sha256_update(&c, msg, s);
                bh_sha256_update(&c, msg + s, t - s);
                bh_sha256_update(&c, msg + t, sizeof msg - t);
                bh_sha256_final(&c, parts);
                CHECK_MEM(whole, parts, 32);
            }
    }
}

static void paths_agree(void)
{
    static uint8_t buf[70000];
    size_t i, k;
    t_fill(buf, sizeof buf);
    printf("# sha256 paths on this machine:");
    for (i = 0; i < npaths; i++)
        printf(" %s", paths[i] == BH__PATH_SHANI   ? "sha-ni"
                      : paths[i] == BH__PATH_ARMV8 ? "armv8"
                                                   : "portable");
    printf(" (active: %s)\n", bh_sha256_backend());
    for (k = 0; k < 400; k++) {
        size_t len = k < 200 ? k : t_rand() % sizeof buf;
        size_t off = t_rand() % 16;
        uint8_t ref[32], d[32], key[100];
        bh_hmac_key hk;
        size_t klen = t_rand() % sizeof key;
        if (len > sizeof buf - off) len = sizeof buf - off;
        t_fill(key, klen);
        bh__sha256_path_oneshot(BH__PATH_PORTABLE, buf + off, len, ref);
        for (i = 1; i < npaths; i++) {
            bh__sha256_path_oneshot(paths[i], buf + off, len, d);
            CHECK_MEM(ref, d, 32);
        }
        bh__hmac_key_init_path(&hk, BH__PATH_PORTABLE, key, klen);
        bh_hmac(&hk, buf + off, len, ref);
        for (i = 1; i < npaths; i++) {
            bh__hmac_key_init_path(&hk, paths[i], key, klen);
            bh_hmac(&hk, buf + off, len, d);
            CHECK_MEM(ref, d, 32);
        }
    }
}

static void final_keeps_context(void)
{
    bh_sha256_ctx c;
    uint8_t d1[32], d2[32], want[32];
    bh_sha256_init(&c);
    bh_sha256_update(&c, "ab", 2);
    bh_sha256_final(&c, d1);
    bh_sha256_final(&c, d2);
    CHECK_MEM(d1, d2, 32);
    bh_sha256("ab", 2, want);
    CHECK_MEM(d1, want, 32);
    bh_sha256_update(&c, "c", 1);
    bh_sha256_final(&c, d1);
    bh_sha256("abc", 3, want);
    CHECK_MEM(d1, want, 32);
}

static void null_with_zero_length(void)
{
    uint8_t d[32], want[32], m1[32], m2[32];
    bh_sha256_ctx c;
    bh_sha256("", 0, want);
    bh_sha256(NULL, 0, d);
    CHECK_MEM(d, want, 32);
    bh_sha256_init(&c);
    bh_sha256_update(&c, NULL, 0);
    bh_sha256_final(&c, d);
    CHECK_MEM(d, want, 32);
    bh_hmac_sha256("k", 1, NULL, 0, m1);
    bh_hmac_sha256("k", 1, "", 0, m2);
    CHECK_MEM(m1, m2, 32);
    bh_hmac_sha256(NULL, 0, NULL, 0, m1);
    bh_hmac_sha256("", 0, "", 0, m2);
    CHECK_MEM(m1, m2, 32);
}

struct rfc4231 {
    const char *key_hex, *data, *data_hex, *mac_hex;
};

static const struct rfc4231 rfc4231_cases[] = {
    {"0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "Hi There", NULL,
     "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"},
    {"4a656665", "what do ya want for nothing?", NULL,
     "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"},
    {"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", NULL,
     "dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd"
     "dddddddddddddddddddddddddddddddd",
     "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"},
    {"0102030405060708090a0b0c0d0e0f10111213141516171819", NULL,
     "cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd"
     "cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd",
     "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"},
    /* case 5: the MAC is truncated to 128 bits */
    {"0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c", "Test With Truncation", NULL,
     "a3b6167473100ee06e0c796c2955552b"},
    {"aa", "Test Using Larger Than Block-Size Key - Hash Key First", NULL,
     "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"},
    {"aa",
     "This is a test using a larger than block-size key and a larger than "
     "block-size data. The key needs to be hashed before being used by the "
     "HMAC algorithm.",
     NULL,
     "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"},
};

static void hmac_rfc4231(void)
{
    size_t c, i, s;
    for (c = 0; c < sizeof rfc4231_cases / sizeof rfc4231_cases[0]; c++) {
        const struct rfc4231 *tc = &rfc4231_cases[c];
        unsigned char key[131], data[200], want[32];
        size_t klen, dlen, mlen;
        uint8_t mac[32];
        if (strcmp(tc->key_hex, "aa") == 0) { /* cases 6 and 7: 131 x 0xaa */
            memset(key, 0xaa, 131);
            klen = 131;
        } else {
            klen = t_unhex(key, tc->key_hex);
        }
        if (tc->data) {
            dlen = strlen(tc->data);
            memcpy(data, tc->data, dlen);
        } else {
            dlen = t_unhex(data, tc->data_hex);
        }
        mlen = t_unhex(want, tc->mac_hex);
        bh_hmac_sha256(key, klen, data, dlen, mac);
        CHECK_MEM(mac, want, mlen);
        for (i = 0; i < npaths; i++) {
            bh_hmac_key k;
            bh__hmac_key_init_path(&k, paths[i], key, klen);
            bh_hmac(&k, data, dlen, mac);
            CHECK_MEM(mac, want, mlen);
            for (s = 0; s <= dlen; s++) {
                bh_hmac_ctx h;
                bh_hmac_init(&h, &k);
                bh_hmac_update(&h, data, s);
                bh_hmac_update(&h, data + s, dlen - s);
                bh_hmac_final(&h, mac);
                CHECK_MEM(mac, want, mlen);
            }
        }
    }
}

static void hmac_key_lengths(void)
{
    static const size_t lens[] = {0, 1, 31, 32, 55, 56, 63, 64, 65, 127, 128, 300};
    uint8_t key[300], msg[200];
    size_t i;
    t_fill(key, sizeof key);
    t_fill(msg, sizeof msg);
    for (i = 0; i < sizeof lens / sizeof lens[0]; i++) {
        uint8_t a[32], b[32], hashed[32];
        bh_hmac_key k;
        bh_hmac_ctx h;
        bh_hmac_sha256(key, lens[i], msg, sizeof msg, a);
        bh_hmac_key_init(&k, key, lens[i]);
        bh_hmac_init(&h, &k);
        bh_hmac_update(&h, msg, 77);
        bh_hmac_update(&h, msg + 77, sizeof msg - 77);
        bh_hmac_final(&h, b);
        CHECK_MEM(a, b, 32);
        /* RFC 2104: a key longer than a block is replaced by its hash */
        if (lens[i] > 64) {
            bh_sha256(key, lens[i], hashed);
            bh_hmac_sha256(hashed, 32, msg, sizeof msg, b);
            CHECK_MEM(a, b, 32);
        }
    }
}

static void ct_equal_every_length(void)
{
    uint8_t a[64], b[64];
    size_t len, pos;
    int bit;
    t_fill(a, sizeof a);
    for (len = 0; len <= 64; len++) {
        memcpy(b, a, sizeof a);
        CHECK_EQ(bh_ct_equal(a, b, len), 1);
        for (pos = 0; pos < len; pos++)
            for (bit = 0; bit < 8; bit++) {
                b[pos] ^= (uint8_t)(1u << bit);
                CHECK_EQ(bh_ct_equal(a, b, len), 0);
                b[pos] ^= (uint8_t)(1u << bit);
            }
        if (len < 64) { /* a difference past len is not looked at */
            b[len] ^= 0xff;
            CHECK_EQ(bh_ct_equal(a, b, len), 1);
        }
    }
    CHECK_EQ(bh_ct_equal(NULL, NULL, 0), 1);
}

static void wipe_zeroes(void)
{
    uint8_t buf[100];
    size_t i;
    int zero = 1;
    memset(buf, 0x5a, sizeof buf);
    bh_wipe(buf + 1, 98);
    for (i = 1; i < 99; i++) zero &= buf[i] == 0;
    CHECK(zero);
    CHECK_EQ(buf[0], 0x5a);
    CHECK_EQ(buf[99], 0x5a);
    bh_wipe(NULL, 0);
}

static void backend_name(void)
{
    const char *b = bh_sha256_backend();
    CHECK(strcmp(b, "sha-ni") == 0 || strcmp(b, "armv8") == 0 ||
          strcmp(b, "portable") == 0);
#ifdef BLUEHOOK_NO_ASM
    CHECK_STR(b, "portable");
#endif
#if defined(__linux__) && defined(BH__X86_SHA)
    { /* the probe agrees with what the kernel reports */
        FILE *f = fopen("/proc/cpuinfo", "r");
        char line[4096];
        int has = 0;
        if (!f) {
            T_SKIP("no /proc/cpuinfo");
            return;
        }
        while (fgets(line, sizeof line, f))
            if (strncmp(line, "flags", 5) == 0 && strstr(line, " sha_ni")) has = 1;
        fclose(f);
        if (!getenv("BH_UNDER_VALGRIND")) CHECK_STR(b, has ? "sha-ni" : "portable");
    }
#endif
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "--backend") == 0) {
        printf("%s\n", bh_sha256_backend());
        return 0;
    }
    find_paths();
    T_RUN(fips_examples);
    T_RUN(million_a);
    T_RUN(split_every_position);
    T_RUN(paths_agree);
    T_RUN(final_keeps_context);
    T_RUN(null_with_zero_length);
    T_RUN(hmac_rfc4231);
    T_RUN(hmac_key_lengths);
    T_RUN(ct_equal_every_length);
    T_RUN(wipe_zeroes);
    T_RUN(backend_name);
    return t_done();
}
