/* fuzz/mkseeds.c: writes the committed seed corpora from ../shared (run by
   `make fuzz-seeds`; CI does not run it, the seeds are in the repository).

       mkseeds sig DIR        every signature vector of ../shared/vectors as
                              a fuzz_sig input (keys, timestamp, id, the
                              expected headers, the exact body), Blue's real
                              deliveries signed with a made-up secret, and a
                              few inputs for the edits and the replay cache
       mkseeds encodings DIR  hex and base64 from the vectors, URLs, IPv4 and
                              IPv6 addresses, every event and entity name
       mkseeds json DIR       the JSONTestSuite files up to 4 KB and Blue's
                              payloads, as they are (for the JSON harnesses)

   Run from the repository root. */
#define _POSIX_C_SOURCE 200809L
#define BLUEHOOK_IMPLEMENTATION
#include "../bluehook.h"
#include "../tests/vectors.h"

#include <dirent.h>
#include <sys/stat.h>

#define SHARED "../shared/"

static const char *out_dir;
static unsigned long written;

static void put_file(const char *name, const void *p, size_t n)
{
    char path[1024];
    FILE *f;
    snprintf(path, sizeof path, "%s/%s", out_dir, name);
    f = fopen(path, "wb");
    if (!f || fwrite(p, 1, n, f) != n) {
        fprintf(stderr, "mkseeds: cannot write %s\n", path);
        exit(1);
    }
    fclose(f);
    written++;
}

static size_t read_file(const char *path, char *buf, size_t cap)
{
    FILE *f = fopen(path, "rb");
    size_t n;
    if (!f) {
        fprintf(stderr, "mkseeds: cannot read %s\n", path);
        exit(1);
    }
    n = fread(buf, 1, cap, f);
    fclose(f);
    return n;
}

/* ---- a growing seed ---- */

static char seed[1 << 16];
static size_t seed_len;

static void add(const void *p, size_t n)
{
    if (seed_len + n > sizeof seed) exit(1);
    memcpy(seed + seed_len, p, n);
    seed_len += n;
}

static void adds(const char *s) { add(s, strlen(s)); }

static void line(const char *a, const char *b)
{
    adds(a);
    adds(b);
    adds("\n");
}

/* ---- fuzz_sig ---- */

static char scheme_char(bh_scheme s)
{
    return "bsgt"[s];
}

static void key_line(bh_scheme s, const char *secret, int raw)
{
    char k[4] = {'%', raw ? 'r' : 'k', scheme_char(s), 0};
    line(k, secret);
}

static void sig_vectors(const char *file, bh_scheme s)
{
    char path[256];
    vj *f, *v;
    snprintf(path, sizeof path, SHARED "vectors/%s.json", file);
    f = vj_load(path);
    if (!f || !vj_get(f, "vectors")) {
        fprintf(stderr, "mkseeds: cannot read %s\n", path);
        exit(1);
    }
    for (v = vj_get(f, "vectors")->child; v; v = v->next) {
        const vj *exp = vj_get(v, "expected"), *h, *secrets = vj_get(v, "secrets");
        const vj *ts = vj_get(v, "timestamp");
        const char *fmt = vj_str(v, "secret_format"), *b64 = vj_str(v, "body_base64");
        const char *id = vj_str(v, "msg_id");
        char name[200], num[32];
        uint8_t body[4096];
        int bn;
        seed_len = 0;
        if (secrets) {
            const vj *c;
            for (c = secrets->child; c; c = c->next) key_line(s, c->str, 0);
        } else if (vj_str(v, "secret")) {
            key_line(s, vj_str(v, "secret"), fmt && strstr(fmt, "raw") != NULL);
        }
        if (ts && ts->type == VJ_NUM) {
            snprintf(num, sizeof num, "%lld", ts->num);
            line("%t", num);
        }
        if (id) line("%i", id);
        for (h = exp ? exp->child : NULL; h; h = h->next)
            if (h->type == VJ_STR) {
                adds(h->key);
                adds(":");
                line("", h->str);
            }
        adds("\n");
        bn = b64 ? bh_base64_decode(body, sizeof body, b64, strlen(b64)) : 0;
        if (bn < 0) exit(1);
        add(body, (size_t)bn);
        snprintf(name, sizeof name, "%s-%s", file, vj_str(v, "name"));
        put_file(name, seed, seed_len);
    }
}

