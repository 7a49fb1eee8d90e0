#!/usr/bin/env bash
# The demo (`make demo`): the real job in a few seconds. A central
# latih-server starts on 127.0.0.1 (a free port), two Ampenan kelurahan
# offices record a workshop offline, enroll, sync, and the server shows what
# it holds per office. The server is left running; `make demo-stop` (this
# script with `stop`) ends it.
#
#   LATIH=build/client/latih LATIH_SERVER=build/server/latih-server \
#     DEMO_DIR=build/demo bash client/demo/run_demo.sh [stop]
#
# Idempotent: a re-run stops the previous demo server (DEMO_DIR/server.pid)
# and starts again from an empty DEMO_DIR.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
LATIH="${LATIH:-build/client/latih}"
LATIH_SERVER="${LATIH_SERVER:-build/server/latih-server}"
out="${DEMO_DIR:-build/demo}"
pidfile="$out/server.pid"
say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

# Stops the demo server named by the pid file, if it is still a latih-server.
stop_server() {
  [ -f "$pidfile" ] || return 0
  local pid
  pid="$(cat "$pidfile")"
  if [[ "$pid" =~ ^[0-9]+$ ]] && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q 'latih-server'; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
    if kill -0 "$pid" 2>/dev/null; then
      echo "latih-server $pid did not stop on SIGTERM in 5 s; killing it" >&2
      kill -KILL "$pid" 2>/dev/null || true
    fi
    echo "demo server $pid stopped"
  fi
  rm -f "$pidfile"
}

case "${1:-}" in
  stop) [ -f "$pidfile" ] || echo "no demo server running ($pidfile absent)"; stop_server; exit 0 ;;
  "") ;;
  *) echo "usage: $0 [stop]" >&2; exit 2 ;;
esac
case "$out" in "" | / | . | ..) echo "refusing DEMO_DIR='$out'" >&2; exit 2 ;; esac
for bin in "$LATIH" "$LATIH_SERVER"; do
  [ -x "$bin" ] || { echo "$bin not found: build first (make demo does)" >&2; exit 4; }
done

stop_server
rm -rf "$out"
mkdir -p "$out"
srvdb="$out/data/latih-server.db"
db1="$out/ampenan_selatan.db"
db2="$out/pejeruk.db"
srv() { "$LATIH_SERVER" --db "$srvdb" "$@"; }
ampenan() { "$LATIH" --db "$db1" "$@"; }
pejeruk() { "$LATIH" --db "$db2" "$@"; }
pending() { "$1" status | awk '$1 == "perubahan_belum_sinkron" { print $2 }'; }

say "1. Server pusat (BKPSDM): latih-server di 127.0.0.1, port bebas"
"$LATIH_SERVER" --db "$srvdb" serve --listen 127.0.0.1:0 </dev/null >"$out/server.out" 2>"$out/server.log" &
PID=$!
echo "$PID" >"$pidfile"
# If anything below fails, do not leave a half-demo server behind.
finished=0
trap '[ "$finished" = 1 ] || { echo "demo failed; server log $out/server.log:" >&2; tail -n 5 "$out/server.log" >&2; stop_server >&2; }' EXIT
for _ in $(seq 200); do  # at most 10 s
  grep -q 'listening on' "$out/server.out" && break
  kill -0 "$PID" 2>/dev/null || { echo "latih-server exited at start" >&2; exit 9; }
  sleep 0.05
done
URL="$(sed -n 's/.*listening on \([^ ]*\).*/\1/p' "$out/server.out")"
[ -n "$URL" ] || { echo "latih-server did not say 'listening on' within 10 s" >&2; exit 9; }
cat "$out/server.out"

say "2. Ampenan Selatan (52.71.01.1004), offline: pegawai, workshop dua hari, kehadiran, nilai"
ampenan init --office "Ampenan Selatan"
ampenan employee import "$here/roster_ampenan_selatan.csv"
t1=$(ampenan training add --title "Workshop Pelayanan Publik Prima" --form 4 --competency teknis \
  --jp 16 --start 2026-03-02 --end 2026-03-03 --organizer "BKPSDM Kota Mataram" \
  --cost-planned "Rp 12.500.000" --funding apbd_kota)
