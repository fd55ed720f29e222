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
       signatures     bh_key, bh_sign, bh_verify for Blue, Standard
                      Webhooks, GitHub and Stripe; the replay cache
       http           (not yet part of this header)
       sender         the transport and store interfaces (the outbox is
                      not yet part of this header)
       transports     URL parsing, the internal-address policy, the POSIX
                      socket and libcurl transports, the file journal

   Hashing a body and checking a MAC
   ---------------------------------
       bh_hmac_key k;                              prepare the secret once
       bh_hmac_key_init(&k, secret, secret_len);
       uint8_t mac[32], got[32];
       bh_hmac(&k, body, body_len, mac);           then per message
       if (bh_hex_decode(got, sizeof got, hdr, hdr_len) == 32
           && bh_ct_equal(mac, got, 32)) accept();
       bh_wipe(&k, sizeof k);                      when the key is retired

   Verifying a delivery (any scheme, with key rotation)
   ----------------------------------------------------
       bh_key keys[2];                             prepare secrets once
       bh_key_init(&keys[0], BH_SCHEME_BLUE, new_secret, new_len);
       bh_key_init(&keys[1], BH_SCHEME_BLUE, old_secret, old_len);
       bh_verified v;                              then per request
       int r = bh_verify_ex(keys, 2, headers, nheaders, body, body_len,
                            (int64_t)time(NULL), 0, &v);
       if (r != BH_OK) return reject(bh_strerror(r));     401
       if (v.key == 1) note("the old secret is still in use");

   Keys of different schemes may share the list: each key is tried under
   its own scheme. bh_verify is the same without the report. The schemes:
       BH_SCHEME_BLUE      X-Signature: hex(HMAC(secret, body))
       BH_SCHEME_STANDARD  webhook-id, webhook-timestamp, webhook-signature:
                           "v1," base64(HMAC(key, id "." ts "." body)); key
                           = base64 of the secret after "whsec_" (optional);
                           svix-* header names are accepted too
       BH_SCHEME_GITHUB    X-Hub-Signature-256: "sha256=" hex(HMAC(secret,
                           body))
       BH_SCHEME_STRIPE    Stripe-Signature: "t=" ts ",v1=" hex(HMAC(secret,
                           ts "." body)); the secret, "whsec_" included, as is
   Signing: n = bh_sign(&key, msg_id, time(NULL), body, len, hdrs, 3, buf,
   sizeof buf) writes n headers whose values point into buf.

   Where bluehook differs from the schemes' own libraries, on purpose:
   - Stripe: a timestamp more than the tolerance in the future is rejected
     too (Stripe's library rejects only old ones). As in that library,
     "t=..., v1=..." with a space after the comma has no "v1" entry.
   - GitHub: hex is accepted in either case (@octokit/webhooks-methods
     rejects uppercase); the "sha256=" prefix is required.
   - Standard and Stripe: a v1 entry that does not decode to 32 bytes makes
     the header malformed (the libraries skip it); a header with no v1
     entry at all is malformed. Unknown versions are ignored.
   - Timestamps are strict: decimal digits, no sign, no leading zero.
   - Bodies are bytes. The JavaScript libraries sign text: a body that is
     not valid UTF-8 is altered before they sign it, so their signature of
     such a body differs from anyone's byte-exact one.
   The error precedence and the header rules are at bh_verify's
   declaration.

   Replay protection
   -----------------
       static bh_replay_slot slots[1024];          caller memory, fixed size
       bh_replay cache;
       bh_replay_init(&cache, slots, 1024);
       ...after bh_verify_ex succeeded:
       bh_replay_id id;
       bh_replay_id_init(&id, &v, headers, nheaders, NULL, 0, 0);
       switch (bh_replay_reserve(&cache, &id, now)) {
       case BH_OK: break;                          new: handle it
       case BH_EREPLAY: return answer(200);        seen: drop it
       default: return answer(409);                in flight, or cache full
       }
       if (handle(body) == 0) bh_replay_commit(&cache, &id);
       else bh_replay_release(&cache, &id);        so the retry is handled

   The id is the caller's own when given (for Stripe, pass the event's "id"
   from the body: Stripe signs each retry anew), else Standard's webhook-id,
   GitHub's X-GitHub-Delivery when present, else the MAC that matched
   (Blue sends neither id nor timestamp). An id is remembered for its
   window: 2 x tolerance for Standard and Stripe (a message up to the
   tolerance in the future is still accepted that much later), 24 h for
   Blue and GitHub, which have no timestamp: a Blue or GitHub replay older
   than 24 h is accepted (raise id.window_s to remember longer). Note that
   X-GitHub-Delivery is not signed: to catch a replay that changes it, pass
   the MAC's hex as your own id. When the cache is full the oldest id not in
   flight is forgotten; an id in flight expires after its window too (a
   handler that never returned). Lookups scan the slots: keep it to a few
   thousand.

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
   prepared bh_hmac_key or bh_key is only read after its init, so many
   threads may sign and verify with one key at the same time. A bh_replay
   cache is written by every call: use one cache per thread, or install
   lock hooks with bh_replay_set_lock (e.g. a pthread mutex's lock and
   unlock), which every replay call brackets itself with.

   Constant time
   -------------
   Secrets and MACs are never branched on and never used as an index: HMAC,
   the portable SHA-256 and bh_ct_equal are checked under valgrind with the key
   and the MACs marked undefined (tests/ctgrind.c). The SHA-NI and ARMv8 paths
   are constant time by construction: the SHA instructions have fixed latency
   and the code around them has no data-dependent branch or load. Temporaries
   that held key material are wiped before returning.
   bh_key_init branches only on the secret's length (public): a Standard
   secret's base64 is decoded with arithmetic, its one conditional is the
   decoder's verdict, and a key over 64 bytes is hashed for each of its
   possible lengths with the right digest kept by a mask. bh_verify decodes
   the received signatures (public) first, then compares the MAC with every
   one of them, without early exit; its one conditional per key is the
   verdict. tests/ctgrind.c asserts these counts for every scheme.

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
       BLUEHOOK_NO_POSIX         leave out the POSIX parts (socket transport,
                                 file journal) where POSIX is visible; they
                                 cost nothing unless called
       BLUEHOOK_CURL             add the libcurl transport (link -lcurl)

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
       BH_EINFLIGHT  -30    id reserved, its delivery still in flight
       BH_ENOTRESERVED -31  id not reserved in the replay cache
       BH_EREPLAYFULL -32   replay cache full of ids in flight

       (events, webhooks and filters)

       (http)

       (sender and transports)
       BH_ECONNECT   -60    connection refused or unreachable
       BH_ETIMEOUT   -61    no answer within the timeout
       BH_ERESET     -62    connection reset or closed early
       BH_EDNS       -63    the host name did not resolve
       BH_EURL       -64    a URL that cannot be delivered to
       BH_EFORBIDDEN -65    a destination the policy refuses
       BH_ENOTLS     -66    https, and this transport has no TLS
       BH_EIO        -67    storage failed
       BH_ECORRUPT   -68    stored data damaged (not a torn last write)

*/
#ifndef BLUEHOOK_H
#define BLUEHOOK_H

#include <stddef.h>
#include <stdint.h>

#define BLUEHOOK_VERSION_MAJOR 0
#define BLUEHOOK_VERSION_MINOR 1
#define BLUEHOOK_VERSION_PATCH 0
#define BLUEHOOK_VERSION "0.1.0"

/* The POSIX parts (the socket transport, the file journal) are built where
   the platform has POSIX and the compiler mode shows it: gnu99/gnu11, C++,
   or _POSIX_C_SOURCE >= 200112L defined before the first #include. */
#if !defined(BLUEHOOK_NO_POSIX) && (defined(__unix__) || defined(__APPLE__)) && \
    (!defined(__STRICT_ANSI__) || defined(_GNU_SOURCE) ||                      \
     defined(_DEFAULT_SOURCE) ||                                               \
     (defined(_POSIX_C_SOURCE) && _POSIX_C_SOURCE >= 200112L) ||               \
     (defined(_XOPEN_SOURCE) && _XOPEN_SOURCE >= 600))
#define BLUEHOOK_HAS_POSIX 1
#endif

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
#define BH_EINFLIGHT (-30)    /* id reserved, its delivery still in flight */
#define BH_ENOTRESERVED (-31) /* id not reserved in the replay cache */
#define BH_EREPLAYFULL (-32)  /* replay cache full of ids in flight */

/* events, webhooks and filters: -40 .. -49 */

/* http: -50 .. -59 */

/* sender and transports: -60 .. -79 */
#define BH_ECONNECT (-60)   /* connection refused or unreachable */
#define BH_ETIMEOUT (-61)   /* no answer within the timeout */
#define BH_ERESET (-62)     /* connection reset or closed early */
#define BH_EDNS (-63)       /* the host name did not resolve */
#define BH_EURL (-64)       /* a URL that cannot be delivered to */
#define BH_EFORBIDDEN (-65) /* a destination the policy refuses */
#define BH_ENOTLS (-66)     /* https, and this transport has no TLS */
#define BH_EIO (-67)        /* storage failed */
#define BH_ECORRUPT (-68)   /* stored data damaged (not a torn last write) */


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

/* The signature schemes. Blue: X-Signature = hex(HMAC(secret, body)).
   Standard Webhooks: webhook-id, webhook-timestamp, webhook-signature =
   "v1," base64(HMAC(base64-decoded secret, id "." timestamp "." body)).
   GitHub: X-Hub-Signature-256 = "sha256=" hex(HMAC(secret, body)).
   Stripe: Stripe-Signature = "t=" timestamp ",v1=" hex(HMAC(secret,
   timestamp "." body)). */
typedef enum bh_scheme {
    BH_SCHEME_BLUE,
    BH_SCHEME_STANDARD,
    BH_SCHEME_GITHUB,
    BH_SCHEME_STRIPE
} bh_scheme;

/* A secret prepared once for one scheme: the scheme and the HMAC pads.
   Only bh_key_init makes a key usable; a zeroed key is never accepted. */
typedef struct bh_key {
    bh_hmac_key hmac; /* the HMAC state after the key's pads */
    bh_scheme scheme; /* public: the scheme the key signs and verifies */
    uint32_t ready;   /* set by bh_key_init */
} bh_key;

#define BH_TOLERANCE_DEFAULT 300  /* seconds, when tolerance_s is 0 */
#define BH_SIG_VALUE_MAX 4096     /* longest signature header value read */
#define BH_STANDARD_KEY_MAX 510   /* longest decoded Standard secret */
#define BH_SIGN_BUF(id_len) (128 + (id_len)) /* enough buf for bh_sign */

/* Prepare a secret for a scheme. Blue, GitHub and Stripe use the secret's
   bytes as they are (Stripe's "whsec_" included). Standard base64-decodes
   it after an optional "whsec_" prefix. BH_OK, or BH_EINVAL for an empty
   secret, an unknown scheme, or a Standard secret that is not padded
   base64 of 1 to BH_STANDARD_KEY_MAX bytes (the key is then zeroed). */
BHDEF int bh_key_init(bh_key *key, bh_scheme scheme, const char *secret,
                      size_t len);
/* Like bh_key_init, but a Standard secret is used as raw bytes, not
   decoded (the Standard Webhooks libraries' "raw" format). */
