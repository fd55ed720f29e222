/* HMAC-SHA256 throughput: bluehook (hardware and portable paths, one-shot
   and prepared key) against OpenSSL 3 (HMAC() one-shot, and a reused EVP_MAC
   context keeping its key, which is OpenSSL at its fastest). OpenSSL without
   its SHA extensions runs in a child process started with
   OPENSSL_ia32cap=:~0x20000000, in the same run, interleaved there with
   bluehook's portable path for their ratio. Medians of interleaved
   samples; ratios are against the reused EVP_MAC. */
#include "bench.h"
#define BLUEHOOK_IMPLEMENTATION
#include "../bluehook.h"

#ifdef BH_HAVE_OPENSSL
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#endif

static const char KEY[] = "a-blue-webhook-secret-of-32-byte";
static uint8_t *msg;
static size_t msg_len;
static bh_hmac_key key_hw, key_portable;

static void keep(const uint8_t mac[32]) { bench_sink += mac[0]; }

static void bh_oneshot(void *arg, size_t n)
{
    uint8_t mac[32];
    (void)arg;
    while (n--) {
        bh_hmac_sha256(KEY, sizeof KEY - 1, msg, msg_len, mac);
        keep(mac);
    }
}

static void bh_prepared(void *arg, size_t n)
{
    uint8_t mac[32];
    (void)arg;
    while (n--) {
        bh_hmac(&key_hw, msg, msg_len, mac);
        keep(mac);
    }
}

static void portable_oneshot(void *arg, size_t n)
{
    uint8_t mac[32];
    bh_hmac_key k;
    (void)arg;
    while (n--) {
        bh__hmac_key_init_path(&k, BH__PATH_PORTABLE, KEY, sizeof KEY - 1);
        bh_hmac(&k, msg, msg_len, mac);
        keep(mac);
    }
}

static void portable_prepared(void *arg, size_t n)
{
    uint8_t mac[32];
    (void)arg;
    while (n--) {
        bh_hmac(&key_portable, msg, msg_len, mac);
        keep(mac);
    }
}

#ifdef BH_HAVE_OPENSSL
static EVP_MAC_CTX *evp;

static void ossl_hmac(void *arg, size_t n)
{
    uint8_t mac[32];
    unsigned len;
    (void)arg;
    while (n--) {
        HMAC(EVP_sha256(), KEY, (int)(sizeof KEY - 1), msg, msg_len, mac, &len);
        keep(mac);
    }
}

static void ossl_evp_reused(void *arg, size_t n)
{
    uint8_t mac[32];
    size_t len;
    (void)arg;
    while (n--) {
        EVP_MAC_init(evp, NULL, 0, NULL);
        EVP_MAC_update(evp, msg, msg_len);
        EVP_MAC_final(evp, mac, &len, sizeof mac);
        keep(mac);
    }
}

static void evp_setup(void)
{
    EVP_MAC *m = EVP_MAC_fetch(NULL, "HMAC", NULL);
    OSSL_PARAM params[2];
    char digest[] = "SHA256";
    params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0);
    params[1] = OSSL_PARAM_construct_end();
    evp = EVP_MAC_CTX_new(m);
    EVP_MAC_init(evp, (const unsigned char *)KEY, sizeof KEY - 1, params);
    EVP_MAC_free(m);
}
#endif

static const size_t SIZES[] = {64, 2500, 65536, 1048576};
#define NSIZES (sizeof SIZES / sizeof SIZES[0])

static void set_size(size_t n)
{
    size_t i;
    msg_len = n;
    for (i = 0; i < n; i++) msg[i] = (uint8_t)(i * 131 + 7);
}

static double mbps(size_t len, double ns) { return (double)len / ns * 1e3; }

/* Child mode (OPENSSL_ia32cap masks SHA-NI off): OpenSSL's reused EVP_MAC
   and bluehook's portable prepared key, interleaved in the same process,
   printed as "size evp_ns portable_ns" lines. */
static int child_without_sha(void)
{
#ifdef BH_HAVE_OPENSSL
    size_t s;
    evp_setup();
    for (s = 0; s < NSIZES; s++) {
        bench_contender c[2];
        memset(c, 0, sizeof c);
        c[0].name = "evp";
        c[0].run = ossl_evp_reused;
        c[1].name = "portable";
        c[1].run = portable_prepared;
        set_size(SIZES[s]);
        bench_compare(c, 2, 15, SIZES[s] > 65536 ? 30e6 : 10e6);
        printf("%zu %.3f %.3f\n", SIZES[s], c[0].median_ns, c[1].median_ns);
    }
#endif
    return 0;
}

