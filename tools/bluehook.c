/* bluehook: the command-line tool built on bluehook.h.

   bluehook sign   --scheme S --secret K [--id ID] [--timestamp T] [FILE]
   bluehook verify --scheme S --secret K [--secret K2 ...]
                   --header "Name: value" ... [--now T] [--tolerance SEC] [FILE]
   bluehook json   [--get POINTER] [FILE]
   bluehook send   --url U --secret K --event NAME [--project ID] [--previous F]
                   [--attempts N] [--backoff-ms MS] [--timeout-ms MS]
                   [--journal PATH] [FILE]
   bluehook match  [--filter EXPR] [--events A,B] [--projects ID,ID] [FILE]
   bluehook listen --port P --secret K [--secret K2 ...] [--scheme S]
                   [--bind ADDR] [--filter EXPR] [--json] [--forward URL]
                   [--forward-secret K] [--tolerance SEC]
   bluehook events

   S is blue (the default), standard, github or stripe.

   Exit 0 on success, 1 when the answer is no, 2 on a usage error. The body
   is read as bytes from FILE or standard input and never re-serialized. A
   secret may also come from --secret-file F or $BLUEHOOK_SECRET. */
#define _POSIX_C_SOURCE 200809L /* NOLINT(bugprone-reserved-identifier,cert-dcl37-c,cert-dcl51-cpp) */
#define BLUEHOOK_IMPLEMENTATION
#include "../bluehook.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_HEADERS 32
#define MAX_SECRETS 8

