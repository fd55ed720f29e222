#!/usr/bin/env bash
# tests/run.sh: every test, from one entry point (make test).
#
# Each test program or check script prints one line per case:
#   PASS name | FAIL name: why | SKIP name: why
# This script builds them, runs them, and ends with "N passed, N failed".
# A skip is never a pass; under CI=true a skip counts as a failure.
set -u
cd "$(dirname "$0")/.."
B=build
LOG=$B/test.log
RESULTS=$B/test-results.txt
mkdir -p "$B"
: > "$LOG"
: > "$RESULTS"
export JOBS=${JOBS:-2}

# Pass result lines through: show them, keep them; everything else goes to
# the log, except "# " notes, which are shown too.
record() {
    local line
    while IFS= read -r line; do
        case "$line" in
        PASS\ * | FAIL\ *) ;;
        SKIP\ *)
            if [ "${CI:-}" = true ]; then
                line="FAIL ${line#SKIP } [a skip is a failure under CI=true]"
            fi ;;
        "# "*) echo "$line"; echo "$line" >> "$LOG"; continue ;;
        *) echo "$line" >> "$LOG"; continue ;;
        esac
        echo "$line"
        echo "$line" >> "$RESULTS"
    done
}

# run_prog LABEL PROGRAM [ARGS]: run a test program, prefix its case names
# with LABEL, and turn a crash or a silent non-zero exit into a failure.
run_prog() {
    local label=$1 out rc
    shift
    out=$(timeout 900 "$@" 2>>"$LOG")
    rc=$?
    printf '%s\n' "$out" | sed -E "s/^(PASS|FAIL|SKIP) /\1 $label/"
    if [ $rc -ne 0 ] && ! printf '%s\n' "$out" | grep -q '^FAIL '; then
        echo "FAIL $label$(basename "$1"): exited with status $rc"
    fi
}

echo "# building (log: $LOG)"
make -k -j"$JOBS" all units units-asan >>"$LOG" 2>&1

for src in tests/unit_*.c; do
    name=$(basename "$src" .c)
    for cfg in t asan; do
        label=""
        [ $cfg = asan ] && label="asan:"
        if ! make -q "$B/$cfg/$name" 2>/dev/null; then
            echo "FAIL $label$name: did not build (see $LOG)"
        else
            run_prog "$label" "$B/$cfg/$name"
        fi
    done
done 2>&1 | record

for check in tests/check_*.sh; do
    out=$(bash "$check" 2>>"$LOG")
    rc=$?
    printf '%s\n' "$out"
    if [ $rc -ne 0 ] && ! printf '%s\n' "$out" | grep -q '^FAIL '; then
        echo "FAIL $(basename "$check" .sh): exited with status $rc"
    fi
done 2>&1 | record

passed=$(grep -c '^PASS ' "$RESULTS")
failed=$(grep -c '^FAIL ' "$RESULTS")
skipped=$(grep -c '^SKIP ' "$RESULTS")
[ "$skipped" -gt 0 ] && echo "$skipped skipped (not counted as passed)"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