/* Run ourselves again with OpenSSL's SHA extensions masked off. */
static void openssl_without_sha(double ns[NSIZES], double portable[NSIZES])
{
    char cmd[4200];
    FILE *p;
    size_t s, size;
    double v, w;
    char self[4096];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    for (s = 0; s < NSIZES; s++) ns[s] = portable[s] = 0;
    if (n <= 0) return;
    self[n] = '\0';
    snprintf(cmd, sizeof cmd, "OPENSSL_ia32cap=:~0x20000000 '%s' --without-sha", self);
    p = popen(cmd, "r");
    if (!p) return;
    while (fscanf(p, "%zu %lf %lf", &size, &v, &w) == 3)
        for (s = 0; s < NSIZES; s++)
            if (SIZES[s] == size) {
                ns[s] = v;
                portable[s] = w;
            }
    pclose(p);
}

int main(int argc, char **argv)
{
    bench_contender cs[6];
    double nosha[NSIZES], nosha_portable[NSIZES];
    size_t s, i, nc;
    msg = (uint8_t *)malloc(SIZES[NSIZES - 1]);
    if (argc > 1 && strcmp(argv[1], "--without-sha") == 0) {
        bh__hmac_key_init_path(&key_portable, BH__PATH_PORTABLE, KEY, sizeof KEY - 1);
        return child_without_sha();
    }
    bh_hmac_key_init(&key_hw, KEY, sizeof KEY - 1);
    bh__hmac_key_init_path(&key_portable, BH__PATH_PORTABLE, KEY, sizeof KEY - 1);
    printf("HMAC-SHA256, bluehook %s (hardware path: %s) against OpenSSL %s\n",
           BLUEHOOK_VERSION, bh_sha256_backend(),
#ifdef BH_HAVE_OPENSSL
           OPENSSL_VERSION_STR
#else
           "(not built: no libcrypto)"
#endif
    );
#ifdef BH_HAVE_OPENSSL
    evp_setup();
    openssl_without_sha(nosha, nosha_portable);
#else
    for (s = 0; s < NSIZES; s++) nosha[s] = nosha_portable[s] = 0;
#endif
    printf("medians of interleaved samples; ratio = time of OpenSSL's reused EVP_MAC / time\n\n");
    printf("%-9s %-34s %12s %10s %8s\n", "size", "contender", "time/op", "MB/s", "ratio");
    for (s = 0; s < NSIZES; s++) {
        double ref = 0;
        set_size(SIZES[s]);
        memset(cs, 0, sizeof cs);
        nc = 0;
#ifdef BH_HAVE_OPENSSL
        cs[nc].name = "openssl EVP_MAC reused";
        cs[nc++].run = ossl_evp_reused;
        cs[nc].name = "openssl HMAC() one-shot";
        cs[nc++].run = ossl_hmac;
#endif
        cs[nc].name = "bluehook one-shot";
        cs[nc++].run = bh_oneshot;
        cs[nc].name = "bluehook prepared key";
        cs[nc++].run = bh_prepared;
        cs[nc].name = "bluehook portable one-shot";
        cs[nc++].run = portable_oneshot;
        cs[nc].name = "bluehook portable prepared key";
        cs[nc++].run = portable_prepared;
        bench_compare(cs, nc, 15, SIZES[s] > 65536 ? 40e6 : 15e6);
#ifdef BH_HAVE_OPENSSL
        ref = cs[0].median_ns;
#endif
        for (i = 0; i < nc; i++) {
            printf("%-9zu %-34s %9.3f us %10.0f %7.2fx\n", SIZES[s], cs[i].name,
                   cs[i].median_ns / 1e3, mbps(SIZES[s], cs[i].median_ns),
                   ref > 0 ? ref / cs[i].median_ns : 0.0);
        }
        if (nosha[s] > 0) {
            printf("%-9zu %-34s %9.3f us %10.0f %7.2fx\n", SIZES[s],
                   "openssl EVP_MAC, no SHA-NI", nosha[s] / 1e3,
                   mbps(SIZES[s], nosha[s]), ref / nosha[s]);
            printf("%-9s %-34s %23s %7.2fx\n", "", "  portable prepared / no-SHA-NI",
                   "", nosha[s] / nosha_portable[s]);
        }
        printf("\n");
    }
    free(msg);
    return 0;
}
