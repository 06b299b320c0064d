#!/usr/bin/env bash
# The release build, as the release workflow makes it, checked: the portable wheel
# (scripts/build_wheel.sh) and the sdist into dist/, then scripts/check_dist.py: wheel
# tags, `auditwheel show` (manylinux, glibc <= 2.28), stripped extension, licence files,
# the console script, the sdist's contents, the installed-wheel smoke test beside the
# debug `aqr` binary, the docs.rs build, and `cargo publish --workspace --dry-run`. Installs
# its pinned tools itself. Ends with "N passed, M failed".
#
#   scripts/dist.sh                     ~15 min from nothing on 2 cores (the wheel's
#                                       release build), ~5 min once its target is warm
#   AQR_SDIST_BUILD=1 scripts/dist.sh   also builds the sdist in a clean venv with a fresh
#                                       target directory, as pip does for a user (timed;
#                                       another release build from nothing)
set -uo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$PWD/target}

give_up() {
    echo "FAILED   $1"
    echo "0 passed, 1 failed"
    exit 1
}

bin=$(scripts/dist_tools.sh) || give_up "installing the pinned tools (scripts/dist-requirements.txt)"
rm -f dist/aqr-*.whl dist/aqr-*.tar.gz
start=$SECONDS
wheel=$(scripts/build_wheel.sh dist | tail -n 1) || give_up "scripts/build_wheel.sh"
echo "wheel built in $((SECONDS - start)) s: $wheel"
start=$SECONDS
"$bin/maturin" sdist --out dist >&2 || give_up "maturin sdist"
sdist=$(ls -t dist/aqr-*.tar.gz | head -n 1)
echo "sdist built in $((SECONDS - start)) s: $sdist"
cargo build --locked --quiet -p aqr-cli || give_up "building the aqr binary to compare with"

extra=()
[ "${AQR_SDIST_BUILD:-0}" = 1 ] && extra+=(--sdist-build)
"$bin/python" scripts/check_dist.py "$wheel" "$sdist" \
    --rust-bin "$CARGO_TARGET_DIR/debug/aqr" "${extra[@]}"
