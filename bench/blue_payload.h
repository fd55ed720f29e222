/* bench/blue_payload.h: a Blue-shaped webhook payload of about a given
   size, written with bluehook's JSON writer. The shape follows the real
   delivery in ../shared/blue/todo_created.min.json: event, webhook, then
   previousValue and currentValue records with todoList -> project ->
   company. The records carry many custom fields and comments whose text
   mixes ASCII with multi-byte UTF-8 (Latin accents, Cyrillic, CJK, emoji)
   and characters that JSON escapes (quotes, backslashes, newlines, tabs),
   as JSON.stringify writes them. Deterministic: the same size gives the
   same bytes. Include after bluehook.h. */
#ifndef BH_BENCH_BLUE_PAYLOAD_H
#define BH_BENCH_BLUE_PAYLOAD_H

#include <stdio.h>
#include <string.h>

typedef struct bp_rng {
    unsigned long long s;
} bp_rng;

static unsigned bp_next(bp_rng *r)
{
    r->s ^= r->s << 13;
    r->s ^= r->s >> 7;
    r->s ^= r->s << 17;
    return (unsigned)(r->s >> 32);
}

/* A Blue-style id: "cl" and 23 lowercase letters and digits. */
static void bp_id(bp_rng *r, char out[26])
{
    static const char a[] = "abcdefghijklmnopqrstuvwxyz0123456789";
    int i;
    out[0] = 'c';
    out[1] = 'l';
    for (i = 2; i < 25; i++) out[i] = a[bp_next(r) % 36];
    out[25] = '\0';
}

static void bp_uid(bp_rng *r, char out[33])
{
    static const char h[] = "0123456789abcdef";
    int i;
    for (i = 0; i < 32; i++) out[i] = h[bp_next(r) % 16];
    out[32] = '\0';
}

static void bp_date(bp_rng *r, char out[25])
{
    snprintf(out, 25, "2022-%02u-%02uT%02u:%02u:%02u.%03uZ", 1 + bp_next(r) % 12,
             1 + bp_next(r) % 28, bp_next(r) % 24, bp_next(r) % 60,
             bp_next(r) % 60, bp_next(r) % 1000);
}

static const char *const bp_words[] = {
    "the", "release", "review", "customer", "invoice", "deadline", "sprint",
    "café", "naïve", "Größe", "señal", "équipe", "résumé", "Zürich",
    "проект", "задача", "срок", "日本語", "進捗", "確認", "🚀", "✅", "—",
    "\"quoted\"", "C:\\path", "line\nbreak", "tab\there", "50%", "<b>", "&amp;",
    "data", "schedule", "budget", "approved", "blocked", "QA", "v2.3.1"};
#define BP_NWORDS (sizeof bp_words / sizeof bp_words[0])

/* A sentence of n words into buf (NUL-terminated); returns its length. */
static size_t bp_text(bp_rng *r, char *buf, size_t cap, unsigned n)
{
    size_t len = 0;
    unsigned i;
    for (i = 0; i < n; i++) {
        const char *w = bp_words[bp_next(r) % BP_NWORDS];
        size_t wl = strlen(w);
        if (len + wl + 2 >= cap) break;
        if (i) buf[len++] = ' ';
        memcpy(buf + len, w, wl);
        len += wl;
    }
    buf[len] = '\0';
    return len;
}

static void bp_kv(bh_json_writer *w, const char *k, const char *v)
{
    bh_jw_key(w, k, strlen(k));
    bh_jw_string(w, v, strlen(v));
}

static void bp_kid(bh_json_writer *w, bp_rng *r, const char *k)
{
    char id[26];
    bp_id(r, id);
    bp_kv(w, k, id);
}

static void bp_kdate(bh_json_writer *w, bp_rng *r, const char *k)
{
    char d[25];
    bp_date(r, d);
    bp_kv(w, k, d);
}

static void bp_knull(bh_json_writer *w, const char *k)
{
    bh_jw_key(w, k, strlen(k));
    bh_jw_null(w);
}

static void bp_kbool(bh_json_writer *w, const char *k, int v)
{
    bh_jw_key(w, k, strlen(k));
    bh_jw_bool(w, v);
}

static void bp_kint(bh_json_writer *w, const char *k, long long v)
{
    bh_jw_key(w, k, strlen(k));
    bh_jw_int64(w, v);
}

