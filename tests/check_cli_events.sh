# bluehook events: every name once, under its group; no arguments taken.
. tests/lib.sh
BIN=$B/bluehook
if [ ! -x "$BIN" ]; then fail "cli-events" "build/bluehook was not built"; exit 0; fi
out=$("$BIN" events)
n=$(printf '%s\n' "$out" | grep -c '^  [A-Z_]*$')
if [ "$n" = 38 ]; then pass "cli-events/38-names"; else fail "cli-events/38-names" "listed $n"; fi
dups=$(printf '%s\n' "$out" | grep '^  ' | sort | uniq -d)
if [ -z "$dups" ]; then pass "cli-events/no-duplicates"; else fail "cli-events/no-duplicates" "$dups"; fi
groups=$(printf '%s\n' "$out" | grep -v '^  ' | tr '\n' ' ')
if [ "$groups" = "record: checklist: checklist-item: list: custom-field: tag: comment: webhook: " ]; then
    pass "cli-events/groups"
else
    fail "cli-events/groups" "$groups"
fi
if printf '%s\n' "$out" | grep -A1 '^webhook:' | grep -q '^  WEBHOOK_HEALTH_CHECK$'; then
    pass "cli-events/health-check-grouped"
else
    fail "cli-events/health-check-grouped" "not under webhook:"
fi
"$BIN" events extra >/dev/null 2>&1
rc=$?
if [ $rc = 2 ]; then pass "cli-events/usage-exit-2"; else fail "cli-events/usage-exit-2" "exit $rc"; fi
