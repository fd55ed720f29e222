/* bluehook: the command-line tool built on bluehook.h.

   bluehook sign   --scheme S --secret K [--id ID] [--timestamp T] [FILE]
   bluehook verify --scheme S --secret K [--secret K2 ...]
                   --header "Name: value" ... [--now T] [--tolerance SEC] [FILE]
   bluehook events

   S is blue (the default), standard, github or stripe.

   Exit 0 on success, 1 when the answer is no, 2 on a usage error. The body
   is read as bytes from FILE or standard input and never re-serialized. A
   secret may also come from --secret-file F or $BLUEHOOK_SECRET. */
#define BLUEHOOK_IMPLEMENTATION
#include "../bluehook.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_HEADERS 32
#define MAX_SECRETS 8

static int usage(const char *msg)
{
    if (msg) fprintf(stderr, "bluehook: %s\n", msg);
    fprintf(stderr,
            "usage: bluehook sign   --scheme S --secret K [--id ID] [--timestamp T] [FILE]\n"
            "       bluehook verify --scheme S --secret K [--secret K2 ...] --header \"Name: value\" ...\n"
            "                       [--now T] [--tolerance SEC] [FILE]\n"
            "       bluehook events\n"
            "S is blue (default), standard, github or stripe; FILE defaults to stdin.\n"
            "secrets may also come from --secret-file F or BLUEHOOK_SECRET\n");
    return 2;
}

/* Read a whole file (or stdin for NULL or "-") into a heap buffer. */
static char *read_all(const char *path, size_t *len)
{
    FILE *f = (!path || strcmp(path, "-") == 0) ? stdin : fopen(path, "rb");
    size_t cap = 65536, n = 0;
    char *buf;
    if (!f) {
        fprintf(stderr, "bluehook: %s: %s\n", path, strerror(errno));
        return NULL;
    }
    buf = (char *)malloc(cap);
    while (buf) {
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (n < cap) break;
        cap *= 2;
        {
            char *bigger = (char *)realloc(buf, cap);
            if (!bigger) free(buf);
            buf = bigger;
        }
    }
    if (f != stdin) fclose(f);
    if (!buf) fprintf(stderr, "bluehook: out of memory\n");
    *len = n;
    return buf;
}

struct options {
    bh_scheme scheme;
    const char *file, *id;
    const char *secrets[MAX_SECRETS];
    size_t secret_lens[MAX_SECRETS];
    size_t nsecrets;
    char *secret_files[MAX_SECRETS];
    size_t nsecret_files;
    bh_header headers[MAX_HEADERS];
    size_t nheaders;
    int64_t timestamp, now;
    uint32_t tolerance;
};

static void free_options(struct options *o)
{
    size_t i;
    for (i = 0; i < o->nsecret_files; i++) {
        size_t n = strlen(o->secret_files[i]);
        bh_wipe(o->secret_files[i], n);
        free(o->secret_files[i]);
    }
}

/* Split "Name: value" into a header view. */
static int parse_header(bh_header *h, const char *text)
{
    const char *colon = strchr(text, ':');
    const char *v;
    if (!colon || colon == text) return 0;
    v = colon + 1;
    while (*v == ' ' || *v == '\t') v++;
    h->name = text;
    h->name_len = (size_t)(colon - text);
    h->value = v;
    h->value_len = strlen(v);
    return 1;
}

static int parse_scheme(bh_scheme *s, const char *name)
{
    static const char *const names[] = {"blue", "standard", "github", "stripe"};
    static const bh_scheme schemes[] = {BH_SCHEME_BLUE, BH_SCHEME_STANDARD,
                                        BH_SCHEME_GITHUB, BH_SCHEME_STRIPE};
    size_t i;
    for (i = 0; i < 4; i++)
        if (strcmp(name, names[i]) == 0) {
            *s = schemes[i];
            return 1;
        }
    return 0;
}

/* A decimal integer in [lo, hi], digits only (a leading '-' when lo < 0). */
static int parse_int(int64_t *out, const char *text, int64_t lo, int64_t hi)
{
    char *end;
    long long v;
    if (!*text || (*text != '-' && (*text < '0' || *text > '9'))) return 0;
    errno = 0;
    v = strtoll(text, &end, 10);
    if (errno || *end || v < lo || v > hi) return 0;
    *out = (int64_t)v;
    return 1;
}