BHDEF int bh_key_init_raw(bh_key *key, bh_scheme scheme, const char *secret,
                          size_t len);

/* Sign a body: writes the scheme's headers into out (Blue, GitHub, Stripe:
   1; Standard: webhook-id, webhook-timestamp, webhook-signature) and returns
   how many. Values are NUL-terminated in buf (BH_SIGN_BUF(strlen(msg_id))
   bytes always suffice); names are static strings. msg_id (a C string of
   printable ASCII) is used by Standard only, timestamp (Unix seconds, >= 0)
   by Standard and Stripe. BH_ENOKEY (key not prepared), BH_EINVAL (bad
   msg_id or timestamp) or BH_ESPACE (out_cap or buf_cap too small). */
BHDEF int bh_sign(const bh_key *key, const char *msg_id, int64_t timestamp,
                  const void *body, size_t body_len, bh_header *out,
                  size_t out_cap, char *buf, size_t buf_cap);

/* Verify a request with one or more keys, each under its own scheme; any
   match returns BH_OK (key rotation, scheme migration). Otherwise:
     BH_ENOKEY      no prepared key
     BH_ENOSIG      the scheme's signature header is absent
     BH_EMALFORMED  the header (or Standard's id/timestamp) is malformed,
                    over BH_SIG_VALUE_MAX, or carries no v1 signature
     BH_ESIG        well-formed, but no signature matches
     BH_ESTALE      a signature matches, but the timestamp is more than
                    tolerance_s (0 = 300 s) away from now, either way
   When keys disagree, the answer of the key that got furthest wins:
   BH_ESTALE over BH_ESIG over BH_EMALFORMED over BH_ENOSIG. Header names
   match case-insensitively; values are trimmed of spaces and tabs. */
BHDEF int bh_verify(const bh_key *keys, size_t nkeys,
                    const bh_header *headers, size_t nheaders,
                    const void *body, size_t body_len, int64_t now,
                    uint32_t tolerance_s);

/* What a successful verification matched. */
typedef struct bh_verified {
    size_t key;        /* index of the first key that matched */
    bh_scheme scheme;  /* that key's scheme */
    int64_t timestamp; /* the signed timestamp; -1 for Blue and GitHub */
    uint8_t mac[32];   /* the MAC that matched (public: the sender sent it) */
} bh_verified;

/* bh_verify, also reporting which key matched (to watch a rotation end);
   *out is written on BH_OK only. */
BHDEF int bh_verify_ex(const bh_key *keys, size_t nkeys,
                       const bh_header *headers, size_t nheaders,
                       const void *body, size_t body_len, int64_t now,
                       uint32_t tolerance_s, bh_verified *out);

/* ---- replay cache ---- */

#define BH_REPLAY_WINDOW_NO_TIMESTAMP 86400 /* Blue, GitHub: 24 h */

/* A delivery's identity for the replay cache: a digest of the id. */
typedef struct bh_replay_id {
    uint8_t digest[16];
    uint32_t window_s; /* how long it is remembered; may be changed */
} bh_replay_id;

/* One remembered id; the caller provides an array of them. */
typedef struct bh_replay_slot {
    uint8_t digest[16];
    int64_t expires; /* forgotten from this time on */
    uint64_t order;  /* when it was reserved, for eviction */
    uint32_t state;  /* free, reserved or committed */
} bh_replay_slot;

/* A fixed-size cache of recently seen ids, in caller memory. */
typedef struct bh_replay {
    bh_replay_slot *slots;
    size_t nslots;
    uint64_t order;          /* the last order given */
    void (*lock)(void *);    /* optional hooks around every call */
    void (*unlock)(void *);
    void *lock_arg;
} bh_replay;

/* The replay id of a delivery verified as v: own_id when given (for
   Stripe, pass the event's "id" from the body: Stripe signs each retry
   anew), else Standard's webhook-id (or svix-id), GitHub's
   X-GitHub-Delivery when present, else the MAC that matched. The window is
   2 * tolerance_s (0 = 300 s) for Standard and Stripe, whose verification
   rejects anything older, and 24 h for Blue and GitHub. v may be NULL when
   own_id is given (window 24 h). BH_OK or BH_EINVAL. */
BHDEF int bh_replay_id_init(bh_replay_id *id, const bh_verified *v,
                            const bh_header *headers, size_t nheaders,
                            const void *own_id, size_t own_len,
                            uint32_t tolerance_s);
/* Start an empty cache over nslots caller slots. BH_OK or BH_EINVAL. */
BHDEF int bh_replay_init(bh_replay *r, bh_replay_slot *slots, size_t nslots);
/* Set lock hooks called around every operation (NULL for none). */
BHDEF void bh_replay_set_lock(bh_replay *r, void (*lock)(void *),
                              void (*unlock)(void *), void *arg);
/* Reserve an id before handling its delivery. BH_OK (handle it), or
   BH_EREPLAY (committed earlier and not expired: drop it), BH_EINFLIGHT
   (reserved and not yet committed or released: answer "retry later"),
   BH_EREPLAYFULL (every slot holds an id in flight). When the cache is
   full the oldest id not in flight is forgotten. */
BHDEF int bh_replay_reserve(bh_replay *r, const bh_replay_id *id,
                            int64_t now);
/* The handler succeeded: remember the id until its window ends. BH_OK or
   BH_ENOTRESERVED. */
BHDEF int bh_replay_commit(bh_replay *r, const bh_replay_id *id);
/* The handler failed: forget the id, so that the sender's retry is handled.
   BH_OK or BH_ENOTRESERVED. */
BHDEF int bh_replay_release(bh_replay *r, const bh_replay_id *id);

/* ==== http ============================================================= */

/* ==== sender =========================================================== */

/* One POST for a transport to deliver; views into the caller's memory. */
typedef struct bh_post {
    const char *url;           /* NUL-terminated; http:// or https:// */
    const bh_header *headers;  /* sent as given (Content-Type among them) */
    size_t nheaders;
    const void *body;
    size_t body_len;
    uint32_t timeout_ms;       /* the whole attempt: connect, send, answer */
} bh_post;

/* A transport delivers one POST. It returns the HTTP status (100-599), or a
   negative error: BH_EURL, BH_ENOTLS, BH_EFORBIDDEN, BH_EDNS, BH_ECONNECT,
   BH_ETIMEOUT, BH_ERESET, or BH_ETRANSPORT for anything else. It must not
   follow redirects. ctx is the transport's own (options, a handle). */
typedef int (*bh_transport)(void *ctx, const bh_post *post);

/* What a delivery is, for the sender and its store. */
#define BH_DELIVERY_PENDING 1 /* waiting for its next attempt */
#define BH_DELIVERY_DEAD 2    /* attempts exhausted: kept for replay */
#define BH_DELIVERY_DONE 3    /* delivered (a 2xx) or dropped */

/* The kinds of record a store keeps. */
#define BH_RECORD_EVENT 1    /* an event: the body parts all its deliveries share */
#define BH_RECORD_DELIVERY 2 /* a delivery of the event recorded just before */
#define BH_RECORD_STATE 3    /* a delivery's new state */

/* One record; views into the caller's memory. */
typedef struct bh_store_record {
    uint8_t kind;          /* BH_RECORD_* */
    uint8_t state;         /* DELIVERY, STATE: a BH_DELIVERY_* state */
    uint8_t attempts;      /* DELIVERY: attempts made so far */
    const char *id;        /* DELIVERY, STATE: the delivery id */
    size_t id_len;
    const char *webhook_id; /* DELIVERY: the webhook it goes to */
    size_t webhook_id_len;
    const uint8_t *data;   /* EVENT: the shared body; DELIVERY: the webhook
                              object as sent */
    size_t data_len;
    size_t head_len;       /* EVENT: bytes of data before the webhook object */
} bh_store_record;

#define BH_REWRITE_BEGIN 1  /* appends from now on build a fresh copy */
#define BH_REWRITE_COMMIT 2 /* the fresh copy replaces the old, atomically */
#define BH_REWRITE_ABORT 3  /* the fresh copy is thrown away */

/* Persistence for the sender: a restart resumes every undelivered and
   dead-lettered delivery. bluehook's file journal implements it; an MCU can
   implement it on flash. */
typedef struct bh_store {
    void *ctx;
    /* Keep n records as one atomic batch; durable before it returns BH_OK. */
    int (*append)(void *ctx, const bh_store_record *recs, size_t n);
    /* Call emit with every record kept, in order; stop at its first error. */
    int (*load)(void *ctx, int (*emit)(void *arg, const bh_store_record *r),
                void *arg);
    /* Compaction: BH_REWRITE_BEGIN, the live records appended, then
       BH_REWRITE_COMMIT (or BH_REWRITE_ABORT). May be NULL. */
    int (*rewrite)(void *ctx, int phase);
} bh_store;

/* ==== transports ======================================================= */

/* The parts of an http(s) URL; views into it. */
typedef struct bh_url {
    int https;                /* 1 for https, 0 for http */
    const char *host;         /* an IPv6 literal comes without its brackets */
    size_t host_len;
    uint16_t port;            /* the default port when the URL has none */
    const char *path;         /* from the first '/', query included, no fragment */
    size_t path_len;          /* 0 when the URL has no path: send "/" */
} bh_url;

/* Split an absolute http:// or https:// URL. BH_EURL for any other scheme,
   user info ("user@"), an empty host, a bad port, or a byte that does not
   belong in a URL (controls, spaces, non-ASCII). */
BHDEF int bh_url_parse(bh_url *u, const char *url, size_t len);

/* 1 when an address (4 bytes IPv4 or 16 bytes IPv6, network order) is one a
   webhook must not reach: 0.0.0.0/8, 127/8, 10/8, 172.16/12, 192.168/16,
   100.64/10, 169.254/16 (cloud metadata), 224/4 multicast, 240/4 reserved
   and broadcast; ::, ::1, fc00::/7, fe80::/10 and fec0::/10 (link and site
   local), ff00::/8; and the IPv4
   addresses embedded in IPv6 (::ffff:0:0/96 mapped, ::/96 compatible,
   64:ff9b::/96 NAT64, 2002::/16 6to4) by the IPv4 rule. Else 0. */
BHDEF int bh_ip_is_internal(const uint8_t *addr, size_t len);

/* Options of the built-in socket and libcurl transports. */
typedef struct bh_transport_opts {
    int refuse_internal;      /* 1: refuse destinations bh_ip_is_internal
                                 names, checking every address the host
                                 resolves to and connecting only to those */
    uint32_t max_drain;       /* response bytes read after the status line;
                                 0 means 65536 */
} bh_transport_opts;

/* The built-in POSIX socket transport: HTTP/1.1 over plain TCP, http://
   only (https is BH_ENOTLS: use bh_transport_curl or your TLS stack). ctx is
   a bh_transport_opts, or NULL for the defaults. It resolves the host,
   connects within the timeout, sends the request, reads the status line and
   drains the answer. Built where POSIX is visible (see the manual). */
#ifdef BLUEHOOK_HAS_POSIX
BHDEF int bh_transport_socket(void *ctx, const bh_post *post);
#endif

