#!/usr/bin/env bash
# What the server's policy costs the page: the nightly release page as the tree is now (uncommitted changes
# included; new files only once added), and the same page with the policy taken out by bench/no-policy.py in a copy of the tree, each
# measured by bench/size.sh. Prints both totals, the difference, and whether it is within the limit (6 KB gzip).
# Slow: two release builds (about a minute each once the dependencies are built).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=/dev/null
source <(sed -n '/^NIGHTLY=/p;/^TOOLS_DIR=/p;/^trunk_release_small()/,/^}/p' dev)
export PATH="$TOOLS_DIR/bin:$TOOLS_DIR/node_modules/.bin:$PATH"
LIMIT=6144
out=$PWD/target/policy-cost
copy=$(mktemp -d)
cleanup() { git worktree remove --force "$copy" >/dev/null 2>&1 || rm -rf "$copy"; }
trap cleanup EXIT
rm -rf "$out/with" "$out/without"; mkdir -p "$out"

git worktree add --quiet --detach "$copy" HEAD
git diff HEAD --binary | (cd "$copy" && git apply --allow-empty)
here=$PWD
(cd "$copy" && python3 "$here/bench/no-policy.py")

build() { # TREE TARGET DIST
  (cd "$1" && CARGO_TARGET_DIR=$2 trunk_release_small --dist "$3") >"$3.log" 2>&1 ||
    { tail -30 "$3.log" >&2; exit 1; }
}
total() { (bench/size.sh --dir "$1" || true) | awk '/^total/ { print $NF }'; }
# The copy builds into a target folder of its own, kept between runs: two trees of one package in one target
# folder overwrite each other's page, and cargo, which tells them apart, would not notice.
build "$PWD" "${CARGO_TARGET_DIR:-$PWD/target}" "$out/with"
build "$copy" "$out/target" "$out/without"
with=$(total "$out/with")
without=$(total "$out/without")
cost=$((with - without))
printf 'page with the policy     %7d B gzip\n' "$with"
printf 'page without it          %7d B gzip\n' "$without"
printf 'the policy costs         %7d B gzip (limit %d: %s)\n' "$cost" "$LIMIT" \
  "$([ "$cost" -le "$LIMIT" ] && echo within || echo OVER)"
