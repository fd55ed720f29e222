# Constant time under valgrind memcheck (tests/ctgrind.c), built by gcc and
# clang at -O2: the optimiser must not turn arithmetic back into branches.
. tests/lib.sh
O=$B/check/ctgrind
mkdir -p "$O"
if ! have valgrind; then skip "ctgrind" "valgrind not installed"; exit 0; fi
if [ ! -f /usr/include/valgrind/memcheck.h ]; then skip "ctgrind" "valgrind headers missing"; exit 0; fi
for cc in gcc clang; do
    if ! have $cc; then skip "ctgrind-$cc" "$cc not installed"; continue; fi
    if ! $cc $WARN -O2 -g -o "$O/ctgrind-$cc" tests/ctgrind.c 2>>"$CLOG"; then
        fail "ctgrind-$cc" "did not build"; continue
    fi
    # memcheck's own reports go to the log; the cases print the verdicts
    BH_UNDER_VALGRIND=1 valgrind -q --log-file="$O/valgrind-$cc.log" "$O/ctgrind-$cc" |
        sed -E "s/^(PASS|FAIL|SKIP) ctgrind/\1 ctgrind-$cc/"
done
