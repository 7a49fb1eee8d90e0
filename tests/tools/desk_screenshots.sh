#!/usr/bin/env bash
# Captures the attendance desk's two views as text for the README and
# docs/DESK.md (docs/screenshots/desk.txt, desk-scores.txt): a small
# workshop seeded through the CLI, `latih desk` in a 100x24 tmux pane in
# Indonesian, a few keys, capture-pane.
#   tests/tools/desk_screenshots.sh [OUTDIR]   (default docs/screenshots)
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${1:-docs/screenshots}
latih=$PWD/build/client/latih
[ -x "$latih" ] || { echo "build first: make build" >&2; exit 2; }
dir=$(mktemp -d)
sock=latih-desk-shot-$$
trap 'tmux -L "$sock" kill-server 2>/dev/null || true; rm -rf "$dir"' EXIT
db=$dir/desk.db
l() { LC_ALL=C "$latih" --db "$db" "$@"; }
l init --office 52.71.01.1004 >/dev/null
while IFS='|' read -r nip name; do l employee add --nip "$nip" --name "$name" >/dev/null; done <<'NAMES'
198811032015031001|I Made Sudarsana
199207302020121003|Ahmad Fauzi
198305222009042002|Baiq Rahmawati, S.E.
197804122003121004|Lalu Muhammad Zaini, S.STP
198501152010032005|Ni Luh Putu Ayu Lestari
NAMES
training=$(l training add --title "Workshop Pelayanan Publik" --form 4 --competency teknis --start 2026-03-02 \
           --end 2026-03-02 --jp 8 | tail -1)
session=$(l session add --training "$training" --date 2026-03-02 --start 08:00 | tail -1)
l attend --session "$session" --nip 197804122003121004 --at 07:52 >/dev/null
l attend --session "$session" --nip 198305222009042002 --at 07:58 >/dev/null
l attend --session "$session" --nip 198811032015031001 --at 08:25 --status terlambat >/dev/null
for s in "198305222009042002 pre_test 60" "198305222009042002 post_test 85" "197804122003121004 pre_test 55"; do
  set -- $s
  l evaluate --training "$training" --nip "$1" --kind "$2" --score "$3" >/dev/null
done
LC_ALL=C.UTF-8 tmux -L "$sock" -f /dev/null new-session -d -x 100 -y 20 -e LANG=id_ID.UTF-8 -e LC_ALL= \
  "exec $latih --db '$db' desk --session $session"
key() { tmux -L "$sock" send-keys -t 0 "$@"; }
shot() {  # waits for $1 on the screen, then writes it to $2 without trailing blanks
  for ((t = 0; t < 500; ++t)); do
    tmux -L "$sock" capture-pane -p -t 0 | grep -q "$1" && break
    sleep 0.01
  done
  tmux -L "$sock" capture-pane -p -t 0 | sed 's/ *$//' >"$2"
}
key -l ma
shot "Ahmad Fauzi" "$dir/desk.txt"
key Escape F6
key -l baiq
key Enter
key -l 78
shot "0-100" /dev/null
key Enter
key -l 'a'
shot "OK Tes akhir" /dev/null
key BSpace
key -l 'lalu'
shot "Lalu Muhammad" "$dir/desk-scores.txt"
key F10
cp "$dir/desk.txt" "$dir/desk-scores.txt" "$out/"
echo "wrote $out/desk.txt and $out/desk-scores.txt"
