#!/usr/bin/env bash
# The read replica in CI (issue 23): starts a primary and a streaming replica (scripts/replica.sh, in a folder
# and on ports of its own), checks the replica is read-only and replays a write within REPLICA_MAX_LAG seconds,
# runs the router's tests against the two (DATABASE_URL, DATABASE_REPLICA_URL; CARENET_REQUIRE_REPLICA=1: the
# real-replica tests must run, not skip), and stops both whatever happens.
#
#   scripts/replica_check.sh          (.ci/run runs it; PG_BIN as for scripts/replica.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
START=$SECONDS
MAX_LAG=${REPLICA_MAX_LAG:-3}
export REPLICA_DIR REPLICA_PRIMARY_PORT=${REPLICA_CHECK_PRIMARY_PORT:-5463} REPLICA_STANDBY_PORT=${REPLICA_CHECK_STANDBY_PORT:-5464}
REPLICA_DIR=$(mktemp -u /tmp/carenet-replica-check.XXXXXX)
PY=${PYTHON:-.venv/bin/python}

say() { printf '  %-58s %s\n' "$1" "$2"; }
fail() { say "$1" "FAIL${2:+ ($2)}"; exit 1; }
cleanup() {
  local status=$?
  if [ "$status" != 0 ]; then
    for log in "$REPLICA_DIR"/primary.log "$REPLICA_DIR"/standby.log; do
      [ -f "$log" ] && { echo "---- $(basename "$log") (last lines)"; tail -n 15 "$log"; }
    done
  fi
  scripts/replica.sh stop 2>/dev/null || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "read replica check ($REPLICA_DIR)"
eval "$(scripts/replica.sh start 2>/dev/null)"
say "primary on $REPLICA_PRIMARY_PORT, replica on $REPLICA_STANDBY_PORT (pg_basebackup -R)" "ok"

if [ -z "${PG_BIN:-}" ]; then
  PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
fi
psql_as() {  # psql_as PORT STATEMENT
  local run=()
  [ "$(id -u)" = 0 ] && run=(runuser -u postgres --)
  "${run[@]}" "$PG_BIN/psql" -X -q -At -v ON_ERROR_STOP=1 -h "$REPLICA_DIR" -p "$1" -U postgres -d carenet -c "$2"
}

[ "$(psql_as "$REPLICA_STANDBY_PORT" "SELECT pg_is_in_recovery()")" = t ] || fail "replica in recovery"
if out=$(psql_as "$REPLICA_STANDBY_PORT" "CREATE TABLE replica_check (id int)" 2>&1); then
  fail "a write on the replica refused" "it was accepted"
fi
grep -q "read-only transaction" <<<"$out" || fail "a write on the replica refused" "$out"
say "replica in recovery, a write there refused (read-only)" "ok"

psql_as "$REPLICA_PRIMARY_PORT" "CREATE TABLE replica_check (id int, at timestamptz DEFAULT clock_timestamp())" >/dev/null
psql_as "$REPLICA_PRIMARY_PORT" "INSERT INTO replica_check (id) VALUES (1)" >/dev/null
lsn=$(psql_as "$REPLICA_PRIMARY_PORT" "SELECT pg_current_wal_lsn()")
begun=$(date +%s.%N)
while [ "$(psql_as "$REPLICA_STANDBY_PORT" "SELECT pg_last_wal_replay_lsn() >= '$lsn'::pg_lsn")" != t ]; do
  awk -v b="$begun" -v n="$(date +%s.%N)" -v m="$MAX_LAG" 'BEGIN { exit !(n - b > m) }' \
    && fail "a write replayed on the replica within ${MAX_LAG}s" "not after ${MAX_LAG}s"
  sleep 0.02
done
lag=$(awk -v b="$begun" -v n="$(date +%s.%N)" 'BEGIN { printf "%.3f", n - b }')
[ "$(psql_as "$REPLICA_STANDBY_PORT" "SELECT count(*) FROM replica_check")" = 1 ] || fail "the row read back on the replica"
say "a row written on the primary read on the replica after" "${lag}s (< ${MAX_LAG}s)"

echo "  the router's tests against the primary and the replica:"
CARENET_REQUIRE_REPLICA=1 DJANGO_SETTINGS_MODULE=config.settings.test "$PY" -m pytest -q -p no:cacheprovider \
  carenet/core/tests/test_db_router.py || fail "carenet/core/tests/test_db_router.py against the replica"
say "router tests on primary + replica" "ok"
printf 'read replica: ok in %ss\n' "$((SECONDS - START))"
