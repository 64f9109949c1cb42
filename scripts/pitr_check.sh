#!/usr/bin/env bash
# Point-in-time recovery of docs/admin-guide.md, rehearsed on a throw-away cluster with the guide's commands:
# a PRIMARY PostgreSQL cluster archives its WAL (archive_command), each segment encrypted with GnuPG to a
# throw-away key; a base backup is taken with `pg_basebackup -X none -Ft -D - | gzip | gpg --encrypt` (its WAL
# comes from that archive); rows are written, an instant T is noted, then "the mistake" (a DELETE of the first
# rows and more writes after T) is made and archived. The base backup and the archive are decrypted, and a
# RECOVERY cluster started from them replays the archive up to T (restore_command, recovery_target_time,
# recovery.signal) and is promoted; the script then checks that the rows written before T are there and the
# mistake is not.
#
#   scripts/pitr_check.sh          (.ci/run runs it; as root the clusters run as the user postgres)
#
# Needs gpg and the PostgreSQL server binaries (Debian package postgresql-NN: initdb, pg_ctl, pg_basebackup, psql);
# PG_BIN=/usr/lib/postgresql/15/bin chooses them, else the newest under /usr/lib/postgresql. Both clusters
# listen only on a Unix socket inside their temporary folder (no TCP), so they never meet the machine's own
# servers. Everything lives in that folder; the trap stops both clusters and removes it, whatever happens.
set -euo pipefail
START=$SECONDS
PRIMARY_PORT=${PITR_PRIMARY_PORT:-5451}
RECOVERY_PORT=${PITR_RECOVERY_PORT:-5452}
ROWS=100

say() { printf '  %-58s %s\n' "$1" "$2"; }
fail() { say "$1" "FAIL${2:+ ($2)}"; exit 1; }

if [ -z "${PG_BIN:-}" ]; then
  PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
fi
for tool in initdb pg_ctl pg_basebackup psql; do
  [ -x "$PG_BIN/$tool" ] || { echo "no $tool in '${PG_BIN}': install postgresql-NN or set PG_BIN" >&2; exit 1; }
done
command -v gpg >/dev/null 2>&1 || { echo "no gpg: scripts/system_packages.sh run" >&2; exit 1; }

TMP=$(mktemp -d /tmp/carenet-pitr.XXXXXX)
# PostgreSQL refuses to run as root: as root, the clusters and every tool run as the user postgres.
if [ "$(id -u)" = 0 ]; then
  chown postgres: "$TMP"
  as_pg() { runuser -u postgres -- "$@"; }
else
  as_pg() { "$@"; }
fi
ARCHIVE=$TMP/archive WAL=$TMP/wal PRIMARY=$TMP/primary RECOVERY=$TMP/recovery
KEYS=$TMP/gnupg PUBKEY=$TMP/carenet-backup.pub.asc BASE=$TMP/base.tar.gz.gpg
STARTED=()

cleanup() {
  local status=$? dir
  for dir in "${STARTED[@]}"; do
    as_pg "$PG_BIN/pg_ctl" -D "$dir" -m fast -w stop >/dev/null 2>&1 || true
  done
  [ -d "$KEYS" ] && as_pg gpgconf --homedir "$KEYS" --kill gpg-agent >/dev/null 2>&1 || true
  if [ "$status" != 0 ]; then  # the servers' own words are what explain a failure
    for dir in "$PRIMARY" "$RECOVERY"; do
      [ -f "$dir.log" ] && { echo "---- $(basename "$dir").log (last lines)"; tail -n 15 "$dir.log"; }
    done
  fi
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

sql() {  # sql PORT DATABASE STATEMENT: one value, no decoration
  as_pg "$PG_BIN/psql" -X -q -At -v ON_ERROR_STOP=1 -h "$TMP" -p "$1" -U postgres -d "$2" -c "$3"
}
start() {  # start DATADIR: pg_ctl waits until it accepts connections
  STARTED+=("$1")
  as_pg "$PG_BIN/pg_ctl" -D "$1" -l "$1.log" -w -t 60 start >/dev/null || fail "start $(basename "$1")" "see $1.log"
}

echo "point-in-time recovery rehearsal ($("$PG_BIN/postgres" --version), in $TMP)"

# 0. The municipality's key pair (here a throw-away one, in a GnuPG home of this folder).
as_pg mkdir -m 700 "$ARCHIVE" "$WAL" "$KEYS"
as_pg gpg --homedir "$KEYS" --batch --quiet --pinentry-mode loopback --passphrase '' \
  --quick-generate-key 'CareNet PITR rehearsal <pitr@carenet.invalid>' default default never 2>/dev/null
as_pg gpg --homedir "$KEYS" --armor --export pitr@carenet.invalid | as_pg tee "$PUBKEY" >/dev/null
GPG="gpg --homedir $KEYS --batch --quiet --yes --trust-model always"

# 1. The primary, archiving every WAL segment it completes (and one at least every archive_timeout), each
# encrypted into the archive under a temporary name first: a half-written segment is never taken for one.
as_pg "$PG_BIN/initdb" -D "$PRIMARY" -U postgres -A trust -E UTF8 --locale=C --no-sync >/dev/null
as_pg tee -a "$PRIMARY/postgresql.conf" >/dev/null <<EOF

# pitr_check.sh: the lines docs/admin-guide.md asks for, on a socket-only throw-away cluster
listen_addresses = ''
unix_socket_directories = '$TMP'
port = $PRIMARY_PORT
shared_buffers = 16MB
wal_level = replica
archive_mode = on
archive_command = 'test ! -f $ARCHIVE/%f.gpg && $GPG --recipient-file $PUBKEY --output $ARCHIVE/%f.part --encrypt %p && mv $ARCHIVE/%f.part $ARCHIVE/%f.gpg'
archive_timeout = 60
EOF
start "$PRIMARY"
say "primary cluster on port $PRIMARY_PORT, WAL archived" "ok"

# 2. A stand-in for CareNet's data, batch A, then the base backup (WAL from the archive: -X none), encrypted
# as it streams: nothing of it in clear on disk.
sql "$PRIMARY_PORT" postgres "CREATE DATABASE carenet" >/dev/null
sql "$PRIMARY_PORT" carenet "CREATE TABLE audit_auditevent (
  id bigserial PRIMARY KEY, municipality_id integer NOT NULL, action text NOT NULL, batch char(1) NOT NULL,
  occurred_at timestamptz NOT NULL DEFAULT clock_timestamp())" >/dev/null
