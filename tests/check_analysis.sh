# Static analysis, clean on bluehook.h and tools/: cppcheck (with the
# suppressions in .cppcheck-suppressions) and clang-tidy (.clang-tidy: every
# warning is an error), in the configurations that select different code:
# x86-64 with the POSIX parts and libcurl, aarch64 (the ARMv8 path), and
# BLUEHOOK_NO_ASM with BLUEHOOK_STATIC; plus the CLI. In C only: compiled
# as C++ the bh__ names are reserved identifiers and a single-file library
# defines functions in a header, which clang-tidy's C++ checks report.
. tests/lib.sh
O=$B/check/analysis
mkdir -p "$O"

# NAME|clang-tidy flags (after --)|cppcheck -D flags|files
CONFIGS="
x86-64-posix-curl|-std=c99 -D_POSIX_C_SOURCE=200809L -DBLUEHOOK_CURL|-D__x86_64__ -D__linux__ -D__unix__ -D_POSIX_C_SOURCE=200809L -DBLUEHOOK_CURL|tests/smoke.c
aarch64|--target=aarch64-linux-gnu -march=armv8-a+crypto -std=gnu99|-D__aarch64__ -D__linux__ -D__unix__ -D_GNU_SOURCE|tests/smoke.c
no-asm-static|-std=c99 -DBLUEHOOK_NO_ASM -DBLUEHOOK_STATIC|-DBLUEHOOK_NO_ASM -DBLUEHOOK_STATIC|tests/smoke.c
cli|-std=c99|-D__x86_64__ -D__linux__ -D__unix__|tools/bluehook.c
"

while IFS='|' read -r name tidy cpp files; do
    [ -n "$name" ] || continue
    if have cppcheck; then
        if cppcheck --enable=warning,style,performance,portability --std=c99 -q \
            --inline-suppr --suppressions-list=.cppcheck-suppressions \
            --error-exitcode=1 -D__GNUC__ $cpp $files > "$O/cppcheck-$name.log" 2>&1; then
            pass "cppcheck/$name"
        else
            cat "$O/cppcheck-$name.log" >> "$CLOG"
            fail "cppcheck/$name" "$(grep -m1 -E '(error|warning|style|performance|portability):' "$O/cppcheck-$name.log")"
        fi
    else
        skip "cppcheck/$name" "cppcheck not installed"
    fi
    if have clang-tidy; then
        if clang-tidy --quiet $files -- $tidy > "$O/clang-tidy-$name.log" 2>&1; then
            pass "clang-tidy/$name"
        else
            cat "$O/clang-tidy-$name.log" >> "$CLOG"
            fail "clang-tidy/$name" "$(grep -m1 -E '(error|warning):' "$O/clang-tidy-$name.log")"
        fi
    else
        skip "clang-tidy/$name" "clang-tidy not installed"
    fi
done <<< "$CONFIGS"
