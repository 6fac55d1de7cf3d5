#!/bin/sh
# Trunk post-build hook, every build:
# - writes create-workspace.js, the custom element's module, under a name that never changes, pointing at this
#   build's hashed files;
# and for release builds only:
# - minifies wasm-bindgen's JS glue (trunk's own minifier cannot parse it) and the element's module with esbuild;
# - writes .br and .gz beside every asset, for workspace-server to serve by Accept-Encoding.
set -eu
dir=$TRUNK_STAGING_DIR
glue=$(cd "$dir" && ls workspace-console-*.js 2>/dev/null | head -n 1)
wasm=$(cd "$dir" && ls workspace-console-*_bg.wasm 2>/dev/null | head -n 1)
css=$(cd "$dir" && ls main-*.css 2>/dev/null | head -n 1)
if [ -z "$glue" ] || [ -z "$wasm" ] || [ -z "$css" ]; then
  echo "post-build: no JS glue, wasm or CSS in $dir" >&2
  exit 1
fi
root=$(cd "$(dirname "$0")/.." && pwd)
sed -e "s|__GLUE__|$glue|" -e "s|__WASM__|$wasm|" -e "s|__CSS__|$css|" \
  "$root/scripts/create-workspace.js" > "$dir/create-workspace.js"

[ "${TRUNK_PROFILE:-}" = release ] || exit 0

tools=${WS_TOOLS_DIR:-$HOME/.cache/workspace-console-tools}/node_modules/.bin
esbuild=$(command -v esbuild 2>/dev/null || echo "$tools/esbuild")
if [ -x "$esbuild" ]; then
  for f in "$dir"/*.js; do
    "$esbuild" "$f" --minify --format=esm --log-level=warning --allow-overwrite --outfile="$f"
  done
else
  echo "post-build: esbuild not found, JS left unminified" >&2
fi

node "$root/scripts/compress.mjs" "$dir"