/* Sign body with a made-up secret and write the seed. */
static void signed_seed(const char *name, bh_scheme s, const char *extra,
                        const char *body, size_t n)
{
    static const char *const secrets[] = {"bluehook-fuzz-secret",
                                          "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
                                          "It's a Secret to Everybody",
                                          "whsec_bluehook-fuzz"};
    bh_header out[3];
    char buf[256];
    bh_key k;
    int i, nh;
    seed_len = 0;
    if (bh_key_init(&k, s, secrets[s], strlen(secrets[s])) != BH_OK) exit(1);
    nh = bh_sign(&k, "msg_2Nx8bluehook", 1700000000, body, n, out, 3, buf, sizeof buf);
    if (nh < 0) exit(1);
    key_line(s, secrets[s], 0);
    line("%t", "1700000000");
    line("%i", "msg_2Nx8bluehook");
    adds(extra);
    for (i = 0; i < nh; i++) {
        add(out[i].name, out[i].name_len);
        adds(":");
        add(out[i].value, out[i].value_len);
        adds("\n");
    }
    adds("\n");
    add(body, n);
    put_file(name, seed, seed_len);
}

static void seeds_sig(void)
{
    static char body[1 << 15];
    static const char *const blue[] = {"todo_created.min.json",
                                       "docs_webhook_health_check.json"};
    static const char *const edits[] = {
        "", "%e\x01\x85\x02\x41\n", "%e\x03\xff\x04\x01\x05\x02\n",
        "%e\x00\x07\x07\x01\n", "%e\x06\x00\n", "%e\x07\x00\x02\xc3\n"};
    static const char *const caches[] = {
        "%c\x83\x00\x01\x02\x03\x04\x05\x06\x07\x00\x01\x01\x01\x00\x01\x03\x05\x00\x01\n",
        "%c\x01\x04\x04\x04\x04\x04\x04\x04\x04\x00\x00\x01\x00\x00\x01\x01\x01\x00\x02\x03\x90\x00\x00\n"};
    size_t i, s;
    char name[200], path[256];
    sig_vectors("standard-webhooks", BH_SCHEME_STANDARD);
    sig_vectors("github", BH_SCHEME_GITHUB);
    sig_vectors("stripe", BH_SCHEME_STRIPE);
    for (i = 0; i < 2; i++) {
        size_t n;
        snprintf(path, sizeof path, SHARED "blue/%s", blue[i]);
        n = read_file(path, body, sizeof body);
        for (s = 0; s < 4; s++) {
            snprintf(name, sizeof name, "signed-%c-%s", scheme_char((bh_scheme)s), blue[i]);
            signed_seed(name, (bh_scheme)s, "", body, n);
        }
    }
    for (i = 0; i < sizeof edits / sizeof edits[0]; i++)
        for (s = 0; s < 4; s++) {
            snprintf(name, sizeof name, "edits-%c-%u", scheme_char((bh_scheme)s), (unsigned)i);
            signed_seed(name, (bh_scheme)s, edits[i], "{\"event\":\"TODO_CREATED\"}", 24);
        }
    for (i = 0; i < sizeof caches / sizeof caches[0]; i++) {
        snprintf(name, sizeof name, "cache-%u", (unsigned)i);
        signed_seed(name, BH_SCHEME_BLUE, caches[i], "{}", 2);
    }
    seed_len = 0; /* several keys, headers of every scheme, svix names */
    adds("%kbK1\n%ksd2hzZWNfYmx1ZWhvb2s=\n%kgK3\n%ktK4\n%n1700000100\n%o60\n"
         "X-Signature: 00\nsvix-id: msg_1\nsvix-timestamp: 1700000000\n"
         "svix-signature: v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA= v2,x\n"
         "X-Hub-Signature-256: sha256=ABCDEF\nStripe-Signature: t=1700000000,v1=00,v0=11\n"
         "X-GitHub-Delivery: 72d3162e\n\n{}");
    put_file("mixed-headers", seed, seed_len);
}

