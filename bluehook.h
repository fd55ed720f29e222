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

   Quick start: a receiver
   -----------------------
       static bh_json_tok toks[4096];
       static int on_created(void *ctx, const bh_received *r)
       {
           char title[128];
           bh_json_string(&r->doc, bh_json_get(&r->doc, r->payload.entity,
                          "/title"), title, sizeof title);
           return 0;                               0: handled; 5xx: retry
       }
       bh_key key;
       bh_receiver rx;
       bh_key_init(&key, BH_SCHEME_BLUE, secret, strlen(secret));
       bh_receiver_init(&rx, BH_SCHEME_BLUE, &key, 1, toks, 4096);
       bh_receiver_on(&rx, BH_EVENT_TODO_CREATED, on_created, NULL);
       ...for each request your HTTP stack hands you:
       int status = bh_receive(&rx, "POST", 4, headers, nheaders, body,
                               body_len, (int64_t)time(NULL), NULL);
       answer(status);                             200, 400, 401, 413, ...
   With no HTTP stack, bh_receiver_serve turns a connection's bytes into
   answers (see "Receiving webhooks"); examples/receiver_posix.c is a
   whole server in about 130 lines.

   Quick start: a sender
   ---------------------
       static bh_sender_hook states[8];
       static bh_delivery outbox[256];
       static uint8_t arena[256 << 10];
       static char body[64 << 10];
       bh_webhook hook = {0};                      caller memory, kept alive
       hook.id = "wh1"; hook.url = "http://10.0.0.5/in"; hook.secret = key;
       hook.enabled = 1;
       bh_sender_config c = {0};
       c.transport = bh_transport_socket;          or libcurl, or your own
       c.random = my_random32;                     jitter and delivery ids
       c.hooks = states;  c.hooks_cap = 8;
       c.outbox = outbox; c.outbox_cap = 256;
       c.arena = arena;   c.arena_cap = sizeof arena;
       c.body = body;     c.body_cap = sizeof body;
       bh_sender s;
       bh_sender_init(&s, &c);
       bh_sender_add(&s, &hook, 0);
       bh_sender_publish(&s, now_ms(), "TODO_CREATED", 12, project_id,
                         project_len, NULL, 0, record_json, record_len);
       for (;;) {                                  your loop, or a timer
           bh_sender_poll(&s, now_ms());           attempts that are due
           sleep_until(bh_sender_next_due(&s));
       }
   examples/gateway.c adds the file journal, so a power cut loses nothing.

   Manual contents
   ---------------
       Quick start: a receiver, a sender
       Hashing a body and checking a MAC
       Verifying a delivery (any scheme, with key rotation)
       Replay protection, Several receivers, one replay store
       Receiving HTTP requests
       Reading JSON, Writing JSON
       Receiving webhooks (the pipeline)
       Sending webhooks (the sender, transports, the journal, clocks)
       Events, webhooks and filters
       Ownership and lifetimes
       Conventions, Thread safety, Constant time, SHA-256 paths
       Configuration macros, Version macros
       Error codes

   Contents (the same order in declarations and code)
   --------
       base           types, error codes, bh_strerror, header lookup
       sha256/hmac    SHA-256, HMAC-SHA256, prepared keys, bh_ct_equal, bh_wipe
       encodings      hex, base64
       json reader    RFC 8259 parser into caller tokens, RFC 6901 pointers,
                      strings, integers, exact doubles, iteration
       json writer    JSON into a caller buffer, validated raw fragments
       events         Blue's event names, entity kinds and groups, event sets
       webhooks       the webhook, Blue's subscription rule, the payload
                      builder and reader, record-scope filters
       signatures     bh_key, bh_sign, bh_verify for Blue, Standard
                      Webhooks, GitHub and Stripe; the replay cache
       http           incremental HTTP/1.1 request parser, status mapping,
                      response heads; the receive pipeline (bh_receive)
                      and a connection server over it (bh_receiver_serve)
       sender         the transport and store interfaces; the sender:
                      outbox, retries with jitter, health, dead letters
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

   Several receivers, one replay store
   -----------------------------------
   Replicas of a service behind one URL must share what they have seen, or
   a retry that reaches another replica is handled twice. A bh_replay_store
   is three calls, reserve, commit and release, on a context of yours; set
   rx.replay_store and bh_receive uses it instead of rx.replay
   (bh_replay_store_local makes one of a bh_replay):
       bh_replay_store st = {my_reserve, my_commit, my_release, &conn};
       rx.replay_store = &st;
   reserve answers BH_OK (new: dispatch), BH_EREPLAY (done: 200, not
   dispatched), BH_EINFLIGHT (409) or BH_EREPLAYFULL (503); any other
   answer means the store could not be asked, and bh_receive answers 503
   with Retry-After (BH_RX_UNAVAILABLE) without dispatching: the sender
   retries later. After the handler: success commits, failure releases. A
   commit that fails still answers 200, since the work was done (o.err
   says it failed; the id stays pending until its lease ends); a release
   that fails still answers the handler's 5xx (retries get 409 until the
   lease ends). With Redis, keyed "bh:" + the hex of id->digest, and a
   lease value "pending:<owner>" that names the replica (pid, start time):
       reserve   SET key pending:<owner> NX PX lease_ms   OK: BH_OK
                 else GET key: "pending:..." BH_EINFLIGHT, "done"
                 BH_EREPLAY (nil: it just expired, SET again); no answer:
                 unavailable
       commit    SET key done PX window_ms           (window_s * 1000)
       release   DEL key only while it is this replica's lease (a handler
                 that outlived its lease must not free another's):
                 EVAL "if redis.call('GET',KEYS[1])==ARGV[1] then
                       return redis.call('DEL',KEYS[1]) end return 0"
                      1 key pending:<owner>
   The lease: a receiver that dies while handling leaves "pending" behind,
   and every retry meets 409 until the key expires. So reserve for a short
   lease, not for the whole window (24 h for Blue); commit then keeps
   "done" for the window. Longer than a handler runs (past Blue's 7 s
   timeout the sender has given up on that attempt anyway), and shorter
   than the sender's retries last: Blue makes 5 attempts in quick
   succession, then disables the webhook, so a lease of minutes can
   outlast them all and lose the delivery. The example takes 30 s. examples/replay_redis.c does this with
   hiredis, each call one EVAL (reserve's SET and GET in one script, so the
   key cannot expire between them); tests/check_fleet.sh runs two of them
   on one Redis and sees each delivery dispatched once.

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

   Reading JSON
   ------------
       bh_json doc;
       bh_json_tok toks[512];                   16 bytes each, caller memory
       char event[64];
       if (bh_json_parse(&doc, body, body_len, toks, 512) != BH_OK) {
           size_t line, col;                    doc.err_pos is a byte offset
           bh_json_line_col(&doc, doc.err_pos, &line, &col);
           report(line, col, bh_json_reason(&doc));
       }
       int t = bh_json_get(&doc, 0, "/currentValue/todoList/project/id");
       if (t >= 0 && bh_json_string_eq(&doc, t, "clakt90vu000bvt64hhffqleq", 25))
           ...;                                 compared without a copy
       bh_json_string(&doc, bh_json_get(&doc, 0, "/event"), event, sizeof event);
       for (int k = bh_json_child(&doc, arr); k >= 0; k = bh_json_next(&doc, arr, k))
           ...;                                 elements (for an object: keys,
                                                each followed by its value k + 1)

   - bh_json_parse(&doc, body, len, NULL, 0) only validates and counts:
     doc.ntoks is then the size of the token array to give it. With too few
     tokens it returns BH_ESPACE and doc.ntoks says how many are needed.
   - Tokens and strings are views into the input: keep the input alive, and
     unchanged, while the document is used. Nothing is copied or allocated.
   - One pass, no recursion, no stack: an open container's token links to
     the container around it until it closes. Each token knows where its
     subtree ends, so a lookup skips a whole subtree in one step.
   - Strict RFC 8259: one value (any type) with optional white space around
     it, nothing else. Invalid UTF-8 anywhere is an error (overlong forms,
     surrogates encoded in UTF-8, code points above U+10FFFF, truncated
     sequences), as are raw control characters in strings, a byte order
     mark, and bytes after the document. BH_EINCOMPLETE says that the input
     ends where the document is not finished (err_pos = the length).
   - A \u escape of a lone surrogate (JavaScript's JSON.stringify writes one
     for broken text) is accepted, and bh_json_string decodes it to U+FFFD.
   - A repeated key resolves to its last occurrence (JavaScript's JSON.parse
     does the same); bh_json_child/next still visit every member.
   - Limits: inputs of at most INT_MAX bytes (token indices and string
     lengths are returned as int); BLUEHOOK_JSON_MAX_DEPTH levels of nesting.
   - Numbers are kept as text: bh_json_int64/uint64 read integral values
     exactly ("1.0" and "2e3" included) or fail, bh_json_double rounds
     correctly, bh_json_number_cmp compares two numbers by exact value.

   JSONTestSuite's implementation-defined (i_) files, and what bluehook does:
       i_number_* (huge exponents, big or tiny values) accepted: the grammar
                  allows them. bh_json_double gives +-inf with BH_ENUMBER on
                  overflow and 0 or a subnormal on underflow; bh_json_int64
                  gives BH_ENUMBER (or BH_ENOTINT for fractions).
       i_object_key_lone_2nd_surrogate, i_string_1st_surrogate_but_2nd_missing,
       i_string_1st_valid_surrogate_2nd_invalid, i_string_incomplete_surrogate*,
       i_string_invalid_lonely_surrogate, i_string_invalid_surrogate,
       i_string_inverted_surrogates_U+1D11E, i_string_lone_second_surrogate
                  accepted: lone surrogate escapes, read as U+FFFD.
       i_string_UTF-8_invalid_sequence, i_string_UTF8_surrogate_U+D800,
       i_string_invalid_utf-8, i_string_iso_latin_1,
       i_string_lone_utf8_continuation_byte, i_string_not_in_unicode_range,
       i_string_overlong_sequence_2_bytes, i_string_overlong_sequence_6_bytes,
       i_string_overlong_sequence_6_bytes_null, i_string_truncated-utf-8
                  rejected, BH_EUTF8: invalid UTF-8.
       i_string_UTF-16LE_with_BOM, i_string_utf16BE_no_BOM,
       i_string_utf16LE_no_BOM
                  rejected, BH_ESYNTAX: JSON text is UTF-8 (RFC 8259 8.1).
       i_structure_UTF-8_BOM_empty_object
                  rejected, BH_ESYNTAX: a byte order mark is not white space.
       i_structure_500_nested_arrays
                  accepted: 500 levels is within BLUEHOOK_JSON_MAX_DEPTH.

   Writing JSON
   ------------
       bh_json_writer w;
       bh_jw_init(&w, buf, sizeof buf);         or (NULL, 0) to measure
       bh_jw_begin_object(&w);
       bh_jw_key(&w, "event", 5);
       bh_jw_string(&w, "TODO_CREATED", 12);
       bh_jw_key(&w, "currentValue", 12);
       bh_jw_raw(&w, record, record_len);       validated, then copied
       bh_jw_end_object(&w);
       int len = bh_jw_finish(&w);              length, or an error

   - Commas and nesting are the writer's; a call out of order (a value where
     a key is due, a key outside an object, a mismatched end) is BH_ESTATE.
   - The first error sticks: later calls return it and write nothing.
   - Running out of room is not an error until bh_jw_finish, which says
     BH_ESPACE; w.len counts every byte the document needs (capacity w.len
     + 1 with the NUL), as snprintf does. Nothing is written past the end.
   - Strings must be UTF-8 (BH_EUTF8 otherwise); '"', '\\' and control
     characters are escaped (\n, \t, ... or \u00XX), '/' and non-ASCII are
     not. Doubles print as JavaScript prints them, shortest round trip, in
     every locale; NaN and infinities are BH_ENUMBER.

   Receiving webhooks (the pipeline)
   ---------------------------------
       static int on_created(void *ctx, const bh_received *r)
       {
           int t = bh_payload_record_id(&r->payload, &r->doc);
           ...use r->doc, r->body; return 0 when handled, else 500..599
       }
       bh_key key;                                 once
       bh_key_init(&key, BH_SCHEME_BLUE, secret, secret_len);
       static bh_json_tok toks[4096];
       static bh_replay_slot slots[1024];
       bh_replay cache;
       bh_replay_init(&cache, slots, 1024);
       bh_receiver rx;
       bh_receiver_init(&rx, BH_SCHEME_BLUE, &key, 1, toks, 4096);
       rx.replay = &cache;
       bh_receiver_on(&rx, BH_EVENT_TODO_CREATED, on_created, NULL);
       ...per request, from any HTTP stack:
       bh_outcome o;
       int status = bh_receive(&rx, method, method_len, headers, nheaders,
                               body, body_len, (int64_t)time(NULL), &o);
       answer(status); log(bh_rx_result_name(o.result), o.reason);

   The steps, and the answer each gives, so that every stack answers alike:
       method      not POST                                    405
       media type  a Content-Type that is not JSON (absent is  415
                   fine; application/json, application/x+json)
       size        body over rx.max_body (1 MB)                413
       signature   bh_verify_ex with every key (rotation)      401
       JSON        bh_json_parse into rx.toks                  400 (413
                                                               when toks
                                                               is short)
       shape       Blue receivers only: bh_payload_read        400
       name        the event name: rx.event_header, else rx.event_pointer
       health      WEBHOOK_HEALTH_CHECK: 200 without handlers unless
                   rx.health_checks (then no subscription or filter)
       subscribe   rx.events, rx.project_ids, rx.filter        200, not
                                                               dispatched
       replay      reserve in rx.replay_store, else in rx.replay:
                   duplicate 200 (not dispatched), in flight 409, cache
                   full of ids in flight 503, store unavailable 503
       dispatch    rx.on[event], else rx.on[BH_EVENT_UNKNOWN], else 200
                   unhandled; then commit and 200 (also when the commit
                   fails), or, when the handler fails, release and its 5xx
                   (or 500): the sender retries, and the retry is handled
   409 and 503 are answers a sender retries: Blue retries any non-2xx.
   The outcome names the step (o.result, bh_rx_result_name), the error
   behind it (o.err: BH_ESIG, BH_ESYNTAX, ...), a reason in words, and
   what was read so far (o.in: event, name, doc, payload, verified key).

   Per scheme, bh_receiver_init sets where the event name comes from and
   the Blue-shape check: Blue reads "/event" and wants Blue payloads;
   Standard and Stripe read "/type"; GitHub reads X-GitHub-Event; Stripe's
   replay id is the body's "/id" (Stripe signs each retry anew). Names
   other than Blue's are BH_EVENT_UNKNOWN and reach the default handler,
   with r->name. For Blue payloads signed with Standard headers, set
   rx.blue = 1 and rx.event_pointer = "/event". bh_receive copies nothing
   and allocates nothing; it writes rx.toks and the replay cache, so one
   receiver serves one thread at a time (copy it per thread with its own
   toks; share the cache with bh_replay_set_lock, or share a replay store
   between processes: "Several receivers, one replay store").

   Serving a connection: bh_receiver_serve parses the bytes read so far,
   runs the pipeline once a request is whole and writes the response into
   a caller buffer, so an adapter is a read/write loop:
       bh_http_init(&p, hdrs, 32);
       for (;;) {
           n = read(fd, buf + len, cap - len);     (EOF or error: close)
           len += n;
           for (;;) {
               rc = bh_receiver_serve(&rx, &p, buf, len, cap, time(NULL),
                                      out, sizeof out, &s);
               write(fd, out, s.out_len);          (0, or a 100 Continue)
               if (rc != BH_OK) break;             BH_EINCOMPLETE: read
               memmove(buf, buf + s.consumed, len - s.consumed);
               len -= s.consumed;
               if (s.close) close;
           }
       }
   It answers an HTTP error (bh_http_status_for), a request larger than
   cap (431 or 413), and a request the pipeline refuses for its method,
   media type or size (405, 415, 413; with Expect: 100-continue, before
   its body) and closes; it lowers p's limits to fit cap and rx.max_body. Each response carries the reason as a
   text/plain line (no body for HEAD), "Allow: POST" with 405 and
   "Retry-After: 1" with 503.

   Sending webhooks
   ----------------
   A bh_sender keeps its webhooks, an outbox of deliveries and their bodies
   in memory the caller gives it (bh_sender_config): no heap, no clock and
   no randomness of its own. The Quick start above shows the setup. The
   bh_sender itself is 560 bytes on Cortex-M4 (776 on x86-64), most of it
   the headers and signature text of the attempt in flight and the JSON
   writer of the block being built, kept there rather than on the stack:
   bh_sender_poll needs about 0.5 KB of stack on Cortex-M4 besides the
   transport's own, bh_sender_publish about 0.55 KB.
   - bh_sender_publish builds Blue's payload once ({"event", "webhook",
     "previousValue", "currentValue"}), and enqueues one delivery for each
     webhook whose subscription (enabled, events, projectIds) and record
     filter take it. Each delivery has its own id ("msg_" + 32 hex digits),
     the same on every attempt and across restarts. Nothing is enqueued on
     an error: BH_EFULL when the outbox or the arena is full, BH_ESPACE for
     a body over body_cap. Nothing is dropped silently.
   - bh_sender_poll(now) makes the attempts that are due; it calls the
     transport, one POST at a time, and returns. bh_sender_next_due says
     when to call it next. Blue's defaults: the first attempt after 5 s
     (BH_NO_DELAY: at once), 7 s per attempt, any 2xx is success, full-
     jitter exponential backoff from 2 s, 5 attempts; a 3xx is a failure
     (redirects are never followed).
   - Signing: X-Signature with the webhook's own secret, the same bytes on
     every attempt. With the BH_SEND_STANDARD flag (bh_sender_add) the
     Standard Webhooks headers too: webhook-id is the delivery id, the
     timestamp and signature are fresh on each attempt. They need the wall
     clock (config.wall_clock); before 2020 it counts as unset and the
     attempt fails with BH_ECLOCK instead of sending what every receiver
     would reject. The secret is never written into a payload ("secret":
     ""), a log line or an error string.
   - Health: failures counts consecutive failed attempts per webhook. When
     a delivery runs out of attempts, BH_POLICY_DEAD_LETTER (the default)
     keeps it as a dead letter, marks the webhook UNHEALTHY and goes on;
     the next 2xx makes it HEALTHY. BH_POLICY_BLUE disables the webhook, as
     Blue does, and its pending deliveries become dead letters. List them
     with bh_sender_slot, put one back with bh_sender_replay, give it up
     with bh_sender_drop. bh_sender_enable sends a signed
     WEBHOOK_HEALTH_CHECK first, as Blue does.
   - Persistence: config.store (bh_store: append, load, rewrite) keeps the
     events, the deliveries and their states; bh_sender_load resumes them
     after a restart. bh_journal is a store in one append-only file: each
     batch one frame with a CRC-32, written with one write() and fsync'd
     before append returns, so a publish that returned BH_OK survives a
     power cut; a torn last frame is cut off on load; bh_sender_compact
     rewrites it with only what is live. An MCU implements bh_store on
     flash.
   - Transports: a bh_transport is one function that POSTs a bh_post and
     returns the HTTP status or a negative error (BH_ECONNECT, BH_ETIMEOUT,
     BH_ERESET, BH_EDNS, ...). bh_transport_socket speaks HTTP/1.1 over
     POSIX sockets (http:// only); bh_transport_curl (BLUEHOOK_CURL) does
     https with a CURL handle you own, reused between attempts; your own
     stack needs only bh_post_head (the request head to send) and
     bh_response_status (the status of the answer's first line):
     examples/transport_custom.c.
   - The internal-address policy (bh_transport_opts.refuse_internal, as
     Blue's): the host is resolved first, every address is checked with
     bh_ip_is_internal (loopback, private, link-local and cloud metadata,
     carrier-grade NAT, multicast, their IPv4-mapped forms), and only a
     checked address is connected to (libcurl: pinned with CURLOPT_RESOLVE),
     so a DNS answer that changes cannot slip past it. Only http and https
     URLs are accepted at all (BH_EURL).

   Events, webhooks and filters
   ----------------------------
   bh_event names Blue's events (bh_event_from_name, bh_event_name: one
   perfect-hash probe); bh_event_entity gives the kind of entity each is
   about; bh_event_set is a bit set of them. A bh_webhook is the caller's
   description of one webhook, with Blue's subscription rule in
   bh_webhook_subscribed: enabled, its events hold the event (or are
   empty), its projectIds hold the event's project (or are empty). A
   record-scope filter narrows it further to some records:
       bh_filter_node nodes[32];
       bh_filter f;
       if (bh_filter_parse(&f, text, len, nodes, 32) != BH_OK)
           report(f.err_pos, f.reason);
       hook.filter = &f;                           or, on a parsed payload:
       bh_filter_eval(&f, &doc);                   1 holds, 0 does not
   The syntax is at bh_filter_parse's declaration; for example
       /todoList/id == "clakt9v5t000kvt64f563l90l" && changed /done
   bh_webhook_matches applies the rule and the filter to a parsed payload;
   the sender and the receiver both use it.

   Ownership and lifetimes
   -----------------------
   - The caller owns all memory; bluehook keeps pointers, never copies.
     What a struct points at must outlive it: a bh_webhook's strings and
     project ids, a bh_filter's text, a bh_json's input (tokens and strings
     are views into it), a parser's header array and buffer (header views
     point into the buffer: do not move or reuse it while you use them), a
     sender's config memory and registered webhooks, a receiver's keys,
     tokens and cache.
   - In-place work is limited and documented: bh_http_parse decodes a
     chunked body in place, touching only the body's bytes; nothing else
     writes into an input.
   - bh_key and bh_hmac_key hold prepared secret material: bh_wipe them
     when they are retired. bluehook wipes its own temporaries.
   - Nothing needs freeing and nothing is global: dropping a struct is
     enough (after wiping keys).

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
   - Stack: no public function needs more than 1 KB of stack, its own frame
     and everything it calls, on Cortex-M4 or x86-64 (make size lists each;
     what it calls through a pointer, such as a handler, a transport or a
     store, is the caller's to add). bh_receive with no outcome to fill
     keeps one on its stack: pass one to save ~0.3 KB.

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
   secret's base64 is decoded with arithmetic, a quad at a time straight
   into the hash, its one conditional is the decoder's verdict, and a key
   over 64 bytes is hashed for each of its possible lengths with the right
   digest kept by a mask. bh_verify checks the headers (public) first, then
   computes the MAC and compares it with every received signature, without
   early exit; its one conditional per key is the verdict. tests/ctgrind.c
   asserts these counts for every scheme.

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
                                 and the CPU probe, costs 5-8x in hashing speed.
                                 The JSON reader then scans 8 bytes at a time
                                 (SWAR) instead of 16 with SSE2 or NEON, ~1.5x
                                 slower
       BLUEHOOK_NO_STDIO         accepted for builds that must not link stdio;
                                 the core never uses it
       BLUEHOOK_NO_DOUBLE        leaves out bh_json_double and bh_jw_double
                                 and their exact arithmetic (about 6 KB of
                                 code on Cortex-M4 with soft-float, 0.7 KB
                                 of stack), for targets without floating
                                 point; integers still work
       BLUEHOOK_JSON_MAX_DEPTH   nesting the JSON reader accepts (default
                                 1024, at most 65535); free when parsing into
                                 tokens, a bit per level of stack when only
                                 measuring
       BLUEHOOK_NO_POSIX         leave out the POSIX parts (socket transport,
                                 file journal) where POSIX is visible; they
                                 cost nothing unless called
       BLUEHOOK_CURL             add the libcurl transport (link -lcurl)

   Version macros
   --------------
       BLUEHOOK_VERSION          "0.1.0", the same as bluehook.pc's Version
       BLUEHOOK_VERSION_MAJOR    0      a new major breaks the API
       BLUEHOOK_VERSION_MINOR    1      a new minor only adds to it
       BLUEHOOK_VERSION_PATCH    0      fixes
       BLUEHOOK_HAS_POSIX        defined by the header where the POSIX parts
                                 are built (POSIX visible, BLUEHOOK_NO_POSIX
                                 not defined): test it before using
                                 bh_transport_socket or bh_journal

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
       BH_ENOTFOUND  -21    no such member or element
       BH_EPOINTER   -22    a malformed JSON pointer
       BH_ENOTINT    -23    a number with a fraction where an integer is due
       BH_ESTATE     -24    a writer call out of order
       BH_ETOOBIG    -25    input longer than INT_MAX bytes

       (signatures and replay)
       BH_EINFLIGHT  -30    id reserved, its delivery still in flight
       BH_ENOTRESERVED -31  id not reserved in the replay cache
       BH_EREPLAYFULL -32   replay cache full of ids in flight
       BH_EUNAVAILABLE -33  a replay store that cannot answer (Redis down)

       (events, webhooks and filters)
       BH_EFILTER    -40    a filter's syntax error
       BH_ESHAPE     -41    JSON, but not shaped as a Blue payload

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
       BH_ECONNECT   -60    connection refused or unreachable
       BH_ETIMEOUT   -61    no answer within the timeout
       BH_ERESET     -62    connection reset or closed early
       BH_EDNS       -63    the host name did not resolve
       BH_EURL       -64    a URL that cannot be delivered to
       BH_EFORBIDDEN -65    a destination the policy refuses
       BH_ENOTLS     -66    https, and this transport has no TLS
       BH_EIO        -67    storage failed
       BH_ECORRUPT   -68    stored data damaged (not a torn last write)
       BH_ECLOCK     -69    a timestamp is due and the wall clock is unset

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
#define BH_ENOTFOUND (-21) /* no such member or element */
#define BH_EPOINTER (-22)  /* a malformed JSON pointer */
#define BH_ENOTINT (-23)   /* a number with a fraction where an integer is due */
#define BH_ESTATE (-24)    /* a writer call out of order */
#define BH_ETOOBIG (-25)   /* input longer than the limit (INT_MAX bytes) */

/* signatures and replay: -30 .. -39 */
#define BH_EINFLIGHT (-30)    /* id reserved, its delivery still in flight */
#define BH_ENOTRESERVED (-31) /* id not reserved in the replay cache */
#define BH_EREPLAYFULL (-32)  /* replay cache full of ids in flight */
#define BH_EUNAVAILABLE (-33) /* the replay store cannot answer */

/* events, webhooks and filters: -40 .. -49 */
#define BH_EFILTER (-40)    /* a filter's syntax error */
#define BH_ESHAPE (-41)     /* JSON, but not shaped as a Blue payload */

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
#define BH_ECONNECT (-60)   /* connection refused or unreachable */
#define BH_ETIMEOUT (-61)   /* no answer within the timeout */
#define BH_ERESET (-62)     /* connection reset or closed early */
#define BH_EDNS (-63)       /* the host name did not resolve */
#define BH_EURL (-64)       /* a URL that cannot be delivered to */
#define BH_EFORBIDDEN (-65) /* a destination the policy refuses */
#define BH_ENOTLS (-66)     /* https, and this transport has no TLS */
#define BH_EIO (-67)        /* storage failed */
#define BH_ECORRUPT (-68)   /* stored data damaged (not a torn last write) */
#define BH_ECLOCK (-69)     /* a timestamp is due and the wall clock is unset */


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

/* Deepest nesting the reader accepts (containers inside containers). Costs
   nothing when parsing into tokens; a measure-only parse keeps one bit per
   level on the stack. At most 65535. */
#ifndef BLUEHOOK_JSON_MAX_DEPTH
#define BLUEHOOK_JSON_MAX_DEPTH 1024
#endif

/* The type of a token. */
typedef enum bh_json_type {
    BH_JSON_OBJECT = 1,
    BH_JSON_ARRAY = 2,
    BH_JSON_STRING = 3,
    BH_JSON_NUMBER = 4,
    BH_JSON_TRUE = 5,
    BH_JSON_FALSE = 6,
    BH_JSON_NULL = 7
} bh_json_type;

#define BH_JSON_FKEY 1     /* flag: this string is an object's key */
#define BH_JSON_FESCAPED 2 /* flag: this string has backslash escapes */
#define BH_JSON_FREAL 4    /* flag: this number has a fraction or exponent */

/* One JSON value (or object key), 16 bytes, a view into the input. Tokens
   are in document order: a container is followed by its contents, an object
   member by its key token then its value token. */
typedef struct bh_json_tok {
    uint32_t start; /* byte offset of the value's JSON text in the input */
    uint32_t len;   /* length of that text (a string's includes its quotes) */
    uint32_t next;  /* index of the first token after this value's subtree */
    uint8_t type;   /* a bh_json_type */
    uint8_t flags;  /* BH_JSON_F* */
    uint16_t depth; /* 0 for the root, one more inside each container */
} bh_json_tok;

/* A parsed document: the input and the tokens stay the caller's. */
typedef struct bh_json {
    size_t ntoks;   /* tokens used; after BH_ESPACE, tokens needed */
    size_t err_pos; /* byte offset of the first error */
    const char *src;
    size_t len;
    const bh_json_tok *toks;
    const char *reason;
} bh_json;

/* Parse len bytes of strict RFC 8259 JSON into toks[0..cap). Returns BH_OK,
   BH_ESPACE (ntoks then holds the count needed; the input is valid),
   BH_EINCOMPLETE (the input ends inside the document), BH_ESYNTAX, BH_EUTF8,
   BH_ENUMBER, BH_EDEPTH, BH_ETRAILING, BH_ETOOBIG (len > INT_MAX) or
   BH_EINVAL. With toks NULL and cap 0 it only validates and counts. */
BHDEF int bh_json_parse(bh_json *doc, const char *src, size_t len,
                        bh_json_tok *toks, size_t cap);
/* Why the last parse failed, in a few words ("ok" after success). */
BHDEF const char *bh_json_reason(const bh_json *doc);
/* Line and column (both from 1; the column counts UTF-8 characters) of byte
   offset pos of the parsed input, e.g. doc->err_pos. BH_OK or BH_EINVAL. */
BHDEF int bh_json_line_col(const bh_json *doc, size_t pos, size_t *line,
                           size_t *col);

/* The token an RFC 6901 pointer ("/a/0/b", "" for tok itself) names under
   tok; BH_ENOTFOUND when absent, BH_EPOINTER when malformed. A repeated key
   resolves to its last occurrence, as JavaScript's JSON.parse does. */
BHDEF int bh_json_get(const bh_json *doc, int tok, const char *pointer);
/* bh_json_get with a counted pointer. */
BHDEF int bh_json_get_n(const bh_json *doc, int tok, const char *pointer,
                        size_t len);
/* The value of object obj's last member named key (len bytes, compared with
   the unescaped key), or BH_ENOTFOUND; BH_EINVAL when obj is no object. */
BHDEF int bh_json_member(const bh_json *doc, int obj, const char *key,
                         size_t len);
/* Element i of array arr, or BH_ENOTFOUND; BH_EINVAL when arr is no array. */
BHDEF int bh_json_index(const bh_json *doc, int arr, size_t i);
/* The first element of an array, or the key of an object's first member
   (its value is the next token); BH_ENOTFOUND when empty, BH_EINVAL when tok
   is no container. */
BHDEF int bh_json_child(const bh_json *doc, int tok);
/* The element or member key after child in container tok; BH_ENOTFOUND at
   the end. */
BHDEF int bh_json_next(const bh_json *doc, int tok, int child);
/* The number of elements or members of a container, or BH_EINVAL. */
BHDEF int bh_json_count(const bh_json *doc, int tok);
/* A token's bh_json_type, or BH_EINVAL for a bad index. */
BHDEF int bh_json_type_of(const bh_json *doc, int tok);
/* A token's JSON text (into the input) and its length, or NULL. */
BHDEF const char *bh_json_raw(const bh_json *doc, int tok, size_t *len);

/* The unescaped UTF-8 of a string token, NUL-terminated: returns its length,
   BH_EINVAL when tok is no string, or BH_ESPACE (out then holds "" when cap
   > 0). Never more than the raw length (the token's len - 1) is needed. A
   lone \u surrogate escape decodes to U+FFFD. */
BHDEF int bh_json_string(const bh_json *doc, int tok, char *out, size_t cap);
/* 1 when string token tok unescapes to the len bytes at s, else 0;
   BH_EINVAL when tok is no string. Copies nothing. */
BHDEF int bh_json_string_eq(const bh_json *doc, int tok, const char *s,
                            size_t len);
/* 1 when two string tokens (of the same or two documents) unescape to the
   same bytes, else 0; BH_EINVAL when either is no string. */
BHDEF int bh_json_strings_equal(const bh_json *a, int ta, const bh_json *b,
                                int tb);
/* Read an integral number ("12", "-3", "1.0", "2e3") into *out. BH_EINVAL
   when tok is no number, BH_ENOTINT when its value has a fraction,
   BH_ENUMBER when it does not fit. */
BHDEF int bh_json_int64(const bh_json *doc, int tok, int64_t *out);
/* The same for uint64_t ("-0" is 0; a negative value is BH_ENUMBER). */
BHDEF int bh_json_uint64(const bh_json *doc, int tok, uint64_t *out);
#ifndef BLUEHOOK_NO_DOUBLE
/* The nearest double (correctly rounded, ties to even). BH_EINVAL when tok
   is no number; BH_ENUMBER when the value overflows (*out is then +-inf). */
BHDEF int bh_json_double(const bh_json *doc, int tok, double *out);
#endif
/* *out = 1 for true, 0 for false; BH_EINVAL otherwise. */
BHDEF int bh_json_bool(const bh_json *doc, int tok, int *out);
/* 1 when tok is null, else 0. */
BHDEF int bh_json_is_null(const bh_json *doc, int tok);
/* Compare two JSON number texts by exact decimal value, without floating
   point: *order = -1, 0 or 1. BH_ENUMBER when either is not a JSON number.
   Exponents beyond +-10^15 are clamped there. */
BHDEF int bh_json_number_cmp(const char *a, size_t alen, const char *b,
                             size_t blen, int *order);

/* ==== json writer ====================================================== */

#define BH_JW_MAX_DEPTH 1024 /* nesting the writer can track (fixed) */

/* A JSON writer into a caller buffer. Fields len and err are public. */
typedef struct bh_json_writer {
    char *buf;
    size_t cap;
    size_t len; /* bytes the output needs so far, counted past cap */
    int err;    /* the first error, sticky; BH_OK while none */
    uint32_t depth;
    uint32_t state;
    uint8_t kinds[BH_JW_MAX_DEPTH / 8]; /* per level: 1 object, 0 array */
} bh_json_writer;

/* Start writing into buf[0..cap). buf NULL (cap 0) measures only. */
BHDEF void bh_jw_init(bh_json_writer *w, char *buf, size_t cap);
/* Open an object. Each writer call returns BH_OK or the sticky error:
   BH_ESTATE (a call out of order: a value where a key is due, a key outside
   an object, an end that does not match, a second document), BH_EDEPTH,
   BH_EUTF8, BH_ENUMBER, or what bh_json_parse says of a raw fragment.
   Running out of room is not an error until bh_jw_finish. */
BHDEF int bh_jw_begin_object(bh_json_writer *w);
/* Close the innermost object. */
BHDEF int bh_jw_end_object(bh_json_writer *w);
/* Open an array. */
BHDEF int bh_jw_begin_array(bh_json_writer *w);
/* Close the innermost array. */
BHDEF int bh_jw_end_array(bh_json_writer *w);
/* A member's key (len bytes of UTF-8, escaped as a string is). */
BHDEF int bh_jw_key(bh_json_writer *w, const char *s, size_t len);
/* A string value: len bytes of UTF-8 (a NUL is just a character). '"',
   '\\' and control characters are escaped, '/' and non-ASCII are not. */
BHDEF int bh_jw_string(bh_json_writer *w, const char *s, size_t len);
/* An integer value. */
BHDEF int bh_jw_int64(bh_json_writer *w, int64_t v);
/* An unsigned integer value. */
BHDEF int bh_jw_uint64(bh_json_writer *w, uint64_t v);
#ifndef BLUEHOOK_NO_DOUBLE
/* A double, as JavaScript prints it: the shortest digits that read back to
   the same double, in the locale-independent form of Number.toString (-0 is
   written "-0"). NaN and infinities are BH_ENUMBER. */
BHDEF int bh_jw_double(bh_json_writer *w, double v);
#endif
/* true or false. */
BHDEF int bh_jw_bool(bh_json_writer *w, int v);
/* null. */
BHDEF int bh_jw_null(bh_json_writer *w);
/* A value given as JSON text, validated (one complete value; white space
   around it is dropped) before it is copied. Its nesting counts toward
   BH_JW_MAX_DEPTH as the writer's own containers do (BH_EDEPTH). */
BHDEF int bh_jw_raw(bh_json_writer *w, const char *json, size_t len);
/* A value of a parsed document, copied token by token: white space dropped,
   strings re-escaped as bh_jw_string does, numbers kept as written. */
BHDEF int bh_jw_value(bh_json_writer *w, const bh_json *doc, int tok);
/* Finish: returns the document's length, NUL-terminated in buf when the NUL
   fits. BH_ESPACE when it did not fit (w->len + 1 is the capacity needed;
   a measuring writer returns the length instead), BH_ESTATE when the
   document is not complete, or the sticky error. */
BHDEF int bh_jw_finish(bh_json_writer *w);

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
    const struct bh_filter *filter;    /* record-scope filter; NULL: none */
} bh_webhook;

/* Blue's subscription rule: 1 when w is enabled, its events hold e or are
   empty, and its project ids hold the event's project or are empty; else 0.
   project_id may be NULL (len 0) for an event without a project, which only
   webhooks without project ids receive. */
BHDEF int bh_webhook_subscribed(const bh_webhook *w, bh_event e,
                                const char *project_id, size_t len);

/* Write a webhook object as Blue's payloads carry it, in the key order of
   a real delivery: id, uid, name, url, secret (always "": the secret is
   never written), status, enabled, metadata {events, projectIds},
   createdById, createdAt, updatedAt. NULL strings are left out; events
   are listed in bh_event order. Returns the writer's sticky state. */
BHDEF int bh_webhook_write(bh_json_writer *jw, const bh_webhook *w);

/* Write Blue's payload: {"event", "webhook", "previousValue",
   "currentValue"}. previous and current are JSON texts, validated before
   they are embedded (white space around them dropped); NULL leaves the key
   out, as Blue does on create (previousValue) and in its health check
   (both); the text "null" writes null, as on delete (currentValue). */
BHDEF int bh_payload_write(bh_json_writer *jw, const char *event,
                           size_t event_len, const bh_webhook *w,
                           const char *previous, size_t previous_len,
                           const char *current, size_t current_len);

/* ---- reading a payload (receiver side) ---- */

/* What a Blue payload holds, as token indexes into its parsed document
   (BH_ENOTFOUND when absent). */
typedef struct bh_payload {
    bh_event event;   /* BH_EVENT_UNKNOWN for a name Blue does not send */
    bh_entity kind;   /* the kind of entity the event is about */
    int event_name;   /* the /event string */
    int webhook;      /* /webhook */
    int previous;     /* /previousValue, when it is an object */
    int current;      /* /currentValue, when it is an object */
    int entity;       /* current, or previous when current is null (delete) */
} bh_payload;

/* Read a parsed payload. BH_ESHAPE when it is not Blue-shaped: the root
   must be an object with an "event" string and a "webhook" object, and
   previousValue and currentValue, when present, objects or null. Absent and
   null records are alike (Blue leaves previousValue out on create). */
BHDEF int bh_payload_read(bh_payload *p, const bh_json *doc);
/* The entity's id (a string token), or BH_ENOTFOUND. */
BHDEF int bh_payload_entity_id(const bh_payload *p, const bh_json *doc);
/* The id of the record ("todo") the entity belongs to: the entity itself
   for record events; /todoId or /todo/id for a checklist; /checklist/todoId
   or /checklist/todo/id for a checklist item; /todoId, /todo/id or
   /categoryId for a comment; BH_ENOTFOUND for lists, tags, custom fields. */
BHDEF int bh_payload_record_id(const bh_payload *p, const bh_json *doc);
/* The project's id, looked up where each kind of entity carries it, the
   expanded object first, then the foreign key:
     record          /todoList/project/id, /todoList/projectId, /projectId
     checklist       /todo/todoList/project/id, /todo/todoList/projectId,
                     /projectId
     checklist item  /checklist/todo/todoList/project/id,
                     /checklist/todo/todoList/projectId, /projectId
     comment         /todo/todoList/project/id, /todo/todoList/projectId,
                     /projectId
     list, tag, custom field   /project/id, /projectId
   BH_ENOTFOUND when none is there (the health check has none). */
BHDEF int bh_payload_project_id(const bh_payload *p, const bh_json *doc);
/* The company's id: the project's /company/id or /companyId, then the
   entity's /companyId; BH_ENOTFOUND when absent. */
BHDEF int bh_payload_company_id(const bh_payload *p, const bh_json *doc);
/* The webhook's /id, or BH_ENOTFOUND. */
BHDEF int bh_payload_webhook_id(const bh_payload *p, const bh_json *doc);

/* ---- record-scope filters ----

   A filter narrows a webhook to some records. It is text, parsed once into
   caller memory, and evaluated on a parsed payload without allocating:

       expr   := and ( "||" and )*
       and    := unary ( "&&" unary )*
       unary  := "!" unary | "(" expr ")" | cond
       cond   := path ( "==" | "!=" | "<" | "<=" | ">" | ">=" ) value
               | path "in" "[" value ( "," value )* "]"
               | path "exists"
               | "changed" path
       path   := a JSON pointer into currentValue ("/todoList/id"); "prev:"
                 before it reads previousValue, "$" before it reads the
                 payload's root ("$/event"). A segment "*" stands for every
                 element of an array (on an object it is the key "*"): the
                 condition holds when it holds for any of them.
       value  := a JSON string, number, true, false or null

   Examples follow this comment, as // lines: in a block comment a "*"
   segment followed by "/" would end the comment.

   Values compare as JSON values: strings after unescaping, numbers by exact
   decimal value ("1.0" == 1), true, false and null by kind; an object or an
   array equals no literal. <, <=, > and >= hold for numbers only. A
   condition on an absent field is false, except != which is true. `changed
   /p` holds when prev:/p and /p differ, absent counting as a value of its
   own (objects compare member by member, in any order; arrays in order;
   below 32 levels values count as changed). `exists` holds for null too. A
   path ends at white space or at one of = ! < > ( ) & | [ ] , so keys with
   those characters cannot be named. Nesting is limited to 32 levels and a
   path to 8 "*" segments. */
// /todoList/id == "clakt9v5t000kvt64f563l90l" && changed /done && /done == true
// /todoTags/*/title in ["urgent", "blocked"] || $/event == "COMMENT_CREATED"
// /todoUsers/*/id == "claksl2ye0000vtas0h0ln71e"
// !(/archived == true) && prev:/position > 1000

/* One node of a parsed filter (caller memory; fields are internal). */
typedef struct bh_filter_node {
    uint8_t kind, op, source, pad;
    uint32_t next;      /* the index after this node's subtree */
    uint32_t pos, len;  /* the node's text in the filter */
    uint32_t arg, arg_len; /* a condition's path, or a value's literal */
} bh_filter_node;

/* A parsed filter. text must outlive it; reason and err_pos are public. */
typedef struct bh_filter {
    const char *text;
    size_t len;
    bh_filter_node *nodes;
    size_t nnodes;      /* nodes used; after BH_ESPACE, nodes needed */
    size_t err_pos;     /* byte offset of a syntax error */
    const char *reason; /* why parsing failed, in a few words */
} bh_filter;

/* Parse filter text into nodes[cap]. BH_OK; BH_EFILTER for a syntax error
   (err_pos and reason say where and why); BH_ESPACE when cap is too small
   (nnodes then holds the count needed). A filter of n conditions and k
   values needs about 2n + k nodes. After an error the filter is unusable:
   bh_filter_eval and bh_filter_explain answer BH_EINVAL. */
BHDEF int bh_filter_parse(bh_filter *f, const char *text, size_t len,
                          bh_filter_node *nodes, size_t cap);
/* Evaluate on a parsed Blue payload: 1 when it holds, else 0; BH_EINVAL for
   a filter that was not parsed. */
BHDEF int bh_filter_eval(const bh_filter *f, const bh_json *payload);
/* Evaluate, and when the filter does not hold, point *pos and *len at the
   condition that decided it (its text in the filter). */
BHDEF int bh_filter_explain(const bh_filter *f, const bh_json *payload,
                            size_t *pos, size_t *len);

/* Blue's rule and the webhook's record filter, on a parsed payload: 1 when
   w gets it, else 0. The event and the project come from the payload
   (bh_payload_read). */
BHDEF int bh_webhook_matches(const bh_webhook *w, const bh_json *payload);



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
    size_t hint;             /* the last reservation's slot, where commit
                                and release look first */
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

/* Where a receiver keeps replay ids: a bh_replay (bh_replay_store_local),
   or a store that several receivers share (Redis, a database). Each call
   gets ctx, the id (id->window_s: how long a done id is remembered) and
   the receiver's clock, Unix seconds. reserve returns BH_OK (new: handle
   it), BH_EREPLAY (done before), BH_EINFLIGHT (reserved, not done yet),
   BH_EREPLAYFULL (no room for it); anything else means the store could
   not answer (BH_EUNAVAILABLE, say), and nothing is dispatched. commit
   (the handler succeeded: done for the window) and release (it failed:
   forget the id if it is still pending) return BH_OK or an error, which
   bh_receive reports in its outcome without changing the answer. */
typedef struct bh_replay_store {
    int (*reserve)(void *ctx, const bh_replay_id *id, int64_t now);
    int (*commit)(void *ctx, const bh_replay_id *id, int64_t now);
    int (*release)(void *ctx, const bh_replay_id *id, int64_t now);
    void *ctx; /* passed to each call */
} bh_replay_store;

/* Make s the store interface of cache r (kept, not copied). BH_OK or
   BH_EINVAL. */
BHDEF int bh_replay_store_local(bh_replay_store *s, bh_replay *r);

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

/* ---- the receive pipeline ----

   One call runs a request through: method (405), Content-Type (415), size
   (413), signature (401), JSON (400; 413 when the token memory is too
   small), Blue shape (400, Blue payloads only), the health check (200),
   subscription and filter (200, not dispatched), replay reservation
   (duplicate: 200, not dispatched; in flight: 409; cache full of ids in
   flight, or a replay store that cannot answer: 503), the handler, then
   commit (200) or, when the handler fails, release (5xx: the sender
   retries and the retry is handled). */

#define BH_RESPONSE_MAX 256  /* out bytes bh_receiver_serve needs at least */
#define BH_EVENT_NAME_MAX 64 /* an escaped event name is unescaped into this
                                many bytes (a longer one reads as "") */

/* What a handler gets: views into the body, the headers, the receiver's
   token memory and the outcome that holds it; valid during the call, and
   after it until the receiver's next call. */
typedef struct bh_received {
    bh_event event;          /* BH_EVENT_UNKNOWN for other names (Stripe's,
                                GitHub's) and when there is no name */
    const char *name;        /* the event name as sent, "" when none */
    size_t name_len;
    int blue;                /* 1: Blue-shaped, payload is read */
    bh_payload payload;      /* Blue payloads: event, webhook, records */
    bh_json doc;             /* the parsed body */
    bh_verified verified;    /* which key matched, the signed timestamp */
    const char *body;        /* the raw body, as signed */
    size_t body_len;
    const bh_header *headers;
    size_t nheaders;
} bh_received;

/* A handler: return 0 when the event is handled (the replay id is
   committed, the answer is 200). Anything else is a failure: the replay id
   is released and the answer is that value when it is in 500..599, else
   500, so the sender retries. */
typedef int (*bh_handler)(void *ctx, const bh_received *r);

/* A handler and its context. */
typedef struct bh_route {
    bh_handler fn;
    void *ctx;
} bh_route;

/* A receiver: configuration only, in caller memory. bh_receiver_init sets
   every field; change the public ones after it. bh_receive writes into
   toks (and the replay cache): use a receiver from one thread at a time
   (give each thread a copy with its own toks; share a replay cache with
   lock hooks, see bh_replay_set_lock). */
typedef struct bh_receiver {
    const bh_key *keys;        /* prepared secrets; several for rotation */
    size_t nkeys;
    bh_scheme scheme;          /* what the defaults below were chosen for */
    uint32_t tolerance_s;      /* Standard, Stripe: 0 is 300 s */
    size_t max_body;           /* larger bodies are 413; BH_HTTP_MAX_BODY_BYTES */
    bh_json_tok *toks;         /* token memory for one body's parse; a body */
    size_t ntoks;              /*   with more JSON values is 413 */
    int blue;                  /* 1: payloads must be Blue-shaped (400 if
                                  not); 1 for BH_SCHEME_BLUE */
    const char *event_pointer; /* where the event name is: a JSON pointer,
                                  "/event" (Blue), "/type" (Standard,
                                  Stripe); NULL: none */
    const char *event_header;  /* or a header, "X-GitHub-Event" (GitHub);
                                  when set, it wins over the pointer */
    bh_event_set events;       /* subscribed events; empty: all. Only Blue
                                  names can be listed: with a non-empty set,
                                  other names are filtered out */
    const char *const *project_ids; /* subscribed projects (Blue payloads */
    size_t nproject_ids;            /*   only); none: all */
    const bh_filter *filter;   /* a record-scope filter; NULL: none */
    bh_replay *replay;         /* duplicate detection; NULL: none */
    const bh_replay_store *replay_store; /* a store shared with other
                                  receivers; when set, replay is unused */
    const char *replay_pointer;/* a string in the body to use as the replay
                                  id ("/id" for Stripe, which signs each
                                  retry anew); NULL or absent: the scheme's
                                  id (see bh_replay_id_init) */
    int health_checks;         /* 1: WEBHOOK_HEALTH_CHECK reaches the
                                  handlers; 0 (default): answered 200 by the
                                  pipeline, bypassing subscription and
                                  filter */
    bh_route on[BH_EVENT_COUNT]; /* per event; on[BH_EVENT_UNKNOWN] is the
                                    default for events without their own */
} bh_receiver;

/* What the pipeline did with a request. */
typedef enum bh_rx_result {
    BH_RX_HANDLED = 1,  /* 200: the handler succeeded (replay id committed) */
    BH_RX_UNHANDLED,    /* 200: verified, no handler for the event */
    BH_RX_HEALTH_CHECK, /* 200: WEBHOOK_HEALTH_CHECK, answered without
                           the handlers */
    BH_RX_DUPLICATE,    /* 200: handled before; not dispatched again */
    BH_RX_FILTERED,     /* 200: event or project not subscribed, or the
                           filter does not hold; not dispatched */
    BH_RX_BAD_METHOD,   /* 405: not POST */
    BH_RX_BAD_MEDIA,    /* 415: a Content-Type that is not JSON */
    BH_RX_TOO_LARGE,    /* 413: over max_body (BH_EBODYSIZE), or more
                           JSON values than toks holds (BH_ESPACE) */
    BH_RX_UNAUTHORIZED, /* 401: err is bh_verify's (BH_ENOSIG, BH_ESIG,
                           BH_ESTALE, BH_EMALFORMED, BH_ENOKEY) */
    BH_RX_NOT_JSON,     /* 400: err is bh_json_parse's, err_pos where */
    BH_RX_NOT_BLUE,     /* 400: BH_ESHAPE */
    BH_RX_BAD_REQUEST,  /* 4xx, 5xx: bh_http_parse refused the request
                           (bh_receiver_serve only); err is its code
                           (BH_EBODYSIZE is BH_RX_TOO_LARGE) */
    BH_RX_FAILED,       /* 5xx: the handler failed (err: its return); the
                           replay id was released */
    BH_RX_IN_FLIGHT,    /* 409: the same delivery is being handled now */
    BH_RX_BUSY,         /* 503: the replay cache is full of ids in flight */
    BH_RX_ERROR,        /* 500: receiver not set up (err: BH_EINVAL) */
    BH_RX_UNAVAILABLE   /* 503: the replay store could not answer (err:
                           what its reserve returned); not dispatched */
} bh_rx_result;

/* The report of one request, for logs. Views into the request, the
   receiver's token memory and this struct itself: do not copy it while
   using in.name. */
typedef struct bh_outcome {
    int status;            /* the HTTP status to answer */
    bh_rx_result result;
    int err;               /* the error behind the result (see above) */
    const char *reason;    /* a few words, for logs; never NULL */
    size_t err_pos;        /* NOT_JSON: the error's offset in the body;
                              FILTERED by the filter: the offset, in the
                              filter's text, of the condition that failed */
    size_t err_len;        /* FILTERED by the filter: that condition's length */
    bh_received in;        /* what was received, as far as the pipeline got */
    char name_buf[BH_EVENT_NAME_MAX];
} bh_outcome;

/* What bh_receiver_serve produced. */
typedef struct bh_served {
    size_t consumed;    /* BH_OK: the request's bytes; drop them from buf */
    size_t out_len;     /* bytes written to out: send them (also on
                           BH_EINCOMPLETE: a "100 Continue") */
    int close;          /* 1: close the connection once out is sent */
    bh_outcome outcome; /* BH_OK: what the pipeline did */
} bh_served;

/* Set a receiver up for a scheme: keys[nkeys] (kept, not copied), token
   memory, and the scheme's defaults: Blue reads "/event" and wants Blue
   payloads; Standard and Stripe read "/type"; GitHub reads the
   X-GitHub-Event header; Stripe's replay id is the body's "/id". No
   handlers, no replay cache, no subscription, no filter. BH_OK or
   BH_EINVAL (no keys, no tokens, unknown scheme). */
BHDEF int bh_receiver_init(bh_receiver *rx, bh_scheme scheme,
                           const bh_key *keys, size_t nkeys,
                           bh_json_tok *toks, size_t ntoks);
/* Set the handler of an event (BH_EVENT_UNKNOWN: the default handler, for
   every event without its own); fn NULL removes it. BH_OK or BH_EINVAL. */
BHDEF int bh_receiver_on(bh_receiver *rx, bh_event e, bh_handler fn,
                         void *ctx);
/* Run one request through the pipeline and return the HTTP status to
   answer (always 100..599); out (may be NULL) says what happened. method
   may be NULL when the caller's stack routed only POSTs here; headers are
   the request's (Content-Type and the signature's among them); now is Unix
   seconds (Standard and Stripe timestamps, replay windows). */
BHDEF int bh_receive(const bh_receiver *rx, const char *method,
                     size_t method_len, const bh_header *headers,
                     size_t nheaders, const char *body, size_t body_len,
                     int64_t now, bh_outcome *out);
/* Serve a connection's bytes: parse buf[0 .. len) with p (bh_http_init),
   and once a request is whole, run bh_receive and write the response
   (status line, Content-Length, Connection, a text/plain reason) into out
   (out_cap >= BH_RESPONSE_MAX). cap is the most bytes buf can hold: a
   request that cannot fit is answered 431 or 413. Returns BH_OK (send
   out, drop s->consumed bytes from buf, close if s->close, else call again
   at once: pipelined bytes may hold the next request), BH_EINCOMPLETE
   (read more; send out first when out_len is not 0), BH_ESPACE (out_cap)
   or BH_EINVAL. An HTTP error, a request that cannot fit, or one refused
   for its method, media type or size (405, 415, 413; with Expect:
   100-continue, before its body) is answered and closes; the parser is
   reset after every answer. */
BHDEF int bh_receiver_serve(const bh_receiver *rx, bh_http_parser *p,
                            char *buf, size_t len, size_t cap, int64_t now,
                            char *out, size_t out_cap, bh_served *s);
/* A short name for a result ("handled", "duplicate", "unauthorized" ...);
   "?" when unknown. */
BHDEF const char *bh_rx_result_name(bh_rx_result r);

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

/* Records to keep together. get fills record i; call it with i = 0, 1, 2
   ... in order (a new pass may start again from 0). */
typedef struct bh_store_batch {
    size_t n;
    void (*get)(const struct bh_store_batch *b, size_t i, bh_store_record *out);
    void *arg;        /* for get: state it may change */
    const void *data; /* for get: data it only reads */
} bh_store_batch;

/* A batch over an array of n records. */
BHDEF bh_store_batch bh_store_batch_array(const bh_store_record *recs,
                                          size_t n);

/* Persistence for the sender: a restart resumes every undelivered and
   dead-lettered delivery. bluehook's file journal implements it; an MCU can
   implement it on flash. */
typedef struct bh_store {
    void *ctx;
    /* Keep a batch atomically; durable before BH_OK when it holds an EVENT
       or a DELIVERY record. */
    int (*append)(void *ctx, const bh_store_batch *batch);
    /* Call emit with every record kept, in order; stop at its first error. */
    int (*load)(void *ctx, int (*emit)(void *arg, const bh_store_record *r),
                void *arg);
    /* Compaction: BH_REWRITE_BEGIN, the live records appended, then
       BH_REWRITE_COMMIT (or BH_REWRITE_ABORT). May be NULL. */
    int (*rewrite)(void *ctx, int phase);
} bh_store;

#define BH_DELIVERY_ID_LEN 36 /* "msg_" and 32 hex digits */

/* One delivery in the outbox: an event on its way to one webhook. */
typedef struct bh_delivery {
    char id[BH_DELIVERY_ID_LEN + 1]; /* the same on every attempt and after
                                        a restart */
    uint8_t state;    /* BH_DELIVERY_PENDING or _DEAD; 0 is a free slot */
    uint8_t attempts; /* attempts made */
    uint16_t hook;    /* its webhook: an index into the sender's webhooks, or
                         0xffff when a restart found no webhook with its id */
    uint16_t head;    /* bytes of the event part before the webhook object */
    uint32_t event;   /* arena offset of the body's shared part */
    uint32_t snapshot; /* arena offset of the webhook object as sent */
    int last;         /* the last attempt's HTTP status or error, 0 before */
    uint64_t due_ms;  /* monotonic time of the next attempt */
} bh_delivery;

/* What a webhook asks of the sender, besides Blue's X-Signature. */
#define BH_SEND_STANDARD 1 /* also the Standard Webhooks headers: webhook-id
                              (the delivery id), webhook-timestamp and
                              webhook-signature, fresh on each attempt and
                              keyed by the secret's bytes (a Standard
                              receiver's secret is whsec_ + base64 of them) */

/* The sender's state for one webhook; caller memory, one per webhook. */
typedef struct bh_sender_hook {
    bh_webhook *webhook; /* the caller's; the sender updates status and
                            enabled as health changes */
    bh_key blue;         /* the secret, prepared for X-Signature */
    bh_key standard;     /* and for the Standard headers (BH_SEND_STANDARD) */
    uint32_t failures;   /* consecutive failed attempts */
    unsigned flags;      /* BH_SEND_* */
} bh_sender_hook;

/* When a delivery runs out of attempts: */
#define BH_POLICY_DEAD_LETTER 0 /* bluehook's default: dead-letter it, mark
                                   the webhook UNHEALTHY and go on with the
                                   others; HEALTHY again on the next 2xx */
#define BH_POLICY_BLUE 1        /* Blue's: disable the webhook (enabled 0,
                                   UNHEALTHY); its pending deliveries become
                                   dead letters, so nothing is lost */

