#!/bin/bash
# The bad-link scenarios (tests/integration/bad_link_test.cc) on slower links
# or with more data than `make test` can afford. Runs the Catch2 binary
# directly (no ctest timeout) and prints each scenario's mechanism and figures.
#   tests/tools/bad_link.sh [ci|2g|long]    profile (default ci: what ctest runs)
#   BUILD=build-asan tests/tools/bad_link.sh 2g
# Any LATIH_BADLINK_* variable set by the caller wins over the profile:
#   KBIT, RTT_MS, LOSS_PERCENT, CUT_BYTES, PEOPLE, SURVEYS, BACKLOG,
#   SHAPED_PULL (1: the large initial pull on the scenario's link too).
# The loss needs root, iproute2 and nftables; without them the tests say
# "loss: SKIPPED" and the proxy limits the rate.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
binary=${BUILD:-$root/build}/tests/latih_tests
[ -x "$binary" ] || { echo "bad_link.sh: $binary not built (make build)" >&2; exit 2; }
profile=${1:-ci}
set_default() { [ -n "${!1:-}" ] || export "$1=$2"; }
case "$profile" in
  ci) ;;
  2g)  # a congested 2G cell: ~16 kbit/s, 800 ms RTT, 5 % loss; the pull shaped too
    set_default LATIH_BADLINK_KBIT 16
    set_default LATIH_BADLINK_RTT_MS 800
    set_default LATIH_BADLINK_LOSS_PERCENT 5
    set_default LATIH_BADLINK_SHAPED_PULL 1 ;;
  long)  # a week of workshops at 64 kbit/s, and a 20,000-row initial pull
    set_default LATIH_BADLINK_PEOPLE 600
    set_default LATIH_BADLINK_SURVEYS 200
    set_default LATIH_BADLINK_BACKLOG 20000
    set_default LATIH_BADLINK_SHAPED_PULL 1 ;;
  *) echo "bad_link.sh: unknown profile '$profile' (ci, 2g or long)" >&2; exit 2 ;;
esac
env | grep '^LATIH_BADLINK_' | sort || true
exec "$binary" '[badlink]' --durations yes