/* ---- fuzz_encodings ---- */

static void enc_seed(const char *name, uint8_t ctl, const void *p, size_t n)
{
    seed_len = 0;
    add(&ctl, 1);
    add(p, n);
    put_file(name, seed, seed_len);
}

static void seeds_encodings(void)
{
    static const char *const urls[] = {
        "https://hooks.example.com/blue?x=1#f", "http://127.0.0.1:8080/hook",
        "http://[::1]:9/x", "HTTPS://Example.COM", "http://[fe80::1%25eth0]/",
        "http://user@example.com/", "http://a:1:2/", "https://example.com:65535/a",
        "ftp://example.com/"};
    static const uint8_t ips[][17] = {
        {4, 127, 0, 0, 1}, {4, 169, 254, 169, 254}, {4, 93, 184, 216, 34},
        {4, 100, 64, 0, 1}, {4, 172, 31, 255, 255},
        {16, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 10, 0, 0, 1},
        {16, 0, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0, 8, 8, 8, 8},
        {16, 0x20, 0x02, 192, 168, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1},
        {16, 0xfe, 0xc0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1},
        {16, 0x26, 0x06, 0x28, 0, 0x02, 0x20, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0}};
    static const char *const texts[] = {
        "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
        "Zm9vYg==", "Zm9vYmE=", "Zm9vYh==", "Zm9=YmFy", "====",
        "757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17",
        "DEADBEEF", "0g", "abc", "record", "checklist-item", "custom-field",
        "project-1\0project-2\0project-3"};
    char name[200];
    size_t i;
    for (i = 0; i < sizeof urls / sizeof urls[0]; i++) {
        snprintf(name, sizeof name, "url-%u", (unsigned)i);
        enc_seed(name, (uint8_t)i, urls[i], strlen(urls[i]));
    }
    for (i = 0; i < sizeof ips / sizeof ips[0]; i++) {
        snprintf(name, sizeof name, "ip-%u", (unsigned)i);
        enc_seed(name, (uint8_t)(i * 37), ips[i] + 1, ips[i][0]);
    }
    for (i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        size_t n = strlen(texts[i]);
        if (i == sizeof texts / sizeof texts[0] - 1) n = 29;
        snprintf(name, sizeof name, "text-%u", (unsigned)i);
        enc_seed(name, (uint8_t)(i * 53 + 1), texts[i], n);
    }
    for (i = 1; i < BH_EVENT_COUNT; i++) {
        const char *e = bh_event_name((bh_event)i);
        snprintf(name, sizeof name, "event-%s", e);
        enc_seed(name, (uint8_t)(i * 7), e, strlen(e));
    }
}

/* ---- JSON ---- */

static void copy_small(const char *dir, const char *prefix)
{
    static char buf[4097];
    DIR *d = opendir(dir);
    struct dirent *e;
    if (!d) {
        fprintf(stderr, "mkseeds: cannot open %s\n", dir);
        exit(1);
    }
    while ((e = readdir(d)) != NULL) {
        char path[1024], name[600];
        size_t n;
        if (!strstr(e->d_name, ".json")) continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        n = read_file(path, buf, sizeof buf);
        if (n > 4096) continue;
        snprintf(name, sizeof name, "%s%s", prefix, e->d_name);
        put_file(name, buf, n);
    }
    closedir(d);
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: mkseeds sig|encodings|json DIR\n");
        return 2;
    }
    out_dir = argv[2];
    mkdir(out_dir, 0755);
    if (strcmp(argv[1], "sig") == 0) seeds_sig();
    else if (strcmp(argv[1], "encodings") == 0) seeds_encodings();
    else if (strcmp(argv[1], "json") == 0) {
        copy_small(SHARED "jsontestsuite/test_parsing", "");
        copy_small(SHARED "blue", "blue-");
    } else {
        fprintf(stderr, "mkseeds: unknown set %s\n", argv[1]);
        return 2;
    }
    printf("mkseeds: %lu files in %s\n", written, out_dir);
    return 0;
}
