#!/usr/bin/env bash
# One command for every benchmark: builds in release mode, starts ONE local static
# responder (aqr-bench responder), and prints a single table from one run:
#   - the Rust clients vs raw ureq / reqwest (tools/aqr-bench),
#   - the Python clients vs requests, httpx, urllib3, pycurl, aiohttp (tools/bench-python,
#     installed into their own virtual environment .venv-bench),
#   - aqr-core's build + parse time (criterion).
#
#   scripts/bench.sh [SECONDS_PER_MEASUREMENT [ROUNDS]]      (defaults: 2 s, 3 rounds)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-2}
rounds=${2:-3}
out=$(mktemp -d)
trap 'kill "$responder_pid" 2>/dev/null || true; rm -rf "$out"' EXIT

echo "==> building (release)"
cargo build --release -q -p aqr-bench
venv=.venv-bench
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/python" -m pip install -q -r tools/bench-python/requirements.txt
"$venv/bin/python" -m pip install -q --force-reinstall --no-deps .

echo "==> starting the static responder"
target/release/aqr-bench responder --port 0 > "$out/responder.log" &
responder_pid=$!
for _ in $(seq 50); do grep -q listening "$out/responder.log" 2>/dev/null && break; sleep 0.1; done
url=$(grep -Eo 'http://[0-9.:]+' "$out/responder.log" | head -n 1)
echo "    $url"

echo "==> Rust clients"
target/release/aqr-bench --url "$url" --seconds "$seconds" --rounds "$rounds" | tee "$out/rust.txt"

echo "==> Python clients"
"$venv/bin/python" tools/bench-python/bench.py --url "$url" --seconds "$seconds" \
    --rounds "$rounds" --json "$out/python.json"

echo "==> aqr-core build + parse (criterion)"
cargo bench -q -p aqr-core --bench build_parse -- --warm-up-time 1 --measurement-time 3 \
    2>/dev/null | tee "$out/core.txt"

python3 tools/bench_table.py "$out/rust.txt" "$out/python.json" "$out/core.txt"