static int add_secret(struct options *o, const char *s, size_t len)
{
    if (o->nsecrets == MAX_SECRETS) return 0;
    o->secrets[o->nsecrets] = s;
    o->secret_lens[o->nsecrets++] = len;
    return 1;
}

/* The secret in file path, without its trailing line break. */
static int add_secret_file(struct options *o, const char *path)
{
    size_t n;
    char *data;
    if (o->nsecrets == MAX_SECRETS) return usage("at most 8 secrets");
    data = read_all(path, &n);
    if (!data) return 2;
    while (n && (data[n - 1] == '\n' || data[n - 1] == '\r')) n--;
    if (memchr(data, '\0', n)) {
        free(data);
        return usage("a secret file holds a NUL byte");
    }
    if (n == 65536) n--;
    data[n] = '\0';
    o->secret_files[o->nsecret_files++] = data;
    add_secret(o, data, n);
    return 0;
}

/* Parse the flags shared by sign and verify; returns 0 or a usage exit. */
static int parse_options(struct options *o, int argc, char **argv)
{
    int i, r;
    int64_t v;
    const char *env;
    memset(o, 0, sizeof *o);
    o->scheme = BH_SCHEME_BLUE;
    o->timestamp = o->now = (int64_t)time(NULL);
    for (i = 0; i < argc; i++) {
        const char *a = argv[i];
        const char *val = i + 1 < argc ? argv[i + 1] : "";
        if (a[0] == '-' && a[1] == '-' && i + 1 >= argc) return usage("a flag needs a value");
        if (strcmp(a, "--scheme") == 0) {
            if (!parse_scheme(&o->scheme, val))
                return usage("--scheme is blue, standard, github or stripe");
        } else if (strcmp(a, "--secret") == 0) {
            if (!add_secret(o, val, strlen(val))) return usage("at most 8 secrets");
        } else if (strcmp(a, "--secret-file") == 0) {
            if ((r = add_secret_file(o, val)) != 0) return r;
        } else if (strcmp(a, "--header") == 0) {
            if (o->nheaders == MAX_HEADERS) return usage("too many headers");
            if (!parse_header(&o->headers[o->nheaders++], val))
                return usage("a header is \"Name: value\"");
        } else if (strcmp(a, "--id") == 0) {
            o->id = val;
        } else if (strcmp(a, "--timestamp") == 0) {
            if (!parse_int(&o->timestamp, val, 0, INT64_MAX))
                return usage("--timestamp is Unix seconds");
        } else if (strcmp(a, "--now") == 0) {
            if (!parse_int(&o->now, val, INT64_MIN, INT64_MAX))
                return usage("--now is Unix seconds");
        } else if (strcmp(a, "--tolerance") == 0) {
            if (!parse_int(&v, val, 1, 0xffffffff))
                return usage("--tolerance is a number of seconds, at least 1");
            o->tolerance = (uint32_t)v;
        } else if (a[0] == '-' && a[1] != '\0') {
            fprintf(stderr, "bluehook: unknown flag %s\n", a);
            return 2;
        } else if (!o->file) {
            o->file = a;
            continue;
        } else {
            return usage("only one FILE");
        }
        i++;
    }
    env = getenv("BLUEHOOK_SECRET");
    if (!o->nsecrets && env) add_secret(o, env, strlen(env));
    if (!o->nsecrets) return usage("a secret is required");
    return 0;
}

/* Prepare every secret under the scheme; 0 or a usage exit. */
static int prepare_keys(const struct options *o, bh_key *keys)
{
    size_t i;
    for (i = 0; i < o->nsecrets; i++)
        if (bh_key_init(&keys[i], o->scheme, o->secrets[i], o->secret_lens[i]) != BH_OK)
            return usage(o->secret_lens[i] ? "a standard secret is base64, with an optional whsec_ prefix"
                                           : "a secret may not be empty");
    return 0;
}