static void bp_custom_field(bh_json_writer *w, bp_rng *r)
{
    static const char *const types[] = {"TEXT_SINGLE", "NUMBER", "CHECKBOX",
                                        "SELECT_SINGLE", "CURRENCY", "DATE"};
    char text[400], uid[33];
    unsigned t = bp_next(r) % 6, i, nopt;
    bh_jw_begin_object(w);
    bp_kid(w, r, "id");
    bp_kid(w, r, "customFieldId");
    bp_kid(w, r, "todoId");
    bh_jw_key(w, "value", 5);
    if (t == 1 || t == 4)
        bh_jw_double(w, (double)(bp_next(r) % 100000) / 100.0);
    else if (t == 2)
        bh_jw_bool(w, bp_next(r) & 1);
    else {
        bp_text(r, text, sizeof text, 2 + bp_next(r) % 8);
        bh_jw_string(w, text, strlen(text));
    }
    bp_kdate(w, r, "createdAt");
    bp_kdate(w, r, "updatedAt");
    bh_jw_key(w, "customField", 11);
    bh_jw_begin_object(w);
    bp_kid(w, r, "id");
    bp_uid(r, uid);
    bp_kv(w, "uid", uid);
    bp_text(r, text, sizeof text, 1 + bp_next(r) % 3);
    bp_kv(w, "name", text);
    bp_kv(w, "type", types[t]);
    bp_kint(w, "position", 65535 * (long long)(1 + bp_next(r) % 40));
    bp_kv(w, "currency", t == 4 ? "EUR" : "");
    bp_knull(w, "prefix");
    bp_text(r, text, sizeof text, 4 + bp_next(r) % 12);
    bp_kv(w, "description", text);
    bh_jw_key(w, "options", 7);
    bh_jw_begin_array(w);
    nopt = t == 3 ? 2 + bp_next(r) % 4 : 0;
    for (i = 0; i < nopt; i++) {
        bh_jw_begin_object(w);
        bp_kid(w, r, "id");
        bp_text(r, text, sizeof text, 1 + bp_next(r) % 2);
        bp_kv(w, "title", text);
        bp_kv(w, "color", "#3b82f6");
        bh_jw_end_object(w);
    }
    bh_jw_end_array(w);
    bh_jw_end_object(w);
    bh_jw_end_object(w);
}

static void bp_comment(bh_json_writer *w, bp_rng *r)
{
    char text[1200], html[1400];
    size_t n = bp_text(r, text, sizeof text, 8 + bp_next(r) % 60);
    snprintf(html, sizeof html, "<p><a href=\"https://app.blue.cc/u/%u\">@%u</a> %s</p>",
             bp_next(r) % 1000, bp_next(r) % 1000, text);
    bh_jw_begin_object(w);
    bp_kid(w, r, "id");
    bp_kv(w, "html", html);
    bh_jw_key(w, "text", 4);
    bh_jw_string(w, text, n);
    bp_kid(w, r, "userId");
    bp_kdate(w, r, "createdAt");
    bp_kdate(w, r, "updatedAt");
    bp_kbool(w, "deleted", 0);
    bh_jw_key(w, "user", 4);
    bh_jw_begin_object(w);
    bp_kid(w, r, "id");
    bp_kv(w, "fullName", bp_next(r) & 1 ? "Zoë Müller" : "Иван Петров");
    bp_kv(w, "email", "someone@example.com");
    bh_jw_end_object(w);
    bh_jw_end_object(w);
}

static void bp_project(bh_json_writer *w, bp_rng *r, const char *project_id)
{
    char uid[33];
    bh_jw_key(w, "project", 7);
    bh_jw_begin_object(w);
    bp_kv(w, "id", project_id);
    bp_uid(r, uid);
    bp_kv(w, "uid", uid);
    bp_kv(w, "slug", "teest");
    bp_kv(w, "name", "Équipe Produit — Q3");
    bp_kv(w, "description", "");
    bp_kbool(w, "archived", 0);
    bp_kdate(w, r, "createdAt");
    bp_kdate(w, r, "updatedAt");
    bp_kbool(w, "isTemplate", 0);
    bp_kv(w, "category", "GENERAL");
    bp_kid(w, r, "companyId");
    bp_knull(w, "imageId");
    bh_jw_key(w, "company", 7);
    bh_jw_begin_object(w);
    bp_kid(w, r, "id");
    bp_kv(w, "slug", "rogue");
    bp_kv(w, "name", "Rogue");
    bp_knull(w, "description");
    bp_kdate(w, r, "createdAt");
    bh_jw_end_object(w);
    bh_jw_end_object(w);
}

