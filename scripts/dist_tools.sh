#!/usr/bin/env bash
# Installs the pinned packaging tools (scripts/dist-requirements.txt) into .venv-dist and
# prints the directory of their executables. Used by the packaging scripts:
#
#   bin=$(scripts/dist_tools.sh) || exit 1
#   "$bin/maturin" --version
#
# PYTHON picks the interpreter that creates the environment (default python3).
set -euo pipefail
cd "$(dirname "$0")/.."
venv=.venv-dist
if [ ! -x "$venv/bin/python" ]; then
    "${PYTHON:-python3}" -m venv "$venv" >&2
fi
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
    -r scripts/dist-requirements.txt >&2
echo "$PWD/$venv/bin"
