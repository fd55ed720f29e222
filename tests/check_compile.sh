# The header compiles clean, and a small program built from it runs, in every
# supported configuration: C99 and C11 with gcc and clang, C++11, the
# configuration macros, and two translation units (extern and static).
. tests/lib.sh
O=$B/check/compile
mkdir -p "$O"

build_run() { # NAME COMPILER FLAGS... -- runs the result
    local name=$1 cc=$2
    shift 2
    if ! have "$cc"; then skip "compile/$name" "$cc not installed"; return; fi
    try "compile/$name" sh -c "$cc $* -o $O/$name && $O/$name"
}

for cc in gcc clang; do
    for std in c99 c11; do
        build_run "$cc-$std" $cc -std=$std ${WARN#-std=c99} -O2 -I. tests/smoke.c
    done
    build_run "$cc-static" $cc $WARN -O2 -DBLUEHOOK_STATIC tests/smoke.c
    build_run "$cc-no-asm" $cc $WARN -O2 -DBLUEHOOK_NO_ASM tests/smoke.c
    build_run "$cc-no-stdio" $cc $WARN -O2 -DBLUEHOOK_NO_STDIO tests/smoke.c
    build_run "$cc-no-double" $cc $WARN -O2 -DBLUEHOOK_NO_DOUBLE tests/smoke.c
    build_run "$cc-two-units" $cc $WARN -O2 -DSMOKE_TWO_UNITS tests/smoke.c tests/smoke2.c
    build_run "$cc-two-units-static" $cc $WARN -O2 -DSMOKE_TWO_UNITS -DBLUEHOOK_STATIC tests/smoke.c tests/smoke2.c
done
build_run "g++-c++11" g++ -std=c++11 $WARNXX -O2 -x c++ tests/smoke.c
build_run "clang++-c++11" clang++ -std=c++11 $WARNXX -O2 -x c++ tests/smoke.c
build_run "g++-c++11-static" g++ -std=c++11 $WARNXX -O2 -DBLUEHOOK_STATIC -x c++ tests/smoke.c
# BLUEHOOK_CURL: the libcurl transport
if pkg-config --exists libcurl 2>/dev/null; then
    CURLF="-DBLUEHOOK_CURL $(pkg-config --cflags libcurl)"
    CURLL="$(pkg-config --libs libcurl)"
    for cc in gcc clang; do
        build_run "$cc-curl" $cc $WARN -O2 -D_POSIX_C_SOURCE=200809L $CURLF tests/smoke.c $CURLL
    done
    build_run "g++-curl" g++ -std=c++11 $WARNXX -O2 $CURLF -x c++ tests/smoke.c -x none $CURLL
else
    skip "compile/curl" "libcurl not found (install libcurl4-openssl-dev)"
fi
# the POSIX parts (socket transport) under the strict warning set
for cc in gcc clang; do
    build_run "$cc-posix" $cc $WARN -O2 -D_POSIX_C_SOURCE=200809L tests/smoke.c
    build_run "$cc-gnu99" $cc -std=gnu99 ${WARN#-std=c99} -O2 tests/smoke.c
done
build_run "g++-c++11-no-double" g++ -std=c++11 $WARNXX -O2 -DBLUEHOOK_NO_DOUBLE -x c++ tests/smoke.c

# The core must not reference stdio: with BLUEHOOK_NO_STDIO, no stdio symbol
# may be linked in by the library's code.
if have gcc && have nm; then
    if gcc -std=c99 -O2 -DBLUEHOOK_NO_STDIO -c -o "$O/nostdio.o" tests/smoke.c 2>>"$CLOG"; then
        bad=$(nm -u "$O/nostdio.o" | grep -E ' (printf|fprintf|puts|fputs|fopen|fwrite|fread|snprintf|sprintf|putchar|stdout|stderr)$' | tr '\n' ' ')
        if [ -z "$bad" ]; then pass "compile/no-stdio-symbols"; else fail "compile/no-stdio-symbols" "links $bad"; fi
    else
        fail "compile/no-stdio-symbols" "did not compile"
    fi
fi

# BLUEHOOK_NO_POSIX: the POSIX parts (socket transport, file journal) are
# left out even where POSIX is visible (gnu99 shows it).
for cc in gcc clang; do
    build_run "$cc-no-posix" $cc -std=gnu99 ${WARN#-std=c99} -O2 -DBLUEHOOK_NO_POSIX tests/smoke.c
done
if have gcc && have nm; then
    if gcc -std=gnu99 -O2 -c -o "$O/posix.o" tests/smoke.c 2>>"$CLOG" &&
       gcc -std=gnu99 -O2 -DBLUEHOOK_NO_POSIX -c -o "$O/noposix.o" tests/smoke.c 2>>"$CLOG"; then
        with=$(nm --defined-only "$O/posix.o" | grep -cE ' T (bh_transport_socket|bh_journal_open)$')
        without=$(nm --defined-only "$O/noposix.o" | grep -cE ' T (bh_transport_socket|bh_journal_open)$')
        calls=$(nm -u "$O/noposix.o" | grep -E ' (socket|connect|getaddrinfo|open|fsync|poll)$' | tr '\n' ' ')
        if [ "$with" = 2 ] && [ "$without" = 0 ] && [ -z "$calls" ]; then
            pass "compile/no-posix-symbols"
        else
            fail "compile/no-posix-symbols" "with POSIX: $with of 2 symbols; with BLUEHOOK_NO_POSIX: $without (want 0), calls: ${calls:-none}"
        fi
    else
        fail "compile/no-posix-symbols" "did not compile"
    fi
fi

# tcc, in the same configurations as the smoke builds above
build_run "tcc-c99" tcc -std=c99 -Wall -Werror -O2 tests/smoke.c
build_run "tcc-static" tcc -std=c99 -Wall -Werror -DBLUEHOOK_STATIC tests/smoke.c
build_run "tcc-no-stdio" tcc -std=c99 -Wall -Werror -DBLUEHOOK_NO_STDIO tests/smoke.c
build_run "tcc-no-posix" tcc -Wall -Werror -DBLUEHOOK_NO_POSIX tests/smoke.c
build_run "tcc-two-units" tcc -std=c99 -Wall -Werror -DSMOKE_TWO_UNITS tests/smoke.c tests/smoke2.c

# BLUEHOOK_NO_ASM: the units that hash, on the portable path only
for unit in unit_sha256 unit_sig; do
    if gcc $WARN -O2 -DBLUEHOOK_NO_ASM -o "$O/no-asm-$unit" tests/$unit.c 2>>"$CLOG"; then
        "$O/no-asm-$unit" | sed -E 's/^(PASS|FAIL|SKIP) /\1 no-asm:/'
    else
        fail "no-asm:$unit" "did not build"
    fi
done

# -Os: the portable SHA-256 block function built for size (one round per
# loop turn), against the known answers and the other paths
for unit in unit_sha256 unit_sig; do
    if gcc $WARN -Os -o "$O/os-$unit" tests/$unit.c 2>>"$CLOG"; then
        "$O/os-$unit" | sed -E 's/^(PASS|FAIL|SKIP) /\1 os:/'
    else
        fail "os:$unit" "did not build"
    fi
done

# Cortex-M4 (arm-none-eabi, newlib: no POSIX), the strict warnings, -Os
if have arm-none-eabi-gcc; then
    try "compile/cortex-m4" arm-none-eabi-gcc $WARN -Os -mthumb -mcpu=cortex-m4 -c -o "$O/m4.o" tests/smoke.c
    try "compile/cortex-m4-no-stdio" arm-none-eabi-gcc $WARN -Os -mthumb -mcpu=cortex-m4 -DBLUEHOOK_NO_STDIO -c -o "$O/m4-nostdio.o" tests/smoke.c
else
    skip "compile/cortex-m4" "arm-none-eabi-gcc not installed (gcc-arm-none-eabi libnewlib-arm-none-eabi)"
fi
# No allocator in the library: the implementation alone, compiled to an
# object (every function external, so nothing is dropped), references none
# of malloc, calloc, realloc, free and their kin, with and without the
# POSIX parts (tests/unit_noalloc.c counts allocations at run time).
noalloc_object() { # NAME FLAGS...
    local name=$1 bad
    shift
    printf '#define BLUEHOOK_IMPLEMENTATION\n#include "bluehook.h"\n' > "$O/impl-$name.c"
    if ! gcc $WARN -O2 -I. "$@" -c -o "$O/impl-$name.o" "$O/impl-$name.c" 2>>"$CLOG"; then
        fail "compile/no-allocator-$name" "the implementation did not compile"
        return
    fi
    bad=$(nm -u "$O/impl-$name.o" | awk '{print $NF}' |
          grep -x -E 'malloc|calloc|realloc|reallocarray|free|strdup|strndup|aligned_alloc|posix_memalign|memalign|valloc|alloca|__builtin_alloca')
    if [ -z "$bad" ] && nm -u "$O/impl-$name.o" | grep -q -w memcpy; then
        pass "compile/no-allocator-$name"
    else
        fail "compile/no-allocator-$name" "references ${bad:-nothing at all (nm failed?)}"
    fi
}
noalloc_object posix -D_POSIX_C_SOURCE=200809L
noalloc_object no-posix -DBLUEHOOK_NO_POSIX
