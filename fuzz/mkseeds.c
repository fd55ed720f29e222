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
       mkseeds writer DIR     sequences of JSON writer calls (fuzz_writer's
                              opcodes): Blue's payload, every kind of value,
                              raw fragments and copied values, misuse, the
                              depth limit, too-small buffers
       mkseeds filter DIR     the manual's and the unit tests' filters, each
                              with a node capacity and one of Blue's payloads
       mkseeds payload DIR    Blue's payloads as they are, and one built by
                              bh_payload_write for each kind of entity, with
                              its record, project and company ids

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

/* ---- fuzz_writer: opcodes as fuzz/fuzz_writer.c reads them ---- */

static void w_op(int code) { uint8_t c = (uint8_t)code; add(&c, 1); }

static void w_text(int code, const char *t)
{
    uint8_t n = (uint8_t)strlen(t);
    w_op(code);
    add(&n, 1);
    add(t, n);
}

static void w_u64(int code, uint64_t v)
{
    uint8_t b[8];
    int i;
    for (i = 0; i < 8; i++) b[i] = (uint8_t)(v >> (56 - 8 * i));
    w_op(code);
    add(b, 8);
}

static void w_double(double d)
{
    uint64_t u;
    memcpy(&u, &d, sizeof u);
    w_u64(8, u);
}

/* the last byte sizes the small buffer */
static void w_put(const char *name, uint8_t small)
{
    add(&small, 1);
    put_file(name, seed, seed_len);
}

static void seeds_writer(void)
{
    uint8_t b;
    seed_len = 0; /* Blue's payload, as bh_payload_write lays it out */
    w_op(0);
    w_text(4, "event");
    w_text(5, "TODO_CREATED");
    w_text(4, "webhook");
    w_op(0);
    w_text(4, "id");
    w_text(5, "clb4qaopy0000vt24mlp28v03");
    w_text(4, "secret");
    w_text(5, "");
    w_text(4, "enabled");
    w_op(9);
    b = 1;
    add(&b, 1);
    w_op(1);
    w_text(4, "currentValue");
    w_text(11, "{\"id\":\"x\",\"todoList\":{\"project\":{\"id\":\"p\"}},\"done\":false}");
    w_op(1);
    w_put("blue-payload", 200);
    seed_len = 0; /* every kind of value in an array */
    w_op(2);
    w_u64(6, (uint64_t)INT64_MIN);
    w_u64(7, UINT64_MAX);
    w_double(0.1);
    w_double(-0.0);
    w_double(1e21);
    w_double(5e-324);
    w_op(9);
    b = 0;
    add(&b, 1);
    w_op(10);
    w_text(5, "tab\there \"quoted\" \\ / \xc3\xa9 \xf0\x9f\x9a\x80 \x01");
    w_text(11, " [1, 2.5e3, \"\\ud83d\\ude80\", {\"k\": null}] ");
    w_text(12, "{\"a\":[true,\"b\"],\"c\":1}");
    b = 1; /* the key "a" copied as a string */
    add(&b, 1);
    w_op(14);
    w_put("values", 40);
    seed_len = 0; /* errors: NaN, infinity, invalid UTF-8, a bad fragment */
    w_op(2);
    w_u64(8, 0x7ff8000000000001ull);
    w_op(3);
    w_put("nan", 0);
    seed_len = 0;
    w_op(2);
    w_u64(8, 0xfff0000000000000ull);
    w_put("minus-infinity", 0);
    seed_len = 0;
    w_op(0);
    w_text(4, "\xed\xa0\x80");
    w_put("key-surrogate-utf8", 3);
    seed_len = 0;
    w_op(2);
    w_text(5, "\xc0\xaf");
    w_put("overlong", 3);
    seed_len = 0;
    w_op(2);
    w_text(11, "[1,]");
    w_put("raw-invalid", 3);
    seed_len = 0; /* misuse: a value where a key is due, ends that do not match */
    w_op(0);
    w_op(10);
    w_put("value-for-key", 1);
    seed_len = 0;
    w_op(2);
    w_op(1);
    w_put("mismatched-end", 1);
    seed_len = 0;
    w_op(10);
    w_op(10);
    w_put("second-document", 1);
    seed_len = 0;
    w_op(0);
    w_text(4, "k");
    w_op(15);
    w_op(10);
    w_op(1);
    w_op(15);
    w_put("finish-early", 5);
    seed_len = 0; /* the depth limit: 1020 arrays and a fragment of 10 */
    w_op(13);
    b = 204;
    add(&b, 1);
    w_text(11, "[[[[[[[[[[]]]]]]]]]]");
    w_op(14);
    w_put("deep-raw", 0);
    seed_len = 0;
    w_op(13);
    add(&b, 1);
    w_op(13);
    b = 1;
    add(&b, 1);
    w_op(14);
    w_put("deep-limit", 100);
    seed_len = 0;
    w_op(13);
    b = 204;
    add(&b, 1);
    w_text(12, "[[[{\"a\":[[]]}]]]");
    b = 0;
    add(&b, 1);
    w_op(14);
    w_put("deep-value", 7);
}

/* ---- fuzz_filter: text, 0, a node capacity, a payload ---- */

