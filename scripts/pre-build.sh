#!/bin/sh
# Trunk pre-build hook. A release build is the page that ships only when ./dev makes it: the pinned nightly with std
# rebuilt for size (./dev build), or the stable fallback (./dev build --stable). A plain `trunk build --release`
# would quietly make a third page, larger than the first and untested, so it is refused with what to run instead.
set -eu
if [ "${TRUNK_PROFILE:-}" = release ] && [ -z "${WS_RELEASE_BUILD:-}" ]; then
  echo "trunk build --release alone does not build the page that ships: run ./dev build (the pinned nightly, std" >&2
  echo "rebuilt for size) or ./dev build --stable (the stable fallback); both install what they need first." >&2
  exit 1
fi
