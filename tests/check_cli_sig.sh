# bluehook sign and bluehook verify: the published known answers, every
# scheme both ways, rotation, secrets from a file and the environment, the
# body from a file and from standard input, and the exit codes (0 ok, 1 no,
# 2 usage) with the reason on stderr.
. tests/lib.sh
O=$B/check/cli_sig
mkdir -p "$O"
BH=$B/bluehook
if ! make -s "$BH" >>"$CLOG" 2>&1; then fail "cli-sig" "build/bluehook did not build"; exit 0; fi

# expect NAME WANT_EXIT WANT_STDOUT WANT_STDERR_SUBSTRING -- CMD...
expect() {
    local name=$1 want_rc=$2 want_out=$3 want_err=$4 out err rc
    shift 5
    out=$("$@" 2>"$O/stderr"); rc=$?
    err=$(cat "$O/stderr")
    if [ "$rc" != "$want_rc" ]; then fail "cli-sig/$name" "exit $rc, wanted $want_rc ($err)"; return; fi
    if [ -n "$want_out" ] && [ "$out" != "$want_out" ]; then fail "cli-sig/$name" "printed '$out', wanted '$want_out'"; return; fi
    if [ -n "$want_err" ] && ! printf '%s' "$err" | grep -qF -- "$want_err"; then
        fail "cli-sig/$name" "stderr '$err' lacks '$want_err'"; return
    fi
    pass "cli-sig/$name"
}

printf '{"test": 2432232314}' > "$O/official.json"
printf 'Hello, World!' > "$O/hello.txt"
STD=whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw
GH="It's a Secret to Everybody"

# Known answers: Standard Webhooks' own test, GitHub's documentation, Stripe.
expect standard-known-answer 0 "webhook-id: msg_p5jXN8AQM9LWM0D4loKWxJek
webhook-timestamp: 1614265330
webhook-signature: v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=" "" -- \
    $BH sign --scheme standard --secret $STD --id msg_p5jXN8AQM9LWM0D4loKWxJek --timestamp 1614265330 "$O/official.json"
expect github-known-answer 0 "X-Hub-Signature-256: sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17" "" -- \
    $BH sign --scheme github --secret "$GH" "$O/hello.txt"
expect stripe-known-answer 0 "Stripe-Signature: t=1614265330,v1=2e37df5d4a028c51a7f3133d64ae1e300d2c2c900f1b1d49d4369ad2530f8964" "" -- \
    $BH sign --scheme stripe --secret $STD --timestamp 1614265330 "$O/official.json"
expect stdin-body 0 "X-Hub-Signature-256: sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17" "" -- \
    sh -c "$BH sign --scheme github --secret \"\$1\" < '$O/hello.txt'" sh "$GH"

# Each scheme both ways, on Blue's real delivery and on bytes that are not UTF-8.
printf '{"a":"\377\376\000z"}' > "$O/binary.json"
for body in ../shared/blue/todo_created.min.json "$O/binary.json"; do
    tag=$(basename "$body" .json)
    for scheme in blue standard github stripe; do
        secret=blue-secret; wrong=other-secret
        [ $scheme = standard ] && secret=$STD && wrong=whsec_AAAAAAAA
        args=()
        while IFS= read -r line; do args+=(--header "$line"); done < <($BH sign --scheme $scheme --secret $secret --timestamp 1700000000 "$body")
        expect "$scheme-roundtrip-$tag" 0 ok "" -- $BH verify --scheme $scheme --secret $secret "${args[@]}" --now 1700000100 "$body"
        expect "$scheme-wrong-secret-$tag" 1 "" "no signature matches" -- \
            $BH verify --scheme $scheme --secret $wrong "${args[@]}" --now 1700000100 "$body"
        expect "$scheme-rotation-$tag" 0 ok "" -- \
            $BH verify --scheme $scheme --secret $wrong --secret $secret "${args[@]}" --now 1700000100 "$body"
        expect "$scheme-tampered-$tag" 1 "" "no signature matches" -- \
            $BH verify --scheme $scheme --secret $secret "${args[@]}" --now 1700000100 "$O/hello.txt"
        expect "$scheme-no-header-$tag" 1 "" "signature header missing" -- \
            $BH verify --scheme $scheme --secret $secret --header "X-Other: 1" --now 1700000100 "$body"
    done
