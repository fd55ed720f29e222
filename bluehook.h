/* bluehook.h - webhooks in the format of Blue (blue.cc), in one C99 header.
   No dependency beyond libc, no heap allocation. MIT licence at the end.

   ======================================================================
   MANUAL
   ======================================================================

   What it is
   ----------
   bluehook builds, signs and delivers webhooks (sender side) and receives,
   verifies, parses, filters and dispatches them (receiver side). Blue signs
   a delivery with X-Signature = hex(HMAC-SHA256(secret, raw body)); bluehook
   also speaks Standard Webhooks, GitHub and Stripe signatures.

   Using it
   --------
   In exactly one C or C++ file:

       #define BLUEHOOK_IMPLEMENTATION
       #include "bluehook.h"

   Everywhere else, include it without the define. Define BLUEHOOK_STATIC as
   well to make every function static to that file (no unused warnings).

   Contents (the same order in declarations and code)
   --------
       base           types, error codes, bh_strerror, header lookup
       sha256/hmac    SHA-256, HMAC-SHA256, prepared keys, bh_ct_equal, bh_wipe
       encodings      hex, base64
       json reader    (not yet part of this header)
       json writer    (not yet part of this header)
       events         Blue's event names, entity kinds and groups, event sets
       webhooks       the webhook, Blue's subscription rule
       signatures     (not yet part of this header)
       http           incremental HTTP/1.1 request parser, status mapping,
                      response heads
       sender         (not yet part of this header)
       transports     (not yet part of this header)

   Hashing a body and checking a MAC
   ---------------------------------
       bh_hmac_key k;                              prepare the secret once
       bh_hmac_key_init(&k, secret, secret_len);
       uint8_t mac[32], got[32];
       bh_hmac(&k, body, body_len, mac);           then per message
       if (bh_hex_decode(got, sizeof got, hdr, hdr_len) == 32
           && bh_ct_equal(mac, got, 32)) accept();
       bh_wipe(&k, sizeof k);                      when the key is retired

   Receiving HTTP requests
   -----------------------
       bh_header hdrs[32];                         the parser's field array
       bh_http_parser p;
       bh_http_request req;
       bh_http_init(&p, hdrs, 32);                 limits: p.max_header_bytes,
       for (;;) {                                  p.max_body_bytes
           len += read(fd, buf + len, cap - len);  (check for EOF and errors)
           rc = bh_http_parse(&p, buf, len, &req);
           if (rc == BH_EINCOMPLETE) {
               if (req.send_continue) write "HTTP/1.1 100 Continue\r\n\r\n";
               continue;                           (and if len == cap: 413)
           }
           if (rc != BH_OK) { answer bh_http_status_for(rc), close; }
           handle(req.method, req.target, req.headers, req.nheaders,
                  req.body, req.body_len);
           memmove(buf, buf + req.consumed, len - req.consumed);
           len -= req.consumed;                    (pipelined bytes stay)
           bh_http_reset(&p);
           if (!req.keep_alive) close;
       }

   - Zero copy: the method, target, header and body views point into buf.
     Pass the whole request so far on every call (buf may move, e.g. by
     realloc, as long as its bytes stay). The parse resumes where it stopped,
     so a request costs the same however it arrives (each byte is examined a
     bounded number of times), and one fed a byte at a time parses exactly as
     one fed whole: same answer, same error, same err_pos.
   - A chunked body is decoded in place: the decoded bytes are moved down to
     buf + head_len, contiguous; only the body region (from head_len to
     consumed) is rewritten, so the head's views stay valid, and bytes of the
     next request (from consumed on) are not touched. A Content-Length body is
     not touched at all.
   - After any error, answer bh_http_status_for(rc) and close the connection:
     the framing of the rest of the stream is unknown. Errors are sticky.
   - Strict per RFC 9112: every line ends in CRLF; a lone LF (which RFC 9112
     lets a recipient accept) and a bare CR are refused, as are obsolete line
     folding, white space before a colon or after the request line, control
     characters (but HTAB) in field values, and bytes outside tchar in the
     method and field names and outside VCHAR in the target. One SP exactly
     separates the parts of the request line; empty lines before it are
     skipped. Content-Length with Transfer-Encoding, two different
     Content-Length values, or one that is not plain digits is BH_EFRAMING;
     any Transfer-Encoding but exactly "chunked" (one field) is BH_ECODING.
     Repeated identical Content-Length fields are accepted.
   - Chunked: a chunk size is 1 to 16 hex digits; extensions follow the
     grammar (";" name ["=" token / quoted-string], white space only around
     ";" and "="); trailer fields are checked as header fields are, then
     ignored (they never change the framing).
   - Limits (set them before the first call of a request): the header array
     size bounds the header fields and, separately, the trailer fields;
     max_header_bytes bounds the head (from the first byte to the blank
     line, inclusive) and, separately, chunk extensions and trailers
     together; max_body_bytes bounds the decoded body, checked against
     Content-Length or each chunk size before the body arrives.
   - Expect: 100-continue (HTTP/1.1; ignored in HTTP/1.0): when the head is
     complete with a body to come, the call that completed it sets
     send_continue if no body byte has arrived yet; a body over the limit is
     BH_EBODYSIZE (413) and any other expectation BH_EEXPECT (417), both
     decided before the body is read.
   - Keep-alive: HTTP/1.1 unless "Connection: close"; HTTP/1.0 only with
     "Connection: keep-alive". req.consumed is where the next request starts.
   - bh_http_response() writes a status line with Content-Length and
     Connection for the answer (and the 100 Continue line).

   Conventions
   -----------
   - Every function that can fail returns int: BH_OK (0), a count, or a
     negative BH_E* code; bh_strerror(code) names it. No error is -1.
   - Inputs are a pointer and a length; they need not be NUL-terminated and an
     embedded NUL is just a byte. A pointer may be NULL when its length is 0.
   - Output buffers belong to the caller, with an explicit capacity. Nothing is
     ever written past a capacity.
   - Contexts (bh_sha256_ctx, bh_hmac_key, ...) are plain structs the caller
     allocates; there is nothing to free. Final calls do not destroy them: a
     SHA-256 context can keep absorbing after bh_sha256_final.

   Thread safety
   -------------
   The library keeps no global or thread-local state, with one exception: the
   one-time CPU probe that picks the SHA-256 path. Every thread that races on it
   computes and stores the same small value, so the race is benign. Distinct
   objects may be used from distinct threads freely; one object (a context, a
   key being initialised) must not be shared by threads without a lock. A
   prepared bh_hmac_key is only read after bh_hmac_key_init, so many threads may
   sign with one key at the same time.

   Constant time
   -------------
   Secrets and MACs are never branched on and never used as an index: HMAC,
   the portable SHA-256 and bh_ct_equal are checked under valgrind with the key
   and the MACs marked undefined (tests/ctgrind.c). The SHA-NI and ARMv8 paths
   are constant time by construction: the SHA instructions have fixed latency
   and the code around them has no data-dependent branch or load. Temporaries
   that held key material are wiped before returning.

   SHA-256 paths
   -------------
   x86-64 SHA extensions (SHA-NI) and the ARMv8 SHA-256 instructions are chosen
   at run time (cpuid, getauxval); the portable C path is always present.
   bh_sha256_backend() names the path in use.

   Configuration macros (define before including)
   --------------------
       BLUEHOOK_IMPLEMENTATION   emit the code, in one file
       BLUEHOOK_STATIC           make every function static
       BLUEHOOK_NO_ASM           portable SHA-256 only; saves ~1.5 KB of code
                                 and the CPU probe, costs 5-8x in hashing speed
       BLUEHOOK_NO_STDIO         accepted for builds that must not link stdio;
                                 the core never uses it

   Error codes
   -----------
       BH_OK           0    success
       BH_EINVAL      -2    a bad argument
       BH_ESPACE      -3    a buffer or token array too small
       BH_EINCOMPLETE -4    more input needed
       BH_ESYNTAX     -5    syntax error
       BH_EUTF8       -6    invalid UTF-8
       BH_EDEPTH      -7    nesting too deep
       BH_ENUMBER     -8    a malformed or out-of-range number
       BH_ETRAILING   -9    bytes after the document
       BH_ENOKEY     -10    no key to verify with
       BH_ENOSIG     -11    signature header missing
       BH_EMALFORMED -12    signature header malformed
       BH_ESIG       -13    no signature matches
       BH_ESTALE     -14    timestamp outside tolerance
       BH_EREPLAY    -15    already seen
       BH_EFULL      -16    outbox or arena full
       BH_ETRANSPORT -17    delivery failed
       BH_ECHAR      -18    a character outside the encoding's alphabet
       BH_EPADDING   -19    bad base64 padding
       BH_ELENGTH    -20    an encoded length that cannot be decoded
       (json)

       (signatures and replay)

       (events, webhooks and filters)

       (http)
       BH_EREQUEST   -50    malformed request: request line, field syntax,
                            white space before a colon, obsolete folding,
                            bare CR or LF, control characters (400)
       BH_EVERSION   -51    an HTTP version other than 1.x (505)
       BH_EHOST      -52    HTTP/1.1 without Host, or Host repeated or
                            invalid (400)
       BH_EFRAMING   -53    Content-Length not all digits, too big for 64
                            bits, given twice with different values, or
                            with Transfer-Encoding; Transfer-Encoding in
                            HTTP/1.0 (400)
       BH_ECODING    -54    Transfer-Encoding other than exactly chunked (501)
       BH_ECHUNK     -55    malformed chunked body: chunk size without digits
                            or over 16 digits, bad extension, missing CRLF,
                            bad trailer field (400)
       BH_EHEADERS   -56    more header (or trailer) fields than the array
                            holds (431)
       BH_EHEADSIZE  -57    head, or chunk extensions + trailers, over
                            max_header_bytes (431)
       BH_EBODYSIZE  -58    body over max_body_bytes (413)
       BH_EEXPECT    -59    an Expect other than 100-continue (417)

       (sender and transports)

*/
#ifndef BLUEHOOK_H
#define BLUEHOOK_H

#include <stddef.h>
#include <stdint.h>

#define BLUEHOOK_VERSION_MAJOR 0
#define BLUEHOOK_VERSION_MINOR 1
#define BLUEHOOK_VERSION_PATCH 0
#define BLUEHOOK_VERSION "0.1.0"

#ifndef BHDEF
#ifdef BLUEHOOK_STATIC
#if defined(__GNUC__) || defined(__clang__)
#define BHDEF static __attribute__((unused))
#else
#define BHDEF static
#endif
#else
#define BHDEF extern
#endif
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* ==== base ============================================================= */

#define BH_OK 0
#define BH_EINVAL (-2)      /* a bad argument */
#define BH_ESPACE (-3)      /* a buffer or token array too small */
#define BH_EINCOMPLETE (-4) /* more input needed */
#define BH_ESYNTAX (-5)     /* syntax error */
#define BH_EUTF8 (-6)       /* invalid UTF-8 */
#define BH_EDEPTH (-7)      /* nesting too deep */
#define BH_ENUMBER (-8)     /* a malformed or out-of-range number */
#define BH_ETRAILING (-9)   /* bytes after the document */
#define BH_ENOKEY (-10)     /* no key to verify with */
#define BH_ENOSIG (-11)     /* signature header missing */
#define BH_EMALFORMED (-12) /* signature header malformed */
#define BH_ESIG (-13)       /* no signature matches */
#define BH_ESTALE (-14)     /* timestamp outside tolerance */
#define BH_EREPLAY (-15)    /* already seen */
#define BH_EFULL (-16)      /* outbox or arena full */
#define BH_ETRANSPORT (-17) /* delivery failed */
#define BH_ECHAR (-18)      /* a character outside the encoding's alphabet */
#define BH_EPADDING (-19)   /* bad base64 padding */
#define BH_ELENGTH (-20)    /* an encoded length that cannot be decoded */
/* json: -21 .. -29 */

/* signatures and replay: -30 .. -39 */

/* events, webhooks and filters: -40 .. -49 */

/* http: -50 .. -59 */
#define BH_EREQUEST (-50)   /* malformed request (HTTP 400) */
#define BH_EVERSION (-51)   /* HTTP version other than 1.x (505) */
#define BH_EHOST (-52)      /* Host missing (HTTP/1.1), repeated or invalid (400) */
#define BH_EFRAMING (-53)   /* Content-Length invalid, conflicting or with
                               Transfer-Encoding (400) */
#define BH_ECODING (-54)    /* Transfer-Encoding other than chunked (501) */
#define BH_ECHUNK (-55)     /* malformed chunked body (400) */
#define BH_EHEADERS (-56)   /* too many header or trailer fields (431) */
#define BH_EHEADSIZE (-57)  /* head, or extensions + trailers, too large (431) */
#define BH_EBODYSIZE (-58)  /* body too large (413) */
#define BH_EEXPECT (-59)    /* an expectation other than 100-continue (417) */

