#!/usr/bin/env bash
# Loopback requests/s of `bluehook listen` against a node receiver
# (bench/node_receiver.mjs: http + createHmac + timingSafeEqual +
# JSON.parse), both driven by wrk with 1 and 2 connections, DURATION
# seconds each (10), RUNS rounds (3) interleaved: listen c1, node c1,
# ceiling c1, listen c2, ... (ceiling: listen refusing an unsigned POST
# with 401 at the header lookup, no HMAC and no JSON: the most this
# loopback, wrk and the scheduler allow). Each request is the real Blue delivery with its
# own record id, signed (2048 of them, in turn): every one is verified,
# parsed, checked and dispatched (listen's replay cache holds 256, so none
# is a duplicate), and listen prints its event line (to /dev/null). PIN=1
# runs the servers on CPU 1 and wrk on CPU 0 (taskset); by default the
# scheduler places them. Prints the medians and listen's ratio over node.
# Not a test: make bench runs it.
set -u
cd "$(dirname "$0")/.."
B=build
O=$B/bench-listen
RUNS=${RUNS:-3}
DURATION=${DURATION:-10}
SECRET=bench-listen-secret
mkdir -p "$O"
for tool in wrk node python3; do
    command -v $tool >/dev/null 2>&1 || { echo "bench_listen: $tool not installed (Debian: wrk, nodejs, python3)"; exit 0; }
done
[ -x $B/bluehook ] || { echo "bench_listen: build/bluehook is missing (make)"; exit 1; }
SERVER_CPU=""; CLIENT_CPU=""
if [ -n "${PIN:-}" ] && command -v taskset >/dev/null 2>&1 && [ "$(nproc)" -ge 2 ]; then
    SERVER_CPU="taskset -c 1"; CLIENT_CPU="taskset -c 0"
fi

python3 - "$SECRET" ../shared/blue/todo_created.min.json > "$O/deliveries.tsv" <<'PY'
import hmac, hashlib, sys
secret, path = sys.argv[1].encode(), sys.argv[2]
body = open(path, "rb").read()
old = b'"currentValue":{"id":"clb4zna6x0000vt1swuwso25f"'
assert old in body
for i in range(2048):
    b = body.replace(old, b'"currentValue":{"id":"clb4zna6x%014d"' % i)
    print(hmac.new(secret, b, hashlib.sha256).hexdigest() + "\t" + b.decode())
PY

PID=
start() { # listen | node: sets PORT. Its stdout is a FIFO read up to the
          # port; later lines then fail to write (EPIPE), as cheaply as
          # writing them to /dev/null.
    rm -f "$O/out"
    mkfifo "$O/out"
    if [ "$1" != node ]; then
        $SERVER_CPU $B/bluehook listen --port 0 --secret "$SECRET" > "$O/out" 2>/dev/null &
    else
        $SERVER_CPU node bench/node_receiver.mjs "$SECRET" > "$O/out" 2>/dev/null &
    fi
    PID=$!
    PORT=$(head -1 < "$O/out")
}
stop() { kill "$PID" 2>/dev/null; wait "$PID" 2>/dev/null; PID=; }
trap stop EXIT

run() { # SERVER CONNS: prints requests/s; "x" when any answer was not 2xx
    local out rps bad
    start "$1"
    if [ "$1" = ceiling ]; then
        out=$($CLIENT_CPU wrk -t1 -c"$2" -d"${DURATION}s" -s bench/wrk_unsigned.lua \
              "http://127.0.0.1:$PORT/hooks/blue" 2>&1)
        stop
        printf '%s\n' "$out" | awk '/^Requests\/sec:/ {print $2}'
        return
    fi
    out=$($CLIENT_CPU wrk -t1 -c"$2" -d"${DURATION}s" -s bench/wrk_post.lua \
          "http://127.0.0.1:$PORT/hooks/blue" -- "$O/deliveries.tsv" 2>&1)
    stop
    rps=$(printf '%s\n' "$out" | awk '/^Requests\/sec:/ {print $2}')
    bad=$(printf '%s\n' "$out" | awk '/Non-2xx/ {print $NF}')
    if [ -n "$bad" ] || [ -z "$rps" ]; then echo x; else echo "$rps"; fi
}

median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR]=$1} END {if (NR) print a[int((NR+1)/2)]; else print 0}'; }

echo "bluehook listen vs node http receiver: wrk, loopback, ${DURATION} s per run, $RUNS runs"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)"
declare -A R Q
for r in $(seq "$RUNS"); do
    for c in 1 2; do
        for s in listen node ceiling; do
            v=$(run $s $c)
            R[$s$c]="${R[$s$c]:-} $v"
        done
        Q[$c]="${Q[$c]:-} $(awk -v l="${R[listen$c]##* }" -v n="${R[node$c]##* }" 'BEGIN {if (n > 0 && l > 0) printf "%.3f", l / n; else print "x"}')"
    done
    echo "run $r: c1 listen ${R[listen1]##* } node ${R[node1]##* } (ceiling ${R[ceiling1]##* });" \
         "c2 listen ${R[listen2]##* } node ${R[node2]##* } (ceiling ${R[ceiling2]##* })"
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)"
for c in 1 2; do
    if printf '%s' "${R[listen$c]}${R[node$c]}" | grep -q x; then
        echo "connections $c: a server answered non-2xx (x above): no ratio"
        continue
    fi
    l=$(printf '%s' "${R[listen$c]}" | median)
    n=$(printf '%s' "${R[node$c]}" | median)
    q=$(printf '%s' "${Q[$c]}" | median)
    k=$(printf '%s' "${R[ceiling$c]}" | median)
    awk -v c="$c" -v l="$l" -v n="$n" -v q="$q" -v k="$k" 'BEGIN {
        printf "connections %d: listen %.0f req/s, node %.0f req/s (medians): %.2fx; median of the runs'"'"' ratios %.2fx; ceiling %.0f req/s (%.2fx node)\n",
               c, l, n, l / n, q, k, k / n}'
done
echo "ceiling: listen refusing an unsigned POST (401 at the header lookup, no HMAC,"
echo "no JSON): what loopback, wrk and the scheduler allow here, whatever the work"
echo "target: >= 4x node"
