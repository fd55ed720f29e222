/* tests/smoke.c: a small program that must compile and run in every
   configuration (C99, C11, C++11, gcc, clang, tcc, BLUEHOOK_STATIC,
   BLUEHOOK_NO_ASM, BLUEHOOK_NO_STDIO). Exit 0 when every answer is right. */
#ifndef SMOKE_DECLARATIONS_ONLY
#define BLUEHOOK_IMPLEMENTATION
#endif
#include "../bluehook.h"

#include <string.h>

int smoke_second_unit(void); /* from smoke2.c in the two-file builds */

static int hmac_ok(void)
{
    /* RFC 4231 test case 2 */
    static const char want[] =
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843";
    uint8_t mac[32];
    char hex[65];
    bh_hmac_sha256("Jefe", 4, "what do ya want for nothing?", 28, mac);
    return bh_hex_encode(hex, sizeof hex, mac, 32) == 64 &&
           strcmp(hex, want) == 0;
}

static int base64_ok(void)
{
    uint8_t out[8];
    char txt[9];
    return bh_base64_encode(txt, sizeof txt, "foobar", 6) == 8 &&
           strcmp(txt, "Zm9vYmFy") == 0 &&
           bh_base64_decode(out, sizeof out, txt, 8) == 6 &&
           memcmp(out, "foobar", 6) == 0;
}

static int http_ok(void)
{
    char req[] = "POST /h HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                 "\r\n3;e=1\r\nabc\r\n0\r\n\r\n";
    bh_header h[4];
    bh_http_parser p;
    bh_http_request r;
    bh_http_init(&p, h, 4);
    return bh_http_parse(&p, req, sizeof req - 1, &r) == BH_OK &&
           r.body_len == 3 && memcmp(r.body, "abc", 3) == 0 &&
           r.consumed == sizeof req - 1 && bh_http_status_for(BH_ECODING) == 501;
}

static int json_ok(void)
{
    static const char doc_text[] = "{\"event\":\"TODO_CREATED\",\"n\":[1,2.5]}";
    bh_json doc;
    bh_json_tok toks[8];
    bh_json_writer w;
    char buf[64];
    int64_t one = 0;
    if (bh_json_parse(&doc, doc_text, sizeof doc_text - 1, toks, 8) != BH_OK ||
        bh_json_string_eq(&doc, bh_json_get(&doc, 0, "/event"), "TODO_CREATED", 12) != 1 ||
        bh_json_int64(&doc, bh_json_get(&doc, 0, "/n/0"), &one) != BH_OK || one != 1)
        return 0;
    bh_jw_init(&w, buf, sizeof buf);
    bh_jw_begin_object(&w);
    bh_jw_key(&w, "a", 1);
    bh_jw_begin_array(&w);
    bh_jw_bool(&w, 1);
#ifndef BLUEHOOK_NO_DOUBLE
    bh_jw_double(&w, 2.5);
#else
    bh_jw_raw(&w, "2.5", 3);
#endif
    bh_jw_end_array(&w);
    bh_jw_end_object(&w);
    return bh_jw_finish(&w) == 16 && strcmp(buf, "{\"a\":[true,2.5]}") == 0;
}

static int handled;
static int on_created(void *ctx, const bh_received *r)
{
    (void)ctx;
    handled += r->event == BH_EVENT_TODO_CREATED;
    return 0;
}

static int receive_ok(void)
{
    static const char body[] = "{\"event\":\"TODO_CREATED\",\"webhook\":{}}";
    bh_json_tok toks[8];
    bh_replay_slot slots[2];
    bh_replay cache;
    bh_replay_store store;
    bh_receiver rx;
    bh_key key;
    bh_header h[1];
    char sig[80];
    bh_key_init(&key, BH_SCHEME_BLUE, "s", 1);
    bh_sign(&key, NULL, 0, body, sizeof body - 1, h, 1, sig, sizeof sig);
    bh_receiver_init(&rx, BH_SCHEME_BLUE, &key, 1, toks, 8);
    bh_receiver_on(&rx, BH_EVENT_TODO_CREATED, on_created, NULL);
    bh_replay_init(&cache, slots, 2);
    bh_replay_store_local(&store, &cache);
    rx.replay_store = &store;
    if (bh_receive(&rx, "POST", 4, h, 1, body, sizeof body - 1, 0, NULL) != 200)
        return 0;
    return bh_receive(&rx, "POST", 4, h, 1, body, sizeof body - 1, 0, NULL) == 200 &&
           handled == 1; /* the second is a duplicate */
}

int main(void)
{
    int ok = hmac_ok() && base64_ok() && http_ok() && json_ok() && receive_ok() &&
             strcmp(bh_strerror(BH_ESIG), "no signature matches") == 0;
#ifdef SMOKE_TWO_UNITS
    ok = ok && smoke_second_unit();
#endif
    return ok ? 0 : 1;
}