static int usage(const char *msg)
{
    if (msg) fprintf(stderr, "bluehook: %s\n", msg);
    fprintf(stderr,
            "usage: bluehook sign   --scheme S --secret K [--id ID] [--timestamp T] [FILE]\n"
            "       bluehook verify --scheme S --secret K [--secret K2 ...] --header \"Name: value\" ...\n"
            "                       [--now T] [--tolerance SEC] [FILE]\n"
            "       bluehook json   [--get POINTER] [FILE]\n"
            "       bluehook send   --url U --secret K --event NAME [--project ID] [--previous F]\n"
            "                       [--attempts N] [--backoff-ms MS] [--timeout-ms MS] [--journal PATH] [FILE]\n"
            "       bluehook match  [--filter EXPR] [--events A,B] [--projects ID,ID] [FILE]\n"
            "       bluehook listen --port P --secret K [--secret K2 ...] [--scheme S] [--bind ADDR]\n"
            "                       [--filter EXPR] [--json] [--forward URL] [--forward-secret K]\n"
            "                       [--tolerance SEC]\n"
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

/* Parse a whole document with tokens on the heap; NULL (after printing
   "FILE: line:col: reason") when it is not JSON. */
static bh_json_tok *parse_document(bh_json *doc, const char *name,
                                   const char *text, size_t len)
{
    bh_json_tok *toks;
    int r = bh_json_parse(doc, text, len, NULL, 0);
    if (r == BH_OK) {
        size_t n = doc->ntoks;
        toks = (bh_json_tok *)malloc((n ? n : 1) * sizeof *toks);
        if (toks && bh_json_parse(doc, text, len, toks, n) == BH_OK) return toks;
        free(toks);
        fprintf(stderr, "bluehook: out of memory\n");
        return NULL;
    } else {
        size_t line = 0, col = 0;
        bh_json_line_col(doc, doc->err_pos, &line, &col);
        fprintf(stderr, "bluehook: %s: %zu:%zu: %s\n", name, line, col,
                bh_json_reason(doc));
        return NULL;
    }
}

/* Fill a webhook's events from "A,B,group": names or group names. */
static int parse_event_list(bh_event_set *set, const char *list)
{
    const char *p = list;
    while (*p) {
        const char *comma = strchr(p, ',');
        size_t n = comma ? (size_t)(comma - p) : strlen(p);
        bh_event e = bh_event_from_name(p, n);
        bh_entity g = bh_entity_from_name(p, n);
        if (e != BH_EVENT_UNKNOWN) bh_event_set_add(set, e);
        else if (g != BH_ENTITY_NONE) bh_event_set_add_group(set, g);
        else {
            fprintf(stderr, "bluehook: unknown event or group \"%.*s\"\n", (int)n, p);
            return 0;
        }
        p += n + (comma ? 1 : 0);
    }
    return 1;
}

/* Split "a,b,c" in place into at most max C strings; their count. */
static size_t split_list(char *list, const char **out, size_t max)
{
    size_t n = 0;
    char *p = list;
    while (*p && n < max) {
        char *comma = strchr(p, ',');
        if (comma) *comma = '\0';
        if (*p) out[n++] = p;
        if (!comma) break;
        p = comma + 1;
    }
    return n;
}

/* Why Blue's rule rejects the payload, or NULL when it does not. */
static const char *subscription_miss(const bh_webhook *w, const bh_payload *p,
                                     const bh_json *doc, char *why, size_t cap)
{
    char project[128];
    int t = bh_payload_project_id(p, doc), n = 0;
    if (t >= 0) n = bh_json_string(doc, t, project, sizeof project);
    if (!bh_event_set_empty(w->events) && !bh_event_set_has(w->events, p->event)) {
        char name[80];
        int k = bh_json_string(doc, p->event_name, name, sizeof name);
        snprintf(why, cap, "event %s is not subscribed", k > 0 ? name : "(unreadable)");
        return why;
    }
    if (!bh_webhook_subscribed(w, p->event, project, n > 0 ? (size_t)n : 0)) {
        snprintf(why, cap, n > 0 ? "project %s is not subscribed"
                                 : "the payload names no project%s", n > 0 ? project : "");
        return why;
    }
    return NULL;
}

/* bluehook match: would a webhook with these events, projects and filter
   get this payload? */
static int cmd_match(int argc, char **argv)
{
    const char *filter_text = NULL, *file = NULL, *projects[64];
    char *project_list = NULL, why[300];
    bh_filter_node nodes[256];
    bh_filter f;
    bh_webhook w;
    bh_payload p;
    bh_json doc;
    bh_json_tok *toks;
    size_t len, pos = 0, flen = 0;
    char *text;
    int i, r;
    memset(&w, 0, sizeof w);
    w.enabled = 1;
    for (i = 0; i < argc; i++) {
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (argv[i][0] == '-' && argv[i][1] == '-' && !v) return usage("a flag needs a value");
        if (strcmp(argv[i], "--filter") == 0) filter_text = argv[++i];
        else if (strcmp(argv[i], "--events") == 0) {
            if (!parse_event_list(&w.events, argv[++i])) return 2;
        } else if (strcmp(argv[i], "--projects") == 0) project_list = argv[++i];
        else if (argv[i][0] == '-' && argv[i][1]) return usage("unknown flag");
        else if (!file) file = argv[i];
        else return usage("only one FILE");
    }
    if (project_list) {
        w.project_ids = projects;
        w.nproject_ids = split_list(project_list, projects, 64);
    }
    if (filter_text) {
        r = bh_filter_parse(&f, filter_text, strlen(filter_text), nodes, 256);
        if (r != BH_OK) {
            fprintf(stderr, "bluehook: filter: %zu: %s\n", f.err_pos + 1,
                    r == BH_EFILTER ? f.reason : bh_strerror(r));
            return 2;
        }
        w.filter = &f;
    }
    text = read_all(file, &len);
    if (!text) return 2;
    toks = parse_document(&doc, file ? file : "stdin", text, len);
    if (!toks) {
        free(text);
        return 2;
    }
    if (bh_payload_read(&p, &doc) != BH_OK) {
        printf("no match: not a Blue payload (an object with \"event\" and \"webhook\")\n");
        r = 1;
    } else if (subscription_miss(&w, &p, &doc, why, sizeof why)) {
        printf("no match: %s\n", why);
        r = 1;
    } else if (w.filter && bh_filter_explain(&f, &doc, &pos, &flen) == 0) {
        printf("no match: %.*s\n", (int)flen, filter_text + pos);
        r = 1;
    } else {
        printf("match\n");
        r = 0;
    }
    free(toks);
    free(text);
    return r;
}

/* ---- bluehook send ---- */

static uint64_t cli_mono_ms(void *ctx)
{
    struct timespec t;
    (void)ctx;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000 + (uint64_t)t.tv_nsec / 1000000;
}

static int64_t cli_wall_s(void *ctx)
{
    (void)ctx;
    return (int64_t)time(NULL);
}

static uint64_t cli_rng;
static uint32_t cli_random(void *ctx)
{
    (void)ctx;
    cli_rng ^= cli_rng << 13;
    cli_rng ^= cli_rng >> 7;
    cli_rng ^= cli_rng << 17;
    return (uint32_t)(cli_rng >> 32);
}

static void cli_seed(void)
{
    FILE *f = fopen("/dev/urandom", "rb");
    if (!f || fread(&cli_rng, sizeof cli_rng, 1, f) != 1)
        cli_rng = (uint64_t)time(NULL) * 6364136223846793005ull + (uint64_t)clock();
    if (f) fclose(f);
    if (!cli_rng) cli_rng = 0x9e3779b97f4a7c15ull;
}

/* What a send run has seen. */
struct send_run {
    int delivered, failed, last;
};

static void describe(int result, char *out, size_t cap)
{
    if (result >= 100) snprintf(out, cap, "HTTP %d", result);
    else snprintf(out, cap, "%s", bh_strerror(result));
}

static void on_attempt(void *ctx, const bh_delivery *d, int result, uint32_t ms)
{
    struct send_run *run = (struct send_run *)ctx;
    char what[64];
    describe(result, what, sizeof what);
    printf("%s attempt %d: %s (%u ms)\n", d->id, d->attempts + 1, what, ms);
    fflush(stdout);
    run->last = result;
}

/* The transport for a URL: the socket transport for http:// (a fresh
   connection per attempt), libcurl for https:// when built with it. */
static int cli_transport(void *ctx, const bh_post *post)
{
#ifdef BLUEHOOK_CURL
    if (strncmp(post->url, "https://", 8) == 0)
        return bh_transport_curl((bh_curl_transport *)ctx, post);
#endif
    (void)ctx;
    return bh_transport_socket(NULL, post);
}

/* "wh_" and 16 hex digits of the URL's hash: the same webhook in every run,
   so a journal finds its deliveries again. */
static void webhook_id_for(const char *url, char out[20])
{
    uint8_t d[32];
    bh_sha256(url, strlen(url), d);
    out[0] = 'w';
    out[1] = 'h';
    out[2] = '_';
    bh_hex_encode(out + 3, 17, d, 8); /* and the NUL */
}

struct send_args {
    const char *url, *event, *project, *previous_file, *journal, *file;
    const char *secret;
    char *secret_file;
    long attempts, backoff_ms, timeout_ms;
};

static int parse_send_args(struct send_args *a, int argc, char **argv)
{
    int i;
    memset(a, 0, sizeof *a);
    a->attempts = 5;
    a->backoff_ms = 1000;
    a->timeout_ms = 7000;
    for (i = 0; i < argc; i++) {
        const char *f = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        long *num = NULL;
        if (f[0] == '-' && f[1] == '-' && !v) return usage("a flag needs a value");
        if (strcmp(f, "--url") == 0) a->url = v;
        else if (strcmp(f, "--secret") == 0) a->secret = v;
        else if (strcmp(f, "--secret-file") == 0) {
            size_t n;
            a->secret_file = read_all(v, &n);
            if (!a->secret_file) return 2;
            while (n && (a->secret_file[n - 1] == '\n' || a->secret_file[n - 1] == '\r')) n--;
            a->secret_file[n == 65536 ? n - 1 : n] = '\0';
            a->secret = a->secret_file;
        } else if (strcmp(f, "--event") == 0) a->event = v;
        else if (strcmp(f, "--project") == 0) a->project = v;
        else if (strcmp(f, "--previous") == 0) a->previous_file = v;
        else if (strcmp(f, "--journal") == 0) a->journal = v;
        else if (strcmp(f, "--attempts") == 0) num = &a->attempts;
        else if (strcmp(f, "--backoff-ms") == 0) num = &a->backoff_ms;
        else if (strcmp(f, "--timeout-ms") == 0) num = &a->timeout_ms;
        else if (f[0] == '-' && f[1]) return usage("unknown flag");
        else if (!a->file) {
            a->file = f;
            continue;
        } else return usage("only one FILE");
        if (num) {
            char *end;
            if (!v) return usage("a flag needs a value");
            *num = strtol(v, &end, 10);
            if (*end || *num < 1 || *num > (num == &a->attempts ? 255 : 3600000))
                return usage("a number flag is out of range");
        }
        i++;
    }
    if (!a->secret) a->secret = getenv("BLUEHOOK_SECRET");
    if (!a->url || !a->event) return usage("send needs --url and --event");
    {
        bh_url u;
        if (bh_url_parse(&u, a->url, strlen(a->url)) != BH_OK)
            return usage("--url must be an http:// or https:// URL");
    }
    if (!a->secret || !a->secret[0]) return usage("a secret is required");
    return 0;
}

/* Poll until nothing is due; sleeps between attempts. */
static void deliver_all(bh_sender *s)
{
    for (;;) {
        uint64_t next = bh_sender_next_due(s), now = cli_mono_ms(NULL);
        if (next == UINT64_MAX) return;
        if (next > now) {
            struct timespec ts;
            ts.tv_sec = (time_t)((next - now) / 1000);
            ts.tv_nsec = (long)((next - now) % 1000) * 1000000L;
            nanosleep(&ts, NULL);
        }
        bh_sender_poll(s, cli_mono_ms(NULL));
    }
}

/* bluehook send: build Blue's payload around a record, sign it and
   deliver it with retries (optionally through a journal). */
static int cmd_send(int argc, char **argv)
{
    static bh_delivery outbox[256];
    struct send_args a;
    struct send_run run;
    bh_sender_hook hook;
    bh_sender_config c;
    bh_sender s;
    bh_webhook w;
    bh_journal j;
    bh_store store;
    char id[20], *record = NULL, *previous = NULL;
    size_t rlen = 0, plen = 0, i;
    uint8_t *arena = NULL, *jbuf = NULL;
    char *body = NULL;
    int r, dead = 0;
#ifdef BLUEHOOK_CURL
    bh_curl_transport curl;
#endif
    r = parse_send_args(&a, argc, argv);
    if (r || !a.url) return r ? r : 2;
    record = read_all(a.file, &rlen);
    if (a.previous_file) previous = read_all(a.previous_file, &plen);
    if (!record || (a.previous_file && !previous)) {
        free(record);
        free(previous);
        free(a.secret_file);
        return 2;
    }
    cli_seed();
    webhook_id_for(a.url, id);
    memset(&w, 0, sizeof w);
    w.id = id;
    w.name = "bluehook send";
    w.url = a.url;
    w.secret = a.secret;
    w.enabled = 1;
    memset(&run, 0, sizeof run);
    memset(&c, 0, sizeof c);
#ifdef BLUEHOOK_CURL
    memset(&curl, 0, sizeof curl);
    curl.curl = curl_easy_init();
    c.transport_ctx = &curl;
#endif
    c.transport = cli_transport;
    c.random = cli_random;
    c.wall_clock = cli_wall_s;
    c.mono_ms = cli_mono_ms;
    c.on_attempt = on_attempt;
    c.attempt_ctx = &run;
    c.first_delay_ms = BH_NO_DELAY;
    c.timeout_ms = (uint32_t)a.timeout_ms;
    c.backoff_ms = (uint32_t)a.backoff_ms;
    c.backoff_max_ms = (uint32_t)a.backoff_ms * 64;
    c.max_attempts = (uint8_t)a.attempts;
    c.hooks = &hook;
    c.hooks_cap = 1;
    c.outbox = outbox;
    c.outbox_cap = 256;
    c.arena_cap = 16u << 20;
    c.body_cap = 8u << 20;
    arena = (uint8_t *)malloc(c.arena_cap);
    body = (char *)malloc(c.body_cap);
    jbuf = (uint8_t *)malloc(c.arena_cap);
    c.arena = arena;
    c.body = body;
    r = arena && body && jbuf ? BH_OK : BH_EFULL;
    if (r == BH_OK && a.journal) {
        r = bh_journal_open(&j, a.journal, jbuf, c.arena_cap);
        store = bh_journal_store(&j);
        c.store = &store;
        if (r == BH_OK) {
            const char *crash = getenv("BLUEHOOK_TEST_CRASH_AFTER");
            if (crash) j.crash_after = (uint32_t)strtoul(crash, NULL, 10);
        }
    }
    if (r == BH_OK) r = bh_sender_init(&s, &c);
    if (r == BH_OK) r = bh_sender_add(&s, &w, 0) < 0 ? BH_EINVAL : BH_OK;
    if (r == BH_OK && a.journal) r = bh_sender_load(&s, cli_mono_ms(NULL));
    if (r == BH_OK)
        r = bh_sender_publish(&s, cli_mono_ms(NULL), a.event, strlen(a.event),
                              a.project, a.project ? strlen(a.project) : 0,
                              previous, plen, record, rlen);
    if (r < 0) {
        fprintf(stderr, "bluehook: %s\n", bh_strerror(r));
        r = r == BH_EINVAL || r == BH_ESYNTAX || r == BH_EUTF8 || r == BH_EINCOMPLETE ? 2 : 1;
    } else {
        deliver_all(&s);
        for (i = 0; i < 256; i++) dead += outbox[i].state == BH_DELIVERY_DEAD;
        if (a.journal) bh_sender_compact(&s);
        if (dead) {
            char what[64];
            describe(run.last, what, sizeof what);
            fprintf(stderr, "bluehook: not delivered after %ld attempts: %s%s\n",
                    a.attempts, what, a.journal ? " (kept in the journal)" : "");
        }
        r = dead ? 1 : 0;
    }
    if (a.journal) bh_journal_close(&j);
#ifdef BLUEHOOK_CURL
    if (curl.curl) curl_easy_cleanup(curl.curl);
#endif
    bh_wipe(&hook, sizeof hook);
    free(arena);
    free(body);
    free(jbuf);
    free(record);
    free(previous);
    free(a.secret_file);
    return r;
}

/* ---- bluehook listen ----

   One thread, one poll() loop over the listening socket, a self-pipe for
   SIGINT/SIGTERM and up to LISTEN_CONNS connections, each with its own
   buffer (grown up to the largest request), parser and pending output.
   Every request goes through bh_receiver_serve; a slow client costs a slot,
   never a thread. A --forward POST is made from the loop, so it holds the
   other clients up to its timeout (it is meant for a local target). */

#define LISTEN_CONNS 128
#define LISTEN_BUF_START 16384
#define LISTEN_BUF_MAX (BH_HTTP_MAX_BODY_BYTES + BH_HTTP_MAX_HEADER_BYTES + 65536)
#define LISTEN_TOKS 131072
#define LISTEN_IDLE_S 60
#define LISTEN_OUT 4096
#define LISTEN_REPLAY 256 /* deliveries remembered (a lookup scans them all:
                             ~1 us per 256 on a request); Blue retries only
                             a delivery that was not answered 2xx */

struct conn {
    int fd;                 /* -1: a free slot */
    int closing;            /* close once out is sent */
    char *buf;
    size_t len, alloc;
    bh_http_parser p;
    bh_header hdrs[64];
    size_t out_len, out_off;
    time_t last;            /* last activity */
    char out[LISTEN_OUT];   /* responses not yet sent */
};

struct listen_state {
    struct options o;       /* scheme, secrets, tolerance */
    const char *bind, *filter, *forward, *forward_secret;
    long port;
    int json;
    bh_key keys[MAX_SECRETS];
    bh_key forward_key;     /* signs forwarded deliveries */
    bh_receiver rx;
    bh_filter f;
    bh_filter_node nodes[256];
    bh_replay replay;
    bh_replay_slot slots[LISTEN_REPLAY];
    unsigned long handled, refused;
#ifdef BLUEHOOK_CURL
    bh_curl_transport curl;
#endif
};

static int listen_sig_pipe[2] = {-1, -1};

static void listen_on_signal(int sig)
{
    char c = (char)sig;
    ssize_t r = write(listen_sig_pipe[1], &c, 1);
    (void)r;
}

static int parse_listen_args(struct listen_state *L, int argc, char **argv)
{
    const char *env;
    int i, r;
    int64_t v;
    L->port = -1;
    L->bind = "127.0.0.1";
    L->o.scheme = BH_SCHEME_BLUE;
    for (i = 0; i < argc; i++) {
        const char *a = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--json") == 0) {
            L->json = 1;
            continue;
        }
        if (!val) return usage(a[0] == '-' ? "a flag needs a value" : "listen takes no FILE");
        if (strcmp(a, "--port") == 0) {
            if (!parse_int(&v, val, 0, 65535)) return usage("--port is 0 to 65535");
            L->port = (long)v;
        } else if (strcmp(a, "--scheme") == 0) {
            if (!parse_scheme(&L->o.scheme, val))
                return usage("--scheme is blue, standard, github or stripe");
        } else if (strcmp(a, "--secret") == 0) {
            if (!add_secret(&L->o, val, strlen(val))) return usage("at most 8 secrets");
        } else if (strcmp(a, "--secret-file") == 0) {
            if ((r = add_secret_file(&L->o, val)) != 0) return r;
        } else if (strcmp(a, "--tolerance") == 0) {
            if (!parse_int(&v, val, 1, 0xffffffff)) return usage("--tolerance is seconds, at least 1");
            L->o.tolerance = (uint32_t)v;
        } else if (strcmp(a, "--bind") == 0) L->bind = val;
        else if (strcmp(a, "--filter") == 0) L->filter = val;
        else if (strcmp(a, "--forward") == 0) L->forward = val;
        else if (strcmp(a, "--forward-secret") == 0) L->forward_secret = val;
        else {
            fprintf(stderr, "bluehook: unknown flag %s\n", a);
            return 2;
        }
        i++;
    }
    if (L->port < 0) return usage("listen needs --port (0 picks a free one)");
    env = getenv("BLUEHOOK_SECRET");
    if (!L->o.nsecrets && env) add_secret(&L->o, env, strlen(env));
    if (!L->o.nsecrets) return usage("a secret is required");
    if (L->forward) {
        bh_url u;
        if (bh_url_parse(&u, L->forward, strlen(L->forward)) != BH_OK)
            return usage("--forward must be an http:// or https:// URL");
    }
    return 0;
}

