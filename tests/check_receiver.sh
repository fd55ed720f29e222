# Receivers end to end over loopback (tests/e2e_receiver.c): bluehook
# listen (also built with ASan+UBSan), examples/receiver_posix and
# examples/receiver_mhd on ports the kernel picks, and
# examples/receiver_embedded fed byte streams in chunks of every size.
# Valid, tampered, unsigned, wrongly signed, non-JSON, oversized, duplicate,
# chunked, slow, keep-alive, pipelined, Expect, 8 concurrent clients, and
# the smuggling cases where bluehook's parser frames the requests
# (libmicrohttpd frames its own: 0.9.75 accepts several of those cases).
. tests/lib.sh
O=$B/check/receiver
mkdir -p "$O"
E2E=$O/e2e_receiver
SECRET=e2e-receiver-secret
if ! gcc $WARN -O2 -o "$E2E" tests/e2e_receiver.c 2>>"$CLOG"; then
    fail "e2e" "tests/e2e_receiver.c did not build"; exit 0
fi
run() { # LABEL FLAGS... -- CMD...: servers' own logs go to the test log
    local label=$1
    shift
    "$E2E" "$label" "$SECRET" "$@" 2>>"$CLOG"
}

if [ -x $B/bluehook ]; then
    run listen smuggle concurrent exit0 -- $B/bluehook listen --port 0
else
    fail "e2e/listen" "build/bluehook was not built"
fi
# the same server under the sanitizers
ASANF="-O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"
if gcc $WARN $ASANF -o "$O/bluehook-asan" tools/bluehook.c 2>>"$CLOG"; then
    run listen-asan smuggle concurrent exit0 -- "$O/bluehook-asan" listen --port 0
else
    fail "e2e/listen-asan" "tools/bluehook.c did not build with ASan"
fi
for ex in receiver_posix receiver_embedded; do
    [ -x $B/examples/$ex ] || fail "e2e/$ex" "build/examples/$ex was not built"
done
[ -x $B/examples/receiver_posix ] && run posix smuggle -- $B/examples/receiver_posix
[ -x $B/examples/receiver_embedded ] && run embedded stdin -- $B/examples/receiver_embedded
if pkg-config --exists libmicrohttpd 2>/dev/null; then
    if [ -x $B/examples/receiver_mhd ]; then
        run mhd concurrent -- $B/examples/receiver_mhd
    else
        fail "e2e/mhd" "build/examples/receiver_mhd was not built"
    fi
else
    skip "e2e/mhd" "libmicrohttpd not found (install libmicrohttpd-dev)"
fi
# the examples are copied by users: they build clean with clang too
if have clang; then
    for ex in receiver_posix receiver_embedded; do
        try "examples/$ex-clang" clang $WARN -O2 -o "$O/$ex-clang" examples/$ex.c
    done
    if pkg-config --exists libmicrohttpd 2>/dev/null; then
        try "examples/receiver_mhd-clang" clang $WARN -O2 $(pkg-config --cflags libmicrohttpd) \
            -o "$O/receiver_mhd-clang" examples/receiver_mhd.c $(pkg-config --libs libmicrohttpd)
    fi
else
    skip "examples/clang" "clang not installed"
fi
