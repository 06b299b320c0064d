#!/usr/bin/env bash
# What a build costs: a clean release build of one package (empty target directory, wall
# and CPU time), the size of its stripped artifact, and how many symbols of each crypto
# provider it links (aws-lc-rs: `aws_lc`; ring: `ring_core`). Used to measure what moving
# the tree to one crypto provider bought (issue 11 item 3):
#
#   git worktree add /work/wt-before 12b930e
#   tools/build_cost.sh /work/wt-before /work/wt-before/target aqr-python aqr-cli
#   tools/build_cost.sh .               /tmp/aqr-after-target  aqr-python aqr-cli
#
#   tools/build_cost.sh SOURCE_DIR TARGET_DIR PACKAGE...
#
# TARGET_DIR is emptied before each package (so each is built on its own, from nothing)
# and removed at the end. Prints one Markdown row per package; the machine's load average
# is printed beside each build, since the wall time depends on what else runs.
set -euo pipefail
[ $# -ge 3 ] || { sed -n '2,14p' "$0"; exit 2; }
source_dir=$(cd "$1" && pwd)
target_dir=$2
shift 2
commit=$(git -C "$source_dir" rev-parse --short HEAD)
log=$(mktemp)
trap 'rm -f "$log"; rm -rf "$target_dir"' EXIT

# The artifact a package builds, relative to target/release.
artifact() {
    case $1 in
    aqr-python) echo lib_aqr.so ;;
    aqr-cli) echo aqr ;;
    *) echo "$1" ;;
    esac
}

# Defined symbols whose name contains $2 (dynamic table for a shared library, the full
# table otherwise; either may be absent).
symbols() {
    { nm -D --defined-only "$1" 2>/dev/null; nm --defined-only "$1" 2>/dev/null; } |
        awk '{print $NF}' | sort -u | grep -c "$2" || true
}

echo "| commit | package | build wall s | build CPU s (user+sys) | load avg at start | stripped bytes | aws_lc symbols | ring_core symbols |"
echo "|---|---|---:|---:|---:|---:|---:|---:|"
for package in "$@"; do
    rm -rf "$target_dir"
    load=$(cut -d' ' -f1 /proc/loadavg)
    (cd "$source_dir" && CARGO_TARGET_DIR=$target_dir /usr/bin/time -f '%e %U %S' -o "$log" \
        cargo build --release --locked -q -p "$package")
    read -r wall user sys < "$log"
    file="$target_dir/release/$(artifact "$package")"
    stripped=$(mktemp)
    cp "$file" "$stripped"
    strip "$stripped"
    size=$(stat -c %s "$stripped")
    rm -f "$stripped"
    cpu=$(echo "$user + $sys" | bc)
    echo "| $commit | $package | $wall | $cpu | $load | $size | $(symbols "$file" aws_lc) | $(symbols "$file" ring_core) |"
done
