#!/usr/bin/env bash
# What the server's policy costs the page: the nightly release page as the tree is now (uncommitted changes
# included; new files once added), and the same page with the policy taken out by bench/no-policy.py in a copy
# of the tree, each measured by bench/size.sh. Prints both totals, the difference, and whether it is within the
# limit (6 KB gzip). Slow: a release build each (about a minute once the dependencies are built).
#   bench/policy-cost.sh           the policy as a whole
#   bench/policy-cost.sh --parts   also what each part costs: the page with the parts taken out one after another
#                                  (bench/no-policy.py's PARTS), each against the one before
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=/dev/null
source <(sed -n '/^NIGHTLY=/p;/^TOOLS_DIR=/p;/^trunk_release_small()/,/^}/p' dev)
export PATH="$TOOLS_DIR/bin:$TOOLS_DIR/node_modules/.bin:$PATH"
LIMIT=6144
parts=(checked)
if [ "${1:-}" = --parts ]; then
  read -r -a parts <<<"$(python3 -c 'import sys; sys.path.insert(0, "bench"); import importlib; print(" ".join(importlib.import_module("no-policy").PARTS))')"
elif [ $# -gt 0 ]; then
  echo "usage: bench/policy-cost.sh [--parts]" >&2; exit 2
fi
here=$PWD
out=$here/target/policy-cost
copy=$(mktemp -d)
cleanup() { git worktree remove --force "$copy" >/dev/null 2>&1 || rm -rf "$copy"; }
trap cleanup EXIT
mkdir -p "$out"
git worktree add --quiet --detach "$copy" HEAD

build() { # TREE TARGET DIST
  rm -rf "$3"
  (cd "$1" && CARGO_TARGET_DIR=$2 trunk_release_small --dist "$3") >"$3.log" 2>&1 ||
    { tail -30 "$3.log" >&2; exit 1; }
}
total() { (bench/size.sh --dir "$1" || true) | awk '/^total/ { print $NF }'; }

# The copy builds into a target folder of its own, kept between runs: two checkouts of one workspace share
# artifact names (cargo hashes the paths inside a workspace relative to its root), so in one target folder each
# would overwrite the other's page and model unnoticed.
build "$here" "${CARGO_TARGET_DIR:-$here/target}" "$out/with"
with=$(total "$out/with")
printf '%-34s %7d B gzip\n' "page with the policy" "$with"
before=$with
for part in "${parts[@]}"; do
  (cd "$copy" && git checkout --quiet . && { git -C "$here" diff HEAD --binary | git apply --allow-empty; } &&
    python3 "$here/bench/no-policy.py" "$part")
  build "$copy" "$out/target" "$out/without-$part"
  size=$(total "$out/without-$part")
  if [ ${#parts[@]} -gt 1 ]; then
    printf '  %-32s %7d B gzip: %+6d\n' "and not $part" "$size" $((size - before))
  fi
  before=$size
done
cost=$((with - before))
printf '%-34s %7d B gzip\n' "page without it" "$before"
printf '%-34s %7d B gzip (limit %d: %s)\n' "the policy costs" "$cost" "$LIMIT" \
  "$([ "$cost" -le "$LIMIT" ] && echo within || echo OVER)"
