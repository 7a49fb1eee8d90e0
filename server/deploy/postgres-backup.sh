#!/bin/bash
# postgres-backup.sh: one dated pg_dump of latih's PostgreSQL database, the
# PostgreSQL counterpart of latih-backup.sh. pg_dump reads one consistent
# snapshot while the latih-server instances keep serving. The dump is in
# custom format (compressed; restored with pg_restore, whole or in part),
# written under a temporary name, checked by reading its table of contents
# back (pg_restore --list), and only then given its final name
# latih-YYYYMMDD.dump. Keeps the newest LATIH_BACKUP_KEEP. Exits non-zero,
# with a message on stderr, on any failure.
# Run by postgres-backup.service (nightly timer) as user postgres on the
# PostgreSQL host; by hand:
#   sudo -u postgres LATIH_BACKUP_DIR=/var/backups/latih-pg /usr/local/bin/latih-pg-backup
# The connection is a libpq URL without a password (peer authentication on
# the socket by default; otherwise ~/.pgpass of the user running it).
# A dump is as good as a restore of it: docs/DEPLOY.md says how to test one.
set -euo pipefail
umask 077

url=${LATIH_SERVER_DB:-postgresql:///latih?host=/var/run/postgresql}
dir=${LATIH_BACKUP_DIR:-/var/backups/latih-pg}
keep=${LATIH_BACKUP_KEEP:-14}

fail() { echo "latih-pg-backup: $*" >&2; exit 1; }

[[ $keep =~ ^[1-9][0-9]*$ ]] || fail "LATIH_BACKUP_KEEP must be a positive integer, not '$keep'"
[[ $url == postgres://* || $url == postgresql://* ]] || fail "LATIH_SERVER_DB must be a postgresql:// URL, not '$url'"
[[ -d $dir && -w $dir ]] || fail "backup directory $dir is missing or not writable"

out="$dir/latih-$(date +%Y%m%d).dump"
tmp="$out.partial"
cleanup() { rm -f "$tmp"; }
cleanup
trap cleanup EXIT

# --no-password: fail instead of waiting for a password nobody types.
pg_dump --dbname="$url" --format=custom --no-password --file="$tmp" ||
  fail "pg_dump of the latih database failed (see above)"
# pg_dump's status covers the writing; reading the table of contents back
# catches a file that cannot be restored from or is not latih's.
toc=$(pg_restore --list "$tmp") || fail "the dump $tmp cannot be read back"
grep -Eq '^[0-9]+; [0-9]+ [0-9]+ TABLE DATA [^ ]+ latih_schema ' <<<"$toc" ||
  fail "the dump $tmp holds no latih_schema: is the URL the latih database?"
entries=$(grep -c -v '^;' <<<"$toc")
mv -f "$tmp" "$out"
trap - EXIT

# Keep the newest $keep dated dumps (names sort by date).
mapfile -t old < <(find "$dir" -maxdepth 1 -name 'latih-[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9].dump' \
  -printf '%f\n' | sort -r | tail -n "+$((keep + 1))")
for f in "${old[@]}"; do rm -f -- "${dir:?}/$f"; done

echo "latih-pg-backup: $out ($(stat -c %s "$out") bytes, $entries entries; kept ${keep} newest)"
