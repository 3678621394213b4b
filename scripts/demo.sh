#!/usr/bin/env bash
# The demo: the reader on a sample commune page at http://127.0.0.1:8080, with the view counter
# (SQLite, file target/demo-counter.db) behind Trunk's /api/ proxy. Ctrl-C stops both.
set -euo pipefail
source "$(dirname "$0")/env.sh"
scripts/setup.sh

cargo build --release -p commune-counter
counter="$ROOT/target/release/commune-counter"
export COUNTER_DATABASE_URL="sqlite://$ROOT/target/demo-counter.db?mode=rwc"
export COUNTER_ADDR=127.0.0.1:8787
# The portal's article had 98 views before the reader arrived; seed once, never overwrite.
"$counter" seed ducpho-2023-12-27-truc-bao-mttq 98
"$counter" &
counter_pid=$!
trap 'kill $counter_pid 2>/dev/null || true' EXIT INT TERM
trunk serve
