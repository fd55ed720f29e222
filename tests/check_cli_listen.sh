# bluehook listen, as a user runs it, with curl: the port printed first,
# the event line and --json lines, refusals logged with their reason,
# --filter, key rotation, secrets from a file and the environment, the
# other schemes' event names, --forward signed again for the target (and
# a failed forward answered 502), SIGINT, usage errors. (The protocol
# cases are in check_receiver.sh.)
. tests/lib.sh
BIN=$B/bluehook
O=$B/check/listen
rm -rf "$O"
mkdir -p "$O"
if [ ! -x "$BIN" ]; then fail "cli-listen" "build/bluehook was not built"; exit 0; fi
if ! have curl; then skip "cli-listen" "curl not installed"; exit 0; fi
if ! have python3; then skip "cli-listen" "python3 not installed (reads the JSON lines)"; exit 0; fi
BODY=../shared/blue/todo_created.min.json

PIDS=""
start() { # NAME ARGS...: a listen in the background; sets PORT
    local name=$1 i
    shift
    "$BIN" listen --port 0 "$@" > "$O/$name.out" 2> "$O/$name.err" &
    PIDS="$PIDS $!"
    eval "PID_$name=$!"
    for i in $(seq 100); do [ -s "$O/$name.out" ] && break; sleep 0.05; done
    PORT=$(head -1 "$O/$name.out")
    eval "PORT_$name=$PORT"
}
stop() { # NAME [SIGNAL]: stop it by PID; sets RC
    local pid
    eval "pid=\$PID_$1"
    kill -"${2:-TERM}" "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    RC=$?
}
cleanup() { for p in $PIDS; do kill "$p" 2>/dev/null; done; }
trap cleanup EXIT

post() { # PORT SECRET-OR-- FILE [SCHEME [HEADER]]: prints the HTTP status
    local port=$1 secret=$2 file=$3 scheme=${4:-blue} extra=${5:-} sig=()
    if [ "$secret" != - ]; then
        while IFS= read -r line; do sig+=(-H "$line"); done < <("$BIN" sign --scheme "$scheme" --secret "$secret" --id msg_cli_1 "$file")
    fi
    [ -n "$extra" ] && sig+=(-H "$extra")
    curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' "${sig[@]}" \
        --data-binary @"$file" "http://127.0.0.1:$port/hook"
}

# 1. the port first, then one line per event: time, event, record, title, project
start a --secret k-new --secret k-old
if printf '%s' "$PORT" | grep -qE '^[0-9]+$' && [ "$PORT" -gt 0 ]; then pass "cli-listen/port-printed-first"
else fail "cli-listen/port-printed-first" "first line '$PORT'"; fi
s1=$(post "$PORT" k-old "$BODY")   # the old secret still verifies (rotation)
s2=$(post "$PORT" k-old "$BODY")   # the same delivery again: a duplicate
s3=$(post "$PORT" wrong "$BODY")
s4=$(post "$PORT" - "$BODY")
printf 'not json' > "$O/bad.json"
s5=$(post "$PORT" k-new "$O/bad.json")
line=$(sed -n 2p "$O/a.out")
if [ "$s1 $s2 $s3 $s4 $s5" = "200 200 401 401 400" ] && [ "$(wc -l < "$O/a.out")" = 2 ] &&
   printf '%s\n' "$line" | grep -qE '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z TODO_CREATED clb4zna6x0000vt1swuwso25f "GGGG" clakt90vu000bvt64hhffqleq$'; then
    pass "cli-listen/event-line-and-statuses"
else
    fail "cli-listen/event-line-and-statuses" "statuses $s1 $s2 $s3 $s4 $s5; line '$line'"
fi
stop a INT
if [ $RC = 0 ] && grep -q '200 duplicate: duplicate delivery' "$O/a.err" &&
   grep -q '401 unauthorized: no signature matches' "$O/a.err" &&
   grep -q '401 unauthorized: signature header missing' "$O/a.err" &&
   grep -q '400 not-json: .* at byte 0' "$O/a.err" && grep -q 'stopped: 1 events, 3 refused' "$O/a.err"; then
    pass "cli-listen/refusals-logged-and-sigint"
else
    fail "cli-listen/refusals-logged-and-sigint" "exit $RC: $(tr '\n' '|' < "$O/a.err")"
fi

