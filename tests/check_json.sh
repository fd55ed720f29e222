# The JSON reader on every scanning path: the unit tests built with
# BLUEHOOK_NO_ASM (SWAR) and with BLUEHOOK_NO_DOUBLE; and, for their
# digests only (check_cross.sh runs their suites), aarch64 (NEON) under
# qemu-aarch64 and s390x (big-endian, SWAR) under qemu-s390x. Each build
# prints a digest of its
# answers (result, error position, reason, tokens, unescaped strings) on
# 40000 generated inputs; every digest must equal the default build's.
. tests/lib.sh
O=$B/check/json
mkdir -p "$O"

ref="$O/digest.default"
if gcc $WARN -O2 -o "$O/unit_json" tests/unit_json.c -lm 2>>"$CLOG" &&
   "$O/unit_json" --digest > "$ref"; then
    :
else
    fail "json-paths/default-digest" "did not build or run"
    ref=""
fi

# build_variant NAME COMPILER RUNNER FLAGS...: build tests/unit_json.c, run
# its cases with NAME: before them, and compare its digest.
build_variant() {
    local name=$1 cc=$2 runner=$3
    shift 3
    if ! $cc $WARN -O2 "$@" -o "$O/unit_json.$name" tests/unit_json.c -lm 2>>"$CLOG"; then
        fail "$name:unit_json" "did not build"
        return
    fi
    # cross builds run the whole suite in check_cross.sh; here their digest
    [ -z "$runner" ] && "$O/unit_json.$name" | sed -E "s/^(PASS|FAIL|SKIP) /\1 $name:/"
    if [ -n "$ref" ]; then
        if $runner "$O/unit_json.$name" --digest | cmp -s - "$ref"; then
            pass "json-paths/$name-digest-matches"
        else
            fail "json-paths/$name-digest-matches" "its answers differ from the default build's"
        fi
    fi
}

build_variant noasm gcc "" -DBLUEHOOK_NO_ASM
build_variant nodouble clang "" -DBLUEHOOK_NO_DOUBLE

CROSS=aarch64-linux-gnu-gcc
if ! have $CROSS; then
    skip "aarch64:unit_json" "$CROSS not installed (gcc-aarch64-linux-gnu)"
elif ! have qemu-aarch64; then
    skip "aarch64:unit_json" "qemu-aarch64 not installed (qemu-user)"
else
    build_variant aarch64 $CROSS qemu-aarch64 -static
fi

CROSS=s390x-linux-gnu-gcc
if ! have $CROSS; then
    skip "s390x:unit_json" "$CROSS not installed (gcc-s390x-linux-gnu)"
elif ! have qemu-s390x; then
    skip "s390x:unit_json" "qemu-s390x not installed (qemu-user)"
else
    build_variant s390x $CROSS qemu-s390x -static
fi
