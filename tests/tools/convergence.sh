#!/usr/bin/env bash
# Runs the sync convergence property test over many seeds (make test runs
# 500). Usage: tests/tools/convergence.sh [SEEDS] [FIRST_SEED]
# On failure it prints the failing seed and the command that replays it.
set -uo pipefail
seeds=${1:-5000}
first=${2:-1}
bin=${LATIH_TESTS:-build/tests/latih_tests}
[ -x "$bin" ] || { echo "build first (make build): $bin not found" >&2; exit 2; }
log=$(mktemp)
if LATIH_FIRST_SEED=$first LATIH_SEEDS=$seeds "$bin" '[convergence]' >"$log" 2>&1; then
  echo "convergence: $seeds seeds from $first passed"
  rm -f "$log"
  exit 0
fi
seed=$(grep -o 'seed [0-9]*' "$log" | head -1 | cut -d' ' -f2)
cat "$log"
echo
echo "convergence: seed $seed FAILED. Replay with:"
echo "  LATIH_SEED=$seed LATIH_DEBUG=1 $bin '[convergence]'"
rm -f "$log"
exit 1
