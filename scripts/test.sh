#!/usr/bin/env bash
# Every test of the project. Installs what is missing first (the first run on a fresh machine
# compiles Trunk and wasm-bindgen and installs Chromium and PostgreSQL: expect 30–40 minutes).
set -euo pipefail
source "$(dirname "$0")/env.sh"
scripts/setup.sh
scripts/setup-test.sh

step() { printf '\n=== %s\n' "$*"; }

step "core: native unit and property tests"
cargo test -p commune-reader-core

step "reader: native unit tests of its pure parts (the sanitiser's markup bound, UTF-8 decoding)"
cargo test -p commune-reader --lib

step "panic-proof lints (no unwrap/expect/panic/indexing outside tests)"
cargo clippy --target wasm32-unknown-unknown -p commune-reader -p commune-reader-core -- -D warnings
cargo clippy -p commune-counter -- -D warnings
cargo clippy -p commune-reader-import --all-targets -- -D warnings

step "components and browser edges in headless Chromium (wasm-bindgen-test)"
cargo test --target wasm32-unknown-unknown --test browser

step "view counter against a real SQLite file and a real PostgreSQL"
scripts/test-counter.sh

step "importer: extraction quality on the saved portal pages, and a whole site against a local portal"
scripts/test-import.sh

# The product's budget: what a resident's phone downloads for the reader, wasm + js + css, brotli
# (today 131.1 KB with Leptos view!, serde, gloo-net and the sanitiser's bound; the budget is a KB
# above the next KB up, for the few dozen bytes panic locations move by; README, "Size and speed").
step "release build and size budget (brotli, wasm + js + css)"
trunk build --release
node scripts/sizes.mjs --budget 132000

step "end-to-end in headless Chromium (Playwright + axe-core)"
cargo build --release -p commune-counter
node --test --test-concurrency=1 tests/e2e/
