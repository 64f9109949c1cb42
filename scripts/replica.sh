#!/usr/bin/env bash
# A PostgreSQL primary and a streaming replica of it (pg_basebackup -R) as two throw-away clusters on this
# machine, for the read-replica router (carenet/core/db_router.py, issue 23):
#
#   scripts/replica.sh start     # (make replica) prints the two URLs: eval "$(scripts/replica.sh start)"
#   scripts/replica.sh status    # both clusters, the replica's state and lag
#   scripts/replica.sh stop      # stops both and removes their folder
#
# Both clusters live in REPLICA_DIR (default /tmp/carenet-replica), listen on 127.0.0.1 only, on
# REPLICA_PRIMARY_PORT (5461) and REPLICA_STANDBY_PORT (5462), with their sockets in that folder: the machine's
# own cluster on 5432 is never touched. Trust authentication (loopback only), fsync off: throw-away data.
# PG_BIN=/usr/lib/postgresql/15/bin chooses the binaries, else the newest under /usr/lib/postgresql. As root the
# clusters run as the user postgres (PostgreSQL refuses root). The database is REPLICA_DB (carenet).
set -euo pipefail
DIR=${REPLICA_DIR:-/tmp/carenet-replica}
PRIMARY_PORT=${REPLICA_PRIMARY_PORT:-5461}
STANDBY_PORT=${REPLICA_STANDBY_PORT:-5462}
DB=${REPLICA_DB:-carenet}
PRIMARY=$DIR/primary STANDBY=$DIR/standby

if [ -z "${PG_BIN:-}" ]; then
  PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
fi
for tool in initdb pg_ctl pg_basebackup psql pg_isready; do
  [ -x "$PG_BIN/$tool" ] || { echo "no $tool in '${PG_BIN}': install postgresql-NN or set PG_BIN" >&2; exit 1; }
done
if [ "$(id -u)" = 0 ]; then
  as_pg() { runuser -u postgres -- "$@"; }
else
  as_pg() { "$@"; }
fi
sql() {  # sql PORT DATABASE STATEMENT: one value, no decoration
  as_pg "$PG_BIN/psql" -X -q -At -v ON_ERROR_STOP=1 -h "$DIR" -p "$1" -U postgres -d "$2" -c "$3"
}
running() { [ -f "$1/postmaster.pid" ] && as_pg "$PG_BIN/pg_ctl" -D "$1" status >/dev/null 2>&1; }
urls() {
  echo "export DATABASE_URL=postgres://postgres@127.0.0.1:$PRIMARY_PORT/$DB"
  echo "export DATABASE_REPLICA_URL=postgres://postgres@127.0.0.1:$STANDBY_PORT/$DB"
}

stop() {
  local dir
  for dir in "$STANDBY" "$PRIMARY"; do
    running "$dir" && as_pg "$PG_BIN/pg_ctl" -D "$dir" -m fast -w stop >/dev/null
  done
  # Only a folder this script made (it holds a primary/ or standby/ cluster, or nothing yet).
  if [ -d "$DIR" ] && [ -z "$(ls -A "$DIR" | grep -Ev '^(primary|standby)(\.log)?$' || true)" ]; then
    rm -rf "$DIR"
  fi
  echo "primary and replica stopped, $DIR removed" >&2
}

start() {
  if running "$PRIMARY" && running "$STANDBY"; then
    echo "already running in $DIR" >&2
    urls
    return
  fi
  [ -e "$DIR" ] && { echo "$DIR exists but its clusters are not both running: scripts/replica.sh stop" >&2; exit 1; }
  for port in "$PRIMARY_PORT" "$STANDBY_PORT"; do
    if "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$port" 2>/dev/null; then
      echo "port $port is taken: REPLICA_PRIMARY_PORT / REPLICA_STANDBY_PORT choose others" >&2
      exit 1
    fi
  done
  mkdir -p "$DIR" && chmod 700 "$DIR"
  [ "$(id -u)" = 0 ] && chown postgres: "$DIR"
  as_pg "$PG_BIN/initdb" -D "$PRIMARY" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >/dev/null
  as_pg tee -a "$PRIMARY/postgresql.conf" >/dev/null <<EOF

# scripts/replica.sh: a throw-away primary, streaming to one replica
listen_addresses = '127.0.0.1'
unix_socket_directories = '$DIR'
port = $PRIMARY_PORT
shared_buffers = 64MB
max_connections = 60
fsync = off
wal_level = replica
max_wal_senders = 4
wal_keep_size = 256MB
jit = off
EOF
  as_pg "$PG_BIN/pg_ctl" -D "$PRIMARY" -l "$PRIMARY.log" -w -t 60 start >/dev/null \
    || { tail -n 15 "$PRIMARY.log" >&2; exit 1; }
  sql "$PRIMARY_PORT" postgres "CREATE DATABASE $DB" >/dev/null
  # The replica: a base backup of the primary with its WAL streamed (-X stream) and the standby settings
  # written (-R: standby.signal, primary_conninfo), then its own port.
  as_pg "$PG_BIN/pg_basebackup" -h "$DIR" -p "$PRIMARY_PORT" -U postgres -D "$STANDBY" -R -X stream \
    --checkpoint=fast >/dev/null
  as_pg tee -a "$STANDBY/postgresql.conf" >/dev/null <<EOF

# scripts/replica.sh: the streaming replica (read-only, hot standby)
port = $STANDBY_PORT
hot_standby = on
hot_standby_feedback = on
EOF
  as_pg "$PG_BIN/pg_ctl" -D "$STANDBY" -l "$STANDBY.log" -w -t 60 start >/dev/null \
    || { tail -n 15 "$STANDBY.log" >&2; exit 1; }
  for _ in $(seq 1 100); do
    [ "$(sql "$PRIMARY_PORT" postgres "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'")" = 1 ] && break
    sleep 0.1
  done
  echo "primary on 127.0.0.1:$PRIMARY_PORT, replica on 127.0.0.1:$STANDBY_PORT ($("$PG_BIN/postgres" --version); $DIR)" >&2
  urls
}

status() {
  local state=0
  if running "$PRIMARY"; then
    echo "primary  127.0.0.1:$PRIMARY_PORT  running  $(sql "$PRIMARY_PORT" postgres "SELECT 'streaming to ' ||
      count(*) FILTER (WHERE state = 'streaming') || ' replica(s), replay lag ' || coalesce(max(replay_lag)::text, '0')
      FROM pg_stat_replication")"
  else
    echo "primary  127.0.0.1:$PRIMARY_PORT  stopped"; state=3
  fi
  if running "$STANDBY"; then
    echo "replica  127.0.0.1:$STANDBY_PORT  running  $(sql "$STANDBY_PORT" postgres "SELECT CASE WHEN pg_is_in_recovery()
      THEN 'in recovery (read-only), WAL received ' || pg_last_wal_receive_lsn() || ', replayed ' || pg_last_wal_replay_lsn()
      ELSE 'NOT in recovery (promoted?)' END")"
  else
    echo "replica  127.0.0.1:$STANDBY_PORT  stopped"; state=3
  fi
  [ "$state" = 0 ] && urls
  return "$state"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
