#!/usr/bin/env bash
# Runs the libFuzzer targets of tests/fuzz/ (built by `make fuzz` in
# build-fuzz/) for a bounded time each, one after the other.
# Usage: tests/tools/fuzz.sh [SECONDS] [TARGET]   (default 30 s, every target)
# The seeds in tests/fuzz/corpus/<target>/ are only read; new inputs go to
# build-fuzz/fuzz/<target>/corpus/, kept between runs so that long runs add
# up. A crash stops the run with the reproducer's path and the command that
# replays it (exit 1). FUZZ_BUILD overrides the build directory.
set -uo pipefail
seconds=${1:-30}
only=${2:-}
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${FUZZ_BUILD:-$root/build-fuzz}
case $build in /*) ;; *) build=$root/$build ;; esac
targets=(fuzz_protocol fuzz_rows fuzz_csv)
if [ -n "$only" ]; then
  [[ " ${targets[*]} " == *" $only "* ]] || { echo "fuzz: unknown target $only (${targets[*]})" >&2; exit 2; }
  targets=("$only")
fi

for t in "${targets[@]}"; do
  bin=$build/tests/fuzz/$t
  [ -x "$bin" ] || { echo "fuzz: $bin is not built (make fuzz builds it)" >&2; exit 2; }
  work=$build/fuzz/$t
  mkdir -p "$work/corpus" "$work/artifacts"
  log=$work/last.log
  "$bin" -max_total_time="$seconds" -timeout=20 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$work/artifacts/" "$work/corpus" "$root/tests/fuzz/corpus/$t" >"$log" 2>&1
  rc=$?
  if [ $rc -ne 0 ]; then
    tail -n 60 "$log"
    reproducer=$(grep -o "Test unit written to [^ ]*" "$log" | tail -1 | cut -d' ' -f5)
    echo
    echo "fuzz: $t FAILED (exit $rc); log: $log"
    [ -n "$reproducer" ] && echo "fuzz: reproducer $reproducer; replay with: $bin $reproducer"
    exit 1
  fi
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$')
  rate=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | grep -o '[0-9]*$')
  cov=$(grep -o 'cov: [0-9]* ft: [0-9]*' "$log" | tail -1)
  inputs=$(find "$work/corpus" -type f | wc -l)
  echo "fuzz: $t ok: ${seconds} s, $runs runs ($rate/s), $cov, $inputs inputs in $work/corpus"
done