#ifdef BLUEHOOK_HAS_POSIX
/* A bh_store in one append-only file. Each batch is one frame, "BHJ1",
   its length, its records, and a CRC-32, written with one write() and
   fsync'd before append returns (STATE records alone are fsync'd only when
   sync_states is set: a lost one means one more attempt, which receivers
   dedupe by delivery id or MAC). Loading stops at a torn last frame and
   cuts it off; a damaged frame followed by good ones is BH_ECORRUPT.
   Compaction writes a fresh file beside it and renames it over. */
typedef struct bh_journal {
    int fd, tmp_fd;
    int sync_states;       /* 1: fsync STATE records too */
    uint32_t writes;       /* frames written since open */
    uint32_t crash_after;  /* tests only: _exit(86) after this many writes */
    uint8_t *buf;          /* holds one frame while loading */
    size_t cap;
    char path[240];
} bh_journal;

/* Open (or create) the journal at path; buf holds the largest frame to
   load (the largest event with its deliveries). BH_EIO when the file cannot
   be opened, BH_EINVAL for a path of 230 bytes or more. */
BHDEF int bh_journal_open(bh_journal *j, const char *path, void *buf,
                          size_t cap);
/* Close the journal's file. */
BHDEF void bh_journal_close(bh_journal *j);
/* The store interface over an open journal. */
BHDEF bh_store bh_journal_store(bh_journal *j);
#endif

#ifdef BLUEHOOK_CURL
/* A struct for bh_transport_curl's ctx: a CURL easy handle the caller owns
   (and reuses, so connections are kept alive) and the options. */
typedef struct bh_curl_transport {
    void *curl;               /* CURL *, from curl_easy_init() */
    bh_transport_opts opts;
} bh_curl_transport;

/* The libcurl transport (http and https): ctx is a bh_curl_transport. With
   refuse_internal, the host is resolved and checked here and libcurl is
   pinned to the checked addresses (CURLOPT_RESOLVE). */
BHDEF int bh_transport_curl(void *ctx, const bh_post *post);
#endif

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

/* clang before 16 declares the SHA-256 intrinsics only when the whole file
   targets them (-march=armv8-a+crypto); then the path is portable only. */
#if !defined(BLUEHOOK_NO_ASM) && (defined(__GNUC__) || defined(__clang__)) && \
    !defined(__TINYC__) && defined(__aarch64__) &&                            \
    (!defined(__clang__) || defined(__ARM_FEATURE_SHA2) ||                     \
     __clang_major__ >= 16)
#define BH__ARM_SHA 1
#include <arm_neon.h>
#if defined(__linux__)
#include <sys/auxv.h>
#endif
#endif

#ifdef BLUEHOOK_HAS_POSIX
#define BH__POSIX 1
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h> /* rename(), for the journal's compaction; no streams */
#include <sys/socket.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>
#endif

#ifdef BLUEHOOK_CURL
#include <curl/curl.h>
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
    case BH_EINFLIGHT: return "already in flight";
    case BH_ENOTRESERVED: return "id not reserved";
    case BH_EREPLAYFULL: return "replay cache full";

    /* events, webhooks and filters */

    /* http */

    /* sender and transports */
    case BH_ECONNECT: return "connection refused or unreachable";
    case BH_ETIMEOUT: return "timed out";
    case BH_ERESET: return "connection reset";
    case BH_EDNS: return "host name did not resolve";
    case BH_EURL: return "URL not deliverable";
    case BH_EFORBIDDEN: return "destination refused by policy";
    case BH_ENOTLS: return "https needs a TLS transport";
    case BH_EIO: return "storage failed";
    case BH_ECORRUPT: return "stored data damaged";

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
    for (i = 0; i < n; i++) /* a NULL name of length 0 is the empty name */
        if ((headers[i].name || !headers[i].name_len) &&
            bh__ieq(headers[i].name, headers[i].name_len, name))
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
    bh_wipe(st, sizeof st); /* it may have hashed a key */
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

#define BH__KEY_READY 0x6b657921u
#define BH__STANDARD_B64_MAX (BH_STANDARD_KEY_MAX / 3 * 4)

static const char bh__name_blue[] = "X-Signature";
static const char bh__name_github[] = "X-Hub-Signature-256";
static const char bh__name_stripe[] = "Stripe-Signature";
static const char bh__name_std_id[] = "webhook-id";
static const char bh__name_std_ts[] = "webhook-timestamp";
static const char bh__name_std_sig[] = "webhook-signature";

static int bh__scheme_known(bh_scheme s)
{
    return s == BH_SCHEME_BLUE || s == BH_SCHEME_STANDARD ||
           s == BH_SCHEME_GITHUB || s == BH_SCHEME_STRIPE;
}

static int bh__key_ready(const bh_key *k)
{
    return k && k->ready == BH__KEY_READY && bh__scheme_known(k->scheme);
}

static int bh__has_timestamp(bh_scheme s)
{
    return s == BH_SCHEME_STANDARD || s == BH_SCHEME_STRIPE;
}

/* The 64-byte HMAC key block for a decoded key of n bytes at `key`, of
   which the last pad (0..2) are not key bytes. pad comes from the secret's
   '=' characters, so it is never branched on: for a key over 64 bytes each
   possible length is hashed and the right digest kept with a mask. Only n,
   the length of the secret, decides a branch. */
static void bh__key_block(uint8_t block[64], const uint8_t *key, size_t n,
                          size_t pad)
{
    uint8_t cand[64];
    size_t p, i;
    memset(block, 0, 64);
    if (n <= 64) { /* bytes under the padding decode as zero */
        memcpy(block, key, n);
        return;
    }
    for (p = 0; p < 3; p++) {
        size_t klen = n - p;
        uint8_t mask = (uint8_t)bh__in_range((uint32_t)pad, (uint32_t)p,
                                             (uint32_t)p);
        memset(cand, 0, sizeof cand);
        if (klen > 64)
            bh_sha256(key, klen, cand);
        else
            memcpy(cand, key, klen);
        for (i = 0; i < 64; i++) block[i] |= (uint8_t)(cand[i] & mask);
    }
    bh_wipe(cand, sizeof cand);
}

/* A Standard secret ("whsec_" + padded base64, or the base64 alone) to its
   64-byte HMAC key block, in constant time. Returns BH_EINVAL for a bad
   length or prefix (public), else BH_OK with the decoder's verdict in
   *verdict (0 when the base64 is valid); the block is built whatever the
   verdict, so that nothing depends on it but the caller's masks. The prefix is a fixed marker, not key
   material; its presence follows from the length (a valid secret's base64
   part is a multiple of 4 long). */
static int bh__standard_block(uint8_t block[64], const char *s, size_t len,
                              int *verdict)
{
    uint8_t buf[BH__STANDARD_B64_MAX / 4 * 3];
    size_t n, pad = 0, i;
    if (len % 4 == 2) {
        if (len < 6) return BH_EINVAL;
        for (i = 0; i < 6; i++)
            if (s[i] != "whsec_"[i]) return BH_EINVAL;
        s += 6;
        len -= 6;
    }
    if (len == 0 || len % 4 || len > BH__STANDARD_B64_MAX) return BH_EINVAL;
    n = len / 4 * 3;
    *verdict = bh__base64_decode_ct(buf, s, len, &pad);
    bh__key_block(block, buf, n, pad);
    bh_wipe(buf, n);
    return BH_OK;
}

/* Keep the n bytes at p when mask is all-ones, zero them when it is 0. */
static void bh__mask_bytes(void *p, size_t n, uint32_t mask)
{
    uint8_t *b = (uint8_t *)p;
    size_t i;
    for (i = 0; i < n; i++) b[i] = (uint8_t)(b[i] & mask);
}

static int bh__key_init(bh_key *key, bh_scheme scheme, const char *secret,
                        size_t len, int decode)
{
    uint8_t block[64];
    uint32_t valid;
    int r;
    if (!key) return BH_EINVAL;
    memset(key, 0, sizeof *key);
    if (!bh__scheme_known(scheme) || !secret || !len) return BH_EINVAL;
    if (scheme == BH_SCHEME_STANDARD && decode) {
        if (bh__standard_block(block, secret, len, &r) != BH_OK)
            return BH_EINVAL; /* a public length or prefix */
        /* the decoder's verdict is its one branch; from here on it is
           applied with masks, so that nothing branches on it again */
        valid = bh__in_range((uint32_t)r, 0, 0);
        bh_hmac_key_init(&key->hmac, block, sizeof block);
        bh_wipe(block, sizeof block);
        key->scheme = scheme;
        key->ready = BH__KEY_READY & valid;
        bh__mask_bytes(key, sizeof *key, valid);
        return (int)(~valid & (uint32_t)BH_EINVAL);
    } else {
        bh_hmac_key_init(&key->hmac, secret, len);
    }
    key->scheme = scheme;
    key->ready = BH__KEY_READY;
    return BH_OK;
}

BHDEF int bh_key_init(bh_key *key, bh_scheme scheme, const char *secret,
                      size_t len)
{
    return bh__key_init(key, scheme, secret, len, 1);
}

BHDEF int bh_key_init_raw(bh_key *key, bh_scheme scheme, const char *secret,
                          size_t len)
{
    return bh__key_init(key, scheme, secret, len, 0);
}

/* The MAC of [id "."] [ts "."] body; id is Standard's, ts Standard's and
   Stripe's (empty when the scheme has none). */
static void bh__scheme_mac(const bh_key *k, const char *id, size_t id_len,
                           const char *ts, size_t ts_len, const void *body,
                           size_t len, uint8_t mac[32])
{
    bh_hmac_ctx c;
    if (!ts_len) {
        bh_hmac(&k->hmac, body, len, mac);
        return;
    }
    bh_hmac_init(&c, &k->hmac);
    if (id_len) {
        bh_hmac_update(&c, id, id_len);
        bh_hmac_update(&c, ".", 1);
    }
    bh_hmac_update(&c, ts, ts_len);
    bh_hmac_update(&c, ".", 1);
    bh_hmac_update(&c, body, len);
    bh_hmac_final(&c, mac);
    bh_wipe(&c, sizeof c);
}

/* Decimal digits of v into out (at least 20 bytes); returns the count. */
static size_t bh__format_u64(char *out, uint64_t v)
{
    char tmp[20];
    size_t n = 0, i;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    for (i = 0; i < n; i++) out[i] = tmp[n - 1 - i];
    return n;
}

/* A strict decimal timestamp: digits only, no sign, no leading zero, at
   most INT64_MAX. 1 and *out set, or 0. */
static int bh__parse_timestamp(const char *s, size_t n, int64_t *out)
{
    uint64_t v = 0;
    size_t i;
    if (n == 0 || n > 19 || (n > 1 && s[0] == '0')) return 0;
    for (i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') return 0;
        v = v * 10 + (uint64_t)(s[i] - '0');
    }
    if (v > (uint64_t)INT64_MAX) return 0;
    *out = (int64_t)v;
    return 1;
}

/* Length of a Standard message id (a C string of printable ASCII, no
   space), or 0 when it is not one. */
static size_t bh__msg_id_len(const char *id)
{
    size_t n = 0;
    if (!id) return 0;
    for (; id[n]; n++)
        if (n == BH_SIG_VALUE_MAX || (unsigned char)id[n] <= ' ' ||
            (unsigned char)id[n] >= 0x7f)
            return 0;
    return n;
}

