#!/usr/bin/env bash
# Long variants of the crash tests (tests/integration/crash_test.cc): the
# device and the server SIGKILLed at seeded random moments of their syncs.
#   tests/tools/crash.sh [SEEDS] [ROUNDS_FACTOR]
# runs SEEDS seeds (default 20), each with ROUNDS_FACTOR times the rounds of
# `make test` (default 4: 200 device kills and 80 server kills a seed), and
# prints the replay command of a failing seed.
set -euo pipefail
cd "$(dirname "$0")/../.."
seeds=${1:-20}
factor=${2:-4}
bin=build/tests/latih_tests
[ -x "$bin" ] || { echo "build first: make build" >&2; exit 2; }
# The PostgreSQL-only crash tests need a cluster: LATIH_TEST_PG=DIR of
# tests/tools/pg_throwaway.sh start DIR (the others then run on it too).
filter='[crash]~[pg]'
[ -n "${LATIH_TEST_PG:-}" ] && filter='[crash]'
for ((seed = 1; seed <= seeds; ++seed)); do
  if ! LATIH_SEED=$seed LATIH_CRASH_ROUNDS=$factor "$bin" "$filter" >/tmp/latih-crash-$seed.log 2>&1; then
    echo "seed $seed FAILED (log /tmp/latih-crash-$seed.log); replay:"
    echo "  LATIH_SEED=$seed LATIH_CRASH_ROUNDS=$factor $bin '$filter'"
    exit 1
  fi
  echo "seed $seed ok: $(grep -ho 'kills: [^(]*' /tmp/latih-crash-$seed.log | tr '\n' ' ')"
done
