#!/usr/bin/env bash
# The importer's tests (commune-reader-import): unit tests, the extraction quality table on the
# saved portal pages (import/tests/pages) and the end-to-end `site` run against a local server.
# Needs nothing but cargo; idempotent (every test works in its own temporary folder).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo test -p commune-reader-import -- --nocapture --test-threads=1
