#!/usr/bin/env bash
# The Citus leg of CI (issue 25): a three-node Citus cluster on this machine, a chosen selection of the
# suite on it, the count of tests run. Fails (never skips) when the cluster cannot be built or started.
#
#   scripts/citus_ci.sh                # after `make install`; root on Debian 12 (the cluster script apt-installs)
#
# The cluster: ../shared/vendor/citus/citus-cluster.sh (Citus 13.2.2 built against Debian's PostgreSQL 15,
# coordinator 127.0.0.1:5440, workers 5441 and 5442) — the only path outside the repository CareNet's
# tests use, and only here (CITUS_VENDOR overrides it). pytest-django makes the test database on every
# node, with the extension and the workers registered, migrates it on the coordinator and distributes it
# (carenet/core/db/backends/postgresql/creation.py); CARENET_REQUIRE_CITUS=1 turns the Citus-only tests'
# "not a Citus coordinator" into a failure. The selection and its time: docs/performance.md, "Citus in CI".
set -euo pipefail
cd "$(dirname "$0")/.."
started=$SECONDS
PY=.venv/bin/python
VENDOR=${CITUS_VENDOR:-../shared/vendor/citus}
# A clone made elsewhere than beside the shared folder (CI's clean clone) finds the workplace's copy.
if [ -z "${CITUS_VENDOR:-}" ] && [ ! -x "$VENDOR/citus-cluster.sh" ] && [ -x /work/shared/vendor/citus/citus-cluster.sh ]; then
  VENDOR=/work/shared/vendor/citus
fi
COORDINATOR=${CITUS_COORDINATOR:-127.0.0.1:5440}
WORKERS=${CITUS_WORKERS:-127.0.0.1:5441,127.0.0.1:5442}
XDIST=${CITUS_XDIST:-2}
# The isolation (tenancy, access, key shape, Citus readiness and routing), cases, referrals, plans and API
# tests; the browser tests of these apps are left to the SQLite leg (they test the page, not the database).
SELECTION=(
  carenet/core/tests/test_tenancy.py
  carenet/core/tests/test_access.py
  carenet/core/tests/test_tenant_key_shape.py
  carenet/core/tests/test_citus_readiness.py
  carenet/core/tests/test_citus_routing.py
  carenet/core/tests/test_citus_cluster.py
  carenet/audit
  carenet/cases
  carenet/referrals
  carenet/plans
  carenet/api
)

fail() { printf 'Citus leg FAILED: %s\n' "$*" >&2; exit 1; }

[ -x "$VENDOR/citus-cluster.sh" ] || fail "no Citus source at $VENDOR (citus-cluster.sh); the Citus leg cannot run"
"$VENDOR/citus-cluster.sh" start || fail "the cluster did not build or start ($VENDOR/citus-cluster.sh start)"
host=${COORDINATOR%:*}
port=${COORDINATOR#*:}
for node in "$COORDINATOR" ${WORKERS//,/ }; do
  pg_isready -q -h "${node%:*}" -p "${node#*:}" || fail "node $node does not answer"
done
psql -h "$host" -p "$port" -U postgres -qtAc "SHOW shared_preload_libraries" postgres | grep -q citus \
  || fail "$COORDINATOR does not preload Citus"
echo "Citus leg: coordinator $COORDINATOR, workers $WORKERS ($(( SECONDS - started )) s to start)"

$PY manage.py compile_translations >/dev/null  # the tests read the ro/ru/hu/uk messages (make test does this too)
db="carenet_citus_ci_$$"
drop_dbs() {  # the test databases pytest-django made, on every node (left behind only if pytest was killed)
  for node in "$COORDINATOR" ${WORKERS//,/ }; do
    for name in $(psql -h "${node%:*}" -p "${node#*:}" -U postgres -Atc \
      "SELECT datname FROM pg_database WHERE datname LIKE 'test\_$db%'" postgres 2>/dev/null); do
      psql -h "${node%:*}" -p "${node#*:}" -U postgres -q -c "DROP DATABASE IF EXISTS $name WITH (FORCE)" postgres \
        >/dev/null 2>&1 || true
    done
  done
}
trap drop_dbs EXIT

log=$(mktemp)
mkdir -p var && rm -f var/citus-routing.txt  # written by carenet/core/tests/test_citus_routing.py
set +e
DATABASE_URL="postgres://postgres@$COORDINATOR/$db" CITUS_WORKERS="$WORKERS" CARENET_REQUIRE_CITUS=1 \
  DJANGO_SETTINGS_MODULE=config.settings.test \
  .venv/bin/pytest "${SELECTION[@]}" -m "not browser" -n "$XDIST" --dist loadfile -q 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
summary=$(grep -E '^=*.*[0-9]+ (passed|failed|error)' "$log" | tail -1 | tr -d '=')
rm -f "$log"
ran=$(grep -oE '[0-9]+ (passed|failed|errors?)' <<<"$summary" | awk '{n += $1} END {print n + 0}')
if [ -s var/citus-routing.txt ]; then
  printf '\nQueries of the main pages on the cluster (test_citus_routing.py):\n%-60s %7s %12s %12s\n' \
    page queries "one node" multi-shard
  cat var/citus-routing.txt
fi
echo "Citus leg: $ran tests run on the cluster ($summary) in $(( SECONDS - started )) s"
[ "$status" -eq 0 ] || fail "pytest exited $status"
[ "$ran" -gt 0 ] || fail "no test ran"
grep -q skipped <<<"$summary" && fail "tests were skipped on the cluster ($summary)"
exit 0