/* sender and transports: -60 .. -79 */


/* A short English name for an error code ("ok" for BH_OK); never NULL. */
BHDEF const char *bh_strerror(int code);

/* One HTTP header: views into the caller's memory, not NUL-terminated. */
typedef struct bh_header {
    const char *name;
    size_t name_len;
    const char *value;
    size_t value_len;
} bh_header;

/* The first header named `name` (a C string, matched case-insensitively), or
   NULL. */
BHDEF const bh_header *bh_header_find(const bh_header *headers, size_t n,
                                      const char *name);

/* ==== sha256 / hmac ==================================================== */

/* SHA-256 state; allocate it anywhere, nothing to free. */
typedef struct bh_sha256_ctx {
    uint32_t state[8];
    uint64_t count; /* bytes absorbed */
    uint8_t buf[64];
    uint32_t path; /* the block function chosen at init */
} bh_sha256_ctx;

/* An HMAC-SHA256 key with its inner and outer pads already absorbed. */
typedef struct bh_hmac_key {
    uint32_t inner[8];
    uint32_t outer[8];
    uint32_t path;
} bh_hmac_key;

/* A streaming HMAC-SHA256 computation. */
typedef struct bh_hmac_ctx {
    bh_sha256_ctx inner;
    uint32_t outer[8];
} bh_hmac_ctx;

/* Start a SHA-256 computation. */
BHDEF void bh_sha256_init(bh_sha256_ctx *c);
/* Absorb len bytes. */
BHDEF void bh_sha256_update(bh_sha256_ctx *c, const void *data, size_t len);
/* Write the digest of everything absorbed; c is left unchanged. */
BHDEF void bh_sha256_final(bh_sha256_ctx *c, uint8_t digest[32]);
/* One-shot SHA-256. */
BHDEF void bh_sha256(const void *data, size_t len, uint8_t digest[32]);
/* The SHA-256 path in use: "sha-ni", "armv8" or "portable". */
BHDEF const char *bh_sha256_backend(void);

/* Prepare an HMAC key (RFC 2104; a key over 64 bytes is hashed first). */
BHDEF void bh_hmac_key_init(bh_hmac_key *k, const void *key, size_t key_len);
/* One-shot HMAC with a prepared key: costs only the message's own blocks. */
BHDEF void bh_hmac(const bh_hmac_key *k, const void *data, size_t len,
                   uint8_t mac[32]);
/* Start a streaming HMAC with a prepared key. */
BHDEF void bh_hmac_init(bh_hmac_ctx *c, const bh_hmac_key *k);
/* Absorb len bytes of message. */
BHDEF void bh_hmac_update(bh_hmac_ctx *c, const void *data, size_t len);
/* Write the MAC of everything absorbed; c is left unchanged. */
BHDEF void bh_hmac_final(const bh_hmac_ctx *c, uint8_t mac[32]);
/* One-shot HMAC-SHA256 with a raw key. */
BHDEF void bh_hmac_sha256(const void *key, size_t key_len, const void *data,
                          size_t len, uint8_t mac[32]);

/* 1 when the len bytes at a and b are equal, else 0; time depends on len
   only. */
BHDEF int bh_ct_equal(const void *a, const void *b, size_t len);
/* Overwrite len bytes with zeros in a way the compiler cannot remove. */
BHDEF void bh_wipe(void *p, size_t len);

/* ==== encodings ======================================================== */

#define BH_HEX_LEN(n) (2 * (n))                /* hex digits for n bytes */
#define BH_BASE64_LEN(n) ((((n) + 2) / 3) * 4) /* base64 chars for n bytes */

/* Lowercase hex of len bytes, NUL-terminated; returns 2*len, or BH_ESPACE
   when cap < 2*len + 1 (nothing written). */
BHDEF int bh_hex_encode(char *out, size_t cap, const void *in, size_t len);
/* Decode hex digits of either case; returns the byte count, or BH_ELENGTH
   (odd length), BH_ECHAR (not a hex digit) or BH_ESPACE. */
BHDEF int bh_hex_decode(void *out, size_t cap, const char *in, size_t len);
/* Padded base64 (standard alphabet), NUL-terminated; returns the length, or
   BH_ESPACE when cap < BH_BASE64_LEN(len) + 1 (nothing written). */
BHDEF int bh_base64_encode(char *out, size_t cap, const void *in, size_t len);
/* Decode padded base64; returns the byte count, or BH_ELENGTH (length not a
   multiple of 4), BH_ECHAR (outside the alphabet), BH_EPADDING ('=' out of
   place, or non-zero bits under the padding) or BH_ESPACE. The characters
   are decoded with arithmetic only, without table lookups or branches. */
BHDEF int bh_base64_decode(void *out, size_t cap, const char *in, size_t len);

/* ==== json reader ====================================================== */

/* ==== json writer ====================================================== */

/* ==== events =========================================================== */

/* Blue's webhook events, in the order of Blue's documentation, then the
   delivery-only health check. Any other name is BH_EVENT_UNKNOWN: reported,
   never an error. */
typedef enum bh_event {
    BH_EVENT_UNKNOWN = 0,
    BH_EVENT_TODO_CREATED,
    BH_EVENT_TODO_DELETED,
    BH_EVENT_TODO_MOVED,
    BH_EVENT_TODO_NAME_CHANGED,
    BH_EVENT_TODO_DONE_STATUS_UPDATED,
    BH_EVENT_TODO_DUE_DATE_ADDED,
    BH_EVENT_TODO_DUE_DATE_UPDATED,
    BH_EVENT_TODO_DUE_DATE_REMOVED,
    BH_EVENT_TODO_ASSIGNEE_ADDED,
    BH_EVENT_TODO_ASSIGNEE_REMOVED,
    BH_EVENT_TODO_TAG_ADDED,
    BH_EVENT_TODO_TAG_REMOVED,
    BH_EVENT_TODO_CUSTOM_FIELD_UPDATED,
    BH_EVENT_TODO_CHECKLIST_CREATED,
    BH_EVENT_TODO_CHECKLIST_NAME_CHANGED,
    BH_EVENT_TODO_CHECKLIST_DELETED,
    BH_EVENT_TODO_CHECKLIST_ITEM_CREATED,
    BH_EVENT_TODO_CHECKLIST_ITEM_NAME_CHANGED,
    BH_EVENT_TODO_CHECKLIST_ITEM_DELETED,
    BH_EVENT_TODO_CHECKLIST_ITEM_DUE_DATE_ADDED,
    BH_EVENT_TODO_CHECKLIST_ITEM_DUE_DATE_UPDATED,
    BH_EVENT_TODO_CHECKLIST_ITEM_DUE_DATE_REMOVED,
    BH_EVENT_TODO_CHECKLIST_ITEM_ASSIGNEE_ADDED,
    BH_EVENT_TODO_CHECKLIST_ITEM_ASSIGNEE_REMOVED,
    BH_EVENT_TODO_CHECKLIST_ITEM_DONE_STATUS_UPDATED,
    BH_EVENT_TODO_LIST_CREATED,
    BH_EVENT_TODO_LIST_DELETED,
    BH_EVENT_TODO_LIST_NAME_CHANGED,
    BH_EVENT_CUSTOM_FIELD_CREATED,
    BH_EVENT_CUSTOM_FIELD_DELETED,
    BH_EVENT_CUSTOM_FIELD_UPDATED,
    BH_EVENT_TAG_CREATED,
    BH_EVENT_TAG_DELETED,
    BH_EVENT_TAG_UPDATED,
    BH_EVENT_COMMENT_CREATED,
    BH_EVENT_COMMENT_DELETED,
    BH_EVENT_COMMENT_UPDATED,
    BH_EVENT_WEBHOOK_HEALTH_CHECK,
    BH_EVENT_COUNT /* one past the last event */
} bh_event;

/* The kind of entity an event is about; each kind is also an event group. */
typedef enum bh_entity {
    BH_ENTITY_NONE = 0,
    BH_ENTITY_RECORD,         /* TODO_* (a record is a "todo" in Blue's API) */
    BH_ENTITY_CHECKLIST,      /* TODO_CHECKLIST_* */
    BH_ENTITY_CHECKLIST_ITEM, /* TODO_CHECKLIST_ITEM_* */
    BH_ENTITY_LIST,           /* TODO_LIST_* */
    BH_ENTITY_CUSTOM_FIELD,   /* CUSTOM_FIELD_* */
    BH_ENTITY_TAG,            /* TAG_* */
    BH_ENTITY_COMMENT,        /* COMMENT_* */
    BH_ENTITY_WEBHOOK,        /* WEBHOOK_HEALTH_CHECK */
    BH_ENTITY_COUNT
} bh_entity;

/* A set of events, one bit each. */
typedef struct bh_event_set {
    uint64_t bits;
} bh_event_set;

/* The event with this exact name, or BH_EVENT_UNKNOWN; O(1), one compare. */
BHDEF bh_event bh_event_from_name(const char *name, size_t len);
/* The name of an event ("TODO_CREATED"), or NULL for BH_EVENT_UNKNOWN and
   values out of range. */
BHDEF const char *bh_event_name(bh_event e);
/* The kind of entity an event is about (BH_ENTITY_NONE for unknown). */
BHDEF bh_entity bh_event_entity(bh_event e);
/* A kind's group name: "record", "checklist", "checklist-item", "list",
   "custom-field", "tag", "comment", "webhook"; NULL out of range. */
BHDEF const char *bh_entity_name(bh_entity k);
/* The kind with this group name, or BH_ENTITY_NONE. */
BHDEF bh_entity bh_entity_from_name(const char *name, size_t len);

/* The empty set. */
BHDEF bh_event_set bh_event_set_none(void);
/* Add one event (unknown and out-of-range values are ignored). */
BHDEF void bh_event_set_add(bh_event_set *s, bh_event e);
/* Add every event of a group (an entity kind). */
BHDEF void bh_event_set_add_group(bh_event_set *s, bh_entity group);
/* 1 when e is in s, else 0. */
BHDEF int bh_event_set_has(bh_event_set s, bh_event e);
/* 1 when s holds no event, else 0. */
BHDEF int bh_event_set_empty(bh_event_set s);

/* ==== webhooks and filters ============================================= */

/* A webhook's health, as Blue reports it. */
typedef enum bh_webhook_status {
    BH_STATUS_HEALTHY = 0,
    BH_STATUS_UNHEALTHY = 1
} bh_webhook_status;

/* A webhook as Blue describes one. Every string is a NUL-terminated C string
   in the caller's memory, kept alive as long as the webhook is used; NULL
   means absent. The project id array is the caller's too. The events are a
   set, so matching costs one bit test; a payload lists them in bh_event
   order, which is the order of Blue's documentation. */
typedef struct bh_webhook {
    const char *id, *uid, *name, *url;
    const char *secret; /* signs deliveries; never written into a payload */
    bh_webhook_status status;
    int enabled;                       /* 0: receives nothing */
    bh_event_set events;               /* subscribed events; empty = all */
    const char *const *project_ids;    /* subscribed projects; none = all */
    size_t nproject_ids;
    const char *created_by_id, *created_at, *updated_at;
} bh_webhook;

/* Blue's subscription rule: 1 when w is enabled, its events hold e or are
   empty, and its project ids hold the event's project or are empty; else 0.
   project_id may be NULL (len 0) for an event without a project, which only
   webhooks without project ids receive. */
BHDEF int bh_webhook_subscribed(const bh_webhook *w, bh_event e,
                                const char *project_id, size_t len);

/* ==== signatures ======================================================= */

/* ==== http ============================================================= */

/* The limits a parser starts with (bh_http_init); change the fields of the
   same names before the first bh_http_parse call of a request. */
#define BH_HTTP_MAX_HEADER_BYTES 8192      /* head; also extensions+trailers */
#define BH_HTTP_MAX_BODY_BYTES 1048576     /* decoded body */

/* An HTTP/1.x request as parsed so far. The views point into the caller's
   buffer and stay valid while it holds the request's bytes; the parser
   writes only into the body region (chunked bodies are decoded in place),
   so the method, target and header views survive decoding. Head fields are
   set once the head is complete (head_len != 0); body fields once
   bh_http_parse returns BH_OK. */
typedef struct bh_http_request {
    const char *method;        /* "POST" */
    size_t method_len;
    const char *target;        /* the request target: "/hooks?a=1" */
    size_t target_len;
    int minor_version;         /* 0: HTTP/1.0, 1: HTTP/1.1 (or 1.x, x > 1) */
    const bh_header *headers;  /* in order of arrival; the parser's array */
    size_t nheaders;
    size_t head_len;           /* request line, fields and blank line */
    size_t content_length;     /* as declared; 0 when chunked or absent */
    int chunked;               /* 1: Transfer-Encoding: chunked */
    int keep_alive;            /* 1: the connection may carry another request */
    int expect_continue;       /* 1: an HTTP/1.1 Expect: 100-continue */
    int send_continue;         /* 1: answer "100 Continue" now (see manual) */
    char *body;                /* the decoded body, contiguous in the buffer */
    size_t body_len;
    size_t consumed;           /* bytes of the whole request (head and encoded
                                  body); the next request starts there */
} bh_http_request;

