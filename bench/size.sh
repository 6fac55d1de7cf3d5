#!/usr/bin/env bash
# Prints what the console page ships: raw and gzip bytes of its wasm, JS, CSS and HTML, and their total, against
# the budget and the goal. Exits 1 over budget. The budget guards against growth: it is what the page measured with
# every feature of this round in (the request preview, the workspaces list, the custom element, the token prompt),
# plus a little room. The goal is 110 KB, not reached: see bench/README.md.
#   bench/size.sh             build the release page first (./dev build), then measure dist/
#   bench/size.sh --no-build  measure the dist/ that is there
#   bench/size.sh --dir DIR   measure DIR instead (the stable fallback's dist-stable/, say)
#   bench/size.sh --react     also bundle React + react-dom + react-hook-form (npm, esbuild) for comparison
set -euo pipefail
cd "$(dirname "$0")/.."

# Each round's features, measured on the nightly page, raise the budget by what they cost and no more: 153 821 B
# with 1 179 B of room (155 000) before the preview's tabs, Node.js and ROS (+6 821), the bucket, catalog and role
# choosers (about +12 400) and freeing removed rows' signals (about +100): 173 133 B. The form's state as handles,
# the features table and the fourth chooser (resource groups): +701, 173 834 B, where the goal was 165 000 B (not
# reached: the handles saved nothing measurable; see bench/README.md). The policy's checks in the model and the
# preview's phone behaviour: 175 936 B. The policy shown by the form (fetched, applied, fixed fields, tag rows):
# +16 383, 192 319 B, where its limit was 6 KB (not reached). Then the policy made smaller (read when the fields
# are built, the page's own trusting reader; bench/policy-cost.sh measures it): 186 431 B. The same room again.
BUDGET=187600
GOAL=112640
build=1
react=0
dir=dist
while [ $# -gt 0 ]; do
  case "$1" in
    --no-build) build=0 ;;
    --react) react=1 ;;
    --dir) build=0; dir=$2; shift ;;
    *) echo "usage: bench/size.sh [--no-build] [--dir DIR] [--react]" >&2; exit 2 ;;
  esac
  shift
done

if [ "$build" = 1 ]; then
  ./dev build >/dev/null
fi
[ -f "$dir/index.html" ] || { echo "no $dir/index.html: run ./dev build" >&2; exit 2; }

gz() { gzip -9 -c "$1" | wc -c; }
raw() { wc -c < "$1"; }

printf '%-6s %-48s %10s %10s\n' kind file raw gzip
total_raw=0
total_gz=0
for f in "$dir"/*.wasm "$dir"/*.js "$dir"/*.css "$dir"/*.html; do
  [ -f "$f" ] || continue
  r=$(raw "$f"); g=$(gz "$f")
  total_raw=$((total_raw + r)); total_gz=$((total_gz + g))
  printf '%-6s %-48s %10d %10d\n' "${f##*.}" "${f#"$dir"/}" "$r" "$g"
done
printf '%-6s %-48s %10d %10d\n' total "" "$total_raw" "$total_gz"
printf 'budget %d B gzip: %s; goal %d B gzip: %s\n' "$BUDGET" \
  "$([ "$total_gz" -le "$BUDGET" ] && echo within || echo OVER)" "$GOAL" \
  "$([ "$total_gz" -le "$GOAL" ] && echo met || echo "not met")"

if [ "$react" = 1 ]; then
  # The yardstick: the smallest React page with a form library, bundled and minified for production.
  dir=${WS_TOOLS_DIR:-$HOME/.cache/workspace-console-tools}/react-yardstick
  mkdir -p "$dir"
  if [ ! -d "$dir/node_modules/react-hook-form" ]; then
    npm install --silent --no-audit --no-fund --prefix "$dir" \
      react@19 react-dom@19 react-hook-form@7 esbuild@0.25 >/dev/null
  fi
  cat > "$dir/app.jsx" <<'EOF'
import { createRoot } from "react-dom/client";
import { useForm } from "react-hook-form";
function App() {
  const { register, handleSubmit, formState: { errors } } = useForm();
  return (
    <form onSubmit={handleSubmit((d) => fetch("/api", { method: "POST", body: JSON.stringify(d) }))}>
      <label htmlFor="n">Name</label>
      <input id="n" {...register("name", { required: true, maxLength: 64 })} />
      {errors.name && <p>Required</p>}
      <button>Create</button>
    </form>
  );
}
createRoot(document.getElementById("root")).render(<App />);
EOF
  "$dir/node_modules/.bin/esbuild" "$dir/app.jsx" --bundle --minify --jsx=automatic \
    --define:process.env.NODE_ENV='"production"' --outfile="$dir/app.js" --log-level=warning
  printf 'yardstick: React 19 + react-dom + react-hook-form, one input (esbuild, minified): %d B raw, %d B gzip\n' \
    "$(raw "$dir/app.js")" "$(gz "$dir/app.js")"
fi

[ "$total_gz" -le "$BUDGET" ]