static void bh__set_header(bh_header *h, const char *name, const char *value,
                           size_t len)
{
    h->name = name;
    h->name_len = strlen(name);
    h->value = value;
    h->value_len = len;
}

BHDEF int bh_sign(const bh_key *key, const char *msg_id, int64_t timestamp,
                  const void *body, size_t body_len, bh_header *out,
                  size_t out_cap, char *buf, size_t buf_cap)
{
    char ts[20];
    uint8_t mac[32];
    size_t ts_len = 0, id_len = 0, need, nhdr = 1, o = 0;
    bh_scheme s;
    if (!bh__key_ready(key)) return BH_ENOKEY;
    s = key->scheme;
    if (!body && body_len) return BH_EINVAL;
    if (bh__has_timestamp(s)) {
        if (timestamp < 0) return BH_EINVAL;
        ts_len = bh__format_u64(ts, (uint64_t)timestamp);
    }
    if (s == BH_SCHEME_STANDARD) {
        id_len = bh__msg_id_len(msg_id);
        if (!id_len) return BH_EINVAL;
        nhdr = 3;
    }
    switch (s) {
    case BH_SCHEME_BLUE: need = 64 + 1; break;
    case BH_SCHEME_GITHUB: need = 7 + 64 + 1; break;
    case BH_SCHEME_STRIPE: need = 2 + ts_len + 4 + 64 + 1; break;
    default: need = id_len + 1 + ts_len + 1 + 3 + 44 + 1; break;
    }
    if (!out || out_cap < nhdr || !buf || buf_cap < need) return BH_ESPACE;
    bh__scheme_mac(key, msg_id, id_len, ts, ts_len, body, body_len, mac);
    switch (s) {
    case BH_SCHEME_BLUE:
        bh_hex_encode(buf, buf_cap, mac, 32);
        bh__set_header(&out[0], bh__name_blue, buf, 64);
        break;
    case BH_SCHEME_GITHUB:
        memcpy(buf, "sha256=", 7);
        bh_hex_encode(buf + 7, buf_cap - 7, mac, 32);
        bh__set_header(&out[0], bh__name_github, buf, 71);
        break;
    case BH_SCHEME_STRIPE:
        memcpy(buf, "t=", 2);
        memcpy(buf + 2, ts, ts_len);
        memcpy(buf + 2 + ts_len, ",v1=", 4);
        bh_hex_encode(buf + 6 + ts_len, buf_cap - 6 - ts_len, mac, 32);
        bh__set_header(&out[0], bh__name_stripe, buf, need - 1);
        break;
    default:
        memcpy(buf, msg_id, id_len);
        buf[id_len] = '\0';
        bh__set_header(&out[0], bh__name_std_id, buf, id_len);
        o = id_len + 1;
        memcpy(buf + o, ts, ts_len);
        buf[o + ts_len] = '\0';
        bh__set_header(&out[1], bh__name_std_ts, buf + o, ts_len);
        o += ts_len + 1;
        memcpy(buf + o, "v1,", 3);
        bh_base64_encode(buf + o + 3, buf_cap - o - 3, mac, 32);
        bh__set_header(&out[2], bh__name_std_sig, buf + o, 47);
        break;
    }
    bh_wipe(mac, sizeof mac);
    return (int)nhdr;
}

/* The value of header `name`, trimmed of spaces and tabs: BH_OK,
   BH_ENOSIG (absent) or BH_EMALFORMED (over BH_SIG_VALUE_MAX). */
static int bh__sig_header(const bh_header *hs, size_t n, const char *name,
                          const char **v, size_t *len)
{
    const bh_header *h = bh_header_find(hs, n, name);
    const char *p;
    size_t l;
    if (!h) return BH_ENOSIG;
    p = h->value;
    l = h->value_len;
    if (l > BH_SIG_VALUE_MAX || (!p && l)) return BH_EMALFORMED;
    while (l && (p[0] == ' ' || p[0] == '\t')) p++, l--;
    while (l && (p[l - 1] == ' ' || p[l - 1] == '\t')) l--;
    *v = p;
    *len = l;
    return BH_OK;
}

/* The next item of a list separated by sep, from *pos on; 0 at the end. */
static int bh__next_item(const char *v, size_t n, size_t *pos, char sep,
                         const char **item, size_t *len)
{
    size_t start = *pos, end = *pos;
    if (start >= n) return 0;
    while (end < n && v[end] != sep) end++;
    *item = v + start;
    *len = end - start;
    *pos = end + 1;
    return 1;
}

/* The value of a hex digit, or 256 and more. For public text only: the
   compiler may branch (bh_hex_decode is the constant-time decoder). */
static uint32_t bh__hex_digit_public(uint32_t c)
{
    uint32_t d = c - '0', a = (c | 0x20) - 'a';
    return d < 10 ? d : a < 6 ? a + 10 : 0x100;
}

/* Decode a received signature of 32 bytes: base64 for Standard, hex of
   either case for the others. Its text is public (the sender sent it), so
   this may branch on it; it is 8x faster than the constant-time decoders. */
static int bh__decode_sig(bh_scheme s, const char *p, size_t n,
                          uint8_t sig[32])
{
    uint32_t bad = 0, hi, lo;
    size_t i;
    if (s == BH_SCHEME_STANDARD)
        return n == 44 && bh_base64_decode(sig, 32, p, n) == 32;
    if (n != 64) return 0;
    for (i = 0; i < 32; i++) {
        hi = bh__hex_digit_public((unsigned char)p[2 * i]);
        lo = bh__hex_digit_public((unsigned char)p[2 * i + 1]);
        bad |= hi | lo;
        sig[i] = (uint8_t)(hi << 4 | (lo & 15));
    }
    return bad < 0x100;
}

/* Walk a Standard ("v1,sig v1,sig") or Stripe ("t=ts,v1=sig,v1=sig")
   signature list: every v1 entry must decode (else BH_EMALFORMED); other
   versions are ignored. Stripe's one "t" is returned in *ts. With mac,
   each v1 signature is compared with it, all of them, and the verdicts
   OR-ed into *match. Returns the number of v1 entries. */
static int bh__scan_sigs(bh_scheme s, const char *v, size_t n,
                         const uint8_t *mac, uint32_t *match,
                         const char **ts, size_t *ts_len)
{
    char sep = s == BH_SCHEME_STANDARD ? ' ' : ',';
    char kv = s == BH_SCHEME_STANDARD ? ',' : '=';
    const char *item;
    size_t pos = 0, len, klen;
    uint8_t sig[32];
    int count = 0, nts = 0;
    while (bh__next_item(v, n, &pos, sep, &item, &len)) {
        int64_t t;
        for (klen = 0; klen < len && item[klen] != kv; klen++) continue;
        if (s == BH_SCHEME_STRIPE && klen == 1 && item[0] == 't') {
            if (klen == len || nts++ ||
                !bh__parse_timestamp(item + 2, len - 2, &t))
                return BH_EMALFORMED;
            *ts = item + 2;
            *ts_len = len - 2;
            continue;
        }
        if (klen != 2 || item[0] != 'v' || item[1] != '1') continue;
        if (klen == len || !bh__decode_sig(s, item + 3, len - 3, sig))
            return BH_EMALFORMED;
        count++;
        if (mac) *match |= (uint32_t)bh_ct_equal(sig, mac, 32);
    }
    if (s == BH_SCHEME_STRIPE && !nts) return BH_EMALFORMED;
    return count ? count : BH_EMALFORMED;
}

/* |a - b| > tol, without overflow. */
static int bh__outside(int64_t a, int64_t b, uint32_t tol)
{
    uint64_t d = a > b ? (uint64_t)a - (uint64_t)b : (uint64_t)b - (uint64_t)a;
    return d > tol;
}

/* The message the scheme signs, found in the headers: the signature list
   (or the one signature), Standard's id, and the timestamp text. */
typedef struct bh__signed {
    const char *sigs, *id, *ts;
    size_t sigs_len, id_len, ts_len;
    int64_t timestamp;
} bh__signed;

static int bh__find_standard(bh__signed *m, const bh_header *hs, size_t n)
{
    int r = bh__sig_header(hs, n, bh__name_std_sig, &m->sigs, &m->sigs_len);
    if (r == BH_ENOSIG)
        r = bh__sig_header(hs, n, "svix-signature", &m->sigs, &m->sigs_len);
    if (r != BH_OK) return r;
    r = bh__sig_header(hs, n, bh__name_std_id, &m->id, &m->id_len);
    if (r == BH_ENOSIG)
        r = bh__sig_header(hs, n, "svix-id", &m->id, &m->id_len);
    if (r != BH_OK || !m->id_len) return BH_EMALFORMED;
    r = bh__sig_header(hs, n, bh__name_std_ts, &m->ts, &m->ts_len);
    if (r == BH_ENOSIG)
        r = bh__sig_header(hs, n, "svix-timestamp", &m->ts, &m->ts_len);
    if (r != BH_OK || !bh__parse_timestamp(m->ts, m->ts_len, &m->timestamp))
        return BH_EMALFORMED;
    return BH_OK;
}

/* Find and check the scheme's headers; BH_OK or the error. */
static int bh__find_signed(bh__signed *m, bh_scheme s, const bh_header *hs,
                           size_t n)
{
    int r;
    memset(m, 0, sizeof *m);
    m->timestamp = -1;
    switch (s) {
    case BH_SCHEME_BLUE:
        return bh__sig_header(hs, n, bh__name_blue, &m->sigs, &m->sigs_len);
    case BH_SCHEME_GITHUB:
        r = bh__sig_header(hs, n, bh__name_github, &m->sigs, &m->sigs_len);
        if (r != BH_OK) return r;
        if (m->sigs_len < 7 || memcmp(m->sigs, "sha256=", 7) != 0)
            return BH_EMALFORMED;
        m->sigs += 7;
        m->sigs_len -= 7;
        return BH_OK;
    case BH_SCHEME_STRIPE:
        r = bh__sig_header(hs, n, bh__name_stripe, &m->sigs, &m->sigs_len);
        if (r != BH_OK) return r;
        r = bh__scan_sigs(s, m->sigs, m->sigs_len, NULL, NULL, &m->ts,
                          &m->ts_len);
        if (r < 0) return r;
        bh__parse_timestamp(m->ts, m->ts_len, &m->timestamp);
        return BH_OK;
    default:
        r = bh__find_standard(m, hs, n);
        if (r != BH_OK) return r;
        r = bh__scan_sigs(s, m->sigs, m->sigs_len, NULL, NULL, NULL, NULL);
        return r < 0 ? r : BH_OK;
    }
}

/* Verify with one key: the received signatures are decoded and checked
   first (their text is public), then the MAC is computed and compared with
   every one of them; the one branch on secret data is the verdict. */
