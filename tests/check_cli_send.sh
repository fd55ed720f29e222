# bluehook send against a real loopback server that fails in scripted ways
# (tests/scripted_server.py): attempts, retries, timeouts, the journal, and
# a crash at every journal write and at a random moment.
. tests/lib.sh
BIN=$B/bluehook
O=$B/check/send
rm -rf "$O"
mkdir -p "$O"
if [ ! -x "$BIN" ]; then fail "cli-send" "build/bluehook was not built"; exit 0; fi
if ! have python3; then skip "cli-send" "python3 not installed (the scripted server)"; exit 0; fi

SERVER_PID=
start_server() { # DIR ANSWER...: a fresh server logging into DIR; sets PORT
    local dir=$1 i
    shift
    mkdir -p "$dir"
    rm -f "$dir/port" "$dir/requests.jsonl"
    python3 tests/scripted_server.py "$dir/port" "$dir" "$@" &
    SERVER_PID=$!
    for i in $(seq 100); do [ -f "$dir/port" ] && break; sleep 0.05; done
    PORT=$(cat "$dir/port" 2>/dev/null)
}
stop_server() { [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null; wait "$SERVER_PID" 2>/dev/null; SERVER_PID=; }
trap stop_server EXIT

# requests DIR [FIELD]: one line per request: its X-Signature, or a field
requests() { python3 -c '
import json, sys
for line in open(sys.argv[1] + "/requests.jsonl"):
    r = json.loads(line)
    print(r["headers"].get(sys.argv[2], "") if sys.argv[2] != "body" else r["body"])
' "$1" "${2:-X-Signature}" 2>/dev/null; }

printf '{"id":"rec-A","title":"Alpha \\u00e9"}' > "$O/a.json"
printf '{"id":"rec-B","title":"Beta"}' > "$O/b.json"
SECRET=cli-send-secret
send() { "$BIN" send --secret "$SECRET" --event TODO_CREATED --project p1 --backoff-ms 20 "$@"; }

# 1. failures, then success: every attempt the same body and signature
start_server "$O/s1" 500 reset 302 200
out=$(send --url "http://127.0.0.1:$PORT/hook" "$O/a.json" 2>&1); rc=$?
n=$(printf '%s\n' "$out" | grep -c ' attempt ')
sigs=$(requests "$O/s1" | sort -u | wc -l)
if [ $rc = 0 ] && [ "$n" = 4 ] && [ "$(requests "$O/s1" | wc -l)" = 4 ] && [ "$sigs" = 1 ]; then
    pass "cli-send/retries-until-2xx"
else
    fail "cli-send/retries-until-2xx" "exit $rc, $n attempts, $sigs signatures: $out"
fi
printf '%s\n' "$out" | grep -q 'attempt 2: connection reset' && printf '%s\n' "$out" | grep -q 'attempt 3: HTTP 302' \
    && pass "cli-send/attempts-printed" || fail "cli-send/attempts-printed" "$out"
body=$(requests "$O/s1" body | head -1)
if printf '%s' "$body" > "$O/body1" && "$BIN" verify --scheme blue --secret "$SECRET" \
    --header "X-Signature: $(requests "$O/s1" | head -1)" "$O/body1" >/dev/null 2>&1; then
    pass "cli-send/signature-verifies"
else
    fail "cli-send/signature-verifies" "bluehook verify refused the body sent"
fi
grep -q "$SECRET" "$O/s1/requests.jsonl" && fail "cli-send/secret-never-sent" "the secret is in a request" \
    || pass "cli-send/secret-never-sent"
grep -q '"secret\\": \\"\\"' "$O/s1/requests.jsonl" || grep -q '\\"secret\\":\\"\\"' "$O/s1/requests.jsonl" \
    && pass "cli-send/blue-payload" || fail "cli-send/blue-payload" "no blanked secret in the webhook object"
stop_server

# 2. attempts exhausted
start_server "$O/s2" 500 500 500 500
out=$(send --url "http://127.0.0.1:$PORT/hook" --attempts 3 "$O/a.json" 2>&1); rc=$?
if [ $rc = 1 ] && [ "$(requests "$O/s2" | wc -l)" = 3 ] && printf '%s\n' "$out" | grep -q 'not delivered after 3 attempts: HTTP 500'; then
    pass "cli-send/exhausted-exit-1"
else
    fail "cli-send/exhausted-exit-1" "exit $rc: $out"
fi
stop_server

# 3. a timeout, then success
start_server "$O/s3" silent 200
out=$(send --url "http://127.0.0.1:$PORT/hook" --timeout-ms 300 "$O/a.json" 2>&1); rc=$?
if [ $rc = 0 ] && printf '%s\n' "$out" | grep -q 'attempt 1: timed out'; then
    pass "cli-send/timeout-then-2xx"
else
    fail "cli-send/timeout-then-2xx" "exit $rc: $out"
fi
stop_server

# 4. nobody listening
out=$(send --url "http://127.0.0.1:1/hook" --attempts 2 "$O/a.json" 2>&1); rc=$?
[ $rc = 1 ] && printf '%s\n' "$out" | grep -q 'connection refused' \
    && pass "cli-send/connection-refused" || fail "cli-send/connection-refused" "exit $rc: $out"

# 5. usage errors
for bad in "--url ftp://x/ --secret s --event E" "--secret s --event E" "--url http://x/ --event E" \
           "--url http://x/ --secret s"; do
    "$BIN" send $bad "$O/a.json" >/dev/null 2>&1
    rc=$?
    [ $rc = 2 ] || { fail "cli-send/usage" "'$bad' exit $rc"; continue; }
done
printf '{"id":' > "$O/bad.json"
"$BIN" send --url http://127.0.0.1:1/ --secret s --event E "$O/bad.json" >/dev/null 2>&1
[ $? = 2 ] && pass "cli-send/usage-and-bad-json" || fail "cli-send/usage-and-bad-json" "invalid JSON record not refused"

# 6. a crash after every journal write, then a restart with another event:
#    both events arrive, and the receiver's dedupe (by X-Signature) sees each
#    body once
delivered() { # DIR RECORD-ID SKIP: was a body holding it answered 2xx
              # (the first SKIP requests were not)?
    python3 -c '
import json, sys
ok = 0
for line in open(sys.argv[1] + "/requests.jsonl"):
    r = json.loads(line)
    ok += r["n"] >= int(sys.argv[3]) and sys.argv[2] in r["body"]
sys.exit(0 if ok else 1)' "$1" "$2" "$3" 2>/dev/null
}
distinct_2xx() { # DIR SKIP: distinct X-Signatures among 2xx answers
    python3 -c '
import json, sys
print(len({json.loads(l)["headers"].get("X-Signature") for l in open(sys.argv[1] + "/requests.jsonl")
           if json.loads(l)["n"] >= int(sys.argv[2])}))' "$1" "$2" 2>/dev/null
}
walk_ok=1
for n in 1 2 3; do
    J="$O/journal-$n"
    rm -f "$J"
    start_server "$O/c$n" 500
    BLUEHOOK_TEST_CRASH_AFTER=$n send --url "http://127.0.0.1:$PORT/hook" --journal "$J" "$O/a.json" >/dev/null 2>&1
    rc1=$?
    send --url "http://127.0.0.1:$PORT/hook" --journal "$J" "$O/b.json" >/dev/null 2>&1
    rc2=$?
    if [ $rc1 != 86 ] || [ $rc2 != 0 ] || ! delivered "$O/c$n" rec-A 1 ||
       ! delivered "$O/c$n" rec-B 1 || [ "$(distinct_2xx "$O/c$n" 1)" != 2 ]; then
        walk_ok=0
        fail "cli-send/crash-after-write-$n" "first exit $rc1, second $rc2"
    fi
    stop_server
done
[ $walk_ok = 1 ] && pass "cli-send/crash-at-every-journal-write"

# 7. kill -9 at a random moment while the receiver is silent, then restart
J="$O/journal-kill"
rm -f "$J"
start_server "$O/k" silent 200 200
send --url "http://127.0.0.1:$PORT/hook" --journal "$J" --timeout-ms 2000 "$O/a.json" >/dev/null 2>&1 &
SPID=$!
sleep 0.$((RANDOM % 9 + 1))
kill -9 $SPID 2>/dev/null
wait $SPID 2>/dev/null
send --url "http://127.0.0.1:$PORT/hook" --journal "$J" "$O/b.json" >/dev/null 2>&1
rc=$?
if [ $rc = 0 ] && delivered "$O/k" rec-A 1 && delivered "$O/k" rec-B 1 &&
   [ "$(distinct_2xx "$O/k" 1)" = 2 ]; then
    pass "cli-send/kill-9-and-restart"
else
    fail "cli-send/kill-9-and-restart" "exit $rc after the restart"
fi
stop_server
