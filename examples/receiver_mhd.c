/* examples/receiver_mhd.c - a Blue webhook receiver on GNU libmicrohttpd.
   libmicrohttpd parses HTTP (chunked bodies, keep-alive, 100-continue);
   bluehook's bh_receive does the rest and says which status to answer.

       cc -O2 -o receiver_mhd examples/receiver_mhd.c $(pkg-config --cflags --libs libmicrohttpd)
       BLUEHOOK_SECRET=your-webhook-secret ./receiver_mhd [PORT]

   It binds 127.0.0.1 (PORT 0 or none: a free port), prints the port, then
   one line per event: its name and the record id. */
#define _POSIX_C_SOURCE 200809L
#define BLUEHOOK_IMPLEMENTATION
#include "../bluehook.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_BODY (1 << 20)

static bh_receiver rx; /* MHD's single internal thread is its only user */

struct upload {          /* one request's body, as it arrives */
    char *body;
    size_t len;
};

struct fields {
    bh_header h[32];
    size_t n;
};

static int on_event(void *ctx, const bh_received *r)
{
    char record[128] = "-";
    int t = bh_payload_record_id(&r->payload, &r->doc);
    (void)ctx;
    if (t >= 0 && bh_json_string(&r->doc, t, record, sizeof record) < 0)
        strcpy(record, "?");
    printf("%.*s %s\n", (int)r->name_len, r->name, record);
    fflush(stdout);
    return 0;
}

static enum MHD_Result add_field(void *cls, enum MHD_ValueKind kind,
                                 const char *name, const char *value)
{
    struct fields *f = (struct fields *)cls;
    (void)kind;
    if (f->n == 32) return MHD_NO;
    f->h[f->n].name = name;
    f->h[f->n].name_len = strlen(name);
    f->h[f->n].value = value ? value : "";
    f->h[f->n++].value_len = value ? strlen(value) : 0;
    return MHD_YES;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c,
                                  const char *url, const char *method,
                                  const char *version, const char *data,
                                  size_t *data_len, void **state)
{
    struct upload *u = (struct upload *)*state;
    struct MHD_Response *resp;
    struct fields f;
    bh_outcome o;
    enum MHD_Result ok;
    int status;
    (void)cls, (void)url, (void)version;
    if (!u) { /* the head has arrived */
        *state = u = (struct upload *)calloc(1, sizeof *u);
        return u ? MHD_YES : MHD_NO;
    }
    if (*data_len) { /* a piece of the body; past MAX_BODY only counted */
        if (!u->body) u->body = (char *)malloc(MAX_BODY + 1);
        if (!u->body) return MHD_NO;
        if (u->len <= MAX_BODY) {
            size_t k = *data_len < MAX_BODY + 1 - u->len ? *data_len : MAX_BODY + 1 - u->len;
            memcpy(u->body + u->len, data, k);
            u->len += k;
        }
        *data_len = 0;
        return MHD_YES;
    }
    f.n = 0; /* the whole request: its fields, then the pipeline */
    MHD_get_connection_values(c, MHD_HEADER_KIND, add_field, &f);
    status = bh_receive(&rx, method, strlen(method), f.h, f.n, u->body, u->len,
                        (int64_t)time(NULL), &o); /* 413 past MAX_BODY */
    resp = MHD_create_response_from_buffer(strlen(o.reason), (void *)(uintptr_t)o.reason,
                                           MHD_RESPMEM_MUST_COPY);
    MHD_add_response_header(resp, "Content-Type", "text/plain");
    ok = MHD_queue_response(c, (unsigned)status, resp);
    MHD_destroy_response(resp);
    return ok;
}

static void on_done(void *cls, struct MHD_Connection *c, void **state,
                    enum MHD_RequestTerminationCode why)
{
    struct upload *u = (struct upload *)*state;
    (void)cls, (void)c, (void)why;
    if (u) free(u->body);
    free(u);
    *state = NULL;
}

int main(int argc, char **argv)
{
    static bh_json_tok toks[16384];
    static bh_replay_slot slots[1024];
    const char *secret = getenv("BLUEHOOK_SECRET");
    struct sockaddr_in a;
    struct MHD_Daemon *d;
    bh_replay cache;
    bh_key key;
    if (!secret || bh_key_init(&key, BH_SCHEME_BLUE, secret, strlen(secret)) != BH_OK) {
        fprintf(stderr, "receiver_mhd: set BLUEHOOK_SECRET\n");
        return 2;
    }
    bh_replay_init(&cache, slots, 1024);
    bh_receiver_init(&rx, BH_SCHEME_BLUE, &key, 1, toks, 16384);
    rx.max_body = MAX_BODY;
    rx.replay = &cache;
    bh_receiver_on(&rx, BH_EVENT_UNKNOWN, on_event, NULL);
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = htons((uint16_t)(argc > 1 ? atoi(argv[1]) : 0));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG, 0,
                         NULL, NULL, on_request, NULL,
                         MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&a,
                         MHD_OPTION_NOTIFY_COMPLETED, on_done, NULL,
                         MHD_OPTION_END);
    if (!d) {
        fprintf(stderr, "receiver_mhd: cannot start the daemon\n");
        return 1;
    }
    printf("%u\n", MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT)->port);
    fflush(stdout);
    for (;;) pause(); /* until SIGTERM */
}