/* "2025-01-31T12:00:00Z", formatted once a second. */
static void utc_now(char out[32])
{
    static time_t last = -1;
    static char text[32];
    time_t t = time(NULL);
    if (t != last) {
        struct tm tm;
        gmtime_r(&t, &tm);
        strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
        last = t;
    }
    memcpy(out, text, sizeof text);
}

/* Bytes as a JSON string (quotes and escapes). */
static void put_json_string(FILE *f, const char *s, size_t n)
{
    size_t i;
    fputc('"', f);
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\') fprintf(f, "\\%c", c);
        else if (c < 0x20 || c == 0x7f) fprintf(f, "\\u%04x", c);
        else fputc(c, f);
    }
    fputc('"', f);
}

/* A string token's JSON text (as sent: valid JSON), or "null". */
static void put_json_token(FILE *f, const bh_json *doc, int t)
{
    size_t n = 0;
    const char *raw = t >= 0 && bh_json_type_of(doc, t) == BH_JSON_STRING
                          ? bh_json_raw(doc, t, &n) : NULL;
    if (raw) fwrite(raw, 1, n, f);
    else fputs("null", f);
}

/* A string token unescaped for a terminal (controls as '?'), or "-". */
static void put_text_token(FILE *f, const bh_json *doc, int t, int quoted)
{
    char s[256];
    int n = t >= 0 ? bh_json_string(doc, t, s, sizeof s) : -1, i;
    if (n < 0) {
        fputc('-', f);
        return;
    }
    for (i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f) s[i] = '?';
    fprintf(f, quoted ? "\"%s\"" : "%s", s);
}