static int bh__verify_one(const bh_key *k, const bh_header *hs, size_t n,
                          const void *body, size_t len, int64_t now,
                          uint32_t tol, bh_verified *out)
{
    bh__signed m;
    uint8_t mac[32], sig[32];
    uint32_t match = 0;
    int r = bh__find_signed(&m, k->scheme, hs, n);
    if (r != BH_OK) return r;
    if (k->scheme == BH_SCHEME_BLUE || k->scheme == BH_SCHEME_GITHUB) {
        if (!bh__decode_sig(k->scheme, m.sigs, m.sigs_len, sig))
            return BH_EMALFORMED;
        bh__scheme_mac(k, NULL, 0, NULL, 0, body, len, mac);
        match = (uint32_t)bh_ct_equal(sig, mac, 32);
    } else {
        bh__scheme_mac(k, m.id, m.id_len, m.ts, m.ts_len, body, len, mac);
        bh__scan_sigs(k->scheme, m.sigs, m.sigs_len, mac, &match, &m.ts,
                      &m.ts_len);
    }
    if (!match) /* the verdict: the one branch on the MAC */
        r = BH_ESIG;
    else if (m.timestamp >= 0 && bh__outside(m.timestamp, now, tol))
        r = BH_ESTALE;
    else {
        out->scheme = k->scheme;
        out->timestamp = m.timestamp;
        memcpy(out->mac, mac, 32);
    }
    bh_wipe(mac, sizeof mac);
    return r;
}

/* How far a key's check got, to pick the answer when keys disagree. */
static int bh__verify_rank(int r)
{
    switch (r) {
    case BH_ENOSIG: return 1;
    case BH_EMALFORMED: return 2;
    case BH_ESIG: return 3;
    case BH_ESTALE: return 4;
    default: return 0;
    }
}

BHDEF int bh_verify_ex(const bh_key *keys, size_t nkeys,
                       const bh_header *headers, size_t nheaders,
                       const void *body, size_t body_len, int64_t now,
                       uint32_t tolerance_s, bh_verified *out)
{
    bh_verified v;
    int best = BH_ENOKEY, rank = 0;
    size_t i;
    if ((!headers && nheaders) || (!body && body_len)) return BH_EINVAL;
    if (!keys) nkeys = 0;
    if (!tolerance_s) tolerance_s = BH_TOLERANCE_DEFAULT;
    for (i = 0; i < nkeys; i++) {
        int r;
        if (!bh__key_ready(&keys[i])) continue;
        r = bh__verify_one(&keys[i], headers, nheaders, body, body_len, now,
                           tolerance_s, &v);
        if (r == BH_OK) {
            v.key = i;
            if (out) *out = v;
            bh_wipe(&v, sizeof v);
            return BH_OK;
        }
        if (bh__verify_rank(r) > rank) {
            rank = bh__verify_rank(r);
            best = r;
        }
    }
    return best;
}

BHDEF int bh_verify(const bh_key *keys, size_t nkeys,
                    const bh_header *headers, size_t nheaders,
                    const void *body, size_t body_len, int64_t now,
                    uint32_t tolerance_s)
{
    return bh_verify_ex(keys, nkeys, headers, nheaders, body, body_len, now,
                        tolerance_s, NULL);
}

/* ---- replay cache ---- */

enum { BH__SLOT_FREE, BH__SLOT_RESERVED, BH__SLOT_COMMITTED };

BHDEF int bh_replay_id_init(bh_replay_id *id, const bh_verified *v,
                            const bh_header *headers, size_t nheaders,
                            const void *own_id, size_t own_len,
                            uint32_t tolerance_s)
{
    bh_sha256_ctx c;
    uint8_t d[32], tag;
    const char *src = NULL;
    size_t src_len = 0;
    uint32_t tol = tolerance_s ? tolerance_s : BH_TOLERANCE_DEFAULT;
    if (!id) return BH_EINVAL;
    memset(id, 0, sizeof *id);
    if ((!own_id && own_len) || (!headers && nheaders)) return BH_EINVAL;
    if (!v && !own_len) return BH_EINVAL;
    if (v && !bh__scheme_known(v->scheme)) return BH_EINVAL;
    if (own_len) {
        tag = 0xff;
        src = (const char *)own_id;
        src_len = own_len;
    } else {
        tag = (uint8_t)v->scheme;
        if (v->scheme == BH_SCHEME_STANDARD &&
            bh__sig_header(headers, nheaders, bh__name_std_id, &src,
                           &src_len) != BH_OK &&
            bh__sig_header(headers, nheaders, "svix-id", &src, &src_len) !=
                BH_OK)
            return BH_EINVAL;
        if (v->scheme == BH_SCHEME_GITHUB &&
            bh__sig_header(headers, nheaders, "X-GitHub-Delivery", &src,
                           &src_len) != BH_OK)
            src = NULL;
        if (!src || !src_len) {
            tag |= 0x80; /* the MAC, not a header */
            src = (const char *)v->mac;
            src_len = 32;
        }
    }
    bh_sha256_init(&c);
    bh_sha256_update(&c, &tag, 1);
    bh_sha256_update(&c, src, src_len);
    bh_sha256_final(&c, d);
    memcpy(id->digest, d, sizeof id->digest);
    id->window_s = BH_REPLAY_WINDOW_NO_TIMESTAMP;
    if (v && bh__has_timestamp(v->scheme))
        id->window_s = tol > 0x7fffffffu ? 0xffffffffu : 2 * tol;
    return BH_OK;
}

BHDEF int bh_replay_init(bh_replay *r, bh_replay_slot *slots, size_t nslots)
{
    if (!r) return BH_EINVAL;
    memset(r, 0, sizeof *r);
    if (!slots || !nslots) return BH_EINVAL;
    memset(slots, 0, nslots * sizeof *slots);
    r->slots = slots;
    r->nslots = nslots;
    return BH_OK;
}

BHDEF void bh_replay_set_lock(bh_replay *r, void (*lock)(void *),
                              void (*unlock)(void *), void *arg)
{
    if (!r) return;
    r->lock = lock;
    r->unlock = unlock;
    r->lock_arg = arg;
}

static void bh__replay_lock(const bh_replay *r)
{
    if (r->lock) r->lock(r->lock_arg);
}

static void bh__replay_unlock(const bh_replay *r)
{
    if (r->unlock) r->unlock(r->lock_arg);
}

/* The slot holding id in the given state, or NULL. */
static bh_replay_slot *bh__replay_find(bh_replay *r, const bh_replay_id *id,
                                       uint32_t state)
{
    size_t i;
    for (i = 0; i < r->nslots; i++)
        if (r->slots[i].state == state &&
            memcmp(r->slots[i].digest, id->digest, sizeof id->digest) == 0)
            return &r->slots[i];
    return NULL;
}

BHDEF int bh_replay_reserve(bh_replay *r, const bh_replay_id *id,
                            int64_t now)
{
    bh_replay_slot *victim = NULL, *s;
    uint64_t oldest = UINT64_MAX;
    int res = BH_OK;
    size_t i;
    if (!r || !r->slots || !id) return BH_EINVAL;
    bh__replay_lock(r);
    for (i = 0; i < r->nslots; i++) {
        s = &r->slots[i];
        if (s->state != BH__SLOT_FREE && now >= s->expires)
            memset(s, 0, sizeof *s); /* expired: forgotten */
        if (s->state == BH__SLOT_FREE) {
            if (oldest) victim = s;
            oldest = 0;
            continue;
        }
        if (memcmp(s->digest, id->digest, sizeof id->digest) == 0) {
            res = s->state == BH__SLOT_RESERVED ? BH_EINFLIGHT : BH_EREPLAY;
            break;
        }
        if (s->state == BH__SLOT_COMMITTED && s->order < oldest) {
            oldest = s->order;
            victim = s;
        }
    }
    if (res == BH_OK && !victim) res = BH_EREPLAYFULL;
    if (res == BH_OK) {
        memcpy(victim->digest, id->digest, sizeof id->digest);
        victim->expires = now > INT64_MAX - (int64_t)id->window_s
                              ? INT64_MAX
                              : now + (int64_t)id->window_s;
        victim->order = ++r->order;
        victim->state = BH__SLOT_RESERVED;
    }
    bh__replay_unlock(r);
    return res;
}

BHDEF int bh_replay_commit(bh_replay *r, const bh_replay_id *id)
{
    bh_replay_slot *s;
    if (!r || !r->slots || !id) return BH_EINVAL;
    bh__replay_lock(r);
    s = bh__replay_find(r, id, BH__SLOT_RESERVED);
    if (s) s->state = BH__SLOT_COMMITTED;
    bh__replay_unlock(r);
    return s ? BH_OK : BH_ENOTRESERVED;
}

BHDEF int bh_replay_release(bh_replay *r, const bh_replay_id *id)
{
    bh_replay_slot *s;
    if (!r || !r->slots || !id) return BH_EINVAL;
    bh__replay_lock(r);
    s = bh__replay_find(r, id, BH__SLOT_RESERVED);
    if (s) memset(s, 0, sizeof *s);
    bh__replay_unlock(r);
    return s ? BH_OK : BH_ENOTRESERVED;
}

/* ==== http ============================================================= */

/* ==== sender =========================================================== */

/* ==== transports ======================================================= */

static int bh__url_byte_ok(unsigned char c) { return c > 0x20 && c < 0x7f; }

/* Parse the port digits at p (n bytes): 1..65535, else BH_EURL. */
static int bh__url_port(const char *p, size_t n, uint16_t *port)
{
    uint32_t v = 0;
    size_t i;
    if (n == 0 || n > 5) return BH_EURL;
    for (i = 0; i < n; i++) {
        if (p[i] < '0' || p[i] > '9') return BH_EURL;
        v = v * 10 + (uint32_t)(p[i] - '0');
    }
    if (v == 0 || v > 65535) return BH_EURL;
    *port = (uint16_t)v;
    return BH_OK;
}

/* Split an authority (host[:port], or [v6][:port]) into host and port. */
static int bh__url_authority(bh_url *u, const char *a, size_t n)
{
    const char *colon = NULL;
    size_t i;
    if (memchr(a, '@', n)) return BH_EURL; /* user info hides the real host */
    if (n && a[0] == '[') {
        const char *close = (const char *)memchr(a, ']', n);
        if (!close || close == a + 1) return BH_EURL;
        u->host = a + 1;
        u->host_len = (size_t)(close - a - 1);
        if (close + 1 == a + n) return BH_OK;
        if (close[1] != ':') return BH_EURL;
        return bh__url_port(close + 2, (size_t)(a + n - close - 2), &u->port);
    }
    for (i = 0; i < n; i++)
        if (a[i] == ':') {
            if (colon) return BH_EURL; /* an IPv6 literal needs brackets */
            colon = a + i;
        }
    u->host = a;
    u->host_len = colon ? (size_t)(colon - a) : n;
    if (!u->host_len) return BH_EURL;
    return colon ? bh__url_port(colon + 1, (size_t)(a + n - colon - 1), &u->port)
                 : BH_OK;
}

BHDEF int bh_url_parse(bh_url *u, const char *url, size_t len)
{
    size_t i, start, end;
    if (!u || !url) return BH_EINVAL;
    memset(u, 0, sizeof *u);
    for (i = 0; i < len; i++)
        if (!bh__url_byte_ok((unsigned char)url[i])) return BH_EURL;
    if (len > 7 && bh__ieq(url, 7, "http://")) {
        start = 7;
        u->port = 80;
    } else if (len > 8 && bh__ieq(url, 8, "https://")) {
        start = 8;
        u->https = 1;
        u->port = 443;
    } else {
        return BH_EURL;
    }
    for (end = start; end < len; end++)
        if (url[end] == '/' || url[end] == '?' || url[end] == '#') break;
    if (bh__url_authority(u, url + start, end - start) != BH_OK) return BH_EURL;
    u->path = url + end;
    for (i = end; i < len && url[i] != '#'; i++) {}
    u->path_len = i - end;
    return BH_OK;
}

