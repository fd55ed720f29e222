# Fuzzing in make test, for every fuzz/fuzz_*.c (found by wildcard):
# 1. replay its committed inputs (fuzz/corpus/NAME, fuzz/regress/NAME) with
#    the libFuzzer build (clang, ASan+UBSan), and again through fuzz/main.c
#    built by gcc with ASan+UBSan: a crash there is a FAIL;
# 2. fuzz it for FUZZ_CI_SECONDS (10) seconds, JOBS harnesses at a time. A
#    finding in that run is NOT a failure (CI must not fail at random): it is
#    printed as a "# " note and saved under build/fuzz/work/NAME/findings/
#    for someone to minimize into fuzz/regress/ (fuzz/README.md).
. tests/lib.sh
O=$B/check/fuzz
mkdir -p "$O"
SECS=${FUZZ_CI_SECONDS:-10}
names=$(ls fuzz/fuzz_*.c fuzz/fuzz_*.cc 2>/dev/null | sed 's|^fuzz/||; s|\.cc*$||')
[ -n "$names" ] || exit 0
if ! have clang; then skip "fuzz" "clang not installed"; exit 0; fi

make -s -j"${JOBS:-2}" -k fuzz-build >>"$CLOG" 2>&1
built=""
for n in $names; do
    if [ -x "build/fuzz/bin/$n" ] && make -q "build/fuzz/bin/$n" 2>/dev/null; then
        built="$built $n"
    else
        fail "fuzz/$n" "did not build with clang -fsanitize=fuzzer (libclang-rt-14-dev; see $CLOG)"
    fi
done

for n in $built; do
    if out=$(fuzz/run.sh replay "$n" 2>&1); then
        pass "fuzz/$n-replay"
    else
        printf '%s\n' "$out" >> "$CLOG"
        fail "fuzz/$n-replay" "$(printf '%s\n' "$out" | sed -n 2p)"
    fi
done

# the same inputs through the plain driver, built by gcc (g++ for .cc)
GSAN="-O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all"
for n in $names; do
    have gcc || break
    flags=$(cat "fuzz/$n.flags" 2>/dev/null)
    if [ -f "fuzz/$n.cc" ]; then
        built_gcc() {
            gcc $WARN $GSAN -c -o "$O/main.o" fuzz/main.c &&
            g++ -std=c++17 $WARNXX $GSAN -o "$O/$n-gcc" "fuzz/$n.cc" "$O/main.o" $flags
        }
    else
        built_gcc() { gcc $WARN $GSAN -o "$O/$n-gcc" "fuzz/$n.c" fuzz/main.c $flags; }
    fi
    if ! built_gcc 2>>"$CLOG"; then
        fail "fuzz/$n-replay-gcc" "did not build"
        continue
    fi
    if "$O/$n-gcc" "fuzz/corpus/$n" "fuzz/regress/$n" > "$O/$n-gcc.log" 2>&1; then
        pass "fuzz/$n-replay-gcc"
    else
        fail "fuzz/$n-replay-gcc" "$(grep -m1 -E 'property failed|ERROR|runtime error' "$O/$n-gcc.log") (log: $O/$n-gcc.log)"
    fi
done

# fuzz, JOBS at a time
running=0
for n in $built; do
    ( fuzz/run.sh fuzz "$n" "$SECS" > "$O/$n.fuzz" 2>&1; echo $? > "$O/$n.rc" ) &
    running=$((running + 1))
    if [ "$running" -ge "${JOBS:-2}" ]; then
        wait -n
        running=$((running - 1))
    fi
done
wait
for n in $built; do
    rc=$(cat "$O/$n.rc" 2>/dev/null || echo 2)
    summary=$(head -1 "$O/$n.fuzz")
    findings=$(sed -n 's/^finding: //p' "$O/$n.fuzz")
    if [ "$rc" != 0 ]; then
        fail "fuzz/$n-${SECS}s" "the fuzzer did not run: $(tail -1 "$O/$n.fuzz")"
    elif [ -n "$findings" ]; then
        for f in $findings; do
            echo "# fuzz/$n: NEW FINDING (not counted as a failure) saved at $f: minimize it into fuzz/regress/$n/, fix it, add a unit test (fuzz/README.md)"
        done
        echo "# $summary"
    else
        pass "fuzz/$n-${SECS}s"
        echo "# $summary"
    fi
done