/* The record id, title (a comment's text) and project of a Blue payload
   (-1 when absent). */
static void event_fields(const bh_received *in, int *record, int *title, int *project)
{
    *record = *title = *project = -1;
    if (!in->blue) return;
    *record = bh_payload_record_id(&in->payload, &in->doc);
    if (*record < 0) *record = bh_payload_entity_id(&in->payload, &in->doc);
    *title = bh_json_get(&in->doc, in->payload.entity, "/title");
    if (*title < 0) *title = bh_json_get(&in->doc, in->payload.entity, "/name");
    if (*title < 0) *title = bh_json_get(&in->doc, in->payload.entity, "/text"); /* comments */
    *project = bh_payload_project_id(&in->payload, &in->doc);
}

/* One line per dispatched event, on stdout. */
static void log_event(const struct listen_state *L, const bh_outcome *o)
{
    const bh_received *in = &o->in;
    char when[32];
    int record, title, project;
    size_t i;
    utc_now(when);
    event_fields(in, &record, &title, &project);
    if (L->json) {
        printf("{\"time\":\"%s\",\"event\":", when);
        put_json_string(stdout, in->name, in->name_len);
        fputs(",\"record\":", stdout);
        put_json_token(stdout, &in->doc, record);
        fputs(",\"title\":", stdout);
        put_json_token(stdout, &in->doc, title);
        fputs(",\"project\":", stdout);
        put_json_token(stdout, &in->doc, project);
        printf(",\"key\":%zu,\"payload\":", in->verified.key);
        for (i = 0; i < in->body_len; i++) /* CR, LF: only white space here */
            putchar(in->body[i] == '\n' || in->body[i] == '\r' ? ' ' : in->body[i]);
        fputs("}\n", stdout);
    } else {
        printf("%s %.*s ", when, (int)in->name_len, in->name_len ? in->name : "-");
        put_text_token(stdout, &in->doc, record, 0);
        putchar(' ');
        put_text_token(stdout, &in->doc, title, 1);
        putchar(' ');
        put_text_token(stdout, &in->doc, project, 0);
        putchar('\n');
    }
    fflush(stdout);
}