done

# Timestamps: 300 s passes, 301 fails; --tolerance widens the window.
args=()
while IFS= read -r line; do args+=(--header "$line"); done < <($BH sign --scheme standard --secret $STD --id msg_1 --timestamp 1700000000 "$O/official.json")
expect tolerance-300 0 ok "" -- $BH verify --scheme standard --secret $STD "${args[@]}" --now 1700000300 "$O/official.json"
expect tolerance-301 1 "" "timestamp outside tolerance" -- $BH verify --scheme standard --secret $STD "${args[@]}" --now 1700000301 "$O/official.json"
expect tolerance-future-301 1 "" "timestamp outside tolerance" -- $BH verify --scheme standard --secret $STD "${args[@]}" --now 1699999699 "$O/official.json"
expect tolerance-flag 0 ok "" -- $BH verify --scheme standard --secret $STD "${args[@]}" --now 1700000301 --tolerance 301 "$O/official.json"
expect malformed-signature 1 "" "signature header malformed" -- \
    $BH verify --scheme standard --secret $STD --header "webhook-id: msg_1" --header "webhook-timestamp: 1700000000" \
    --header "webhook-signature: v1,not-base64" --now 1700000000 "$O/official.json"

# Secrets from a file and from the environment, never on the command line.
printf '%s\n' "$STD" > "$O/secret.txt"
expect secret-file 0 ok "" -- $BH verify --scheme standard --secret-file "$O/secret.txt" "${args[@]}" --now 1700000000 "$O/official.json"
expect secret-env 0 ok "" -- env BLUEHOOK_SECRET=$STD $BH verify --scheme standard "${args[@]}" --now 1700000000 "$O/official.json"
expect secret-flag-over-env 1 "" "no signature matches" -- env BLUEHOOK_SECRET=$STD $BH verify --scheme standard --secret whsec_AAAA "${args[@]}" --now 1700000000 "$O/official.json"
expect sign-secret-env 0 "X-Hub-Signature-256: sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17" "" -- \
    env BLUEHOOK_SECRET="$GH" $BH sign --scheme github "$O/hello.txt"

# Usage errors exit 2.
expect usage-no-secret 2 "" "a secret is required" -- env -u BLUEHOOK_SECRET $BH sign --scheme blue "$O/hello.txt"
expect usage-empty-secret 2 "" "may not be empty" -- $BH sign --scheme blue --secret "" "$O/hello.txt"
expect usage-bad-standard-secret 2 "" "base64" -- $BH sign --scheme standard --secret whsec_abc "$O/hello.txt"
expect usage-unknown-scheme 2 "" "--scheme" -- $BH sign --scheme svix --secret x "$O/hello.txt"
expect usage-bad-timestamp 2 "" "--timestamp" -- $BH sign --scheme stripe --secret x --timestamp 12x "$O/hello.txt"
expect usage-negative-timestamp 2 "" "--timestamp" -- $BH sign --scheme stripe --secret x --timestamp -5 "$O/hello.txt"
expect usage-bad-id 2 "" "--id" -- $BH sign --scheme standard --secret $STD --id "a b" "$O/hello.txt"
expect usage-bad-tolerance 2 "" "--tolerance" -- $BH verify --secret x --header "X-Signature: 00" --tolerance 0 "$O/hello.txt"
expect usage-bad-header 2 "" "Name: value" -- $BH verify --secret x --header "no colon" "$O/hello.txt"
expect usage-unknown-flag 2 "" "unknown flag" -- $BH verify --secret x --frobnicate 1 "$O/hello.txt"
expect usage-missing-file 2 "" "No such file" -- $BH sign --secret x "$O/does-not-exist"