static int bh__ipv4_internal(const uint8_t *a)
{
    return a[0] == 0 || a[0] == 10 || a[0] == 127 || a[0] >= 224 ||
           (a[0] == 100 && (a[1] & 0xc0) == 64) ||
           (a[0] == 169 && a[1] == 254) ||
           (a[0] == 172 && (a[1] & 0xf0) == 16) ||
           (a[0] == 192 && a[1] == 168);
}

/* 1 when the first n bytes at p are zero. */
static int bh__zeros(const uint8_t *p, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++)
        if (p[i]) return 0;
    return 1;
}

BHDEF int bh_ip_is_internal(const uint8_t *a, size_t len)
{
    static const uint8_t nat64[4] = {0x00, 0x64, 0xff, 0x9b};
    if (!a || (len != 4 && len != 16)) return 1; /* unknown: refuse */
    if (len == 4) return bh__ipv4_internal(a);
    if (bh__zeros(a, 10) && a[10] == 0xff && a[11] == 0xff)
        return bh__ipv4_internal(a + 12); /* ::ffff:a.b.c.d */
    if (bh__zeros(a, 12)) return bh__ipv4_internal(a + 12); /* ::, ::1 too */
    if (memcmp(a, nat64, 4) == 0 && bh__zeros(a + 4, 8))
        return bh__ipv4_internal(a + 12);
    if (a[0] == 0x20 && a[1] == 0x02) return bh__ipv4_internal(a + 2);
    return (a[0] & 0xfe) == 0xfc ||                 /* fc00::/7 unique local */
           (a[0] == 0xfe && (a[1] & 0x80) == 0x80) || /* fe80::/9: link and
                                                        site local */
           a[0] == 0xff;                              /* multicast */
}

#ifdef BH__POSIX
/* Milliseconds of the monotonic clock. */
static int64_t bh__now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* Wait for events on fd until the deadline: 1 ready, 0 timed out, or
   BH_ETRANSPORT. */
static int bh__wait(int fd, short events, int64_t deadline)
{
    for (;;) {
        struct pollfd p;
        int64_t left = deadline - bh__now_ms();
        int r;
        if (left <= 0) return 0;
        p.fd = fd;
        p.events = events;
        p.revents = 0;
        r = poll(&p, 1, left > 0x7fffffff ? 0x7fffffff : (int)left);
        if (r > 0) return 1;
        if (r == 0) return 0;
        if (errno != EINTR) return BH_ETRANSPORT;
    }
}

/* Decimal digits of v into out (20 bytes suffice); returns the length. */
static size_t bh__utoa(char *out, uint64_t v)
{
    char tmp[20];
    size_t n = 0, i;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    for (i = 0; i < n; i++) out[i] = tmp[n - 1 - i];
    return n;
}

static int bh__resolve(const bh_url *u, struct addrinfo **res)
{
    char host[256], port[8];
    struct addrinfo hints;
    if (u->host_len >= sizeof host) return BH_EURL;
    memcpy(host, u->host, u->host_len);
    host[u->host_len] = '\0';
    port[bh__utoa(port, u->port)] = '\0';
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICSERV;
    return getaddrinfo(host, port, &hints, res) == 0 ? BH_OK : BH_EDNS;
}

/* 1 when any address of the list is internal. */
static int bh__any_internal(const struct addrinfo *ai)
{
    for (; ai; ai = ai->ai_next) {
        const uint8_t *bytes = NULL;
        size_t n = 0;
        if (ai->ai_family == AF_INET) {
            const struct sockaddr_in *s = (const struct sockaddr_in *)(const void *)ai->ai_addr;
            bytes = (const uint8_t *)&s->sin_addr;
            n = 4;
        } else if (ai->ai_family == AF_INET6) {
            const struct sockaddr_in6 *s = (const struct sockaddr_in6 *)(const void *)ai->ai_addr;
            bytes = (const uint8_t *)&s->sin6_addr;
            n = 16;
        }
        if (bh_ip_is_internal(bytes, n)) return 1;
    }
    return 0;
}

/* Connect to one address before the deadline: a socket, or an error. */
static int bh__connect_one(const struct addrinfo *ai, int64_t deadline)
{
    int fd = socket(ai->ai_family, SOCK_STREAM, 0), err = 0, w;
    socklen_t elen = sizeof err;
    if (fd < 0) return BH_ECONNECT;
    fcntl(fd, F_SETFD, FD_CLOEXEC);
    if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) < 0) {
        close(fd);
        return BH_ECONNECT;
    }
#ifdef SO_NOSIGPIPE
    {
        int one = 1;
        setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &one, sizeof one);
    }
#endif
    if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0) return fd;
    if (errno != EINPROGRESS) {
        close(fd);
        return BH_ECONNECT;
    }
    w = bh__wait(fd, POLLOUT, deadline);
    if (w == 1 && getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &elen) == 0 &&
        err == 0)
        return fd;
    close(fd);
    return w == 0 ? BH_ETIMEOUT : BH_ECONNECT;
}

/* Connect to the first address that answers; the last error otherwise. */
static int bh__connect(const struct addrinfo *ai, int64_t deadline)
{
    int r = BH_ECONNECT;
    for (; ai; ai = ai->ai_next) {
        r = bh__connect_one(ai, deadline);
        if (r >= 0 || r == BH_ETIMEOUT) return r;
    }
    return r;
}

#ifndef MSG_NOSIGNAL
#define MSG_NOSIGNAL 0
#endif

/* Send all n bytes before the deadline. */
static int bh__send_all(int fd, const void *p, size_t n, int64_t deadline)
{
    const char *c = (const char *)p;
    while (n) {
        ssize_t s = send(fd, c, n, MSG_NOSIGNAL);
        if (s > 0) {
            c += s;
            n -= (size_t)s;
        } else if (s < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            int w = bh__wait(fd, POLLOUT, deadline);
            if (w <= 0) return w == 0 ? BH_ETIMEOUT : w;
        } else if (s < 0 && errno == EINTR) {
            continue;
        } else {
            return BH_ERESET;
        }
    }
    return BH_OK;
}

/* The request head, buffered in small pieces so the stack stays small. */
typedef struct bh__sendbuf {
    int fd, err;
    int64_t deadline;
    size_t n;
    char buf[256];
} bh__sendbuf;

static void bh__put(bh__sendbuf *b, const char *p, size_t n)
{
    while (n && !b->err) {
        size_t k = sizeof b->buf - b->n < n ? sizeof b->buf - b->n : n;
        memcpy(b->buf + b->n, p, k);
        b->n += k;
        p += k;
        n -= k;
        if (b->n == sizeof b->buf) {
            b->err = bh__send_all(b->fd, b->buf, b->n, b->deadline);
            b->n = 0;
        }
    }
}

static void bh__puts(bh__sendbuf *b, const char *s) { bh__put(b, s, strlen(s)); }

static int bh__flush(bh__sendbuf *b)
{
    if (!b->err && b->n) b->err = bh__send_all(b->fd, b->buf, b->n, b->deadline);
    b->n = 0;
    return b->err;
}

/* 1 when a header name or value holds a byte that would split the request
   (CR, LF, NUL) or a name holds a separator. */
static int bh__header_unsafe(const bh_header *h)
{
    size_t i;
    if (!h->name_len) return 1;
    for (i = 0; i < h->name_len; i++) {
        unsigned char c = (unsigned char)h->name[i];
        if (c <= 0x20 || c >= 0x7f || c == ':') return 1;
    }
    for (i = 0; i < h->value_len; i++) {
        unsigned char c = (unsigned char)h->value[i];
        if (c == '\r' || c == '\n' || c == '\0') return 1;
    }
    return 0;
}

static int bh__send_request(int fd, const bh_url *u, const bh_post *post,
                            int64_t deadline)
{
    bh__sendbuf b;
    char num[24];
    size_t i;
    b.fd = fd;
    b.err = 0;
    b.deadline = deadline;
    b.n = 0;
    bh__puts(&b, "POST ");
    if (!u->path_len || u->path[0] != '/') bh__puts(&b, "/");
    bh__put(&b, u->path, u->path_len);
    bh__puts(&b, " HTTP/1.1\r\nHost: ");
    if (memchr(u->host, ':', u->host_len)) bh__puts(&b, "[");
    bh__put(&b, u->host, u->host_len);
    if (memchr(u->host, ':', u->host_len)) bh__puts(&b, "]");
    if (u->port != 80) {
        bh__puts(&b, ":");
        bh__put(&b, num, bh__utoa(num, u->port));
    }
    bh__puts(&b, "\r\nContent-Length: ");
    bh__put(&b, num, bh__utoa(num, post->body_len));
    bh__puts(&b, "\r\nConnection: close\r\n");
    for (i = 0; i < post->nheaders; i++) {
        bh__put(&b, post->headers[i].name, post->headers[i].name_len);
        bh__puts(&b, ": ");
        bh__put(&b, post->headers[i].value, post->headers[i].value_len);
        bh__puts(&b, "\r\n");
    }
    bh__puts(&b, "\r\n");
    if (bh__flush(&b)) return b.err;
    return bh__send_all(fd, post->body, post->body_len, deadline);
}

/* Read into buf; 0 at the end of the stream, or an error. */
static int bh__recv_some(int fd, char *buf, size_t cap, int64_t deadline)
{
    for (;;) {
        ssize_t r = recv(fd, buf, cap, 0);
        if (r >= 0) return (int)r;
        if (errno == EINTR) continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK) {
            int w = bh__wait(fd, POLLIN, deadline);
            if (w <= 0) return w == 0 ? BH_ETIMEOUT : w;
            continue;
        }
        return BH_ERESET;
    }
}

/* The status of "HTTP/1.x NNN ...", or BH_ETRANSPORT. */
static int bh__status_line(const char *p, size_t n)
{
    if (n < 12 || memcmp(p, "HTTP/1.", 7) != 0 || p[7] < '0' || p[7] > '9' ||
        p[8] != ' ' || p[9] < '1' || p[9] > '5' || p[10] < '0' ||
        p[10] > '9' || p[11] < '0' || p[11] > '9' ||
        (n > 12 && p[12] != ' ' && p[12] != '\r'))
        return BH_ETRANSPORT;
    return (p[9] - '0') * 100 + (p[10] - '0') * 10 + (p[11] - '0');
}

/* What a drain has learnt from the response head so far. */
typedef struct bh__head_scan {
    int in_body;        /* the blank line ending the head was seen */
    size_t matched;     /* bytes of this line's name matching "content-length";
                           past 14 when the name is another */
    int in_value;       /* past the colon of a Content-Length line */
    int digits;         /* digits seen in that value */
    int clen_known;
    uint64_t clen;
} bh__head_scan;

/* Scan head bytes (those after the status line); returns how many belong
   to the head, the rest being body. */
