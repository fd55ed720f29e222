# MemorySanitizer (clang -fsanitize=memory): every unit test, and every
# harness's committed fuzz inputs through fuzz/main.c. MSan needs every
# library a program links to be instrumented too, and Debian's OpenSSL and
# libcurl are not: unit_openssl is left out, and unit_transport is built
# without BLUEHOOK_CURL (its socket transport cases run). Both are said in
# a note, not as skips.
. tests/lib.sh
O=$B/check/msan
mkdir -p "$O"
if ! have clang; then skip "msan" "clang not installed"; exit 0; fi
MSAN="-O1 -g -fsanitize=memory -fsanitize-memory-track-origins -fno-omit-frame-pointer -fno-sanitize-recover=all"

# build everything first, JOBS at a time (MSan builds are the slow part)
build() { # OUT SOURCES...: compile, keeping the errors for the log
    local out=$1
    shift
    clang $WARN $MSAN -o "$out" "$@" -lm 2>"$out.err"
}
running=0
progs=""
for src in tests/unit_*.c fuzz/fuzz_*.c; do
    [ -f "$src" ] || continue
    name=$(basename "$src" .c)
    [ "$name" = unit_openssl ] && continue
    extra=""
    case $src in fuzz/*) extra=fuzz/main.c ;; esac
    rm -f "$O/$name" "$O/$name.err"
    build "$O/$name" "$src" $extra &
    progs="$progs $name"
    running=$((running + 1))
    if [ "$running" -ge "${JOBS:-2}" ]; then
        wait -n
        running=$((running - 1))
    fi
done
wait

for src in tests/unit_*.c; do
    unit=$(basename "$src" .c)
    case $unit in
    unit_openssl)
        echo "# msan: unit_openssl not built: it links OpenSSL, which is not MSan-instrumented (it runs under ASan+UBSan)"
        continue ;;
    unit_transport)
        echo "# msan: unit_transport built without BLUEHOOK_CURL: libcurl is not MSan-instrumented (its cases run under ASan+UBSan)" ;;
    esac
    if [ ! -x "$O/$unit" ]; then
        cat "$O/$unit.err" >> "$CLOG"
        fail "msan:$unit" "did not build"
        continue
    fi
    out=$("$O/$unit" 2>>"$CLOG")
    rc=$?
    # the curl cases' SKIP line is the note above, not a skip
    printf '%s\n' "$out" | grep -v '^SKIP transport/curl:' | sed -E 's/^(PASS|FAIL|SKIP) /\1 msan:/'
    if [ $rc -ne 0 ] && ! printf '%s\n' "$out" | grep -q '^FAIL '; then
        fail "msan:$unit" "exited with status $rc (see $CLOG)"
    fi
done

for h in fuzz/fuzz_*.cc; do
    [ -f "$h" ] || continue
    echo "# msan: $(basename "$h") not built: a C++ harness links the C++ library (and its reference library), which are not MSan-instrumented"
done
for h in fuzz/fuzz_*.c; do
    [ -f "$h" ] || continue
    n=$(basename "$h" .c)
    if [ ! -x "$O/$n" ]; then
        cat "$O/$n.err" >> "$CLOG"
        fail "msan:$n-replay" "did not build"
    elif "$O/$n" "fuzz/corpus/$n" "fuzz/regress/$n" > "$O/$n.log" 2>&1; then
        pass "msan:$n-replay"
    else
        fail "msan:$n-replay" "$(grep -m1 -E 'WARNING: MemorySanitizer|property failed|no inputs' "$O/$n.log") (log: $O/$n.log)"
    fi
done
