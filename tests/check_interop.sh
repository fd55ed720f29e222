# Interop with the schemes' reference libraries in node, both ways, on random
# UTF-8 bodies (tests/interop/interop.mjs): standardwebhooks,
# @octokit/webhooks-methods, stripe, and Blue's recipe in node's crypto. The
# libraries come from `npm ci --prefix tests/interop` (.ci/run does it).
. tests/lib.sh
if ! have node; then skip "interop" "node not installed"; exit 0; fi
if [ ! -d tests/interop/node_modules/standardwebhooks ] ||
   [ ! -d tests/interop/node_modules/@octokit/webhooks-methods ] ||
   [ ! -d tests/interop/node_modules/stripe ]; then
    skip "interop" "tests/interop/node_modules missing (run: npm ci --prefix tests/interop)"; exit 0
fi
if ! make -s "$B/bluehook" >>"$CLOG" 2>&1; then fail "interop" "build/bluehook did not build"; exit 0; fi
out=$(node tests/interop/interop.mjs "$B/bluehook" 2>&1)
rc=$?
printf '%s\n' "$out" | grep -E '^(PASS|FAIL|SKIP) '
if [ $rc -ne 0 ]; then
    printf '%s\n' "$out" >> "$CLOG"
    fail "interop" "node exited with status $rc: $(printf '%s\n' "$out" | grep -m1 -i error)"
fi
