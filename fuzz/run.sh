#!/usr/bin/env bash
# fuzz/run.sh: run one libFuzzer harness (make fuzz-build builds them into
# build/fuzz/bin/).
#
#   fuzz/run.sh replay NAME          run every committed input once (-runs=0):
#                                    fuzz/corpus/NAME/ and fuzz/regress/NAME/.
#                                    Exit 0, or 1 when one crashes.
#   fuzz/run.sh fuzz NAME SECONDS    fuzz for SECONDS, starting from the
#                                    committed inputs and build/fuzz/work/NAME/
#                                    corpus (where new inputs go). Prints one
#                                    summary line, then "finding: PATH" for
#                                    each finding saved. Exit 0 when it ran
#                                    (findings or not), 2 when it did not.
set -u
cd "$(dirname "$0")/.."
mode=${1:-} name=${2:-}
bin=build/fuzz/bin/$name
work=build/fuzz/work/$name
if [ -z "$name" ] || [ ! -x "$bin" ]; then
    echo "fuzz/run.sh: $bin not built (make fuzz-build)" >&2
    exit 2
fi
mkdir -p "$work/corpus" "$work/findings"
dirs=()
for d in "fuzz/corpus/$name" "fuzz/regress/$name"; do
    [ -d "$d" ] && dirs+=("$d")
done
dict=()
[ -f "fuzz/$name.dict" ] && dict=("-dict=fuzz/$name.dict")

case $mode in
replay)
    # an empty first folder: libFuzzer writes only to its first corpus
    rm -rf "$work/replay-out" "$work/replay-crash"
    mkdir -p "$work/replay-out" "$work/replay-crash"
    if "$bin" -runs=0 -timeout=30 -artifact_prefix="$work/replay-crash/" \
        "$work/replay-out" "${dirs[@]}" > "$work/replay.log" 2>&1; then
        echo "$name: replayed $(grep -o 'INITED.*' "$work/replay.log" | head -1)"
        exit 0
    fi
    echo "$name: a committed input failed (log: $work/replay.log)"
    grep -m3 -E 'ERROR|property failed|SUMMARY' "$work/replay.log"
    exit 1
    ;;
fuzz)
    secs=${3:-10}
    stamp="$work/.stamp"
    : > "$stamp"
    sleep 1 # findings are told apart from older ones by mtime
    "$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
        -print_final_stats=1 -artifact_prefix="$work/findings/" "${dict[@]}" \
        "$work/corpus" "${dirs[@]}" > "$work/fuzz.log" 2>&1
    rc=$?
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/fuzz.log" | tail -1)
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$work/fuzz.log" | tail -1)
    last=$(grep -E '^#[0-9]+.*cov: ' "$work/fuzz.log" | tail -1)
    cov=$(printf '%s\n' "$last" | sed -n 's/.*cov: \([0-9]*\).*/\1/p')
    ft=$(printf '%s\n' "$last" | sed -n 's/.* ft: \([0-9]*\).*/\1/p')
    corp=$(printf '%s\n' "$last" | sed -n 's/.* corp: \([0-9]*\).*/\1/p')
    found=$(find "$work/findings" -type f -newer "$stamp" | sort)
    echo "$name: ${secs} s, ${execs:-?} execs (${rate:-?}/s), cov ${cov:-?}, ft ${ft:-?}, corpus ${corp:-?} inputs"
    for f in $found; do echo "finding: $f"; done
    if [ $rc -ne 0 ] && [ -z "$found" ]; then
        echo "$name: the fuzzer did not run (status $rc, log: $work/fuzz.log)"
        exit 2
    fi
    exit 0
    ;;
*)
    echo "usage: fuzz/run.sh replay NAME | fuzz NAME SECONDS" >&2
    exit 2
    ;;
esac
