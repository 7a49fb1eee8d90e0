#!/usr/bin/env bash
# Times up-to-date syncs of one device against a latih-server binary: the
# server's store time of each session's first request (its log's store_ms)
# and the wall time of the whole `latih sync` (process start included).
#   tests/tools/noop_sync.sh SERVER_BINARY DB [N]
# DB: an SQLite file to create, or the URL of an empty PostgreSQL database.
# SERVER_BINARY may be another build (a worktree of an older commit) to
# compare with this one; the client is always build/client/latih.
set -euo pipefail
cd "$(dirname "$0")/../.."
server=$1 db=$2 n=${3:-60}
latih=$PWD/build/client/latih
[ -x "$latih" ] || { echo "build first: make build" >&2; exit 2; }
dir=$(mktemp -d)
trap 'kill $pid 2>/dev/null || true; rm -rf "$dir"' EXIT
"$server" --db "$db" serve --listen 127.0.0.1:0 >"$dir/out" 2>"$dir/log" &
pid=$!
for _ in $(seq 100); do grep -q "listening on" "$dir/out" 2>/dev/null && break; sleep 0.1; done
url=$(grep -o "http://127.0.0.1:[0-9]*" "$dir/out" | head -1)
"$latih" --db "$dir/dev.db" init --office 52.71.01.1004 >/dev/null
token=$("$server" --db "$db" device enroll --office 52.71.01.1004 --name "Meja" 2>/dev/null | head -1)
"$latih" --db "$dir/dev.db" enroll --server "$url" --token "$token" >/dev/null
"$latih" --db "$dir/dev.db" sync >/dev/null
for _ in $(seq "$n"); do
  start=$(date +%s%N)
  "$latih" --db "$dir/dev.db" sync >/dev/null
  echo $((($(date +%s%N) - start) / 1000))
done | sort -n >"$dir/wall"
# A session's first request pulls nothing (a probe): "pull=0".
grep -o "pull=0 .*store_ms=[0-9.]*" "$dir/log" | grep -o "[0-9.]*$" | tail -"$n" | sort -n >"$dir/store"
pick() { sed -n "$(($2 * n / 100))p" "$1"; }
echo "$n syncs: first request store_ms p50 $(pick "$dir/store" 50) p90 $(pick "$dir/store" 90);" \
     "latih sync wall ms p50 $(($(pick "$dir/wall" 50) / 1000)) p90 $(($(pick "$dir/wall" 90) / 1000))"