/* An incremental request parser: allocate it anywhere, nothing to free. Its
   size and layout do not depend on any setting. Public fields: the two
   limits and err_pos; the rest is private. */
typedef struct bh_http_parser {
    size_t max_header_bytes;   /* the head, and chunk extensions + trailers */
    size_t max_body_bytes;     /* the decoded body */
    size_t err_pos;            /* after an error: the byte offset it was found
                                  at (the offending byte, or the start of the
                                  offending field line) */
    /* private */
    bh_header *headers;
    size_t max_headers, nheaders;
    uintptr_t base;            /* the buffer's address at the last call */
    size_t pos;                /* next byte to parse */
    size_t scan;               /* where the current line's end search resumes */
    size_t colon;              /* the current field line's colon, 0 before */
    size_t method_off, method_len, target_off, target_len;
    size_t head_len, content_length, body_len, chunk_left;
    size_t meta_left;          /* bytes left for extensions and trailers */
    size_t ntrailers;
    int err;                   /* sticky error, 0 when none */
    unsigned state, flags, minor;
} bh_http_parser;

/* Start a parser whose header fields go into headers[0 .. max_headers - 1]
   (a request with more is refused with BH_EHEADERS). Limits take the
   BH_HTTP_MAX_* defaults. */
BHDEF void bh_http_init(bh_http_parser *p, bh_header *headers,
                        size_t max_headers);
/* Forget the current request (keep the array and limits): call it before
   parsing the next request of a connection. */
BHDEF void bh_http_reset(bh_http_parser *p);
/* Parse the request at buf[0 .. len - 1]. Call again with more bytes
   appended (the buffer may move between calls if its bytes do not); the
   parse goes on where it stopped. Returns BH_OK when the request is complete,
   BH_EINCOMPLETE when more input is needed, or an error (BH_EREQUEST,
   BH_EVERSION, BH_EHOST, BH_EFRAMING, BH_ECODING, BH_ECHUNK, BH_EHEADERS,
   BH_EHEADSIZE, BH_EBODYSIZE, BH_EEXPECT; BH_EINVAL for a NULL parser or a
   buffer shorter than already parsed). Errors are sticky until reset. req
   (may be NULL) receives what is known; after an error keep_alive is 0. */
BHDEF int bh_http_parse(bh_http_parser *p, char *buf, size_t len,
                        bh_http_request *req);
/* The HTTP status to answer for a bh_http_parse result: 200 for BH_OK, 400,
   413, 417, 431, 501 or 505 for its errors (400 for BH_EINCOMPLETE: the input
   ended inside a request), 500 for any other code. */
BHDEF int bh_http_status_for(int err);
/* The reason phrase of a status code ("Not Found"); "" when unknown. */
BHDEF const char *bh_http_reason(int status);
/* Write a response head: "HTTP/1.1 <status> <reason>", Content-Length (not
   for 1xx, 204 and 304), Connection: keep-alive or close (not for 1xx), the
   extra fields, and the blank line. As snprintf: returns the length needed,
   writes at most cap bytes, NUL-terminated when cap > 0; the head is whole
   only when the result is < cap. BH_EINVAL for a status outside 100..999,
   or an extra field whose name is not a token or whose value holds a
   control character (no response splitting). */
BHDEF int bh_http_response(char *out, size_t cap, int status,
                           size_t content_length, int keep_alive,
                           const bh_header *extra, size_t nextra);

/* ==== sender =========================================================== */

/* ==== transports ======================================================= */

#ifdef __cplusplus
}
#endif
#endif /* BLUEHOOK_H */

/* ======================================================================= */
/* ==== implementation =================================================== */
/* ======================================================================= */

#ifdef BLUEHOOK_IMPLEMENTATION
#ifndef BLUEHOOK_IMPLEMENTATION_DONE
#define BLUEHOOK_IMPLEMENTATION_DONE

#include <string.h>

#if !defined(BLUEHOOK_NO_ASM) && (defined(__GNUC__) || defined(__clang__)) && \
    !defined(__TINYC__) && (defined(__x86_64__) || defined(__i386__))
#define BH__X86_SHA 1
#include <cpuid.h>
#include <immintrin.h>
#endif

#if !defined(BLUEHOOK_NO_ASM) && (defined(__GNUC__) || defined(__clang__)) && \
    !defined(__TINYC__) && defined(__aarch64__)
#define BH__ARM_SHA 1
#include <arm_neon.h>
#if defined(__linux__)
#include <sys/auxv.h>
#endif
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* ==== base ============================================================= */

BHDEF const char *bh_strerror(int code)
{
    switch (code) {
    case BH_OK: return "ok";
    case BH_EINVAL: return "invalid argument";
    case BH_ESPACE: return "buffer too small";
    case BH_EINCOMPLETE: return "more input needed";
    case BH_ESYNTAX: return "syntax error";
    case BH_EUTF8: return "invalid UTF-8";
    case BH_EDEPTH: return "nesting too deep";
    case BH_ENUMBER: return "bad number";
    case BH_ETRAILING: return "bytes after the document";
    case BH_ENOKEY: return "no key";
    case BH_ENOSIG: return "signature header missing";
    case BH_EMALFORMED: return "signature header malformed";
    case BH_ESIG: return "no signature matches";
    case BH_ESTALE: return "timestamp outside tolerance";
    case BH_EREPLAY: return "already seen";
    case BH_EFULL: return "outbox or arena full";
    case BH_ETRANSPORT: return "delivery failed";
    case BH_ECHAR: return "character outside the alphabet";
    case BH_EPADDING: return "bad padding";
    case BH_ELENGTH: return "bad encoded length";
    /* json */

    /* signatures and replay */

    /* events, webhooks and filters */

    /* http */
    case BH_EREQUEST: return "malformed HTTP request";
    case BH_EVERSION: return "HTTP version not supported";
    case BH_EHOST: return "Host missing, repeated or invalid";
    case BH_EFRAMING: return "ambiguous or invalid message framing";
    case BH_ECODING: return "transfer coding not supported";
    case BH_ECHUNK: return "malformed chunked body";
    case BH_EHEADERS: return "too many header fields";
    case BH_EHEADSIZE: return "header section too large";
    case BH_EBODYSIZE: return "body too large";
    case BH_EEXPECT: return "expectation not supported";

    /* sender and transports */

    default: return code > 0 ? "ok" : "unknown error";
    }
}

static int bh__lower(int c)
{
    return (c >= 'A' && c <= 'Z') ? c + ('a' - 'A') : c;
}

/* Case-insensitive (ASCII) equality of a counted string and a C string. */
static int bh__ieq(const char *a, size_t alen, const char *b)
{
    size_t i;
    for (i = 0; i < alen; i++)
        if (b[i] == '\0' || bh__lower((unsigned char)a[i]) !=
                                bh__lower((unsigned char)b[i]))
            return 0;
    return b[alen] == '\0';
}

/* 1 when the C string s is exactly the len bytes at p (which may hold any
   byte, NUL included); s is never read past its terminator. */
static int bh__cstr_eq(const char *s, const char *p, size_t len)
{
    size_t i;
    if (!s) return 0;
    for (i = 0; i < len; i++)
        if (s[i] == '\0' || s[i] != p[i]) return 0;
    return s[len] == '\0';
}

BHDEF const bh_header *bh_header_find(const bh_header *headers, size_t n,
                                      const char *name)
{
    size_t i;
    if (!headers || !name) return NULL;
    for (i = 0; i < n; i++)
        if (headers[i].name && bh__ieq(headers[i].name, headers[i].name_len,
                                       name))
            return &headers[i];
    return NULL;
}

/* ==== sha256 / hmac ==================================================== */

enum { BH__PATH_NONE, BH__PATH_PORTABLE, BH__PATH_SHANI, BH__PATH_ARMV8 };

static const uint32_t bh__K[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,
    0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
    0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
    0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
    0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
    0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
    0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
    0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
    0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

static const uint32_t bh__IV[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372,
                                   0xa54ff53a, 0x510e527f, 0x9b05688c,
                                   0x1f83d9ab, 0x5be0cd19};

static uint32_t bh__load32_be(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 |
           (uint32_t)p[3];
}

static void bh__store32_be(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

static void bh__store64_be(uint8_t *p, uint64_t v)
{
    bh__store32_be(p, (uint32_t)(v >> 32));
    bh__store32_be(p + 4, (uint32_t)v);
}

#define BH__ROR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))
#define BH__S0(x) (BH__ROR(x, 2) ^ BH__ROR(x, 13) ^ BH__ROR(x, 22))
#define BH__S1(x) (BH__ROR(x, 6) ^ BH__ROR(x, 11) ^ BH__ROR(x, 25))
#define BH__G0(x) (BH__ROR(x, 7) ^ BH__ROR(x, 18) ^ ((x) >> 3))
#define BH__G1(x) (BH__ROR(x, 17) ^ BH__ROR(x, 19) ^ ((x) >> 10))
#define BH__CH(x, y, z) ((z) ^ ((x) & ((y) ^ (z))))
#define BH__MAJ(x, y, z) (((x) & (y)) | ((z) & ((x) | (y))))
/* One round; the eight working variables rotate through the macro arguments
   instead of being moved. h + k + w does not depend on e, so it is added
   first, off the critical path. */
#define BH__ROUND(a, b, c, d, e, f, g, h, i, wi)                               \
    do {                                                                       \
        uint32_t t1_ = (h + k[i] + (wi)) + BH__CH(e, f, g) + BH__S1(e);        \
        d += t1_;                                                              \
        h = t1_ + BH__S0(a) + BH__MAJ(a, b, c);                                \
    } while (0)
/* Message word i of the first 16 rounds, and of the later ones: the rolling
   16-word schedule is extended just before its word is needed. */
#define BH__WORD(i) (w[(i) & 15])
#define BH__NEXT_WORD(i)                                                       \
    (w[(i) & 15] += BH__G1(w[((i) + 14) & 15]) + w[((i) + 9) & 15] +          \
                    BH__G0(w[((i) + 1) & 15]))
#define BH__ROUNDS16(W)                                                        \
    BH__ROUND(a, b, c, d, e, f, g, h, 0, W(0));                                \
    BH__ROUND(h, a, b, c, d, e, f, g, 1, W(1));                                \
    BH__ROUND(g, h, a, b, c, d, e, f, 2, W(2));                                \
    BH__ROUND(f, g, h, a, b, c, d, e, 3, W(3));                                \
    BH__ROUND(e, f, g, h, a, b, c, d, 4, W(4));                                \
    BH__ROUND(d, e, f, g, h, a, b, c, 5, W(5));                                \
    BH__ROUND(c, d, e, f, g, h, a, b, 6, W(6));                                \
    BH__ROUND(b, c, d, e, f, g, h, a, 7, W(7));                                \
    BH__ROUND(a, b, c, d, e, f, g, h, 8, W(8));                                \
    BH__ROUND(h, a, b, c, d, e, f, g, 9, W(9));                                \
    BH__ROUND(g, h, a, b, c, d, e, f, 10, W(10));                              \
    BH__ROUND(f, g, h, a, b, c, d, e, 11, W(11));                              \
    BH__ROUND(e, f, g, h, a, b, c, d, 12, W(12));                              \
    BH__ROUND(d, e, f, g, h, a, b, c, 13, W(13));                              \
    BH__ROUND(c, d, e, f, g, h, a, b, 14, W(14));                              \
    BH__ROUND(b, c, d, e, f, g, h, a, 15, W(15))

/* The portable block function: n 64-byte blocks into state. */
static void bh__sha256_blocks_portable(uint32_t st[8], const uint8_t *p,
                                       size_t n)
{
    uint32_t w[16];
    for (; n; n--, p += 64) {
        uint32_t a = st[0], b = st[1], c = st[2], d = st[3];
        uint32_t e = st[4], f = st[5], g = st[6], h = st[7];
        const uint32_t *k = bh__K;
        int i;
        for (i = 0; i < 16; i++) w[i] = bh__load32_be(p + 4 * i);
        BH__ROUNDS16(BH__WORD);
        for (i = 1; i < 4; i++) {
            k += 16;
            BH__ROUNDS16(BH__NEXT_WORD);
        }
        st[0] += a; st[1] += b; st[2] += c; st[3] += d;
        st[4] += e; st[5] += f; st[6] += g; st[7] += h;
    }
    bh_wipe(w, sizeof w);
}

#ifdef BH__X86_SHA
#define BH__TARGET_SHA __attribute__((target("sha,sse4.1,ssse3")))
/* Four rounds with message words m (already scheduled). */
#define BH__QUAD(m, i)                                                         \
    do {                                                                       \
        __m128i t_ = _mm_add_epi32(                                            \
            m, _mm_loadu_si128((const __m128i *)(const void *)(bh__K + (i)))); \
        s1 = _mm_sha256rnds2_epu32(s1, s0, t_);                                \
        s0 = _mm_sha256rnds2_epu32(s0, s1, _mm_shuffle_epi32(t_, 0x0E));       \
    } while (0)
/* m0 becomes the next four schedule words from m0..m3. */
#define BH__NEXT(m0, m1, m2, m3)                                               \
    m0 = _mm_sha256msg2_epu32(                                                 \
        _mm_add_epi32(_mm_sha256msg1_epu32(m0, m1),                            \
                      _mm_alignr_epi8(m3, m2, 4)),                             \
        m3)

BH__TARGET_SHA
static void bh__sha256_blocks_shani(uint32_t st[8], const uint8_t *p, size_t n)
{
    const __m128i bswap =
        _mm_set_epi64x(0x0c0d0e0f08090a0bLL, 0x0405060700010203LL);
    __m128i s0, s1, t, m0, m1, m2, m3, save0, save1;
    int j;
    t = _mm_loadu_si128((const __m128i *)(const void *)st);         /* DCBA */
    s1 = _mm_loadu_si128((const __m128i *)(const void *)(st + 4));  /* HGFE */
    t = _mm_shuffle_epi32(t, 0xB1);                                 /* CDAB */
    s1 = _mm_shuffle_epi32(s1, 0x1B);                               /* EFGH */
    s0 = _mm_alignr_epi8(t, s1, 8);                                 /* ABEF */
    s1 = _mm_blend_epi16(s1, t, 0xF0);                              /* CDGH */
    for (; n; n--, p += 64) {
        save0 = s0;
        save1 = s1;
        m0 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(const void *)p), bswap);
        m1 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(const void *)(p + 16)), bswap);
        m2 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(const void *)(p + 32)), bswap);
        m3 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(const void *)(p + 48)), bswap);
        BH__QUAD(m0, 0);
        BH__QUAD(m1, 4);
        BH__QUAD(m2, 8);
        BH__QUAD(m3, 12);
        for (j = 16; j < 64; j += 16) {
            BH__NEXT(m0, m1, m2, m3);
            BH__QUAD(m0, j);
            BH__NEXT(m1, m2, m3, m0);
            BH__QUAD(m1, j + 4);
            BH__NEXT(m2, m3, m0, m1);
            BH__QUAD(m2, j + 8);
            BH__NEXT(m3, m0, m1, m2);
            BH__QUAD(m3, j + 12);
        }
        s0 = _mm_add_epi32(s0, save0);
        s1 = _mm_add_epi32(s1, save1);
    }
    t = _mm_shuffle_epi32(s0, 0x1B);        /* FEBA */
    s1 = _mm_shuffle_epi32(s1, 0xB1);       /* DCHG */
    s0 = _mm_blend_epi16(t, s1, 0xF0);      /* DCBA */
    s1 = _mm_alignr_epi8(s1, t, 8);         /* HGFE */
    _mm_storeu_si128((__m128i *)(void *)st, s0);
    _mm_storeu_si128((__m128i *)(void *)(st + 4), s1);
}

