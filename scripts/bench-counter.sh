#!/usr/bin/env bash
# Benchmarks commune-counter against Redis INCR on this machine (loopback only, bounded time):
#   1. builds the service and the Rust load generator (examples/counter-bench.rs) in release,
#   2. runs the service in both COUNTER_SYNC modes on SQLite (temp file, `full` / `normal`) and on
#      PostgreSQL (scripts/ensure-postgres.sh; synchronous_commit `on` / `off`), each driven at
#      CONCURRENCY keep-alive connections for SECONDS, every request a new visitor,
#   3. runs redis-benchmark INCR at the same concurrency: in memory, `appendfsync always`
#      (like COUNTER_SYNC=full) and `appendfsync everysec` (like COUNTER_SYNC=normal),
#      and prints everything side by side with the ratios.
# Env: CONCURRENCY (64), SECONDS_PER_RUN (10), SKIP_POSTGRES=1, BENCH_PORT (18787).
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
  if [ -n "${REDIS_SEC_PORT:-}" ]; then redis-cli -p "$REDIS_SEC_PORT" shutdown nosave >/dev/null 2>&1 || true; fi
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

run_service() { # $1 label, $2 database URL, $3 COUNTER_SYNC → the load generator's line in $WORK/$1.out
  COUNTER_DATABASE_URL="$2" COUNTER_SYNC="$3" COUNTER_ADDR="127.0.0.1:$PORT" COUNTER_TRUST_PROXY=1 \
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

MACHINE="$(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr)"; LOAD_START="$(cut -d' ' -f1-3 /proc/loadavg)"
echo "== machine: $MACHINE, load avg $LOAD_START" >&2

LINES=()
for mode in full normal; do
  run_service "sqlite-$mode" "sqlite://$WORK/bench-$mode.db?mode=rwc" "$mode"
  LINES+=("sqlite $mode|$(cat "$WORK/sqlite-$mode.out")")
  echo "sqlite $mode: $(cat "$WORK/sqlite-$mode.out")"
done

if [ "${SKIP_POSTGRES:-0}" != "1" ]; then
  PG_URL="$(bash scripts/ensure-postgres.sh)"
  for mode in full normal; do
    run_service "postgres-$mode" "$PG_URL" "$mode"
    label="postgres on"; [ "$mode" = normal ] && label="postgres off"
    LINES+=("$label|$(cat "$WORK/postgres-$mode.out")")
    echo "$label: $(cat "$WORK/postgres-$mode.out")"
  done
fi

# --- Redis reference -------------------------------------------------------------------------
if ! command -v redis-server >/dev/null || ! command -v redis-benchmark >/dev/null; then
  echo "bench: installing Debian redis-server…" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update >&2 && apt-get install -y redis-server redis-tools >&2
fi
spare_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
redis_rate() { # $1 port → requests/s of INCR: the median of three runs (one run is ≈ 2 s and noisy)
  for _ in 1 2 3; do
    redis-benchmark -h 127.0.0.1 -p "$1" -t incr -n 300000 -c "$CONCURRENCY" -q 2>/dev/null \
      | tr '\r' '\n' | sed -n 's/^INCR: \([0-9.]*\) requests per second.*/\1/p' | tail -n1
  done | sort -g | sed -n 2p
}
REDIS_PORT="$(spare_port)"
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
  --dir "$WORK" --logfile "$WORK/redis.log" --pidfile "$WORK/redis.pid"
wait_http "$REDIS_PORT"
REDIS="$(redis_rate "$REDIS_PORT")"
echo "redis INCR (in memory, no fsync):        ${REDIS} req/s"

start_redis() { # $1 port, $2… extra redis-server options
  local port="$1"; shift
  redis-server --port "$port" --bind 127.0.0.1 --save '' --daemonize yes --dir "$WORK" \
    --logfile "$WORK/redis-$port.log" --pidfile "$WORK/redis-$port.pid" "$@"
  wait_http "$port"
}
REDIS_AOF_PORT="$(spare_port)"
start_redis "$REDIS_AOF_PORT" --appendonly yes --appendfsync always --appendfilename aof-always.aof
REDIS_AOF="$(redis_rate "$REDIS_AOF_PORT")"
echo "redis INCR (appendfsync always, durable): ${REDIS_AOF} req/s"

REDIS_SEC_PORT="$(spare_port)"
start_redis "$REDIS_SEC_PORT" --appendonly yes --appendfsync everysec --appendfilename aof-everysec.aof
REDIS_SEC="$(redis_rate "$REDIS_SEC_PORT")"
echo "redis INCR (appendfsync everysec):        ${REDIS_SEC} req/s"

ratio() { python3 -c "import sys; a,b=float(sys.argv[1] or 0),float(sys.argv[2] or 0); print(f'{a/b:.2f}' if b else 'n/a')" "$1" "$2"; }
echo
echo "machine: $MACHINE; load average before $LOAD_START, after $(cut -d" " -f1-3 /proc/loadavg)"
printf '%-14s %10s %8s %8s %14s %16s %18s\n' run "views/s" "p50 ms" "p99 ms" "÷ redis memory" "÷ redis always" "÷ redis everysec"
for pair in "${LINES[@]}"; do
  name="${pair%%|*}"; line="${pair#*|}"
  [ -n "$line" ] || continue
  v="$(field views_per_sec "$line")"
  printf '%-14s %10s %8s %8s %14s %16s %18s\n' "$name" "$v" "$(field p50_ms "$line")" "$(field p99_ms "$line")" \
    "$(ratio "$v" "$REDIS")" "$(ratio "$v" "$REDIS_AOF")" "$(ratio "$v" "$REDIS_SEC")"
done
printf '%-14s %10s\n%-14s %10s\n%-14s %10s\n' "redis memory" "$REDIS" "redis always" "$REDIS_AOF" "redis everysec" "$REDIS_SEC"
echo "(like for like: sqlite full / postgres on ↔ redis always; sqlite normal / postgres off ↔ redis everysec)"
echo "(concurrency $CONCURRENCY, ${SECS}s per service run; redis: median of 3 × redis-benchmark -t incr -n 300000 -c $CONCURRENCY)"
