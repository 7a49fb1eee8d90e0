#!/usr/bin/env bash
# A throwaway PostgreSQL 15 cluster for tests: trust auth, 127.0.0.1 only, a
# free random port, durability off (fsync, synchronous_commit,
# full_page_writes), removed afterwards.
#   tests/tools/pg_throwaway.sh start DIR   initdb into DIR/data and start it;
#                                           writes DIR/url and prints the URL
#   tests/tools/pg_throwaway.sh stop DIR    stop it (immediate) and remove DIR
#   tests/tools/pg_throwaway.sh run CMD...  start one in a new /tmp/latih-pg.*
#       directory, run CMD with LATIH_TEST_PG_URL, PGHOST, PGPORT and PGUSER
#       set, then stop and remove it; exits with CMD's status
# initdb and postgres refuse to run as root: as root they run as the
# `postgres` system user and DIR is handed to it, so DIR must be on a path
# that user can traverse (under /tmp, not /root).
set -euo pipefail

PGBIN=/usr/lib/postgresql/15/bin
MARKER=.pg_throwaway  # written by start; stop removes only a directory holding it

usage() {
  { echo "usage:"; sed -n '2,13s/^# \{0,1\}/  /p' "$0"; } >&2
  exit 2
}

die() { echo "pg_throwaway: $*" >&2; exit 1; }

is_root() { [[ $(id -u) -eq 0 ]]; }

# Runs a PostgreSQL binary as the postgres user when we are root.
as_pg() {
  if is_root; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

cmd_start() {
  local dir=$1 port='' attempt
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  [[ -e $dir/data ]] && die "$dir/data already exists"
  : >"$dir/$MARKER"
  if is_root; then
    id postgres >/dev/null 2>&1 || die "running as root needs a 'postgres' system user"
    chown postgres: "$dir"
    chmod 700 "$dir"
    runuser -u postgres -- test -x "$dir" || die "user postgres cannot reach $dir: use a directory under /tmp"
  fi
  if ! as_pg "$PGBIN/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 \
      --no-sync >"$dir/initdb.log" 2>&1; then
    cat "$dir/initdb.log" >&2
    die "initdb failed"
  fi
  cat >>"$dir/data/postgresql.conf" <<EOF

# pg_throwaway.sh
listen_addresses = '127.0.0.1'
unix_socket_directories = '$dir'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 200
EOF
  # The port can be taken between choosing and binding it: then try another.
  for attempt in 1 2 3 4 5; do
    port=$(free_port)
    if as_pg "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -o "-p $port" -w -t 60 start \
        >/dev/null 2>&1; then
      break
    fi
    as_pg "$PGBIN/pg_ctl" -D "$dir/data" -m immediate -w -t 20 stop >/dev/null 2>&1 || true
    if ! grep -q 'could not bind\|could not create any TCP/IP sockets' "$dir/server.log" 2>/dev/null ||
        [[ $attempt -eq 5 ]]; then
      tail -n 20 "$dir/server.log" >&2 2>/dev/null || true
      die "postgres did not start (log: $dir/server.log)"
    fi
    : >"$dir/server.log"
  done
  as_pg "$PGBIN/pg_isready" -q -h 127.0.0.1 -p "$port" -t 30 || die "postgres is not ready on port $port"
  echo "postgresql://postgres@127.0.0.1:$port/postgres" >"$dir/url"
  cat "$dir/url"
}

cmd_stop() {
  local dir=$1 pid
  [[ -d $dir ]] || return 0
  [[ -e $dir/$MARKER ]] || die "$dir was not made by pg_throwaway.sh start; not removing it"
  if [[ -e $dir/data/postmaster.pid ]]; then
    as_pg "$PGBIN/pg_ctl" -D "$dir/data" -m immediate -w -t 20 stop >/dev/null 2>&1 || true
    # Still there (stop timed out): kill the postmaster named in its pid file.
    if [[ -e $dir/data/postmaster.pid ]]; then
      pid=$(head -n 1 "$dir/data/postmaster.pid" 2>/dev/null || true)
      if [[ $pid =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null; then
        kill -KILL "$pid" 2>/dev/null || true
        for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      fi
    fi
  fi
  rm -rf -- "$dir"
}

cmd_run() {
  local dir rc=0
  dir=$(mktemp -d /tmp/latih-pg.XXXXXX)
  # shellcheck disable=SC2064  # expand $dir now
  trap "cmd_stop '$dir' >/dev/null 2>&1 || true" EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  cmd_start "$dir" >/dev/null
  LATIH_TEST_PG_URL=$(cat "$dir/url")
  PGPORT=${LATIH_TEST_PG_URL##*:}
  PGPORT=${PGPORT%%/*}
  export LATIH_TEST_PG_URL PGPORT PGHOST=127.0.0.1 PGUSER=postgres
  "$@" || rc=$?
  exit "$rc"
}

case ${1:-} in
  start) [[ $# -eq 2 ]] || usage; cmd_start "$2" ;;
  stop) [[ $# -eq 2 ]] || usage; cmd_stop "$2" ;;
  run) [[ $# -ge 2 ]] || usage; shift; cmd_run "$@" ;;
  *) usage ;;
esac
