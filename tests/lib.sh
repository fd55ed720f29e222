# tests/lib.sh: helpers for the check_*.sh scripts (sourced).
# Each prints one result line per case, as the unit programs do.
pass() { echo "PASS $1"; }
fail() { echo "FAIL $1: $2"; }
skip() { echo "SKIP $1: $2"; }
have() { command -v "$1" >/dev/null 2>&1; }

WARN="-std=c99 -Wall -Wextra -Wpedantic -Wconversion -Wno-sign-conversion -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wcast-qual -Werror"
# The same set for C++, where the C-only warnings have other names.
WARNXX="-Wall -Wextra -Wpedantic -Wconversion -Wno-sign-conversion -Wshadow -Wmissing-declarations -Wcast-qual -Werror"
B=build
mkdir -p "$B/check"
CLOG=$B/test.log

# try NAME CMD...: run CMD, pass NAME when it succeeds, else fail with the
# first error line it printed.
try() {
    local name=$1 out
    shift
    if out=$("$@" 2>&1); then
        pass "$name"
    else
        printf '%s\n' "--- $name: $*" "$out" >> "$CLOG"
        fail "$name" "$(printf '%s\n' "$out" | grep -m1 -E 'error|FAIL|rror' || printf '%s\n' "$out" | head -1)"
    fi
}
