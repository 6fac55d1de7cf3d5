#!/bin/sh
# Trunk post-build hook of the console, every build: writes create-workspace.js, the custom element's module, under
# a name that never changes, pointing at this build's hashed files. Release builds then go through minify-js.sh
# (minified JS, .br/.gz twins).
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

# Release builds: minified JS and compressed twins, as every page of the project is shipped.
sh "$root/scripts/minify-js.sh"
