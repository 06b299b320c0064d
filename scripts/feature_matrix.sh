#!/usr/bin/env bash
# Builds the facade with every supported feature combination and runs its HTTPS tests in
# each (crates/aqr/tests/https.rs), then checks that a build without any TLS library fails
# at compile time with a message that names the fix. Prints one line per combination and
# ends with "N passed, M failed" (scripts/test.sh counts them).
set -uo pipefail
cd "$(dirname "$0")/.."

passed=0
failed=0
combos=(
    "blocking,async,rustls"
    "blocking,rustls"
    "async,rustls"
    "blocking,async,rustls,native-tls"
    "blocking,rustls,native-tls"
    "async,rustls,native-tls"
)
for features in "${combos[@]}"; do
    if cargo test -q -p aqr --no-default-features --features "$features" --test https \
        >"${TMPDIR:-/tmp}/aqr-features.log" 2>&1; then
        echo "ok      $features"
        passed=$((passed + 1))
    else
        echo "FAILED  $features"
        tail -n 30 "${TMPDIR:-/tmp}/aqr-features.log"
        failed=$((failed + 1))
    fi
done

# Without a TLS library the facade must not compile, and must say how to fix it.
if out=$(cargo check -q -p aqr --no-default-features --features blocking 2>&1); then
    echo "FAILED  blocking without TLS compiled"
    failed=$((failed + 1))
elif grep -q "needs a TLS library" <<<"$out"; then
    echo "ok      blocking without TLS: compile_error! names the fix"
    passed=$((passed + 1))
else
    echo "FAILED  blocking without TLS failed for another reason:"
    echo "$out" | tail -n 20
    failed=$((failed + 1))
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