static int bh__cpu_has_shani(void)
{
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return 0;
    if (!(c & (1u << 19)) || !(c & (1u << 9))) return 0; /* SSE4.1, SSSE3 */
    if (__get_cpuid_max(0, NULL) < 7) return 0;
    __cpuid_count(7, 0, a, b, c, d);
    return (b >> 29) & 1;
}
#endif /* BH__X86_SHA */

#ifdef BH__ARM_SHA
#if defined(__clang__)
#define BH__TARGET_SHA __attribute__((target("sha2")))
#else
#define BH__TARGET_SHA __attribute__((target("+crypto")))
#endif
/* Four rounds with message words m (already scheduled). */
#define BH__QUAD(m, i)                                                         \
    do {                                                                       \
        uint32x4_t t_ = vaddq_u32(m, vld1q_u32(bh__K + (i)));                  \
        uint32x4_t abcd_ = s0;                                                 \
        s0 = vsha256hq_u32(s0, s1, t_);                                        \
        s1 = vsha256h2q_u32(s1, abcd_, t_);                                    \
    } while (0)
/* m0 becomes the next four schedule words from m0..m3. */
#define BH__NEXT(m0, m1, m2, m3) m0 = vsha256su1q_u32(vsha256su0q_u32(m0, m1), m2, m3)

BH__TARGET_SHA
static void bh__sha256_blocks_armv8(uint32_t st[8], const uint8_t *p, size_t n)
{
    uint32x4_t s0 = vld1q_u32(st), s1 = vld1q_u32(st + 4), save0, save1;
    uint32x4_t m0, m1, m2, m3;
    int j;
    for (; n; n--, p += 64) {
        save0 = s0;
        save1 = s1;
        m0 = vreinterpretq_u32_u8(vrev32q_u8(vld1q_u8(p)));
        m1 = vreinterpretq_u32_u8(vrev32q_u8(vld1q_u8(p + 16)));
        m2 = vreinterpretq_u32_u8(vrev32q_u8(vld1q_u8(p + 32)));
        m3 = vreinterpretq_u32_u8(vrev32q_u8(vld1q_u8(p + 48)));
        BH__QUAD(m0, 0);
        BH__QUAD(m1, 4);
        BH__QUAD(m2, 8);
        BH__QUAD(m3, 12);
        for (j = 16; j < 64; j += 16) {
            BH__NEXT(m0, m1, m2, m3);
            BH__QUAD(m0, j);
            BH__NEXT(m1, m2, m3, m0);
            BH__QUAD(m1, j + 4);
            BH__NEXT(m2, m3, m0, m1);
            BH__QUAD(m2, j + 8);
            BH__NEXT(m3, m0, m1, m2);
            BH__QUAD(m3, j + 12);
        }
        s0 = vaddq_u32(s0, save0);
        s1 = vaddq_u32(s1, save1);
    }
    vst1q_u32(st, s0);
    vst1q_u32(st + 4, s1);
}

static int bh__cpu_has_armv8_sha2(void)
{
#if defined(__APPLE__) || defined(__ARM_FEATURE_SHA2)
    return 1;
#elif defined(__linux__)
    return (getauxval(AT_HWCAP) >> 6) & 1; /* HWCAP_SHA2 */
#else
    return 0;
#endif
}
#endif /* BH__ARM_SHA */

/* The fastest path this CPU has; probed once. Racing threads all store the
   same value, so the race is benign. */
static uint32_t bh__sha256_path(void)
{
    static volatile uint32_t probed = BH__PATH_NONE;
    uint32_t path = probed;
    if (path != BH__PATH_NONE) return path;
    path = BH__PATH_PORTABLE;
#ifdef BH__X86_SHA
    if (bh__cpu_has_shani()) path = BH__PATH_SHANI;
#endif
#ifdef BH__ARM_SHA
    if (bh__cpu_has_armv8_sha2()) path = BH__PATH_ARMV8;
#endif
    probed = path;
    return path;
}

static void bh__sha256_blocks(uint32_t path, uint32_t st[8], const uint8_t *p,
                              size_t n)
{
#ifdef BH__X86_SHA
    if (path == BH__PATH_SHANI) {
        bh__sha256_blocks_shani(st, p, n);
        return;
    }
#endif
#ifdef BH__ARM_SHA
    if (path == BH__PATH_ARMV8) {
        bh__sha256_blocks_armv8(st, p, n);
        return;
    }
#endif
    (void)path;
    bh__sha256_blocks_portable(st, p, n);
}

/* Finish a hash: absorb the len bytes at p (the last of `total` bytes; the
   state holds the rest, in whole blocks), pad, and write the digest. */
static void bh__sha256_finish(uint32_t path, uint32_t st[8], const uint8_t *p,
                              size_t len, uint64_t total, uint8_t digest[32])
{
    uint8_t tail[128];
    size_t full = len / 64 * 64, rest = len - full, nblocks;
    int i;
    if (full) bh__sha256_blocks(path, st, p, full / 64);
    memset(tail, 0, sizeof tail);
    if (rest) memcpy(tail, p + full, rest);
    tail[rest] = 0x80;
    nblocks = rest < 56 ? 1 : 2;
    bh__store64_be(tail + nblocks * 64 - 8, total * 8);
    bh__sha256_blocks(path, st, tail, nblocks);
    for (i = 0; i < 8; i++) bh__store32_be(digest + 4 * i, st[i]);
    bh_wipe(tail, sizeof tail);
}

static void bh__sha256_init_path(bh_sha256_ctx *c, uint32_t path)
{
    memcpy(c->state, bh__IV, sizeof c->state);
    c->count = 0;
    c->path = path;
}

BHDEF void bh_sha256_init(bh_sha256_ctx *c)
{
    bh__sha256_init_path(c, bh__sha256_path());
}

BHDEF void bh_sha256_update(bh_sha256_ctx *c, const void *data, size_t len)
{
    const uint8_t *p = (const uint8_t *)data;
    size_t used = (size_t)(c->count & 63), n;
    if (!len) return;
    c->count += len;
    if (used) {
        n = 64 - used < len ? 64 - used : len;
        memcpy(c->buf + used, p, n);
        p += n;
        len -= n;
        if (used + n < 64) return;
        bh__sha256_blocks(c->path, c->state, c->buf, 1);
    }
    if (len >= 64) {
        bh__sha256_blocks(c->path, c->state, p, len / 64);
        p += len / 64 * 64;
        len &= 63;
    }
    if (len) memcpy(c->buf, p, len);
}

/* The digest of what c has absorbed, leaving c as it is. */
static void bh__sha256_digest(const bh_sha256_ctx *c, uint8_t digest[32])
{
    uint32_t st[8];
    memcpy(st, c->state, sizeof st);
    bh__sha256_finish(c->path, st, c->buf, (size_t)(c->count & 63), c->count,
                      digest);
    bh_wipe(st, sizeof st);
}

BHDEF void bh_sha256_final(bh_sha256_ctx *c, uint8_t digest[32])
{
    bh__sha256_digest(c, digest);
}

static void bh__sha256_path_oneshot(uint32_t path, const void *data,
                                    size_t len, uint8_t digest[32])
{
    uint32_t st[8];
    memcpy(st, bh__IV, sizeof st);
    bh__sha256_finish(path, st, (const uint8_t *)data, len, len, digest);
}

BHDEF void bh_sha256(const void *data, size_t len, uint8_t digest[32])
{
    bh__sha256_path_oneshot(bh__sha256_path(), data, len, digest);
}

BHDEF const char *bh_sha256_backend(void)
{
    switch (bh__sha256_path()) {
    case BH__PATH_SHANI: return "sha-ni";
    case BH__PATH_ARMV8: return "armv8";
    default: return "portable";
    }
}

static void bh__hmac_key_init_path(bh_hmac_key *k, uint32_t path,
                                   const void *key, size_t key_len)
{
    uint8_t block[64];
    int i;
    memset(block, 0, sizeof block);
    if (key_len > 64)
        bh__sha256_path_oneshot(path, key, key_len, block);
    else if (key_len)
        memcpy(block, key, key_len);
    for (i = 0; i < 64; i++) block[i] ^= 0x36;
    memcpy(k->inner, bh__IV, sizeof k->inner);
    bh__sha256_blocks(path, k->inner, block, 1);
    for (i = 0; i < 64; i++) block[i] ^= 0x36 ^ 0x5c;
    memcpy(k->outer, bh__IV, sizeof k->outer);
    bh__sha256_blocks(path, k->outer, block, 1);
    k->path = path;
    bh_wipe(block, sizeof block);
}

BHDEF void bh_hmac_key_init(bh_hmac_key *k, const void *key, size_t key_len)
{
    bh__hmac_key_init_path(k, bh__sha256_path(), key, key_len);
}

/* The outer hash over an inner digest: one block from the outer state. */
static void bh__hmac_outer(const bh_hmac_key *k, uint8_t inner[32],
                           uint8_t mac[32])
{
    uint32_t st[8];
    memcpy(st, k->outer, sizeof st);
    bh__sha256_finish(k->path, st, inner, 32, 64 + 32, mac);
    bh_wipe(st, sizeof st);
}

BHDEF void bh_hmac(const bh_hmac_key *k, const void *data, size_t len,
                   uint8_t mac[32])
{
    uint32_t st[8];
    uint8_t inner[32];
    memcpy(st, k->inner, sizeof st);
    bh__sha256_finish(k->path, st, (const uint8_t *)data, len,
                      (uint64_t)len + 64, inner);
    bh__hmac_outer(k, inner, mac);
    bh_wipe(st, sizeof st);
    bh_wipe(inner, sizeof inner);
}