#define BH_NO_DELAY 0xffffffffu /* first_delay_ms: attempt at once */

/* The sender's configuration and memory; zero means the default. */
typedef struct bh_sender_config {
    bh_transport transport; /* required */
    void *transport_ctx;
    uint32_t (*random)(void *ctx);    /* required: jitter and delivery ids */
    int64_t (*wall_clock)(void *ctx); /* Unix seconds; needed only for
                                         BH_SEND_STANDARD */
    uint64_t (*mono_ms)(void *ctx);   /* optional: times attempts for
                                         on_attempt */
    void *clock_ctx;                  /* passed to the clock callbacks */
    const bh_store *store;            /* NULL keeps everything in memory */
    /* called after each attempt (result: status or error, ms taken),
       before the delivery is settled: d->attempts and d->state are still
       those from before this attempt */
    void (*on_attempt)(void *ctx, const bh_delivery *d, int result,
                       uint32_t elapsed_ms);
    void *attempt_ctx;
    uint32_t first_delay_ms; /* before the first attempt: 5000, as Blue
                                (BH_NO_DELAY for none) */
    uint32_t timeout_ms;     /* per attempt: 7000, as Blue */
    uint32_t backoff_ms;     /* retry n waits a random time in [0, min(max,
                                backoff_ms * 2^(n-1))] (full jitter): 2000 */
    uint32_t backoff_max_ms; /* 300000 */
    uint8_t max_attempts;    /* 5, as Blue; a URL the transport refuses
                                (BH_EURL, BH_ENOTLS, BH_EFORBIDDEN) is
                                dead-lettered at the first attempt */
    uint8_t policy;          /* BH_POLICY_* */
    bh_sender_hook *hooks;   /* room for the webhooks */
    size_t hooks_cap;
    bh_delivery *outbox;     /* the outbox's slots */
    size_t outbox_cap;
    uint8_t *arena;          /* bodies: each event's shared part once, and
                                each delivery's webhook object */
    size_t arena_cap;
    char *body;              /* where each attempt's body is put together */
    size_t body_cap;         /* the largest body a publish accepts */
    bh_json_tok *toks;       /* for record filters; NULL when none is used */
    size_t toks_cap;
} bh_sender_config;

/* A sender: webhooks, an outbox, retries and health, over caller memory. */
typedef struct bh_sender {
    bh_sender_config c;
    size_t nhooks;
    size_t arena_used;
    uint32_t pin;       /* a block being built, kept in place by compaction */
    uint16_t load_head; /* while loading: the current event's head */
    uint64_t load_now;  /* while loading: when resumed deliveries are due */
    /* private: the attempt in flight, kept here rather than on the stack
       under the signing and the transport: its headers (Content-Type,
       User-Agent, X-Bluehook-Delivery, X-Signature, Standard's three) and
       their signature text (X-Signature's 64 hex digits; Standard's id,
       timestamp and "v1," signature; each NUL-terminated) */
    bh_header att_headers[7];
    char att_text[65 + BH_DELIVERY_ID_LEN + 1 + 20 + 48];
    bh_json_writer jw; /* private: the writer of the block being built,
                          kept here rather than on the stack under the
                          payload writer's check of raw JSON */
} bh_sender;

/* Set a sender up over the memory in cfg (copied). BH_EINVAL when the
   transport, the random callback or any memory is missing. */
BHDEF int bh_sender_init(bh_sender *s, const bh_sender_config *cfg);
/* Register a webhook (its secret is prepared here; the struct must outlive
   the sender). Returns its index, or BH_EFULL, or BH_EINVAL for a missing
   or empty secret or id. */
BHDEF int bh_sender_add(bh_sender *s, bh_webhook *w, unsigned flags);
/* Publish an event: build the payload once, and enqueue one delivery for
   each webhook that is subscribed (events, project) and whose record filter
   holds. previous and current are the records as JSON texts, or NULL (see
   bh_payload_write). Returns the number of deliveries enqueued; nothing at
   all is enqueued on an error: BH_EFULL (outbox or arena), BH_ESPACE (a
   body over body_cap), BH_ESYNTAX and the other JSON errors for a record
   that is not JSON, BH_EIO (the store), BH_EINVAL. */
BHDEF int bh_sender_publish(bh_sender *s, uint64_t now_ms, const char *event,
                            size_t event_len, const char *project_id,
                            size_t project_len, const char *previous,
                            size_t previous_len, const char *current,
                            size_t current_len);
/* Make the attempts that are due at now_ms (a monotonic clock). Returns
   how many were made, or a store error. */
BHDEF int bh_sender_poll(bh_sender *s, uint64_t now_ms);
/* When the next attempt is due (UINT64_MAX when nothing is pending). */
BHDEF uint64_t bh_sender_next_due(const bh_sender *s);
/* Enable a webhook as Blue does: HEALTHY, enabled, and a signed
   WEBHOOK_HEALTH_CHECK enqueued first, due at once. */
BHDEF int bh_sender_enable(bh_sender *s, int hook, uint64_t now_ms);
/* Slot i of the outbox (for listing pending deliveries and dead letters),
   or NULL past the end; a free slot has state 0. */
BHDEF const bh_delivery *bh_sender_slot(const bh_sender *s, size_t i);
/* Put a dead letter back in line, due now with its attempts reset.
   BH_ENOTFOUND when no dead letter has this id; BH_EINVAL when its
   webhook is not registered any more. */
BHDEF int bh_sender_replay(bh_sender *s, const char *id, uint64_t now_ms);
/* Give a delivery up for good (pending or dead). */
BHDEF int bh_sender_drop(bh_sender *s, const char *id);
/* The body of a delivery as it is sent, into buf; returns its length, or
   BH_ESPACE. */
BHDEF int bh_sender_body(const bh_sender *s, const bh_delivery *d, char *buf,
                         size_t cap);
/* After a restart: load the store and resume its deliveries, due now. */
BHDEF int bh_sender_load(bh_sender *s, uint64_t now_ms);
/* Rewrite the store with only what is live (store->rewrite). */
BHDEF int bh_sender_compact(bh_sender *s);

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

/* The head of a POST as the built-in transports send it (request line,
   Host, Content-Length, Connection: close, the post's fields, the blank
   line), NUL-terminated into out when it fits; returns its length, counting
   past cap as snprintf does (out NULL measures). BH_EURL for a bad URL,
   BH_EINVAL for a field that holds CR, LF or NUL (or a name with a
   separator). For your own transport: send this head, then the body. */
BHDEF int bh_post_head(char *out, size_t cap, const bh_post *post);
/* The status of a response's first line ("HTTP/1.1 200 OK\r\n..."), once
   n bytes of it are in: 100-599, BH_EINCOMPLETE before its line ends, or
   BH_ETRANSPORT when it is not an HTTP/1.x status line. */
BHDEF int bh_response_status(const char *p, size_t n);

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

/* json: strings and white space are scanned with SSE2 on x86-64 and NEON
   on aarch64 (both baseline there, no probe); BLUEHOOK_NO_ASM forces SWAR. */
#if !defined(BLUEHOOK_NO_ASM) && (defined(__GNUC__) || defined(__clang__)) && \
    !defined(__TINYC__) && defined(__SSE2__)
#define BH__JSON_SSE2 1
#include <emmintrin.h>
#elif !defined(BLUEHOOK_NO_ASM) && (defined(__GNUC__) || defined(__clang__)) && \
    !defined(__TINYC__) && defined(__aarch64__)
#define BH__JSON_NEON 1
#include <arm_neon.h>
#endif
#include <float.h>
#include <limits.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ==== base ============================================================= */

/* Branch hints; BH__INLINE for a helper whose frame should merge into its
   caller's (hot loops, and the stack budget), BH__NOINLINE for one that
   keeps its own frame, so that its locals do not sit in its caller's frame
   under the caller's deeper calls. */
#if defined(__GNUC__) || defined(__clang__)
#define BH__LIKELY(x) __builtin_expect(!!(x), 1)
#define BH__UNLIKELY(x) __builtin_expect(!!(x), 0)
#define BH__INLINE static __inline__ __attribute__((always_inline))
#define BH__NOINLINE static __attribute__((noinline))
#elif defined(_MSC_VER)
#define BH__LIKELY(x) (x)
#define BH__UNLIKELY(x) (x)
#define BH__INLINE static __inline
#define BH__NOINLINE static __declspec(noinline)
#else
#define BH__LIKELY(x) (x)
#define BH__UNLIKELY(x) (x)
#define BH__INLINE static
#define BH__NOINLINE static
#endif

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
    case BH_ENOTFOUND: return "not found";
    case BH_EPOINTER: return "malformed JSON pointer";
    case BH_ENOTINT: return "not an integer";
    case BH_ESTATE: return "writer call out of order";
    case BH_ETOOBIG: return "input too large";

    /* signatures and replay */
    case BH_EINFLIGHT: return "already in flight";
    case BH_ENOTRESERVED: return "id not reserved";
    case BH_EREPLAYFULL: return "replay cache full";
    case BH_EUNAVAILABLE: return "replay store unavailable";

    /* events, webhooks and filters */
    case BH_EFILTER: return "filter syntax error";
    case BH_ESHAPE: return "not a Blue payload";

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
    case BH_ECONNECT: return "connection refused or unreachable";
    case BH_ETIMEOUT: return "timed out";
    case BH_ERESET: return "connection reset";
    case BH_EDNS: return "host name did not resolve";
    case BH_EURL: return "URL not deliverable";
    case BH_EFORBIDDEN: return "destination refused by policy";
    case BH_ENOTLS: return "https needs a TLS transport";
    case BH_EIO: return "storage failed";
    case BH_ECORRUPT: return "stored data damaged";
    case BH_ECLOCK: return "wall clock not set";

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

#ifdef __OPTIMIZE_SIZE__
/* The portable block function, built for size (-Os): one round per turn
   of a loop, the working variables moved along in registers. About 0.3 KB
   of code on Cortex-M4 instead of about 3 KB unrolled, and about half the
   speed. */
