#!/bin/sh
# Trunk post-build step for release builds of any page of this project (the console, bench/leptos-floor): minifies
# the JS with esbuild (trunk's own minifier cannot parse wasm-bindgen's glue) and writes .br and .gz beside every
# wasm, JS and CSS file, for workspace-server to serve by Accept-Encoding. Other builds are left as they are.
set -eu
[ "${TRUNK_PROFILE:-}" = release ] || exit 0
dir=$TRUNK_STAGING_DIR
root=$(cd "$(dirname "$0")/.." && pwd)
tools=${WS_TOOLS_DIR:-$HOME/.cache/workspace-console-tools}/node_modules/.bin
esbuild=$(command -v esbuild 2>/dev/null || echo "$tools/esbuild")
if [ -x "$esbuild" ]; then
  for f in "$dir"/*.js; do
    "$esbuild" "$f" --minify --format=esm --log-level=warning --allow-overwrite --outfile="$f"
  done
else
  echo "minify-js: esbuild not found, JS left unminified" >&2
fi
node "$root/scripts/compress.mjs" "$dir"