BHDEF void bh_hmac_init(bh_hmac_ctx *c, const bh_hmac_key *k)
{
    memcpy(c->inner.state, k->inner, sizeof k->inner);
    c->inner.count = 64;
    c->inner.path = k->path;
    memcpy(c->outer, k->outer, sizeof c->outer);
}

BHDEF void bh_hmac_update(bh_hmac_ctx *c, const void *data, size_t len)
{
    bh_sha256_update(&c->inner, data, len);
}

BHDEF void bh_hmac_final(const bh_hmac_ctx *c, uint8_t mac[32])
{
    bh_hmac_key k;
    uint8_t inner[32];
    bh__sha256_digest(&c->inner, inner);
    memcpy(k.outer, c->outer, sizeof k.outer);
    k.path = c->inner.path;
    bh__hmac_outer(&k, inner, mac);
    bh_wipe(&k, sizeof k);
    bh_wipe(inner, sizeof inner);
}

BHDEF void bh_hmac_sha256(const void *key, size_t key_len, const void *data,
                          size_t len, uint8_t mac[32])
{
    bh_hmac_key k;
    bh_hmac_key_init(&k, key, key_len);
    bh_hmac(&k, data, len, mac);
    bh_wipe(&k, sizeof k);
}

BHDEF int bh_ct_equal(const void *a, const void *b, size_t len)
{
    const uint8_t *x = (const uint8_t *)a, *y = (const uint8_t *)b;
    uint32_t diff = 0;
    size_t i;
    for (i = 0; i < len; i++) diff |= (uint32_t)(x[i] ^ y[i]);
    return (int)(1 & ((diff - 1) >> 8));
}

BHDEF void bh_wipe(void *p, size_t len)
{
    if (!len) return;
    memset(p, 0, len);
#if defined(__GNUC__) || defined(__clang__)
    __asm__ __volatile__("" : : "r"(p) : "memory");
#else
    {
        volatile uint8_t *v = (volatile uint8_t *)p;
        size_t i;
        for (i = 0; i < len; i++) v[i] = 0;
    }
#endif
}

/* ==== encodings ======================================================== */

/* x, hidden from the optimiser, so that a mask stays arithmetic and is not
   turned back into a branch or a conditional move. */
static uint32_t bh__opaque(uint32_t x)
{
#if defined(__GNUC__) || defined(__clang__)
    __asm__("" : "+r"(x));
#endif
    return x;
}

/* All-ones when lo <= c <= hi, else zero; no branch. */
static uint32_t bh__in_range(uint32_t c, uint32_t lo, uint32_t hi)
{
    return bh__opaque(0 - (((lo - 1 - c) & (c - hi - 1)) >> 31));
}

/* The value of one hex digit, or 256 and more when c is not one. */
static uint32_t bh__hex_value(uint32_t c)
{
    uint32_t lower = c | 0x20;
    uint32_t v = 0x100;
    v ^= bh__in_range(c, '0', '9') & (0x100 ^ (c - '0'));
    v ^= bh__in_range(lower, 'a', 'f') & (0x100 ^ (lower - 'a' + 10));
    return v;
}

BHDEF int bh_hex_encode(char *out, size_t cap, const void *in, size_t len)
{
    const uint8_t *p = (const uint8_t *)in;
    size_t i;
    if (len > 0x3ffffffe || cap < 2 * len + 1) return BH_ESPACE;
    for (i = 0; i < len; i++) {
        uint32_t hi = p[i] >> 4, lo = p[i] & 15u;
        /* digit = n + '0', plus 39 more when n > 9, without a branch */
        out[2 * i] = (char)(hi + '0' + (((9 - hi) >> 8) & 39));
        out[2 * i + 1] = (char)(lo + '0' + (((9 - lo) >> 8) & 39));
    }
    out[2 * len] = '\0';
    return (int)(2 * len);
}

BHDEF int bh_hex_decode(void *out, size_t cap, const char *in, size_t len)
{
    uint8_t *o = (uint8_t *)out;
    uint32_t bad = 0;
    size_t i;
    if (len & 1) return BH_ELENGTH;
    if (len > 0x7ffffffe) return BH_EINVAL;
    if (cap < len / 2) return BH_ESPACE;
    for (i = 0; i < len / 2; i++) {
        uint32_t hi = bh__hex_value((unsigned char)in[2 * i]);
        uint32_t lo = bh__hex_value((unsigned char)in[2 * i + 1]);
        bad |= hi | lo;
        o[i] = (uint8_t)(hi << 4 | (lo & 15));
    }
    return (bad & 0x100) ? BH_ECHAR : (int)(len / 2);
}

/* The base64 character for a 6-bit value, without a table. */
static char bh__base64_char(uint32_t v)
{
    uint32_t c = 0;
    c |= bh__in_range(v, 0, 25) & (v + 'A');
    c |= bh__in_range(v, 26, 51) & (v - 26 + 'a');
    c |= bh__in_range(v, 52, 61) & (v - 52 + '0');
    c |= bh__in_range(v, 62, 62) & '+';
    c |= bh__in_range(v, 63, 63) & '/';
    return (char)c;
}

/* The 6-bit value of a base64 character, or 256 and more when it is not
   one ('=' included). */
static uint32_t bh__base64_value(uint32_t c)
{
    uint32_t v = 0x100;
    v ^= bh__in_range(c, 'A', 'Z') & (0x100 ^ (c - 'A'));
    v ^= bh__in_range(c, 'a', 'z') & (0x100 ^ (c - 'a' + 26));
    v ^= bh__in_range(c, '0', '9') & (0x100 ^ (c - '0' + 52));
    v ^= bh__in_range(c, '+', '+') & (0x100 ^ 62);
    v ^= bh__in_range(c, '/', '/') & (0x100 ^ 63);
    return v;
}

BHDEF int bh_base64_encode(char *out, size_t cap, const void *in, size_t len)
{
    const uint8_t *p = (const uint8_t *)in;
    size_t i, o = 0;
    if (len > 0x5ffffff0 || cap < BH_BASE64_LEN(len) + 1) return BH_ESPACE;
    for (i = 0; i + 3 <= len; i += 3) {
        uint32_t v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8 | p[i + 2];
        out[o++] = bh__base64_char(v >> 18);
        out[o++] = bh__base64_char((v >> 12) & 63);
        out[o++] = bh__base64_char((v >> 6) & 63);
        out[o++] = bh__base64_char(v & 63);
    }
    if (len - i) {
        uint32_t v = (uint32_t)p[i] << 16;
        if (len - i == 2) v |= (uint32_t)p[i + 1] << 8;
        out[o++] = bh__base64_char(v >> 18);
        out[o++] = bh__base64_char((v >> 12) & 63);
        out[o++] = len - i == 2 ? bh__base64_char((v >> 6) & 63) : '=';
        out[o++] = '=';
    }
    out[o] = '\0';
    return (int)o;
}

/* Decode len (a multiple of 4) base64 characters into len/4*3 bytes, '='
   decoding as zero bits. Sets *pad to the number of padding characters and
   returns 0, BH_ECHAR or BH_EPADDING; no branch or index depends on the
   characters, so it may decode secrets. */
static int bh__base64_decode_ct(uint8_t *out, const char *in, size_t len,
                                size_t *pad)
{
    uint32_t bad = 0, badpad = 0, eq1 = 0, eq2 = 0;
    size_t i, j;
    for (i = 0; i < len; i += 4) {
        uint32_t v = 0, last = (i + 4 == len) ? 0xffffffffu : 0;
        for (j = 0; j < 4; j++) {
            uint32_t c = (unsigned char)in[i + j];
            uint32_t d = bh__base64_value(c);
            uint32_t eq = bh__in_range(c, '=', '=');
            /* '=' is allowed only as the last, or last two, characters */
            uint32_t allowed = last & (j == 3 ? 0xffffffffu
                                       : j == 2 ? bh__in_range((unsigned char)in[i + 3], '=', '=')
                                                : 0);
            badpad |= eq & ~allowed;
            bad |= (d >> 8) & ~eq;
            v = v << 6 | (d & 63 & ~eq);
            if (j == 3) eq1 = last & eq;
            if (j == 2) eq2 = last & eq;
        }
        out[i / 4 * 3] = (uint8_t)(v >> 16);
        out[i / 4 * 3 + 1] = (uint8_t)(v >> 8);
        out[i / 4 * 3 + 2] = (uint8_t)v;
        /* the bits under the padding must be zero (canonical encoding) */
        badpad |= last & eq1 & ~eq2 & (0 - (v & 0xff));
        badpad |= last & eq2 & (0 - (v & 0xffff));
    }
    *pad = (size_t)((eq1 & 1) + (eq2 & 1));
    if ((bad & 1) | (badpad != 0)) /* the verdict: the one branch */
        return (bad & 1) ? BH_ECHAR : BH_EPADDING;
    return 0;
}

BHDEF int bh_base64_decode(void *out, size_t cap, const char *in, size_t len)
{
    uint8_t quad[3];
    size_t i, pad = 0, n;
    int r = 0;
    if (len % 4) return BH_ELENGTH;
    if (len > 0x7ffffff0) return BH_EINVAL;
    if (!len) return 0;
    for (i = 0; i < len && r == 0; i += 4) {
        size_t p = 0;
        r = bh__base64_decode_ct(quad, in + i, 4, &p);
        if (r == 0 && p && i + 4 != len) r = BH_EPADDING;
        pad = p;
        n = 3 - pad;
        if (r == 0 && i / 4 * 3 + n > cap) r = BH_ESPACE;
        if (r == 0) memcpy((uint8_t *)out + i / 4 * 3, quad, n);
    }
    bh_wipe(quad, sizeof quad);
    return r ? r : (int)(len / 4 * 3 - pad);
}

/* ==== json reader ====================================================== */

/* ==== json writer ====================================================== */

/* ==== events =========================================================== */

static const char *const bh__event_names[BH_EVENT_COUNT] = {
    NULL,
    "TODO_CREATED",
    "TODO_DELETED",
    "TODO_MOVED",
    "TODO_NAME_CHANGED",
    "TODO_DONE_STATUS_UPDATED",
    "TODO_DUE_DATE_ADDED",
    "TODO_DUE_DATE_UPDATED",
    "TODO_DUE_DATE_REMOVED",
    "TODO_ASSIGNEE_ADDED",
    "TODO_ASSIGNEE_REMOVED",
    "TODO_TAG_ADDED",
    "TODO_TAG_REMOVED",
    "TODO_CUSTOM_FIELD_UPDATED",
    "TODO_CHECKLIST_CREATED",
    "TODO_CHECKLIST_NAME_CHANGED",
    "TODO_CHECKLIST_DELETED",
    "TODO_CHECKLIST_ITEM_CREATED",
    "TODO_CHECKLIST_ITEM_NAME_CHANGED",
    "TODO_CHECKLIST_ITEM_DELETED",
    "TODO_CHECKLIST_ITEM_DUE_DATE_ADDED",
    "TODO_CHECKLIST_ITEM_DUE_DATE_UPDATED",
    "TODO_CHECKLIST_ITEM_DUE_DATE_REMOVED",
    "TODO_CHECKLIST_ITEM_ASSIGNEE_ADDED",
    "TODO_CHECKLIST_ITEM_ASSIGNEE_REMOVED",
    "TODO_CHECKLIST_ITEM_DONE_STATUS_UPDATED",
    "TODO_LIST_CREATED",
    "TODO_LIST_DELETED",
    "TODO_LIST_NAME_CHANGED",
    "CUSTOM_FIELD_CREATED",
    "CUSTOM_FIELD_DELETED",
    "CUSTOM_FIELD_UPDATED",
    "TAG_CREATED",
    "TAG_DELETED",
    "TAG_UPDATED",
    "COMMENT_CREATED",
    "COMMENT_DELETED",
    "COMMENT_UPDATED",
    "WEBHOOK_HEALTH_CHECK",
};