# 2. --json: one JSON document a line, the payload as sent
BLUEHOOK_SECRET=env-secret start j --json
s=$(post "$PORT" env-secret "$BODY")
sed -n 2p "$O/j.out" > "$O/j.line"
got=$(python3 -c '
import json, sys
d = json.loads(open(sys.argv[1]).read())
print(d["event"], d["record"], d["title"], d["project"], d["key"], d["payload"]["currentValue"]["id"])' "$O/j.line" 2>&1)
if [ "$s" = 200 ] && [ "$got" = "TODO_CREATED clb4zna6x0000vt1swuwso25f GGGG clakt90vu000bvt64hhffqleq 0 clb4zna6x0000vt1swuwso25f" ]; then
    pass "cli-listen/json-lines-and-env-secret"
else
    fail "cli-listen/json-lines-and-env-secret" "status $s: $got"
fi
stop j

# 3. --filter: a delivery it refuses is answered 200 and logged, not printed
printf 'k-file\n' > "$O/secret"
start f --secret-file "$O/secret" --filter '/todoList/id == "clakt9v5t000kvt64f563l90l" && /done == true'
s=$(post "$PORT" k-file "$BODY")
stop f
if [ "$s" = 200 ] && [ "$(wc -l < "$O/f.out")" = 1 ] &&
   grep -q '200 filtered: filter does not hold: /done == true (TODO_CREATED)' "$O/f.err"; then
    pass "cli-listen/filter-and-secret-file"
else
    fail "cli-listen/filter-and-secret-file" "status $s: $(tr '\n' '|' < "$O/f.err")"
fi

# 4. other schemes: the event name from /type, or from X-GitHub-Event
printf '{"id":"evt_1","type":"invoice.paid"}' > "$O/stripe.json"
start s --scheme stripe --secret whsec_cli
st=$(post "$PORT" whsec_cli "$O/stripe.json" stripe)
stop s
start g --scheme github --secret gh-cli
sg=$(post "$PORT" gh-cli "$O/stripe.json" github "X-GitHub-Event: ping")
stop g
if [ "$st $sg" = "200 200" ] && sed -n 2p "$O/s.out" | grep -q ' invoice.paid - - -$' &&
   sed -n 2p "$O/g.out" | grep -q ' ping - - -$'; then
    pass "cli-listen/stripe-and-github-event-names"
else
    fail "cli-listen/stripe-and-github-event-names" "$st $sg: $(sed -n 2p "$O/s.out") / $(sed -n 2p "$O/g.out")"
fi

# 5. --forward: the body passes on, signed again for the target's secret
start t --secret k-target
start fw --secret k-front --forward "http://127.0.0.1:$PORT_t/in" --forward-secret k-target
s=$(post "$PORT_fw" k-front "$BODY")
sleep 0.1
if [ "$s" = 200 ] && sed -n 2p "$O/t.out" | grep -q ' TODO_CREATED clb4zna6x0000vt1swuwso25f ' &&
   sed -n 2p "$O/fw.out" | grep -q ' TODO_CREATED '; then
    pass "cli-listen/forward-signed-again"
else
    fail "cli-listen/forward-signed-again" "status $s; target: $(tr '\n' '|' < "$O/t.out") $(tr '\n' '|' < "$O/t.err")"
fi
stop t
# the target is gone: 502, and the sender's retry is not taken for a duplicate
printf '{"event":"TODO_MOVED","webhook":{},"currentValue":{"id":"r-fw"}}' > "$O/moved.json"
s1=$(post "$PORT_fw" k-front "$O/moved.json")
s2=$(post "$PORT_fw" k-front "$O/moved.json")
stop fw
n=$(grep -c '502 failed: handler failed' "$O/fw.err")
if [ "$s1 $s2" = "502 502" ] && [ "$n" = 2 ] && grep -q 'forward to .*: connection refused' "$O/fw.err"; then
    pass "cli-listen/forward-failure-502-and-retried"
else
    fail "cli-listen/forward-failure-502-and-retried" "$s1 $s2, $n logged: $(tr '\n' '|' < "$O/fw.err")"
fi

# 6. usage and setup errors
"$BIN" listen --secret x >/dev/null 2>&1; r1=$?
"$BIN" listen --port 0 >/dev/null 2>&1; r2=$?
"$BIN" listen --port 70000 --secret x >/dev/null 2>&1; r3=$?
"$BIN" listen --port 0 --secret x --scheme nope >/dev/null 2>&1; r4=$?
"$BIN" listen --port 0 --secret x --filter '/a ==' >/dev/null 2>&1; r5=$?
"$BIN" listen --port 0 --secret x --bind not-an-address >/dev/null 2>&1; r6=$?
"$BIN" listen --port 0 --secret x --forward ftp://x/ >/dev/null 2>&1; r7=$?
start busy --secret x
"$BIN" listen --port "$PORT" --secret x >/dev/null 2>&1; r8=$?
stop busy
if [ "$r1 $r2 $r3 $r4 $r5 $r6 $r7 $r8" = "2 2 2 2 2 1 2 1" ]; then pass "cli-listen/usage-errors"
else fail "cli-listen/usage-errors" "exits $r1 $r2 $r3 $r4 $r5 $r6 $r7 $r8"; fi
