#!/usr/bin/env bash
# The `bench` command: release build into dist/, a minified copy of the reference reader (for its size
# row only), then one table comparing the wasm reader with bench/reference/reader.js (see bench/run.mjs).
# READER_DIST / CARGO_TARGET_DIR / REFERENCE_MIN let a parallel build be benchmarked without touching dist/.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

DIST_DIR="${READER_DIST:-$ROOT/dist}"
trunk build --release --dist "$DIST_DIR"

# Minified reference (terser, as the reader's own JS is minified): the project's terser when installed,
# else through npx (nothing added to package.json); without either the reference stays unminified.
export REFERENCE_MIN="${REFERENCE_MIN:-${CARGO_TARGET_DIR:-$ROOT/target}/bench/reader.min.js}"
mkdir -p "$(dirname "$REFERENCE_MIN")"
TERSER=(npx --yes terser@5.39.0)
[ -x "$ROOT/node_modules/.bin/terser" ] && TERSER=("$ROOT/node_modules/.bin/terser")
if ! (cd /tmp && timeout 180 "${TERSER[@]}" "$ROOT/bench/reference/reader.js" \
      --module --ecma 2020 --compress passes=2 --mangle --output "$REFERENCE_MIN") >/dev/null 2>&1; then
  echo "terser not available: the reference is reported unminified only" >&2
  rm -f "$REFERENCE_MIN"
fi

READER_DIST="$DIST_DIR" node bench/run.mjs