static const unsigned char bh__event_entities[BH_EVENT_COUNT] = {
    BH_ENTITY_NONE,
    BH_ENTITY_RECORD,
    BH_ENTITY_RECORD,
    BH_ENTITY_RECORD,
    BH_ENTITY_RECORD,
    BH_ENTITY_RECORD,
    BH_ENTITY_RECORD,
    BH_ENTITY_RECORD,
    BH_ENTITY_RECORD,
    BH_ENTITY_RECORD,
    BH_ENTITY_RECORD,
    BH_ENTITY_RECORD,
    BH_ENTITY_RECORD,
    BH_ENTITY_RECORD,
    BH_ENTITY_CHECKLIST,
    BH_ENTITY_CHECKLIST,
    BH_ENTITY_CHECKLIST,
    BH_ENTITY_CHECKLIST_ITEM,
    BH_ENTITY_CHECKLIST_ITEM,
    BH_ENTITY_CHECKLIST_ITEM,
    BH_ENTITY_CHECKLIST_ITEM,
    BH_ENTITY_CHECKLIST_ITEM,
    BH_ENTITY_CHECKLIST_ITEM,
    BH_ENTITY_CHECKLIST_ITEM,
    BH_ENTITY_CHECKLIST_ITEM,
    BH_ENTITY_CHECKLIST_ITEM,
    BH_ENTITY_LIST,
    BH_ENTITY_LIST,
    BH_ENTITY_LIST,
    BH_ENTITY_CUSTOM_FIELD,
    BH_ENTITY_CUSTOM_FIELD,
    BH_ENTITY_CUSTOM_FIELD,
    BH_ENTITY_TAG,
    BH_ENTITY_TAG,
    BH_ENTITY_TAG,
    BH_ENTITY_COMMENT,
    BH_ENTITY_COMMENT,
    BH_ENTITY_COMMENT,
    BH_ENTITY_WEBHOOK,
};

/* A perfect hash of the event names: h = (len + 5 c[5] + 31 c[len-7] +
   c[len-10]) mod 128 sends each of the 38 names to its own slot (found by a
   search over small multipliers); the slot holds the event, and one memcmp
   confirms the name. Names are 10 to 39 bytes long. */
static const unsigned char bh__event_slots[128] = {
    35,  4,  0, 32,  0,  0,  6,  0,  7,  0,  0,  0,  5, 10,  0,  0,
    20,  0, 21, 23,  0,  0, 25,  0, 38,  0,  0,  0, 27, 30,  0, 36,
     0,  0,  0,  0,  0,  0, 24, 34,  0,  0, 11,  8, 31,  0, 37,  0,
     0,  0,  0,  0,  0, 22,  0,  0,  0,  0,  0,  0,  1,  0,  0,  0,
     0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0, 17,  0,  0,  0,
     0,  0,  0,  0, 15, 14,  0,  0,  0, 18,  0,  0,  0,  0,  0,  0,
     2, 33,  0, 12,  0,  0,  0,  0,  0,  0,  0, 19,  0,  0,  0,  0,
     3,  0,  0,  0, 16,  0,  0,  0,  0,  0,  9,  0, 28, 26, 29, 13,
};

static size_t bh__event_slot(const char *name, size_t len)
{
    const unsigned char *c = (const unsigned char *)name;
    return (len + 5u * c[5] + 31u * c[len - 7] + c[len - 10]) & 127u;
}

BHDEF bh_event bh_event_from_name(const char *name, size_t len)
{
    unsigned e;
    if (!name || len < 10 || len > 39) return BH_EVENT_UNKNOWN;
    e = bh__event_slots[bh__event_slot(name, len)];
    if (e && bh__cstr_eq(bh__event_names[e], name, len)) return (bh_event)e;
    return BH_EVENT_UNKNOWN;
}

BHDEF const char *bh_event_name(bh_event e)
{
    return ((unsigned)e < BH_EVENT_COUNT) ? bh__event_names[e] : NULL;
}

BHDEF bh_entity bh_event_entity(bh_event e)
{
    return ((unsigned)e < BH_EVENT_COUNT) ? (bh_entity)bh__event_entities[e]
                                          : BH_ENTITY_NONE;
}

static const char *const bh__entity_names[BH_ENTITY_COUNT] = {
    NULL, "record", "checklist", "checklist-item", "list",
    "custom-field", "tag", "comment", "webhook"};

BHDEF const char *bh_entity_name(bh_entity k)
{
    return ((unsigned)k < BH_ENTITY_COUNT) ? bh__entity_names[k] : NULL;
}

BHDEF bh_entity bh_entity_from_name(const char *name, size_t len)
{
    unsigned k;
    for (k = 1; k < BH_ENTITY_COUNT; k++)
        if (bh__cstr_eq(bh__entity_names[k], name, len)) return (bh_entity)k;
    return BH_ENTITY_NONE;
}

BHDEF bh_event_set bh_event_set_none(void)
{
    bh_event_set s;
    s.bits = 0;
    return s;
}

BHDEF void bh_event_set_add(bh_event_set *s, bh_event e)
{
    if (e > BH_EVENT_UNKNOWN && (unsigned)e < BH_EVENT_COUNT)
        s->bits |= (uint64_t)1 << e;
}

BHDEF void bh_event_set_add_group(bh_event_set *s, bh_entity group)
{
    unsigned e;
    for (e = 1; e < BH_EVENT_COUNT; e++)
        if (bh__event_entities[e] == (unsigned)group && group != BH_ENTITY_NONE)
            s->bits |= (uint64_t)1 << e;
}

BHDEF int bh_event_set_has(bh_event_set s, bh_event e)
{
    return (unsigned)e < BH_EVENT_COUNT && e != BH_EVENT_UNKNOWN &&
           ((s.bits >> e) & 1);
}

BHDEF int bh_event_set_empty(bh_event_set s) { return s.bits == 0; }

/* ==== webhooks and filters ============================================= */

static int bh__has_project(const bh_webhook *w, const char *id, size_t len)
{
    size_t i;
    if (!w->nproject_ids) return 1;
    if (!id || !len) return 0;
    for (i = 0; i < w->nproject_ids; i++)
        if (bh__cstr_eq(w->project_ids[i], id, len)) return 1;
    return 0;
}

BHDEF int bh_webhook_subscribed(const bh_webhook *w, bh_event e,
                                const char *project_id, size_t len)
{
    return w && w->enabled &&
           (bh_event_set_empty(w->events) || bh_event_set_has(w->events, e)) &&
           bh__has_project(w, project_id, len);
}

/* ==== signatures ======================================================= */

/* ==== http ============================================================= */

/* Where a parser is in its request. */
enum {
    BH__HS_START,      /* (empty lines and) the request line */
    BH__HS_FIELDS,     /* header field lines */
    BH__HS_LENGTH,     /* a body of Content-Length bytes */
    BH__HS_CHUNK_SIZE, /* a chunk-size line */
    BH__HS_CHUNK_DATA, /* a chunk's data */
    BH__HS_CHUNK_END,  /* the CRLF after a chunk's data */
    BH__HS_TRAILERS,   /* trailer field lines */
    BH__HS_DONE
};

/* What the header fields said so far. */
enum {
    BH__HF_LENGTH = 1,    /* Content-Length */
    BH__HF_CHUNKED = 2,   /* Transfer-Encoding: chunked */
    BH__HF_HOST = 4,      /* Host */
    BH__HF_CLOSE = 8,     /* Connection: close */
    BH__HF_KEEP = 16,     /* Connection: keep-alive */
    BH__HF_CONTINUE = 32, /* Expect: 100-continue */
    BH__HF_EXPECT = 64    /* another expectation */
};

#define BH__HTTP_ONES ((uint64_t)0x0101010101010101u)

static int bh__http_fail(bh_http_parser *p, int err, size_t pos)
{
    p->err = err;
    p->err_pos = pos;
    return err;
}

/* Byte classes: 1 tchar (RFC 9110 5.6.2: the bytes of methods, field names,
   transfer codings and extension names), 2 a byte of uri-host [":" port]
   (RFC 3986: unreserved, pct-encoded, sub-delims, ":" and IP-literal
   brackets). Bytes from 0x80 up are in neither. */
static const unsigned char bh__http_class[256] = {
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 3, 0, 1, 3, 3, 3, 3, 2, 2, 3, 3, 2, 3, 3, 0,
    3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 2, 2, 0, 2, 0, 0,
    0, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
    3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 2, 0, 2, 1, 3,
    1, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
    3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 0, 1, 0, 3, 0,
};

static int bh__http_tchar(unsigned char c) { return bh__http_class[c] & 1; }

/* 1 for a byte no field line may hold: a control character other than HTAB,
   or DEL. CR and LF are among them: they may only end a line. */
static int bh__http_ctl(unsigned c)
{
    return (c < 0x20 && c != '\t') || c == 0x7f;
}

static int bh__http_ows(char c) { return c == ' ' || c == '\t'; }

/* 1 when the n bytes at a, which hold no control byte, are the literal
   `lower` (lowercase letters, digits and '-') in any case: a control byte
   is the only other byte that | 0x20 would turn into one of those. */
static int bh__http_is(const char *a, size_t n, const char *lower)
{
    size_t i;
    for (i = 0; i < n; i++)
        if (((unsigned char)a[i] | 0x20) != (unsigned char)lower[i]) return 0;
    return lower[n] == '\0';
}

/* Eight bytes as a little-endian word, whatever the machine's byte order
   (compilers make this one load where they can). */
static uint64_t bh__http_load64_le(const char *p)
{
    const unsigned char *u = (const unsigned char *)p;
    return (uint64_t)u[0] | (uint64_t)u[1] << 8 | (uint64_t)u[2] << 16 |
           (uint64_t)u[3] << 24 | (uint64_t)u[4] << 32 | (uint64_t)u[5] << 40 |
           (uint64_t)u[6] << 48 | (uint64_t)u[7] << 56;
}

/* The offset of the first byte in b[i .. end - 1] that bh__http_ctl refuses,
   or end. Eight bytes at a time: each byte below 0x20 or equal to 0x7f
   gets its top bit set in m (exactly for the first such byte; a borrow may
   also flag later ones), so a word with m = 0 is passed over in one step.
   Otherwise the first flagged byte is found by counting trailing zeros
   (GCC, Clang) or by looking (elsewhere); an HTAB there is stepped over. */
static size_t bh__http_find_ctl(const char *b, size_t i, size_t end)
{
    while (end - i >= 8) {
        uint64_t x = bh__http_load64_le(b + i), y = x ^ (BH__HTTP_ONES * 0x7f);
        uint64_t m = (((x - BH__HTTP_ONES * 0x20) & ~x) | ((y - BH__HTTP_ONES) & ~y)) &
                     (BH__HTTP_ONES * 0x80);
        if (m) {
#if defined(__GNUC__) || defined(__clang__)
            size_t k = i + ((unsigned)__builtin_ctzll(m) >> 3);
#else
            size_t k = i;
            while (!bh__http_ctl((unsigned char)b[k])) k++;
#endif
            if (b[k] != '\t') return k;
            i = k + 1;
            continue;
        }
        i += 8;
    }
    for (; i < end; i++)
        if (bh__http_ctl((unsigned char)b[i])) return i;
    return end;
}

/* a + b, or SIZE_MAX when that overflows. */
static size_t bh__http_sat_add(size_t a, size_t b)
{
    return b > (size_t)-1 - a ? (size_t)-1 : a + b;
}

/* Lines are searched left to right, never past len nor past the limit
   lim (by which the line with its CRLF must end), and the first byte that
   cannot be decides the error; so the answer for a stream of bytes is the
   same however it is split. p->scan is where the search resumes. */

/* The search for a line's end reached `end` (= min(len, lim - 1)) without
   finding it: the limit is passed, or more input is needed. */
static int bh__http_more(bh_http_parser *p, size_t end, size_t len,
                         size_t lim, int big)
{
    if (len >= lim - 1) return bh__http_fail(p, big, end);
    p->scan = end;
    return BH_EINCOMPLETE;
}

/* The byte at i, which is not allowed inside a line, must be the CR of a
   CRLF; then *cr = i. */
static int bh__http_crlf(bh_http_parser *p, const char *b, size_t len,
                         size_t i, size_t *cr, int bad)
{
    if (b[i] != '\r') return bh__http_fail(p, bad, i);
    if (i + 1 == len) {
        p->scan = i;
        return BH_EINCOMPLETE;
    }
    if (b[i + 1] != '\n') return bh__http_fail(p, bad, i);
    *cr = i;
    return BH_OK;
}

/* Find the CRLF ending the line at p->pos, searching on from `from`: any
   byte but a control (HTAB allowed) may come before it. Fails with `big`
   past the limit, with `bad` at a forbidden byte, a bare CR or a bare LF. */
static int bh__http_line(bh_http_parser *p, const char *b, size_t len,
                         size_t from, size_t lim, size_t *cr, int bad,
                         int big)
{
    size_t end, i;
    if (lim < 2 || lim - 2 < p->pos) return bh__http_fail(p, big, p->pos);
    end = len < lim - 1 ? len : lim - 1; /* the CR is at lim - 2 at most */
    i = bh__http_find_ctl(b, from < end ? from : end, end);
    if (i == end) return bh__http_more(p, end, len, lim, big);
    return bh__http_crlf(p, b, len, i, cr, bad);
}

