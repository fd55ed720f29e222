# make demo end to end (demo/demo.c): built from an empty build directory,
# run twice in a row; every step it shows, the summary's counts, every
# process it started gone afterwards; and its failure paths (a receiver that
# cannot start, a receiver that never answers) stop what they started.
. tests/lib.sh
O=$B/check/demo
FRESH=$PWD/$O/build # absolute: it names this worktree's processes
rm -rf "$O"
mkdir -p "$O"

PUMP=cm3r2d8wq000hvt5c1j8ekp4m    # the record created, then replayed
PROJECT=cm3k8x2pq0001vt7h4ndz9rwe # every event's project
STAMP='20[0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9:]{8}Z'

# run LABEL CMD...: output in $O/LABEL.out, stderr in $O/LABEL.err, exit
# status in $rc, wall time in $ms.
run() {
    local label=$1 t0
    shift
    t0=$(date +%s%N)
    "$@" > "$O/$label.out" 2> "$O/$label.err"
    rc=$?
    ms=$((($(date +%s%N) - t0) / 1000000))
    cat "$O/$label.err" >> "$CLOG"
}

# has LABEL NAME ERE [COUNT]: the output has COUNT lines (default: at least
# one) matching ERE.
has() {
    local n
    n=$(grep -cE -- "$3" "$O/$1.out")
    if [ -n "${4:-}" ] && [ "$n" -ne "$4" ]; then
        fail "demo/$1/$2" "$n lines match /$3/, not $4"
    elif [ -z "${4:-}" ] && [ "$n" -lt 1 ]; then
        fail "demo/$1/$2" "no line matches /$3/"
    else
        pass "demo/$1/$2"
    fi
}

# gone LABEL: every pid the demo printed is no longer a process.
gone() {
    local pids pid left=""
    pids=$(sed -nE 's/^ +pid ([0-9]+),.*/\1/p' "$O/$1.out")
    if [ -z "$pids" ]; then
        fail "demo/$1/stopped" "no pid in the output"
        return
    fi
    for pid in $pids; do
        kill -0 "$pid" 2>/dev/null && left="$left $pid"
    done
    if have pgrep && pgrep -f "$FRESH/bluehook listen" >/dev/null; then
        left="$left (a $FRESH/bluehook listen)"
    fi
    if [ -n "$left" ]; then
        fail "demo/$1/stopped" "still running:$left"
    else
        pass "demo/$1/stopped"
    fi
}