static void seeds_filter(void)
{
    static const char *const filters[] = {
        "/todoList/id == \"clakt9v5t000kvt64f563l90l\" && changed /done && /done == true",
        "/todoTags/*/title in [\"urgent\", \"blocked\"] || $/event == \"COMMENT_CREATED\"",
        "/todoUsers/*/id == \"claksl2ye0000vtas0h0ln71e\"",
        "!(/archived == true) && prev:/position > 1000",
        "/title == \"G\\u0047GG\"",
        "/todoList/position <= 1.3107e5 && /todoList/position > -1",
        "/html exists || /nope != 1",
        "$/webhook/metadata/events/* == \"COMMENT_UPDATED\"",
        "/done == true && (/x == 1 || /title == \"GGGG\")",
        "!!/done == false",
        "(((/done == false)))",
        "changed /title",
        "/todoList == {}",
        "/a/*/b/*/c == null",
        "/title < \"Z\"",
        "/todoList/id in [",
    };
    static const char *const payloads[] = {"todo_created.min.json",
                                           "docs_todo_done_status_updated.json",
                                           "docs_webhook_health_check.json"};
    static char body[1 << 15];
    char name[64], path[256];
    size_t i, n;
    for (i = 0; i < sizeof filters / sizeof filters[0]; i++) {
        uint8_t cap = (uint8_t)(i % 3 == 0 ? 3 : 15);
        snprintf(path, sizeof path, SHARED "blue/%s", payloads[i % 3]);
        n = read_file(path, body, sizeof body);
        seed_len = 0;
        adds(filters[i]);
        add("", 1);
        add(&cap, 1);
        add(body, n);
        snprintf(name, sizeof name, "filter-%02u", (unsigned)i);
        put_file(name, seed, seed_len);
    }
}

/* ---- fuzz_payload: Blue's payloads, and one per kind of entity ---- */

static void seeds_payload(void)
{
    static const struct {
        const char *event, *prev, *cur;
    } kinds[] = {
        {"TODO_CREATED", NULL,
         "{\"id\":\"r1\",\"todoList\":{\"id\":\"l1\",\"projectId\":\"p0\",\"project\":"
         "{\"id\":\"p1\",\"company\":{\"id\":\"c1\"}}}}"},
        {"TODO_DELETED", "{\"id\":\"r1\",\"projectId\":\"p1\",\"companyId\":\"c1\"}", "null"},
        {"TODO_CHECKLIST_CREATED", NULL,
         "{\"id\":\"k1\",\"todoId\":\"r1\",\"todo\":{\"id\":\"r2\",\"todoList\":"
         "{\"projectId\":\"p1\"}}}"},
        {"TODO_CHECKLIST_ITEM_CREATED", NULL,
         "{\"id\":\"i1\",\"checklist\":{\"todo\":{\"id\":\"r1\",\"todoList\":{\"project\":"
         "{\"id\":\"p1\",\"companyId\":\"c1\"}}}}}"},
        {"COMMENT_CREATED", NULL, "{\"id\":\"m1\",\"categoryId\":\"r1\",\"projectId\":\"p1\"}"},
        {"TODO_LIST_NAME_CHANGED", "{\"id\":\"l1\",\"title\":\"a\"}",
         "{\"id\":\"l1\",\"title\":\"b\",\"project\":{\"id\":\"p1\",\"company\":{\"id\":\"c1\"}}}"},
        {"TAG_UPDATED", NULL, "{\"id\":\"t1\",\"projectId\":\"p1\",\"companyId\":\"c1\"}"},
        {"CUSTOM_FIELD_DELETED", "{\"id\":\"f1\",\"project\":{\"id\":\"p1\"}}", NULL},
        {"SOMETHING_NEW", NULL, "{\"id\":\"x1\"}"},
    };
    static const char *const blue[] = {"todo_created.min.json", "todo_created.json",
                                       "docs_todo_done_status_updated.json",
                                       "docs_webhook_health_check.json"};
    static char body[1 << 15];
    char name[96], path[256];
    size_t i, n;
    bh_webhook w;
    memset(&w, 0, sizeof w);
    w.id = "clb4qaopy0000vt24mlp28v03";
    w.name = "fuzz";
    w.enabled = 1;
    for (i = 0; i < sizeof blue / sizeof blue[0]; i++) {
        snprintf(path, sizeof path, SHARED "blue/%s", blue[i]);
        n = read_file(path, body, sizeof body);
        snprintf(name, sizeof name, "blue-%s", blue[i]);
        put_file(name, body, n);
    }
    for (i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        bh_json_writer jw;
        int len;
        bh_jw_init(&jw, body, sizeof body);
        bh_payload_write(&jw, kinds[i].event, strlen(kinds[i].event), &w, kinds[i].prev,
                         kinds[i].prev ? strlen(kinds[i].prev) : 0, kinds[i].cur,
                         kinds[i].cur ? strlen(kinds[i].cur) : 0);
        len = bh_jw_finish(&jw);
        if (len < 0) exit(1);
        snprintf(name, sizeof name, "built-%s", kinds[i].event);
        put_file(name, body, (size_t)len);
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
        fprintf(stderr, "usage: mkseeds sig|encodings|json|writer|filter|payload DIR\n");
        return 2;
    }
    out_dir = argv[2];
    mkdir(out_dir, 0755);
    if (strcmp(argv[1], "sig") == 0) seeds_sig();
    else if (strcmp(argv[1], "encodings") == 0) seeds_encodings();
    else if (strcmp(argv[1], "writer") == 0) seeds_writer();
    else if (strcmp(argv[1], "filter") == 0) seeds_filter();
    else if (strcmp(argv[1], "payload") == 0) seeds_payload();
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
