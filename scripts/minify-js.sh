#!/bin/sh
# Trunk post-build hook: minifies wasm-bindgen's JS glue, which trunk's own minifier cannot parse. Release builds
# only; without esbuild (./dev installs it from npm) the glue is left as it is, which works, just larger.
[ "${TRUNK_PROFILE:-}" = release ] || exit 0
esbuild=$(command -v esbuild 2>/dev/null || echo "${WS_TOOLS_DIR:-$HOME/.cache/workspace-console-tools}/node_modules/.bin/esbuild")
if [ ! -x "$esbuild" ]; then
  echo "minify-js: esbuild not found, JS glue left unminified" >&2
  exit 0
fi
for f in "$TRUNK_STAGING_DIR"/*.js; do
  [ -f "$f" ] || continue
  "$esbuild" "$f" --minify --format=esm --log-level=warning --allow-overwrite --outfile="$f" || exit 1
done