/* The end of the run of tchars in b[i .. end - 1], four bytes a step. */
static size_t bh__http_skip_name(const char *b, size_t i, size_t end)
{
    const unsigned char *u = (const unsigned char *)b;
    while (end - i >= 4 && (bh__http_class[u[i]] & bh__http_class[u[i + 1]] &
                            bh__http_class[u[i + 2]] & bh__http_class[u[i + 3]] & 1))
        i += 4;
    while (i < end && bh__http_tchar(u[i])) i++;
    return i;
}

/* A field line at p->pos in one pass: the name (tchars) up to the colon,
   whose offset is kept in p->colon, then the value up to the CRLF. Returns
   BH_OK with *cr at the CR (*cr == p->pos for the blank line ending the
   section). White space first (obsolete folding) or before the colon, an
   empty name, and any other byte outside a token fail with `bad` there. */
static int bh__http_field_line(bh_http_parser *p, const char *b, size_t len,
                               size_t lim, size_t *cr, int bad, int big)
{
    size_t end, i;
    if (lim < 2 || lim - 2 < p->pos) return bh__http_fail(p, big, p->pos);
    end = len < lim - 1 ? len : lim - 1;
    if (p->scan > end) p->scan = end; /* only if a limit was lowered */
    if (!p->colon) {
        i = bh__http_skip_name(b, p->scan, end);
        if (i == end) return bh__http_more(p, end, len, lim, big);
        if (i == p->pos && b[i] == '\r') return bh__http_crlf(p, b, len, i, cr, bad);
        if (i == p->pos || b[i] != ':') return bh__http_fail(p, bad, i);
        p->colon = i;
        p->scan = i + 1;
    }
    i = bh__http_find_ctl(b, p->scan, end);
    if (i == end) return bh__http_more(p, end, len, lim, big);
    return bh__http_crlf(p, b, len, i, cr, bad);
}

static void bh__http_next_line(bh_http_parser *p, size_t cr)
{
    p->pos = cr + 2;
    p->scan = cr + 2;
    p->colon = 0;
}

static int bh__http_digit(char c) { return c >= '0' && c <= '9'; }

/* method SP request-target SP HTTP-version, the line b[s .. cr - 1]. */
static int bh__http_request_line(bh_http_parser *p, const char *b, size_t s,
                                 size_t cr)
{
    size_t i = s;
    while (i < cr && bh__http_tchar((unsigned char)b[i])) i++;
    if (i == s || i == cr || b[i] != ' ') return bh__http_fail(p, BH_EREQUEST, i);
    p->method_off = s;
    p->method_len = i - s;
    s = ++i;
    while (i < cr && (unsigned char)b[i] > 0x20 && (unsigned char)b[i] < 0x7f)
        i++;
    if (i == s || i == cr || b[i] != ' ') return bh__http_fail(p, BH_EREQUEST, i);
    p->target_off = s;
    p->target_len = i - s;
    i++;
    if (cr - i != 8 || memcmp(b + i, "HTTP/", 5) != 0 || !bh__http_digit(b[i + 5]) ||
        b[i + 6] != '.' || !bh__http_digit(b[i + 7]))
        return bh__http_fail(p, BH_EREQUEST, i);
    if (b[i + 5] != '1') return bh__http_fail(p, BH_EVERSION, i + 5);
    p->minor = (unsigned)(b[i + 7] - '0');
    return BH_OK;
}

/* The views of a field line read by bh__http_field_line: the name b[s ..
   colon - 1], the value between the colon and the CR without its white
   space around. */
static void bh__http_set_field(bh_header *h, const char *b, size_t s,
                               size_t colon, size_t cr)
{
    size_t i = colon + 1, e = cr;
    while (i < cr && bh__http_ows(b[i])) i++;
    while (e > i && bh__http_ows(b[e - 1])) e--;
    h->name = b + s;
    h->name_len = colon - s;
    h->value = b + i;
    h->value_len = e - i;
}

/* The next non-empty element of the list v[0 .. n-1] at or after *i,
   trimmed; 0 when none is left. */
static int bh__http_list_next(const char *v, size_t n, size_t *i, size_t *s,
                              size_t *e)
{
    size_t k = *i;
    while (k < n && (bh__http_ows(v[k]) || v[k] == ',')) k++;
    if (k == n) {
        *i = k;
        return 0;
    }
    *s = k;
    while (k < n && v[k] != ',') k++;
    *i = k;
    while (k > *s && bh__http_ows(v[k - 1])) k--;
    *e = k;
    return 1;
}

/* The flags an Expect list sets: `one` for each element equal to `word`
   (case-insensitively), `other` for any other element. */
static unsigned bh__http_list_flags(const bh_header *h, const char *word,
                                    unsigned one, unsigned other)
{
    size_t i = 0, s, e;
    unsigned f = 0;
    while (bh__http_list_next(h->value, h->value_len, &i, &s, &e))
        f |= bh__http_is(h->value + s, e - s, word) ? one : other;
    return f;
}

/* The flags a Connection list sets: close and keep-alive (any case). */
static unsigned bh__http_connection(const bh_header *h)
{
    size_t i = 0, s, e;
    unsigned f = 0;
    while (bh__http_list_next(h->value, h->value_len, &i, &s, &e)) {
        if (bh__http_is(h->value + s, e - s, "close")) f |= BH__HF_CLOSE;
        else if (bh__http_is(h->value + s, e - s, "keep-alive")) f |= BH__HF_KEEP;
    }
    return f;
}

/* Host: once, and made of the characters of uri-host [":" port]. */
static int bh__http_host(bh_http_parser *p, const bh_header *h, size_t at)
{
    size_t i;
    if (p->flags & BH__HF_HOST) return bh__http_fail(p, BH_EHOST, at);
    for (i = 0; i < h->value_len; i++)
        if (!(bh__http_class[(unsigned char)h->value[i]] & 2))
            return bh__http_fail(p, BH_EHOST, at);
    p->flags |= BH__HF_HOST;
    return BH_OK;
}

/* Content-Length: digits only, within 64 bits, the same value if repeated,
   never with Transfer-Encoding, and within the body limit. */
static int bh__http_content_length(bh_http_parser *p, const bh_header *h,
                                   size_t at)
{
    uint64_t v = 0;
    size_t i;
    if ((p->flags & BH__HF_CHUNKED) || h->value_len == 0)
        return bh__http_fail(p, BH_EFRAMING, at);
    for (i = 0; i < h->value_len; i++) {
        unsigned d = (unsigned)((unsigned char)h->value[i] - '0');
        if (d > 9 || v > (UINT64_MAX - d) / 10)
            return bh__http_fail(p, BH_EFRAMING, at);
        v = v * 10 + d;
    }
    if ((p->flags & BH__HF_LENGTH) && v != (uint64_t)p->content_length)
        return bh__http_fail(p, BH_EFRAMING, at);
    if (v > (uint64_t)p->max_body_bytes)
        return bh__http_fail(p, BH_EBODYSIZE, at);
    p->content_length = (size_t)v;
    p->flags |= BH__HF_LENGTH;
    return BH_OK;
}

/* Transfer-Encoding: exactly "chunked", once, in HTTP/1.1, without
   Content-Length. */
static int bh__http_transfer_encoding(bh_http_parser *p, const bh_header *h,
                                      size_t at)
{
    if (p->minor == 0 || (p->flags & BH__HF_LENGTH))
        return bh__http_fail(p, BH_EFRAMING, at);
    if ((p->flags & BH__HF_CHUNKED) ||
        !bh__http_is(h->value, h->value_len, "chunked"))
        return bh__http_fail(p, BH_ECODING, at);
    p->flags |= BH__HF_CHUNKED;
    return BH_OK;
}

/* What a header field means to the parser; other fields are only kept. */
static int bh__http_field_meaning(bh_http_parser *p, const bh_header *h,
                                  size_t at)
{
    const char *n = h->name;
    switch (h->name_len) {
    case 4:
        if (bh__http_is(n, 4, "host")) return bh__http_host(p, h, at);
        break;
    case 6:
        if (bh__http_is(n, 6, "expect") && p->minor)
            p->flags |= bh__http_list_flags(h, "100-continue", BH__HF_CONTINUE,
                                            BH__HF_EXPECT);
        break;
    case 10:
        if (bh__http_is(n, 10, "connection")) p->flags |= bh__http_connection(h);
        break;
    case 14:
        if (bh__http_is(n, 14, "content-length"))
            return bh__http_content_length(p, h, at);
        break;
    case 17:
        if (bh__http_is(n, 17, "transfer-encoding"))
            return bh__http_transfer_encoding(p, h, at);
        break;
    default: break;
    }
    return BH_OK;
}

/* The blank line ending the head, at offset at. */
static int bh__http_head_end(bh_http_parser *p, size_t at)
{
    p->head_len = at + 2;
    if (p->minor && !(p->flags & BH__HF_HOST))
        return bh__http_fail(p, BH_EHOST, at);
    if (p->flags & BH__HF_EXPECT) return bh__http_fail(p, BH_EEXPECT, at);
    bh__http_next_line(p, at);
    if (p->flags & BH__HF_CHUNKED) {
        p->meta_left = p->max_header_bytes;
        p->state = BH__HS_CHUNK_SIZE;
    } else {
        p->state = (p->flags & BH__HF_LENGTH) ? BH__HS_LENGTH : BH__HS_DONE;
    }
    return BH_OK;
}

static int bh__http_start(bh_http_parser *p, const char *b, size_t len)
{
    size_t cr = 0;
    int rc = bh__http_line(p, b, len, p->scan, p->max_header_bytes, &cr,
                           BH_EREQUEST, BH_EHEADSIZE);
    if (rc) return rc;
    if (cr != p->pos) { /* empty lines before it are skipped (RFC 9112 2.2) */
        rc = bh__http_request_line(p, b, p->pos, cr);
        if (rc) return rc;
        p->state = BH__HS_FIELDS;
    }
    bh__http_next_line(p, cr);
    return BH_OK;
}

/* Header field lines, as many as have arrived, up to the blank line. */
static int bh__http_fields(bh_http_parser *p, const char *b, size_t len)
{
    for (;;) {
        size_t cr = 0;
        bh_header *h;
        int rc = bh__http_field_line(p, b, len, p->max_header_bytes, &cr,
                                     BH_EREQUEST, BH_EHEADSIZE);
        if (rc) return rc;
        if (cr == p->pos) return bh__http_head_end(p, cr);
        if (p->nheaders == p->max_headers)
            return bh__http_fail(p, BH_EHEADERS, p->pos);
        h = &p->headers[p->nheaders++];
        bh__http_set_field(h, b, p->pos, p->colon, cr);
        rc = bh__http_field_meaning(p, h, p->pos);
        if (rc) return rc;
        bh__http_next_line(p, cr);
    }
}

static int bh__http_length(bh_http_parser *p, size_t len)
{
    if (len - p->pos < p->content_length) return BH_EINCOMPLETE;
    p->body_len = p->content_length;
    p->pos += p->content_length;
    p->state = BH__HS_DONE;
    return BH_OK;
}

