# Cross-architecture: every unit test that needs no library beyond libc, and
# every harness's committed fuzz inputs (through fuzz/main.c), cross-built
# -static with the strict warnings and run under qemu-user:
#   s390x    64-bit big-endian
#   powerpc  32-bit big-endian (size_t is 32 bits)
#   armhf    32-bit little-endian (size_t is 32 bits)
#   aarch64  64-bit, where the ARMv8 SHA-256 path must be the one in use
# OpenSSL and libcurl are not cross-installed: unit_openssl is left out and
# unit_transport is built without BLUEHOOK_CURL (said in a note). Targets
# run JOBS at a time; results are printed in the table's order.
. tests/lib.sh
O=$B/check/cross
mkdir -p "$O"

# One target a line: name | compiler | emulator | units ("all": every unit
# and the fuzz inputs) | the SHA-256 path that must be in use ("-": any) |
# Debian packages. clang is run for aarch64 twice: with the SHA extension
# (its ARMv8 path) and without it (clang before 16 cannot use the ARMv8
# intrinsics then: the header must still build, on the portable path).
TARGETS="
s390x              | s390x-linux-gnu-gcc      | qemu-s390x   | all | - | gcc-s390x-linux-gnu libc6-dev-s390x-cross
powerpc            | powerpc-linux-gnu-gcc    | qemu-ppc     | all | - | gcc-powerpc-linux-gnu libc6-dev-powerpc-cross
armhf              | arm-linux-gnueabihf-gcc  | qemu-arm     | all | - | gcc-arm-linux-gnueabihf libc6-dev-armhf-cross
aarch64            | aarch64-linux-gnu-gcc    | qemu-aarch64 | all | armv8 | gcc-aarch64-linux-gnu libc6-dev-arm64-cross
aarch64-clang      | clang --target=aarch64-linux-gnu -march=armv8-a+crypto | qemu-aarch64 | unit_sha256 unit_sig | armv8 | clang gcc-aarch64-linux-gnu
aarch64-clang-base | clang --target=aarch64-linux-gnu | qemu-aarch64 | unit_sha256 | - | clang gcc-aarch64-linux-gnu
"

# run_target NAME CC QEMU UNITS PATH: build and run one target's tests;
# prints result lines.
run_target() {
    local arch=$1 cc=$2 qemu=$3 units=$4 want=$5 src unit out rc extra
    [ "$units" = all ] && units=$(ls tests/unit_*.c | sed 's|tests/||; s|\.c$||' | grep -v -x unit_openssl)
    for unit in $units; do
        src=tests/$unit.c
        extra=""
        [ "$unit" = unit_noalloc ] && extra="-DNOALLOC_WRAP -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc,--wrap=free"
        if ! $cc $WARN -O2 -static $extra -o "$O/$arch-$unit" "$src" -lm 2>"$O/$arch-$unit.err"; then
            cat "$O/$arch-$unit.err" >> "$O/$arch.log"
            fail "$arch:$unit" "did not build: $(grep -m1 error "$O/$arch-$unit.err")"
            continue
        fi
        out=$("$qemu" "$O/$arch-$unit" 2>>"$O/$arch.log")
        rc=$?
        printf '%s\n' "$out" | grep -v '^SKIP transport/curl:' | sed -E "s/^(PASS|FAIL|SKIP) /\1 $arch:/"
        if [ $rc -ne 0 ] && ! printf '%s\n' "$out" | grep -q '^FAIL '; then
            fail "$arch:$unit" "exited with status $rc"
        fi
    done
    for src in fuzz/fuzz_*.c; do
        [ "$4" = all ] && [ -f "$src" ] || continue
        unit=$(basename "$src" .c)
        if ! $cc $WARN -O2 -static -o "$O/$arch-$unit" "$src" fuzz/main.c 2>>"$O/$arch.log"; then
            fail "$arch:$unit-replay" "did not build"
            continue
        fi
        if "$qemu" "$O/$arch-$unit" "fuzz/corpus/$unit" "fuzz/regress/$unit" > "$O/$arch-$unit.log" 2>&1; then
            pass "$arch:$unit-replay"
        else
            fail "$arch:$unit-replay" "$(grep -m1 -E 'property failed|cannot' "$O/$arch-$unit.log") (log: $O/$arch-$unit.log)"
        fi
    done
    if [ "$want" != - ] && [ -x "$O/$arch-unit_sha256" ]; then
        path=$("$qemu" "$O/$arch-unit_sha256" --backend)
        if [ "$path" = "$want" ]; then pass "$arch:$want-path-in-use"
        else fail "$arch:$want-path-in-use" "the path in use is '$path'"; fi
    fi
}

echo "# cross: unit_openssl is not cross-built (OpenSSL is not cross-installed); unit_transport is built without BLUEHOOK_CURL"
running=0
archs=""
while IFS='|' read -r arch cc qemu units want pkgs; do
    arch=$(echo $arch) cc=$(echo $cc) qemu=$(echo $qemu) units=$(echo $units) want=$(echo $want)
    [ -n "$arch" ] || continue
    archs="$archs $arch"
    : > "$O/$arch.log"
    if ! have "${cc%% *}"; then skip "cross:$arch" "${cc%% *} not installed ($(echo $pkgs))" > "$O/$arch.out"; continue; fi
    if ! have "$qemu"; then skip "cross:$arch" "$qemu not installed (qemu-user)" > "$O/$arch.out"; continue; fi
    run_target "$arch" "$cc" "$qemu" "$units" "$want" > "$O/$arch.out" 2>>"$O/$arch.log" &
    running=$((running + 1))
    if [ "$running" -ge "${JOBS:-2}" ]; then
        wait -n
        running=$((running - 1))
    fi
done <<< "$TARGETS"
wait
for arch in $archs; do
    cat "$O/$arch.out"
    cat "$O/$arch.log" >> "$CLOG"
done
