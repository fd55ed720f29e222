/* Verifying one Blue delivery: the real 2.3 KB body
   (../shared/blue/todo_created.min.json), its X-Signature among a request's
   headers, a key prepared once. bluehook's bh_verify (header lookup, hex
   decode, HMAC, constant-time compare) against OpenSSL 3 doing the same work
   at its fastest (a reused EVP_MAC context keeping its key, OPENSSL_hexstr2buf_ex,
   CRYPTO_memcmp), and node's crypto.createHmac + timingSafeEqual measured by
   bench/bench_verify.mjs in the same run. Medians of interleaved samples. */
#include "bench.h"
#define BLUEHOOK_IMPLEMENTATION
#include "../bluehook.h"

#ifdef BH_HAVE_OPENSSL
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#endif

#define BODY_PATH "../shared/blue/todo_created.min.json"
static const char SECRET[] = "a-blue-webhook-secret-of-32-byte";

static char body[8192];
static size_t body_len;
static bh_key key;
static bh_header headers[6];
static char sig_hex[65];

static void bluehook_verify(void *arg, size_t n)
{
    (void)arg;
    while (n--)
        bench_sink += (unsigned)bh_verify(&key, 1, headers, 6, body, body_len, 0, 0) == BH_OK;
}

#ifdef BH_HAVE_OPENSSL
static EVP_MAC_CTX *evp;

static void openssl_verify(void *arg, size_t n)
{
    uint8_t mac[32], got[32];
    size_t len, glen;
    (void)arg;
    while (n--) {
        const bh_header *h = bh_header_find(headers, 6, "X-Signature");
        int ok = h && OPENSSL_hexstr2buf_ex(got, sizeof got, &glen, sig_hex, '\0') &&
                 glen == 32;
        EVP_MAC_init(evp, NULL, 0, NULL);
        EVP_MAC_update(evp, (const unsigned char *)body, body_len);
        EVP_MAC_final(evp, mac, &len, sizeof mac);
        bench_sink += (unsigned)(ok && CRYPTO_memcmp(mac, got, 32) == 0);
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
    EVP_MAC_init(evp, (const unsigned char *)SECRET, sizeof SECRET - 1, params);
    EVP_MAC_free(m);
}
#endif

static void set_header(bh_header *h, const char *name, const char *value)
{
    h->name = name;
    h->name_len = strlen(name);
    h->value = value;
    h->value_len = strlen(value);
}

/* node's median ns per verification, from bench/bench_verify.mjs; 0 when
   node cannot run it. */
static double node_verify_ns(void)
{
    char cmd[512];
    double ns = 0;
    FILE *p;
    snprintf(cmd, sizeof cmd, "node bench/bench_verify.mjs '%s' '%s' '%s' 2>/dev/null",
             BODY_PATH, SECRET, sig_hex);
    p = popen(cmd, "r");
    if (!p) return 0;
    if (fscanf(p, "%lf", &ns) != 1) ns = 0;
    pclose(p);
    return ns;
}

int main(void)
{
    bench_contender cs[2];
    bh_header out[1];
    char buf[128];
    double node_ns, ref = 0;
    size_t i, nc = 0;
    FILE *f = fopen(BODY_PATH, "rb");
    if (!f) {
        fprintf(stderr, "bench_verify: cannot read %s\n", BODY_PATH);
        return 1;
    }
    body_len = fread(body, 1, sizeof body, f);
    fclose(f);
    bh_key_init(&key, BH_SCHEME_BLUE, SECRET, sizeof SECRET - 1);
    bh_sign(&key, NULL, 0, body, body_len, out, 1, buf, sizeof buf);
    memcpy(sig_hex, out[0].value, 65);
    /* the headers a receiver sees, X-Signature last */
    set_header(&headers[0], "Host", "hooks.example.com");
    set_header(&headers[1], "User-Agent", "Blue-Webhooks/1.0");
    set_header(&headers[2], "Content-Type", "application/json");
    set_header(&headers[3], "Content-Length", "2334");
    set_header(&headers[4], "Accept-Encoding", "gzip");
    set_header(&headers[5], "X-Signature", sig_hex);
    if (bh_verify(&key, 1, headers, 6, body, body_len, 0, 0) != BH_OK) {
        fprintf(stderr, "bench_verify: bluehook does not verify its own signature\n");
        return 1;
    }
    memset(cs, 0, sizeof cs);
#ifdef BH_HAVE_OPENSSL
    evp_setup();
    cs[nc].name = "openssl EVP_MAC reused + CRYPTO_memcmp";
    cs[nc++].run = openssl_verify;
#endif
    cs[nc].name = "bluehook bh_verify (prepared key)";
    cs[nc++].run = bluehook_verify;
    printf("Verify one Blue delivery (%zu bytes), SHA-256 path %s, OpenSSL %s\n",
           body_len, bh_sha256_backend(),
#ifdef BH_HAVE_OPENSSL
           OPENSSL_VERSION_STR
#else
           "(not built: no libcrypto)"
#endif
    );
    node_ns = node_verify_ns();
    bench_compare(cs, nc, 31, 10e6);
#ifdef BH_HAVE_OPENSSL
    ref = cs[0].median_ns;
#endif
    printf("medians; ratio = bluehook's speed over the contender's (>1: bluehook faster)\n\n");
    printf("%-42s %12s %10s\n", "contender", "time/verify", "bluehook x");
    for (i = 0; i < nc; i++)
        printf("%-42s %9.3f us %9.2fx\n", cs[i].name, cs[i].median_ns / 1e3,
               cs[i].median_ns / cs[nc - 1].median_ns);
    if (node_ns > 0)
        printf("%-42s %9.3f us %9.2fx\n", "node createHmac + timingSafeEqual",
               node_ns / 1e3, node_ns / cs[nc - 1].median_ns);
    else
        printf("%-42s %12s\n", "node createHmac + timingSafeEqual", "(node not available)");
    printf("\ntargets: >= 1.20x OpenSSL, >= 20x node\n");
    (void)ref;
    return 0;
}