/* One todo record with nfields custom fields and ncomments comments. */
static void bp_record(bh_json_writer *w, bp_rng *r, unsigned nfields,
                      unsigned ncomments, const char *project_id)
{
    char text[400], uid[33];
    unsigned i;
    bh_jw_begin_object(w);
    bp_kid(w, r, "id");
    bp_uid(r, uid);
    bp_kv(w, "uid", uid);
    bp_text(r, text, sizeof text, 3 + bp_next(r) % 5);
    bp_kv(w, "title", text);
    bp_knull(w, "html");
    bp_knull(w, "text");
    bp_kv(w, "position", "32767.5");
    bp_kbool(w, "archived", 0);
    bp_kbool(w, "done", bp_next(r) & 1);
    bp_knull(w, "startedAt");
    bp_kdate(w, r, "duedAt");
    bp_kv(w, "timezone", "Europe/Zürich");
    bp_kdate(w, r, "createdAt");
    bp_kdate(w, r, "updatedAt");
    bp_kid(w, r, "createdById");
    bp_kid(w, r, "todoListId");
    bh_jw_key(w, "todoCustomFields", 16);
    bh_jw_begin_array(w);
    for (i = 0; i < nfields; i++) bp_custom_field(w, r);
    bh_jw_end_array(w);
    bh_jw_key(w, "todoUsers", 9);
    bh_jw_begin_array(w);
    for (i = 0; i < 3; i++) {
        bh_jw_begin_object(w);
        bp_kid(w, r, "id");
        bp_kid(w, r, "userId");
        bh_jw_end_object(w);
    }
    bh_jw_end_array(w);
    bh_jw_key(w, "todoTags", 8);
    bh_jw_begin_array(w);
    for (i = 0; i < 4; i++) {
        bh_jw_begin_object(w);
        bp_kid(w, r, "id");
        bp_kv(w, "title", i & 1 ? "urgent" : "à faire");
        bp_kv(w, "color", "#ef4444");
        bh_jw_end_object(w);
    }
    bh_jw_end_array(w);
    bh_jw_key(w, "comments", 8);
    bh_jw_begin_array(w);
    for (i = 0; i < ncomments; i++) bp_comment(w, r);
    bh_jw_end_array(w);
    bh_jw_key(w, "todoList", 8);
    bh_jw_begin_object(w);
    bp_kid(w, r, "id");
    bp_text(r, text, sizeof text, 1 + bp_next(r) % 3);
    bp_kv(w, "title", text);
    bp_kint(w, "position", 131070);
    bp_kv(w, "projectId", project_id);
    bp_project(w, r, project_id);
    bh_jw_end_object(w);
    bh_jw_end_object(w);
}

static int bp_payload(char *buf, size_t cap, unsigned n)
{
    static const char *const events[] = {"TODO_CREATED", "TODO_MOVED"};
    bh_json_writer w;
    bp_rng r;
    unsigned i;
    r.s = 0x9e3779b97f4a7c15ull;
    bh_jw_init(&w, buf, cap);
    bh_jw_begin_object(&w);
    bp_kv(&w, "event", "TODO_CUSTOM_FIELD_UPDATED");
    bh_jw_key(&w, "webhook", 7);
    bh_jw_begin_object(&w);
    bp_kid(&w, &r, "id");
    bp_kv(&w, "name", "Testing webhook");
    bp_kv(&w, "url", "https://httpdump.app/dumps/7cc66eda-8e83-4039-ba49-4c36db14d508");
    bp_kv(&w, "secret", "");
    bp_kv(&w, "status", "HEALTHY");
    bp_kbool(&w, "enabled", 1);
    bh_jw_key(&w, "metadata", 8);
    bh_jw_begin_object(&w);
    bh_jw_key(&w, "events", 6);
    bh_jw_begin_array(&w);
    for (i = 0; i < 2; i++) bh_jw_string(&w, events[i], strlen(events[i]));
    bh_jw_end_array(&w);
    bh_jw_key(&w, "projectIds", 10);
    bh_jw_begin_array(&w);
    bh_jw_string(&w, "clakt90vu000bvt64hhffqleq", 25);
    bh_jw_end_array(&w);
    bh_jw_end_object(&w);
    bh_jw_end_object(&w);
    bh_jw_key(&w, "previousValue", 13);
    bp_record(&w, &r, n / 2, n / 4, "clakt90vu000bvt64hhffqleq");
    bh_jw_key(&w, "currentValue", 12);
    bp_record(&w, &r, n / 2 + 1, n / 4 + 1, "clakt90vu000bvt64hhffqleq");
    bh_jw_end_object(&w);
    return bh_jw_finish(&w);
}

/* Write a payload of at least `size` bytes (and not much more) into buf;
   returns its length, or a negative error. */
static int bp_generate(char *buf, size_t cap, size_t size)
{
    unsigned lo = 1, hi = 1;
    int len;
    /* grow until big enough, then bisect for the smallest that is */
    while ((len = bp_payload(NULL, 0, hi)) >= 0 && (size_t)len < size) {
        lo = hi;
        hi *= 2;
    }
    if (len < 0) return len;
    while (lo + 1 < hi) {
        unsigned mid = lo + (hi - lo) / 2;
        len = bp_payload(NULL, 0, mid);
        if (len < 0) return len;
        if ((size_t)len < size) lo = mid;
        else hi = mid;
    }
    return bp_payload(buf, cap, hi);
}

#endif