static size_t bh__scan_head(bh__head_scan *s, const char *p, size_t n)
{
    static const char cl[] = "content-length";
    size_t i;
    for (i = 0; i < n && !s->in_body; i++) {
        char c = p[i];
        if (c == '\n') {
            if (!s->in_value && s->matched == 0) s->in_body = 1;
            if (s->in_value && s->digits) s->clen_known = 1;
            s->matched = 0;
            s->in_value = 0;
            s->digits = 0;
        } else if (c == '\r') {
        } else if (s->in_value) {
            if (c >= '0' && c <= '9' && s->clen < ((uint64_t)1 << 60)) {
                s->clen = s->clen * 10 + (uint64_t)(c - '0');
                s->digits = 1;
            }
        } else if (c == ':') {
            s->in_value = s->matched == sizeof cl - 1;
            s->matched = sizeof cl; /* the rest of the line is a value */
            s->clen = s->in_value ? 0 : s->clen;
        } else if (s->matched < sizeof cl - 1 &&
                   bh__lower((unsigned char)c) == cl[s->matched]) {
            s->matched++;
        } else {
            s->matched = sizeof cl;
        }
    }
    return i;
}

/* Read the status line, then drain what follows: the head, and a body of
   Content-Length bytes or up to the end of the stream; never more than max
   bytes, never past the deadline. Once the status is known, a reset or a
   timeout while draining does not change the answer. */
static int bh__read_response(int fd, int64_t deadline, uint32_t max)
{
    char buf[256];
    bh__head_scan s;
    size_t have = 0, start = 0, total;
    uint64_t body = 0;
    int status = 0;
    while (!status) {
        const char *eol;
        int r = bh__recv_some(fd, buf + have, sizeof buf - have, deadline);
        if (r <= 0) return r == 0 ? BH_ERESET : r;
        have += (size_t)r;
        eol = (const char *)memchr(buf, '\n', have);
        if (!eol && have < sizeof buf) continue;
        status = bh__status_line(buf, have);
        if (status < 0) return status;
        start = eol ? (size_t)(eol - buf) + 1 : have;
    }
    memset(&s, 0, sizeof s);
    for (total = have;;) {
        size_t head = s.in_body ? 0 : bh__scan_head(&s, buf + start, have - start);
        int r;
        body += have - start - head;
        if ((s.in_body && s.clen_known && body >= s.clen) || total >= max)
            return status;
        r = bh__recv_some(fd, buf, sizeof buf, deadline);
        if (r <= 0) return status; /* the end, a reset, or the deadline */
        have = (size_t)r;
        start = 0;
        total += have;
    }
}

BHDEF int bh_transport_socket(void *ctx, const bh_post *post)
{
    const bh_transport_opts *o = (const bh_transport_opts *)ctx;
    struct addrinfo *ai = NULL;
    bh_url u;
    int64_t deadline;
    int r, fd;
    if (!post || !post->url || (post->body_len && !post->body)) return BH_EINVAL;
    for (r = 0; (size_t)r < post->nheaders; r++)
        if (bh__header_unsafe(&post->headers[r])) return BH_EINVAL;
    r = bh_url_parse(&u, post->url, strlen(post->url));
    if (r != BH_OK) return r;
    if (u.https) return BH_ENOTLS;
    deadline = bh__now_ms() + (post->timeout_ms ? post->timeout_ms : 7000);
    r = bh__resolve(&u, &ai);
    if (r != BH_OK) return r;
    if (o && o->refuse_internal && bh__any_internal(ai)) {
        freeaddrinfo(ai);
        return BH_EFORBIDDEN;
    }
    fd = bh__connect(ai, deadline);
    freeaddrinfo(ai);
    if (fd < 0) return fd;
    r = bh__send_request(fd, &u, post, deadline);
    if (r == BH_OK)
        r = bh__read_response(fd, deadline, o && o->max_drain ? o->max_drain : 65536);
    close(fd);
    return r;
}
#endif /* BH__POSIX */

#ifdef BLUEHOOK_CURL
/* Response bytes are drained, not kept; past the cap the transfer stops
   (CURLE_WRITE_ERROR) and the status already read stands. */
static size_t bh__curl_drain(char *p, size_t size, size_t n, void *ud)
{
    size_t *left = (size_t *)ud;
    (void)p;
    if (size * n > *left) return 0;
    *left -= size * n;
    return size * n;
}

static int bh__curl_error(CURLcode c)
{
    switch (c) {
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT: return BH_EURL;
    case CURLE_COULDNT_RESOLVE_HOST: return BH_EDNS;
    case CURLE_COULDNT_CONNECT: return BH_ECONNECT;
    case CURLE_OPERATION_TIMEDOUT: return BH_ETIMEOUT;
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING: return BH_ERESET;
    default: return BH_ETRANSPORT;
    }
}

#ifdef BH__POSIX
/* Append "address," for one resolved address; 0 when it does not fit. */
static int bh__pin_address(char *out, size_t cap, size_t *n,
                           const struct addrinfo *ai)
{
    char text[64];
    const void *src = ai->ai_family == AF_INET6
        ? (const void *)&((const struct sockaddr_in6 *)(const void *)ai->ai_addr)->sin6_addr
        : (const void *)&((const struct sockaddr_in *)(const void *)ai->ai_addr)->sin_addr;
    size_t k;
    if (!inet_ntop(ai->ai_family, src, text, sizeof text)) return 0;
    k = strlen(text);
    if (*n + k + 3 >= cap) return 0;
    if (ai->ai_family == AF_INET6) out[(*n)++] = '[';
    memcpy(out + *n, text, k);
    *n += k;
    if (ai->ai_family == AF_INET6) out[(*n)++] = ']';
    out[(*n)++] = ',';
    return 1;
}

/* Resolve and check the host, then pin libcurl to the checked addresses:
   "-host:port" drops an old pin, "host:port:a,b" sets the new one. */
static int bh__curl_pin(const bh_url *u, struct curl_slist **pins)
{
    struct addrinfo *ai = NULL, *p;
    char entry[320], num[8];
    size_t n = 0, k;
    int r = bh__resolve(u, &ai);
    if (r != BH_OK) return r;
    if (bh__any_internal(ai)) {
        freeaddrinfo(ai);
        return BH_EFORBIDDEN;
    }
    k = bh__utoa(num, u->port);
    entry[n++] = '-';
    memcpy(entry + n, u->host, u->host_len);
    n += u->host_len;
    entry[n++] = ':';
    memcpy(entry + n, num, k);
    n += k;
    entry[n] = '\0';
    *pins = curl_slist_append(*pins, entry);
    entry[n++] = ':';
    for (p = ai; p; p = p->ai_next)
        if (!bh__pin_address(entry + 1, sizeof entry - 1, &n, p)) break;
    freeaddrinfo(ai);
    entry[n] = '\0'; /* over the last comma */
    *pins = curl_slist_append(*pins, entry + 1);
    return *pins ? BH_OK : BH_ETRANSPORT;
}
#endif

/* The request headers as libcurl wants them: "Name: value" strings, which
   it copies; "Expect:" turns off its 100-continue round trip. */
static struct curl_slist *bh__curl_headers(const bh_post *post)
{
    struct curl_slist *list = curl_slist_append(NULL, "Expect:");
    char line[512];
    size_t i;
    for (i = 0; list && i < post->nheaders; i++) {
        const bh_header *h = &post->headers[i];
        if (h->name_len + h->value_len + 3 > sizeof line) return NULL;
        memcpy(line, h->name, h->name_len);
        memcpy(line + h->name_len, ": ", 2);
        memcpy(line + h->name_len + 2, h->value, h->value_len);
        line[h->name_len + 2 + h->value_len] = '\0';
        list = curl_slist_append(list, line);
    }
    return list;
}