# Everything a good run shows.
check_run() {
    local L=$1 ids
    if [ "$rc" -eq 0 ]; then pass "demo/$L/exit0"; else fail "demo/$L/exit0" "status $rc"; fi
    # each event verified and dispatched once: listen's own stdout lines
    has "$L" dispatched "^    listen  $STAMP (TODO|COMMENT)_[A-Z_]+ " 5
    for ev in TODO_CREATED TODO_MOVED TODO_CHECKLIST_ITEM_DONE_STATUS_UPDATED \
              COMMENT_CREATED TODO_DELETED; do
        has "$L" "dispatched-$ev" "^    listen  $STAMP $ev cm[0-9a-z]{23} .* $PROJECT\$" 1
    done
    # a comment has no title: listen shows its text
    has "$L" comment-text "^    listen  $STAMP COMMENT_CREATED cm[0-9a-z]{23} \"Seal replaced; no leak" 1
    has "$L" sender-rows "^    sender  -> ops-dashboard  #1  200 OK +verified, dispatched\$" 5
    # the tampered body: refused with 401
    has "$L" tampered-401 "^    sender  -> ops-dashboard +401 Unauthorized +refused\$" 1
    has "$L" tampered-listen "^    listen  $STAMP 401 unauthorized: no signature matches\$" 1
    # the replay: 200, and the record created is dispatched once only
    has "$L" replay-200 "^    sender  -> ops-dashboard +200 OK +duplicate, not dispatched\$" 1
    has "$L" replay-listen "^    listen  $STAMP 200 duplicate: .*\(TODO_CREATED\)\$" 1
    has "$L" replay-once "^    listen  $STAMP TODO_CREATED $PUMP " 1
    # the flaky pager: 503, 503, then 200, one delivery id throughout
    has "$L" pager-1 "^    sender  -> pager +#1  503 Service Unavailable +will retry\$" 1
    has "$L" pager-2 "^    sender  -> pager +#2  503 Service Unavailable +backoff [0-9]+ ms; will retry\$" 1
    has "$L" pager-3 "^    sender  -> pager +#3  200 OK +backoff [0-9]+ ms; recovered\$" 1
    if [ "$(grep -E '^    (sender  -> pager|pager )' "$O/$L.out" |
            sed -nE 's/^    sender  -> pager +(#[0-9]) +([0-9]+) .*/\1 \2/p; s/.* -> ([0-9]+)$/\1/p' |
            tr '\n' ' ')" = "#1 503 503 #2 503 503 #3 200 200 " ]; then
        pass "demo/$L/pager-order"
    else
        fail "demo/$L/pager-order" "the pager's attempts are not 503, 503, 200 in order"
    fi
    ids=$(sed -nE 's/^    pager   POST \/pager .* X-Bluehook-Delivery (msg_[0-9a-f]+)\.\.\. +signature ok -> [0-9]+$/\1/p' "$O/$L.out" | sort -u)
    if [ -n "$ids" ] && [ "$(printf '%s\n' "$ids" | wc -l)" -eq 1 ]; then
        pass "demo/$L/pager-one-id"
    else
        fail "demo/$L/pager-one-id" "delivery ids: $(echo $ids)"
    fi
    # the record filter: answered 200, not dispatched
    has "$L" filtered "^    sender  -> ops-dashboard  #1  200 OK +filtered, not dispatched\$" 1
    has "$L" filtered-listen "^    listen  $STAMP 200 filtered: filter does not hold: !\(/todoTags/\*/title == \"confidential\"\) \(TODO_CREATED\)\$" 1
    # the summary, and listen's own count as it stopped
    has "$L" listen-count "^    listen  bluehook: stopped: 5 events, 1 refused\$" 1
    has "$L" sum-deliveries "^  deliveries +9  7 published, 2 sent again by hand\$" 1
    has "$L" sum-attempts "^  attempts +11  2 of them retries\$" 1
    has "$L" sum-statuses "^  statuses +8 x 200, 1 x 401, 2 x 503\$" 1
    has "$L" sum-dispatched "^  dispatched +5  " 1
    has "$L" sum-refused "^  refused +1  " 1
    has "$L" sum-duplicates "^  duplicates +1  " 1
    has "$L" sum-filtered "^  filtered +1  " 1
    has "$L" sum-stopped "^  stopped: bluehook listen \(pid [0-9]+, exit 0\), pager \(pid [0-9]+, SIGTERM\); [0-9.]+ s\$" 1
    # not a terminal: no colour
    if grep -q $'\033' "$O/$L.out"; then
        fail "demo/$L/no-colour" "escape sequences in piped output"
    else
        pass "demo/$L/no-colour"
    fi
    gone "$L"
}

# 1. from an empty build directory: make builds bluehook and the demo
run fresh make --no-print-directory B="$FRESH" demo
check_run fresh
# 2. again at once, built already: the same, and in a generous time
run again make --no-print-directory B="$FRESH" demo
check_run again
if [ "$ms" -lt 30000 ]; then pass "demo/again/within-30s"; else fail "demo/again/within-30s" "$ms ms"; fi

# 3. a receiver that cannot start: exit 1, and the pager started first is
#    stopped too
run no-listen "$FRESH/demo" "$O/no-such-bluehook"
if [ "$rc" -eq 1 ] && grep -q 'did not start' "$O/no-listen.err"; then
    pass "demo/no-listen/exit1"
else
    fail "demo/no-listen/exit1" "status $rc"
fi
gone no-listen

# 4. a receiver that prints a port and never answers: the demo stops at the
#    first step that goes wrong, exit 1, both processes stopped
printf '#!/bin/sh\necho 1\nexec sleep 60\n' > "$O/mute-bluehook"
chmod +x "$O/mute-bluehook"
run mute "$FRESH/demo" "$O/mute-bluehook"
if [ "$rc" -eq 1 ] && grep -q 'FAILED' "$O/mute.err" && [ "$ms" -lt 30000 ]; then
    pass "demo/mute/exit1"
else
    fail "demo/mute/exit1" "status $rc after $ms ms"
fi
gone mute

# under ASan and UBSan, the same story
ASANF="-O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"
if gcc $WARN $ASANF -o "$O/demo-asan" demo/demo.c 2>>"$CLOG"; then
    run asan "$O/demo-asan" "$FRESH/bluehook"
    if [ "$rc" -eq 0 ] && grep -qE '^  dispatched +5  ' "$O/asan.out"; then
        pass "demo/asan"
    else
        fail "demo/asan" "status $rc: $(grep -m1 -E 'ERROR|runtime error|FAILED' "$O/asan.err")"
    fi
    gone asan
else
    fail "demo/asan" "demo/demo.c did not build with ASan"
fi

# the demo is copied by users: it builds clean with clang too
if have clang; then
    try "demo/clang" clang $WARN -O2 -o "$O/demo-clang" demo/demo.c
else
    skip "demo/clang" "clang not installed"
fi
