#!/usr/bin/env bash
# Runs commune-counter's tests against real databases: a SQLite file per test (temp dir) and a
# local PostgreSQL (started by scripts/ensure-postgres.sh). Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."

COUNTER_TEST_POSTGRES_URL="$(bash scripts/ensure-postgres.sh)"
export COUNTER_TEST_POSTGRES_URL
echo "test-counter: PostgreSQL at ${COUNTER_TEST_POSTGRES_URL%%@*}@… (password hidden)" >&2

cargo test -p commune-counter "$@"