/* Every other answer, with its reason, on stderr. */
static void log_refusal(const struct listen_state *L, const bh_outcome *o)
{
    char when[32];
    utc_now(when);
    fprintf(stderr, "%s %d %s: %s", when, o->status, bh_rx_result_name(o->result), o->reason);
    if (o->result == BH_RX_FILTERED && o->err_len)
        fprintf(stderr, ": %.*s", (int)o->err_len, L->filter + o->err_pos);
    if (o->result == BH_RX_NOT_JSON) fprintf(stderr, " at byte %zu", o->err_pos);
    if (o->in.name_len) fprintf(stderr, " (%.*s)", (int)o->in.name_len, o->in.name);
    fputc('\n', stderr);
}

/* --forward: the original body, signed again (--forward-secret, else the
   first secret) under the same scheme; a failed forward answers 502, so
   the sender retries. */
static int forward_handler(void *ctx, const bh_received *r)
{
    struct listen_state *L = (struct listen_state *)ctx;
    bh_header h[4];
    char sig[BH_SIGN_BUF(64)], id[65], what[64];
    const bh_header *wid = bh_header_find(r->headers, r->nheaders, "webhook-id");
    bh_post post;
    int n, status;
    if (!L->forward) return 0;
    if (wid && wid->value_len && wid->value_len < sizeof id) {
        memcpy(id, wid->value, wid->value_len);
        id[wid->value_len] = '\0';
    } else {
        memcpy(id, "msg_", 4);
        bh_hex_encode(id + 4, 25, r->verified.mac, 12);
    }
    h[0].name = "Content-Type";
    h[0].name_len = 12;
    h[0].value = "application/json";
    h[0].value_len = 16;
    n = bh_sign(&L->forward_key, id, (int64_t)time(NULL), r->body, r->body_len, h + 1, 3,
                sig, sizeof sig);
    if (n < 0) return 500;
    memset(&post, 0, sizeof post);
    post.url = L->forward;
    post.headers = h;
    post.nheaders = 1 + (size_t)n;
    post.body = r->body;
    post.body_len = r->body_len;
    post.timeout_ms = 7000;
#ifdef BLUEHOOK_CURL
    status = cli_transport(&L->curl, &post);
#else
    status = cli_transport(NULL, &post);
#endif
    if (status >= 200 && status < 300) return 0;
    describe(status, what, sizeof what);
    fprintf(stderr, "bluehook: forward to %s: %s\n", L->forward, what);
    return 502;
}

