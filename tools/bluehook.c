/* bluehook: the command-line tool built on bluehook.h.

   bluehook sign   --scheme blue --secret K [FILE]
   bluehook verify --scheme blue --secret K --header "Name: value" [FILE]
   bluehook events

   Exit 0 on success, 1 when the answer is no, 2 on a usage error. The body
   is read as bytes from FILE or standard input and never re-serialized. A
   secret may also come from --secret-file F or $BLUEHOOK_SECRET. */
#define BLUEHOOK_IMPLEMENTATION
#include "../bluehook.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_HEADERS 16

static int usage(const char *msg)
{
    if (msg) fprintf(stderr, "bluehook: %s\n", msg);
    fprintf(stderr,
            "usage: bluehook sign   --scheme blue --secret K [FILE]\n"
            "       bluehook verify --scheme blue --secret K --header \"Name: value\" [FILE]\n"
            "       bluehook events\n"
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
    const char *scheme, *file;
    const char *secrets[8];
    size_t nsecrets;
    bh_header headers[MAX_HEADERS];
    size_t nheaders;
    char *secret_file_data;
};

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

/* Parse the flags shared by sign and verify; returns 0 or a usage exit. */
static int parse_options(struct options *o, int argc, char **argv)
{
    int i;
    memset(o, 0, sizeof *o);
    for (i = 0; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (a[0] == '-' && a[1] == '-' && !v) return usage("a flag needs a value");
        if (strcmp(a, "--scheme") == 0) {
            o->scheme = v;
            i++;
        } else if (strcmp(a, "--secret") == 0) {
            if (o->nsecrets == 8) return usage("at most 8 secrets");
            o->secrets[o->nsecrets++] = v;
            i++;
        } else if (strcmp(a, "--secret-file") == 0) {
            size_t n;
            if (o->nsecrets == 8) return usage("at most 8 secrets");
            o->secret_file_data = read_all(v, &n);
            if (!o->secret_file_data) return 2;
            while (n && (o->secret_file_data[n - 1] == '\n' ||
                         o->secret_file_data[n - 1] == '\r'))
                n--;
            o->secret_file_data[n < 65536 ? n : 65535] = '\0';
            o->secrets[o->nsecrets++] = o->secret_file_data;
            i++;
        } else if (strcmp(a, "--header") == 0) {
            if (o->nheaders == MAX_HEADERS) return usage("too many headers");
            if (!parse_header(&o->headers[o->nheaders++], v))
                return usage("a header is \"Name: value\"");
            i++;
        } else if (a[0] == '-' && a[1] != '\0') {
            fprintf(stderr, "bluehook: unknown flag %s\n", a);
            return 2;
        } else if (!o->file) {
            o->file = a;
        } else {
            return usage("only one FILE");
        }
    }
    if (!o->nsecrets && getenv("BLUEHOOK_SECRET"))
        o->secrets[o->nsecrets++] = getenv("BLUEHOOK_SECRET");
    if (!o->nsecrets) return usage("a secret is required");
    if (o->scheme && strcmp(o->scheme, "blue") != 0)
        return usage("this build supports --scheme blue only");
    return 0;
}

static int cmd_sign(int argc, char **argv)
{
    struct options o;
    uint8_t mac[32];
    char hex[65];
    size_t len;
    char *body;
    int r = parse_options(&o, argc, argv);
    if (r) return r;
    if (!o.secrets[0][0]) return usage("a secret may not be empty");
    body = read_all(o.file, &len);
    if (!body) return 2;
    bh_hmac_sha256(o.secrets[0], strlen(o.secrets[0]), body, len, mac);
    bh_hex_encode(hex, sizeof hex, mac, 32);
    printf("X-Signature: %s\n", hex);
    free(body);
    free(o.secret_file_data);
    return 0;
}

static int cmd_verify(int argc, char **argv)
{
    struct options o;
    const bh_header *h;
    uint8_t mac[32], got[32];
    size_t len, i;
    char *body;
    int r = parse_options(&o, argc, argv), ok = 0;
    if (r) return r;
    body = read_all(o.file, &len);
    if (!body) return 2;
    h = bh_header_find(o.headers, o.nheaders, "X-Signature");
    if (!h) {
        fprintf(stderr, "%s\n", bh_strerror(BH_ENOSIG));
        ok = BH_ENOSIG;
    } else if (bh_hex_decode(got, sizeof got, h->value, h->value_len) != 32) {
        fprintf(stderr, "%s\n", bh_strerror(BH_EMALFORMED));
        ok = BH_EMALFORMED;
    } else {
        for (i = 0; i < o.nsecrets; i++) {
            if (!o.secrets[i][0]) continue;
            bh_hmac_sha256(o.secrets[i], strlen(o.secrets[i]), body, len, mac);
            if (bh_ct_equal(mac, got, 32)) break;
        }
        if (i == o.nsecrets) {
            fprintf(stderr, "%s\n", bh_strerror(BH_ESIG));
            ok = BH_ESIG;
        }
    }
    free(body);
    free(o.secret_file_data);
    if (ok) return 1;
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
