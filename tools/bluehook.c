/* bluehook: the command-line tool built on bluehook.h.

   bluehook sign   --scheme blue --secret K [FILE]
   bluehook verify --scheme blue --secret K --header "Name: value" [FILE]
   bluehook json   [--get POINTER] [FILE]

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
            "       bluehook json   [--get POINTER] [FILE]\n"
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

/* bluehook json [--get POINTER] [FILE]: exit 0 when the input is valid
   JSON, 1 with "line:col: reason" on stderr when not. With --get, print the
   value at the RFC 6901 pointer (a string unescaped, anything else as its
   JSON text) or exit 1 when it is absent. */
static int cmd_json(int argc, char **argv)
{
    const char *pointer = NULL, *file = NULL;
    bh_json doc;
    bh_json_tok *toks = NULL;
    size_t len, line = 0, col = 0;
    char *body;
    int i, r, tok, status = 0;
    for (i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--get") == 0) {
            if (i + 1 == argc) return usage("--get needs a pointer");
            pointer = argv[++i];
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            fprintf(stderr, "bluehook: unknown flag %s\n", argv[i]);
            return 2;
        } else if (!file) {
            file = argv[i];
        } else {
            return usage("only one FILE");
        }
    }
    body = read_all(file, &len);
    if (!body) return 2;
    r = bh_json_parse(&doc, body, len, NULL, 0); /* count the tokens */
    if (r == BH_OK) {
        toks = (bh_json_tok *)malloc((doc.ntoks ? doc.ntoks : 1) * sizeof *toks);
        r = toks ? bh_json_parse(&doc, body, len, toks, doc.ntoks) : BH_ESPACE;
    }
    if (r != BH_OK) {
        bh_json_line_col(&doc, doc.err_pos, &line, &col);
        fprintf(stderr, "%lu:%lu: %s\n", (unsigned long)line, (unsigned long)col,
                r == BH_ESPACE ? "out of memory" : bh_json_reason(&doc));
        status = 1;
    } else if (pointer) {
        tok = bh_json_get(&doc, 0, pointer);
        if (tok == BH_EPOINTER) {
            status = usage("a pointer is \"\" or starts with '/' (RFC 6901)");
        } else if (tok < 0) {
            fprintf(stderr, "bluehook: %s: %s\n", pointer, bh_strerror(tok));
            status = 1;
        } else if (bh_json_type_of(&doc, tok) == BH_JSON_STRING) {
            size_t raw_len;
            char *s;
            bh_json_raw(&doc, tok, &raw_len);
            s = (char *)malloc(raw_len);
            r = s ? bh_json_string(&doc, tok, s, raw_len - 1) : BH_ESPACE;
            if (r >= 0) {
                fwrite(s, 1, (size_t)r, stdout);
                putchar('\n');
            } else {
                fprintf(stderr, "bluehook: %s\n", bh_strerror(r));
                status = 1;
            }
            free(s);
        } else {
            size_t raw_len;
            const char *raw = bh_json_raw(&doc, tok, &raw_len);
            fwrite(raw, 1, raw_len, stdout);
            putchar('\n');
        }
    }
    free(toks);
    free(body);
    return status;
}

int main(int argc, char **argv)
{
    if (argc < 2) return usage(NULL);
    if (strcmp(argv[1], "sign") == 0) return cmd_sign(argc - 2, argv + 2);
    if (strcmp(argv[1], "verify") == 0) return cmd_verify(argc - 2, argv + 2);
    if (strcmp(argv[1], "json") == 0) return cmd_json(argc - 2, argv + 2);
    if (strcmp(argv[1], "--version") == 0) {
        printf("bluehook %s\n", BLUEHOOK_VERSION);
        return 0;
    }
    return usage("unknown command");
}
