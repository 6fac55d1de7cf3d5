#!/usr/bin/env bash
# Runs `./dev doctor` as a bare machine would see it: an empty HOME, a PATH of only the basic system commands plus
# cargo's folder, and a fresh copy of the project (no target/py). Every tool must be reported missing with the
# command that installs it, and doctor must exit 0. A second run plants tools of the wrong version and expects
# "wrong". This is what makes the "missing" branch of every check in ./dev run on every CI run, on any machine.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/home" "$tmp/project" "$tmp/bin"
cp "$root/dev" "$root/Cargo.lock" "$tmp/project/"

# The system folders hold chromium, chromedriver and firefox-esr once they are installed, so PATH gets a folder of links to the
# few basic commands a shell script needs instead, plus the folder cargo and rustup live in.
for c in bash sh env awk grep head cat dirname id mkdir rm sed tr df du; do
  p=$(command -v "$c") || { echo "test-doctor: no $c on this machine" >&2; exit 1; }
  ln -s "$p" "$tmp/bin/$c"
done
cargo_dir=$(dirname "$(command -v cargo)")

run_doctor() { # run_doctor [NAME=VALUE...]: doctor in the bare environment, plus these variables
  env -i HOME="$tmp/home" PATH="$tmp/bin:$cargo_dir" "$@" "$tmp/project/dev" doctor
}

fail=0
expect() { # expect LABEL STATE FIX-PREFIX OUTPUT
  local line
  line=$(grep -E "^$1 +$2 " <<<"$4" || true)
  if [ -z "$line" ]; then
    echo "test-doctor: expected '$1' reported $2" >&2; fail=1
  elif [[ "$line" != *"$3"* ]]; then
    echo "test-doctor: '$1' is $2 but its fix is not '$3': $line" >&2; fail=1
  fi
}

status=0
out=$(run_doctor 2>&1) || status=$?
printf '%s\n' "$out"
[ "$status" = 0 ] || { echo "test-doctor: doctor exited $status" >&2; fail=1; }
expect "rust nightly" missing "rustup toolchain install nightly-" "$out"
expect "crate registry" missing "./dev fetch" "$out"
expect trunk missing "cargo install trunk --version" "$out"
expect wasm-bindgen missing "cargo install wasm-bindgen-cli --version" "$out"
expect wasm-opt missing "npm install --prefix $tmp/home/.cache/workspace-console-tools binaryen@" "$out"
expect esbuild missing "esbuild@" "$out"
expect axe-core missing "axe-core@" "$out"
expect chromium missing "apt-get install -y chromium" "$out"
expect chromedriver missing "apt-get install -y chromium-driver" "$out"
expect firefox-esr missing "apt-get install -y firefox-esr" "$out"
expect geckodriver missing "cargo install geckodriver --version 0.37.1 --locked --root $tmp/home/.cache/workspace-console-tools" "$out"
expect "python sdk venv" missing "python3 -m venv target/py && target/py/bin/pip install alibabacloud-emr-serverless-spark20230808==" "$out"
expect "python sdk venv" missing "alibabacloud-oss-v2==1.4.1" "$out"

# Wrong versions: a trunk that is not the pinned one, an esbuild and a geckodriver of other versions, a venv
# without the SDK.
tools=$tmp/home/.cache/workspace-console-tools
mkdir -p "$tools/bin" "$tools/node_modules/.bin" "$tmp/project/target/py/bin"
printf '#!/bin/sh\necho "trunk 0.20.0"\n' > "$tools/bin/trunk"
printf '#!/bin/sh\necho "0.1.0"\n' > "$tools/node_modules/.bin/esbuild"
printf '#!/bin/sh\necho "geckodriver 0.36.0 (a2d1cb1 2025-02-17)"\n' > "$tools/bin/geckodriver"
printf '#!/bin/sh\nexit 0\n' > "$tmp/project/target/py/bin/python"
chmod +x "$tools/bin/trunk" "$tools/node_modules/.bin/esbuild" "$tools/bin/geckodriver" \
  "$tmp/project/target/py/bin/python"
status=0
out=$(run_doctor 2>&1) || status=$?
printf '%s\n' "$out"
[ "$status" = 0 ] || { echo "test-doctor: doctor exited $status with wrong versions" >&2; fail=1; }
expect trunk wrong "cargo install trunk --version" "$out"
expect esbuild wrong "esbuild@" "$out"
expect geckodriver wrong "cargo install geckodriver --version 0.37.1" "$out"
expect "python sdk venv" wrong "python3 -m venv target/py" "$out"

# A venv with the EMR SDK at its pin but no OSS SDK is still wrong: the gateway's signature tests need both.
printf '#!/bin/sh\ncase "$2" in *emr-serverless-spark*) echo 2.3.0 ;; esac\n' > "$tmp/project/target/py/bin/python"
out=$(run_doctor 2>&1) || true
if ! grep -E "^python sdk venv +wrong" <<<"$out" | grep -q "# no alibabacloud-oss-v2 in target/py"; then
  echo "test-doctor: a venv without alibabacloud-oss-v2 is not reported wrong" >&2; fail=1
fi

# A disk without room for a run: a need larger than any disk has.
out=$(run_doctor WS_DISK_NEEDED_MIB=999999999 2>&1) || true
expect "disk space" wrong "free 976563 GiB on this disk" "$out"

[ "$fail" = 0 ] || exit 1
echo "test-doctor: every tool reported missing (and wrong) with its fix; exit status 0"