static void bh__sha256_blocks_portable(uint32_t st[8], const uint8_t *p,
                                       size_t n)
{
    uint32_t w[16];
    for (; n; n--, p += 64) {
        uint32_t a = st[0], b = st[1], c = st[2], d = st[3];
        uint32_t e = st[4], f = st[5], g = st[6], h = st[7], t1, t2;
        int i;
        for (i = 0; i < 64; i++) {
            if (i < 16)
                w[i] = bh__load32_be(p + 4 * i);
            else
                (void)BH__NEXT_WORD(i);
            t1 = h + bh__K[i] + w[i & 15] + BH__CH(e, f, g) + BH__S1(e);
            t2 = BH__S0(a) + BH__MAJ(a, b, c);
            h = g;
            g = f;
            f = e;
            e = d + t1;
            d = c;
            c = b;
            b = a;
            a = t1 + t2;
        }
        st[0] += a; st[1] += b; st[2] += c; st[3] += d;
        st[4] += e; st[5] += f; st[6] += g; st[7] += h;
    }
    bh_wipe(w, sizeof w);
}
#else
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
#endif

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

/* Pad in place and write the digest; c is used up. digest may be c->buf:
   the padding is in c->buf, so no other block of stack is needed. */
static void bh__sha256_close(bh_sha256_ctx *c, uint8_t digest[32])
{
    size_t used = (size_t)(c->count & 63);
    int i;
    c->buf[used++] = 0x80;
    if (used > 56) { /* the length needs a block of its own */
        memset(c->buf + used, 0, 64 - used);
        bh__sha256_blocks(c->path, c->state, c->buf, 1);
        used = 0;
    }
    memset(c->buf + used, 0, 56 - used);
    bh__store64_be(c->buf + 56, c->count * 8);
    bh__sha256_blocks(c->path, c->state, c->buf, 1);
    for (i = 0; i < 8; i++) bh__store32_be(digest + 4 * i, c->state[i]);
}

/* c is not const in the API (a final call may consume its context); this
   one copies it, so that c can keep absorbing. */
/* cppcheck-suppress constParameter */
BHDEF void bh_sha256_final(bh_sha256_ctx *c, uint8_t digest[32])
{
    bh_sha256_ctx t = *c;
    bh__sha256_close(&t, digest);
    bh_wipe(&t, sizeof t);
}

static void bh__sha256_path_oneshot(uint32_t path, const void *data,
                                    size_t len, uint8_t digest[32])
{
    bh_sha256_ctx c;
    bh__sha256_init_path(&c, path);
    bh_sha256_update(&c, data, len);
    bh__sha256_close(&c, digest);
    bh_wipe(&c, sizeof c); /* it may have hashed a key */
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

/* The inner and outer states of a 64-byte key block. */
static void bh__hmac_key_block(bh_hmac_key *k, uint32_t path,
                               uint8_t block[64])
{
    int i;
    for (i = 0; i < 64; i++) block[i] ^= 0x36;
    memcpy(k->inner, bh__IV, sizeof k->inner);
    bh__sha256_blocks(path, k->inner, block, 1);
    for (i = 0; i < 64; i++) block[i] ^= 0x36 ^ 0x5c;
    memcpy(k->outer, bh__IV, sizeof k->outer);
    bh__sha256_blocks(path, k->outer, block, 1);
    k->path = path;
}

static void bh__hmac_key_init_path(bh_hmac_key *k, uint32_t path,
                                   const void *key, size_t key_len)
{
    uint8_t block[64];
    memset(block, 0, sizeof block);
    if (key_len > 64)
        bh__sha256_path_oneshot(path, key, key_len, block);
    else if (key_len)
        memcpy(block, key, key_len);
    bh__hmac_key_block(k, path, block);
    bh_wipe(block, sizeof block);
}

BHDEF void bh_hmac_key_init(bh_hmac_key *k, const void *key, size_t key_len)
{
    bh__hmac_key_init_path(k, bh__sha256_path(), key, key_len);
}

/* Start the inner hash of an HMAC in c. */
static void bh__hmac_start(bh_sha256_ctx *c, const bh_hmac_key *k)
{
    memcpy(c->state, k->inner, sizeof c->state);
    c->count = 64;
    c->path = k->path;
}

/* Close the inner hash into c's own buffer and run the outer hash over it
   there: the MAC is left in c->buf[0..31], with one SHA-256 context of
   stack in all. (Inlined: no frame of its own under the caller's.) */
BH__INLINE void bh__hmac_finish(bh_sha256_ctx *c, const uint32_t outer[8])
{
    bh__sha256_close(c, c->buf);
    memcpy(c->state, outer, sizeof c->state);
    c->count = 64 + 32;
    bh__sha256_close(c, c->buf);
}

/* bh__hmac_finish, then the MAC to mac and c wiped. */
static void bh__hmac_close(bh_sha256_ctx *c, const uint32_t outer[8],
                           uint8_t mac[32])
{
    bh__hmac_finish(c, outer);
    memcpy(mac, c->buf, 32);
    bh_wipe(c, sizeof *c);
}

BHDEF void bh_hmac(const bh_hmac_key *k, const void *data, size_t len,
                   uint8_t mac[32])
{
    bh_sha256_ctx c;
    bh__hmac_start(&c, k);
    bh_sha256_update(&c, data, len);
    bh__hmac_close(&c, k->outer, mac);
}

BHDEF void bh_hmac_init(bh_hmac_ctx *c, const bh_hmac_key *k)
{
    bh__hmac_start(&c->inner, k);
    memcpy(c->outer, k->outer, sizeof c->outer);
}

BHDEF void bh_hmac_update(bh_hmac_ctx *c, const void *data, size_t len)
{
    bh_sha256_update(&c->inner, data, len);
}

BHDEF void bh_hmac_final(const bh_hmac_ctx *c, uint8_t mac[32])
{
    bh_sha256_ctx t = c->inner;
    bh__hmac_close(&t, c->outer, mac);
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

/* Decode one quad of base64 into 3 bytes, '=' decoding as zero bits, with
   no branch or index on the characters. last is all ones for the last
   quad, where '=' may end it (once or twice, with zero bits under it).
   Returns what is wrong, as bits: 1, a character outside the alphabet; 2,
   a '=' out of place or bits under it. *pad gets the count of '='. */
static uint32_t bh__base64_quad_ct(uint8_t out[3], const char *in,
                                   uint32_t last, uint32_t *pad)
{
    uint32_t v = 0, bad = 0, badpad = 0, j;
    uint32_t eq3 = bh__in_range((unsigned char)in[3], '=', '=');
    uint32_t eq2 = bh__in_range((unsigned char)in[2], '=', '=');
    for (j = 0; j < 4; j++) {
        uint32_t c = (unsigned char)in[j];
        uint32_t d = bh__base64_value(c);
        uint32_t eq = bh__in_range(c, '=', '=');
        /* '=' is allowed only as the last, or last two, characters */
        uint32_t allowed = last & (j == 3 ? 0xffffffffu : j == 2 ? eq3 : 0);
        badpad |= eq & ~allowed;
        bad |= (d >> 8) & ~eq;
        v = v << 6 | (d & 63 & ~eq);
    }
    out[0] = (uint8_t)(v >> 16);
    out[1] = (uint8_t)(v >> 8);
    out[2] = (uint8_t)v;
    eq3 &= last;
    eq2 &= last;
    /* the bits under the padding must be zero (canonical encoding) */
    badpad |= eq3 & ~eq2 & (0 - (v & 0xff));
    badpad |= eq2 & (0 - (v & 0xffff));
    *pad = (eq3 & 1) + (eq2 & 1);
    return (bad & 1) | (((badpad | (0 - badpad)) >> 31) << 1);
}

/* A decoder's verdict from its bits of what is wrong: its one branch on
   them (the empty asm keeps the compiler from making it a select, so that
   tests/ctgrind.c finds exactly one). */
static int bh__base64_verdict(uint32_t wrong)
{
    if (!wrong) return 0;
#if defined(__GNUC__) || defined(__clang__)
    __asm__ __volatile__("");
#endif
    return (wrong & 1) ? BH_ECHAR : BH_EPADDING;
}

/* Decode len (a multiple of 4) base64 characters into len/4*3 bytes, '='
   decoding as zero bits. Sets *pad to the number of padding characters and
   returns 0, BH_ECHAR or BH_EPADDING; no branch or index depends on the
   characters, so it may decode secrets. */
static int bh__base64_decode_ct(uint8_t *out, const char *in, size_t len,
                                size_t *pad)
{
    uint32_t wrong = 0, p = 0;
    size_t i;
    for (i = 0; i < len; i += 4)
        wrong |= bh__base64_quad_ct(out + i / 4 * 3, in + i,
                                    i + 4 == len ? 0xffffffffu : 0, &p);
    *pad = p;
    return bh__base64_verdict(wrong);
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

/* The parser is one loop over the input with a goto per state (a value is
   due, a key is due, a value just ended). It keeps no stack: while a
   container is open its token's `next` holds the index of the container
   around it, and is set to its real value when the container closes.

   Strings are most of a webhook's bytes. With SSE2 or NEON the bytes that
   stop a run of plain string content ('"', '\\', control characters and
   non-ASCII) are marked once per 64-byte window, for all the strings in it,
   so finding a string's end is a shift and a bit count rather than a chain
   of loads and compares per string. A string with a non-ASCII byte goes on
   16 bytes at a time and is then checked as UTF-8 16 bytes at a time. The
   portable path (BLUEHOOK_NO_ASM) scans 8 bytes at a time (SWAR) and checks
   UTF-8 one character at a time. The paths give the same answers, tested. */

#if BLUEHOOK_JSON_MAX_DEPTH < 1 || BLUEHOOK_JSON_MAX_DEPTH > 65535
#error "BLUEHOOK_JSON_MAX_DEPTH must be between 1 and 65535"
#endif

#define BH__JNONE 0xffffffffu
#define BH__JSPACE 1 /* internal: the token array is full */
/* The longest input: token indices and string lengths are returned as int. */
#if INT_MAX < 0x7fffffff
#define BH__JSON_MAX_LEN ((size_t)INT_MAX)
#else
#define BH__JSON_MAX_LEN ((size_t)0x7fffffff)
#endif

#define BH__ONES 0x0101010101010101ull
#define BH__HIGHS 0x8080808080808080ull
#define BH__LOW7 0x7f7f7f7f7f7f7f7full

static uint64_t bh__load64_le(const uint8_t *p)
{
    return (uint64_t)p[0] | (uint64_t)p[1] << 8 | (uint64_t)p[2] << 16 |
           (uint64_t)p[3] << 24 | (uint64_t)p[4] << 32 | (uint64_t)p[5] << 40 |
           (uint64_t)p[6] << 48 | (uint64_t)p[7] << 56;
}

/* The index of the lowest set bit of x (x != 0). */
static unsigned bh__ctz64(uint64_t x)
{
#if defined(__GNUC__) || defined(__clang__)
    return (unsigned)__builtin_ctzll(x);
#else
    unsigned n = 0;
    while (!(x & 1)) {
        x >>= 1;
        n++;
    }
    return n;
#endif
}

/* 0x80 in each byte of x equal to the byte b, 0 elsewhere (exact: no
   carry crosses a byte). */
static uint64_t bh__swar_eq(uint64_t x, unsigned b)
{
    uint64_t y = x ^ (BH__ONES * b);
    return ~(((y & BH__LOW7) + BH__LOW7) | y) & BH__HIGHS;
}

/* 0x80 in each byte that ends a run of plain string bytes: '"', '\\',
   below 0x20, or 0x80 and above. */
static uint64_t bh__swar_special(uint64_t x)
{
    uint64_t ctl_or_high = (~((x & BH__LOW7) + BH__ONES * 0x60) | x) & BH__HIGHS;
    return ctl_or_high | bh__swar_eq(x, '"') | bh__swar_eq(x, '\\');
}

static int bh__json_is_special(unsigned c)
{
    return c == '"' || c == '\\' || c < 0x20 || c >= 0x80;
}

/* The first special byte (see above) in [p, end), or end: the portable
   path, 8 bytes at a time. */
static const uint8_t *bh__json_special_swar(const uint8_t *p,
                                            const uint8_t *end)
{
    while (end - p >= 8) {
        uint64_t m = bh__swar_special(bh__load64_le(p));
        if (m) return p + bh__ctz64(m) / 8;
        p += 8;
    }
    while (p < end && !bh__json_is_special(*p)) p++;
    return p;
}

#if defined(BH__JSON_SSE2)
BH__INLINE const uint8_t *bh__json_special(const uint8_t *p,
                                           const uint8_t *end)
{
    const __m128i quote = _mm_set1_epi8('"'), bslash = _mm_set1_epi8('\\');
    const __m128i space = _mm_set1_epi8(0x20);
    while (end - p >= 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
        /* signed: bytes of 0x80 and above are below 0x20 too */
        __m128i m = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quote),
                                              _mm_cmpeq_epi8(v, bslash)),
                                 _mm_cmplt_epi8(v, space));
        unsigned bits = (unsigned)_mm_movemask_epi8(m);
        if (bits) return p + bh__ctz64(bits);
        p += 16;
    }
    return bh__json_special_swar(p, end);
}
#elif defined(BH__JSON_NEON)
BH__INLINE const uint8_t *bh__json_special(const uint8_t *p,
                                           const uint8_t *end)
{
    const uint8x16_t quote = vdupq_n_u8('"'), bslash = vdupq_n_u8('\\');
    const int8x16_t space = vdupq_n_s8(0x20);
    while (end - p >= 16) {
        uint8x16_t v = vld1q_u8(p);
        uint8x16_t m = vorrq_u8(vorrq_u8(vceqq_u8(v, quote), vceqq_u8(v, bslash)),
                                vcltq_s8(vreinterpretq_s8_u8(v), space));
        /* four bits per byte */
        uint64_t bits = vget_lane_u64(
            vreinterpret_u64_u8(vshrn_n_u16(vreinterpretq_u16_u8(m), 4)), 0);
        if (bits) return p + bh__ctz64(bits) / 4;
        p += 16;
    }
    return bh__json_special_swar(p, end);
}
#else
#define bh__json_special bh__json_special_swar
#endif

static int bh__json_is_ws(unsigned c)
{
    return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}

/* The first byte in [p, end) that is not JSON white space, or end. Short
   runs (one space) byte by byte, long ones (indentation) in blocks. */
static const uint8_t *bh__json_ws(const uint8_t *p, const uint8_t *end)
{
    int i;
    for (i = 0; i < 4; i++) {
        if (p == end || !bh__json_is_ws(*p)) return p;
        p++;
    }
#if defined(BH__JSON_SSE2)
    while (end - p >= 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
        __m128i m = _mm_or_si128(
            _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(' ')),
                         _mm_cmpeq_epi8(v, _mm_set1_epi8('\n'))),
            _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('\r')),
                         _mm_cmpeq_epi8(v, _mm_set1_epi8('\t'))));
        unsigned bits = (unsigned)_mm_movemask_epi8(m) ^ 0xffffu;
        if (bits) return p + bh__ctz64(bits);
        p += 16;
    }
#endif
    while (end - p >= 8) {
        uint64_t x = bh__load64_le(p);
        uint64_t ws = bh__swar_eq(x, ' ') | bh__swar_eq(x, '\n') |
                      bh__swar_eq(x, '\r') | bh__swar_eq(x, '\t');
        uint64_t other = ~ws & BH__HIGHS;
        if (other) return p + bh__ctz64(other) / 8;
        p += 8;
    }
    while (p < end && bh__json_is_ws(*p)) p++;
    return p;
}

/* The length (2 to 4) of the valid UTF-8 sequence at p (*p >= 0x80), 0 when
   it is invalid, -1 when it is valid so far but cut short by end. Rejects
   overlong forms, surrogates (U+D800-DFFF) and code points above U+10FFFF. */
static int bh__utf8_len(const uint8_t *p, const uint8_t *end)
{
    unsigned c = p[0], lo = 0x80, hi = 0xbf;
    int n, i;
    if (c < 0xc2) return 0;
    if (c < 0xe0) {
        n = 2;
    } else if (c < 0xf0) {
        n = 3;
        if (c == 0xe0) lo = 0xa0;
        if (c == 0xed) hi = 0x9f;
    } else if (c < 0xf5) {
        n = 4;
        if (c == 0xf0) lo = 0x90;
        if (c == 0xf4) hi = 0x8f;
    } else {
        return 0;
    }
    for (i = 1; i < n; i++) {
        if (p + i >= end) return -1;
        if (p[i] < lo || p[i] > hi) return 0;
        lo = 0x80;
        hi = 0xbf;
    }
    return n;
}

/* Why the sequence at p is not UTF-8 (bh__utf8_len said 0). */
static const char *bh__utf8_reason(const uint8_t *p, const uint8_t *end)
{
    unsigned c = p[0], c1 = p + 1 < end ? p[1] : 0;
    int cont = (c1 & 0xc0) == 0x80;
    if (c < 0xc0) return "UTF-8 continuation byte without a lead byte";
    if (c < 0xc2) return "overlong UTF-8 form";
    if (c > 0xf4) return "byte that is never UTF-8";
    if (cont && ((c == 0xe0 && c1 < 0xa0) || (c == 0xf0 && c1 < 0x90)))
        return "overlong UTF-8 form";
    if (cont && c == 0xed && c1 >= 0xa0) return "surrogate encoded in UTF-8";
    if (cont && c == 0xf4 && c1 >= 0x90) return "UTF-8 above U+10FFFF";
    return "truncated UTF-8 sequence";
}

static int bh__is_digit(unsigned c) { return c - '0' < 10; }

static int bh__is_hex(unsigned c)
{
    return c - '0' < 10 || (c | 0x20) - 'a' < 6;
}

/* The byte a one-character escape stands for ("\n" -> 10), or 0. */
static unsigned bh__json_unescape1(unsigned c)
{
    switch (c) {
    case '"': return '"';
    case '\\': return '\\';
    case '/': return '/';
    case 'b': return 8;
    case 'f': return 12;
    case 'n': return 10;
    case 'r': return 13;
    case 't': return 9;
    default: return 0;
    }
}

/* The end of the escape at p (*p == '\\'), or NULL when it is not one. */
static const uint8_t *bh__json_escape_end(const uint8_t *p, const uint8_t *end)
{
    if (end - p < 2) return NULL;
    if (p[1] == 'u') {
        if (end - p < 6 || !bh__is_hex(p[2]) || !bh__is_hex(p[3]) ||
            !bh__is_hex(p[4]) || !bh__is_hex(p[5]))
            return NULL;
        return p + 6;
    }
    return bh__json_unescape1(p[1]) ? p + 2 : NULL;
}

#if defined(BH__JSON_SSE2) || defined(BH__JSON_NEON)
#define BH__JSON_SIMD 1

#if defined(BH__JSON_SSE2)
typedef __m128i bh__v16;
#define bh__v_load(p) _mm_loadu_si128((const __m128i *)(const void *)(p))
#define bh__v_set(c) _mm_set1_epi8((char)(c))
#define bh__v_or(a, b) _mm_or_si128(a, b)
#define bh__v_and(a, b) _mm_and_si128(a, b)
#define bh__v_andnot(a, b) _mm_andnot_si128(b, a) /* a & ~b */
#define bh__v_eq(a, b) _mm_cmpeq_epi8(a, b)
#define bh__v_zero() _mm_setzero_si128()
/* unsigned a <= b, per byte */
#define bh__v_le(a, b) _mm_cmpeq_epi8(_mm_min_epu8(a, b), a)
#define bh__v_add(a, b) _mm_add_epi8(a, b)
#define bh__v_xor(a, b) _mm_xor_si128(a, b)
#define bh__v_gt_s(a, b) _mm_cmpgt_epi8(a, b) /* signed a > b */
/* the bytes of cur moved k places up, the top k of prev shifted in */
#define bh__v_prev(cur, prev, k)                                               \
    _mm_or_si128(_mm_slli_si128(cur, k), _mm_srli_si128(prev, 16 - (k)))
/* whether a byte of m has its sign bit set */
static unsigned bh__v_any_sign(bh__v16 m) { return (unsigned)_mm_movemask_epi8(m); }
#else
typedef uint8x16_t bh__v16;
#define bh__v_load(p) vld1q_u8(p)
#define bh__v_set(c) vdupq_n_u8((uint8_t)(c))
#define bh__v_or(a, b) vorrq_u8(a, b)
#define bh__v_and(a, b) vandq_u8(a, b)
#define bh__v_andnot(a, b) vbicq_u8(a, b) /* a & ~b */
#define bh__v_eq(a, b) vceqq_u8(a, b)
#define bh__v_zero() vdupq_n_u8(0)
#define bh__v_le(a, b) vcleq_u8(a, b)
#define bh__v_add(a, b) vaddq_u8(a, b)
#define bh__v_xor(a, b) veorq_u8(a, b)
#define bh__v_gt_s(a, b) vcgtq_s8(vreinterpretq_s8_u8(a), vreinterpretq_s8_u8(b))
#define bh__v_prev(cur, prev, k) vextq_u8(prev, cur, 16 - (k))
static unsigned bh__v_any_sign(bh__v16 m) { return vmaxvq_u8(m) >= 0x80; }
#endif

/* Check one 16-byte block of UTF-8 given the block before it (*pv, and
   the lead masks *pc0, *pe0, *pf0 computed from it), which it then
   replaces. Works on sign bits: v + v moves bit 6 of each byte to bit 7,
   so v & (v + v) marks bytes from C0, and so on. Returns a vector whose
   bytes have the sign bit set where the UTF-8 is wrong: a byte must be a
   continuation (80-BF) exactly when a lead byte before it expects one; C0,
   C1 and F5-FF never occur; the byte after E0, ED, F0 and F4 is range
   checked (no overlong forms, no surrogates, nothing above U+10FFFF). */
static bh__v16 bh__utf8_block(bh__v16 v, bh__v16 *pv, bh__v16 *pc0,
                              bh__v16 *pe0, bh__v16 *pf0)
{
    bh__v16 v2 = bh__v_add(v, v), v4 = bh__v_add(v2, v2), v8 = bh__v_add(v4, v4);
    bh__v16 c0 = bh__v_and(v, v2), e0 = bh__v_and(c0, v4), f0 = bh__v_and(e0, v8);
    bh__v16 cont = bh__v_andnot(v, v2); /* 10xxxxxx */
    bh__v16 want = bh__v_or(bh__v_prev(c0, *pc0, 1),
                            bh__v_or(bh__v_prev(e0, *pe0, 2),
                                     bh__v_prev(f0, *pf0, 3)));
    bh__v16 prev1 = bh__v_prev(v, *pv, 1);
    bh__v16 b54 = bh__v_or(v4, v8); /* bit 5 or bit 4 */
    bh__v16 bad = bh__v_xor(cont, want);
    bad = bh__v_or(bad, bh__v_eq(bh__v_and(v, bh__v_set(0xfe)), bh__v_set(0xc0)));
    bad = bh__v_or(bad, bh__v_and(bh__v_gt_s(v, bh__v_set(0xf4)), v)); /* F5-FF */
    bad = bh__v_or(bad, bh__v_andnot(bh__v_eq(prev1, bh__v_set(0xe0)), v4));
    bad = bh__v_or(bad, bh__v_and(bh__v_eq(prev1, bh__v_set(0xed)), v4));
    bad = bh__v_or(bad, bh__v_andnot(bh__v_eq(prev1, bh__v_set(0xf0)), b54));
    bad = bh__v_or(bad, bh__v_and(bh__v_eq(prev1, bh__v_set(0xf4)), b54));
    *pv = v;
    *pc0 = c0;
    *pe0 = e0;
    *pf0 = f0;
    return bad;
}

/* Whether [p, end) is valid UTF-8, one character at a time. */
static int bh__utf8_valid_bytes(const uint8_t *p, const uint8_t *end)
{
    while (p < end) {
        int n = *p < 0x80 ? 1 : bh__utf8_len(p, end);
        if (n <= 0) return 0;
        p += n;
    }
    return 1;
}

/* Whether [p, end) is valid UTF-8 (the byte before p, if any, ends a
   character): 16 bytes at a time, then the rest from the start of the last
   character a block may have left open, one character at a time. */
static int bh__utf8_valid_simd(const uint8_t *p, const uint8_t *end)
{
    const uint8_t *start = p;
    if (end - p >= 16) {
        bh__v16 pv = bh__v_zero(), pc0 = pv, pe0 = pv, pf0 = pv, bad = pv;
        int k;
        for (; end - p >= 16; p += 16)
            bad = bh__v_or(bad, bh__utf8_block(bh__v_load(p), &pv, &pc0, &pe0, &pf0));
        if (bh__v_any_sign(bad)) return 0;
        for (k = 0; k < 3 && p > start && (p[-1] & 0xc0) == 0x80; k++) p--;
        if (p > start && p[-1] >= 0xc0) p--;
    }
    return bh__utf8_valid_bytes(p, end);
}

#if defined(BH__JSON_SSE2)
/* bit i set when byte i of m is set */
#define bh__v_bits(m) ((uint64_t)(unsigned)_mm_movemask_epi8(m))
#define BH__V_BITS_PER_BYTE_LOG 0
/* the sign bit set in bytes below 0x20 or from 0x80 (v - 0x20, saturated,
   is negative); only the sign bits count, for bh__v_bits */
#define bh__v_ctl_or_high(v) _mm_subs_epi8(v, _mm_set1_epi8(0x20))
#else
/* four bits per byte */
#define bh__v_bits(m)                                                          \
    vget_lane_u64(vreinterpret_u64_u8(vshrn_n_u16(vreinterpretq_u16_u8(m), 4)), 0)
#define BH__V_BITS_PER_BYTE_LOG 2
#define bh__v_ctl_or_high(v) vcltq_s8(vreinterpretq_s8_u8(v), vdupq_n_s8(0x20))
#endif

/* The rest of a string body that has a non-ASCII byte, from p: like the
   scan below but passing bytes of 0x80 and above (they are checked as UTF-8
   once the end is known). Returns the closing quote or NULL. */
static const uint8_t *bh__json_string_rest(const uint8_t *p, const uint8_t *end,
                                           unsigned *flags)
{
    for (;;) {
        while (end - p >= 16) {
            bh__v16 v = bh__v_load(p);
            bh__v16 m = bh__v_or(bh__v_or(bh__v_eq(v, bh__v_set('"')),
                                          bh__v_eq(v, bh__v_set('\\'))),
                                 bh__v_le(v, bh__v_set(0x1f)));
            uint64_t bits = bh__v_bits(m);
            if (bits) {
                p += bh__ctz64(bits) >> BH__V_BITS_PER_BYTE_LOG;
                goto special;
            }
            p += 16;
        }
        while (p != end && *p != '"' && *p != '\\' && *p >= 0x20) p++;
        if (p == end) return NULL;
    special:
        if (*p == '"') return p;
        if (*p != '\\') return NULL;
        p = bh__json_escape_end(p, end);
        if (!p) return NULL;
        *flags |= BH_JSON_FESCAPED;
    }
}

/* Bit i set when byte i of the 64 at w is special in a string: '"', '\\',
   a control character or non-ASCII. */
static uint64_t bh__json_window_bits(const uint8_t *w)
{
#if defined(BH__JSON_SSE2)
#define BH__JSON_WIN16(i)                                                      \
    (bh__v_bits(bh__v_or(                                                      \
         bh__v_or(bh__v_eq(bh__v_load(w + 16 * (i)), bh__v_set('"')),          \
                  bh__v_eq(bh__v_load(w + 16 * (i)), bh__v_set('\\'))),        \
         bh__v_ctl_or_high(bh__v_load(w + 16 * (i)))))                         \
     << (16 * (i)))
    return BH__JSON_WIN16(0) | BH__JSON_WIN16(1) | BH__JSON_WIN16(2) |
           BH__JSON_WIN16(3);
#undef BH__JSON_WIN16
#else
    static const uint8_t weight[16] = {1, 2, 4, 8, 16, 32, 64, 128,
                                       1, 2, 4, 8, 16, 32, 64, 128};
    uint8x16_t wt = vld1q_u8(weight), s[4], a, b;
    int i;
    for (i = 0; i < 4; i++) {
        bh__v16 v = bh__v_load(w + 16 * i);
        s[i] = vandq_u8(bh__v_or(bh__v_or(bh__v_eq(v, bh__v_set('"')),
                                          bh__v_eq(v, bh__v_set('\\'))),
                                 bh__v_ctl_or_high(v)),
                        wt);
    }
    a = vpaddq_u8(s[0], s[1]);
    b = vpaddq_u8(s[2], s[3]);
    a = vpaddq_u8(a, b);
    a = vpaddq_u8(a, a);
    return vgetq_lane_u64(vreinterpretq_u64_u8(a), 0);
#endif
}

/* The special bits of the 64-byte window at src + off. A last window that
   ends early is read from a copy padded with NUL bytes, which are special,
   so that a scan stops there. */
static uint64_t bh__json_window(const uint8_t *src, size_t off,
                                const uint8_t *end)
{
    uint8_t pad[64];
    const uint8_t *w = src + off;
    if (end - w >= 64) return bh__json_window_bits(w);
    memset(pad, 0, sizeof pad);
    memcpy(pad, w, (size_t)(end - w));
    return bh__json_window_bits(pad);
}

/* Scan a string body from s (just past its opening quote) for its closing
   quote. The special bytes of the 64-byte window around s are found once
   for all the strings in it (*wo is the window's offset, *wm its bits), so
   a string's end is a shift and a bit count away. Escapes are checked as
   they come and control characters stop the scan; at the first non-ASCII
   byte it goes on in bh__json_string_rest, and the whole body is then
   checked as UTF-8. Returns the quote's address, or NULL when the string is
   invalid or unterminated (bh__json_string_error then finds where and why).
   Sets BH_JSON_FESCAPED in *flags when the body has an escape. */
BH__INLINE const uint8_t *bh__json_string_body(const uint8_t *s,
                                               const uint8_t *src,
                                               const uint8_t *end,
                                               size_t *wo, uint64_t *wm,
                                               unsigned *flags)
{
    const uint8_t *start = s;
    for (;;) {
        size_t o = (size_t)(s - src), rel = o - *wo;
        uint64_t m;
        if (BH__UNLIKELY(rel >= 64)) { /* into the next (or a later) window */
            *wo = rel < 128 ? *wo + 64 : o & ~(size_t)63;
            *wm = bh__json_window(src, *wo, end);
            rel = o - *wo;
        }
        m = *wm >> rel;
        if (BH__UNLIKELY(!m)) { /* nothing special to the window's end */
            s = src + *wo + 64;
            continue;
        }
        s += bh__ctz64(m);
        if (BH__LIKELY(s < end && *s == '"')) return s;
        if (s >= end || *s < 0x20) return NULL;
        if (*s != '\\') break;
        s = bh__json_escape_end(s, end);
        if (!s) return NULL;
        *flags |= BH_JSON_FESCAPED;
    }
    start = s; /* all before it is ASCII */
    s = bh__json_string_rest(s, end, flags);
    if (!s || !bh__utf8_valid_simd(start, s)) return NULL;
    return s;
}
#else
/* Scan a string body from p (just past its opening quote) for its closing
   quote, checking escapes and UTF-8 as they come. Returns the quote's
   address, or NULL when the string is invalid or unterminated. Sets
   BH_JSON_FESCAPED in *flags when the body has an escape. */
BH__INLINE const uint8_t *bh__json_string_body(const uint8_t *p,
                                               const uint8_t *src,
                                               const uint8_t *end,
                                               size_t *wo, uint64_t *wm,
                                               unsigned *flags)
{
    (void)src;
    (void)wo;
    (void)wm;
    for (;;) {
        p = bh__json_special(p, end);
        if (BH__LIKELY(p != end && *p == '"')) return p;
        if (p == end) return NULL;
        if (*p == '\\') {
            p = bh__json_escape_end(p, end);
            if (!p) return NULL;
            *flags |= BH_JSON_FESCAPED;
        } else if (*p < 0x20) {
            return NULL;
        } else {
            do {
                int n = bh__utf8_len(p, end);
                if (n <= 0) return NULL;
                p += n;
            } while (p != end && *p >= 0x80);
        }
    }
}
#endif

/* The first error in the string body at p (a scan said it is invalid):
   sets *at and *why, returns the code. Byte by byte, for the exact spot. */
static int bh__json_string_error(const uint8_t *p, const uint8_t *end,
                                 const uint8_t **at, const char **why)
{
    int i, n;
    for (;;) {
        *at = p;
        if (p == end) {
            *why = "unterminated string";
            return BH_EINCOMPLETE;
        }
        if (*p == '"') { /* not reached for an invalid string */
            *why = "string";
            return BH_ESYNTAX;
        }
        if (*p == '\\') {
            const uint8_t *q = bh__json_escape_end(p, end);
            if (q) {
                p = q;
                continue;
            }
            if (end - p < 2) {
                *why = "unterminated string";
                return BH_EINCOMPLETE;
            }
            if (p[1] != 'u') {
                *why = "invalid escape";
                return BH_ESYNTAX;
            }
            for (i = 2; i < 6 && p + i < end; i++)
                if (!bh__is_hex(p[i])) {
                    *why = "\\u needs four hex digits";
                    return BH_ESYNTAX;
                }
            *why = "unterminated string";
            return BH_EINCOMPLETE;
        }
        if (*p < 0x20) {
            *why = "control character in a string";
            return BH_ESYNTAX;
        }
        if (*p < 0x80) {
            p++;
            continue;
        }
        n = bh__utf8_len(p, end);
        if (n > 0) {
            p += n;
            continue;
        }
        if (n < 0) {
            *why = "unterminated string";
            return BH_EINCOMPLETE;
        }
        *why = bh__utf8_reason(p, end);
        return BH_EUTF8;
    }
}

/* The end of the JSON number at p, or NULL when it is malformed; *flags
   gets BH_JSON_FREAL for a fraction or an exponent. */
static const uint8_t *bh__json_number_end(const uint8_t *p, const uint8_t *end,
                                          unsigned *flags)
{
    if (*p == '-') p++;
    if (p == end) return NULL;
    if (*p == '0') {
        p++;
        if (p != end && bh__is_digit(*p)) return NULL;
    } else if (bh__is_digit(*p)) {
        do p++;
        while (p != end && bh__is_digit(*p));
    } else {
        return NULL;
    }
    if (p != end && *p == '.') {
        p++;
        if (p == end || !bh__is_digit(*p)) return NULL;
        do p++;
        while (p != end && bh__is_digit(*p));
        *flags |= BH_JSON_FREAL;
    }
    if (p != end && (*p == 'e' || *p == 'E')) {
        p++;
        if (p != end && (*p == '+' || *p == '-')) p++;
        if (p == end || !bh__is_digit(*p)) return NULL;
        do p++;
        while (p != end && bh__is_digit(*p));
        *flags |= BH_JSON_FREAL;
    }
    return p;
}

/* Where and why the number at p is malformed (bh__json_number_end said
   NULL). */
static int bh__json_number_error(const uint8_t *p, const uint8_t *end,
                                 const uint8_t **at, const char **why)
{
    if (*p == '-') p++;
    if (p != end && *p == '0' && p + 1 != end && bh__is_digit(p[1])) {
        *at = p;
        *why = "leading zero in a number";
        return BH_ENUMBER;
    }
    while (p != end && bh__is_digit(*p)) p++;
    if (p != end && *p == '.') {
        p++;
        while (p != end && bh__is_digit(*p)) p++;
    }
    if (p != end && (*p == 'e' || *p == 'E')) {
        p++;
        if (p != end && (*p == '+' || *p == '-')) p++;
    }
    *at = p;
    *why = "digit expected in a number";
    return p == end ? BH_EINCOMPLETE : BH_ENUMBER;
}