insert() {  # insert BATCH
  sql "$PRIMARY_PORT" carenet "INSERT INTO audit_auditevent (municipality_id, action, batch)
    SELECT 1 + i % 2, 'person.viewed', '$1' FROM generate_series(1, $ROWS) AS i" >/dev/null
}
insert A
as_pg bash -c "set -o pipefail; '$PG_BIN/pg_basebackup' -h '$TMP' -p $PRIMARY_PORT -U postgres -X none \
  --checkpoint=fast -Ft -D - | gzip | $GPG --recipient-file '$PUBKEY' --encrypt > '$BASE'" 2>"$TMP/basebackup.log" \
  || fail "base backup (pg_basebackup -X none | gpg)" "$(tail -n 3 "$TMP/basebackup.log")"
say "batch A written ($ROWS rows), base backup taken" "ok"

# 3. Batch B, the instant T, then the mistake after T; the last segment is switched out and archived.
insert B
sql "$PRIMARY_PORT" carenet "SELECT pg_switch_wal()" >/dev/null
sleep 1
T=$(sql "$PRIMARY_PORT" carenet "SET TIME ZONE 'UTC'; SELECT to_char(now(), 'YYYY-MM-DD HH24:MI:SS.US') || '+00'")
sleep 1
sql "$PRIMARY_PORT" carenet "DELETE FROM audit_auditevent WHERE batch = 'A'" >/dev/null
insert C
last=$(sql "$PRIMARY_PORT" carenet "SELECT pg_walfile_name(pg_switch_wal())")
for _ in $(seq 1 60); do
  archived=$(sql "$PRIMARY_PORT" postgres "SELECT coalesce(last_archived_wal, '') FROM pg_stat_archiver")
  [[ "$archived" > "$last" || "$archived" == "$last" ]] && break
  sleep 0.5
done
[[ "$archived" > "$last" || "$archived" == "$last" ]] || fail "segment $last archived" "last archived: '$archived'"
say "batch B written, T = $T" "ok"
say "the mistake after T (batch A deleted, batch C written)" "archived up to $last"

# 4. The recovery cluster: the base backup and the archive decrypted (the secret key), the archive replayed
# up to T, then promoted. It does not archive into the primary's archive (after a real recovery: a new
# archive, a new base backup).
as_pg mkdir -m 700 "$RECOVERY"
as_pg bash -c "set -o pipefail; $GPG --decrypt '$BASE' | tar -xz -C '$RECOVERY'" || fail "base backup decrypted"
for f in "$ARCHIVE"/*.gpg; do
  as_pg $GPG --output "$WAL/$(basename "$f" .gpg)" --decrypt "$f" || fail "archive decrypted" "$f"
done
say "base backup and $(ls "$WAL" | wc -l) archived files decrypted" "ok"
as_pg tee -a "$RECOVERY/postgresql.conf" >/dev/null <<EOF

# pitr_check.sh: recover to the instant T
port = $RECOVERY_PORT
archive_mode = off
restore_command = 'cp $WAL/%f %p'
recovery_target_time = '$T'
recovery_target_action = 'promote'
EOF
as_pg touch "$RECOVERY/recovery.signal"
start "$RECOVERY"
for _ in $(seq 1 120); do
  [ "$(sql "$RECOVERY_PORT" postgres "SELECT pg_is_in_recovery()")" = f ] && break
  sleep 0.5
done
[ "$(sql "$RECOVERY_PORT" postgres "SELECT pg_is_in_recovery()")" = f ] || fail "recovery cluster promoted" "still in recovery"
stop_line=$(grep -m 1 "recovery stopping before" "$RECOVERY.log" | sed 's/^.*LOG: *//' || true)
say "recovery cluster on port $RECOVERY_PORT replayed to T, promoted" "ok"
[ -n "$stop_line" ] && echo "    server: $stop_line"

# 5. Before T everything, after T nothing.
counts=$(sql "$RECOVERY_PORT" carenet "SELECT string_agg(b || '=' || (SELECT count(*) FROM audit_auditevent WHERE batch = b), ' ')
  FROM unnest(ARRAY['A', 'B', 'C']) AS b")
say "rows per batch after recovery: $counts" ""
[ "$counts" = "A=$ROWS B=$ROWS C=0" ] || fail "batches A and B present, the mistake absent" "expected A=$ROWS B=$ROWS C=0"
say "batches A and B present, the mistake absent" "ok"
printf 'point-in-time recovery to %s: ok in %ss\n' "$T" "$((SECONDS - START))"
