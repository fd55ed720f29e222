# The ARMv8 SHA-256 path: cross-compiled for aarch64 and run under
# qemu-aarch64, whose CPU has the SHA-256 instructions. The unit tests check
# that every path agrees; here we also check that the ARMv8 path is the one
# in use.
. tests/lib.sh
O=$B/check/aarch64
mkdir -p "$O"
CROSS=aarch64-linux-gnu-gcc
if ! have $CROSS; then skip "aarch64" "$CROSS not installed (gcc-aarch64-linux-gnu)"; exit 0; fi
if ! have qemu-aarch64; then skip "aarch64" "qemu-aarch64 not installed (qemu-user)"; exit 0; fi
# every unit that needs no library beyond libc (OpenSSL and libcurl are not
# cross-installed)
units=$(ls tests/unit_*.c | sed 's|tests/||; s|\.c$||' | grep -v -x -e unit_openssl -e unit_transport)
for unit in $units; do
    if ! $CROSS $WARN -O2 -static -o "$O/$unit" tests/$unit.c 2>>"$CLOG"; then
        fail "aarch64:$unit" "did not build"; continue
    fi
    qemu-aarch64 "$O/$unit" | sed -E 's/^(PASS|FAIL|SKIP) /\1 aarch64:/'
done
if [ -x "$O/unit_sha256" ]; then
    path=$(qemu-aarch64 "$O/unit_sha256" --backend)
    if [ "$path" = armv8 ]; then pass "aarch64:armv8-path-in-use"
    else fail "aarch64:armv8-path-in-use" "the path in use is '$path'"; fi
fi
