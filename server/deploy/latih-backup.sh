#!/bin/bash
# latih-backup.sh: one dated online backup of the latih server database.
# Copies the live database with SQLite's online backup API (the sqlite3
# CLI's .backup) while latih-server keeps serving,
# checks the copy with PRAGMA integrity_check, and only then gives it its
# final name latih-server-YYYYMMDD.db (a failed run never leaves a file
# that looks like a good backup). Keeps the newest LATIH_BACKUP_KEEP.
# Exits non-zero, with a message on stderr, on any failure.
# Run by latih-backup.service (nightly timer) as user latih; by hand:
#   sudo -u latih LATIH_BACKUP_DIR=/var/backups/latih /usr/local/bin/latih-backup
set -euo pipefail
umask 077

db=${LATIH_DB:-/var/lib/latih/latih-server.db}
dir=${LATIH_BACKUP_DIR:-/var/backups/latih}
keep=${LATIH_BACKUP_KEEP:-14}

fail() { echo "latih-backup: $*" >&2; exit 1; }

[[ $keep =~ ^[1-9][0-9]*$ ]] || fail "LATIH_BACKUP_KEEP must be a positive integer, not '$keep'"
# sqlite3 would create an empty database in place of a missing one.
[[ -f $db ]] || fail "no database at $db"
[[ -d $dir && -w $dir ]] || fail "backup directory $dir is missing or not writable"
# The path goes inside an SQL-quoted dot-command argument.
[[ $dir != *"'"* ]] || fail "backup directory must not contain a quote: $dir"

out="$dir/latih-server-$(date +%Y%m%d).db"
tmp="$out.partial"
cleanup() { rm -f "$tmp" "$tmp-wal" "$tmp-shm" "$tmp-journal"; }
cleanup
trap cleanup EXIT

# The backup reads inside one read transaction (BEGIN + a first read): the
# copy is the snapshot of that moment, and the server's writes meanwhile
# (WAL mode: readers never block them) do not restart it. Without it the
# CLI's .backup steps 100 pages at a time, and every commit of another
# process in between restarts it from page 1: under a steady sync load it
# never finishes (measured: a 100 MB database, a commit every 5 ms).
# .timeout: wait up to 60 s for a lock instead of failing at once.
sqlite3 -bail -cmd ".timeout 60000" "$db" "BEGIN;" "SELECT count(*) FROM sqlite_schema;" \
  ".backup '$tmp'" "COMMIT;" >/dev/null ||
  fail "backup of $db to $tmp failed"
# The copy is in WAL mode like the live database; make it one
# self-contained file (restoring it is a plain copy).
sqlite3 -bail "$tmp" "PRAGMA journal_mode=DELETE;" >/dev/null ||
  fail "cannot open the copy $tmp"
check=$(sqlite3 -bail "$tmp" "PRAGMA integrity_check;") ||
  fail "cannot check the copy $tmp"
[[ $check == ok ]] || fail "integrity_check of the copy failed: $check"
mv -f "$tmp" "$out"
trap - EXIT

# Keep the newest $keep dated backups (names sort by date).
mapfile -t old < <(find "$dir" -maxdepth 1 -name 'latih-server-[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9].db' \
  -printf '%f\n' | sort -r | tail -n "+$((keep + 1))")
for f in "${old[@]}"; do rm -f -- "${dir:?}/$f"; done

echo "latih-backup: $out ($(stat -c %s "$out") bytes, integrity ok; kept ${keep} newest)"
