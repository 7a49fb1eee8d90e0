#!/usr/bin/env bash
# The offline-client demo (`make demo`): one Ampenan kelurahan office records
# a two-day workshop with no network at all, then prints its reports.
# Uses a fresh database under ./demo/ each run (idempotent).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
LATIH="${LATIH:-build/client/latih}"
out="${DEMO_DIR:-demo}"
rm -rf "$out"
mkdir -p "$out"
db="$out/ampenan_selatan.db"
latih() { "$LATIH" --db "$db" "$@"; }
say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

say "1. Database baru untuk Kelurahan Ampenan Selatan (52.71.01.1004)"
latih init --office "Ampenan Selatan"

say "2. Impor daftar pegawai (Excel Indonesia: titik koma, NIP dengan spasi)"
latih employee import "$here/roster_ampenan_selatan.csv"
latih employee list

say "3. Workshop dua hari: Pelayanan Publik Prima (16 JP, teknis)"
training=$(latih training add --title "Workshop Pelayanan Publik Prima" --form 4 --competency teknis \
  --jp 16 --start 2026-03-02 --end 2026-03-03 --organizer "BKPSDM Kota Mataram")
s1=$(latih session add --training "$training" --date 2026-03-02 --start 08:00 --end 16:00 --jp 8 --location "Aula Kelurahan")
s2=$(latih session add --training "$training" --date 2026-03-03 --start 08:00 --end 16:00 --jp 8 --location "Aula Kelurahan")
echo "pelatihan $training"

say "4. Kehadiran hari 1 dari CSV, hari 2 satu per satu"
latih attend --session "$s1" --file "$here/attendance_day1.csv"
for nip in 197804122003121004 198305222009042002 198811032015031001 199001152019032005 199207302020121003 199506182022212002; do
  latih attend --session "$s2" --nip "$nip" --at 07:57
done
latih attend --session "$s2" --nip 199801072023211001 --status sakit --note "surat dokter"

say "5. Pre-test, post-test dan survei reaksi"
pre=(55 60 45 70 50 65 40); post=(80 85 70 90 75 85 70)
i=0
for nip in 197804122003121004 198305222009042002 198811032015031001 199001152019032005 199207302020121003 199506182022212002 199801072023211001; do
  latih evaluate --training "$training" --nip "$nip" --kind pre_test --score "${pre[$i]}" >/dev/null
  latih evaluate --training "$training" --nip "$nip" --kind post_test --score "${post[$i]}" >/dev/null
  latih evaluate --training "$training" --nip "$nip" --kind reaction --score $((80 + i)) \
    --aspects "materi=$((78 + i)),fasilitator=$((85 + i)),sarana=$((75 + i))" >/dev/null
  i=$((i + 1))
done
echo "21 penilaian tercatat"

say "6. Survei Kepuasan Masyarakat semester 1 (10 responden)"
for scores in 4,4,3,4,3,4,4,3,4 4,3,3,4,4,4,4,2,3 3,3,3,4,3,3,4,3,3 4,4,3,4,3,4,4,3,4 4,4,4,4,4,4,4,3,4 \
              3,4,3,4,3,3,4,3,3 4,4,4,4,3,4,4,4,4 3,3,2,4,3,3,3,2,3 4,4,3,4,4,4,4,3,4 4,3,3,4,3,4,4,3,3; do
  latih survey add --period 2026-S1 --scores "$scores" --gender P --age 30-39 --education SMA --service "Surat Keterangan" >/dev/null
done
echo "10 responden tercatat"

say "Laporan JP 2026 (PNS minimal 20 JP, PPPK maksimal 24 JP)"
latih report jp --year 2026
say "Laporan kehadiran pelatihan"
latih report attendance --training "$training"
say "Laporan evaluasi (pre/post, gain, reaksi)"
latih report evaluation --training "$training"
say "Indeks Kepuasan Masyarakat 2026-S1"
latih report ikm --period 2026-S1
say "Status database"
latih status
echo
echo "Database demo: $db  (coba: $LATIH --db $db report jp --year 2026 --json)"