BHDEF int bh_transport_curl(void *ctx, const bh_post *post)
{
    bh_curl_transport *t = (bh_curl_transport *)ctx;
    struct curl_slist *headers = NULL, *pins = NULL;
    size_t drain;
    long status = 0;
    bh_url u;
    CURLcode c;
    size_t i;
    int r;
    if (!t || !t->curl || !post || !post->url || (post->body_len && !post->body))
        return BH_EINVAL;
    for (i = 0; i < post->nheaders; i++)
        if (bh__header_unsafe(&post->headers[i])) return BH_EINVAL;
    r = bh_url_parse(&u, post->url, strlen(post->url));
    if (r != BH_OK) return r;
    if (t->opts.refuse_internal) {
#ifdef BH__POSIX
        r = bh__curl_pin(&u, &pins);
        if (r != BH_OK) {
            curl_slist_free_all(pins);
            return r;
        }
#else
        return BH_EINVAL; /* the policy needs POSIX name resolution */
#endif
    }
    headers = bh__curl_headers(post);
    if (!headers) {
        curl_slist_free_all(pins);
        return BH_EINVAL;
    }
    drain = t->opts.max_drain ? t->opts.max_drain : 65536;
    curl_easy_setopt(t->curl, CURLOPT_URL, post->url);
#if LIBCURL_VERSION_NUM >= 0x075500
    curl_easy_setopt(t->curl, CURLOPT_PROTOCOLS_STR, "http,https");
#else
    curl_easy_setopt(t->curl, CURLOPT_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
    curl_easy_setopt(t->curl, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(t->curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(t->curl, CURLOPT_POST, 1L);
    curl_easy_setopt(t->curl, CURLOPT_POSTFIELDS, post->body ? post->body : "");
    curl_easy_setopt(t->curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)post->body_len);
    curl_easy_setopt(t->curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(t->curl, CURLOPT_RESOLVE, pins);
    curl_easy_setopt(t->curl, CURLOPT_TIMEOUT_MS, (long)(post->timeout_ms ? post->timeout_ms : 7000));
    curl_easy_setopt(t->curl, CURLOPT_WRITEFUNCTION, bh__curl_drain);
    curl_easy_setopt(t->curl, CURLOPT_WRITEDATA, &drain);
    c = curl_easy_perform(t->curl);
    curl_easy_getinfo(t->curl, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_setopt(t->curl, CURLOPT_HTTPHEADER, (struct curl_slist *)NULL);
    curl_easy_setopt(t->curl, CURLOPT_RESOLVE, (struct curl_slist *)NULL);
    curl_slist_free_all(headers);
    curl_slist_free_all(pins);
    if (status >= 100 && status <= 599 && (c == CURLE_OK || c == CURLE_WRITE_ERROR))
        return (int)status;
    return c == CURLE_OK ? BH_ETRANSPORT : bh__curl_error(c);
}
#endif /* BLUEHOOK_CURL */

#ifdef BH__POSIX
/* CRC-32 (IEEE 802.3, reflected), four bits at a time from a 64-byte
   table. */
static uint32_t bh__crc32(uint32_t crc, const uint8_t *p, size_t n)
{
    static const uint32_t t[16] = {
        0x00000000, 0x1db71064, 0x3b6e20c8, 0x26d930ac, 0x76dc4190, 0x6b6b51f4,
        0x4db26158, 0x5005713c, 0xedb88320, 0xf00f9344, 0xd6d6a3e8, 0xcb61b38c,
        0x9b64c2b0, 0x86d3d2d4, 0xa00ae278, 0xbdbdf21c};
    crc = ~crc;
    while (n--) {
        crc ^= *p++;
        crc = (crc >> 4) ^ t[crc & 15];
        crc = (crc >> 4) ^ t[crc & 15];
    }
    return ~crc;
}

static void bh__store32_le(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

static uint32_t bh__load32_le(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

/* Write all n bytes. */
static int bh__write_all(int fd, const void *p, size_t n)
{
    const uint8_t *c = (const uint8_t *)p;
    while (n) {
        ssize_t w = write(fd, c, n);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return BH_EIO;
        c += w;
        n -= (size_t)w;
    }
    return BH_OK;
}

/* A frame being written: small pieces are staged, large ones go straight
   through; the CRC runs over the body. */
typedef struct bh__frame_out {
    int fd, err;
    uint32_t crc;
    size_t n;
    uint8_t stage[256];
} bh__frame_out;

static void bh__fo_flush(bh__frame_out *f)
{
    if (!f->err && f->n) f->err = bh__write_all(f->fd, f->stage, f->n);
    f->n = 0;
}

static void bh__fo_put(bh__frame_out *f, const void *p, size_t n, int in_crc)
{
    if (!n) return;
    if (in_crc) f->crc = bh__crc32(f->crc, (const uint8_t *)p, n);
    if (n > sizeof f->stage - f->n) {
        bh__fo_flush(f);
        if (n > sizeof f->stage) {
            if (!f->err) f->err = bh__write_all(f->fd, p, n);
            return;
        }
    }
    memcpy(f->stage + f->n, p, n);
    f->n += n;
}

static void bh__fo_u32(bh__frame_out *f, uint32_t v, int in_crc)
{
    uint8_t b[4];
    bh__store32_le(b, v);
    bh__fo_put(f, b, 4, in_crc);
}

/* The encoded size of one record: a fixed 16-byte head, then the id, the
   webhook id and the data. */
static size_t bh__record_size(const bh_store_record *r)
{
    return 16 + r->id_len + r->webhook_id_len + r->data_len;
}

static void bh__fo_record(bh__frame_out *f, const bh_store_record *r)
{
    uint8_t head[4];
    head[0] = r->kind;
    head[1] = r->state;
    head[2] = r->attempts;
    head[3] = 0;
    bh__fo_put(f, head, 4, 1);
    bh__fo_u32(f, (uint32_t)r->id_len | (uint32_t)r->webhook_id_len << 16, 1);
    bh__fo_u32(f, (uint32_t)r->head_len, 1);
    bh__fo_u32(f, (uint32_t)r->data_len, 1);
    bh__fo_put(f, r->id, r->id_len, 1);
    bh__fo_put(f, r->webhook_id, r->webhook_id_len, 1);
    bh__fo_put(f, r->data, r->data_len, 1);
}

static int bh__journal_append(void *ctx, const bh_store_record *recs, size_t n)
{
    bh_journal *j = (bh_journal *)ctx;
    bh__frame_out f;
    size_t i, len = 0, sync = 0;
    for (i = 0; i < n; i++) {
        if (recs[i].id_len > 255 || recs[i].webhook_id_len > 0xffff ||
            recs[i].data_len > 0x3fffffff || recs[i].head_len > recs[i].data_len)
            return BH_EINVAL;
        len += bh__record_size(&recs[i]);
        if (len > 0x7fffffff) return BH_EINVAL; /* here: no 32-bit wrap */
        sync |= recs[i].kind != BH_RECORD_STATE;
    }
    f.fd = j->tmp_fd >= 0 ? j->tmp_fd : j->fd;
    f.err = 0;
    f.crc = 0;
    f.n = 0;
    bh__fo_put(&f, "BHJ1", 4, 0);
    bh__fo_u32(&f, (uint32_t)len, 1);
    for (i = 0; i < n; i++) bh__fo_record(&f, &recs[i]);
    bh__fo_u32(&f, f.crc, 0);
    bh__fo_flush(&f);
    if (!f.err && (sync || j->sync_states) && fsync(f.fd) != 0) f.err = BH_EIO;
    if (!f.err && j->crash_after && ++j->writes == j->crash_after) _exit(86);
    return f.err;
}

/* Read exactly n bytes; 0 when they were all there, 1 at a short read
   (the end of the file), or BH_EIO. */
static int bh__read_exact(int fd, void *p, size_t n)
{
    uint8_t *c = (uint8_t *)p;
    while (n) {
        ssize_t r = read(fd, c, n);
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) return BH_EIO;
        if (r == 0) return 1;
        c += r;
        n -= (size_t)r;
    }
    return 0;
}

/* Emit the records of one checked frame body. */
static int bh__journal_emit(const uint8_t *p, size_t len,
                            int (*emit)(void *, const bh_store_record *),
                            void *arg)
{
    size_t at = 0;
    while (at < len) {
        bh_store_record r;
        uint32_t lens;
        int e;
        if (len - at < 16) return BH_ECORRUPT;
        memset(&r, 0, sizeof r);
        r.kind = p[at];
        r.state = p[at + 1];
        r.attempts = p[at + 2];
        lens = bh__load32_le(p + at + 4);
        r.id_len = lens & 0xffff;
        r.webhook_id_len = lens >> 16;
        r.head_len = bh__load32_le(p + at + 8);
        r.data_len = bh__load32_le(p + at + 12);
        at += 16;
        if (r.id_len + r.webhook_id_len > len - at ||
            r.data_len > len - at - r.id_len - r.webhook_id_len ||
            r.head_len > r.data_len)
            return BH_ECORRUPT;
        r.id = (const char *)p + at;
        r.webhook_id = r.id + r.id_len;
        r.data = (const uint8_t *)r.webhook_id + r.webhook_id_len;
        at += r.id_len + r.webhook_id_len + r.data_len;
        e = emit(arg, &r);
        if (e < 0) return e;
    }
    return BH_OK;
}

/* 1 when every byte of the file from `from` to `size` is zero (what a
   filesystem may leave after a crash); 0 if not; BH_EIO. */
static int bh__rest_is_zero(int fd, off_t from, off_t size)
{
    uint8_t b[256];
    if (lseek(fd, from, SEEK_SET) != from) return BH_EIO;
    while (from < size) {
        size_t n = size - from < (off_t)sizeof b ? (size_t)(size - from) : sizeof b;
        if (bh__read_exact(fd, b, n) != 0 || !bh__zeros(b, n)) return 0;
        from += (off_t)n;
    }
    return 1;
}

/* A bad frame at `at` (ending at `end`, or of unknown end): a torn write
   when nothing but zeros follows, so it is cut off; else BH_ECORRUPT. */
static int bh__journal_damage(bh_journal *j, off_t at, off_t end, off_t size)
{
    int z = end >= size ? 1 : bh__rest_is_zero(j->fd, end > at ? end : at, size);
    if (z < 0) return z;
    if (!z) return BH_ECORRUPT;
    return ftruncate(j->fd, at) == 0 ? BH_OK : BH_EIO;
}

/* Load every good frame, in order, and emit its records. */
static int bh__journal_load(void *ctx,
                            int (*emit)(void *, const bh_store_record *),
                            void *arg)
{
    bh_journal *j = (bh_journal *)ctx;
    off_t size = lseek(j->fd, 0, SEEK_END), at = 0;
    if (size < 0 || lseek(j->fd, 0, SEEK_SET) != 0) return BH_EIO;
    while (at < size) {
        uint8_t head[8], tail[4];
        uint32_t len = 0;
        off_t end = at; /* unknown */
        int r = bh__read_exact(j->fd, head, 8), good = 0;
        if (r < 0) return r;
        if (r == 1) end = size + 1; /* a partial frame head: torn */
        if (r == 0 && memcmp(head, "BHJ1", 4) == 0) {
            len = bh__load32_le(head + 4);
            /* past the end, compared without overflowing a 32-bit off_t */
            end = (uint64_t)len + 12 > (uint64_t)(size - at) ? size + 1
                                                             : at + 12 + (off_t)len;
        }
        if (end > at && end <= size) { /* a whole frame is there */
            if (len > j->cap) return BH_ESPACE;
            r = bh__read_exact(j->fd, j->buf, len);
            if (r == 0) r = bh__read_exact(j->fd, tail, 4);
            if (r < 0) return r;
            good = r == 0 && bh__load32_le(tail) ==
                                 bh__crc32(bh__crc32(0, head + 4, 4), j->buf, len);
        }
        if (!good) return bh__journal_damage(j, at, end > at ? end : at, size);
        r = bh__journal_emit(j->buf, len, emit, arg);
        if (r < 0) return r;
        at = end;
    }
    return BH_OK;
}

/* fsync the directory holding path, so a rename is durable. */
static int bh__sync_dir(const char *path)
{
    char dir[240];
    const char *slash = strrchr(path, '/');
    size_t n = slash ? (size_t)(slash - path) : 0;
    int fd, r;
    if (!slash) {
        dir[0] = '.';
        n = 1;
    } else {
        memcpy(dir, path, n ? n : 1);
        if (!n) n = 1; /* "/file" lives in "/" */
    }
    dir[n] = '\0';
    fd = open(dir, O_RDONLY);
    if (fd < 0) return BH_EIO;
    r = fsync(fd) == 0 ? BH_OK : BH_EIO;
    close(fd);
    return r;
}

static void bh__tmp_path(const bh_journal *j, char *out)
{
    size_t n = strlen(j->path);
    memcpy(out, j->path, n);
    memcpy(out + n, ".tmp", 5);
}

static int bh__journal_rewrite(void *ctx, int phase)
{
    bh_journal *j = (bh_journal *)ctx;
    char tmp[248];
    int fd;
    bh__tmp_path(j, tmp);
    if (phase == BH_REWRITE_BEGIN) {
        if (j->tmp_fd >= 0) return BH_EINVAL;
        j->tmp_fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        return j->tmp_fd >= 0 ? BH_OK : BH_EIO;
    }
    if (j->tmp_fd < 0) return BH_EINVAL;
    if (phase == BH_REWRITE_ABORT) {
        close(j->tmp_fd);
        j->tmp_fd = -1;
        unlink(tmp);
        return BH_OK;
    }
    if (fsync(j->tmp_fd) != 0 || rename(tmp, j->path) != 0) return BH_EIO;
    close(j->tmp_fd);
    j->tmp_fd = -1;
    fd = open(j->path, O_RDWR | O_APPEND);
    if (fd < 0) return BH_EIO;
    close(j->fd);
    j->fd = fd;
    return bh__sync_dir(j->path);
}

BHDEF int bh_journal_open(bh_journal *j, const char *path, void *buf,
                          size_t cap)
{
    size_t n = path ? strlen(path) : 0;
    if (!j || !n || n >= 230 || (!buf && cap)) return BH_EINVAL;
    memset(j, 0, sizeof *j);
    memcpy(j->path, path, n + 1);
    j->buf = (uint8_t *)buf;
    j->cap = cap;
    j->tmp_fd = -1;
    j->fd = open(path, O_RDWR | O_CREAT | O_APPEND, 0600);
    if (j->fd < 0) return BH_EIO;
    fcntl(j->fd, F_SETFD, FD_CLOEXEC);
    return BH_OK;
}

BHDEF void bh_journal_close(bh_journal *j)
{
    if (j->tmp_fd >= 0) bh__journal_rewrite(j, BH_REWRITE_ABORT);
    if (j->fd >= 0) close(j->fd);
    j->fd = -1;
}

BHDEF bh_store bh_journal_store(bh_journal *j)
{
    bh_store s;
    s.ctx = j;
    s.append = bh__journal_append;
    s.load = bh__journal_load;
    s.rewrite = bh__journal_rewrite;
    return s;
}
#endif /* BH__POSIX */

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