/* Whether the literal at p is `word` (1), could still become it when more
   input comes (-1), or is not it (0). */
static int bh__json_literal(const uint8_t *p, const uint8_t *end,
                            const char *word, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++) {
        if (p + i == end) return -1;
        if (p[i] != (uint8_t)word[i]) return 0;
    }
    return 1;
}

BH__INLINE void bh__jtok_set(bh_json_tok *t, uint32_t start, uint32_t len,
                             uint32_t next, unsigned type, unsigned flags,
                             uint32_t depth)
{
    bh_json_tok v; /* built whole, so that it is stored in two moves */
    v.start = start;
    v.len = len;
    v.next = next;
    v.type = (uint8_t)type;
    v.flags = (uint8_t)flags;
    v.depth = (uint16_t)depth;
    *t = v;
}

/* The parser. With counting set it writes no token and tracks the kind of
   each open container in a bit per level instead of through the tokens.
   Returns BH_OK, BH__JSPACE (token mode: the array is full) or an error.
   Inlined into one copy per mode, so that neither tests the mode. */
BH__INLINE int bh__json_run(bh_json *doc, const uint8_t *src,
                            const uint8_t *end, bh_json_tok *toks,
                            uint32_t cap, int counting)
{
    const uint8_t *p = src, *q;
    uint32_t n = 0, parent = BH__JNONE, depth = 0;
    unsigned in_obj = 0, fl = 0, type, c;
    size_t wo = (size_t)0 - 128; /* no window yet */
    uint64_t wm = 0;
    uint8_t kinds[(BLUEHOOK_JSON_MAX_DEPTH + 7) / 8];
    int code = 0, lit;
    const char *why = "";

#define BH__JPOS(x) ((uint32_t)((x) - src))
#define BH__JFAIL(c_, why_, at_)                                               \
    do {                                                                       \
        code = (c_);                                                           \
        why = (why_);                                                          \
        p = (at_);                                                             \
        goto fail;                                                             \
    } while (0)
/* Append a token (or count it). */
#define BH__JEMIT(start_, len_, next_, type_, flags_)                          \
    do {                                                                       \
        if (!counting) {                                                       \
            if (BH__UNLIKELY(n == cap)) return BH__JSPACE;                     \
            bh__jtok_set(&toks[n], start_, len_, next_, type_, flags_, depth); \
        }                                                                      \
        n++;                                                                   \
    } while (0)

value:
    if (BH__UNLIKELY(p == end)) BH__JFAIL(BH_EINCOMPLETE, "a value is missing", p);
    c = *p;
    if (BH__LIKELY(c == '"')) {
        fl = 0;
        q = bh__json_string_body(p + 1, src, end, &wo, &wm, &fl);
        if (BH__UNLIKELY(!q)) goto bad_string;
        BH__JEMIT(BH__JPOS(p), (uint32_t)(q + 1 - p), n + 1, BH_JSON_STRING, fl);
        p = q + 1;
        goto after;
    }
    switch (c) {
    case '{':
    case '[':
        if (BH__UNLIKELY(depth >= BLUEHOOK_JSON_MAX_DEPTH))
            BH__JFAIL(BH_EDEPTH, "nesting too deep", p);
        in_obj = c == '{';
        if (!counting) {
            /* while open, `next` links to the container around it */
            BH__JEMIT(BH__JPOS(p), 0, parent,
                      in_obj ? BH_JSON_OBJECT : BH_JSON_ARRAY, 0);
            parent = n - 1;
        } else {
            if (in_obj)
                kinds[depth >> 3] = (uint8_t)(kinds[depth >> 3] | 1u << (depth & 7));
            else
                kinds[depth >> 3] = (uint8_t)(kinds[depth >> 3] & ~(1u << (depth & 7)));
            n++;
        }
        depth++;
        p++;
        if (BH__UNLIKELY(p == end || *p <= ' ')) p = bh__json_ws(p, end);
        if (p != end && *p == (in_obj ? '}' : ']')) goto close;
        if (in_obj) goto key;
        goto value;
    case '-': case '0': case '1': case '2': case '3': case '4':
    case '5': case '6': case '7': case '8': case '9':
        fl = 0;
        q = bh__json_number_end(p, end, &fl);
        if (BH__UNLIKELY(!q)) {
            code = bh__json_number_error(p, end, &q, &why);
            p = q;
            goto fail;
        }
        type = BH_JSON_NUMBER;
        goto scalar;
    case 't':
        type = BH_JSON_TRUE;
        q = p + 4;
        if (BH__LIKELY(end - p >= 4 && p[1] == 'r' && p[2] == 'u' && p[3] == 'e'))
            goto literal;
        lit = bh__json_literal(p, end, "true", 4);
        goto bad_literal;
    case 'f':
        type = BH_JSON_FALSE;
        q = p + 5;
        if (BH__LIKELY(end - p >= 5 && p[1] == 'a' && p[2] == 'l' && p[3] == 's' &&
                       p[4] == 'e'))
            goto literal;
        lit = bh__json_literal(p, end, "false", 5);
        goto bad_literal;
    case 'n':
        type = BH_JSON_NULL;
        q = p + 4;
        if (BH__LIKELY(end - p >= 4 && p[1] == 'u' && p[2] == 'l' && p[3] == 'l'))
            goto literal;
        lit = bh__json_literal(p, end, "null", 4);
        goto bad_literal;
    case ' ':
    case '\t':
    case '\n':
    case '\r':
        p = bh__json_ws(p, end);
        goto value;
    default:
        if (p == src && end - p >= 3 && p[0] == 0xef && p[1] == 0xbb && p[2] == 0xbf)
            BH__JFAIL(BH_ESYNTAX, "byte order mark before the document", p);
        BH__JFAIL(BH_ESYNTAX, "a value is expected here", p);
    }

bad_literal:
    if (lit < 0) BH__JFAIL(BH_EINCOMPLETE, "truncated literal", end);
    BH__JFAIL(BH_ESYNTAX, "invalid literal", p);
literal:
    fl = 0;
scalar:
    BH__JEMIT(BH__JPOS(p), (uint32_t)(q - p), n + 1, type, fl);
    p = q;

after: /* a value ended at p */
    if (BH__UNLIKELY(depth == 0)) goto finish;
    if (BH__UNLIKELY(p == end))
        BH__JFAIL(BH_EINCOMPLETE, in_obj ? "unclosed object" : "unclosed array", p);
    c = *p;
    if (BH__LIKELY(c == ',')) {
        p++;
        if (in_obj) goto key;
        goto value;
    }
    if (BH__LIKELY(c == (in_obj ? '}' : ']'))) goto close;
    if (bh__json_is_ws(c)) {
        p = bh__json_ws(p, end);
        goto after;
    }
    BH__JFAIL(BH_ESYNTAX, in_obj ? "',' or '}' expected" : "',' or ']' expected",
              p);

close: /* p is at the bracket that closes the innermost container */
    depth--;
    if (!counting) {
        bh_json_tok *t = &toks[parent];
        uint32_t up = t->next;
        t->len = BH__JPOS(p + 1) - t->start;
        t->next = n;
        parent = up;
        in_obj = parent != BH__JNONE && toks[parent].type == BH_JSON_OBJECT;
    } else {
        in_obj = depth ? (kinds[(depth - 1) >> 3] >> ((depth - 1) & 7)) & 1u : 0;
    }
    p++;
    goto after;

key: /* a member's key is due at p */
    if (BH__UNLIKELY(p == end)) BH__JFAIL(BH_EINCOMPLETE, "unclosed object", p);
    if (BH__UNLIKELY(*p != '"')) {
        if (bh__json_is_ws(*p)) {
            p = bh__json_ws(p, end);
            goto key;
        }
        BH__JFAIL(BH_ESYNTAX, "a string key is expected", p);
    }
    fl = BH_JSON_FKEY;
    q = bh__json_string_body(p + 1, src, end, &wo, &wm, &fl);
    if (BH__UNLIKELY(!q)) goto bad_string;
    BH__JEMIT(BH__JPOS(p), (uint32_t)(q + 1 - p), n + 1, BH_JSON_STRING, fl);
    p = q + 1;
    if (BH__UNLIKELY(p == end || *p != ':')) {
        p = bh__json_ws(p, end);
        if (p == end) BH__JFAIL(BH_EINCOMPLETE, "unclosed object", p);
        if (*p != ':') BH__JFAIL(BH_ESYNTAX, "':' expected after a key", p);
    }
    p++;
    goto value;

finish:
    if (p != end) p = bh__json_ws(p, end);
    if (p != end) BH__JFAIL(BH_ETRAILING, "bytes after the document", p);
    doc->ntoks = n;
    return BH_OK;

bad_string:
    code = bh__json_string_error(p + 1, end, &q, &why);
    p = q;
fail:
    doc->err_pos = (size_t)(p - src);
    doc->reason = why;
    return code;
#undef BH__JEMIT
#undef BH__JFAIL
#undef BH__JPOS
}

BH__NOINLINE int bh__json_run_tokens(bh_json *doc, const uint8_t *src,
                                     const uint8_t *end, bh_json_tok *toks,
                                     uint32_t cap)
{
    return bh__json_run(doc, src, end, toks, cap, 0);
}

BH__NOINLINE int bh__json_run_count(bh_json *doc, const uint8_t *src,
                                    const uint8_t *end)
{
    return bh__json_run(doc, src, end, NULL, 0, 1);
}

BHDEF int bh_json_parse(bh_json *doc, const char *src, size_t len,
                        bh_json_tok *toks, size_t cap)
{
    static const char empty[1] = {0};
    const uint8_t *s;
    int r;
    if (!doc) return BH_EINVAL;
    doc->ntoks = 0;
    doc->err_pos = 0;
    doc->src = src ? src : empty;
    doc->len = len;
    doc->toks = NULL;
    doc->reason = "ok";
    if ((!src && len) || (!toks && cap)) {
        doc->reason = "bad argument";
        return BH_EINVAL;
    }
    if (len > BH__JSON_MAX_LEN) {
        doc->reason = "input longer than INT_MAX bytes";
        return BH_ETOOBIG;
    }
    s = (const uint8_t *)doc->src;
    if (toks) {
        if (cap > len + 1) cap = len + 1; /* never more tokens than bytes */
        r = bh__json_run_tokens(doc, s, s + len, toks, (uint32_t)cap);
        if (r == BH_OK) {
            doc->toks = toks;
            return BH_OK;
        }
        if (r != BH__JSPACE) return r;
    }
    r = bh__json_run_count(doc, s, s + len);
    if (r != BH_OK) {
        doc->ntoks = 0;
        return r;
    }
    if (!toks) return BH_OK;
    doc->reason = "token array too small";
    return BH_ESPACE;
}

BHDEF const char *bh_json_reason(const bh_json *doc)
{
    return doc && doc->reason ? doc->reason : "no document";
}

BHDEF int bh_json_line_col(const bh_json *doc, size_t pos, size_t *line,
                           size_t *col)
{
    const uint8_t *s;
    size_t i, l = 1, c = 1;
    if (!doc || !doc->src || pos > doc->len) return BH_EINVAL;
    s = (const uint8_t *)doc->src;
    for (i = 0; i < pos; i++) {
        if (s[i] == '\n') {
            l++;
            c = 1;
        } else if ((s[i] & 0xc0) != 0x80) {
            c++;
        }
    }
    if (line) *line = l;
    if (col) *col = c;
    return BH_OK;
}

/* ---- accessors ---- */

static const bh_json_tok *bh__jtok(const bh_json *doc, int tok)
{
    if (!doc || !doc->toks || tok < 0 || (size_t)tok >= doc->ntoks)
        return NULL;
    return doc->toks + tok;
}

static const uint8_t *bh__jtext(const bh_json *doc, const bh_json_tok *t)
{
    return (const uint8_t *)doc->src + t->start;
}

