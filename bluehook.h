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
       events         (not yet part of this header)
       webhooks       (not yet part of this header)
       signatures     bh_key, bh_sign, bh_verify for Blue, Standard
                      Webhooks, GitHub and Stripe; the replay cache
       http           (not yet part of this header)
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
#define BH_EINFLIGHT (-30)    /* id reserved, its delivery still in flight */
#define BH_ENOTRESERVED (-31) /* id not reserved in the replay cache */
#define BH_EREPLAYFULL (-32)  /* replay cache full of ids in flight */

/* events, webhooks and filters: -40 .. -49 */

/* http: -50 .. -59 */

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

/* ==== webhooks and filters ============================================= */

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
    case BH_EINFLIGHT: return "already in flight";
    case BH_ENOTRESERVED: return "id not reserved";
    case BH_EREPLAYFULL: return "replay cache full";

    /* events, webhooks and filters */

    /* http */

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

/* ==== webhooks and filters ============================================= */

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
