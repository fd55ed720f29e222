/* Differential test against OpenSSL's libcrypto: random keys of 0-300 bytes
   and messages of 0-100 KB at unaligned addresses, through every SHA-256
   path, one-shot, prepared and streaming. */
#define T_SUITE "openssl"
#define BLUEHOOK_IMPLEMENTATION
#include "../bluehook.h"
#include "t.h"

#include <stdlib.h>

#ifdef BH_HAVE_OPENSSL
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

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

#define MAXMSG 100000
static unsigned char msgbuf[MAXMSG + 16];

static void sha256_random(void)
{
    int k;
    size_t i;
    for (k = 0; k < 1000; k++) {
        size_t len = (k % 4 == 0) ? t_rand() % (MAXMSG + 1) : t_rand() % 2000;
        size_t off = t_rand() % 16;
        unsigned char want[32], got[32];
        t_fill(msgbuf + off, len);
        SHA256(msgbuf + off, len, want);
        bh_sha256(msgbuf + off, len, got);
        CHECK_MEM(got, want, 32);
        for (i = 0; i < npaths; i++) {
            bh__sha256_path_oneshot(paths[i], msgbuf + off, len, got);
            CHECK_MEM(got, want, 32);
        }
    }
}

static void hmac_random(void)
{
    int k;
    size_t i;
    for (k = 0; k < 3000; k++) {
        unsigned char keybuf[300 + 16], want[32], got[32];
        size_t klen = t_rand() % 301, koff = t_rand() % 16;
        size_t len = (k % 3 == 0) ? t_rand() % (MAXMSG + 1) : t_rand() % 3000;
        size_t off = t_rand() % 16;
        unsigned int wlen = 0;
        t_fill(keybuf + koff, klen);
        t_fill(msgbuf + off, len);
        HMAC(EVP_sha256(), keybuf + koff, (int)klen, msgbuf + off, len, want,
             &wlen);
        CHECK_EQ(wlen, 32);
        bh_hmac_sha256(keybuf + koff, klen, msgbuf + off, len, got);
        CHECK_MEM(got, want, 32);
        for (i = 0; i < npaths; i++) {
            bh_hmac_key hk;
            bh__hmac_key_init_path(&hk, paths[i], keybuf + koff, klen);
            bh_hmac(&hk, msgbuf + off, len, got);
            CHECK_MEM(got, want, 32);
            if (k % 10 == 0) { /* streaming, in random pieces */
                bh_hmac_ctx c;
                size_t done = 0;
                bh_hmac_init(&c, &hk);
                while (done < len) {
                    size_t n = 1 + t_rand() % 700;
                    if (n > len - done) n = len - done;
                    bh_hmac_update(&c, msgbuf + off + done, n);
                    done += n;
                }
                bh_hmac_final(&c, got);
                CHECK_MEM(got, want, 32);
            }
        }
    }
}
#endif

int main(void)
{
#ifdef BH_HAVE_OPENSSL
    find_paths();
    T_RUN(sha256_random);
    T_RUN(hmac_random);
#else
    printf("SKIP openssl/differential: libcrypto not found (install libssl-dev)\n");
#endif
    return t_done();
}
