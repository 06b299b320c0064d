#!/usr/bin/env bash
# Builds the portable Linux wheel of the Python package into OUT_DIR (default dist/) and
# prints its path on the last line: abi3 (CPython >= 3.10), release, stripped, linked by
# zig against glibc 2.17 so that it is tagged manylinux2014 (it installs on every Linux
# with glibc >= 2.17: Debian 8+, Ubuntu 14.04+, RHEL/CentOS 7+, Amazon Linux 2). A release
# build: ~15 minutes from nothing on 2 cores; run one at a time. Installs its pinned tools
# itself (scripts/dist_tools.sh). Respects CARGO_TARGET_DIR.
#
#   scripts/build_wheel.sh [OUT_DIR]
#
# The platform policy (--compatibility) is also release.yml's `manylinux:`; the workflow
# check (scripts/check_workflows.sh) fails when the two differ.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-dist}
bin=$(scripts/dist_tools.sh)
mkdir -p "$out"
before=$(mktemp)
trap 'rm -f "$before"' EXIT
ls "$out" >"$before"
# maturin finds zig through the ziglang package of the tools' Python, first on PATH.
PATH="$bin:$PATH" maturin build --release --locked --strip --zig \
    --compatibility manylinux2014 --out "$out" >&2
wheel=$(ls -t "$out"/aqr-*.whl | head -n 1)
grep -qxF "$(basename "$wheel")" "$before" && echo "note: $wheel was overwritten" >&2
echo "$wheel"
