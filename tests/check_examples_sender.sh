# The sender's examples against a real loopback server: a hand-written
# transport (examples/transport_custom.c) and the gateway, whose journal
# survives a crash after every write.
. tests/lib.sh
O=$B/check/examples-sender
rm -rf "$O"
mkdir -p "$O"
if ! have python3; then skip "examples-sender" "python3 not installed (the scripted server)"; exit 0; fi
for e in gateway transport_custom; do
    [ -x "$B/examples/$e" ] || { fail "examples/$e" "not built"; exit 0; }
done
SERVER_PID=
start_server() {
    local dir=$1 i
    shift
    mkdir -p "$dir"
    python3 tests/scripted_server.py "$dir/port" "$dir" "$@" &
    SERVER_PID=$!
    for i in $(seq 100); do [ -f "$dir/port" ] && break; sleep 0.05; done
    PORT=$(cat "$dir/port" 2>/dev/null)
}
stop_server() { [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null; wait "$SERVER_PID" 2>/dev/null; SERVER_PID=; }
trap stop_server EXIT
count() { grep -c "$2" "$1/requests.jsonl" 2>/dev/null || echo 0; }

start_server "$O/t" 503
out=$("$B/examples/transport_custom" "http://127.0.0.1:$PORT/in" secret 2>&1); rc=$?
if [ $rc = 0 ] && [ "$(count "$O/t" '"n"')" = 2 ] && [ "$(count "$O/t" X-Signature)" = 2 ]; then
    pass "examples/transport_custom"
else
    fail "examples/transport_custom" "exit $rc: $out"
fi
stop_server

readings='boiler-3 temperature 71.5
pump-1 pressure 2.1
valve-9 open true'
gateway_run() { # DIR JOURNAL [crash-after]
    printf 'wh1 http://127.0.0.1:%s/a s1\nwh2 http://127.0.0.1:%s/b s2\n' "$PORT" "$PORT" > "$1/conf"
    printf '%s\n' "$readings" | BLUEHOOK_TEST_CRASH_AFTER=${3:-} "$B/examples/gateway" "$1/conf" "$2" 2>/dev/null
}
all_delivered() { # DIR: every reading reached both webhooks with a 2xx
    python3 -c '
import json, sys
ok = set()
for line in open(sys.argv[1] + "/requests.jsonl"):
    r = json.loads(line)
    if r["n"] >= int(sys.argv[2]):
        for s in ("boiler-3", "pump-1", "valve-9"):
            if s in r["body"]: ok.add((s, r["path"]))
sys.exit(0 if len(ok) == 6 else 1)' "$1" "$2" 2>/dev/null
}

start_server "$O/g" 500 500
gateway_run "$O/g" "$O/g/journal"
rc=$?
[ $rc = 0 ] && all_delivered "$O/g" 2 && [ ! -s "$O/g/journal" ] \
    && pass "examples/gateway" || fail "examples/gateway" "exit $rc"
stop_server

settled() { # DIR: every (reading, webhook) the server saw was answered 2xx
    python3 -c '
import json, sys
seen, ok = set(), set()
for line in open(sys.argv[1] + "/requests.jsonl"):
    r = json.loads(line)
    key = (json.loads(r["body"])["currentValue"]["id"], r["path"])
    seen.add(key)
    if r["n"] >= 1: ok.add(key)
sys.exit(0 if seen and seen == ok else 1)' "$1" 2>/dev/null
}
walk=1
for n in 1 2 3 4 5 6 7; do
    start_server "$O/c$n" 500
    gateway_run "$O/c$n" "$O/c$n/journal" $n
    rc1=$?
    printf '' | "$B/examples/gateway" "$O/c$n/conf" "$O/c$n/journal" 2>/dev/null
    rc2=$?
    # a reading whose publish never reached the journal was never accepted
    # (the crash came first); every delivery that was journaled arrives:
    # each one the server saw got a 2xx in the end, and the journal is empty
    if [ $rc1 != 86 ] || [ $rc2 != 0 ] || [ -s "$O/c$n/journal" ] || ! settled "$O/c$n"; then
        walk=0
        fail "examples/gateway-crash-after-$n" "exits $rc1 then $rc2"
    fi
    stop_server
done
[ $walk = 1 ] && pass "examples/gateway-crash-at-every-journal-write"