s1=$(ampenan session add --training "$t1" --date 2026-03-02 --start 08:00 --end 16:00 --jp 8 --location "Aula Kelurahan")
s2=$(ampenan session add --training "$t1" --date 2026-03-03 --start 08:00 --end 16:00 --jp 8 --location "Aula Kelurahan")
ampenan attend --session "$s1" --file "$here/attendance_day1.csv"
nips1=(197804122003121004 198305222009042002 198811032015031001 199001152019032005
       199207302020121003 199506182022212002 199801072023211001)
for nip in "${nips1[@]}"; do ampenan attend --session "$s2" --nip "$nip" --at 07:57 >/dev/null; done
pre=(55 60 45 70 50 65 40); post=(80 85 70 90 75 85 70)
for i in "${!nips1[@]}"; do
  ampenan evaluate --training "$t1" --nip "${nips1[$i]}" --kind pre_test --score "${pre[$i]}" >/dev/null
  ampenan evaluate --training "$t1" --nip "${nips1[$i]}" --kind post_test --score "${post[$i]}" >/dev/null
done
echo "hari 2: 7 hadir; 14 nilai pre/post-test"
ampenan report evaluation --training "$t1"
echo "realisasi anggaran workshop (latih training cost):"
ampenan training cost "$t1" --actual "Rp 11.850.000"

say "3. Pejeruk (52.71.01.1006), offline: daftar pegawai sendiri, workshop satu hari"
pejeruk init --office Pejeruk
pejeruk employee import "$here/roster_pejeruk.csv"
t2=$(pejeruk training add --title "Workshop Pelayanan Publik Prima" --form 4 --competency teknis \
  --jp 8 --start 2026-03-05 --end 2026-03-05 --organizer "BKPSDM Kota Mataram" \
  --cost-planned 4.000.000 --funding apbd_kota)
pejeruk training cost "$t2" --actual 3.650.000
s3=$(pejeruk session add --training "$t2" --date 2026-03-05 --start 08:00 --end 16:00 --jp 8 --location "Kantor Lurah Pejeruk")
pejeruk attend --session "$s3" --nip 197903152005011002 --at 07:50
pejeruk attend --session "$s3" --nip 198406302010012004 --at 07:55
pejeruk attend --session "$s3" --nip 199112082019031006 --status terlambat --at 08:20
pejeruk attend --session "$s3" --nip 199604222022211003 --at 07:58
pejeruk attend --session "$s3" --nip 200001172024211001 --status sakit --note "surat dokter"
pejeruk evaluate --training "$t2" --nip 199604222022211003 --kind reaction --score 88 --aspects materi=85,fasilitator=90 >/dev/null
echo "1 survei reaksi"
echo "nilai dari lembar fasilitator (latih evaluate --file):"
pejeruk evaluate --training "$t2" --file "$here/nilai_pejeruk.csv"
echo "e-learning: laporan penyelesaian kursus Moodle (latih elearning import; Dewi tanpa NIP, dicocokkan lewat surel):"
pejeruk elearning import "$here/moodle_etika_pejeruk.csv" --course "Etika Pelayanan Publik" --jp 4
echo "SKP 2025 dari ekspor e-Kinerja (latih skp import), predikat diturunkan dari kedua rating:"
pejeruk skp import "$here/skp_pejeruk_2025.csv"
pejeruk skp list --year 2025
echo "tanpa server sama sekali; nilai kolom menunggu sinkron: Ampenan Selatan $(pending ampenan), Pejeruk $(pending pejeruk)"

echo "pelatihan yang direncanakan: Bimtek Kearsipan Digital, 14-15 Desember (untuk daftar pengingat)"
ampenan training add --title "Bimtek Kearsipan Digital" --form 4 --competency teknis --jp 12 \
  --start 2026-12-14 --end 2026-12-15 --cost-planned 9.000.000 --funding apbd_provinsi >/dev/null
