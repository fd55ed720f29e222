# bluehook match: Blue's subscription rule and a record filter on a payload.
. tests/lib.sh
BIN=$B/bluehook
R=../shared/blue/todo_created.min.json
if [ ! -x "$BIN" ]; then fail "cli-match" "build/bluehook was not built"; exit 0; fi
if [ ! -f "$R" ]; then skip "cli-match" "$R not found"; exit 0; fi

# expect NAME EXIT OUTPUT ARGS...: run bluehook match, compare exit and stdout
expect() {
    local name=$1 want_rc=$2 want_out=$3 out rc
    shift 3
    out=$("$BIN" match "$@" 2>/dev/null)
    rc=$?
    if [ "$rc" = "$want_rc" ] && [ "$out" = "$want_out" ]; then pass "cli-match/$name"
    else fail "cli-match/$name" "exit $rc, printed '$out'; want $want_rc, '$want_out'"; fi
}

expect no-conditions 0 "match" "$R"
expect filter-holds 0 "match" --filter '/done == false && /todoList/project/id == "clakt90vu000bvt64hhffqleq"' "$R"
expect first-failing 1 "no match: /title == \"X\"" --filter '/done == false && /title == "X"' "$R"
expect events-listed 0 "match" --events TODO_CREATED,TODO_DELETED "$R"
expect events-group 0 "match" --events record "$R"
expect event-missing 1 "no match: event TODO_CREATED is not subscribed" --events TAG_CREATED "$R"
expect project-listed 0 "match" --projects x,clakt90vu000bvt64hhffqleq "$R"
expect project-missing 1 "no match: project clakt90vu000bvt64hhffqleq is not subscribed" --projects x,y "$R"
expect stdin 0 "match" --filter '$/event == "TODO_CREATED"' < "$R"
expect not-blue 1 'no match: not a Blue payload (an object with "event" and "webhook")' <<< '{"a":1}'
expect filter-syntax 2 "" --filter '/a ==' "$R"
expect unknown-event 2 "" --events NOPE "$R"
expect not-json 2 "" <<< '{"a":'
