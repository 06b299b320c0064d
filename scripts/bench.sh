#!/usr/bin/env bash
# One command for every benchmark: builds in release mode, starts the local static
# responder (aqr-bench responder) twice — plain HTTP and HTTPS (`--tls`: a CA generated at
# start, written to a file every client trusts) — and prints a single table from one run:
#   - the Rust clients vs raw ureq / reqwest (tools/aqr-bench),
#   - the Python clients vs requests, httpx, urllib3, pycurl, aiohttp (tools/bench-python,
#     installed at pinned versions into their own virtual environment .venv-bench),
#   each over HTTP with keep-alive, over HTTPS with keep-alive, and over HTTPS with a new
#   connection (a full TLS handshake) for every call,
#   - `import aqr` beside httpx, requests, openai and stripe (tools/bench-python/import_time.py),
#   - aqr-core's build + parse time (criterion),
# and whether the targets of issue 11 item 9 are met.
#
#   scripts/bench.sh [SECONDS_PER_MEASUREMENT [ROUNDS]]      (defaults: 2 s, 3 rounds)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-2}
rounds=${2:-3}
out=$(mktemp -d)
pids=()
trap 'for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; rm -rf "$out"' EXIT

echo "==> building (release)"
cargo build --release --locked -q -p aqr-bench
venv=.venv-bench
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/python" -m pip install -q -r tools/bench-python/requirements.txt
"$venv/bin/python" -m pip install -q --force-reinstall --no-deps .

# Starts `aqr-bench responder` with the given options; sets `started` to its URL.
start_responder() {
    local log="$out/responder-${#pids[@]}.log"
    target/release/aqr-bench responder --port 0 "$@" > "$log" &
    pids+=($!)
    for _ in $(seq 100); do grep -q listening "$log" 2>/dev/null && break; sleep 0.1; done
    started=$(grep -Eo 'https?://[0-9.:]+' "$log" | head -n 1) ||
        { echo "the responder did not start: $(cat "$log")" >&2; exit 1; }
}

echo "==> starting the static responders"
start_responder
url=$started
start_responder --tls --ca-file "$out/ca.pem"
tls_url=$started
echo "    $url and $tls_url (CA: $out/ca.pem)"

echo "==> Rust clients"
target/release/aqr-bench --url "$url" --url "$tls_url" --ca-file "$out/ca.pem" \
    --seconds "$seconds" --rounds "$rounds" --json "$out/rust.json"

echo "==> Python clients"
"$venv/bin/python" tools/bench-python/bench.py --url "$url" --tls-url "$tls_url" \
    --ca-file "$out/ca.pem" --seconds "$seconds" --rounds "$rounds" --json "$out/python.json"

echo "==> import time (a fresh interpreter per import, median of 15)"
"$venv/bin/python" tools/bench-python/import_time.py | tee "$out/import.md"

echo "==> aqr-core build + parse (criterion)"
cargo bench -q -p aqr-core --bench build_parse -- --warm-up-time 1 --measurement-time 3 \
    2>/dev/null | tee "$out/core.txt"

python3 tools/bench_table.py "$out/rust.json" "$out/python.json" "$out/core.txt"

echo
echo "## Import time (a fresh interpreter per import, median of 15)"
echo
cat "$out/import.md"