static int listen_setup(struct listen_state *L, bh_json_tok *toks)
{
    size_t i;
    int r;
    for (i = 0; i < L->o.nsecrets; i++)
        if (bh_key_init(&L->keys[i], L->o.scheme, L->o.secrets[i], L->o.secret_lens[i]) != BH_OK)
            return usage("a standard secret is base64, with an optional whsec_ prefix");
    L->forward_key = L->keys[0];
    if (L->forward_secret &&
        bh_key_init(&L->forward_key, L->o.scheme, L->forward_secret, strlen(L->forward_secret)) != BH_OK)
        return usage("--forward-secret is not a secret of the scheme");
    bh_receiver_init(&L->rx, L->o.scheme, L->keys, L->o.nsecrets, toks, LISTEN_TOKS);
    L->rx.tolerance_s = L->o.tolerance;
    bh_replay_init(&L->replay, L->slots, LISTEN_REPLAY);
    L->rx.replay = &L->replay;
    bh_receiver_on(&L->rx, BH_EVENT_UNKNOWN, forward_handler, L);
    if (L->filter) {
        r = bh_filter_parse(&L->f, L->filter, strlen(L->filter), L->nodes, 256);
        if (r != BH_OK) {
            fprintf(stderr, "bluehook: filter: %zu: %s\n", L->f.err_pos + 1,
                    r == BH_EFILTER ? L->f.reason : bh_strerror(r));
            return 2;
        }
        L->rx.filter = &L->f;
    }
    return 0;
}

