#!/usr/bin/env bash
# Usage: scripts/with-postgres.sh CMD [ARGS...]
#
# Runs CMD with LANES_TEST_PG_URL pointing at a PostgreSQL server whose user may CREATE DATABASE.
# If LANES_TEST_PG_URL is already set and reachable, CMD just runs against it. Otherwise a
# throwaway cluster is created in a temp directory (installing Debian's postgresql if needed),
# started on a free port from 55432 up, and stopped and removed when CMD ends.
# Works as root (the cluster runs as the `postgres` OS user) and without the Debian service.
set -euo pipefail

if [ $# -eq 0 ]; then
  echo "usage: $0 CMD [ARGS...]" >&2
  exit 2
fi

if [ -n "${LANES_TEST_PG_URL:-}" ] && pg_isready -q -d "$LANES_TEST_PG_URL" 2>/dev/null; then
  exec "$@"
fi

if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  echo "with-postgres: installing postgresql from apt" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq postgresql >/dev/null
fi
# Newest installed major version.
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)

if [ "$(id -u)" -eq 0 ]; then
  as_pg() { (cd / && runuser -u postgres -- "$@"); }
else
  as_pg() { "$@"; }  # not root: run the cluster as ourselves
fi

port_busy() {
  # Something listening on TCP 127.0.0.1:$1 (bash's /dev/tcp; no extra tools needed)?
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

PG_DIR=$(mktemp -d "${TMPDIR:-/tmp}/lanes-pg.XXXXXX")
PG_STARTED=0
cleanup() {
  local status=$?
  if [ "$PG_STARTED" -eq 1 ]; then
    as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" stop -m fast -w >/dev/null 2>&1 || true
  fi
  rm -rf "$PG_DIR"
  exit "$status"
}
CHILD=
# Pass INT/TERM on to CMD, then clean up (bash runs traps only between commands, hence `wait`).
on_signal() {
  [ -n "$CHILD" ] && kill "-$1" "$CHILD" 2>/dev/null && wait "$CHILD" 2>/dev/null
  exit "$2"
}
trap cleanup EXIT
trap 'on_signal INT 130' INT
trap 'on_signal TERM 143' TERM

[ "$(id -u)" -eq 0 ] && chown postgres:postgres "$PG_DIR"
chmod 700 "$PG_DIR"

as_pg "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres --auth=trust --encoding=UTF8 --no-locale >"$PG_DIR/initdb.log" 2>&1 \
  || { cat "$PG_DIR/initdb.log" >&2; exit 1; }

PORT=${LANES_TEST_PG_PORT:-55432}
for _ in $(seq 1 50); do
  port_busy "$PORT" || break
  PORT=$((PORT + 1))
done

# Only loopback TCP and a socket inside the temp dir; trust auth (initdb's default for local
# and 127.0.0.1 with --auth=trust). Speed over durability: it is thrown away afterwards.
cat >>"$PG_DIR/data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $PORT
unix_socket_directories = '$PG_DIR'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 200
CONF

if ! as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/postgres.log" -w -t 60 start >/dev/null; then
  cat "$PG_DIR/postgres.log" >&2
  exit 1
fi
PG_STARTED=1

as_pg "$PG_BIN/psql" -h "$PG_DIR" -p "$PORT" -U postgres -d postgres -q -v ON_ERROR_STOP=1 \
  -c "CREATE ROLE lanes WITH LOGIN SUPERUSER CREATEDB PASSWORD 'lanes'" >/dev/null

export LANES_TEST_PG_URL="postgres://lanes:lanes@127.0.0.1:$PORT/postgres"
echo "with-postgres: PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') at 127.0.0.1:$PORT" >&2

# In the background (stdin kept) so that a signal to this script is handled at once.
"$@" <&0 &
CHILD=$!
set +e
wait "$CHILD"
status=$?
set -e
exit "$status"
