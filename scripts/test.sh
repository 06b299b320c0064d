#!/usr/bin/env bash
# Runs every test of the project — the Rust workspace and the Python package — and ends with
# one line counting passed and failed tests. Needs only a Rust toolchain and Python 3:
# it builds the Python extension into its own virtual environment (.venv-test).
#
#   scripts/test.sh            everything
#   AQR_SKIP_PYTHON=1 ...      Rust only
#   AQR_LINT=0 ...             skip the checks cargo fmt --check, clippy -D warnings and
#                              rustdoc -D warnings (each counts as one test)
set -uo pipefail
cd "$(dirname "$0")/.."

passed=0
failed=0
status=0
log_dir=$(mktemp -d)
trap 'rm -rf "$log_dir"' EXIT

step() { printf '\n==> %s\n' "$*"; }

count_cargo() { # sums "test result: ... N passed; M failed" lines of a cargo log
    local p f
    p=$(grep -Eo '[0-9]+ passed' "$1" | awk '{s+=$1} END {print s+0}')
    f=$(grep -Eo '[0-9]+ failed' "$1" | awk '{s+=$1} END {print s+0}')
    passed=$((passed + p))
    failed=$((failed + f))
}

lint() { # name, command...: a check that counts as one test
    local name=$1
    shift
    if "$@"; then
        passed=$((passed + 1))
    else
        echo "FAILED: $name"
        status=1
        failed=$((failed + 1))
    fi
}

if [ "${AQR_LINT:-1}" = 1 ]; then
    step "Checks: cargo fmt --check, clippy -D warnings, rustdoc -D warnings"
    lint "cargo fmt --check" cargo fmt --all -- --check
    lint "clippy" cargo clippy --workspace --all-targets --quiet -- -D warnings
    lint "rustdoc" env RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps --quiet
fi

step "Rust: cargo test (workspace)"
cargo test --workspace --exclude aqr-python 2>&1 | tee "$log_dir/cargo.log"
rc=${PIPESTATUS[0]}
count_cargo "$log_dir/cargo.log"
if [ "$rc" -ne 0 ]; then
    status=1
    # A build failure runs no test: count it so the summary cannot look green.
    grep -q 'test result:' "$log_dir/cargo.log" || failed=$((failed + 1))
fi

if [ "${AQR_SKIP_PYTHON:-0}" != 1 ]; then
    step "Binaries the cross-client fault matrix drives (aqr, aqr-probe)"
    cargo build -p aqr-cli -p aqr-probe || { status=1; failed=$((failed + 1)); }

    step "Python: build the extension into .venv-test and run pytest"
    py=${PYTHON:-python3}
    venv=.venv-test
    if [ ! -x "$venv/bin/python" ]; then
        "$py" -m venv "$venv" || { echo "cannot create a virtual environment with $py"; exit 1; }
    fi
    "$venv/bin/python" -m pip install --quiet --upgrade pip >/dev/null 2>&1 || true
    if "$venv/bin/python" -m pip install --quiet -r tests/python/requirements.txt \
        && "$venv/bin/python" -m pip install --quiet --force-reinstall --no-deps .; then
        "$venv/bin/python" -m pytest tests/python -q -p no:cacheprovider 2>&1 | tee "$log_dir/pytest.log"
        rc=${PIPESTATUS[0]}
        summary=$(grep -E '(passed|failed|error)' "$log_dir/pytest.log" | tail -n 1)
        p=$(grep -Eo '[0-9]+ passed' <<<"$summary" | grep -Eo '[0-9]+' || echo 0)
        f=$(grep -Eo '[0-9]+ (failed|errors?)' <<<"$summary" | grep -Eo '[0-9]+' | awk '{s+=$1} END {print s+0}')
        passed=$((passed + p))
        failed=$((failed + f))
        if [ "$rc" -ne 0 ]; then
            status=1
            [ "$f" -gt 0 ] || failed=$((failed + 1))
        fi
    else
        echo "installing the Python package failed"
        status=1
        failed=$((failed + 1))
    fi
fi

echo
echo "$passed passed, $failed failed"
exit "$status"
