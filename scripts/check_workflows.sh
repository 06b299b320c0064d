#!/usr/bin/env bash
# The workflow check: every file in .github/workflows/ against the published GitHub
# workflow schema (check-jsonschema's built-in copy: no network needed), then actionlint
# over all of them (expressions, action inputs, runner labels, and the `run:` scripts
# through shellcheck), then the one Linux platform policy: release.yml's `manylinux`
# values and scripts/build_wheel.sh's --compatibility must agree. Installs its pinned
# tools itself (scripts/dist_tools.sh). Ends with "N passed, M failed".
#
#   scripts/check_workflows.sh
set -uo pipefail
cd "$(dirname "$0")/.."

passed=0
failed=0
record() { # name, status
    if [ "$2" -eq 0 ]; then
        echo "ok       $1"
        passed=$((passed + 1))
    else
        echo "FAILED   $1"
        failed=$((failed + 1))
    fi
}

if ! bin=$(scripts/dist_tools.sh); then
    record "installing the pinned tools (scripts/dist-requirements.txt)" 1
    echo "$passed passed, $failed failed"
    exit 1
fi

workflows=(.github/workflows/*.yml)
for workflow in "${workflows[@]}"; do
    "$bin/check-jsonschema" --builtin-schema vendor.github-workflows "$workflow" >/dev/null
    record "schema: $workflow" $?
done

versions="$("$bin/actionlint" -version | head -n 1), shellcheck $("$bin/shellcheck" --version | sed -n 's/^version: //p')"
"$bin/actionlint" -no-color -oneline -shellcheck "$bin/shellcheck" "${workflows[@]}"
record "actionlint ($versions)" $?

# The Linux wheel's platform: the only --compatibility of build_wheel.sh, and each
# non-empty `manylinux:` of release.yml prefixed with "manylinux".
local_policy=$(grep -Eo -- '--compatibility [a-z0-9_]+' scripts/build_wheel.sh | awk '{print $2}' | sort -u)
ci_policy=$(grep -Eo 'manylinux: "[^"]+"' .github/workflows/release.yml | cut -d'"' -f2 | sed 's/^/manylinux/' | sort -u)
[ -n "$local_policy" ] && [ "$local_policy" = "$ci_policy" ]
record "one Linux platform policy: build_wheel.sh '$local_policy', release.yml '$ci_policy'" $?

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
