#!/usr/bin/env bash
# Idempotently provide a local PostgreSQL for commune-counter's tests and bench:
# installs Debian `postgresql` if missing, runs a private cluster (data dir under /tmp, owned by
# the `postgres` user) on 127.0.0.1:${PGPORT:-5432}, creates role/db commune/commune, and prints
# the URL on stdout (everything else goes to stderr). Safe to run repeatedly. No docker.
set -euo pipefail

PGPORT="${COUNTER_PG_PORT:-5432}"
PGDATA="${COUNTER_PG_DATA:-/tmp/commune-counter-pg}"
PGPASS="commune"
URL="postgres://commune:${PGPASS}@127.0.0.1:${PGPORT}/commune"

log() { echo "ensure-postgres: $*" >&2; }

pg_bin() {
  local d
  d="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1 || true)"
  [ -n "$d" ] && [ -x "$d/pg_ctl" ] && echo "$d"
}

if ! BIN="$(pg_bin)"; then
  log "installing Debian postgresql"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update >&2
  apt-get install -y postgresql >&2
  BIN="$(pg_bin)"
fi
id postgres >/dev/null 2>&1 || { log "user postgres missing after install"; exit 1; }

as_pg() { (cd / && runuser -u postgres -- "$@"); }

# Something already answering on the port (our cluster from an earlier run, or a system one)?
if as_pg "$BIN/pg_isready" -q -h 127.0.0.1 -p "$PGPORT"; then
  log "a server already answers on 127.0.0.1:$PGPORT"
else
  if [ ! -s "$PGDATA/PG_VERSION" ]; then
    log "initdb in $PGDATA"
    rm -rf "$PGDATA"   # a half-made data dir from an interrupted run
    mkdir -p "$PGDATA"
    chown postgres:postgres "$PGDATA"
    chmod 700 "$PGDATA"
    pwfile="$(mktemp)"
    echo postgres > "$pwfile"
    chown postgres "$pwfile"
    as_pg "$BIN/initdb" -D "$PGDATA" -A scram-sha-256 --pwfile="$pwfile" -U postgres -E UTF8 --locale=C.UTF-8 >&2
    rm -f "$pwfile"
    {
      echo "listen_addresses = '127.0.0.1'"
      echo "port = $PGPORT"
      echo "unix_socket_directories = '$PGDATA'"
      echo "max_connections = 200"
      echo "synchronous_commit = on"
      echo "fsync = on"
    } >> "$PGDATA/postgresql.conf"
    # local socket for the postgres superuser via peer; TCP needs a password
    cat > "$PGDATA/pg_hba.conf" <<'HBA'
local all postgres peer
host  all all 127.0.0.1/32 scram-sha-256
HBA
  fi
  # A cluster killed without a clean shutdown (a CI run ends every process it left) leaves its
  # postmaster.pid behind; when that PID is gone, a zombie or not a postgres, the file is stale.
  if [ -f "$PGDATA/postmaster.pid" ]; then
    old_pid="$(head -n1 "$PGDATA/postmaster.pid")"
    state="$(awk '{print $3}' "/proc/$old_pid/stat" 2>/dev/null || true)"
    if [ -z "$state" ] || [ "$state" = Z ] || ! grep -q postgres "/proc/$old_pid/cmdline" 2>/dev/null; then
      log "removing stale postmaster.pid (PID $old_pid is not a running postgres)"
      rm -f "$PGDATA/postmaster.pid"
    fi
  fi
  log "starting cluster on 127.0.0.1:$PGPORT"
  as_pg "$BIN/pg_ctl" -D "$PGDATA" -l "$PGDATA/server.log" -w -t 60 start >&2 || {
    tail -n 30 "$PGDATA/server.log" >&2 || true
    exit 1
  }
fi

# role + database (idempotent). Use the private socket when it is ours, else TCP as postgres.
psql_admin() {
  if [ -S "$PGDATA/.s.PGSQL.$PGPORT" ]; then
    as_pg "$BIN/psql" -h "$PGDATA" -p "$PGPORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -qAt "$@"
  else
    as_pg "$BIN/psql" -p "$PGPORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -qAt "$@"
  fi
}
psql_admin -c "DO \$\$BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'commune') THEN
    CREATE ROLE commune LOGIN PASSWORD '${PGPASS}';
  END IF;
END\$\$;" >&2
if [ "$(psql_admin -c "SELECT 1 FROM pg_database WHERE datname = 'commune'")" != "1" ]; then
  psql_admin -c "CREATE DATABASE commune OWNER commune" >&2
fi
echo "$URL"
