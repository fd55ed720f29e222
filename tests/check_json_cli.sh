# bluehook json [--get POINTER] [FILE]: exit codes, the "line:col: reason"
# message, and what --get prints, on the real delivery and small inputs.
. tests/lib.sh
BH=$B/bluehook
O=$B/check/json_cli
mkdir -p "$O"
if [ ! -x "$BH" ]; then fail "json-cli" "$BH was not built"; exit 0; fi
REAL=../shared/blue/todo_created.min.json

# expect NAME WANT_STATUS WANT_STDOUT WANT_STDERR CMD...: run CMD (stdin
# from $O/in when it exists), compare its status and both outputs.
expect() {
    local name=$1 status=$2 want_out=$3 want_err=$4 rc
    shift 4
    "$@" > "$O/out" 2> "$O/err" < "${STDIN:-/dev/null}"
    rc=$?
    if [ "$rc" != "$status" ]; then
        fail "json-cli/$name" "exit status $rc, want $status ($(head -c 200 "$O/err"))"
    elif [ "$want_out" != "-" ] && [ "$(cat "$O/out")" != "$want_out" ]; then
        fail "json-cli/$name" "printed '$(head -c 200 "$O/out")', want '$want_out'"
    elif [ "$want_err" != "-" ] && [ "$(cat "$O/err")" != "$want_err" ]; then
        fail "json-cli/$name" "said '$(head -c 200 "$O/err")', want '$want_err'"
    else
        pass "json-cli/$name"
    fi
}

expect valid-file 0 "" "" $BH json $REAL
expect valid-pretty 0 "" "" $BH json ../shared/blue/todo_created.json
STDIN=$REAL expect valid-stdin 0 "" "" $BH json
STDIN=$REAL expect valid-dash 0 "" "" $BH json -
expect get-event 0 "TODO_CREATED" "" $BH json --get /event $REAL
expect get-project-id 0 "clakt90vu000bvt64hhffqleq" "" \
    $BH json --get /currentValue/todoList/project/id $REAL
STDIN=$REAL expect get-from-stdin 0 "Testing webhook" "" $BH json --get /webhook/name
expect get-bool 0 "true" "" $BH json --get /webhook/enabled $REAL
expect get-null 0 "null" "" $BH json --get /currentValue/html $REAL
expect get-number 0 "131070" "" $BH json --get /currentValue/todoList/position $REAL
expect get-array 0 '["clakt90vu000bvt64hhffqleq","claulnu1y0000vtrcjurjgds4","clb4gay0y000qvtzs8smaays8"]' "" \
    $BH json --get /webhook/metadata/projectIds $REAL
expect get-element 0 "claulnu1y0000vtrcjurjgds4" "" $BH json --get /webhook/metadata/projectIds/1 $REAL
expect get-empty-array 0 "[]" "" $BH json --get /currentValue/todoTags $REAL
expect get-absent 1 "" "-" $BH json --get /previousValue $REAL
expect get-past-end 1 "" "-" $BH json --get /webhook/metadata/projectIds/3 $REAL
expect get-malformed-pointer 2 "" "-" $BH json --get event $REAL

printf '{"a":"x\\ny\\u00e9\\ud83d\\ude80","b":{"c":[1, 2]},"a~b/c":5,"d":"\\u0000"}' > "$O/esc.json"
expect get-unescaped 0 "$(printf 'x\nyé🚀')" "" $BH json --get /a "$O/esc.json"
expect get-json-text 0 "[1, 2]" "" $BH json --get /b/c "$O/esc.json"
expect get-tilde-escapes 0 "5" "" $BH json --get "/a~0b~1c" "$O/esc.json"
$BH json --get /d "$O/esc.json" > "$O/nul" 2>/dev/null
if [ "$(od -An -tx1 "$O/nul" | tr -d ' \n')" = "000a" ]; then pass "json-cli/get-nul-byte"
else fail "json-cli/get-nul-byte" "printed $(od -An -tx1 "$O/nul")"; fi

printf '{\n  "a": [1,]\n}\n' > "$O/bad1.json"
expect invalid-trailing-comma 1 "" "2:11: a value is expected here" $BH json "$O/bad1.json"
printf '[1, 2' > "$O/bad2.json"
expect invalid-unclosed 1 "" "1:6: unclosed array" $BH json "$O/bad2.json"
printf '["caf\xc3\xa9", "\xff"]' > "$O/bad3.json"
expect invalid-utf8 1 "" "1:11: byte that is never UTF-8" $BH json "$O/bad3.json"
printf '{"a":1} x' > "$O/bad4.json"
expect invalid-trailing-bytes 1 "" "1:9: bytes after the document" $BH json "$O/bad4.json"
printf '' > "$O/empty.json"
expect invalid-empty 1 "" "1:1: a value is missing" $BH json "$O/empty.json"
expect invalid-with-get 1 "" "1:6: unclosed array" $BH json --get /0 "$O/bad2.json"

expect usage-no-pointer 2 "" "-" $BH json --get
expect usage-unknown-flag 2 "" "-" $BH json --pretty $REAL
expect usage-two-files 2 "" "-" $BH json $REAL $REAL
expect usage-missing-file 2 "" "-" $BH json "$O/does-not-exist.json"
