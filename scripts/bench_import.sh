#!/usr/bin/env bash
# Benchmark of `aqr import`: 10,000 rows against the release mock (`aqr mock`) with
# --jobs 16, with the ledger and with --no-ledger. Prints rows/s for each and the
# ledger's cost. Not a test: numbers depend on the machine (and its disk: the ledger
# fsyncs each pending record before the create is sent).
#
#   scripts/bench_import.sh [ROWS] [JOBS] [RUNS]     defaults: 10000 16 3
set -euo pipefail
cd "$(dirname "$0")/.."

rows=${1:-10000}
jobs=${2:-16}
runs=${3:-3}
target=${CARGO_TARGET_DIR:-target}

cargo build --release --quiet -p aqr-cli
aqr="$target/release/aqr"

work=$(mktemp -d)
mock_pid=
cleanup() {
    [ -n "$mock_pid" ] && kill "$mock_pid" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

"$aqr" mock --port 0 >"$work/mock.out" 2>/dev/null &
mock_pid=$!
for _ in $(seq 50); do
    grep -q 'listening on' "$work/mock.out" 2>/dev/null && break
    sleep 0.1
done
url=$(head -n 1 "$work/mock.out" | grep -o 'http://127.0.0.1:[0-9]*')
export AQR_BASE_URL=$url AQR_DEVELOPER_TOKEN=mock-developer-token AQR_EMAIL=dev@example.com

input="$work/rows.csv"
{
    echo "account_number,bank,owner,phone,name"
    for ((i = 1; i <= rows; i++)); do
        printf '3333%09d,토스뱅크,홍길동,010-1234-5678,row %d\n' "$i" "$i"
    done
} >"$input"

# Seconds for one import of the whole file (args: --ledger FILE or --no-ledger).
time_import() {
    local start end
    start=$(date +%s.%N)
    "$aqr" import --quiet --jobs "$jobs" "$@" "$input" >/dev/null
    end=$(date +%s.%N)
    echo "$end - $start" | bc -l
}

best() { sort -n | head -n 1; }

declare -a with without
for ((r = 1; r <= runs; r++)); do
    with+=("$(time_import --ledger "$work/ledger-$r.sqlite3")")
    without+=("$(time_import --no-ledger)")
done
t_with=$(printf '%s\n' "${with[@]}" | best)
t_without=$(printf '%s\n' "${without[@]}" | best)

rate() { echo "$rows / $1" | bc -l; }
printf 'aqr import: %d rows, --jobs %d, release build, best of %d runs (disk: %s)\n' \
    "$rows" "$jobs" "$runs" "$(df -T "$work" | awk 'NR==2 {print $2}')"
printf '  %-12s %8.2f s  %8.0f rows/s   (runs: %s)\n' "ledger" "$t_with" "$(rate "$t_with")" "${with[*]}"
printf '  %-12s %8.2f s  %8.0f rows/s   (runs: %s)\n' "--no-ledger" "$t_without" "$(rate "$t_without")" "${without[*]}"
printf '  ledger cost: %.0f µs per row, %.2fx the time without it\n' \
    "$(echo "($t_with - $t_without) * 1000000 / $rows" | bc -l)" "$(echo "$t_with / $t_without" | bc -l)"