static uint32_t bh__hex4(const uint8_t *p)
{
    uint32_t v = 0;
    int i;
    for (i = 0; i < 4; i++) {
        unsigned c = p[i];
        v = v << 4 | (c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
    }
    return v;
}

/* Encode code point c (at most U+10FFFF, no surrogate) as UTF-8. */
static unsigned bh__utf8_put(uint32_t c, uint8_t out[4])
{
    if (c < 0x80) {
        out[0] = (uint8_t)c;
        return 1;
    }
    if (c < 0x800) {
        out[0] = (uint8_t)(0xc0 | c >> 6);
        out[1] = (uint8_t)(0x80 | (c & 0x3f));
        return 2;
    }
    if (c < 0x10000) {
        out[0] = (uint8_t)(0xe0 | c >> 12);
        out[1] = (uint8_t)(0x80 | ((c >> 6) & 0x3f));
        out[2] = (uint8_t)(0x80 | (c & 0x3f));
        return 3;
    }
    out[0] = (uint8_t)(0xf0 | c >> 18);
    out[1] = (uint8_t)(0x80 | ((c >> 12) & 0x3f));
    out[2] = (uint8_t)(0x80 | ((c >> 6) & 0x3f));
    out[3] = (uint8_t)(0x80 | (c & 0x3f));
    return 4;
}

/* Decode the escape at *pp (validated by the parser) into UTF-8 bytes in
   out; returns their count and moves *pp past it. A surrogate pair becomes
   one character; a lone surrogate becomes U+FFFD. */
static unsigned bh__json_escape(const uint8_t **pp, const uint8_t *end,
                                uint8_t out[4])
{
    const uint8_t *p = *pp;
    uint32_t c, lo;
    if (p[1] != 'u') {
        out[0] = (uint8_t)bh__json_unescape1(p[1]);
        *pp = p + 2;
        return 1;
    }
    c = bh__hex4(p + 2);
    p += 6;
    if (c >= 0xd800 && c <= 0xdbff && end - p >= 6 && p[0] == '\\' &&
        p[1] == 'u' && (lo = bh__hex4(p + 2)) >= 0xdc00 && lo <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (lo - 0xdc00);
        p += 6;
    } else if (c >= 0xd800 && c <= 0xdfff) {
        c = 0xfffd;
    }
    *pp = p;
    return bh__utf8_put(c, out);
}

/* A cursor over the unescaped bytes of a string body. */
typedef struct bh__jcur {
    const uint8_t *p, *end;
    uint8_t buf[4];
    unsigned i, n;
} bh__jcur;

/* A cursor over the body of the quoted string text q[0..len). */
static void bh__jcur_text(bh__jcur *c, const uint8_t *q, size_t len)
{
    c->p = q + 1;
    c->end = q + len - 1;
    c->i = c->n = 0;
}

static void bh__jcur_init(bh__jcur *c, const bh_json *doc,
                          const bh_json_tok *t)
{
    bh__jcur_text(c, bh__jtext(doc, t), t->len);
}

/* The next unescaped byte, or -1 at the end. */
static int bh__jcur_next(bh__jcur *c)
{
    if (c->i < c->n) return c->buf[c->i++];
    if (c->p == c->end) return -1;
    if (*c->p != '\\') return *c->p++;
    c->n = bh__json_escape(&c->p, c->end, c->buf);
    c->i = 1;
    return c->buf[0];
}

/* Whether two cursors give the same bytes to their ends. */
static int bh__jcur_same(bh__jcur *a, bh__jcur *b)
{
    int c;
    do {
        c = bh__jcur_next(a);
        if (c != bh__jcur_next(b)) return 0;
    } while (c >= 0);
    return 1;
}

/* Whether string token t unescapes to seg[0..len), in which (when tilde,
   a pointer segment) "~0" and "~1" stand for '~' and '/'. Its own frame:
   callers take it only for escaped keys or segments with '~'. */
BH__NOINLINE int bh__json_key_is_segment(const bh_json *doc,
                                         const bh_json_tok *t,
                                         const char *seg, size_t len,
                                         int tilde)
{
    bh__jcur c;
    size_t i;
    bh__jcur_init(&c, doc, t);
    for (i = 0; i < len; i++) {
        int want = (uint8_t)seg[i];
        if (tilde && want == '~') want = seg[++i] == '0' ? '~' : '/';
        if (bh__jcur_next(&c) != want) return 0;
    }
    return bh__jcur_next(&c) < 0;
}

/* Whether string token t unescapes to s[0..len). */
static int bh__json_str_eq(const bh_json *doc, const bh_json_tok *t,
                           const char *s, size_t len)
{
    if (!(t->flags & BH_JSON_FESCAPED))
        return t->len - 2 == len &&
               (len == 0 || memcmp(bh__jtext(doc, t) + 1, s, len) == 0);
    return len <= t->len - 2 && bh__json_key_is_segment(doc, t, s, len, 0);
}

/* The value of obj's last member whose key matches, or BH_ENOTFOUND. */
static int bh__json_find_member(const bh_json *doc, int obj, const char *key,
                                size_t len, int tilde)
{
    const bh_json_tok *toks = doc->toks;
    const char *src = doc->src;
    uint32_t k, end = toks[obj].next;
    int found = BH_ENOTFOUND;
    /* an unescaped key is never longer than its text; a plain key's text
       is the key itself */
    size_t shortest = tilde ? (len + 1) / 2 : len;
    for (k = (uint32_t)obj + 1; k < end; k = toks[k + 1].next) {
        const bh_json_tok *t = &toks[k];
        size_t n = t->len - 2;
        if (!(t->flags & BH_JSON_FESCAPED) && !tilde) {
            if (n == len && (len == 0 || memcmp(src + t->start + 1, key, len) == 0))
                found = (int)k + 1;
        } else if (n >= shortest &&
                   bh__json_key_is_segment(doc, t, key, len, tilde)) {
            found = (int)k + 1;
        }
    }
    return found;
}

static int bh__json_find_index(const bh_json *doc, int arr, size_t i)
{
    const bh_json_tok *toks = doc->toks;
    uint32_t k, end = toks[arr].next;
    for (k = (uint32_t)arr + 1; k < end; k = toks[k].next)
        if (i-- == 0) return (int)k;
    return BH_ENOTFOUND;
}

/* A pointer segment as an array index: digits without a leading zero. */
static int bh__json_segment_index(const char *seg, size_t len, size_t *out)
{
    size_t i, v = 0;
    if (len == 0 || (len > 1 && seg[0] == '0')) return 0;
    for (i = 0; i < len; i++) {
        unsigned d = (unsigned)(uint8_t)seg[i] - '0';
        if (d > 9 || v > ((size_t)-1 - d) / 10) return 0;
        v = v * 10 + d;
    }
    *out = v;
    return 1;
}

BHDEF int bh_json_get_n(const bh_json *doc, int tok, const char *pointer,
                        size_t len)
{
    size_t i, start;
    int cur = tok;
    if (!bh__jtok(doc, tok) || (!pointer && len)) return BH_EINVAL;
    if (len == 0) return tok;
    if (pointer[0] != '/') return BH_EPOINTER;
    for (i = 0; i < len; i++) { /* "~" only as "~0" or "~1" */
        const char *t = (const char *)memchr(pointer + i, '~', len - i);
        if (!t) break;
        i = (size_t)(t - pointer) + 1;
        if (i == len || (pointer[i] != '0' && pointer[i] != '1')) return BH_EPOINTER;
    }
    start = 1;
    for (;;) {
        const char *seg = pointer + start;
        const char *slash = (const char *)memchr(seg, '/', len - start);
        size_t seglen = slash ? (size_t)(slash - seg) : len - start, index;
        const bh_json_tok *t = &doc->toks[cur];
        if (t->type == BH_JSON_OBJECT) {
            cur = bh__json_find_member(doc, cur, seg, seglen,
                                       memchr(seg, '~', seglen) != NULL);
        } else if (t->type == BH_JSON_ARRAY &&
                   bh__json_segment_index(seg, seglen, &index)) {
            cur = bh__json_find_index(doc, cur, index);
        } else {
            return BH_ENOTFOUND;
        }
        if (cur < 0 || !slash) return cur;
        start += seglen + 1;
    }
}

BHDEF int bh_json_get(const bh_json *doc, int tok, const char *pointer)
{
    if (!pointer) return BH_EINVAL;
    return bh_json_get_n(doc, tok, pointer, strlen(pointer));
}

BHDEF int bh_json_member(const bh_json *doc, int obj, const char *key,
                         size_t len)
{
    const bh_json_tok *t = bh__jtok(doc, obj);
    if (!t || t->type != BH_JSON_OBJECT || (!key && len)) return BH_EINVAL;
    return bh__json_find_member(doc, obj, key, len, 0);
}

BHDEF int bh_json_index(const bh_json *doc, int arr, size_t i)
{
    const bh_json_tok *t = bh__jtok(doc, arr);
    if (!t || t->type != BH_JSON_ARRAY) return BH_EINVAL;
    return bh__json_find_index(doc, arr, i);
}

static int bh__json_is_container(const bh_json_tok *t)
{
    return t && (t->type == BH_JSON_OBJECT || t->type == BH_JSON_ARRAY);
}

BHDEF int bh_json_child(const bh_json *doc, int tok)
{
    const bh_json_tok *t = bh__jtok(doc, tok);
    if (!bh__json_is_container(t)) return BH_EINVAL;
    return (uint32_t)tok + 1 < t->next ? tok + 1 : BH_ENOTFOUND;
}

BHDEF int bh_json_next(const bh_json *doc, int tok, int child)
{
    const bh_json_tok *t = bh__jtok(doc, tok), *c = bh__jtok(doc, child);
    uint32_t next;
    if (!bh__json_is_container(t) || !c || child <= tok ||
        (uint32_t)child >= t->next || c->depth != t->depth + 1 ||
        (t->type == BH_JSON_OBJECT && !(c->flags & BH_JSON_FKEY)))
        return BH_EINVAL;
    next = t->type == BH_JSON_OBJECT ? doc->toks[child + 1].next : c->next;
    return next < t->next ? (int)next : BH_ENOTFOUND;
}

BHDEF int bh_json_count(const bh_json *doc, int tok)
{
    int k, n = 0;
    if (!bh__json_is_container(bh__jtok(doc, tok))) return BH_EINVAL;
    for (k = bh_json_child(doc, tok); k >= 0; k = bh_json_next(doc, tok, k))
        n++;
    return n;
}

BHDEF int bh_json_type_of(const bh_json *doc, int tok)
{
    const bh_json_tok *t = bh__jtok(doc, tok);
    return t ? (int)t->type : BH_EINVAL;
}

BHDEF const char *bh_json_raw(const bh_json *doc, int tok, size_t *len)
{
    const bh_json_tok *t = bh__jtok(doc, tok);
    if (!t) return NULL;
    if (len) *len = t->len;
    return doc->src + t->start;
}

BHDEF int bh_json_string(const bh_json *doc, int tok, char *out, size_t cap)
{
    const bh_json_tok *t = bh__jtok(doc, tok);
    const uint8_t *s, *e;
    size_t o = 0, n;
    if (!t || t->type != BH_JSON_STRING || (!out && cap)) return BH_EINVAL;
    s = bh__jtext(doc, t) + 1;
    n = t->len - 2;
    e = s + n;
    if (!(t->flags & BH_JSON_FESCAPED)) {
        if (n >= cap) goto space;
        memcpy(out, s, n);
        out[n] = '\0';
        return (int)n;
    }
    while (s < e) {
        const uint8_t *bs = (const uint8_t *)memchr(s, '\\', (size_t)(e - s));
        size_t run = (size_t)((bs ? bs : e) - s);
        uint8_t u[4];
        unsigned k;
        if (o + run >= cap) goto space;
        memcpy(out + o, s, run);
        o += run;
        if (!bs) break;
        s = bs;
        k = bh__json_escape(&s, e, u);
        if (o + k >= cap) goto space;
        memcpy(out + o, u, k);
        o += k;
    }
    out[o] = '\0';
    return (int)o;
space:
    if (cap) out[0] = '\0';
    return BH_ESPACE;
}

BHDEF int bh_json_string_eq(const bh_json *doc, int tok, const char *s,
                            size_t len)
{
    const bh_json_tok *t = bh__jtok(doc, tok);
    if (!t || t->type != BH_JSON_STRING || (!s && len)) return BH_EINVAL;
    return bh__json_str_eq(doc, t, s, len);
}

BHDEF int bh_json_strings_equal(const bh_json *a, int ta, const bh_json *b,
                                int tb)
{
    const bh_json_tok *x = bh__jtok(a, ta), *y = bh__jtok(b, tb);
    bh__jcur cx, cy;
    if (!x || !y || x->type != BH_JSON_STRING || y->type != BH_JSON_STRING)
        return BH_EINVAL;
    if (!((x->flags | y->flags) & BH_JSON_FESCAPED))
        return x->len == y->len &&
               memcmp(bh__jtext(a, x), bh__jtext(b, y), x->len) == 0;
    bh__jcur_init(&cx, a, x); /* one escaped: compare what they stand for */
    bh__jcur_init(&cy, b, y);
    return bh__jcur_same(&cx, &cy);
}

BHDEF int bh_json_bool(const bh_json *doc, int tok, int *out)
{
    const bh_json_tok *t = bh__jtok(doc, tok);
    if (!t || (t->type != BH_JSON_TRUE && t->type != BH_JSON_FALSE))
        return BH_EINVAL;
    if (out) *out = t->type == BH_JSON_TRUE;
    return BH_OK;
}

BHDEF int bh_json_is_null(const bh_json *doc, int tok)
{
    const bh_json_tok *t = bh__jtok(doc, tok);
    return t && t->type == BH_JSON_NULL;
}

/* ---- numbers ---- */

/* A validated JSON number taken apart: its significant digits run from
   virtual index first to last of the digit string "int digits, fraction
   digits", and the digit at virtual index k stands for 10^(top - k). */
typedef struct bh__jnum {
    const uint8_t *ip, *fp; /* integer and fraction digits */
    int64_t ni, nf;         /* their counts */
    int64_t first, last;    /* first and last non-zero digit (first > last: 0) */
    int64_t top;            /* the power of ten of virtual digit 0 */
    int neg;
} bh__jnum;

#define BH__JEXP_CLAMP 1000000000000000ll /* 10^15 */

static unsigned bh__jnum_digit(const bh__jnum *n, int64_t k)
{
    return (unsigned)(k < n->ni ? n->ip[k] : n->fp[k - n->ni]) - '0';
}

static void bh__jnum_split(const uint8_t *p, const uint8_t *e, bh__jnum *n)
{
    int64_t exp = 0, k;
    int eneg = 0;
    n->neg = *p == '-';
    p += n->neg;
    n->ip = p;
    while (p < e && bh__is_digit(*p)) p++;
    n->ni = p - n->ip;
    n->fp = p;
    n->nf = 0;
    if (p < e && *p == '.') {
        n->fp = ++p;
        while (p < e && bh__is_digit(*p)) p++;
        n->nf = p - n->fp;
    }
    if (p < e) { /* 'e' or 'E' */
        p++;
        if (*p == '+' || *p == '-') eneg = *p++ == '-';
        for (; p < e; p++)
            if (exp < BH__JEXP_CLAMP) exp = exp * 10 + (*p - '0');
        if (exp > BH__JEXP_CLAMP) exp = BH__JEXP_CLAMP;
        if (eneg) exp = -exp;
    }
    n->top = n->ni - 1 + exp;
    for (k = 0; k < n->ni + n->nf && bh__jnum_digit(n, k) == 0; k++) {}
    n->first = k;
    for (k = n->ni + n->nf - 1; k >= n->first && bh__jnum_digit(n, k) == 0; k--) {}
    n->last = k;
}

/* The magnitude of an integral number; BH_OK, BH_ENOTINT or BH_ENUMBER. */
static int bh__jnum_integer(const bh__jnum *n, uint64_t *mag)
{
    uint64_t m = 0;
    int64_t k, low;
    *mag = 0;
    if (n->first > n->last) return BH_OK;
    low = n->top - n->last;
    if (low < 0) return BH_ENOTINT;
    if (n->top - n->first > 19) return BH_ENUMBER;
    for (k = n->first; k <= n->last + low; k++) {
        unsigned d = k <= n->last ? bh__jnum_digit(n, k) : 0;
        if (m > (UINT64_MAX - d) / 10) return BH_ENUMBER;
        m = m * 10 + d;
    }
    *mag = m;
    return BH_OK;
}

static const bh_json_tok *bh__jnum_tok(const bh_json *doc, int tok,
                                       bh__jnum *n)
{
    const bh_json_tok *t = bh__jtok(doc, tok);
    if (!t || t->type != BH_JSON_NUMBER) return NULL;
    bh__jnum_split(bh__jtext(doc, t), bh__jtext(doc, t) + t->len, n);
    return t;
}

BHDEF int bh_json_int64(const bh_json *doc, int tok, int64_t *out)
{
    bh__jnum n;
    uint64_t m;
    int r;
    if (!bh__jnum_tok(doc, tok, &n)) return BH_EINVAL;
    r = bh__jnum_integer(&n, &m);
    if (r) return r;
    if (m > (uint64_t)INT64_MAX + n.neg) return BH_ENUMBER;
    if (out) *out = n.neg ? (int64_t)(0 - m) : (int64_t)m;
    return BH_OK;
}

BHDEF int bh_json_uint64(const bh_json *doc, int tok, uint64_t *out)
{
    bh__jnum n;
    uint64_t m;
    int r;
    if (!bh__jnum_tok(doc, tok, &n)) return BH_EINVAL;
    r = bh__jnum_integer(&n, &m);
    if (r) return r;
    if (n.neg && m) return BH_ENUMBER;
    if (out) *out = m;
    return BH_OK;
}

/* Compare the magnitudes of two split numbers: -1, 0 or 1. */
static int bh__jnum_cmp_mag(const bh__jnum *a, const bh__jnum *b)
{
    int az = a->first > a->last, bz = b->first > b->last;
    int64_t ta, tb, i;
    if (az || bz) return az && bz ? 0 : az ? -1 : 1;
    ta = a->top - a->first; /* the power of ten of the first digit */
    tb = b->top - b->first;
    if (ta != tb) return ta < tb ? -1 : 1;
    for (i = 0;; i++) {
        int64_t ka = a->first + i, kb = b->first + i;
        unsigned da = ka <= a->last ? bh__jnum_digit(a, ka) : 0;
        unsigned db = kb <= b->last ? bh__jnum_digit(b, kb) : 0;
        if (da != db) return da < db ? -1 : 1;
        if (ka >= a->last && kb >= b->last) return 0;
    }
}

BHDEF int bh_json_number_cmp(const char *a, size_t alen, const char *b,
                             size_t blen, int *order)
{
    const uint8_t *pa = (const uint8_t *)a, *pb = (const uint8_t *)b;
    bh__jnum na, nb;
    unsigned fl = 0;
    int m, sa, sb;
    if (!a || !b || !alen || !blen ||
        bh__json_number_end(pa, pa + alen, &fl) != pa + alen ||
        bh__json_number_end(pb, pb + blen, &fl) != pb + blen)
        return BH_ENUMBER;
    bh__jnum_split(pa, pa + alen, &na);
    bh__jnum_split(pb, pb + blen, &nb);
    sa = na.first > na.last ? 0 : na.neg ? -1 : 1;
    sb = nb.first > nb.last ? 0 : nb.neg ? -1 : 1;
    if (sa != sb) {
        m = sa < sb ? -1 : 1;
    } else {
        m = bh__jnum_cmp_mag(&na, &nb);
        if (sa < 0) m = -m;
    }
    if (order) *order = m;
    return BH_OK;
}

#ifndef BLUEHOOK_NO_DOUBLE
/* ---- doubles: exact decimal arithmetic ----
   Correct rounding both ways without big tables. Reading takes a fast
   exact path when the digits fit 2^53 and the power of ten is at most 22
   (Clinger); else a decimal of up to 800 digits (the 768 a halfway case
   can need, and room) is shifted by powers of two, the method of Go's
   strconv. The writer prints integers below 2^53 directly, and other
   values with the shortest-digits method below. The slow paths cost a few
   microseconds and about 0.6-0.7 KB of stack (tests/size.sh). */

#define BH__DEC_DIGITS 800
#define BH__DEC_MAXSHIFT 60

/* Digits are packed two to a byte (digit i in the low half of byte i / 2
   when i is even), which halves the reader's stack. */
typedef struct bh__dec {
    uint8_t d[(BH__DEC_DIGITS + 24) / 2]; /* digits, most significant first */
    int nd;                               /* digits used */
    int dp;                               /* value = 0.d0 d1... * 10^dp */
    int trunc;                            /* non-zero digits were dropped */
} bh__dec;

/* Digit i of a. */
static unsigned bh__dec_get(const bh__dec *a, int i)
{
    return ((unsigned)a->d[i >> 1] >> ((unsigned)(i & 1) * 4)) & 15u;
}

/* Set digit i of a to v (0-9). */
static void bh__dec_put(bh__dec *a, int i, unsigned v)
{
    unsigned sh = (unsigned)(i & 1) * 4;
    a->d[i >> 1] = (uint8_t)((a->d[i >> 1] & ~(15u << sh)) | v << sh);
}

static void bh__dec_trim(bh__dec *a)
{
    while (a->nd > 0 && bh__dec_get(a, a->nd - 1) == 0) a->nd--;
    if (a->nd == 0) a->dp = 0;
}

/* a >>= k (k <= 60). */
static void bh__dec_rshift(bh__dec *a, unsigned k)
{
    int r = 0, w = 0;
    uint64_t n = 0, mask = ((uint64_t)1 << k) - 1;
    for (; (n >> k) == 0; r++) {
        if (r >= a->nd) {
            if (n == 0) {
                a->nd = 0;
                return;
            }
            while ((n >> k) == 0) {
                n *= 10;
                r++;
            }
            break;
        }
        n = n * 10 + bh__dec_get(a, r);
    }
    a->dp -= r - 1;
    for (; r < a->nd; r++) {
        unsigned c = bh__dec_get(a, r);
        bh__dec_put(a, w++, (unsigned)(n >> k));
        n &= mask;
        n = n * 10 + c;
    }
    while (n > 0) {
        unsigned dig = (unsigned)(n >> k);
        n &= mask;
        if (w < BH__DEC_DIGITS)
            bh__dec_put(a, w++, dig);
        else if (dig > 0)
            a->trunc = 1;
        n *= 10;
    }
    a->nd = w;
    bh__dec_trim(a);
}

/* a <<= k (k <= 60). The digits are written from the right, leaving room
   for the most the shift can add (k * log10(2) + 1), then moved down. */
static void bh__dec_lshift(bh__dec *a, unsigned k)
{
    int room = (int)(k * 30103u / 100000u) + 1;
    int r, w = a->nd + room, count, i;
    uint64_t n = 0;
    for (r = a->nd - 1; r >= 0; r--) {
        uint64_t quo;
        n += (uint64_t)bh__dec_get(a, r) << k;
        quo = n / 10;
        bh__dec_put(a, --w, (unsigned)(n - 10 * quo));
        n = quo;
    }
    while (n > 0) {
        uint64_t quo = n / 10;
        bh__dec_put(a, --w, (unsigned)(n - 10 * quo));
        n = quo;
    }
    count = a->nd + room - w;
    for (i = 0; i < count; i++) bh__dec_put(a, i, bh__dec_get(a, w + i));
    a->dp += count - a->nd;
    if (count > BH__DEC_DIGITS) {
        for (i = BH__DEC_DIGITS; i < count; i++)
            if (bh__dec_get(a, i)) a->trunc = 1;
        count = BH__DEC_DIGITS;
    }
    a->nd = count;
    bh__dec_trim(a);
}

/* a *= 2^k (k may be negative). */
static void bh__dec_shift(bh__dec *a, int k)
{
    if (a->nd == 0) return;
    for (; k > BH__DEC_MAXSHIFT; k -= BH__DEC_MAXSHIFT)
        bh__dec_lshift(a, BH__DEC_MAXSHIFT);
    for (; k < -BH__DEC_MAXSHIFT; k += BH__DEC_MAXSHIFT)
        bh__dec_rshift(a, BH__DEC_MAXSHIFT);
    if (k > 0) bh__dec_lshift(a, (unsigned)k);
    if (k < 0) bh__dec_rshift(a, (unsigned)-k);
}

/* Whether keeping nd digits should round up (half to even). */
static int bh__dec_should_round_up(const bh__dec *a, int nd)
{
    unsigned d;
    if (nd < 0 || nd >= a->nd) return 0;
    d = bh__dec_get(a, nd);
    if (d == 5 && nd + 1 == a->nd) {
        if (a->trunc) return 1; /* a little above half */
        return nd > 0 && (bh__dec_get(a, nd - 1) & 1);
    }
    return d >= 5;
}

/* The integer part of a, rounded (half to even); all ones when too big. */
static uint64_t bh__dec_rounded_integer(const bh__dec *a)
{
    uint64_t n = 0;
    int i;
    if (a->dp > 20) return UINT64_MAX;
    for (i = 0; i < a->dp && i < a->nd; i++) n = n * 10 + bh__dec_get(a, i);
    for (; i < a->dp; i++) n *= 10;
    if (bh__dec_should_round_up(a, a->dp)) n++;
    return n;
}

#define BH__F64_MANT 52
#define BH__F64_BIAS (-1023)

/* The bits of the double nearest to a (consumed); *overflow when it is
   infinite. */
static uint64_t bh__dec_to_bits(bh__dec *a, int neg, int *overflow)
{
    static const int powtab[9] = {1, 3, 6, 9, 13, 16, 19, 23, 26};
    int exp = 0;
    uint64_t mant = 0, bits;
    *overflow = 0;
    if (a->nd == 0 || a->dp < -330) {
        exp = BH__F64_BIAS;
        goto out;
    }
    if (a->dp > 310) goto overflow;
    /* scale into [0.5, 1) */
    while (a->dp > 0) {
        int n = a->dp >= 9 ? 27 : powtab[a->dp];
        bh__dec_shift(a, -n);
        exp += n;
    }
    while (a->dp < 0 || (a->dp == 0 && bh__dec_get(a, 0) < 5)) {
        int n = -a->dp >= 9 ? 27 : powtab[-a->dp];
        bh__dec_shift(a, n);
        exp -= n;
    }
    exp--; /* [1, 2) */
    if (exp < BH__F64_BIAS + 1) { /* subnormal */
        int n = BH__F64_BIAS + 1 - exp;
        bh__dec_shift(a, -n);
        exp += n;
    }
    if (exp - BH__F64_BIAS >= 0x7ff) goto overflow;
    bh__dec_shift(a, 1 + BH__F64_MANT);
    mant = bh__dec_rounded_integer(a);
    if (mant == (uint64_t)2 << BH__F64_MANT) { /* rounding carried */
        mant >>= 1;
        exp++;
        if (exp - BH__F64_BIAS >= 0x7ff) goto overflow;
    }
    if (!(mant & ((uint64_t)1 << BH__F64_MANT))) exp = BH__F64_BIAS;
    goto out;
overflow:
    mant = 0;
    exp = 0x7ff + BH__F64_BIAS;
    *overflow = 1;
out:
    bits = mant & (((uint64_t)1 << BH__F64_MANT) - 1);
    bits |= (uint64_t)((exp - BH__F64_BIAS) & 0x7ff) << BH__F64_MANT;
    if (neg) bits |= (uint64_t)1 << 63;
    return bits;
}

static double bh__bits_double(uint64_t bits)
{
    double d;
    memcpy(&d, &bits, sizeof d);
    return d;
}

static uint64_t bh__double_bits(double d)
{
    uint64_t bits;
    memcpy(&bits, &d, sizeof bits);
    return bits;
}

static const double bh__pow10[23] = {
    1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

/* Double arithmetic rounds once, to double, on this target. */
#if defined(FLT_EVAL_METHOD) && FLT_EVAL_METHOD == 0
#define BH__EXACT_DOUBLE 1
#else
#define BH__EXACT_DOUBLE 0
#endif

BHDEF int bh_json_double(const bh_json *doc, int tok, double *out)
{
    bh__jnum n;
    bh__dec dec;
    int64_t k, nsig, top;
    int overflow;
    double d;
    if (!bh__jnum_tok(doc, tok, &n)) return BH_EINVAL;
    if (n.first > n.last) {
        d = n.neg ? -0.0 : 0.0;
        if (out) *out = d;
        return BH_OK;
    }
    nsig = n.last - n.first + 1;
    if (BH__EXACT_DOUBLE && nsig <= 19) {
        const uint64_t two53 = (uint64_t)1 << 53;
        uint64_t w = 0;
        int64_t e10 = n.top - n.last;
        for (k = n.first; k <= n.last; k++) w = w * 10 + bh__jnum_digit(&n, k);
        /* move an excess power of ten into the digits while they stay exact */
        while (e10 > 22 && w <= two53 / 10) {
            w *= 10;
            e10--;
        }
        if (w <= two53 && e10 >= -22 && e10 <= 22) {
            d = (double)w;
            d = e10 < 0 ? d / bh__pow10[-e10] : d * bh__pow10[e10];
            if (out) *out = n.neg ? -d : d;
            return BH_OK;
        }
    }
    dec.nd = 0;
    dec.trunc = 0;
    for (k = n.first; k <= n.last; k++) {
        if (dec.nd < BH__DEC_DIGITS)
            bh__dec_put(&dec, dec.nd++, bh__jnum_digit(&n, k));
        else
            dec.trunc = 1; /* digits after the 800th (the last is non-zero) */
    }
    top = n.top - n.first + 1;
    dec.dp = top > 100000 ? 100000 : top < -100000 ? -100000 : (int)top;
    d = bh__bits_double(bh__dec_to_bits(&dec, n.neg, &overflow));
    if (out) *out = d;
    return overflow ? BH_ENUMBER : BH_OK;
}

/* ---- doubles: shortest digits ----
   The writer's digits come from Steele and White's free-format method as
   Burger and Dybvig state it (Dragon4): the value, the gaps to the
   halfway points beside it and the scale are kept as exact binary
   integers, and one decimal digit is taken per step until the digits read
   back to the same double. */

#define BH__BIG_LIMBS 36 /* 1152 bits: a scale reaches 2^1078, normalized < 2^1110 */

/* A non-negative integer: n 32-bit limbs, least significant first. */
typedef struct bh__big {
    uint32_t v[BH__BIG_LIMBS];
    int n;
} bh__big;

/* Limb i of a, zero above the used ones. */
static uint32_t bh__big_limb(const bh__big *a, int i)
{
    return i < a->n ? a->v[i] : 0;
}

static void bh__big_trim(bh__big *a)
{
    while (a->n > 0 && a->v[a->n - 1] == 0) a->n--;
}

/* a = v << k. */
static void bh__big_set(bh__big *a, uint64_t v, unsigned k)
{
    unsigned w = k / 32, i;
    uint64_t lo = v << (k % 32), hi = k % 32 ? v >> (64 - k % 32) : 0;
    for (i = 0; i < w; i++) a->v[i] = 0;
    a->v[w] = (uint32_t)lo;
    a->v[w + 1] = (uint32_t)(lo >> 32);
    a->v[w + 2] = (uint32_t)hi;
    a->n = (int)w + 3;
    bh__big_trim(a);
}

/* a <<= k (k < 32). */
static void bh__big_shl(bh__big *a, unsigned k)
{
    uint32_t carry = 0;
    int i;
    for (i = 0; i < a->n; i++) {
        uint64_t x = (uint64_t)a->v[i] << k | carry;
        a->v[i] = (uint32_t)x;
        carry = (uint32_t)(x >> 32);
    }
    if (carry) a->v[a->n++] = carry;
}

/* a *= m. */
static void bh__big_mul(bh__big *a, uint32_t m)
{
    uint64_t carry = 0;
    int i;
    for (i = 0; i < a->n; i++) {
        carry += (uint64_t)a->v[i] * m;
        a->v[i] = (uint32_t)carry;
        carry >>= 32;
    }
    if (carry) a->v[a->n++] = (uint32_t)carry;
}

/* a *= 10^k, nine digits at a time. */
static void bh__big_mul_pow10(bh__big *a, unsigned k)
{
    uint32_t m = 1;
    for (; k >= 9; k -= 9) bh__big_mul(a, 1000000000u);
    while (k--) m *= 10;
    bh__big_mul(a, m);
}

/* a -= q * b, where q * b <= a. */
static void bh__big_submul(bh__big *a, const bh__big *b, uint32_t q)
{
    uint64_t borrow = 0;
    int i;
    for (i = 0; i < a->n; i++) {
        uint64_t t = (uint64_t)bh__big_limb(b, i) * q + borrow;
        uint32_t lo = (uint32_t)t;
        borrow = (t >> 32) + (a->v[i] < lo);
        a->v[i] -= lo;
    }
    bh__big_trim(a);
}

/* The sign of a + b * 2^bs - c (b may be NULL, bs is 0 or 1), computed
   limb by limb as c - a - (b << bs) without storing it. */
static int bh__big_cmp_sum(const bh__big *a, const bh__big *b, unsigned bs,
                           const bh__big *c)
{
    int i, n = a->n > c->n ? a->n : c->n;
    uint64_t carry = 0, borrow = 0;
    uint32_t nonzero = 0, below = 0;
    if (b && b->n >= n) n = b->n + 1;
    for (i = 0; i <= n; i++) {
        uint64_t bi = 0, diff;
        if (b) bi = ((uint64_t)bh__big_limb(b, i) << 32 | below) >> (32 - bs);
        below = b ? bh__big_limb(b, i) : 0;
        carry += bh__big_limb(a, i) + (bi & 0xffffffffu);
        diff = (uint64_t)bh__big_limb(c, i) - (uint32_t)carry - borrow;
        carry >>= 32;
        borrow = diff >> 63;
        nonzero |= (uint32_t)diff;
    }
    return borrow ? 1 : nonzero ? -1 : 0;
}

/* The digits of a double: value = 0.d[0]d[1]...d[nd-1] * 10^dp. */
typedef struct bh__digits {
    uint8_t d[20];
    int nd, dp;
} bh__digits;

/* The least k with 10^k >= 2^e, but 1 for e = 0 (exact for |e| <= 1650:
   78913 / 2^18 is log10(2) to enough bits). */
static int bh__ceil_log10_pow2(int e)
{
    int32_t m = (int32_t)(e < 0 ? -e : e) * 78913 >> 18;
    return e < 0 ? -(int)m : (int)m + 1;
}

/* The shortest digits that read back to a finite, non-zero double, the
   closest of them to its exact value (half to even on the last digit).
   With v = r / s * 10^k, the halfway points to the doubles beside it are
   (r - m) / s * 10^k and (r + (m << h)) / s * 10^k; they read back to v
   when its mantissa is even (inclusive). */
static void bh__double_digits(double v, bh__digits *out)
{
    uint64_t bits = bh__double_bits(v);
    uint64_t mant = bits & (((uint64_t)1 << BH__F64_MANT) - 1);
    int exp = (int)((bits >> BH__F64_MANT) & 0x7ff), e, k, top, inclusive;
    unsigned h, z;
    bh__big r, s, m;
    uint32_t q;
    if (exp == 0)
        exp = 1;
    else
        mant |= (uint64_t)1 << BH__F64_MANT;
    e = exp + BH__F64_BIAS - BH__F64_MANT; /* v = mant * 2^e */
    /* the gap below is half the gap above at a power of two */
    h = mant == (uint64_t)1 << BH__F64_MANT && exp > 1;
    inclusive = (mant & 1) == 0;
    bh__big_set(&r, mant, (unsigned)(e > 0 ? e : 0) + 1 + h);
    bh__big_set(&s, 1, (unsigned)(e < 0 ? -e : 0) + 1 + h);
    bh__big_set(&m, 1, (unsigned)(e > 0 ? e : 0));
    /* scale by 10^k, k the least with the upper halfway point below 10^k
       (or at it, when not inclusive) */
    for (top = e; mant >> (top - e + 1); top++) {}
    k = bh__ceil_log10_pow2(top);
    if (k >= 0) {
        bh__big_mul_pow10(&s, (unsigned)k);
    } else {
        bh__big_mul_pow10(&r, (unsigned)-k);
        bh__big_mul_pow10(&m, (unsigned)-k);
    }
    while (bh__big_cmp_sum(&r, &m, h, &s) > -inclusive) {
        bh__big_mul(&s, 10);
        k++;
    }
    /* put s's top limb in [2^27, 2^28): a digit is then the quotient of
       the top limbs or one more */
    for (z = 0; (uint64_t)s.v[s.n - 1] >> z; z++) {}
    z = (60 - z) % 32;
    bh__big_shl(&r, z);
    bh__big_shl(&s, z);
    bh__big_shl(&m, z);
    out->nd = 0;
    out->dp = k;
    for (;;) {
        int low, high;
        bh__big_mul(&r, 10);
        bh__big_mul(&m, 10);
        q = bh__big_limb(&r, s.n - 1) / (s.v[s.n - 1] + 1);
        bh__big_submul(&r, &s, q);
        if (bh__big_cmp_sum(&r, NULL, 0, &s) >= 0) {
            bh__big_submul(&r, &s, 1);
            q++;
        }
        low = bh__big_cmp_sum(&r, NULL, 0, &m) < inclusive;
        high = bh__big_cmp_sum(&r, &m, h, &s) > -inclusive;
        if (low && high) { /* the closer of q and q + 1 */
            int c = bh__big_cmp_sum(&r, &r, 0, &s);
            q += c > 0 || (c == 0 && (q & 1));
        } else {
            q += (uint32_t)high;
        }
        out->d[out->nd++] = (uint8_t)q;
        if (low || high || out->nd == (int)sizeof out->d) return;
    }
}
#endif /* BLUEHOOK_NO_DOUBLE */

/* ==== json writer ====================================================== */

#define BH__JW_COMMA 1u /* the open container has a value: ',' comes next */
#define BH__JW_KEY 2u   /* a key was written: its value is due */
#define BH__JW_DONE 4u  /* the top-level value is complete */

BHDEF void bh_jw_init(bh_json_writer *w, char *buf, size_t cap)
{
    memset(w, 0, sizeof *w);
    w->buf = buf;
    w->cap = buf ? cap : 0;
}

static int bh__jw_fail(bh_json_writer *w, int err)
{
    if (!w->err) w->err = err;
    return w->err;
}

/* Append n bytes, or only count them when they do not fit. */
static void bh__jw_put(bh_json_writer *w, const void *s, size_t n)
{
    if (n && n <= w->cap && w->len <= w->cap - n) memcpy(w->buf + w->len, s, n);
    w->len += n;
}

static void bh__jw_byte(bh_json_writer *w, unsigned c)
{
    if (w->len < w->cap) w->buf[w->len] = (char)c;
    w->len++;
}

static int bh__jw_in_object(const bh_json_writer *w)
{
    uint32_t d = w->depth - 1;
    return w->depth && (w->kinds[d >> 3] >> (d & 7) & 1);
}

/* Check that a value may come now, and write the ',' before it. */
static int bh__jw_before_value(bh_json_writer *w)
{
    if (w->err) return w->err;
    if (w->depth == 0)
        return w->state & BH__JW_DONE ? bh__jw_fail(w, BH_ESTATE) : BH_OK;
    if (bh__jw_in_object(w)) {
        if (!(w->state & BH__JW_KEY)) return bh__jw_fail(w, BH_ESTATE);
        w->state &= ~BH__JW_KEY;
        return BH_OK;
    }
    if (w->state & BH__JW_COMMA) bh__jw_byte(w, ',');
    return BH_OK;
}

static int bh__jw_after_value(bh_json_writer *w)
{
    w->state |= w->depth ? BH__JW_COMMA : BH__JW_DONE;
    return w->err;
}

static int bh__jw_begin(bh_json_writer *w, int object)
{
    uint32_t d = w->depth;
    int r = bh__jw_before_value(w);
    if (r) return r;
    if (d >= BH_JW_MAX_DEPTH) return bh__jw_fail(w, BH_EDEPTH);
    if (object)
        w->kinds[d >> 3] = (uint8_t)(w->kinds[d >> 3] | 1u << (d & 7));
    else
        w->kinds[d >> 3] = (uint8_t)(w->kinds[d >> 3] & ~(1u << (d & 7)));
    w->depth++;
    w->state &= ~BH__JW_COMMA;
    bh__jw_byte(w, object ? '{' : '[');
    return BH_OK;
}

static int bh__jw_end(bh_json_writer *w, int object)
{
    if (w->err) return w->err;
    if (!w->depth || bh__jw_in_object(w) != object || (w->state & BH__JW_KEY))
        return bh__jw_fail(w, BH_ESTATE);
    w->depth--;
    bh__jw_byte(w, object ? '}' : ']');
    return bh__jw_after_value(w);
}

BHDEF int bh_jw_begin_object(bh_json_writer *w) { return bh__jw_begin(w, 1); }
BHDEF int bh_jw_end_object(bh_json_writer *w) { return bh__jw_end(w, 1); }
BHDEF int bh_jw_begin_array(bh_json_writer *w) { return bh__jw_begin(w, 0); }
BHDEF int bh_jw_end_array(bh_json_writer *w) { return bh__jw_end(w, 0); }

/* Write one byte of string content, escaped when JSON needs it. */
static void bh__jw_escape_byte(bh_json_writer *w, unsigned c)
{
    static const char hex[] = "0123456789abcdef";
    char e[6];
    e[0] = '\\';
    switch (c) {
    case '"': e[1] = '"'; break;
    case '\\': e[1] = '\\'; break;
    case 8: e[1] = 'b'; break;
    case 12: e[1] = 'f'; break;
    case 10: e[1] = 'n'; break;
    case 13: e[1] = 'r'; break;
    case 9: e[1] = 't'; break;
    default:
        if (c >= 0x20) {
            bh__jw_byte(w, c);
            return;
        }
        e[1] = 'u';
        e[2] = '0';
        e[3] = '0';
        e[4] = hex[c >> 4];
        e[5] = hex[c & 15];
        bh__jw_put(w, e, 6);
        return;
    }
    bh__jw_put(w, e, 2);
}

/* Write s[0..n) as string content: plain runs copied, UTF-8 validated. */
static int bh__jw_string_body(bh_json_writer *w, const uint8_t *s, size_t n)
{
    const uint8_t *p = s, *e = s + n;
    while (p < e) {
        const uint8_t *q = bh__json_special(p, e);
        bh__jw_put(w, p, (size_t)(q - p));
        p = q;
        if (p == e) break;
        if (*p >= 0x80) {
            int k = bh__utf8_len(p, e);
            if (k <= 0) return bh__jw_fail(w, BH_EUTF8);
            bh__jw_put(w, p, (size_t)k);
            p += k;
        } else {
            bh__jw_escape_byte(w, *p++);
        }
    }
    return BH_OK;
}

static int bh__jw_quoted(bh_json_writer *w, const char *s, size_t n)
{
    int r;
    bh__jw_byte(w, '"');
    r = n ? bh__jw_string_body(w, (const uint8_t *)s, n) : BH_OK;
    bh__jw_byte(w, '"');
    return r;
}

/* Check that a key may come now, and write the ',' before it. */
static int bh__jw_before_key(bh_json_writer *w)
{
    if (w->err) return w->err;
    if (!bh__jw_in_object(w) || (w->state & BH__JW_KEY))
        return bh__jw_fail(w, BH_ESTATE);
    if (w->state & BH__JW_COMMA) bh__jw_byte(w, ',');
    return BH_OK;
}

BHDEF int bh_jw_key(bh_json_writer *w, const char *s, size_t len)
{
    int r = bh__jw_before_key(w);
    if (r) return r;
    if (!s && len) return bh__jw_fail(w, BH_EINVAL);
    r = bh__jw_quoted(w, s, len);
    if (r) return r;
    bh__jw_byte(w, ':');
    w->state |= BH__JW_KEY;
    return BH_OK;
}

BHDEF int bh_jw_string(bh_json_writer *w, const char *s, size_t len)
{
    int r = bh__jw_before_value(w);
    if (r) return r;
    if (!s && len) return bh__jw_fail(w, BH_EINVAL);
    r = bh__jw_quoted(w, s, len);
    return r ? r : bh__jw_after_value(w);
}

/* The decimal digits of v, right-aligned in buf[24]; returns the first. */
static char *bh__u64_digits(uint64_t v, char buf[24])
{
    size_t i = 24;
    do {
        buf[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    return buf + i;
}

static int bh__jw_integer(bh_json_writer *w, int neg, uint64_t mag)
{
    char buf[24], *p = bh__u64_digits(mag, buf);
    int r = bh__jw_before_value(w);
    if (r) return r;
    if (neg) *--p = '-';
    bh__jw_put(w, p, (size_t)(buf + 24 - p));
    return bh__jw_after_value(w);
}

BHDEF int bh_jw_int64(bh_json_writer *w, int64_t v)
{
    return bh__jw_integer(w, v < 0, v < 0 ? 0 - (uint64_t)v : (uint64_t)v);
}

BHDEF int bh_jw_uint64(bh_json_writer *w, uint64_t v)
{
    return bh__jw_integer(w, 0, v);
}

#ifndef BLUEHOOK_NO_DOUBLE
/* Write the digits of d as JavaScript's Number.prototype.toString lays
   them out: plain from 1e-7 to 1e21, exponent form outside. */
static void bh__jw_decimal(bh_json_writer *w, int neg, const bh__digits *d)
{
    char buf[32];
    int i, n = d->dp, k = d->nd, e;
    if (neg) bh__jw_byte(w, '-');
    if (k <= n && n <= 21) { /* 123000 */
        for (i = 0; i < k; i++) bh__jw_byte(w, '0' + d->d[i]);
        for (; i < n; i++) bh__jw_byte(w, '0');
    } else if (0 < n && n <= 21) { /* 123.45 */
        for (i = 0; i < n; i++) bh__jw_byte(w, '0' + d->d[i]);
        bh__jw_byte(w, '.');
        for (; i < k; i++) bh__jw_byte(w, '0' + d->d[i]);
    } else if (-6 < n && n <= 0) { /* 0.00123 */
        bh__jw_put(w, "0.", 2);
        for (i = n; i < 0; i++) bh__jw_byte(w, '0');
        for (i = 0; i < k; i++) bh__jw_byte(w, '0' + d->d[i]);
    } else { /* 1.23e+25, 1e-7 */
        char *p;
        bh__jw_byte(w, '0' + d->d[0]);
        if (k > 1) {
            bh__jw_byte(w, '.');
            for (i = 1; i < k; i++) bh__jw_byte(w, '0' + d->d[i]);
        }
        e = n - 1;
        bh__jw_byte(w, 'e');
        bh__jw_byte(w, e < 0 ? '-' : '+');
        p = bh__u64_digits((uint64_t)(e < 0 ? -e : e), buf);
        bh__jw_put(w, p, (size_t)(buf + 24 - p));
    }
}

BHDEF int bh_jw_double(bh_json_writer *w, double v)
{
    uint64_t bits = bh__double_bits(v);
    int neg = (int)(bits >> 63), r;
    bh__digits d;
    if (((bits >> BH__F64_MANT) & 0x7ff) == 0x7ff)
        return bh__jw_fail(w, w->err ? w->err : BH_ENUMBER);
    r = bh__jw_before_value(w);
    if (r) return r;
    if (v == 0) {
        bh__jw_put(w, neg ? "-0" : "0", neg ? 2u : 1u);
    } else if (v > -9007199254740992.0 && v < 9007199254740992.0 &&
               v == (double)(int64_t)v) { /* an integer below 2^53 */
        char buf[24], *p = bh__u64_digits((uint64_t)(neg ? -v : v), buf);
        if (neg) *--p = '-';
        bh__jw_put(w, p, (size_t)(buf + 24 - p));
    } else {
        bh__double_digits(v, &d);
        bh__jw_decimal(w, neg, &d);
    }
    return bh__jw_after_value(w);
}
#endif

BHDEF int bh_jw_bool(bh_json_writer *w, int v)
{
    int r = bh__jw_before_value(w);
    if (r) return r;
    bh__jw_put(w, v ? "true" : "false", v ? 4u : 5u);
    return bh__jw_after_value(w);
}

BHDEF int bh_jw_null(bh_json_writer *w)
{
    int r = bh__jw_before_value(w);
    if (r) return r;
    bh__jw_put(w, "null", 4);
    return bh__jw_after_value(w);
}

/* The deepest nesting of valid JSON text: 0 for a scalar, 1 for [] or {}. */
static size_t bh__json_nesting(const uint8_t *p, const uint8_t *e)
{
    size_t d = 0, most = 0;
    int in_string = 0;
    for (; p < e; p++) {
        if (in_string) {
            if (*p == '\\') p++; /* valid JSON: an escape has its next byte */
            else if (*p == '"') in_string = 0;
        } else if (*p == '"') {
            in_string = 1;
        } else if (*p == '[' || *p == '{') {
            if (++d > most) most = d;
        } else if (*p == ']' || *p == '}') {
            d--;
        }
    }
    return most;
}

BHDEF int bh_jw_raw(bh_json_writer *w, const char *json, size_t len)
{
    const uint8_t *p, *e;
    bh_json doc;
    int r = bh__jw_before_value(w);
    if (r) return r;
    r = bh_json_parse(&doc, json, len, NULL, 0);
    if (r) return bh__jw_fail(w, r);
    p = (const uint8_t *)doc.src;
    e = p + len;
    p = bh__json_ws(p, e);
    while (e > p && bh__json_is_ws(e[-1])) e--;
    /* the fragment's containers count toward the writer's depth limit, as
       bh_jw_begin_* would count them; a container takes two bytes, so a
       fragment too short to reach the limit is not scanned */
    if ((size_t)(e - p) / 2 > BH_JW_MAX_DEPTH - w->depth &&
        bh__json_nesting(p, e) > BH_JW_MAX_DEPTH - w->depth)
        return bh__jw_fail(w, BH_EDEPTH);
    bh__jw_put(w, p, (size_t)(e - p));
    return bh__jw_after_value(w);
}

/* Write string token t re-escaped: plain runs copied, escapes decoded and
   written again as bh_jw_string would write their characters. */
static void bh__jw_token_string(bh_json_writer *w, const bh_json *doc,
                                const bh_json_tok *t)
{
    const uint8_t *p = bh__jtext(doc, t) + 1, *e = p + (t->len - 2);
    bh__jw_byte(w, '"');
    while (p < e) {
        const uint8_t *bs = (const uint8_t *)memchr(p, '\\', (size_t)(e - p));
        uint8_t u[4];
        unsigned k;
        if (!bs) bs = e;
        bh__jw_put(w, p, (size_t)(bs - p));
        p = bs;
        if (p == e) break;
        k = bh__json_escape(&p, e, u);
        if (k == 1)
            bh__jw_escape_byte(w, u[0]);
        else
            bh__jw_put(w, u, k);
    }
    bh__jw_byte(w, '"');
}

/* Close the innermost open container, whichever kind it is. */
static int bh__jw_close(bh_json_writer *w)
{
    return bh__jw_end(w, bh__jw_in_object(w));
}

BHDEF int bh_jw_value(bh_json_writer *w, const bh_json *doc, int tok)
{
    const bh_json_tok *root = bh__jtok(doc, tok);
    uint32_t i, open = 0;
    int r = BH_OK;
    if (w->err) return w->err;
    if (!root) return bh__jw_fail(w, BH_EINVAL);
    /* depth tells how many containers around token i this call opened */
    for (i = (uint32_t)tok; i < root->next && !r; i++) {
        const bh_json_tok *t = &doc->toks[i];
        uint32_t rel = (uint32_t)(t->depth - root->depth);
        while (open > rel && !r) {
            r = bh__jw_close(w);
            open--;
        }
        if (r) break;
        switch (t->type) {
        case BH_JSON_OBJECT:
        case BH_JSON_ARRAY:
            r = bh__jw_begin(w, t->type == BH_JSON_OBJECT);
            open++;
            break;
        case BH_JSON_STRING: {
            /* a key token given as the value is copied as a string */
            int key = (t->flags & BH_JSON_FKEY) && i != (uint32_t)tok;
            r = key ? bh__jw_before_key(w) : bh__jw_before_value(w);
            if (r) break;
            bh__jw_token_string(w, doc, t);
            if (key) {
                bh__jw_byte(w, ':');
                w->state |= BH__JW_KEY;
            } else {
                r = bh__jw_after_value(w);
            }
            break;
        }
        default: /* numbers as written, true, false, null */
            r = bh__jw_before_value(w);
            if (r) break;
            bh__jw_put(w, bh__jtext(doc, t), t->len);
            r = bh__jw_after_value(w);
        }
    }
    if (r) return r;
    for (; open > 0; open--) {
        r = bh__jw_close(w);
        if (r) return r;
    }
    return BH_OK;
}

BHDEF int bh_jw_finish(bh_json_writer *w)
{
    if (w->err) return w->err;
    if (w->depth || !(w->state & BH__JW_DONE)) return bh__jw_fail(w, BH_ESTATE);
    if (w->len > BH__JSON_MAX_LEN) return BH_ETOOBIG;
    if (!w->buf) return (int)w->len;
    if (w->len >= w->cap) return BH_ESPACE;
    w->buf[w->len] = '\0';
    return (int)w->len;
}

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

/* A key and a string value, when the string is present. */
static void bh__jw_member_cstr(bh_json_writer *jw, const char *key,
                               const char *value)
{
    if (!value) return;
    bh_jw_key(jw, key, strlen(key));
    bh_jw_string(jw, value, strlen(value));
}

static void bh__jw_metadata(bh_json_writer *jw, const bh_webhook *w)
{
    unsigned e;
    size_t i;
    bh_jw_key(jw, "metadata", 8);
    bh_jw_begin_object(jw);
    bh_jw_key(jw, "events", 6);
    bh_jw_begin_array(jw);
    for (e = 1; e < BH_EVENT_COUNT; e++)
        if (bh_event_set_has(w->events, (bh_event)e))
            bh_jw_string(jw, bh_event_name((bh_event)e),
                         strlen(bh_event_name((bh_event)e)));
    bh_jw_end_array(jw);
    bh_jw_key(jw, "projectIds", 10);
    bh_jw_begin_array(jw);
    for (i = 0; i < w->nproject_ids; i++)
        if (w->project_ids[i])
            bh_jw_string(jw, w->project_ids[i], strlen(w->project_ids[i]));
    bh_jw_end_array(jw);
    bh_jw_end_object(jw);
}

BHDEF int bh_webhook_write(bh_json_writer *jw, const bh_webhook *w)
{
    if (!w) return bh_jw_null(jw);
    bh_jw_begin_object(jw);
    bh__jw_member_cstr(jw, "id", w->id);
    bh__jw_member_cstr(jw, "uid", w->uid);
    bh__jw_member_cstr(jw, "name", w->name);
    bh__jw_member_cstr(jw, "url", w->url);
    bh__jw_member_cstr(jw, "secret", "");
    bh__jw_member_cstr(jw, "status", w->status == BH_STATUS_UNHEALTHY
                                         ? "UNHEALTHY" : "HEALTHY");
    bh_jw_key(jw, "enabled", 7);
    bh_jw_bool(jw, w->enabled != 0);
    bh__jw_metadata(jw, w);
    bh__jw_member_cstr(jw, "createdById", w->created_by_id);
    bh__jw_member_cstr(jw, "createdAt", w->created_at);
    bh__jw_member_cstr(jw, "updatedAt", w->updated_at);
    return bh_jw_end_object(jw);
}

/* The payload's members after "webhook": previousValue and currentValue,
   each only when given, then the closing brace. */
static int bh__payload_tail(bh_json_writer *jw, const char *previous,
                            size_t previous_len, const char *current,
                            size_t current_len)
{
    if (previous) {
        bh_jw_key(jw, "previousValue", 13);
        bh_jw_raw(jw, previous, previous_len);
    }
    if (current) {
        bh_jw_key(jw, "currentValue", 12);
        bh_jw_raw(jw, current, current_len);
    }
    return bh_jw_end_object(jw);
}

BHDEF int bh_payload_write(bh_json_writer *jw, const char *event,
                           size_t event_len, const bh_webhook *w,
                           const char *previous, size_t previous_len,
                           const char *current, size_t current_len)
{
    if (!event || !event_len) return BH_EINVAL;
    bh_jw_begin_object(jw);
    bh_jw_key(jw, "event", 5);
    bh_jw_string(jw, event, event_len);
    bh_jw_key(jw, "webhook", 7);
    bh_webhook_write(jw, w);
    return bh__payload_tail(jw, previous, previous_len, current, current_len);
}

/* ---- reading a payload ---- */

/* A member that is an object, or BH_ENOTFOUND (absent or null); BH_ESHAPE
   for another type. */
static int bh__record_member(const bh_json *doc, const char *name)
{
    int t = bh_json_member(doc, 0, name, strlen(name));
    if (t < 0 || bh_json_type_of(doc, t) == BH_JSON_NULL) return BH_ENOTFOUND;
    return bh_json_type_of(doc, t) == BH_JSON_OBJECT ? t : BH_ESHAPE;
}

BHDEF int bh_payload_read(bh_payload *p, const bh_json *doc)
{
    char name[64];
    int n;
    if (!p || !doc) return BH_EINVAL;
    memset(p, 0, sizeof *p);
    if (bh_json_type_of(doc, 0) != BH_JSON_OBJECT) return BH_ESHAPE;
    p->event_name = bh_json_member(doc, 0, "event", 5);
    p->webhook = bh_json_member(doc, 0, "webhook", 7);
    if (p->event_name < 0 || bh_json_type_of(doc, p->event_name) != BH_JSON_STRING ||
        p->webhook < 0 || bh_json_type_of(doc, p->webhook) != BH_JSON_OBJECT)
        return BH_ESHAPE;
    p->previous = bh__record_member(doc, "previousValue");
    p->current = bh__record_member(doc, "currentValue");
    if (p->previous == BH_ESHAPE || p->current == BH_ESHAPE) return BH_ESHAPE;
    n = bh_json_string(doc, p->event_name, name, sizeof name);
    p->event = n > 0 ? bh_event_from_name(name, (size_t)n) : BH_EVENT_UNKNOWN;
    p->kind = bh_event_entity(p->event);
    p->entity = p->current >= 0 ? p->current : p->previous;
    return BH_OK;
}

/* The first of a list of pointers that names a string under tok. */
static int bh__first_string(const bh_json *doc, int tok,
                            const char *const *pointers)
{
    for (; tok >= 0 && *pointers; pointers++) {
        int t = bh_json_get(doc, tok, *pointers);
        if (t >= 0 && bh_json_type_of(doc, t) == BH_JSON_STRING) return t;
    }
    return BH_ENOTFOUND;
}

BHDEF int bh_payload_entity_id(const bh_payload *p, const bh_json *doc)
{
    static const char *const ids[] = {"/id", NULL};
    return bh__first_string(doc, p->entity, ids);
}

BHDEF int bh_payload_record_id(const bh_payload *p, const bh_json *doc)
{
    static const char *const record[] = {"/id", NULL};
    static const char *const checklist[] = {"/todoId", "/todo/id", NULL};
    static const char *const item[] = {"/checklist/todoId",
                                       "/checklist/todo/id", NULL};
    static const char *const comment[] = {"/todoId", "/todo/id", "/categoryId",
                                          NULL};
    switch (p->kind) {
    case BH_ENTITY_RECORD: return bh__first_string(doc, p->entity, record);
    case BH_ENTITY_CHECKLIST: return bh__first_string(doc, p->entity, checklist);
    case BH_ENTITY_CHECKLIST_ITEM: return bh__first_string(doc, p->entity, item);
    case BH_ENTITY_COMMENT: return bh__first_string(doc, p->entity, comment);
    default: return BH_ENOTFOUND;
    }
}

/* Where a kind of entity keeps its project object, expanded first. */
static const char *const *bh__project_paths(bh_entity kind)
{
    static const char *const record[] = {"/todoList/project", NULL};
    static const char *const checklist[] = {"/todo/todoList/project", NULL};
    static const char *const item[] = {"/checklist/todo/todoList/project", NULL};
    static const char *const direct[] = {"/project", NULL};
    switch (kind) {
    case BH_ENTITY_RECORD: return record;
    case BH_ENTITY_CHECKLIST:
    case BH_ENTITY_COMMENT: return checklist;
    case BH_ENTITY_CHECKLIST_ITEM: return item;
    default: return direct;
    }
}

BHDEF int bh_payload_project_id(const bh_payload *p, const bh_json *doc)
{
    static const char *const id[] = {"/id", NULL};
    static const char *const fk[] = {"/projectId", NULL};
    const char *const *paths = bh__project_paths(p->kind);
    char parent[64];
    int t;
    if (p->entity < 0) return BH_ENOTFOUND;
    t = bh__first_string(doc, bh_json_get(doc, p->entity, paths[0]), id);
    if (t >= 0) return t;
    /* the foreign key beside the project object: ".../todoList/projectId" */
    if (strlen(paths[0]) < sizeof parent) {
        size_t n = (size_t)(strrchr(paths[0], '/') - paths[0]);
        memcpy(parent, paths[0], n);
        parent[n] = '\0';
        t = bh__first_string(doc, n ? bh_json_get(doc, p->entity, parent) : p->entity, fk);
        if (t >= 0) return t;
    }
    return bh__first_string(doc, p->entity, fk);
}

BHDEF int bh_payload_company_id(const bh_payload *p, const bh_json *doc)
{
    static const char *const company[] = {"/company/id", "/companyId", NULL};
    static const char *const fk[] = {"/companyId", NULL};
    const char *const *paths = bh__project_paths(p->kind);
    int t;
    if (p->entity < 0) return BH_ENOTFOUND;
    t = bh__first_string(doc, bh_json_get(doc, p->entity, paths[0]), company);
    return t >= 0 ? t : bh__first_string(doc, p->entity, fk);
}

BHDEF int bh_payload_webhook_id(const bh_payload *p, const bh_json *doc)
{
    static const char *const id[] = {"/id", NULL};
    return bh__first_string(doc, p->webhook, id);
}

/* ---- record-scope filters ---- */

enum { BH__F_OR = 1, BH__F_AND, BH__F_NOT, BH__F_COND, BH__F_VALUE };
enum { BH__OP_EQ = 1, BH__OP_NE, BH__OP_LT, BH__OP_LE, BH__OP_GT, BH__OP_GE,
       BH__OP_IN, BH__OP_EXISTS, BH__OP_CHANGED };
enum { BH__SRC_CURRENT = 0, BH__SRC_PREVIOUS, BH__SRC_ROOT };

#define BH__FILTER_DEPTH 32
#define BH__FILTER_STARS 8

typedef struct bh__fparse {
    bh_filter *f;
    size_t cap, at;
    size_t peak;  /* the most nodes in use at once */
    int overflow; /* a node fell past cap: nodes[] is not to be trusted */
    int err;
} bh__fparse;

static int bh__ffail(bh__fparse *p, const char *reason)
{
    if (!p->err) {
        p->err = BH_EFILTER;
        p->f->err_pos = p->at;
        p->f->reason = reason;
    }
    return p->err;
}

static int bh__fis_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static void bh__fspace(bh__fparse *p)
{
    while (p->at < p->f->len && bh__fis_space(p->f->text[p->at])) p->at++;
}

/* 1 (and consumed) when the text at the cursor starts with s. */
static int bh__feat(bh__fparse *p, const char *s)
{
    size_t n = strlen(s);
    bh__fspace(p);
    if (p->f->len - p->at < n || memcmp(p->f->text + p->at, s, n) != 0) return 0;
    p->at += n;
    return 1;
}

/* 1 (and consumed) when the word at the cursor is exactly w. */
static int bh__fword(bh__fparse *p, const char *w)
{
    size_t n = strlen(w), e;
    char c;
    bh__fspace(p);
    if (p->f->len - p->at < n || memcmp(p->f->text + p->at, w, n) != 0) return 0;
    e = p->at + n;
    c = e < p->f->len ? p->f->text[e] : ' ';
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
        (c >= '0' && c <= '9') || c == '/' || c == ':')
        return 0;
    p->at = e;
    return 1;
}

/* Take a node; it counts past cap so the caller learns the size needed. */
static size_t bh__fnode(bh__fparse *p, int kind, size_t pos)
{
    size_t i = p->f->nnodes++;
    if (p->f->nnodes > p->peak) p->peak = p->f->nnodes;
    if (i >= p->cap) {
        p->overflow = 1;
        return i;
    }
    memset(&p->f->nodes[i], 0, sizeof p->f->nodes[i]);
    p->f->nodes[i].kind = (uint8_t)kind;
    p->f->nodes[i].pos = (uint32_t)pos;
    return i;
}

/* Close node i: its subtree ends here, its text at the cursor. */
static void bh__fclose(bh__fparse *p, size_t i)
{
    if (i >= p->cap) return;
    p->f->nodes[i].next = (uint32_t)p->f->nnodes;
    p->f->nodes[i].len = (uint32_t)(p->at - p->f->nodes[i].pos);
}

static void bh__fset_arg(bh__fparse *p, size_t i, size_t at, size_t len)
{
    if (i >= p->cap) return;
    p->f->nodes[i].arg = (uint32_t)at;
    p->f->nodes[i].arg_len = (uint32_t)len;
}

static int bh__fpath_end(char c)
{
    return bh__fis_space(c) || c == '=' || c == '!' || c == '<' || c == '>' ||
           c == '(' || c == ')' || c == '&' || c == '|' || c == '[' ||
           c == ']' || c == ',';
}

/* The number of "*" segments in a pointer. */
static int bh__fstars(const char *t, size_t start, size_t end)
{
    size_t i;
    int n = 0;
    for (i = start; i + 1 < end; i++)
        n += t[i] == '/' && t[i + 1] == '*' && (i + 2 == end || t[i + 2] == '/');
    return n;
}

/* path := ["prev:" | "$"] pointer */
static int bh__fpath(bh__fparse *p, size_t node, int allow_stars)
{
    const char *t = p->f->text;
    size_t start;
    int source = BH__SRC_CURRENT, stars;
    bh__fspace(p);
    if (p->f->len - p->at >= 5 && memcmp(t + p->at, "prev:", 5) == 0) {
        source = BH__SRC_PREVIOUS;
        p->at += 5;
    } else if (p->at < p->f->len && t[p->at] == '$') {
        source = BH__SRC_ROOT;
        p->at++;
    }
    start = p->at;
    while (p->at < p->f->len && !bh__fpath_end(t[p->at])) p->at++;
    if (p->at > start && t[start] != '/') {
        p->at = start;
        return bh__ffail(p, "a path is a JSON pointer: it starts with /");
    }
    if (p->at == start && source == BH__SRC_CURRENT)
        return bh__ffail(p, "a path was expected");
    stars = bh__fstars(t, start, p->at);
    if (stars && !allow_stars) return bh__ffail(p, "changed takes no * segment");
    if (stars > BH__FILTER_STARS) return bh__ffail(p, "too many * segments");
    if (node < p->cap) p->f->nodes[node].source = (uint8_t)source;
    bh__fset_arg(p, node, start, p->at - start);
    return BH_OK;
}

/* value := a JSON string, number, true, false or null */
static int bh__fvalue(bh__fparse *p)
{
    const char *t = p->f->text;
    size_t start, node;
    bh_json doc;
    bh_json_tok tok;
    bh__fspace(p);
    start = p->at;
    if (p->at < p->f->len && t[p->at] == '"') {
        for (p->at++; p->at < p->f->len && t[p->at] != '"'; p->at++)
            if (t[p->at] == '\\') p->at++;
        if (p->at >= p->f->len) {
            p->at = start;
            return bh__ffail(p, "a string is not closed");
        }
        p->at++;
    } else {
        while (p->at < p->f->len && !bh__fpath_end(t[p->at])) p->at++;
    }
    if (p->at == start) return bh__ffail(p, "a value was expected");
    if (bh_json_parse(&doc, t + start, p->at - start, &tok, 1) != BH_OK ||
        tok.type == BH_JSON_OBJECT || tok.type == BH_JSON_ARRAY) {
        p->at = start;
        return bh__ffail(p, "a value is a JSON string, number, true, false or null");
    }
    node = bh__fnode(p, BH__F_VALUE, start);
    bh__fset_arg(p, node, start, p->at - start);
    bh__fclose(p, node);
    return BH_OK;
}

static int bh__fop(bh__fparse *p)
{
    static const struct {
        const char *s;
        int op;
    } ops[] = {{"==", BH__OP_EQ}, {"!=", BH__OP_NE}, {"<=", BH__OP_LE},
               {">=", BH__OP_GE}, {"<", BH__OP_LT},  {">", BH__OP_GT}};
    size_t i;
    for (i = 0; i < sizeof ops / sizeof ops[0]; i++)
        if (bh__feat(p, ops[i].s)) return ops[i].op;
    if (bh__fword(p, "in")) return BH__OP_IN;
    if (bh__fword(p, "exists")) return BH__OP_EXISTS;
    return 0;
}

/* The values after an operator: one, a [list], or none for exists. */
static int bh__fvalues(bh__fparse *p, int op)
{
    if (op == BH__OP_EXISTS) return BH_OK;
    if (op != BH__OP_IN) return bh__fvalue(p);
    if (!bh__feat(p, "[")) return bh__ffail(p, "in takes a list: [ ... ]");
    do {
        if (bh__fvalue(p)) return p->err;
    } while (bh__feat(p, ","));
    if (!bh__feat(p, "]")) return bh__ffail(p, "a list ends with ]");
    return BH_OK;
}

/* cond := path op value | path in [values] | path exists | changed path */
static int bh__fcond(bh__fparse *p)
{
    size_t node;
    int op;
    bh__fspace(p);
    node = bh__fnode(p, BH__F_COND, p->at);
    if (bh__fword(p, "changed")) {
        if (bh__fpath(p, node, 0)) return p->err;
        op = BH__OP_CHANGED;
    } else {
        if (bh__fpath(p, node, 1)) return p->err;
        op = bh__fop(p);
        if (!op)
            return bh__ffail(p, "an operator was expected: == != < <= > >= in exists");
        if (bh__fvalues(p, op)) return p->err;
    }
    if (node < p->cap) p->f->nodes[node].op = (uint8_t)op;
    bh__fclose(p, node);
    return BH_OK;
}

static int bh__fchain(bh__fparse *p, int depth, int kind);

/* unary := "!" unary | "(" expr ")" | cond */
/* NOLINTNEXTLINE(misc-no-recursion): depth bounded (32 levels, 8 stars) */
static int bh__funary(bh__fparse *p, int depth)
{
    if (depth > BH__FILTER_DEPTH) return bh__ffail(p, "nested too deep");
    bh__fspace(p);
    if (p->at < p->f->len && p->f->text[p->at] == '!') {
        size_t node = bh__fnode(p, BH__F_NOT, p->at);
        p->at++;
        if (bh__funary(p, depth + 1)) return p->err;
        bh__fclose(p, node);
        return BH_OK;
    }
    if (bh__feat(p, "(")) {
        if (bh__fchain(p, depth + 1, BH__F_OR)) return p->err;
        if (!bh__feat(p, ")")) return bh__ffail(p, "a ( is not closed");
        return BH_OK;
    }
    return bh__fcond(p);
}

/* expr := and ("||" and)*, and := unary ("&&" unary)*: the operands under
   one node, which a lone operand replaces. */
/* NOLINTNEXTLINE(misc-no-recursion): depth bounded (32 levels, 8 stars) */
static int bh__fchain(bh__fparse *p, int depth, int kind)
{
    size_t node, first, count = 0, n, i;
    if (depth > BH__FILTER_DEPTH) return bh__ffail(p, "nested too deep");
    bh__fspace(p);
    node = bh__fnode(p, kind, p->at);
    first = p->f->nnodes;
    do {
        int r = kind == BH__F_OR ? bh__fchain(p, depth, BH__F_AND)
                                 : bh__funary(p, depth);
        if (r) return r;
        count++;
    } while (bh__feat(p, kind == BH__F_OR ? "||" : "&&"));
    if (count > 1) {
        bh__fclose(p, node);
        return BH_OK;
    }
    n = p->f->nnodes - first;
    if (!p->overflow) {
        memmove(&p->f->nodes[node], &p->f->nodes[first], n * sizeof(bh_filter_node));
        for (i = node; i < node + n; i++) p->f->nodes[i].next--;
    }
    p->f->nnodes--;
    return BH_OK;
}

BHDEF int bh_filter_parse(bh_filter *f, const char *text, size_t len,
                          bh_filter_node *nodes, size_t cap)
{
    bh__fparse p;
    if (!f) return BH_EINVAL;
    memset(f, 0, sizeof *f);
    f->reason = "bad argument";
    if ((!text && len) || (!nodes && cap) || len > 0x7fffffff) return BH_EINVAL;
    f->text = text ? text : "";
    f->len = len;
    f->nodes = nodes;
    f->reason = "ok";
    memset(&p, 0, sizeof p);
    p.f = f;
    p.cap = cap;
    if (bh__fchain(&p, 0, BH__F_OR) == BH_OK) {
        bh__fspace(&p);
        if (p.at < len) bh__ffail(&p, "unexpected text after the filter");
    }
    if (p.err) {
        f->nnodes = 0;
        return p.err;
    }
    if (p.overflow) {
        f->nnodes = p.peak; /* enough for the parse's busiest moment */
        f->nodes = NULL;    /* half built: eval and explain refuse it */
        f->reason = "too few nodes";
        return BH_ESPACE;
    }
    return BH_OK;
}

/* ---- evaluating a filter ---- */

#define BH__FOUND 1 /* the path named at least one value */
#define BH__HOLDS 2 /* the condition held for one of them */

typedef struct bh__feval {
    const bh_filter *f;
    const bh_json *doc;
    int roots[3];        /* current, previous, root (BH_ENOTFOUND if none) */
    size_t fail;         /* the node that last made a condition false */
} bh__feval;

/* Equality of two JSON values, member by member; deeper than 32 levels
   counts as different. */
/* NOLINTNEXTLINE(misc-no-recursion): depth bounded (32 levels, 8 stars) */
static int bh__json_equal(const bh_json *a, int ta, const bh_json *b, int tb,
                          int depth)
{
    int type = bh_json_type_of(a, ta), ca, cb;
    size_t la = 0, lb = 0;
    const char *ra, *rb;
    int order = 1;
    if (type != bh_json_type_of(b, tb) || depth > 32) return 0;
    switch (type) {
    case BH_JSON_STRING: return bh_json_strings_equal(a, ta, b, tb) == 1;
    case BH_JSON_NUMBER:
        ra = bh_json_raw(a, ta, &la);
        rb = bh_json_raw(b, tb, &lb);
        return bh_json_number_cmp(ra, la, rb, lb, &order) == BH_OK && order == 0;
    case BH_JSON_ARRAY:
        if (bh_json_count(a, ta) != bh_json_count(b, tb)) return 0;
        for (ca = bh_json_child(a, ta), cb = bh_json_child(b, tb); ca >= 0 && cb >= 0;
             ca = bh_json_next(a, ta, ca), cb = bh_json_next(b, tb, cb))
            if (!bh__json_equal(a, ca, b, cb, depth + 1)) return 0;
        return 1;
    case BH_JSON_OBJECT:
        if (bh_json_count(a, ta) != bh_json_count(b, tb)) return 0;
        for (ca = bh_json_child(a, ta); ca >= 0; ca = bh_json_next(a, ta, ca)) {
            int found = BH_ENOTFOUND;
            for (cb = bh_json_child(b, tb); cb >= 0; cb = bh_json_next(b, tb, cb))
                if (bh_json_strings_equal(a, ca, b, cb) == 1) found = cb;
            if (found < 0 || !bh__json_equal(a, ca + 1, b, found + 1, depth + 1))
                return 0;
        }
        return 1;
    default: return type > 0; /* true, false, null: the type says it all */
    }
}

/* Whether string token tok stands for the same text as the JSON string
   literal s[0..len) (its quotes included). Its two cursors stay in its own
   frame, off the path to bh_json_number_cmp. */
BH__NOINLINE int bh__json_str_eq_literal(const bh_json *doc, int tok,
                                         const char *s, size_t len)
{
    const bh_json_tok *t = bh__jtok(doc, tok);
    bh__jcur a, b;
    if (!t || t->type != BH_JSON_STRING) return 0;
    if (!(t->flags & BH_JSON_FESCAPED) && !memchr(s, '\\', len))
        return t->len == len && memcmp(bh__jtext(doc, t), s, len) == 0;
    bh__jcur_init(&a, doc, t);
    bh__jcur_text(&b, (const uint8_t *)s, len);
    return bh__jcur_same(&a, &b);
}

/* Whether value t equals value node v's literal, a JSON scalar (checked
   when the filter was parsed, so its first byte tells its type): strings
   by what they stand for, numbers by value, true, false and null by type. */
static int bh__fequals(const bh__feval *e, int t, size_t v)
{
    const bh_filter_node *n = &e->f->nodes[v];
    const char *lit = e->f->text + n->arg, *raw;
    size_t len = 0;
    int type = bh_json_type_of(e->doc, t), order = 1;
    switch (lit[0]) {
    case '"': return bh__json_str_eq_literal(e->doc, t, lit, n->arg_len);
    case 't': return type == BH_JSON_TRUE;
    case 'f': return type == BH_JSON_FALSE;
    case 'n': return type == BH_JSON_NULL;
    default:
        if (type != BH_JSON_NUMBER) return 0;
        raw = bh_json_raw(e->doc, t, &len);
        return bh_json_number_cmp(raw, len, lit, n->arg_len, &order) == BH_OK &&
               order == 0;
    }
}

/* Order of a number token against a number literal: -1, 0, 1, or 2 when
   either is not a number. */
static int bh__forder(const bh__feval *e, int t, size_t v)
{
    const bh_filter_node *n = &e->f->nodes[v];
    size_t len = 0;
    const char *raw = bh_json_raw(e->doc, t, &len);
    int order = 2;
    if (bh_json_type_of(e->doc, t) != BH_JSON_NUMBER) return 2;
    if (bh_json_number_cmp(raw, len, e->f->text + n->arg, n->arg_len, &order) != BH_OK)
        return 2;
    return order;
}

/* Does condition c hold for value t? */
static int bh__ftest(const bh__feval *e, size_t c, int t)
{
    const bh_filter_node *n = &e->f->nodes[c];
    size_t v = c + 1;
    int o;
    switch (n->op) {
    case BH__OP_EQ: return bh__fequals(e, t, v);
    case BH__OP_NE: return !bh__fequals(e, t, v);
    case BH__OP_IN:
        for (; v < n->next; v = e->f->nodes[v].next)
            if (bh__fequals(e, t, v)) return 1;
        return 0;
    case BH__OP_EXISTS: return 1;
    default: break;
    }
    o = bh__forder(e, t, v);
    switch (n->op) {
    case BH__OP_LT: return o == -1;
    case BH__OP_LE: return o == -1 || o == 0;
    case BH__OP_GT: return o == 1;
    case BH__OP_GE: return o == 1 || o == 0;
    default: return 0;
    }
}

/* Where the first "*" segment of a pointer starts, or len. */
static size_t bh__fstar_at(const char *p, size_t len)
{
    size_t i;
    for (i = 0; i + 1 < len; i++)
        if (p[i] == '/' && p[i + 1] == '*' && (i + 2 == len || p[i + 2] == '/'))
            return i;
    return len;
}

/* Resolve a pointer under tok, "*" segments fanning out over arrays, and
   test condition c on what it names: BH__FOUND and BH__HOLDS bits. */
/* NOLINTNEXTLINE(misc-no-recursion): depth bounded (32 levels, 8 stars) */
static int bh__fresolve(const bh__feval *e, int tok, const char *p, size_t len,
                        size_t c)
{
    size_t k = bh__fstar_at(p, len);
    int t = tok < 0 ? tok : bh_json_get_n(e->doc, tok, p, k), el, r = 0;
    if (t < 0) return 0;
    if (k == len) return BH__FOUND | (bh__ftest(e, c, t) ? BH__HOLDS : 0);
    if (bh_json_type_of(e->doc, t) != BH_JSON_ARRAY) /* "*" is a key here */
        return bh__fresolve(e, bh_json_get_n(e->doc, t, p + k, 2), p + k + 2,
                            len - k - 2, c);
    for (el = bh_json_child(e->doc, t); el >= 0 && !(r & BH__HOLDS);
         el = bh_json_next(e->doc, t, el))
        r |= bh__fresolve(e, el, p + k + 2, len - k - 2, c);
    return r;
}

/* The value a path names (no "*"), or BH_ENOTFOUND. */
static int bh__fvalue_at(const bh__feval *e, int source, const bh_filter_node *n)
{
    int root = e->roots[source];
    return root < 0 ? root : bh_json_get_n(e->doc, root, e->f->text + n->arg, n->arg_len);
}

static int bh__fchanged(const bh__feval *e, const bh_filter_node *n)
{
    int a = bh__fvalue_at(e, BH__SRC_PREVIOUS, n);
    int b = bh__fvalue_at(e, BH__SRC_CURRENT, n);
    if (a < 0 || b < 0) return (a < 0) != (b < 0);
    return !bh__json_equal(e->doc, a, e->doc, b, 0);
}

static int bh__fcond_holds(const bh__feval *e, size_t c)
{
    const bh_filter_node *n = &e->f->nodes[c];
    int r;
    if (n->op == BH__OP_CHANGED) return bh__fchanged(e, n);
    r = bh__fresolve(e, e->roots[n->source], e->f->text + n->arg, n->arg_len, c);
    if (!(r & BH__FOUND)) return n->op == BH__OP_NE; /* absent */
    return (r & BH__HOLDS) != 0;
}

/* NOLINTNEXTLINE(misc-no-recursion): depth bounded (32 levels, 8 stars) */
static int bh__feval_node(bh__feval *e, size_t i)
{
    const bh_filter_node *n = &e->f->nodes[i];
    size_t c;
    int r;
    switch (n->kind) {
    case BH__F_OR:
        for (c = i + 1; c < n->next; c = e->f->nodes[c].next)
            if (bh__feval_node(e, c)) return 1;
        return 0;
    case BH__F_AND:
        for (c = i + 1; c < n->next; c = e->f->nodes[c].next)
            if (!bh__feval_node(e, c)) return 0;
        return 1;
    case BH__F_NOT:
        r = !bh__feval_node(e, i + 1);
        break;
    default:
        r = bh__fcond_holds(e, i);
        break;
    }
    if (!r) e->fail = i;
    return r;
}

/* The record roots of a payload: objects only (null counts as absent). */
static int bh__frecord(const bh_json *doc, const char *name)
{
    int t = bh_json_member(doc, 0, name, strlen(name));
    return t >= 0 && bh_json_type_of(doc, t) == BH_JSON_OBJECT ? t : BH_ENOTFOUND;
}

BHDEF int bh_filter_explain(const bh_filter *f, const bh_json *payload,
                            size_t *pos, size_t *len)
{
    bh__feval e;
    int r;
    if (!f || !f->nodes || !f->nnodes || !payload) return BH_EINVAL;
    e.f = f;
    e.doc = payload;
    e.roots[BH__SRC_CURRENT] = bh__frecord(payload, "currentValue");
    e.roots[BH__SRC_PREVIOUS] = bh__frecord(payload, "previousValue");
    e.roots[BH__SRC_ROOT] = 0;
    e.fail = 0;
    r = bh__feval_node(&e, 0);
    if (!r && pos) *pos = f->nodes[e.fail].pos;
    if (!r && len) *len = f->nodes[e.fail].len;
    return r;
}

BHDEF int bh_filter_eval(const bh_filter *f, const bh_json *payload)
{
    return bh_filter_explain(f, payload, NULL, NULL);
}

BHDEF int bh_webhook_matches(const bh_webhook *w, const bh_json *payload)
{
    bh_payload p;
    char project[128];
    int t, n = 0;
    if (!w || bh_payload_read(&p, payload) != BH_OK) return 0;
    t = bh_payload_project_id(&p, payload);
    if (t >= 0) n = bh_json_string(payload, t, project, sizeof project);
    if (!bh_webhook_subscribed(w, p.event, project, n > 0 ? (size_t)n : 0))
        return 0;
    return !w->filter || bh_filter_eval(w->filter, payload) == 1;
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

/* A Standard secret's base64 part: the text after an optional "whsec_"
   (a fixed marker, not key material, whose presence follows from the
   length), a multiple of 4 long. BH_OK, or BH_EINVAL (public). */
static int bh__standard_text(const char **s, size_t *len)
{
    size_t i;
    if (*len % 4 == 2) {
        if (*len < 6) return BH_EINVAL;
        for (i = 0; i < 6; i++)
            if ((*s)[i] != "whsec_"[i]) return BH_EINVAL;
        *s += 6;
        *len -= 6;
    }
    if (*len == 0 || *len % 4 || *len > BH__STANDARD_B64_MAX) return BH_EINVAL;
    return BH_OK;
}

/* A Standard secret's base64 (as bh__standard_text leaves it) to its
   64-byte HMAC key block, in constant time, one quad at a time: the first
   64 bytes are kept, the bytes of all quads but the last are hashed as
   they come, so the key (up to 510 bytes) is never whole on the stack.
   The last quad ends in 0 to 2 '=', which is secret: the block of each of
   the three possible key lengths is made, and a mask keeps the right one.
   Only the length of the secret decides a branch. Returns the decoder's
   bits of what is wrong (0: valid); the block is made whatever they are.
   Its own frame: its two contexts are not under the raw key's path. */
BH__NOINLINE uint32_t bh__standard_block(uint8_t block[64], const char *s,
                                         size_t len)
{
    bh_sha256_ctx c, t;
    uint8_t raw[64], q[3];
    size_t n = len / 4 * 3, i, k, p;
    uint32_t wrong = 0, pad = 0;
    memset(raw, 0, sizeof raw);
    bh_sha256_init(&c);
    for (i = 0; i < len; i += 4) {
        int last = i + 4 == len;
        wrong |= bh__base64_quad_ct(q, s + i, last ? 0xffffffffu : 0, &pad);
        for (k = 0; k < 3 && i / 4 * 3 + k < 64; k++) raw[i / 4 * 3 + k] = q[k];
        if (!last) bh_sha256_update(&c, q, 3);
    }
    memset(block, 0, 64);
    for (p = 0; p < 3; p++) { /* a key of n - p bytes: its own, or hashed */
        uint8_t mask = (uint8_t)bh__in_range(pad, (uint32_t)p, (uint32_t)p);
        const uint8_t *cand = raw; /* '=' decodes as zero bytes */
        if (n - p > 64) {
            t = c;
            bh_sha256_update(&t, q, 3 - p);
            bh__sha256_close(&t, t.buf);
            memset(t.buf + 32, 0, 32);
            cand = t.buf;
        }
        for (k = 0; k < 64; k++) block[k] |= (uint8_t)(cand[k] & mask);
    }
    bh_wipe(&c, sizeof c);
    bh_wipe(&t, sizeof t);
    bh_wipe(raw, sizeof raw);
    bh_wipe(q, sizeof q);
    return wrong;
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
        if (bh__standard_text(&secret, &len) != BH_OK)
            return BH_EINVAL; /* a public length or prefix */
        r = bh__base64_verdict(bh__standard_block(block, secret, len));
        /* the decoder's verdict is its one branch; from here on it is
           applied with masks, so that nothing branches on it again */
        valid = bh__in_range((uint32_t)r, 0, 0);
        bh__hmac_key_block(&key->hmac, bh__sha256_path(), block);
        bh_wipe(block, sizeof block);
        key->scheme = scheme;
        key->ready = BH__KEY_READY & valid;
        bh__mask_bytes(key, sizeof *key, valid);
        return (int)(~valid & (uint32_t)BH_EINVAL);
    }
    bh_hmac_key_init(&key->hmac, secret, len);
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

/* The MAC of [id "."] [ts "."] body into c->buf[0..31] (c is left for
   the caller to wipe); id is Standard's, ts Standard's and Stripe's (empty
   when the scheme has none). Inlined, so that it adds no frame of its own
   under its caller's. */
BH__INLINE void bh__scheme_mac(const bh_key *k, const char *id,
                               size_t id_len, const char *ts, size_t ts_len,
                               const void *body, size_t len, bh_sha256_ctx *c)
{
    bh__hmac_start(c, &k->hmac);
    if (id_len) {
        bh_sha256_update(c, id, id_len);
        bh_sha256_update(c, ".", 1);
    }
    if (ts_len) {
        bh_sha256_update(c, ts, ts_len);
        bh_sha256_update(c, ".", 1);
    }
    bh_sha256_update(c, body, len);
    bh__hmac_finish(c, k->hmac.outer);
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
    bh_sha256_ctx c; /* the MAC's; the MAC is left in c.buf */
    const uint8_t *mac = c.buf;
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
    bh__scheme_mac(key, msg_id, id_len, ts, ts_len, body, body_len, &c);
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
    bh_wipe(&c, sizeof c);
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

/* The value of a base64 digit, or 256 and more. For public text only. */
static uint32_t bh__b64_digit_public(uint32_t c)
{
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    return c == '+' ? 62 : c == '/' ? 63 : 0x100;
}

/* Standard's signature of 32 bytes: 43 base64 digits and one '=', the two
   bits under the padding zero (canonical), as bh_base64_decode takes it. */
static int bh__decode_b64_sig(const char *p, size_t n, uint8_t sig[32])
{
    uint32_t bad = 0, v = 0, d;
    size_t i;
    if (n != 44 || p[43] != '=') return 0;
    for (i = 0; i < 43; i++) {
        d = bh__b64_digit_public((unsigned char)p[i]);
        bad |= d;
        v = v << 6 | (d & 63);
        if (i % 4 == 3) {
            sig[i / 4 * 3] = (uint8_t)(v >> 16);
            sig[i / 4 * 3 + 1] = (uint8_t)(v >> 8);
            sig[i / 4 * 3 + 2] = (uint8_t)v;
            v = 0;
        }
    }
    sig[30] = (uint8_t)(v >> 10);
    sig[31] = (uint8_t)(v >> 2);
    return bad < 0x100 && (v & 3) == 0;
}

/* Decode a received signature of 32 bytes: base64 for Standard, hex of
   either case for the others. Its text is public (the sender sent it), so
   this may branch on it; it is 8x faster than the constant-time decoders. */
static int bh__decode_sig(bh_scheme s, const char *p, size_t n,
                          uint8_t sig[32])
{
    uint32_t bad = 0, hi, lo;
    size_t i;
    if (s == BH_SCHEME_STANDARD) return bh__decode_b64_sig(p, n, sig);
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
BH__NOINLINE int bh__scan_sigs(bh_scheme s, const char *v, size_t n,
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

/* Blue's or GitHub's one hex signature against mac: BH_OK with the verdict
   OR-ed into *match, or BH_EMALFORMED. Called after the MAC is computed,
   so that its buffer is not on the stack under the MAC. */
BH__NOINLINE int bh__match_hex_sig(bh_scheme s, const char *p, size_t n,
                                   const uint8_t mac[32], uint32_t *match)
{
    uint8_t sig[32];
    if (!bh__decode_sig(s, p, n, sig)) return BH_EMALFORMED;
    *match |= (uint32_t)bh_ct_equal(sig, mac, 32);
    return BH_OK;
}

/* Verify with one key: the headers are found and checked first (their
   text is public), then the MAC is computed and compared with every
   received signature; the one branch on secret data is the verdict. A
   malformed Blue or GitHub signature is found after the MAC is computed,
   and answers BH_EMALFORMED all the same. On BH_OK only, out (when not
   NULL) gets the scheme, the timestamp and the MAC. Inlined into
   bh_verify_ex: one frame for both. */
BH__INLINE int bh__verify_one(const bh_key *k, const bh_header *hs, size_t n,
                              const void *body, size_t len, int64_t now,
                              uint32_t tol, bh_verified *out)
{
    bh__signed m;
    bh_sha256_ctx c; /* the MAC's; the MAC is left in c.buf */
    uint32_t match = 0;
    int r = bh__find_signed(&m, k->scheme, hs, n);
    if (r != BH_OK) return r;
    bh__scheme_mac(k, m.id, m.id_len, m.ts, m.ts_len, body, len, &c);
    if (k->scheme == BH_SCHEME_BLUE || k->scheme == BH_SCHEME_GITHUB)
        r = bh__match_hex_sig(k->scheme, m.sigs, m.sigs_len, c.buf, &match);
    else
        bh__scan_sigs(k->scheme, m.sigs, m.sigs_len, c.buf, &match, &m.ts,
                      &m.ts_len);
    if (r == BH_OK) { /* else malformed: no verdict is taken */
        if (!match) /* the verdict: the one branch on the MAC */
            r = BH_ESIG;
        else if (m.timestamp >= 0 && bh__outside(m.timestamp, now, tol))
            r = BH_ESTALE;
        else if (out) {
            out->scheme = k->scheme;
            out->timestamp = m.timestamp;
            memcpy(out->mac, c.buf, 32);
        }
    }
    bh_wipe(&c, sizeof c);
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
    int best = BH_ENOKEY, rank = 0;
    size_t i;
    if ((!headers && nheaders) || (!body && body_len)) return BH_EINVAL;
    if (!keys) nkeys = 0;
    if (!tolerance_s) tolerance_s = BH_TOLERANCE_DEFAULT;
    for (i = 0; i < nkeys; i++) {
        int r;
        if (!bh__key_ready(&keys[i])) continue;
        r = bh__verify_one(&keys[i], headers, nheaders, body, body_len, now,
                           tolerance_s, out);
        if (r == BH_OK) {
            if (out) out->key = i;
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
    uint8_t tag;
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
    bh__sha256_close(&c, c.buf); /* the digest, in the spent buffer */
    memcpy(id->digest, c.buf, sizeof id->digest);
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

/* Whether a slot holds the digest d: the first 8 bytes decide almost
   always, without a call to memcmp. */
static int bh__replay_same(const bh_replay_slot *s, const uint8_t *d)
{
    uint64_t a, b;
    memcpy(&a, s->digest, 8);
    memcpy(&b, d, 8);
    return a == b && memcmp(s->digest + 8, d + 8, 8) == 0;
}

/* The slot holding id in the given state, or NULL. The last reservation's
   slot is tried first: a commit or release usually follows its reserve. */
static bh_replay_slot *bh__replay_find(bh_replay *r, const bh_replay_id *id,
                                       uint32_t state)
{
    size_t i = r->hint;
    if (i < r->nslots && r->slots[i].state == state &&
        bh__replay_same(&r->slots[i], id->digest))
        return &r->slots[i];
    for (i = 0; i < r->nslots; i++)
        if (r->slots[i].state == state &&
            bh__replay_same(&r->slots[i], id->digest))
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
        if (bh__replay_same(s, id->digest)) {
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
        r->hint = (size_t)(victim - r->slots);
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

/* ---- replay stores ---- */

static int bh__replay_local_reserve(void *ctx, const bh_replay_id *id,
                                    int64_t now)
{
    return bh_replay_reserve((bh_replay *)ctx, id, now);
}

static int bh__replay_local_commit(void *ctx, const bh_replay_id *id,
                                   int64_t now)
{
    (void)now;
    return bh_replay_commit((bh_replay *)ctx, id);
}

static int bh__replay_local_release(void *ctx, const bh_replay_id *id,
                                    int64_t now)
{
    (void)now;
    return bh_replay_release((bh_replay *)ctx, id);
}

BHDEF int bh_replay_store_local(bh_replay_store *s, bh_replay *r)
{
    if (!s) return BH_EINVAL;
    memset(s, 0, sizeof *s);
    if (!r) return BH_EINVAL;
    s->reserve = bh__replay_local_reserve;
    s->commit = bh__replay_local_commit;
    s->release = bh__replay_local_release;
    s->ctx = r;
    return BH_OK;
}

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
   Otherwise the first flagged byte is found by counting trailing zeros;
   an HTAB there is stepped over. */
static size_t bh__http_find_ctl(const char *b, size_t i, size_t end)
{
    while (end - i >= 8) {
        uint64_t x = bh__http_load64_le(b + i), y = x ^ (BH__HTTP_ONES * 0x7f);
        uint64_t m = (((x - BH__HTTP_ONES * 0x20) & ~x) | ((y - BH__HTTP_ONES) & ~y)) &
                     (BH__HTTP_ONES * 0x80);
        if (m) {
            size_t k = i + (bh__ctz64(m) >> 3); /* a control byte or HTAB */
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
    if (p->pos >= len) return BH_EINCOMPLETE;
    if (b[p->pos] != '\r') return bh__http_fail(p, BH_ECHUNK, p->pos);
    if (p->pos + 1 >= len) return BH_EINCOMPLETE;
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

/* ---- the receive pipeline ---- */

BHDEF int bh_receiver_init(bh_receiver *rx, bh_scheme scheme,
                           const bh_key *keys, size_t nkeys,
                           bh_json_tok *toks, size_t ntoks)
{
    if (!rx) return BH_EINVAL;
    memset(rx, 0, sizeof *rx);
    if (!keys || !nkeys || !toks || !ntoks || !bh__scheme_known(scheme))
        return BH_EINVAL;
    rx->keys = keys;
    rx->nkeys = nkeys;
    rx->scheme = scheme;
    rx->max_body = BH_HTTP_MAX_BODY_BYTES;
    rx->toks = toks;
    rx->ntoks = ntoks;
    rx->blue = scheme == BH_SCHEME_BLUE;
    if (scheme == BH_SCHEME_GITHUB) rx->event_header = "X-GitHub-Event";
    else rx->event_pointer = scheme == BH_SCHEME_BLUE ? "/event" : "/type";
    if (scheme == BH_SCHEME_STRIPE) rx->replay_pointer = "/id";
    return BH_OK;
}

BHDEF int bh_receiver_on(bh_receiver *rx, bh_event e, bh_handler fn,
                         void *ctx)
{
    if (!rx || (unsigned)e >= BH_EVENT_COUNT) return BH_EINVAL;
    rx->on[e].fn = fn;
    rx->on[e].ctx = fn ? ctx : NULL;
    return BH_OK;
}

BHDEF const char *bh_rx_result_name(bh_rx_result r)
{
    switch (r) {
    case BH_RX_HANDLED: return "handled";
    case BH_RX_UNHANDLED: return "unhandled";
    case BH_RX_HEALTH_CHECK: return "health-check";
    case BH_RX_DUPLICATE: return "duplicate";
    case BH_RX_FILTERED: return "filtered";
    case BH_RX_BAD_METHOD: return "bad-method";
    case BH_RX_BAD_MEDIA: return "bad-media-type";
    case BH_RX_TOO_LARGE: return "too-large";
    case BH_RX_UNAUTHORIZED: return "unauthorized";
    case BH_RX_NOT_JSON: return "not-json";
    case BH_RX_NOT_BLUE: return "not-blue";
    case BH_RX_BAD_REQUEST: return "bad-request";
    case BH_RX_FAILED: return "failed";
    case BH_RX_IN_FLIGHT: return "in-flight";
    case BH_RX_BUSY: return "busy";
    case BH_RX_ERROR: return "error";
    case BH_RX_UNAVAILABLE: return "unavailable";
    default: return "?";
    }
}

/* Record the answer in the outcome and return its status. */
static int bh__rx_end(bh_outcome *o, int status, bh_rx_result result,
                      int err, const char *reason)
{
    o->status = status;
    o->result = result;
    o->err = err;
    o->reason = reason;
    return status;
}

/* 1 when a Content-Type is JSON's: application/json or application/...+json,
   parameters (charset) allowed; an absent one passes. */
static int bh__rx_json_media(const bh_header *headers, size_t n)
{
    const bh_header *h = bh_header_find(headers, n, "Content-Type");
    const char *v;
    size_t len = 0, i;
    if (!h) return 1;
    v = h->value;
    while (len < h->value_len && v[len] != ';') len++;
    while (len && (v[len - 1] == ' ' || v[len - 1] == '\t')) len--;
    while (len && (*v == ' ' || *v == '\t')) v++, len--;
    if (len < 16 || !bh__ieq(v, 12, "application/")) return 0;
    for (i = 12; i < len; i++)
        if (v[i] == '/' || v[i] == ' ' || v[i] == '\t') return 0;
    return bh__ieq(v + 12, len - 12, "json") ||
           (len >= 18 && bh__ieq(v + len - 5, 5, "+json"));
}

/* The name from a header (trimmed). */
static void bh__rx_name_header(const bh_receiver *rx, bh_outcome *o)
{
    const bh_header *h = bh_header_find(o->in.headers, o->in.nheaders,
                                        rx->event_header);
    const char *v;
    size_t n;
    if (!h || !h->value) return;
    v = h->value;
    n = h->value_len;
    while (n && (*v == ' ' || *v == '\t')) v++, n--;
    while (n && (v[n - 1] == ' ' || v[n - 1] == '\t')) n--;
    o->in.name = v;
    o->in.name_len = n;
}

/* The name from a string in the body: a view into the body when it has no
   escape, else unescaped into name_buf. */
static void bh__rx_name_pointer(const bh_receiver *rx, bh_outcome *o)
{
    int t = bh_json_get(&o->in.doc, 0, rx->event_pointer);
    size_t len = 0;
    const char *raw;
    int n;
    if (t < 0 || bh_json_type_of(&o->in.doc, t) != BH_JSON_STRING) return;
    raw = bh_json_raw(&o->in.doc, t, &len);
    if (raw && len >= 2 && !memchr(raw + 1, '\\', len - 2)) {
        o->in.name = raw + 1;
        o->in.name_len = len - 2;
        return;
    }
    n = bh_json_string(&o->in.doc, t, o->name_buf, sizeof o->name_buf);
    if (n > 0) {
        o->in.name = o->name_buf;
        o->in.name_len = (size_t)n;
    }
}

/* Where the receiver reads the event name from, then the bh_event (its
   own frame: its locals are off the path of the filter). */
BH__NOINLINE void bh__rx_event(const bh_receiver *rx, bh_outcome *o)
{
    o->in.name = "";
    o->in.name_len = 0;
    if (rx->event_header) bh__rx_name_header(rx, o);
    else if (rx->event_pointer) bh__rx_name_pointer(rx, o);
    o->in.event = bh_event_from_name(o->in.name, o->in.name_len);
}

/* 1 when the payload's project is one of the receiver's (or it has none). */
static int bh__rx_project_ok(const bh_receiver *rx, const bh_outcome *o)
{
    int t;
    size_t i;
    if (!rx->nproject_ids || !rx->project_ids) return 1;
    if (!o->in.blue) return 1;
    t = bh_payload_project_id(&o->in.payload, &o->in.doc);
    if (t < 0) return 0;
    for (i = 0; i < rx->nproject_ids; i++)
        if (rx->project_ids[i] &&
            bh_json_string_eq(&o->in.doc, t, rx->project_ids[i],
                              strlen(rx->project_ids[i])) == 1)
            return 1;
    return 0;
}

/* Subscription and filter: 1 to go on, else the outcome is set (200, or
   500 for a filter that was never parsed). */
static int bh__rx_wanted(const bh_receiver *rx, bh_outcome *o)
{
    int r;
    if (!bh_event_set_empty(rx->events) &&
        !bh_event_set_has(rx->events, o->in.event)) {
        bh__rx_end(o, 200, BH_RX_FILTERED, BH_OK, "event not subscribed");
        return 0;
    }
    if (!bh__rx_project_ok(rx, o)) {
        bh__rx_end(o, 200, BH_RX_FILTERED, BH_OK, "project not subscribed");
        return 0;
    }
    if (!rx->filter) return 1;
    r = bh_filter_explain(rx->filter, &o->in.doc, &o->err_pos, &o->err_len);
    if (r == 1) return 1;
    if (r == 0)
        bh__rx_end(o, 200, BH_RX_FILTERED, BH_OK, "filter does not hold");
    else
        bh__rx_end(o, 500, BH_RX_ERROR, r, "filter not parsed");
    return 0;
}

/* The replay id: the receiver's pointer into the body, else the scheme's. */
static int bh__rx_replay_id(const bh_receiver *rx, const bh_outcome *o,
                            bh_replay_id *id)
{
    const char *own = NULL;
    size_t len = 0;
    if (rx->replay_pointer) {
        int t = bh_json_get(&o->in.doc, 0, rx->replay_pointer);
        if (t >= 0 && bh_json_type_of(&o->in.doc, t) == BH_JSON_STRING) {
            own = bh_json_raw(&o->in.doc, t, &len);
            if (own && len > 2) own++, len -= 2;
            else own = NULL, len = 0;
        }
    }
    return bh_replay_id_init(id, &o->in.verified, o->in.headers,
                             o->in.nheaders, own, len, rx->tolerance_s);
}

enum { BH__RX_RESERVE, BH__RX_COMMIT, BH__RX_RELEASE };

/* A replay call on rx->replay_store when it is set, else on rx->replay
   (without building a store for it: bh_receive's stack stays as it was). */
static int bh__rx_replay(const bh_receiver *rx, int op,
                         const bh_replay_id *id, int64_t now)
{
    const bh_replay_store *st = rx->replay_store;
    if (!st && op == BH__RX_RESERVE) return bh_replay_reserve(rx->replay, id, now);
    if (!st && op == BH__RX_COMMIT) return bh_replay_commit(rx->replay, id);
    if (!st) return bh_replay_release(rx->replay, id);
    if (op == BH__RX_RESERVE) return st->reserve(st->ctx, id, now);
    if (op == BH__RX_COMMIT) return st->commit(st->ctx, id, now);
    return st->release(st->ctx, id, now);
}

/* Reserve the id: BH_OK to dispatch, else the status (the outcome is
   set). A store that gives none of its four answers is unavailable. */
static int bh__rx_reserve(const bh_receiver *rx, bh_outcome *o,
                          bh_replay_id *id, int64_t now)
{
    const bh_replay_store *st = rx->replay_store;
    int r = bh__rx_replay_id(rx, o, id);
    if (r != BH_OK) return bh__rx_end(o, 500, BH_RX_ERROR, r, "replay id");
    if (st && (!st->reserve || !st->commit || !st->release))
        return bh__rx_end(o, 500, BH_RX_ERROR, BH_EINVAL,
                          "replay store not set up");
    r = bh__rx_replay(rx, BH__RX_RESERVE, id, now);
    switch (r) {
    case BH_OK: return BH_OK;
    case BH_EREPLAY:
        return bh__rx_end(o, 200, BH_RX_DUPLICATE, r, "duplicate delivery");
    case BH_EINFLIGHT:
        return bh__rx_end(o, 409, BH_RX_IN_FLIGHT, r, "delivery in flight");
    case BH_EREPLAYFULL:
        return bh__rx_end(o, 503, BH_RX_BUSY, r,
                          "replay cache full of ids in flight");
    default:
        return bh__rx_end(o, 503, BH_RX_UNAVAILABLE, r,
                          "replay store unavailable");
    }
}

/* The event's handler, else the default one, else NULL. */
static const bh_route *bh__rx_route(const bh_receiver *rx, bh_event e)
{
    if ((unsigned)e < BH_EVENT_COUNT && rx->on[e].fn) return &rx->on[e];
    return rx->on[BH_EVENT_UNKNOWN].fn ? &rx->on[BH_EVENT_UNKNOWN] : NULL;
}

/* The handler failed: release the id and answer its 5xx (or 500). A
   release that fails changes only the reason: the id stays pending until
   the store lets it go, and the sender's retries get 409 until then. */
static int bh__rx_failed(const bh_receiver *rx, int replay, bh_outcome *o,
                         const bh_replay_id *id, int r, int64_t now)
{
    int rel = replay ? bh__rx_replay(rx, BH__RX_RELEASE, id, now) : BH_OK;
    return bh__rx_end(o, r >= 500 && r <= 599 ? r : 500, BH_RX_FAILED, r,
                      rel == BH_OK ? "handler failed"
                                   : "handler failed; release failed");
}

/* The handler succeeded (or there was none): commit the id and answer
   200. A commit that fails is in o->err, but the answer stays 200: the
   work is done, and a 5xx would have the sender deliver it again. */
static int bh__rx_done(const bh_receiver *rx, int replay, bh_outcome *o,
                       const bh_replay_id *id, int handled, int64_t now)
{
    int c = replay ? bh__rx_replay(rx, BH__RX_COMMIT, id, now) : BH_OK;
    if (handled)
        return bh__rx_end(o, 200, BH_RX_HANDLED, c,
                          c == BH_OK ? "handled" : "handled; commit failed");
    return bh__rx_end(o, 200, BH_RX_UNHANDLED, c,
                      c == BH_OK ? "no handler for the event"
                                 : "no handler for the event; commit failed");
}

/* Reserve, call the handler, then commit or release (its own frame: the
   replay id is not on the stack under the verify and filter calls). */
BH__NOINLINE int bh__rx_dispatch(const bh_receiver *rx, bh_outcome *o, int64_t now)
{
    const bh_route *route = bh__rx_route(rx, o->in.event);
    int replay = rx->replay_store || rx->replay;
    bh_replay_id id;
    int r;
    if (replay && bh__rx_reserve(rx, o, &id, now) != BH_OK) return o->status;
    r = route ? route->fn(route->ctx, &o->in) : 0;
    if (r != 0) return bh__rx_failed(rx, replay, o, &id, r, now);
    return bh__rx_done(rx, replay, o, &id, route != NULL, now);
}

/* Parse the verified body, and read it as a Blue payload when required:
   BH_OK, else the outcome is set. */
static int bh__rx_parse(const bh_receiver *rx, bh_outcome *o)
{
    int r = bh_json_parse(&o->in.doc, o->in.body, o->in.body_len, rx->toks,
                          rx->ntoks);
    if (r == BH_ESPACE) {
        bh__rx_end(o, 413, BH_RX_TOO_LARGE, r, "more JSON values than tokens");
        return r;
    }
    if (r != BH_OK) {
        o->err_pos = o->in.doc.err_pos;
        bh__rx_end(o, 400, BH_RX_NOT_JSON, r, bh_json_reason(&o->in.doc));
        return r;
    }
    if (!rx->blue) return BH_OK;
    r = bh_payload_read(&o->in.payload, &o->in.doc);
    if (r != BH_OK) {
        bh__rx_end(o, 400, BH_RX_NOT_BLUE, r, "not a Blue payload");
        return r;
    }
    o->in.blue = 1;
    return BH_OK;
}

/* The checks that need no body: method, media type, size. */
static int bh__rx_precheck(const bh_receiver *rx, bh_outcome *o,
                           const char *method, size_t method_len,
                           size_t body_len)
{
    size_t max = rx->max_body ? rx->max_body : BH_HTTP_MAX_BODY_BYTES;
    if (method && !(method_len == 4 && memcmp(method, "POST", 4) == 0))
        return bh__rx_end(o, 405, BH_RX_BAD_METHOD, BH_OK, "method not allowed");
    if (!bh__rx_json_media(o->in.headers, o->in.nheaders))
        return bh__rx_end(o, 415, BH_RX_BAD_MEDIA, BH_OK,
                          "content type is not JSON");
    if (body_len > max)
        return bh__rx_end(o, 413, BH_RX_TOO_LARGE, BH_EBODYSIZE,
                          "body too large");
    return 0;
}

/* Verify the request in o->in: BH_OK, else the outcome is set (401). Its
   own frame holds the stack arguments of bh_verify_ex, off the path of
   the filter. */
BH__NOINLINE int bh__rx_verify(const bh_receiver *rx, bh_outcome *o,
                               int64_t now)
{
    const bh_received *in = &o->in;
    int r = bh_verify_ex(rx->keys, rx->nkeys, in->headers, in->nheaders,
                         in->body, in->body_len, now, rx->tolerance_s,
                         &o->in.verified);
    if (r != BH_OK)
        bh__rx_end(o, 401, BH_RX_UNAUTHORIZED, r, bh_strerror(r));
    return r;
}

/* An outcome for a request, before the pipeline. */
static void bh__rx_begin(bh_outcome *o, const bh_header *headers,
                         size_t nheaders, const char *body, size_t body_len)
{
    memset(o, 0, sizeof *o);
    o->in.name = "";
    o->in.body = body;
    o->in.body_len = body_len;
    o->in.headers = headers;
    o->in.nheaders = nheaders;
}

/* The pipeline on the request in o->in (bh_receive's body; bh_receiver_serve
   calls it with its own outcome, so that no second one is on the stack). */
BH__NOINLINE int bh__receive(const bh_receiver *rx, const char *method,
                             size_t method_len, int64_t now, bh_outcome *o)
{
    const bh_received *in = &o->in;
    if (!rx || !rx->toks || (!in->headers && in->nheaders) ||
        (!in->body && in->body_len) || (!method && method_len))
        return bh__rx_end(o, 500, BH_RX_ERROR, BH_EINVAL,
                          "receiver not set up");
    if (bh__rx_precheck(rx, o, method, method_len, in->body_len))
        return o->status;
    if (bh__rx_verify(rx, o, now) != BH_OK) return o->status;
    if (bh__rx_parse(rx, o) != BH_OK) return o->status;
    bh__rx_event(rx, o);
    if (o->in.event == BH_EVENT_WEBHOOK_HEALTH_CHECK) {
        if (!rx->health_checks)
            return bh__rx_end(o, 200, BH_RX_HEALTH_CHECK, BH_OK,
                              "health check");
    } else if (!bh__rx_wanted(rx, o)) {
        return o->status;
    }
    return bh__rx_dispatch(rx, o, now);
}

BHDEF int bh_receive(const bh_receiver *rx, const char *method,
                     size_t method_len, const bh_header *headers,
                     size_t nheaders, const char *body, size_t body_len,
                     int64_t now, bh_outcome *out)
{
    bh_outcome local; /* for a caller that passes none */
    /* bh__rx_begin clears it before anything reads it */
    /* cppcheck-suppress uninitvar */
    bh_outcome *o = out ? out : &local;
    bh__rx_begin(o, headers, nheaders, body, body_len);
    return bh__receive(rx, method, method_len, now, o);
}

/* ---- serving a connection ---- */

/* Write the answer: head, then the reason as a text/plain line (no body
   for HEAD). Returns its length (out_cap >= BH_RESPONSE_MAX is enough). */
BH__NOINLINE size_t bh__rx_respond(char *out, size_t cap, int status,
                                   int keep_alive, int head_only,
                                   const char *reason)
{
    bh_header extra[2];
    size_t n = 0, rlen = strlen(reason), body;
    int len;
    if (rlen > 100) rlen = 100;
    body = head_only ? 0 : rlen + 1;
    bh__set_header(&extra[n++], "Content-Type", "text/plain", 10);
    if (status == 405) bh__set_header(&extra[n++], "Allow", "POST", 4);
    if (status == 503) bh__set_header(&extra[n++], "Retry-After", "1", 1);
    len = bh_http_response(out, cap, status, rlen + 1, keep_alive, extra, n);
    if (len < 0 || (size_t)len + body > cap) return 0;
    memcpy(out + len, reason, body ? rlen : 0);
    if (body) out[(size_t)len + rlen] = '\n';
    return (size_t)len + body;
}

/* Answer without the pipeline (an HTTP-level refusal), and close. */
static int bh__rx_refuse(bh_served *s, char *out, size_t cap, int status,
                         bh_rx_result result, int err, const char *reason)
{
    bh__rx_end(&s->outcome, status, result, err, reason);
    s->close = 1;
    s->out_len = bh__rx_respond(out, cap, status, 0, 0, reason);
    return BH_OK;
}

/* The head of a request with Expect: 100-continue is whole, its body not
   (or not well framed): refuse it now when the pipeline would (method,
   media type, size), else say 100 if no body byte has come yet. Whether
   body bytes came early, and what they hold, does not change the answer. */
static int bh__rx_continue(const bh_receiver *rx, const bh_http_request *req,
                           char *out, size_t cap, bh_served *s)
{
    bh_outcome *o = &s->outcome;
    int len;
    o->in.headers = req->headers;
    o->in.nheaders = req->nheaders;
    o->in.name = "";
    if (bh__rx_precheck(rx, o, req->method, req->method_len,
                        req->content_length)) {
        s->close = 1;
        s->out_len = bh__rx_respond(out, cap, o->status, 0, 0, o->reason);
        return BH_OK;
    }
    if (!req->send_continue) return BH_EINCOMPLETE;
    len = bh_http_response(out, cap, 100, 0, 0, NULL, 0);
    s->out_len = len > 0 ? (size_t)len : 0;
    return BH_EINCOMPLETE;
}

/* A sender this far off (method, media type, size) is answered and the
   connection closed, whether or not its body was read (Expect). */
static int bh__rx_closes(bh_rx_result r)
{
    return r == BH_RX_BAD_METHOD || r == BH_RX_BAD_MEDIA ||
           r == BH_RX_TOO_LARGE;
}

/* Keep the parser's limits within what the receiver and buf allow. */
static void bh__rx_limits(const bh_receiver *rx, bh_http_parser *p,
                          size_t cap)
{
    size_t max = rx->max_body ? rx->max_body : BH_HTTP_MAX_BODY_BYTES;
    if (max > cap) max = cap;
    if (p->max_body_bytes > max) p->max_body_bytes = max;
    if (p->max_header_bytes > cap) p->max_header_bytes = cap;
}

/* A whole request: the pipeline, then its answer. */
static void bh__rx_answer(const bh_receiver *rx, const bh_http_request *req,
                          int64_t now, char *out, size_t cap, bh_served *s)
{
    int head_only = req->method_len == 4 && memcmp(req->method, "HEAD", 4) == 0;
    bh__rx_begin(&s->outcome, req->headers, req->nheaders, req->body,
                 req->body_len);
    bh__receive(rx, req->method, req->method_len, now, &s->outcome);
    s->consumed = req->consumed;
    s->close = !req->keep_alive || bh__rx_closes(s->outcome.result);
    s->out_len = bh__rx_respond(out, cap, s->outcome.status, !s->close,
                                head_only, s->outcome.reason);
}

BHDEF int bh_receiver_serve(const bh_receiver *rx, bh_http_parser *p,
                            char *buf, size_t len, size_t cap, int64_t now,
                            char *out, size_t out_cap, bh_served *s)
{
    bh_http_request req;
    int rc;
    if (!s) return BH_EINVAL;
    memset(s, 0, sizeof *s);
    s->outcome.reason = "";
    s->outcome.in.name = "";
    if (!rx || !p || (!buf && len) || len > cap || !out) return BH_EINVAL;
    if (out_cap < BH_RESPONSE_MAX) return BH_ESPACE;
    bh__rx_limits(rx, p, cap);
    memset(&req, 0, sizeof req); /* bh_http_parse may not fill it (EINVAL) */
    rc = bh_http_parse(p, buf, len, &req);
    if (rc == BH_EINCOMPLETE && len == cap) /* it cannot fit */
        rc = req.head_len ? BH_EBODYSIZE : BH_EHEADSIZE;
    if (rc != BH_OK && req.head_len && req.expect_continue) {
        /* its head decides first, however much of the body came */
        int head = bh__rx_continue(rx, &req, out, out_cap, s);
        if (head == BH_OK) { /* refused by its head: answered, closing */
            bh_http_reset(p);
            return BH_OK;
        }
        if (rc == BH_EINCOMPLETE) return BH_EINCOMPLETE; /* maybe a 100 */
        s->out_len = 0; /* no 100: the HTTP error is answered */
    }
    if (rc == BH_EINCOMPLETE) return BH_EINCOMPLETE;
    if (rc != BH_OK)
        bh__rx_refuse(s, out, out_cap, bh_http_status_for(rc),
                      rc == BH_EBODYSIZE ? BH_RX_TOO_LARGE : BH_RX_BAD_REQUEST,
                      rc, bh_strerror(rc));
    else
        bh__rx_answer(rx, &req, now, out, out_cap, s);
    bh_http_reset(p);
    return BH_OK;
}

/* ==== sender =========================================================== */

BHDEF bh_store_batch bh_store_batch_array(const bh_store_record *recs,
                                          size_t n);

static void bh__batch_array_get(const bh_store_batch *b, size_t i,
                                bh_store_record *out)
{
    *out = ((const bh_store_record *)b->data)[i];
}

BHDEF bh_store_batch bh_store_batch_array(const bh_store_record *recs,
                                          size_t n)
{
    bh_store_batch b;
    b.n = n;
    b.get = bh__batch_array_get;
    b.arg = NULL;
    b.data = recs;
    return b;
}

/* ---- the arena: blocks of [size][references][bytes], 4-byte aligned ---- */

#define BH__BLOCK_HEAD 8u

static size_t bh__block_room(size_t n)
{
    return BH__BLOCK_HEAD + ((n + 3) & ~(size_t)3);
}

static uint32_t bh__block_size(const bh_sender *s, uint32_t at)
{
    return bh__load32_le(s->c.arena + at);
}

static const uint8_t *bh__block_data(const bh_sender *s, uint32_t at)
{
    return s->c.arena + at + BH__BLOCK_HEAD;
}

static uint32_t bh__block_refs(const bh_sender *s, uint32_t at)
{
    return bh__load32_le(s->c.arena + at + 4);
}

static void bh__block_set_refs(bh_sender *s, uint32_t at, uint32_t refs)
{
    bh__store32_le(s->c.arena + at + 4, refs);
}

static void bh__block_unref(bh_sender *s, uint32_t at)
{
    uint32_t r = bh__block_refs(s, at);
    if (r) bh__block_set_refs(s, at, r - 1);
}

/* Move the referenced blocks down over the others, and point the
   deliveries at their blocks' new places. */
static void bh__arena_compact(bh_sender *s)
{
    size_t from = 0, to = 0, i;
    while (from < s->arena_used) {
        size_t room = bh__block_room(bh__block_size(s, (uint32_t)from));
        if (bh__block_refs(s, (uint32_t)from)) {
            if (from != to) {
                memmove(s->c.arena + to, s->c.arena + from, room);
                for (i = 0; i < s->c.outbox_cap; i++) {
                    bh_delivery *d = &s->c.outbox[i];
                    if (!d->state) continue;
                    if (d->event == from) d->event = (uint32_t)to;
                    if (d->snapshot == from) d->snapshot = (uint32_t)to;
                }
                if (s->pin == from) s->pin = (uint32_t)to;
            }
            to += room;
        }
        from += room;
    }
    s->arena_used = to;
}

/* Where the next block's bytes go, and how many fit there. */
static char *bh__arena_free(bh_sender *s, size_t *cap)
{
    size_t left = s->c.arena_cap - s->arena_used;
    *cap = left > BH__BLOCK_HEAD ? left - BH__BLOCK_HEAD : 0;
    return *cap ? (char *)s->c.arena + s->arena_used + BH__BLOCK_HEAD : NULL;
}

/* Seal n bytes already written at the free end into a block with one
   reference; its offset, or BH_EFULL. */
static long bh__arena_seal(bh_sender *s, size_t n)
{
    size_t room = bh__block_room(n), at = s->arena_used;
    if (s->c.arena_cap - at < room) return BH_EFULL;
    bh__store32_le(s->c.arena + at, (uint32_t)n);
    bh__store32_le(s->c.arena + at + 4, 1);
    s->arena_used += room;
    return (long)at;
}

/* What bh__arena_write writes: an event's shared part (arg: a
   bh__event_text) or a webhook's object (arg: a bh_sender_hook). Named
   rather than passed as a function, so that the stack count sees it. */
enum { BH__WRITE_EVENT, BH__WRITE_SNAPSHOT };

static int bh__write_event_text(bh_json_writer *jw, void *arg);
static int bh__write_snapshot(bh_json_writer *jw, void *arg);

/* Run a writer over the free end of the arena (compacting once if it does
   not fit) and seal what it wrote as a block. */
static long bh__arena_write(bh_sender *s, int what, void *arg)
{
    int pass;
    for (pass = 0; pass < 2; pass++) {
        size_t cap;
        char *p = bh__arena_free(s, &cap);
        int r;
        bh_jw_init(&s->jw, p, cap);
        if (what == BH__WRITE_EVENT)
            bh__write_event_text(&s->jw, arg);
        else
            bh__write_snapshot(&s->jw, arg);
        r = bh_jw_finish(&s->jw);
        if (r >= 0 && (size_t)r < cap) return bh__arena_seal(s, (size_t)r);
        if (r < 0 && r != BH_ESPACE) return r;
        bh__arena_compact(s);
    }
    return BH_EFULL;
}

/* ---- what goes into the arena ---- */

/* An event's shared part: the payload with "webhook":null. The 4 bytes of
   "null" at head_len are where each delivery's webhook object goes. */
typedef struct bh__event_text {
    const char *event, *previous, *current;
    size_t event_len, previous_len, current_len;
    size_t head_len;
} bh__event_text;

static int bh__write_event_text(bh_json_writer *jw, void *arg)
{
    bh__event_text *e = (bh__event_text *)arg;
    bh_jw_begin_object(jw);
    bh_jw_key(jw, "event", 5);
    bh_jw_string(jw, e->event, e->event_len);
    bh_jw_key(jw, "webhook", 7);
    e->head_len = jw->len;
    bh_jw_null(jw);
    return bh__payload_tail(jw, e->previous, e->previous_len, e->current,
                            e->current_len);
}

static int bh__write_snapshot(bh_json_writer *jw, void *arg)
{
    return bh_webhook_write(jw, ((const bh_sender_hook *)arg)->webhook);
}

/* ---- the sender ---- */

BHDEF int bh_sender_init(bh_sender *s, const bh_sender_config *cfg)
{
    if (!s || !cfg || !cfg->transport || !cfg->random || !cfg->hooks ||
        !cfg->hooks_cap || cfg->hooks_cap > 0xfffe || !cfg->outbox ||
        !cfg->outbox_cap || !cfg->arena || cfg->arena_cap < 64 ||
        cfg->arena_cap > 0x7fffffff || !cfg->body || !cfg->body_cap)
        return BH_EINVAL;
    memset(s, 0, sizeof *s);
    s->c = *cfg;
    if (!s->c.first_delay_ms) s->c.first_delay_ms = 5000;
    if (s->c.first_delay_ms == BH_NO_DELAY) s->c.first_delay_ms = 0;
    if (!s->c.timeout_ms) s->c.timeout_ms = 7000;
    if (!s->c.backoff_ms) s->c.backoff_ms = 2000;
    if (!s->c.backoff_max_ms) s->c.backoff_max_ms = 300000;
    if (!s->c.max_attempts) s->c.max_attempts = 5;
    memset(s->c.outbox, 0, s->c.outbox_cap * sizeof *s->c.outbox);
    return BH_OK;
}

BHDEF int bh_sender_add(bh_sender *s, bh_webhook *w, unsigned flags)
{
    bh_sender_hook *h;
    size_t n;
    int r;
    if (!s || !w || !w->id || !w->id[0] || strlen(w->id) > 0xffff ||
        !w->secret || !w->secret[0])
        return BH_EINVAL;
    if (s->nhooks == s->c.hooks_cap) return BH_EFULL;
    h = &s->c.hooks[s->nhooks];
    memset(h, 0, sizeof *h);
    n = strlen(w->secret);
    r = bh_key_init(&h->blue, BH_SCHEME_BLUE, w->secret, n);
    if (r == BH_OK && (flags & BH_SEND_STANDARD))
        r = bh_key_init_raw(&h->standard, BH_SCHEME_STANDARD, w->secret, n);
    if (r != BH_OK) {
        bh_wipe(h, sizeof *h);
        return r;
    }
    h->webhook = w;
    h->flags = flags;
    return (int)s->nhooks++;
}

static void bh__new_delivery_id(bh_sender *s, char id[BH_DELIVERY_ID_LEN + 1])
{
    uint8_t raw[16];
    int i;
    for (i = 0; i < 16; i += 4)
        bh__store32_le(raw + i, s->c.random(s->c.clock_ctx));
    id[0] = 'm';
    id[1] = 's';
    id[2] = 'g';
    id[3] = '_';
    bh_hex_encode(id + 4, BH_DELIVERY_ID_LEN - 3, raw, 16); /* and the NUL */
}

static bh_delivery *bh__free_slot(bh_sender *s)
{
    size_t i;
    for (i = 0; i < s->c.outbox_cap; i++)
        if (!s->c.outbox[i].state) return &s->c.outbox[i];
    return NULL;
}

static bh_delivery *bh__find(const bh_sender *s, const char *id)
{
    size_t i;
    if (!id) return NULL;
    for (i = 0; i < s->c.outbox_cap; i++)
        if (s->c.outbox[i].state && strcmp(s->c.outbox[i].id, id) == 0)
            return &s->c.outbox[i];
    return NULL;
}

/* ---- the store: an event and its deliveries as one batch ---- */

typedef struct bh__event_batch {
    const bh_sender *s;
    uint32_t event;   /* the event block */
    size_t head_len;
    size_t cursor;    /* the outbox slot after the last one given */
} bh__event_batch;

static void bh__event_batch_get(const bh_store_batch *b, size_t i,
                                bh_store_record *r)
{
    bh__event_batch *e = (bh__event_batch *)b->arg;
    const bh_sender *s = e->s;
    memset(r, 0, sizeof *r);
    if (i == 0) {
        r->kind = BH_RECORD_EVENT;
        r->data = bh__block_data(s, e->event);
        r->data_len = bh__block_size(s, e->event);
        r->head_len = e->head_len;
        e->cursor = 0;
        return;
    }
    for (; e->cursor < s->c.outbox_cap; e->cursor++) {
        const bh_delivery *d = &s->c.outbox[e->cursor];
        if (d->state && d->event == e->event) {
            const bh_sender_hook *h = d->hook < s->nhooks ? &s->c.hooks[d->hook] : NULL;
            r->kind = BH_RECORD_DELIVERY;
            r->state = d->state;
            r->attempts = d->attempts;
            r->id = d->id;
            r->id_len = BH_DELIVERY_ID_LEN;
            r->webhook_id = h ? h->webhook->id : "";
            r->webhook_id_len = strlen(r->webhook_id);
            r->data = bh__block_data(s, d->snapshot);
            r->data_len = bh__block_size(s, d->snapshot);
            e->cursor++;
            return;
        }
    }
}

/* Store an event with its n deliveries (every slot naming the block). */
static int bh__store_event(bh_sender *s, uint32_t event, size_t head_len,
                           size_t n)
{
    bh__event_batch e;
    bh_store_batch b;
    if (!s->c.store) return BH_OK;
    e.s = s;
    e.event = event;
    e.head_len = head_len;
    e.cursor = 0;
    b.n = 1 + n;
    b.get = bh__event_batch_get;
    b.arg = &e;
    b.data = NULL;
    return s->c.store->append(s->c.store->ctx, &b);
}

/* Store a delivery's new state (and attempts). */
static int bh__store_state(bh_sender *s, const bh_delivery *d, uint8_t state)
{
    bh_store_record r;
    bh_store_batch b;
    if (!s->c.store) return BH_OK;
    memset(&r, 0, sizeof r);
    r.kind = BH_RECORD_STATE;
    r.state = state;
    r.attempts = d->attempts;
    r.id = d->id;
    r.id_len = BH_DELIVERY_ID_LEN;
    b = bh_store_batch_array(&r, 1);
    return s->c.store->append(s->c.store->ctx, &b);
}


/* ---- publishing ---- */

#define BH__NO_BLOCK 0xffffffffu

/* Does webhook h get this event? Blue's rule, then its record filter on
   the event's parsed text (doc NULL when no filter needs it). */
static int bh__hook_wants(const bh_sender_hook *h, bh_event e,
                          const char *project, size_t project_len,
                          const bh_json *doc)
{
    if (!bh_webhook_subscribed(h->webhook, e, project, project_len)) return 0;
    return !h->webhook->filter || (doc && bh_filter_eval(h->webhook->filter, doc) == 1);
}

/* Parse the pinned event block when a subscribed webhook has a filter:
   BH_OK with *doc set (or NULL when none is needed), or an error. */
static int bh__filter_doc(bh_sender *s, bh_event e, const char *project,
                          size_t project_len, bh_json *doc, const bh_json **out)
{
    size_t i;
    int r;
    *out = NULL;
    for (i = 0; i < s->nhooks; i++)
        if (s->c.hooks[i].webhook->filter &&
            bh_webhook_subscribed(s->c.hooks[i].webhook, e, project, project_len))
            break;
    if (i == s->nhooks) return BH_OK;
    if (!s->c.toks) return BH_EINVAL; /* filters need toks in the config */
    r = bh_json_parse(doc, (const char *)bh__block_data(s, s->pin),
                      bh__block_size(s, s->pin), s->c.toks, s->c.toks_cap);
    if (r == BH_OK) *out = doc;
    return r;
}

/* Make slot d a new pending delivery of the pinned event to webhook
   hook, due at due. */
static void bh__claim(bh_sender *s, bh_delivery *d, size_t hook,
                      size_t head_len, uint64_t due)
{
    memset(d, 0, sizeof *d);
    bh__new_delivery_id(s, d->id);
    d->state = BH_DELIVERY_PENDING;
    d->hook = (uint16_t)hook;
    d->head = (uint16_t)head_len;
    d->event = s->pin;
    d->snapshot = BH__NO_BLOCK;
    d->due_ms = due;
    bh__block_set_refs(s, s->pin, bh__block_refs(s, s->pin) + 1);
}

/* Claim an outbox slot for each webhook that wants the pinned event; how
   many, or BH_EFULL. */
static int bh__claim_slots(bh_sender *s, bh_event e, const char *project,
                           size_t project_len, const bh_json *doc,
                           size_t head_len, uint64_t due)
{
    size_t i, slot = 0;
    int n = 0;
    for (i = 0; i < s->nhooks; i++) {
        if (!bh__hook_wants(&s->c.hooks[i], e, project, project_len, doc)) continue;
        while (slot < s->c.outbox_cap && s->c.outbox[slot].state) slot++;
        if (slot == s->c.outbox_cap) return BH_EFULL;
        bh__claim(s, &s->c.outbox[slot], i, head_len, due);
        n++;
    }
    return n;
}

static size_t bh__body_len(const bh_sender *s, const bh_delivery *d)
{
    return bh__block_size(s, d->event) - 4 + bh__block_size(s, d->snapshot);
}

/* Give each claimed slot its webhook's object, and check the body fits. */
static int bh__fill_slots(bh_sender *s)
{
    size_t i;
    for (i = 0; i < s->c.outbox_cap; i++) {
        bh_delivery *d = &s->c.outbox[i];
        long snap;
        if (!d->state || d->event != s->pin || d->snapshot != BH__NO_BLOCK) continue;
        snap = bh__arena_write(s, BH__WRITE_SNAPSHOT, &s->c.hooks[d->hook]);
        if (snap < 0) return (int)snap;
        d->snapshot = (uint32_t)snap;
        if (bh__body_len(s, d) > s->c.body_cap) return BH_ESPACE;
    }
    return BH_OK;
}

/* Claim one slot for webhook hook (the health check): 1, or BH_EFULL. */
static int bh__claim_one(bh_sender *s, size_t hook, size_t head_len,
                         uint64_t due)
{
    bh_delivery *d = bh__free_slot(s);
    if (!d) return BH_EFULL;
    bh__claim(s, d, hook, head_len, due);
    return 1;
}

/* Undo a publish that failed half way: free its deliveries and blocks. */
static void bh__unpublish(bh_sender *s)
{
    size_t i;
    for (i = 0; i < s->c.outbox_cap; i++) {
        bh_delivery *d = &s->c.outbox[i];
        if (d->state && d->event == s->pin) {
            if (d->snapshot != BH__NO_BLOCK) bh__block_unref(s, d->snapshot);
            memset(d, 0, sizeof *d);
        }
    }
    bh__block_set_refs(s, s->pin, 1); /* the publisher's own reference */
}

/* Write an event's shared part as a block and pin it (its one reference,
   until the end of publish): the bytes before its webhook object, or an
   error. Its own frame, so the text's parts are not kept under the
   filters. */
BH__NOINLINE long bh__pin_event(bh_sender *s, const char *event,
                                size_t event_len, const char *previous,
                                size_t previous_len, const char *current,
                                size_t current_len)
{
    bh__event_text t;
    long at;
    memset(&t, 0, sizeof t);
    t.event = event;
    t.event_len = event_len;
    t.previous = previous;
    t.previous_len = previous_len;
    t.current = current;
    t.current_len = current_len;
    at = bh__arena_write(s, BH__WRITE_EVENT, &t);
    if (at < 0) return at;
    s->pin = (uint32_t)at;
    return (long)t.head_len;
}

/* Claim a slot for each webhook that wants the pinned event (head_len
   bytes before its webhook object), due at due: how many, or an error.
   The event's parsed text lives here while the record filters run. */
BH__NOINLINE int bh__claim_wanted(bh_sender *s, bh_event e,
                                  const char *project, size_t project_len,
                                  size_t head_len, uint64_t due)
{
    bh_json doc;
    const bh_json *fdoc = NULL;
    int r = bh__filter_doc(s, e, project, project_len, &doc, &fdoc);
    if (r != BH_OK) return r;
    return bh__claim_slots(s, e, project, project_len, fdoc, head_len, due);
}

/* Finish a publish whose claims returned n (a count or an error): give the
   claimed slots their webhook objects and store them with the event, or
   undo them all; then unpin the event. The count, or an error. */
BH__NOINLINE int bh__publish_end(bh_sender *s, int n, size_t head_len)
{
    int r = n < 0 ? n : bh__fill_slots(s);
    if (r == BH_OK && n) r = bh__store_event(s, s->pin, head_len, (size_t)n);
    if (r != BH_OK) bh__unpublish(s);
    bh__block_unref(s, s->pin);
    s->pin = BH__NO_BLOCK;
    return r == BH_OK ? n : r;
}

BHDEF int bh_sender_publish(bh_sender *s, uint64_t now_ms, const char *event,
                            size_t event_len, const char *project_id,
                            size_t project_len, const char *previous,
                            size_t previous_len, const char *current,
                            size_t current_len)
{
    long head;
    int n;
    if (!s || !event || !event_len || event_len > 200 ||
        (project_len && !project_id))
        return BH_EINVAL;
    head = bh__pin_event(s, event, event_len, previous, previous_len, current,
                         current_len);
    if (head < 0) return (int)head;
    n = bh__claim_wanted(s, bh_event_from_name(event, event_len), project_id,
                         project_len, (size_t)head,
                         now_ms + s->c.first_delay_ms);
    return bh__publish_end(s, n, (size_t)head);
}

/* ---- attempts ---- */

/* A random wait after `failed` failed attempts: full jitter over
   [0, min(backoff_max, backoff * 2^(failed-1))]. */
static uint64_t bh__backoff(bh_sender *s, unsigned failed)
{
    uint64_t cap = s->c.backoff_ms;
    unsigned k;
    for (k = 1; k < failed && cap < s->c.backoff_max_ms; k++) cap *= 2;
    if (cap > s->c.backoff_max_ms) cap = s->c.backoff_max_ms;
    return (uint64_t)s->c.random(s->c.clock_ctx) % (cap + 1);
}

/* Put a delivery's body together: the event's head, the webhook object in
   place of "null", the event's tail. Returns its length (the caller checked
   the room). */
static size_t bh__compose(const bh_sender *s, const bh_delivery *d, char *out)
{
    const uint8_t *ev = bh__block_data(s, d->event);
    size_t evn = bh__block_size(s, d->event);
    size_t snn = bh__block_size(s, d->snapshot);
    memcpy(out, ev, d->head);
    memcpy(out + d->head, bh__block_data(s, d->snapshot), snn);
    memcpy(out + d->head + snn, ev + d->head + 4, evn - d->head - 4);
    return evn - 4 + snn;
}

/* A header from a C string name and a value of len bytes. */
static bh_header bh__header(const char *name, const char *value, size_t len)
{
    bh_header h;
    h.name = name;
    h.name_len = strlen(name);
    h.value = value;
    h.value_len = len;
    return h;
}

/* Before 2020 the wall clock has not been set (an MCU that just booted). */
#define BH__CLOCK_SET 1577836800
/* X-Signature's text in att_text: 64 hex digits and a NUL; Standard's
   follows it. */
#define BH__BLUE_TEXT 65

/* Sign an attempt: the sender's attempt headers get Content-Type,
   User-Agent, X-Bluehook-Delivery, X-Signature and, with BH_SEND_STANDARD,
   Standard's three. Their count, BH_ECLOCK, or a signing error. */
BH__NOINLINE int bh__sign_attempt(bh_sender *s, const bh_delivery *d,
                                  size_t len)
{
    const bh_sender_hook *h = &s->c.hooks[d->hook];
    bh_header *hs = s->att_headers;
    char *std = s->att_text + BH__BLUE_TEXT;
    int64_t now;
    int r;
    hs[0] = bh__header("Content-Type", "application/json", 16);
    hs[1] = bh__header("User-Agent", "bluehook/" BLUEHOOK_VERSION,
                       9 + strlen(BLUEHOOK_VERSION));
    hs[2] = bh__header("X-Bluehook-Delivery", d->id, BH_DELIVERY_ID_LEN);
    r = bh_sign(&h->blue, NULL, 0, s->c.body, len, hs + 3, 1, s->att_text,
                BH__BLUE_TEXT);
    if (r < 0 || !(h->flags & BH_SEND_STANDARD)) return r < 0 ? r : 3 + r;
    now = s->c.wall_clock ? s->c.wall_clock(s->c.clock_ctx) : 0;
    if (now < BH__CLOCK_SET) return BH_ECLOCK;
    r = bh_sign(&h->standard, d->id, now, s->c.body, len, hs + 4, 3, std,
                sizeof s->att_text - BH__BLUE_TEXT);
    return r < 0 ? r : 4 + r;
}

/* One attempt: compose, sign, hand to the transport. The HTTP status, a
   transport error, or BH_ECLOCK when a timestamp is due and the wall clock
   is not set (then nothing was sent). */
static int bh__attempt(bh_sender *s, const bh_delivery *d)
{
    size_t len = bh__compose(s, d, s->c.body);
    int n = bh__sign_attempt(s, d, len);
    bh_post p;
    if (n < 0) return n;
    memset(&p, 0, sizeof p);
    p.url = s->c.hooks[d->hook].webhook->url;
    p.headers = s->att_headers;
    p.nheaders = (size_t)n;
    p.body = s->c.body;
    p.body_len = len;
    p.timeout_ms = s->c.timeout_ms;
    return s->c.transport(s->c.transport_ctx, &p);
}

static void bh__free_delivery(bh_sender *s, bh_delivery *d)
{
    bh__block_unref(s, d->event);
    if (d->snapshot != BH__NO_BLOCK) bh__block_unref(s, d->snapshot);
    memset(d, 0, sizeof *d);
}

/* Blue's policy: the webhook is disabled and its pending deliveries become
   dead letters (Blue would drop them; bluehook keeps them for replay). */
static int bh__disable_hook(bh_sender *s, uint16_t hook)
{
    size_t i;
    int r = BH_OK, e;
    s->c.hooks[hook].webhook->enabled = 0;
    for (i = 0; i < s->c.outbox_cap; i++) {
        bh_delivery *d = &s->c.outbox[i];
        if (d->state != BH_DELIVERY_PENDING || d->hook != hook) continue;
        d->state = BH_DELIVERY_DEAD;
        e = bh__store_state(s, d, BH_DELIVERY_DEAD);
        if (e < 0 && r == BH_OK) r = e;
    }
    return r;
}

/* A failure no retry can mend: the URL, the policy, a missing TLS. Such a
   delivery is dead-lettered at once. */
static int bh__permanent(int result)
{
    return result == BH_EURL || result == BH_ENOTLS ||
           result == BH_EFORBIDDEN || result == BH_EINVAL;
}

/* What an attempt's result does to the delivery and its webhook's health. */
static int bh__settle(bh_sender *s, bh_delivery *d, int result, uint64_t now)
{
    bh_sender_hook *h = &s->c.hooks[d->hook];
    int r;
    if (result >= 200 && result <= 299) {
        h->failures = 0;
        if (s->c.policy == BH_POLICY_DEAD_LETTER)
            h->webhook->status = BH_STATUS_HEALTHY;
        r = bh__store_state(s, d, BH_DELIVERY_DONE);
        bh__free_delivery(s, d);
        return r;
    }
    d->attempts++;
    d->last = result;
    h->failures++;
    if (d->attempts < s->c.max_attempts && !bh__permanent(result)) {
        d->due_ms = now + bh__backoff(s, d->attempts);
        return bh__store_state(s, d, BH_DELIVERY_PENDING);
    }
    h->webhook->status = BH_STATUS_UNHEALTHY;
    d->state = BH_DELIVERY_DEAD;
    r = bh__store_state(s, d, BH_DELIVERY_DEAD);
    if (s->c.policy == BH_POLICY_BLUE) {
        int e = bh__disable_hook(s, d->hook);
        if (r == BH_OK) r = e;
    }
    return r;
}

/* May this delivery be attempted now? */
static int bh__due(const bh_sender *s, const bh_delivery *d, uint64_t now)
{
    return d->state == BH_DELIVERY_PENDING && d->due_ms <= now &&
           d->hook < s->nhooks && s->c.hooks[d->hook].webhook->enabled;
}

BHDEF int bh_sender_poll(bh_sender *s, uint64_t now_ms)
{
    size_t i;
    int made = 0, err = BH_OK;
    if (!s) return BH_EINVAL;
    for (i = 0; i < s->c.outbox_cap; i++) {
        bh_delivery *d = &s->c.outbox[i];
        uint64_t t0 = s->c.mono_ms ? s->c.mono_ms(s->c.clock_ctx) : 0;
        uint32_t took;
        int result, e;
        if (!bh__due(s, d, now_ms)) continue;
        result = bh__attempt(s, d);
        took = s->c.mono_ms ? (uint32_t)(s->c.mono_ms(s->c.clock_ctx) - t0) : 0;
        if (s->c.on_attempt) s->c.on_attempt(s->c.attempt_ctx, d, result, took);
        if (result == BH_ECLOCK) { /* not an attempt: wait for the clock */
            d->last = BH_ECLOCK;
            d->due_ms = now_ms + 1000;
            continue;
        }
        made++;
        e = bh__settle(s, d, result, now_ms);
        if (e < 0 && err == BH_OK) err = e;
    }
    return err < 0 ? err : made;
}

BHDEF uint64_t bh_sender_next_due(const bh_sender *s)
{
    uint64_t next = UINT64_MAX;
    size_t i;
    for (i = 0; s && i < s->c.outbox_cap; i++)
        if (bh__due(s, &s->c.outbox[i], UINT64_MAX) &&
            s->c.outbox[i].due_ms < next)
            next = s->c.outbox[i].due_ms;
    return next;
}

BHDEF int bh_sender_enable(bh_sender *s, int hook, uint64_t now_ms)
{
    bh_webhook *w;
    long head;
    int r;
    if (!s || hook < 0 || (size_t)hook >= s->nhooks) return BH_EINVAL;
    w = s->c.hooks[hook].webhook;
    w->enabled = 1;
    w->status = BH_STATUS_HEALTHY;
    s->c.hooks[hook].failures = 0;
    head = bh__pin_event(s, "WEBHOOK_HEALTH_CHECK", 20, NULL, 0, NULL, 0);
    if (head < 0) return (int)head;
    r = bh__claim_one(s, (size_t)hook, (size_t)head, now_ms);
    r = bh__publish_end(s, r, (size_t)head);
    return r < 0 ? r : BH_OK;
}

BHDEF const bh_delivery *bh_sender_slot(const bh_sender *s, size_t i)
{
    return s && i < s->c.outbox_cap ? &s->c.outbox[i] : NULL;
}

BHDEF int bh_sender_replay(bh_sender *s, const char *id, uint64_t now_ms)
{
    bh_delivery *d = s ? bh__find(s, id) : NULL;
    if (!d || d->state != BH_DELIVERY_DEAD) return BH_ENOTFOUND;
    if (d->hook >= s->nhooks) return BH_EINVAL; /* its webhook is gone */
    d->state = BH_DELIVERY_PENDING;
    d->attempts = 0;
    d->last = 0;
    d->due_ms = now_ms;
    return bh__store_state(s, d, BH_DELIVERY_PENDING);
}

BHDEF int bh_sender_drop(bh_sender *s, const char *id)
{
    bh_delivery *d = s ? bh__find(s, id) : NULL;
    int r;
    if (!d) return BH_ENOTFOUND;
    r = bh__store_state(s, d, BH_DELIVERY_DONE);
    bh__free_delivery(s, d);
    return r;
}

BHDEF int bh_sender_body(const bh_sender *s, const bh_delivery *d, char *buf,
                         size_t cap)
{
    size_t n;
    if (!s || !d || !d->state) return BH_EINVAL;
    n = bh__body_len(s, d);
    if (n > 0x7fffffff) return BH_EINVAL;
    if (!buf || cap < n) return BH_ESPACE;
    return (int)bh__compose(s, d, buf);
}

/* ---- restarts ---- */

/* Copy bytes into a new block; its offset or BH_EFULL. */
static long bh__arena_copy(bh_sender *s, const void *p, size_t n)
{
    size_t cap;
    char *at = bh__arena_free(s, &cap);
    if (cap <= n) {
        bh__arena_compact(s);
        at = bh__arena_free(s, &cap);
    }
    if (cap <= n) return BH_EFULL;
    if (n) memcpy(at, p, n);
    return bh__arena_seal(s, n);
}

static int bh__hook_by_id(const bh_sender *s, const char *id, size_t len)
{
    size_t i;
    for (i = 0; i < s->nhooks; i++)
        if (bh__cstr_eq(s->c.hooks[i].webhook->id, id, len)) return (int)i;
    return -1;
}

static int bh__load_event(bh_sender *s, const bh_store_record *r)
{
    long at;
    if (r->head_len > 0xffff) return BH_ECORRUPT;
    if (s->pin != BH__NO_BLOCK) bh__block_unref(s, s->pin);
    s->pin = BH__NO_BLOCK;
    at = bh__arena_copy(s, r->data, r->data_len);
    if (at < 0) return (int)at;
    s->pin = (uint32_t)at;
    s->load_head = (uint16_t)r->head_len;
    return BH_OK;
}

static int bh__load_delivery(bh_sender *s, const bh_store_record *r)
{
    bh_delivery *d = bh__free_slot(s);
    int hook;
    long snap;
    if (s->pin == BH__NO_BLOCK || r->id_len != BH_DELIVERY_ID_LEN)
        return BH_ECORRUPT;
    if (!d) return BH_EFULL;
    snap = bh__arena_copy(s, r->data, r->data_len);
    if (snap < 0) return (int)snap;
    hook = bh__hook_by_id(s, r->webhook_id, r->webhook_id_len);
    memset(d, 0, sizeof *d);
    memcpy(d->id, r->id, BH_DELIVERY_ID_LEN);
    d->state = r->state == BH_DELIVERY_DEAD || hook < 0 ? BH_DELIVERY_DEAD
                                                        : BH_DELIVERY_PENDING;
    d->attempts = r->attempts;
    d->hook = hook < 0 ? 0xffff : (uint16_t)hook;
    d->head = s->load_head;
    d->event = s->pin;
    d->snapshot = (uint32_t)snap;
    d->due_ms = s->load_now;
    bh__block_set_refs(s, s->pin, bh__block_refs(s, s->pin) + 1);
    return BH_OK;
}

static int bh__load_state(bh_sender *s, const bh_store_record *r)
{
    char id[BH_DELIVERY_ID_LEN + 1];
    bh_delivery *d;
    if (r->id_len != BH_DELIVERY_ID_LEN) return BH_ECORRUPT;
    memcpy(id, r->id, BH_DELIVERY_ID_LEN);
    id[BH_DELIVERY_ID_LEN] = '\0';
    d = bh__find(s, id);
    if (!d) return BH_OK; /* already settled: a state written twice */
    if (r->state == BH_DELIVERY_DONE) {
        bh__free_delivery(s, d);
    } else {
        d->state = r->state == BH_DELIVERY_DEAD || d->hook == 0xffff
                       ? BH_DELIVERY_DEAD : BH_DELIVERY_PENDING;
        d->attempts = r->attempts;
    }
    return BH_OK;
}

static int bh__load_record(void *arg, const bh_store_record *r)
{
    bh_sender *s = (bh_sender *)arg;
    switch (r->kind) {
    case BH_RECORD_EVENT: return bh__load_event(s, r);
    case BH_RECORD_DELIVERY: return bh__load_delivery(s, r);
    case BH_RECORD_STATE: return bh__load_state(s, r);
    default: return BH_ECORRUPT;
    }
}

BHDEF int bh_sender_load(bh_sender *s, uint64_t now_ms)
{
    int r;
    if (!s || !s->c.store || !s->c.store->load) return BH_EINVAL;
    s->load_now = now_ms;
    s->pin = BH__NO_BLOCK;
    r = s->c.store->load(s->c.store->ctx, bh__load_record, s);
    if (s->pin != BH__NO_BLOCK) bh__block_unref(s, s->pin);
    s->pin = BH__NO_BLOCK;
    return r;
}

/* 1 when an earlier live slot than i belongs to the same event. */
static int bh__event_seen(const bh_sender *s, size_t i)
{
    size_t j;
    for (j = 0; j < i; j++)
        if (s->c.outbox[j].state && s->c.outbox[j].event == s->c.outbox[i].event)
            return 1;
    return 0;
}

static size_t bh__event_deliveries(const bh_sender *s, uint32_t event)
{
    size_t i, n = 0;
    for (i = 0; i < s->c.outbox_cap; i++)
        n += s->c.outbox[i].state && s->c.outbox[i].event == event;
    return n;
}

BHDEF int bh_sender_compact(bh_sender *s)
{
    const bh_store *st = s ? s->c.store : NULL;
    size_t i;
    int r;
    if (!st || !st->rewrite) return BH_EINVAL;
    r = st->rewrite(st->ctx, BH_REWRITE_BEGIN);
    for (i = 0; r == BH_OK && i < s->c.outbox_cap; i++) {
        const bh_delivery *d = &s->c.outbox[i];
        if (!d->state || bh__event_seen(s, i)) continue;
        r = bh__store_event(s, d->event, d->head, bh__event_deliveries(s, d->event));
    }
    if (r != BH_OK) {
        st->rewrite(st->ctx, BH_REWRITE_ABORT);
        return r;
    }
    return st->rewrite(st->ctx, BH_REWRITE_COMMIT);
}


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

/* Where a request head goes, piece by piece. */
typedef void (*bh__sink)(void *ctx, const char *p, size_t n);

static void bh__sink_str(bh__sink put, void *ctx, const char *s)
{
    put(ctx, s, strlen(s));
}

/* The head of a POST: request line, Host, Content-Length, Connection:
   close, the caller's fields, the blank line. */
static void bh__emit_head(const bh_url *u, const bh_post *post, bh__sink put,
                          void *ctx)
{
    char num[24];
    size_t i;
    int v6 = memchr(u->host, ':', u->host_len) != NULL;
    bh__sink_str(put, ctx, "POST ");
    if (!u->path_len || u->path[0] != '/') bh__sink_str(put, ctx, "/");
    put(ctx, u->path, u->path_len);
    bh__sink_str(put, ctx, " HTTP/1.1\r\nHost: ");
    if (v6) bh__sink_str(put, ctx, "[");
    put(ctx, u->host, u->host_len);
    if (v6) bh__sink_str(put, ctx, "]");
    if (u->port != (u->https ? 443 : 80)) {
        bh__sink_str(put, ctx, ":");
        put(ctx, num, bh__utoa(num, u->port));
    }
    bh__sink_str(put, ctx, "\r\nContent-Length: ");
    put(ctx, num, bh__utoa(num, post->body_len));
    bh__sink_str(put, ctx, "\r\nConnection: close\r\n");
    for (i = 0; i < post->nheaders; i++) {
        put(ctx, post->headers[i].name, post->headers[i].name_len);
        bh__sink_str(put, ctx, ": ");
        put(ctx, post->headers[i].value, post->headers[i].value_len);
        bh__sink_str(put, ctx, "\r\n");
    }
    bh__sink_str(put, ctx, "\r\n");
}

/* A caller buffer that counts past its end. */
typedef struct bh__outbuf {
    char *buf;
    size_t cap, len;
} bh__outbuf;

static void bh__outbuf_sink(void *ctx, const char *p, size_t n)
{
    bh__outbuf *o = (bh__outbuf *)ctx;
    if (o->len < o->cap && n)
        memcpy(o->buf + o->len, p, o->cap - o->len < n ? o->cap - o->len : n);
    o->len += n;
}

/* The head of a POST as a transport sends it; checks the URL and fields. */
static int bh__post_head_check(const bh_post *post, bh_url *u)
{
    size_t i;
    if (!post || !post->url || (post->body_len && !post->body)) return BH_EINVAL;
    for (i = 0; i < post->nheaders; i++)
        if (bh__header_unsafe(&post->headers[i])) return BH_EINVAL;
    return bh_url_parse(u, post->url, strlen(post->url));
}

BHDEF int bh_post_head(char *out, size_t cap, const bh_post *post)
{
    bh__outbuf o;
    bh_url u;
    int r = bh__post_head_check(post, &u);
    if (r != BH_OK) return r;
    o.buf = out;
    o.cap = out ? cap : 0;
    o.len = 0;
    bh__emit_head(&u, post, bh__outbuf_sink, &o);
    if (o.len > 0x7ffffffe) return BH_EINVAL;
    if (o.len < o.cap) out[o.len] = '\0';
    return (int)o.len;
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

BHDEF int bh_response_status(const char *p, size_t n)
{
    const char *eol = p ? (const char *)memchr(p, '\n', n) : NULL;
    if (!eol) return n >= 8 && memcmp(p, "HTTP/1.", 7) != 0 ? BH_ETRANSPORT
                                                            : BH_EINCOMPLETE;
    return bh__status_line(p, (size_t)(eol - p));
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

static int bh__flush(bh__sendbuf *b)
{
    if (!b->err && b->n) b->err = bh__send_all(b->fd, b->buf, b->n, b->deadline);
    b->n = 0;
    return b->err;
}

static void bh__sendbuf_sink(void *ctx, const char *p, size_t n)
{
    bh__put((bh__sendbuf *)ctx, p, n);
}

static int bh__send_request(int fd, const bh_url *u, const bh_post *post,
                            int64_t deadline)
{
    bh__sendbuf b;
    b.fd = fd;
    b.err = 0;
    b.deadline = deadline;
    b.n = 0;
    bh__emit_head(u, post, bh__sendbuf_sink, &b);
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
    r = bh__post_head_check(post, &u);
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

/* Pin libcurl to the checked addresses ai of u's host: "-host:port"
   drops an old pin, "host:port:a,b" sets the new one. Its own frame, so
   the entry is not on the stack while the host is resolved. */
BH__NOINLINE int bh__curl_pin_list(const bh_url *u, const struct addrinfo *ai,
                                   struct curl_slist **pins)
{
    char entry[320], num[8];
    size_t n = 0, k = bh__utoa(num, u->port);
    entry[n++] = '-';
    memcpy(entry + n, u->host, u->host_len);
    n += u->host_len;
    entry[n++] = ':';
    memcpy(entry + n, num, k);
    n += k;
    entry[n] = '\0';
    *pins = curl_slist_append(*pins, entry);
    entry[n++] = ':';
    for (; ai; ai = ai->ai_next)
        if (!bh__pin_address(entry + 1, sizeof entry - 1, &n, ai)) break;
    entry[n] = '\0'; /* over the last comma */
    *pins = curl_slist_append(*pins, entry + 1);
    return *pins ? BH_OK : BH_ETRANSPORT;
}

/* Resolve and check the host, then pin libcurl to the checked addresses. */
static int bh__curl_pin(const bh_url *u, struct curl_slist **pins)
{
    struct addrinfo *ai = NULL;
    int r = bh__resolve(u, &ai);
    if (r != BH_OK) return r;
    r = bh__any_internal(ai) ? BH_EFORBIDDEN : bh__curl_pin_list(u, ai, pins);
    freeaddrinfo(ai);
    return r;
}
#endif

/* The request headers as libcurl wants them: "Name: value" strings, which
   it copies; "Expect:" turns off its 100-continue round trip. Its own
   frame, apart from the resolver's. */
BH__NOINLINE struct curl_slist *bh__curl_headers(const bh_post *post)
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
    int r;
    if (!t || !t->curl) return BH_EINVAL;
    r = bh__post_head_check(post, &u);
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

static int bh__journal_append(void *ctx, const bh_store_batch *b)
{
    bh_journal *j = (bh_journal *)ctx;
    bh__frame_out f;
    bh_store_record r;
    size_t i, len = 0, sync = 0;
    for (i = 0; i < b->n; i++) {
        b->get(b, i, &r);
        if (r.id_len > 255 || r.webhook_id_len > 0xffff ||
            r.data_len > 0x3fffffff || r.head_len > r.data_len)
            return BH_EINVAL;
        len += bh__record_size(&r);
        if (len > 0x7fffffff) return BH_EINVAL; /* here: no 32-bit wrap */
        sync |= r.kind != BH_RECORD_STATE;
    }
    f.fd = j->tmp_fd >= 0 ? j->tmp_fd : j->fd;
    f.err = 0;
    f.crc = 0;
    f.n = 0;
    bh__fo_put(&f, "BHJ1", 4, 0);
    bh__fo_u32(&f, (uint32_t)len, 1);
    for (i = 0; i < b->n; i++) {
        b->get(b, i, &r);
        bh__fo_record(&f, &r);
    }
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
