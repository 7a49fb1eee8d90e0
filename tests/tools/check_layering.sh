#!/bin/bash
# The dependency rules of README "Source map", checked on the sources:
# cpprestsdk only in server/http/, curl only in client/transport/ (tests may
# use curl to send raw requests), libpq only in sync/postgres/ and never in
# client/, and sync/ never includes client/ or server/.
set -euo pipefail
root=${1:-$(dirname "$0")/../..}
cd "$root"
fail=0
check() {  # check DESCRIPTION PATTERN ALLOWED_DIR_REGEX DIRS...
  local what=$1 pattern=$2 allowed=$3; shift 3
  local hits
  hits=$(grep -rnE --include='*.cc' --include='*.h' "$pattern" "$@" | grep -vE "^($allowed)" || true)
  if [ -n "$hits" ]; then
    echo "layering: $what:"; echo "$hits"; fail=1
  fi
}
check "cpprestsdk outside server/http/" '#include <(cpprest|pplx)/' 'server/http/' sync client server
check "curl outside client/transport/" '#include <curl/' 'client/transport/' sync client server
check "sync/ including client/ or server/" '#include "(client|server)/' '$^' sync
check "client/ including server/" '#include "server/' '$^' client
check "libpq outside sync/postgres/" '#include <(libpq-fe|libpq/)' 'sync/postgres/' sync client server
check "client/ including sync/postgres/ (the office client never links libpq)" '#include "sync/postgres/' '$^' client
check "server/ including client/" '#include "client/' '$^' server
check "curses outside client/cli/desk_screen.cc" '#include <(ncursesw/)?curses\.h>' 'client/cli/desk_screen\.cc' sync client server
check "libqrencode outside client/lib/cards.cc" '#include <qrencode\.h>' 'client/lib/cards\.cc' sync client server
[ $fail -eq 0 ] && echo "layering: ok"
exit $fail
