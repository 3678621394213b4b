#!/usr/bin/env bash
# Installs what building and running the reader needs, each piece only when it is missing:
# the wasm target, Trunk, the exact wasm-bindgen CLI, wasm-opt (npm binaryen) and the npm packages.
# Safe to run any number of times; the first run on a fresh machine takes about half an hour
# (Trunk and wasm-bindgen are compiled from crates.io).
set -euo pipefail
source "$(dirname "$0")/env.sh"

version_of() { "$1" --version 2>/dev/null || true; }

rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
case "$(version_of trunk)" in
  *"$TRUNK_VERSION"*) ;;
  *) cargo install --locked trunk --version "=$TRUNK_VERSION" ;;
esac
case "$(version_of wasm-bindgen)" in
  *"$WASM_BINDGEN_VERSION"*) ;;
  # --locked fails for this crate (its lockfile names a version the registry lacks).
  *) cargo install wasm-bindgen-cli --version "=$WASM_BINDGEN_VERSION" ;;
esac
if ! npm ls --depth=0 >/dev/null 2>&1; then
  npm ci --no-audit --no-fund
fi
# Trunk runs cargo offline; fetch the crates first.
cargo fetch --locked >/dev/null
