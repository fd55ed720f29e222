# Several receivers, one replay store: examples/replay_redis twice (and a
# third whose handler fails) on one redis-server (a unix socket in a temp
# directory, no TCP, nothing saved). The same signed Blue delivery sent to
# both, one after the other and concurrently, is dispatched exactly once;
# a failed handler releases the id, so the retry is handled; reserve takes
# a 30 s lease and commit keeps "done" for 24 h; a "pending" key left by
# a dead replica answers 409 until it expires; with Redis down the answer
# is 503 with Retry-After, and after a restart the receivers reconnect.
. tests/lib.sh
O=$B/check/fleet
mkdir -p "$O"
EX=$B/examples/replay_redis
SECRET=fleet-secret

for tool in redis-server redis-cli curl python3; do
    if ! have $tool; then skip "fleet" "$tool not installed (install redis-server, curl, python3)"; exit 0; fi
done
if ! pkg-config --exists hiredis 2>/dev/null; then
    skip "fleet" "hiredis not found (install libhiredis-dev)"; exit 0
fi
if [ ! -x "$EX" ] || [ ! -x $B/bluehook ]; then
    fail "fleet" "build/examples/replay_redis or build/bluehook was not built"; exit 0
fi
if have clang; then
    try "fleet/replay_redis-clang" clang $WARN -O2 $(pkg-config --cflags hiredis) \
        -o "$O/replay_redis-clang" examples/replay_redis.c $(pkg-config --libs hiredis)
fi

T=$(mktemp -d "${TMPDIR:-/tmp}/bh-fleet.XXXXXX")
SOCK=$T/redis.sock
PIDS=()
cleanup() {
    local p
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
    for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null; done
    rm -rf "$T"
}
trap cleanup EXIT

RPID=
start_redis() {
    redis-server --port 0 --unixsocket "$SOCK" --unixsocketperm 700 --dir "$T" \
        --save '' --appendonly no >>"$T/redis.log" 2>&1 &
    RPID=$!
    PIDS+=("$RPID")
    local i
    for i in $(seq 50); do
        [ "$(redis-cli -s "$SOCK" ping 2>/dev/null)" = PONG ] && return 0
        sleep 0.1
    done
    return 1
}
stop_redis() { kill "$RPID" 2>/dev/null; wait "$RPID" 2>/dev/null; }
rcli() { redis-cli -s "$SOCK" "$@"; }

# start NAME [VAR=VALUE...]: a receiver on a free port; its port in PORT_NAME
start() {
    local name=$1 i port=""
    shift
    env BLUEHOOK_SECRET=$SECRET "$@" "$EX" 0 "$SOCK" >"$T/$name.out" 2>"$T/$name.err" &
    PIDS+=("$!")
    for i in $(seq 50); do
        port=$(head -1 "$T/$name.out" 2>/dev/null)
        [ -n "$port" ] && break
        sleep 0.1
    done
    eval "PORT_$name=\$port"
    [ -n "$port" ]
}

