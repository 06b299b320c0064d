#!/usr/bin/env bash
# Runs every test of the project — the checks, the Rust workspace, the facade in every
# feature combination, the packages as they would be published, the release workflows, the
# Python package as installed, the five clients side by side — and ends with one line
# counting passed and failed tests. Needs only a Rust toolchain and Python 3: it installs
# the pinned test tools into its own virtual environment (.venv-test, tests/constraints.txt)
# and builds the Python package there. The release build (portable wheel, sdist, publish
# dry runs) is scripts/dist.sh: minutes more, so it is not part of this command.
#
#   scripts/test.sh            everything
#   AQR_SKIP_PYTHON=1 ...      Rust only
#   AQR_LINT=0 ...             skip the checks (cargo fmt --check, clippy -D warnings,
#                              rustdoc -D warnings, module cycles, ruff; each counts as one)
set -uo pipefail
cd "$(dirname "$0")/.."

passed=0
failed=0
status=0
log_dir=$(mktemp -d)
trap 'rm -rf "$log_dir"' EXIT
py=${PYTHON:-python3}
venv=.venv-test

started=$SECONDS
step() { printf '\n==> [%dm%02ds] %s\n' $(((SECONDS - started) / 60)) $(((SECONDS - started) % 60)) "$*"; }

fail() { # a step that could not run counts as a failure, so the summary cannot look green
    echo "FAILED: $*"
    status=1
    failed=$((failed + 1))
}

count_cargo() { # sums "test result: ... N passed; M failed" lines of a cargo log
    local p f
    p=$(grep -E '^test result:' "$1" | grep -Eo '[0-9]+ passed' | awk '{s+=$1} END {print s+0}')
    f=$(grep -E '^test result:' "$1" | grep -Eo '[0-9]+ failed' | awk '{s+=$1} END {print s+0}')
    passed=$((passed + p))
    failed=$((failed + f))
}

count_summary() { # adds the "N passed, M failed" line a script ends with
    local line p f
    line=$(grep -E '[0-9]+ passed, [0-9]+ failed' "$1" | tail -n 1)
    p=$(grep -Eo '[0-9]+ passed' <<<"$line" | grep -Eo '[0-9]+' || echo 0)
    f=$(grep -Eo '[0-9]+ failed' <<<"$line" | grep -Eo '[0-9]+' || echo 0)
    passed=$((passed + p))
    failed=$((failed + f))
    [ -n "$line" ] || fail "$2 printed no summary"
}

count_pytest() { # adds pytest's final summary line
    local summary p f
    summary=$(grep -E '(passed|failed|error)' "$1" | tail -n 1)
    p=$(grep -Eo '[0-9]+ passed' <<<"$summary" | grep -Eo '[0-9]+' || echo 0)
    f=$(grep -Eo '[0-9]+ (failed|errors?)' <<<"$summary" | grep -Eo '[0-9]+' | awk '{s+=$1} END {print s+0}')
    passed=$((passed + p))
    failed=$((failed + f))
    return "$f"
}

lint() { # name, command...: a check that counts as one test
    local name=$1
    shift
    if "$@"; then
        passed=$((passed + 1))
    else
        fail "$name"
    fi
}

python_ready=0
if [ "${AQR_SKIP_PYTHON:-0}" != 1 ]; then
    step "Python: a virtual environment with the pinned test tools (.venv-test)"
    if [ ! -x "$venv/bin/python" ]; then
        "$py" -m venv "$venv" || { echo "cannot create a virtual environment with $py"; exit 1; }
    fi
    if "$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
        -c tests/constraints.txt -r tests/python/requirements.txt -r tests/crossclient/requirements.txt; then
        python_ready=1
    else
        fail "installing the Python test tools"
    fi
fi

if [ "${AQR_LINT:-1}" = 1 ]; then
    step "Checks: fmt, clippy -D warnings, rustdoc -D warnings, module cycles, ruff"
    lint "cargo fmt --check" cargo fmt --all -- --check
    lint "clippy" cargo clippy --workspace --all-targets --locked --quiet -- -D warnings
    lint "rustdoc" env RUSTDOCFLAGS="-D warnings" cargo doc --workspace --lib --no-deps --locked --quiet
    lint "module cycles" "$py" scripts/module_cycles.py crates/*/src
    if [ "$python_ready" = 1 ]; then
        lint "ruff format --check" "$venv/bin/ruff" format --check --quiet python tests tools scripts
        lint "ruff check" "$venv/bin/ruff" check --quiet python tests tools scripts
    fi
fi

step "Rust: cargo test (workspace)"
cargo test --workspace --exclude aqr-python --locked 2>&1 | tee "$log_dir/cargo.log"
rc=${PIPESTATUS[0]}
count_cargo "$log_dir/cargo.log"
if [ "$rc" -ne 0 ]; then
    status=1
    grep -q 'test result:' "$log_dir/cargo.log" || fail "cargo test built nothing"
fi

step "Rust: the facade over HTTPS in every feature combination"
scripts/feature_matrix.sh 2>&1 | tee "$log_dir/features.log"
[ "${PIPESTATUS[0]}" -eq 0 ] || status=1
count_summary "$log_dir/features.log" "scripts/feature_matrix.sh"

step "Binaries the cross-client tests drive (aqr, aqr-probe)"
cargo build --locked -p aqr-cli -p aqr-probe || fail "building aqr and aqr-probe"

step "Packaging: every publishable crate as it would be published (scripts/check_packages.py)"
"$py" scripts/check_packages.py 2>&1 | tee "$log_dir/packages.log"
[ "${PIPESTATUS[0]}" -eq 0 ] || status=1
count_summary "$log_dir/packages.log" "scripts/check_packages.py"

step "Workflows: schema and actionlint (scripts/check_workflows.sh)"
scripts/check_workflows.sh 2>&1 | tee "$log_dir/workflows.log"
[ "${PIPESTATUS[0]}" -eq 0 ] || status=1
count_summary "$log_dir/workflows.log" "scripts/check_workflows.sh"

if [ "$python_ready" = 1 ]; then
    step "Python: build the package once (a wheel, debug profile) and run pytest"
    # The release wheel (portable, stripped) is scripts/dist.sh's job; the tests need the
    # package as it is installed, which a debug build gives at a fraction of the time.
    wheel_dir="$log_dir/wheel"
    if "$venv/bin/maturin" build --quiet --profile dev --out "$wheel_dir" \
        && "$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
            --force-reinstall --no-deps "$wheel_dir"/*.whl; then
        "$venv/bin/python" -m pytest tests/python tests/crossclient -q -p no:cacheprovider \
            2>&1 | tee "$log_dir/pytest.log"
        rc=${PIPESTATUS[0]}
        count_pytest "$log_dir/pytest.log"
        f=$?
        if [ "$rc" -ne 0 ]; then
            status=1
            [ "$f" -gt 0 ] || fail "pytest"
        fi

        step "Python: the wheel as installed in a venv without Rust, beside the aqr binary"
        "$py" scripts/smoke_wheel.py "$wheel_dir"/*.whl \
            --rust-bin "${CARGO_TARGET_DIR:-target}/debug/aqr" 2>&1 | tee "$log_dir/smoke.log"
        [ "${PIPESTATUS[0]}" -eq 0 ] || status=1
        count_summary "$log_dir/smoke.log" "scripts/smoke_wheel.py"
    else
        fail "building and installing the Python package"
    fi
fi

echo
echo "took $(((SECONDS - started) / 60))m$(((SECONDS - started) % 60))s"
echo "$passed passed, $failed failed"
exit "$status"