/* A Standard message id when none is given: "msg_" and 24 hex digits of
   the hash of the timestamp and the body, so that a re-run signs alike. */
static void default_id(char id[29], int64_t ts, const char *body, size_t len)
{
    bh_sha256_ctx c;
    uint8_t d[32];
    char hex[65], t[24];
    snprintf(t, sizeof t, "%lld.", (long long)ts);
    bh_sha256_init(&c);
    bh_sha256_update(&c, t, strlen(t));
    bh_sha256_update(&c, body, len);
    bh_sha256_final(&c, d);
    bh_hex_encode(hex, sizeof hex, d, 32);
    memcpy(id, "msg_", 4);
    memcpy(id + 4, hex, 24);
    id[28] = '\0';
}

/* bluehook sign: print the scheme's signature headers for the body. */
static int cmd_sign(int argc, char **argv)
{
    struct options o;
    bh_key key;
    bh_header h[3];
    char id[29], *buf = NULL;
    const char *msg_id;
    size_t len, i;
    char *body;
    int r = parse_options(&o, argc, argv);
    if (r) {
        free_options(&o);
        return r;
    }
    if ((r = prepare_keys(&o, &key)) != 0 || !(body = read_all(o.file, &len))) {
        free_options(&o);
        return r ? r : 2;
    }
    msg_id = o.id;
    if (!msg_id) {
        default_id(id, o.timestamp, body, len);
        msg_id = id;
    }
    buf = (char *)malloc(BH_SIGN_BUF(strlen(msg_id)));
    r = buf ? bh_sign(&key, msg_id, o.timestamp, body, len, h, 3, buf,
                      BH_SIGN_BUF(strlen(msg_id)))
            : BH_ESPACE;
    if (r == BH_EINVAL) {
        r = usage("--id is printable ASCII without spaces");
    } else if (r < 0) {
        fprintf(stderr, "bluehook: %s\n", bh_strerror(r));
        r = 1;
    } else {
        for (i = 0; i < (size_t)r; i++) printf("%s: %s\n", h[i].name, h[i].value);
        r = 0;
    }
    bh_wipe(&key, sizeof key);
    free(buf);
    free(body);
    free_options(&o);
    return r;
}

/* bluehook verify: exit 0 and "ok" when a secret's signature matches. */
static int cmd_verify(int argc, char **argv)
{
    struct options o;
    bh_key keys[MAX_SECRETS];
    size_t len;
    char *body;
    int r = parse_options(&o, argc, argv);
    if (r) {
        free_options(&o);
        return r;
    }
    if ((r = prepare_keys(&o, keys)) != 0 || !(body = read_all(o.file, &len))) {
        free_options(&o);
        return r ? r : 2;
    }
    r = bh_verify(keys, o.nsecrets, o.headers, o.nheaders, body, len, o.now,
                  o.tolerance);
    bh_wipe(keys, sizeof keys);
    free(body);
    free_options(&o);
    if (r != BH_OK) {
        fprintf(stderr, "bluehook: %s\n", bh_strerror(r));
        return 1;
    }
    printf("ok\n");
    return 0;
}

/* bluehook events: every event name, by group. */
static int cmd_events(int argc, char **argv)
{
    unsigned k, e;
    (void)argv;
    if (argc) return usage("events takes no arguments");
    for (k = 1; k < BH_ENTITY_COUNT; k++) {
        printf("%s:\n", bh_entity_name((bh_entity)k));
        for (e = 1; e < BH_EVENT_COUNT; e++)
            if (bh_event_entity((bh_event)e) == (bh_entity)k)
                printf("  %s\n", bh_event_name((bh_event)e));
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2) return usage(NULL);
    if (strcmp(argv[1], "sign") == 0) return cmd_sign(argc - 2, argv + 2);
    if (strcmp(argv[1], "verify") == 0) return cmd_verify(argc - 2, argv + 2);
    if (strcmp(argv[1], "events") == 0) return cmd_events(argc - 2, argv + 2);
    if (strcmp(argv[1], "--version") == 0) {
        printf("bluehook %s\n", BLUEHOOK_VERSION);
        return 0;
    }
    return usage("unknown command");
}