/* A listening socket on --bind:--port; prints the port. -1 on failure. */
static int listen_socket(struct listen_state *L)
{
    struct addrinfo hints, *ai = NULL;
    struct sockaddr_storage sa;
    socklen_t sl = sizeof sa;
    char port[8];
    int fd = -1, one = 1;
    memset(&hints, 0, sizeof hints);
    hints.ai_flags = AI_NUMERICHOST | AI_PASSIVE | AI_NUMERICSERV;
    hints.ai_socktype = SOCK_STREAM;
    snprintf(port, sizeof port, "%ld", L->port);
    if (getaddrinfo(L->bind, port, &hints, &ai) != 0) {
        fprintf(stderr, "bluehook: --bind %s: not a numeric address\n", L->bind);
        return -1;
    }
    fd = socket(ai->ai_family, SOCK_STREAM, 0);
    if (fd >= 0) setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (fd < 0 || bind(fd, ai->ai_addr, ai->ai_addrlen) != 0 || listen(fd, 128) != 0 ||
        getsockname(fd, (struct sockaddr *)&sa, &sl) != 0) {
        fprintf(stderr, "bluehook: listen on %s:%s: %s\n", L->bind, port, strerror(errno));
        if (fd >= 0) close(fd);
        freeaddrinfo(ai);
        return -1;
    }
    freeaddrinfo(ai);
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    L->port = ntohs(sa.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&sa)->sin6_port
                                             : ((struct sockaddr_in *)&sa)->sin_port);
    printf("%ld\n", L->port);
    fflush(stdout);
    return fd;
}

static void conn_close(struct conn *c)
{
    close(c->fd);
    free(c->buf);
    c->fd = -1;
    c->buf = NULL;
}

static void conn_accept(int lfd, struct conn *conns)
{
    for (;;) {
        int fd = accept(lfd, NULL, NULL), i;
        if (fd < 0) return;
        for (i = 0; i < LISTEN_CONNS && conns[i].fd >= 0; i++) continue;
        if (i == LISTEN_CONNS) { /* full: refuse at once */
            close(fd);
            continue;
        }
        fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
        memset(&conns[i], 0, sizeof conns[i]);
        conns[i].fd = fd;
        conns[i].last = time(NULL);
        bh_http_init(&conns[i].p, conns[i].hdrs, 64);
    }
}

/* Read what is there; 0 at EOF or on an error. */
static int conn_read(struct conn *c)
{
    for (;;) {
        ssize_t n;
        if (c->len == c->alloc && c->alloc < LISTEN_BUF_MAX) {
            size_t want = c->alloc ? c->alloc * 2 : LISTEN_BUF_START;
            char *b = (char *)realloc(c->buf, want > LISTEN_BUF_MAX ? LISTEN_BUF_MAX : want);
            if (!b) return 0;
            c->buf = b;
            c->alloc = want > LISTEN_BUF_MAX ? LISTEN_BUF_MAX : want;
        }
        if (c->len == c->alloc) return 1; /* full: serve answers 413 */
        n = read(c->fd, c->buf + c->len, c->alloc - c->len);
        if (n > 0) {
            int drained = (size_t)n < c->alloc - c->len; /* no need to ask again */
            c->len += (size_t)n;
            c->last = time(NULL);
            if (drained) return 1;
            continue;
        }
        return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR);
    }
}

/* Serve every whole request buffered, while the output has room. */
static void conn_serve(struct listen_state *L, struct conn *c)
{
    bh_served s;
    while (!c->closing && LISTEN_OUT - c->out_len >= BH_RESPONSE_MAX) {
        int rc = bh_receiver_serve(&L->rx, &c->p, c->buf, c->len, LISTEN_BUF_MAX,
                                   (int64_t)time(NULL), c->out + c->out_len,
                                   LISTEN_OUT - c->out_len, &s);
        c->out_len += s.out_len;
        if (rc != BH_OK) return;
        if (s.outcome.result == BH_RX_HANDLED || s.outcome.result == BH_RX_UNHANDLED) {
            L->handled++;
            log_event(L, &s.outcome);
        } else {
            L->refused += s.outcome.status >= 300;
            log_refusal(L, &s.outcome);
        }
        memmove(c->buf, c->buf + s.consumed, c->len - s.consumed);
        c->len -= s.consumed;
        c->closing = s.close;
    }
}