echo "pengingat 20 JP untuk lurah (latih report reminders, per 1 November 2026):"
ampenan report reminders --year 2026 --today 2026-11-01

say "4. Admin server: token pendaftaran satu kali per perangkat; di perangkat: latih enroll"
tok1=$(srv device enroll --office 52.71.01.1004 --name "Meja 1" 2>/dev/null)
tok2=$(srv device enroll --office 52.71.01.1006 --name "Meja 1" 2>/dev/null)
ampenan enroll --server "$URL" --token "$tok1"
pejeruk enroll --server "$URL" --token "$tok2"

say "5. latih sync di kedua perangkat, lalu sekali lagi di Ampenan Selatan (sudah mutakhir)"
ampenan sync
pejeruk sync
ampenan sync

say "6. Isi server per kantor"
sqlite3 -readonly -column -header "$srvdb" "
  WITH rows(office, t) AS (
    SELECT office_id, 'employee' FROM employee UNION ALL SELECT office_id, 'training' FROM training
    UNION ALL SELECT office_id, 'session' FROM session UNION ALL SELECT office_id, 'attendance' FROM attendance
    UNION ALL SELECT office_id, 'evaluation' FROM evaluation UNION ALL SELECT office_id, 'skp' FROM skp_assessment)
  SELECT r.office AS kantor, o.name AS nama,
         sum(t = 'employee') AS pegawai, sum(t = 'training') AS pelatihan, sum(t = 'session') AS sesi,
         sum(t = 'attendance') AS kehadiran, sum(t = 'evaluation') AS penilaian, sum(t = 'skp') AS skp
  FROM rows r LEFT JOIN office o ON o.id = r.office GROUP BY r.office ORDER BY r.office;"
echo
srv device list

say "7. BKPSDM: token HR, laporan pusat (API yang dipakai dashboard)"
hr=$(srv user add --role hr --name "BKPSDM Demo" 2>/dev/null | head -1)
echo "Kepatuhan 20 JP per kantor, 2026 (GET /v1/reports/jp?year=2026&format=csv&table=offices):"
curl -sf -H "Authorization: Bearer $hr" "$URL/v1/reports/jp?year=2026&format=csv&table=offices" | tr -d '\r' |
  sed 's/^\xEF\xBB\xBF//' | cut -d, -f1-8 | column -s, -t
echo
echo "Pengingat 20 JP per kantor (GET /v1/reports/reminders?year=2026&today=2026-11-01&format=csv&table=offices):"
curl -sf -H "Authorization: Bearer $hr" \
  "$URL/v1/reports/reminders?year=2026&today=2026-11-01&format=csv&table=offices" | tr -d '\r' |
  sed 's/^\xEF\xBB\xBF//' | column -s, -t
echo
echo "Anggaran 2026 per kantor penyelenggara (GET /v1/reports/costs?year=2026&format=csv&table=by_office):"
curl -sf -H "Authorization: Bearer $hr" "$URL/v1/reports/costs?year=2026&format=csv&table=by_office" | tr -d '\r' |
  sed 's/^\xEF\xBB\xBF//' | column -s, -t
echo
echo "Dampak: JP, IKM dan predikat SKP per kantor (GET /v1/reports/impact?year=2026&years=2&format=csv):"
curl -sf -H "Authorization: Bearer $hr" "$URL/v1/reports/impact?year=2026&years=2&format=csv" | tr -d '\r' |
  sed 's/^\xEF\xBB\xBF//' | cut -d, -f2,3,4,10,11,13-18 | column -s, -t

finished=1
say "The demo server keeps running"
cat <<EOF
  URL       $URL   (database $srvdb, log $out/server.log)
  dashboard $URL/   sign in with the HR token:
            $hr
  PID       $PID
  stop it   make demo-stop   (or: kill $PID)
  try       $LATIH --db $db1 status
            $LATIH --db $db2 employee list
            curl -s $URL/healthz
            curl -s $URL/metrics
            $LATIH_SERVER --db $srvdb device list
EOF
