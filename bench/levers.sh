#!/usr/bin/env bash
# Measures size levers on the shipped page: each variant is the nightly release build (./dev's trunk_release_small)
# with one lever added, built into target/levers/NAME and measured by bench/size.sh. Prints a table of wasm and
# total gzip bytes and each variant's difference from the baseline. Slow: each variant rebuilds std and the page.
#   bench/levers.sh [NAME ...]   only these variants (default: all)
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=/dev/null
source <(sed -n '/^NIGHTLY=/p;/^TOOLS_DIR=/p;/^trunk_release_small()/,/^}/p' dev)
export PATH="$TOOLS_DIR/bin:$TOOLS_DIR/node_modules/.bin:$PATH"

# name | extra wasm RUSTFLAGS | cargo features
VARIANTS=(
  "baseline||"
  "erase_components|--cfg erase_components|"
  "talc||alloc-talc"
  "lol_alloc||alloc-lol"
)
want=("$@")
results=()
for v in "${VARIANTS[@]}"; do
  IFS='|' read -r name flags features <<<"$v"
  if [ ${#want[@]} -gt 0 ] && [[ " ${want[*]} " != *" $name "* ]]; then continue; fi
  dir=target/levers/$name
  rm -rf "$dir"; mkdir -p target/levers
  echo "== $name" >&2
  started=$SECONDS
  extra=()
  [ -n "$features" ] && extra=(--features "$features")
  WS_EXTRA_WASM_RUSTFLAGS="$flags" trunk_release_small --dist "$dir" "${extra[@]}" >"$dir.log" 2>&1 ||
    { tail -20 "$dir.log" >&2; exit 1; }
  wasm=$(gzip -9 -c "$dir"/*.wasm | wc -c)
  total=$( (bench/size.sh --dir "$dir" || true) | awk '/^total/ { print $NF }')
  results+=("$name $wasm $total $((SECONDS - started))")
done
base_w= base_t=
printf '%-18s %12s %12s %10s %8s\n' variant "wasm gzip" "total gzip" "vs base" "build s"
for r in "${results[@]}"; do
  read -r name wasm total secs <<<"$r"
  [ -n "$base_t" ] || { base_w=$wasm; base_t=$total; }
  printf '%-18s %12s %12s %+10d %8s\n' "$name" "$wasm" "$total" $((total - base_t)) "$secs"
done
