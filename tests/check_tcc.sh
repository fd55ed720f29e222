# tcc (the Tiny C Compiler, Debian tcc): every unit test, the fuzz inputs
# through fuzz/main.c, and the command-line tool, built with tcc and run.
# tcc has no SIMD intrinsics: bluehook takes its portable SHA-256 path.
. tests/lib.sh
O=$B/check/tcc
mkdir -p "$O"
if ! have tcc; then skip "tcc" "tcc not installed"; exit 0; fi
TCC="tcc -std=c99 -Wall -Werror -g"
for src in tests/unit_*.c; do
    unit=$(basename "$src" .c)
    flags="" libs=""
    case $unit in
    unit_openssl)
        if pkg-config --exists libcrypto 2>/dev/null; then
            flags="-DBH_HAVE_OPENSSL $(pkg-config --cflags libcrypto)"
            libs=$(pkg-config --libs libcrypto)
        fi ;;
    unit_transport)
        if pkg-config --exists libcurl 2>/dev/null; then
            flags="-DBLUEHOOK_CURL $(pkg-config --cflags libcurl)"
            libs=$(pkg-config --libs libcurl)
        fi ;;
    esac
    if ! $TCC $flags -o "$O/$unit" "$src" $libs -lm 2>>"$CLOG"; then
        fail "tcc:$unit" "did not build"
        continue
    fi
    out=$("$O/$unit" 2>>"$CLOG")
    rc=$?
    printf '%s\n' "$out" | sed -E 's/^(PASS|FAIL|SKIP) /\1 tcc:/'
    if [ $rc -ne 0 ] && ! printf '%s\n' "$out" | grep -q '^FAIL '; then
        fail "tcc:$unit" "exited with status $rc"
    fi
done
for src in fuzz/fuzz_*.c; do
    [ -f "$src" ] || continue
    n=$(basename "$src" .c)
    if ! $TCC -o "$O/$n" "$src" fuzz/main.c 2>>"$CLOG"; then
        fail "tcc:$n-replay" "did not build"
    elif "$O/$n" "fuzz/corpus/$n" "fuzz/regress/$n" > "$O/$n.log" 2>&1; then
        pass "tcc:$n-replay"
    else
        fail "tcc:$n-replay" "$(grep -m1 'property failed' "$O/$n.log") (log: $O/$n.log)"
    fi
done
try "tcc:cli" sh -c "$TCC -o $O/bluehook tools/bluehook.c && $O/bluehook events | grep -q TODO_CREATED"
