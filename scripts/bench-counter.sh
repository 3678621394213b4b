#!/usr/bin/env bash
# Benchmarks commune-counter against Redis INCR on this machine (loopback only, bounded time):
#   1. builds the service and the Rust load generator (examples/counter-bench.rs) in release,
#   2. runs the service on SQLite (temp file) and on PostgreSQL (scripts/ensure-postgres.sh),
#      each driven at CONCURRENCY keep-alive connections for SECONDS, every request a new visitor,
#   3. runs redis-benchmark INCR at the same concurrency, in-memory (default config) and with
#      appendfsync always (durable like us), and prints the ratios.
# Env: CONCURRENCY (64), SECONDS_PER_RUN (10), SKIP_POSTGRES=1, BENCH_PORT (18787), REDIS_PORT (auto).
set -euo pipefail
cd "$(dirname "$0")/.."

CONCURRENCY="${CONCURRENCY:-64}"
SECS="${SECONDS_PER_RUN:-10}"
PORT="${BENCH_PORT:-18787}"
WORK="$(mktemp -d /tmp/counter-bench.XXXXXX)"
PIDS=()
cleanup() {
  for p in "${PIDS[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null || true; done
  if [ -n "${REDIS_PORT:-}" ]; then redis-cli -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true; fi
  if [ -n "${REDIS_AOF_PORT:-}" ]; then redis-cli -p "$REDIS_AOF_PORT" shutdown nosave >/dev/null 2>&1 || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

# The workspace's release profile is tuned for the wasm reader (opt-level "z", panic abort);
# a server wants speed: override for this build only.
export CARGO_PROFILE_RELEASE_OPT_LEVEL=3 CARGO_PROFILE_RELEASE_LTO=thin CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16
echo "bench: building release (opt-level 3)…" >&2
cargo build --release -p commune-counter --bin commune-counter --example counter-bench >&2
TARGET="${CARGO_TARGET_DIR:-target}"
BIN="$TARGET/release/commune-counter"
GEN="$TARGET/release/examples/counter-bench"

field() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p" <<<"$2"; }

wait_http() {
  for _ in $(seq 1 100); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  echo "bench: nothing listening on $1" >&2; return 1
}

run_service() { # $1 label, $2 database URL → the load generator's line in $WORK/$1.out
  COUNTER_DATABASE_URL="$2" COUNTER_ADDR="127.0.0.1:$PORT" COUNTER_TRUST_PROXY=1 \
    "$BIN" >"$WORK/$1.log" 2>&1 &
  local pid=$! rc=0
  PIDS+=("$pid")
  wait_http "$PORT" || rc=$?
  if [ "$rc" = 0 ]; then
    "$GEN" --url "http://127.0.0.1:$PORT" --concurrency "$CONCURRENCY" --seconds "$SECS" --articles 100 \
      >"$WORK/$1.out" || rc=$?
  fi
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  [ "$rc" = 0 ] || { cat "$WORK/$1.log" >&2; return "$rc"; }
}

echo "== machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr), load avg $(cut -d' ' -f1-3 /proc/loadavg)" >&2

run_service sqlite "sqlite://$WORK/bench.db?mode=rwc"
SQLITE_LINE="$(cat "$WORK/sqlite.out")"
echo "sqlite:     $SQLITE_LINE"

PG_LINE=""
if [ "${SKIP_POSTGRES:-0}" != "1" ]; then
  PG_URL="$(bash scripts/ensure-postgres.sh)"
  run_service postgres "$PG_URL"
  PG_LINE="$(cat "$WORK/postgres.out")"
  echo "postgres:   $PG_LINE"
fi

# --- Redis reference -------------------------------------------------------------------------
if ! command -v redis-server >/dev/null || ! command -v redis-benchmark >/dev/null; then
  echo "bench: installing Debian redis-server…" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update >&2 && apt-get install -y redis-server redis-tools >&2
fi
spare_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
redis_rate() { # $1 port → requests/s of INCR
  redis-benchmark -h 127.0.0.1 -p "$1" -t incr -n 200000 -c "$CONCURRENCY" -q 2>/dev/null \
    | tr '\r' '\n' | sed -n 's/^INCR: \([0-9.]*\) requests per second.*/\1/p' | tail -n1
}
REDIS_PORT="$(spare_port)"
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
  --dir "$WORK" --logfile "$WORK/redis.log" --pidfile "$WORK/redis.pid"
wait_http "$REDIS_PORT"
REDIS="$(redis_rate "$REDIS_PORT")"
echo "redis INCR (in memory, no fsync):        ${REDIS} req/s"

REDIS_AOF_PORT="$(spare_port)"
redis-server --port "$REDIS_AOF_PORT" --bind 127.0.0.1 --save '' --appendonly yes --appendfsync always \
  --daemonize yes --dir "$WORK" --appendfilename aof-bench.aof --logfile "$WORK/redis-aof.log" --pidfile "$WORK/redis-aof.pid"
wait_http "$REDIS_AOF_PORT"
REDIS_AOF="$(redis_rate "$REDIS_AOF_PORT")"
echo "redis INCR (appendfsync always, durable): ${REDIS_AOF} req/s"

ratio() { python3 -c "import sys; a,b=float(sys.argv[1] or 0),float(sys.argv[2] or 0); print(f'{a/b:.2f}' if b else 'n/a')" "$1" "$2"; }
echo
printf '%-10s %12s %9s %9s %12s %16s\n' backend "views/s" "p50 ms" "p99 ms" "÷ redis" "÷ redis fsync"
for pair in "sqlite|$SQLITE_LINE" "postgres|$PG_LINE"; do
  name="${pair%%|*}"; line="${pair#*|}"
  [ -n "$line" ] || continue
  v="$(field views_per_sec "$line")"
  printf '%-10s %12s %9s %9s %12s %16s\n' "$name" "$v" "$(field p50_ms "$line")" "$(field p99_ms "$line")" \
    "$(ratio "$v" "$REDIS")" "$(ratio "$v" "$REDIS_AOF")"
done
echo "(concurrency $CONCURRENCY, ${SECS}s per service run, redis-benchmark -n 200000 -c $CONCURRENCY)"