/* Send pending output; 0 when the connection is broken. */
static int conn_flush(struct conn *c)
{
    while (c->out_off < c->out_len) {
        ssize_t n = write(c->fd, c->out + c->out_off, c->out_len - c->out_off);
        if (n < 0) return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR;
        c->out_off += (size_t)n;
    }
    c->out_len = c->out_off = 0;
    return 1;
}

static void conn_step(struct listen_state *L, struct conn *c, short revents)
{
    int open = 1;
    if (revents & (POLLIN | POLLHUP | POLLERR)) open = conn_read(c);
    if (open) {
        conn_serve(L, c);
        open = conn_flush(c);
        if (open && !c->out_len) conn_serve(L, c), open = conn_flush(c);
    }
    if (!open || (c->closing && !c->out_len) ||
        time(NULL) - c->last > LISTEN_IDLE_S)
        conn_close(c);
}

static void listen_loop(struct listen_state *L, int lfd, struct conn *conns)
{
    static struct pollfd pfd[LISTEN_CONNS + 2];
    int idx[LISTEN_CONNS + 2], i, n;
    for (;;) {
        n = 2;
        pfd[0].fd = lfd;
        pfd[0].events = POLLIN;
        pfd[1].fd = listen_sig_pipe[0];
        pfd[1].events = POLLIN;
        for (i = 0; i < LISTEN_CONNS; i++) {
            if (conns[i].fd < 0) continue;
            pfd[n].fd = conns[i].fd;
            pfd[n].events = conns[i].out_len ? POLLOUT : POLLIN;
            idx[n++] = i;
        }
        if (poll(pfd, (nfds_t)n, 1000) < 0 && errno != EINTR) return;
        if (pfd[1].revents) return;
        if (pfd[0].revents & POLLIN) conn_accept(lfd, conns);
        for (i = 2; i < n; i++)
            if (pfd[i].revents || time(NULL) - conns[idx[i]].last > LISTEN_IDLE_S)
                conn_step(L, &conns[idx[i]], pfd[i].revents);
    }
}

/* bluehook listen: a local request bin that verifies, answers per the
   pipeline and prints one line per event. */
static int cmd_listen(int argc, char **argv)
{
    static struct listen_state L;
    static struct conn conns[LISTEN_CONNS];
    struct sigaction sa;
    bh_json_tok *toks;
    int r, lfd, i;
    r = parse_listen_args(&L, argc, argv);
    toks = r ? NULL : (bh_json_tok *)malloc(LISTEN_TOKS * sizeof *toks);
    if (!r && !toks) r = 1;
    if (!r) r = listen_setup(&L, toks);
    if (r || pipe(listen_sig_pipe) != 0 || (lfd = listen_socket(&L)) < 0) {
        free(toks);
        free_options(&L.o);
        return r ? r : 1;
    }
    fprintf(stderr, "bluehook: listening on %s port %ld\n", L.bind, L.port);
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = listen_on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
#ifdef BLUEHOOK_CURL
    L.curl.curl = curl_easy_init();
#endif
    for (i = 0; i < LISTEN_CONNS; i++) conns[i].fd = -1;
    listen_loop(&L, lfd, conns);
    for (i = 0; i < LISTEN_CONNS; i++)
        if (conns[i].fd >= 0) conn_close(&conns[i]);
    close(lfd);
#ifdef BLUEHOOK_CURL
    if (L.curl.curl) curl_easy_cleanup(L.curl.curl);
#endif
    fprintf(stderr, "bluehook: stopped: %lu events, %lu refused\n", L.handled, L.refused);
    bh_wipe(L.keys, sizeof L.keys);
    bh_wipe(&L.forward_key, sizeof L.forward_key);
    free(toks);
    free_options(&L.o);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2) return usage(NULL);
    if (strcmp(argv[1], "sign") == 0) return cmd_sign(argc - 2, argv + 2);
    if (strcmp(argv[1], "verify") == 0) return cmd_verify(argc - 2, argv + 2);
    if (strcmp(argv[1], "events") == 0) return cmd_events(argc - 2, argv + 2);
    if (strcmp(argv[1], "json") == 0) return cmd_json(argc - 2, argv + 2);
    if (strcmp(argv[1], "match") == 0) return cmd_match(argc - 2, argv + 2);
    if (strcmp(argv[1], "send") == 0) return cmd_send(argc - 2, argv + 2);
    if (strcmp(argv[1], "listen") == 0) return cmd_listen(argc - 2, argv + 2);
    if (strcmp(argv[1], "--version") == 0) {
        printf("bluehook %s\n", BLUEHOOK_VERSION);
        return 0;
    }
    return usage("unknown command");
}