# body N: a Blue delivery for record rN, in $T/rN.json; sig N: its header
body() { printf '{"event":"TODO_CREATED","webhook":{},"currentValue":{"id":"r%s"}}' "$1" > "$T/r$1.json"; }
sig() { $B/bluehook sign --scheme blue --secret "$SECRET" "$T/r$1.json"; }
# post PORT N [CURL ARGS]: send delivery N, print the status
post() {
    local port=$1 n=$2
    shift 2
    curl -s --max-time 10 -o /dev/null -w '%{http_code}\n' "$@" -H "$(sig "$n")" \
        -H 'Content-Type: application/json' --data-binary @"$T/r$n.json" \
        "http://127.0.0.1:$port/"
}
# dispatched N: how many receivers' lines say record rN was handled
dispatched() { cat "$T"/*.out | grep -c "^TODO_CREATED r$1\$"; }
# key N: the Redis key of delivery N (the replay id of a Blue delivery:
# SHA-256 of 0x80 and the MAC, first 16 bytes)
key() {
    python3 -c 'import hashlib,sys; print("bh:" + hashlib.sha256(b"\x80" + bytes.fromhex(sys.argv[1])).hexdigest()[:32])' \
        "$(sig "$1" | sed 's/^X-Signature: //')"
}

if ! start_redis; then fail "fleet" "redis-server did not start ($(tail -1 "$T/redis.log"))"; exit 0; fi
rcli monitor > "$T/monitor.log" 2>/dev/null &
PIDS+=("$!")
if ! start A || ! start B || ! start C REPLAY_REDIS_FAIL=1; then
    fail "fleet" "replay_redis did not start ($(cat "$T"/*.err | head -1))"; exit 0
fi

# one after the other: A handles it, B and A again answer 200 (duplicate)
body 1
got="$(post "$PORT_A" 1) $(post "$PORT_B" 1) $(post "$PORT_A" 1) $(post "$PORT_B" 1)"
n=$(dispatched 1)
if [ "$got" = "200 200 200 200" ] && [ "$n" = 1 ] && [ "$(rcli get "$(key 1)")" = done ]; then
    pass "fleet/sequential-once"
else
    fail "fleet/sequential-once" "statuses $got, dispatched $n times"
fi

# concurrently: 12 copies to each receiver at once; 200 or 409, one dispatch
body 2
CURLS=()
for i in $(seq 12); do
    post "$PORT_A" 2 > "$T/a$i.status" &
    CURLS+=("$!")
    post "$PORT_B" 2 > "$T/b$i.status" &
    CURLS+=("$!")
done
wait "${CURLS[@]}"
statuses=$(cat "$T"/[ab]*.status | sort | uniq -c | awk '{printf " %s x %s", $1, $2}')
n=$(dispatched 2)
if [ "$n" = 1 ] && ! cat "$T"/[ab]*.status | grep -qvE '^(200|409)$' &&
    [ "$(cat "$T"/[ab]*.status | wc -l)" = 24 ]; then
    pass "fleet/concurrent-once"
    echo "# fleet: 24 concurrent copies answered$(cat "$T"/[ab]*.status | sort | uniq -c | awk '{printf " %s x %s", $1, $2}')"
else
    fail "fleet/concurrent-once" "dispatched $n times; statuses:$statuses"
fi

# a failed handler releases the id: the retry, on another replica, is handled
body 3
s1=$(post "$PORT_C" 3)
left=$(rcli exists "$(key 3)")
s2=$(post "$PORT_A" 3)
s3=$(post "$PORT_C" 3)
if [ "$s1 $left $s2 $s3" = "503 0 200 200" ] && grep -qx "TODO_CREATED r3 failed" "$T/C.out" &&
    [ "$(dispatched 3)" = 1 ]; then
    pass "fleet/failure-releases"
else
    fail "fleet/failure-releases" "statuses $s1 $s2 $s3, key left: $left, handled $(dispatched 3) times"
fi

# the lease: this replica's "pending:<owner>" for 30 s, then done for 24 h
k=$(key 2)
if grep -q "\"SET\" \"$k\" \"pending:[0-9.]*\" \"NX\" \"PX\" \"30000\"" "$T/monitor.log" &&
    grep -q "\"SET\" \"$k\" \"done\" \"PX\" \"86400000\"" "$T/monitor.log" &&
    [ "$(rcli pttl "$k")" -gt 86000000 ]; then
    pass "fleet/lease-then-window"
else
    fail "fleet/lease-then-window" "no SET pending:<owner> PX 30000 then done PX 86400000 for $k"
fi

# a replica that died mid-handling left "pending": 409 until it expires
body 4
rcli set "$(key 4)" pending PX 1500 >/dev/null
s1=$(post "$PORT_A" 4)
n1=$(dispatched 4)
sleep 1.6
s2=$(post "$PORT_B" 4)
if [ "$s1 $n1 $s2 $(dispatched 4)" = "409 0 200 1" ]; then
    pass "fleet/dead-replica-lease"
else
    fail "fleet/dead-replica-lease" "statuses $s1 $s2, handled $(dispatched 4) times"
fi

# Redis down: 503 with Retry-After, nothing dispatched
stop_redis
body 5
s1=$(post "$PORT_A" 5)
s2=$(post "$PORT_B" 5)
head=$(curl -s --max-time 10 -D - -o /dev/null -H "$(sig 5)" -H 'Content-Type: application/json' \
    --data-binary @"$T/r5.json" "http://127.0.0.1:$PORT_A/")
if [ "$s1 $s2 $(dispatched 5)" = "503 503 0" ] && printf '%s' "$head" | grep -qi '^Retry-After: 1'; then
    pass "fleet/redis-down-503"
else
    fail "fleet/redis-down-503" "statuses $s1 $s2, handled $(dispatched 5) times"
fi

# Redis back (empty): the receivers reconnect on their next request
if start_redis; then
    s1=$(post "$PORT_A" 5)
    s2=$(post "$PORT_B" 5)
    if [ "$s1 $s2 $(dispatched 5)" = "200 200 1" ]; then
        pass "fleet/reconnect"
    else
        fail "fleet/reconnect" "statuses $s1 $s2, handled $(dispatched 5) times"
    fi
else
    fail "fleet/reconnect" "redis-server did not restart"
fi

# every process started here is stopped by its PID
cleanup
trap - EXIT
alive=""
for p in "${PIDS[@]}"; do kill -0 "$p" 2>/dev/null && alive="$alive $p"; done
if [ -z "$alive" ]; then pass "fleet/stopped"; else fail "fleet/stopped" "still running:$alive"; fi
