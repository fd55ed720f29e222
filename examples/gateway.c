/* gateway.c: an IoT gateway that turns sensor readings into Blue-shaped
   events and delivers them to the webhooks in a small config, through the
   socket transport and a file journal, so a power cut loses nothing.

   Usage: gateway CONFIG JOURNAL < readings

   CONFIG has one webhook a line:   id url secret
   Each reading on stdin is a line: sensor-id field value
   (e.g. "boiler-3 temperature 71.5"), published as TODO_CUSTOM_FIELD_UPDATED
   with the reading as the record. After the end of stdin the gateway keeps
   retrying until nothing is pending, then exits (1 if some delivery gave up). */
#define _POSIX_C_SOURCE 200809L
#define BLUEHOOK_IMPLEMENTATION
#include "../bluehook.h"

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MAX_HOOKS 8

static bh_webhook hooks[MAX_HOOKS];
static char config_text[MAX_HOOKS][512];
static bh_sender_hook states[MAX_HOOKS];
static bh_delivery outbox[512];
static uint8_t arena[1 << 20], journal_buf[1 << 20];
static char body[64 << 10];

static uint64_t now_ms(void *ctx)
{
    struct timespec t;
    (void)ctx;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000 + (uint64_t)t.tv_nsec / 1000000;
}

static uint32_t random32(void *ctx)
{
    static uint64_t x;
    (void)ctx;
    if (!x) x = now_ms(NULL) * 0x9e3779b97f4a7c15ull + (uint64_t)getpid();
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return (uint32_t)(x >> 32);
}

/* Read "id url secret" lines into webhooks; their count. */
static int read_config(const char *path)
{
    FILE *f = fopen(path, "r");
    int n = 0;
    while (f && n < MAX_HOOKS && fgets(config_text[n], sizeof config_text[n], f)) {
        char *id = strtok(config_text[n], " \t\r\n");
        char *url = strtok(NULL, " \t\r\n"), *secret = strtok(NULL, " \t\r\n");
        if (!id || id[0] == '#') continue;
        if (!url || !secret) {
            fprintf(stderr, "gateway: %s: a line needs: id url secret\n", path);
            n = -1;
            break;
        }
        memset(&hooks[n], 0, sizeof hooks[n]);
        hooks[n].id = id;
        hooks[n].name = "gateway";
        hooks[n].url = url;
        hooks[n].secret = secret;
        hooks[n].enabled = 1;
        n++;
    }
    if (f) fclose(f);
    return f ? n : -1;
}

/* "sensor field value" into a record; 0 when the line is not a reading. */
static int reading_record(const char *line, char *out, size_t cap)
{
    char sensor[64], field[64], value[64];
    if (sscanf(line, "%63s %63s %63s", sensor, field, value) != 3) return 0;
    return snprintf(out, cap, "{\"id\":\"%s\",\"customField\":{\"name\":\"%s\"},"
                    "\"value\":\"%s\",\"readAt\":%lld}", sensor, field, value,
                    (long long)time(NULL)) < (int)cap;
}

static void report(void *ctx, const bh_delivery *d, int result, uint32_t ms)
{
    (void)ctx;
    fprintf(stderr, "gateway: %s to %s: %d (%u ms)\n", d->id,
            hooks[d->hook].id, result, ms);
}

int main(int argc, char **argv)
{
    bh_sender_config c;
    bh_sender s;
    bh_journal j;
    bh_store store;
    char line[512], record[1024];
    int n, i, open_input = 1, dead = 0;
    if (argc != 3) {
        fprintf(stderr, "usage: gateway CONFIG JOURNAL < readings\n");
        return 2;
    }
    n = read_config(argv[1]);
    if (n <= 0 || bh_journal_open(&j, argv[2], journal_buf, sizeof journal_buf) != BH_OK) {
        fprintf(stderr, "gateway: no webhooks, or the journal cannot be opened\n");
        return 2;
    }
    if (getenv("BLUEHOOK_TEST_CRASH_AFTER")) /* tests only */
        j.crash_after = (uint32_t)atoi(getenv("BLUEHOOK_TEST_CRASH_AFTER"));
    store = bh_journal_store(&j);
    memset(&c, 0, sizeof c);
    c.transport = bh_transport_socket;
    c.random = random32;
    c.mono_ms = now_ms;
    c.store = &store;
    c.on_attempt = report;
    c.first_delay_ms = BH_NO_DELAY;
    c.backoff_ms = 200;
    c.backoff_max_ms = 5000;
    c.hooks = states;
    c.hooks_cap = MAX_HOOKS;
    c.outbox = outbox;
    c.outbox_cap = sizeof outbox / sizeof outbox[0];
    c.arena = arena;
    c.arena_cap = sizeof arena;
    c.body = body;
    c.body_cap = sizeof body;
    if (bh_sender_init(&s, &c) != BH_OK) return 1;
    for (i = 0; i < n; i++)
        if (bh_sender_add(&s, &hooks[i], 0) < 0) return 1;
    if (bh_sender_load(&s, now_ms(NULL)) != BH_OK) /* resume after a crash */
        fprintf(stderr, "gateway: the journal could not be read in full\n");
    while (open_input || bh_sender_next_due(&s) != UINT64_MAX) {
        uint64_t next = bh_sender_next_due(&s), now = now_ms(NULL);
        struct pollfd p = {0, POLLIN, 0};
        int wait = next == UINT64_MAX ? -1 : next > now ? (int)(next - now) : 0;
        if (poll(&p, open_input ? 1 : 0, wait) > 0) { /* else: slept */
            if (!fgets(line, sizeof line, stdin)) {
                open_input = 0;
            } else if (reading_record(line, record, sizeof record)) {
                int r = bh_sender_publish(&s, now_ms(NULL), "TODO_CUSTOM_FIELD_UPDATED",
                                          25, NULL, 0, NULL, 0, record, strlen(record));
                if (r < 0) fprintf(stderr, "gateway: not published: %s\n", bh_strerror(r));
            }
        }
        bh_sender_poll(&s, now_ms(NULL));
    }
    for (i = 0; i < (int)(sizeof outbox / sizeof outbox[0]); i++)
        dead += outbox[i].state == BH_DELIVERY_DEAD;
    bh_sender_compact(&s);
    bh_journal_close(&j);
    return dead ? 1 : 0;
}