static int bh__http_hexval(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* A quoted-string opening at b[i]; the offset past its closing quote, or 0.
   The line holds no control byte but HTAB, so any other byte is qdtext or
   may follow a backslash. */
static size_t bh__http_quoted(const char *b, size_t i, size_t cr)
{
    for (i++; i < cr; i++) {
        if (b[i] == '"') return i + 1;
        if (b[i] == '\\' && ++i == cr) return 0;
    }
    return 0;
}

static size_t bh__http_skip_ows(const char *b, size_t i, size_t cr)
{
    while (i < cr && bh__http_ows(b[i])) i++;
    return i;
}

static size_t bh__http_skip_token(const char *b, size_t i, size_t cr)
{
    while (i < cr && bh__http_tchar((unsigned char)b[i])) i++;
    return i;
}

/* chunk-ext = *( BWS ";" BWS name [ BWS "=" BWS ( token / quoted-string ) ])
   in b[i .. cr - 1]; read and ignored. */
static int bh__http_chunk_ext(bh_http_parser *p, const char *b, size_t i,
                              size_t cr)
{
    while (i < cr) {
        size_t s, k;
        i = bh__http_skip_ows(b, i, cr);
        if (i == cr || b[i] != ';') return bh__http_fail(p, BH_ECHUNK, i);
        s = bh__http_skip_ows(b, i + 1, cr);
        i = bh__http_skip_token(b, s, cr);
        if (i == s) return bh__http_fail(p, BH_ECHUNK, i);
        k = bh__http_skip_ows(b, i, cr);
        if (k == cr || b[k] != '=') continue;
        s = bh__http_skip_ows(b, k + 1, cr);
        if (s < cr && b[s] == '"') {
            i = bh__http_quoted(b, s, cr);
            if (!i) return bh__http_fail(p, BH_ECHUNK, cr);
        } else {
            i = bh__http_skip_token(b, s, cr);
            if (i == s) return bh__http_fail(p, BH_ECHUNK, i);
        }
    }
    return BH_OK;
}

/* chunk-size [ chunk-ext ] CRLF: at most 16 hex digits; the extensions
   count against meta_left, the size against the body limit. */
static int bh__http_chunk_size(bh_http_parser *p, const char *b, size_t len)
{
    size_t i = p->pos, cr = 0;
    uint64_t v = 0;
    int rc, d;
    while (i < len && (d = bh__http_hexval(b[i])) >= 0) {
        if (i - p->pos == 16) return bh__http_fail(p, BH_ECHUNK, i);
        v = v << 4 | (uint64_t)d;
        i++;
    }
    if (i == len) return BH_EINCOMPLETE;
    if (i == p->pos) return bh__http_fail(p, BH_ECHUNK, i);
    rc = bh__http_line(p, b, len, p->scan > i ? p->scan : i,
                       bh__http_sat_add(i, bh__http_sat_add(p->meta_left, 2)), &cr,
                       BH_ECHUNK, BH_EHEADSIZE);
    if (rc) return rc;
    rc = bh__http_chunk_ext(p, b, i, cr);
    if (rc) return rc;
    p->meta_left -= cr - i;
    if (v > (uint64_t)(p->max_body_bytes > p->body_len
                           ? p->max_body_bytes - p->body_len : 0))
        return bh__http_fail(p, BH_EBODYSIZE, p->pos);
    p->chunk_left = (size_t)v;
    p->state = v ? BH__HS_CHUNK_DATA : BH__HS_TRAILERS;
    bh__http_next_line(p, cr);
    return BH_OK;
}

/* A chunk's data, moved down to the end of the body decoded so far. */
static int bh__http_chunk_data(bh_http_parser *p, char *b, size_t len)
{
    size_t n = len - p->pos;
    if (n > p->chunk_left) n = p->chunk_left;
    if (n) memmove(b + p->head_len + p->body_len, b + p->pos, n);
    p->body_len += n;
    p->pos += n;
    p->chunk_left -= n;
    if (p->chunk_left) return BH_EINCOMPLETE;
    p->state = BH__HS_CHUNK_END;
    return BH_OK;
}

static int bh__http_chunk_end(bh_http_parser *p, const char *b, size_t len)
{
    if (p->pos < len && b[p->pos] != '\r')
        return bh__http_fail(p, BH_ECHUNK, p->pos);
    if (len - p->pos < 2) return BH_EINCOMPLETE;
    if (b[p->pos + 1] != '\n') return bh__http_fail(p, BH_ECHUNK, p->pos + 1);
    bh__http_next_line(p, p->pos);
    p->state = BH__HS_CHUNK_SIZE;
    return BH_OK;
}

/* Trailer fields: checked as header fields are, counted against the header
   array size and meta_left, then ignored. */
static int bh__http_trailers(bh_http_parser *p, const char *b, size_t len)
{
    size_t cr = 0;
    int rc = bh__http_field_line(p, b, len, bh__http_sat_add(p->pos, p->meta_left),
                                 &cr, BH_ECHUNK, BH_EHEADSIZE);
    if (rc) return rc;
    if (cr != p->pos) {
        if (p->ntrailers == p->max_headers)
            return bh__http_fail(p, BH_EHEADERS, p->pos);
        p->ntrailers++;
        p->meta_left -= cr + 2 - p->pos;
    } else {
        p->state = BH__HS_DONE;
    }
    bh__http_next_line(p, cr);
    return BH_OK;
}

static int bh__http_step(bh_http_parser *p, char *b, size_t len)
{
    switch (p->state) {
    case BH__HS_START: return bh__http_start(p, b, len);
    case BH__HS_FIELDS: return bh__http_fields(p, b, len);
    case BH__HS_LENGTH: return bh__http_length(p, len);
    case BH__HS_CHUNK_SIZE: return bh__http_chunk_size(p, b, len);
    case BH__HS_CHUNK_DATA: return bh__http_chunk_data(p, b, len);
    case BH__HS_CHUNK_END: return bh__http_chunk_end(p, b, len);
    case BH__HS_TRAILERS: return bh__http_trailers(p, b, len);
    default: return BH_OK;
    }
}

/* The caller's buffer moved: make the stored header views follow it. */
static void bh__http_rebase(bh_http_parser *p, const char *b)
{
    uintptr_t now = (uintptr_t)b;
    size_t i;
    if (now == p->base) return;
    for (i = 0; i < p->nheaders; i++) {
        bh_header *h = &p->headers[i];
        h->name = b + ((uintptr_t)h->name - p->base);
        h->value = b + ((uintptr_t)h->value - p->base);
    }
    p->base = now;
}

static void bh__http_fill(const bh_http_parser *p, char *b, size_t len,
                          int rc, int head_now, bh_http_request *r)
{
    r->body = NULL;
    r->body_len = 0;
    r->consumed = 0;
    r->keep_alive = 0;
    if (!p->head_len) {
        r->method = r->target = NULL;
        r->method_len = r->target_len = r->nheaders = 0;
        r->head_len = r->content_length = 0;
        r->headers = NULL;
        r->minor_version = r->chunked = 0;
        r->expect_continue = r->send_continue = 0;
        return;
    }
    r->method = b + p->method_off;
    r->method_len = p->method_len;
    r->target = b + p->target_off;
    r->target_len = p->target_len;
    r->minor_version = (int)p->minor;
    r->headers = p->headers;
    r->nheaders = p->nheaders;
    r->head_len = p->head_len;
    r->content_length = (p->flags & BH__HF_LENGTH) ? p->content_length : 0;
    r->chunked = (p->flags & BH__HF_CHUNKED) != 0;
    r->expect_continue = (p->flags & BH__HF_CONTINUE) != 0;
    if (rc == BH_OK || rc == BH_EINCOMPLETE)
        r->keep_alive = !(p->flags & BH__HF_CLOSE) &&
                        (p->minor || (p->flags & BH__HF_KEEP));
    r->send_continue = head_now && rc == BH_EINCOMPLETE &&
                       r->expect_continue && len == p->head_len &&
                       (r->chunked || r->content_length);
    if (rc == BH_OK) {
        r->body = b + p->head_len;
        r->body_len = p->body_len;
        r->consumed = p->pos;
    }
}

BHDEF void bh_http_init(bh_http_parser *p, bh_header *headers,
                        size_t max_headers)
{
    memset(p, 0, sizeof *p);
    p->headers = headers;
    p->max_headers = headers ? max_headers : 0;
    p->max_header_bytes = BH_HTTP_MAX_HEADER_BYTES;
    p->max_body_bytes = BH_HTTP_MAX_BODY_BYTES;
}

BHDEF void bh_http_reset(bh_http_parser *p)
{
    bh_header *headers = p->headers;
    size_t max_headers = p->max_headers;
    size_t head = p->max_header_bytes, body = p->max_body_bytes;
    memset(p, 0, sizeof *p);
    p->headers = headers;
    p->max_headers = max_headers;
    p->max_header_bytes = head;
    p->max_body_bytes = body;
}

BHDEF int bh_http_parse(bh_http_parser *p, char *buf, size_t len,
                        bh_http_request *req)
{
    int rc = BH_OK, head_now = 0;
    if (!p || (!buf && len) || (!p->err && len < p->pos)) return BH_EINVAL;
    bh__http_rebase(p, buf);
    if (p->err) {
        rc = p->err;
    } else {
        while (p->state != BH__HS_DONE) {
            unsigned before = p->state;
            rc = bh__http_step(p, buf, len);
            head_now |= before == BH__HS_FIELDS && p->state != before;
            if (rc) break;
        }
    }
    if (req) bh__http_fill(p, buf, len, rc, head_now, req);
    return rc;
}

BHDEF int bh_http_status_for(int err)
{
    switch (err) {
    case BH_OK: return 200;
    case BH_EINCOMPLETE:
    case BH_EREQUEST:
    case BH_EHOST:
    case BH_EFRAMING:
    case BH_ECHUNK: return 400;
    case BH_EBODYSIZE: return 413;
    case BH_EEXPECT: return 417;
    case BH_EHEADERS:
    case BH_EHEADSIZE: return 431;
    case BH_ECODING: return 501;
    case BH_EVERSION: return 505;
    default: return 500;
    }
}

BHDEF const char *bh_http_reason(int status)
{
    switch (status) {
    case 100: return "Continue";
    case 200: return "OK";
    case 201: return "Created";
    case 202: return "Accepted";
    case 204: return "No Content";
    case 301: return "Moved Permanently";
    case 304: return "Not Modified";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 409: return "Conflict";
    case 411: return "Length Required";
    case 413: return "Content Too Large";
    case 414: return "URI Too Long";
    case 415: return "Unsupported Media Type";
    case 417: return "Expectation Failed";
    case 422: return "Unprocessable Content";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    case 505: return "HTTP Version Not Supported";
    default: return "";
    }
}

/* A writer that keeps counting past its capacity, as snprintf does. */
typedef struct bh__http_out {
    char *p;
    size_t cap, n;
} bh__http_out;

static void bh__http_put(bh__http_out *o, const char *s, size_t len)
{
    size_t i;
    for (i = 0; i < len; i++, o->n++)
        if (o->n < o->cap) o->p[o->n] = s[i];
}

static void bh__http_puts(bh__http_out *o, const char *s)
{
    bh__http_put(o, s, strlen(s));
}

static void bh__http_putu(bh__http_out *o, size_t v)
{
    char d[24];
    size_t i = sizeof d;
    do {
        d[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    bh__http_put(o, d + i, sizeof d - i);
}

/* 1 for an extra field bh_http_response may write: a token name that is not
   one the writer owns, and a value without control characters. */
static int bh__http_extra_ok(const bh_header *h)
{
    size_t i;
    if (!h->name || !h->name_len || (!h->value && h->value_len)) return 0;
    for (i = 0; i < h->name_len; i++)
        if (!bh__http_tchar((unsigned char)h->name[i])) return 0;
    for (i = 0; i < h->value_len; i++)
        if (bh__http_ctl((unsigned char)h->value[i])) return 0;
    return !bh__http_is(h->name, h->name_len, "content-length") &&
           !bh__http_is(h->name, h->name_len, "transfer-encoding") &&
           !bh__http_is(h->name, h->name_len, "connection");
}

BHDEF int bh_http_response(char *out, size_t cap, int status,
                           size_t content_length, int keep_alive,
                           const bh_header *extra, size_t nextra)
{
    bh__http_out o;
    size_t i;
    if (status < 100 || status > 999 || (!out && cap) || (!extra && nextra))
        return BH_EINVAL;
    for (i = 0; i < nextra; i++)
        if (!bh__http_extra_ok(&extra[i])) return BH_EINVAL;
    o.p = out;
    o.cap = cap;
    o.n = 0;
    bh__http_puts(&o, "HTTP/1.1 ");
    bh__http_putu(&o, (size_t)status);
    bh__http_puts(&o, " ");
    bh__http_puts(&o, bh_http_reason(status));
    bh__http_puts(&o, "\r\n");
    if (status >= 200 && status != 204 && status != 304) {
        bh__http_puts(&o, "Content-Length: ");
        bh__http_putu(&o, content_length);
        bh__http_puts(&o, "\r\n");
    }
    if (status >= 200)
        bh__http_puts(&o, keep_alive ? "Connection: keep-alive\r\n"
                                   : "Connection: close\r\n");
    for (i = 0; i < nextra; i++) {
        bh__http_put(&o, extra[i].name, extra[i].name_len);
        bh__http_puts(&o, ": ");
        bh__http_put(&o, extra[i].value, extra[i].value_len);
        bh__http_puts(&o, "\r\n");
    }
    bh__http_puts(&o, "\r\n");
    if (cap) out[o.n < cap ? o.n : cap - 1] = '\0';
    return o.n > 0x7fffffff ? BH_EINVAL : (int)o.n;
}

/* ==== sender =========================================================== */

/* ==== transports ======================================================= */

#ifdef __cplusplus
}
#endif
#endif /* BLUEHOOK_IMPLEMENTATION_DONE */
#endif /* BLUEHOOK_IMPLEMENTATION */

/*
   ======================================================================
   LICENCE (MIT)
   ======================================================================
   Copyright (c) 2026 the bluehook authors

   Permission is hereby granted, free of charge, to any person obtaining a
   copy of this software and associated documentation files (the "Software"),
   to deal in the Software without restriction, including without limitation
   the rights to use, copy, modify, merge, publish, distribute, sublicense,
   and/or sell copies of the Software, and to permit persons to whom the
   Software is furnished to do so, subject to the following conditions:

   The above copyright notice and this permission notice shall be included in
   all copies or substantial portions of the Software.

   THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
   IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
   FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
   AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
   LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING
   FROM, OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER
   DEALINGS IN THE SOFTWARE.
*/
