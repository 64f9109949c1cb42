#!/usr/bin/env bash
# The deployment of docs/admin-guide.md, brought up on this machine and tried through the proxy, then taken
# down: production settings, a fresh PostgreSQL database, gunicorn with deploy/gunicorn.conf.py, nginx with
# deploy/nginx/carenet.conf and a self-signed certificate. Then, with curl over HTTPS through nginx: /healthz,
# /readyz (its database check), the front page, a static file and its cache header, the sign-in with the
# second factor production requires, the role home, the sign-out. Everything lives in a temporary folder and
# one throw-away database; the trap removes both and stops what it started, whatever happens.
#
#   scripts/deploy_check.sh        (as root it apt-installs nginx and openssl if missing; .ci/run runs it)
#
# Needs PostgreSQL on 127.0.0.1:5432 (user postgres, trust) and the venv (`make install`).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PY="$ROOT/.venv/bin/python"
HOST=carenet.test
PGURL="postgres://postgres@127.0.0.1:5432"
DB="carenet_deploy_$$"
START=$SECONDS

say() { printf '  %-58s %s\n' "$1" "$2"; }
fail() { say "$1" "FAIL${2:+ ($2)}"; exit 1; }

scripts/system_packages.sh deploy
command -v psql >/dev/null 2>&1 || scripts/system_packages.sh run postgresql-client
[ -x "$PY" ] || { echo "no venv at $PY: run make install" >&2; exit 1; }
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

TMP=$(mktemp -d /tmp/carenet-deploy.XXXXXX)
chmod 755 "$TMP"  # nginx's workers (www-data) read the static files and the certificate's folder
GUNICORN_PID="" NGINX_PID=""
cleanup() {
  local rc=$?
  for pid in $NGINX_PID $GUNICORN_PID; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in $NGINX_PID $GUNICORN_PID; do
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  done
  if [ "$rc" -ne 0 ]; then
    for log in gunicorn.log nginx-error.log nginx-access.log; do
      [ -s "$TMP/$log" ] && { echo "---- last lines of $log"; tail -n 40 "$TMP/$log"; }
    done
  fi
  psql "$PGURL/postgres" -q -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$TMP"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() { "$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
secret() { "$PY" -c 'import secrets; print(secrets.token_urlsafe(50))'; }
WEB_PORT=$(free_port)
HTTPS_PORT=$(free_port)
HTTP_PORT=$(free_port)

echo "deployment in $TMP, database $DB, https://$HOST:$HTTPS_PORT/"
pg_isready -h 127.0.0.1 -p 5432 -q || fail "PostgreSQL on 127.0.0.1:5432" "not answering"
psql "$PGURL/postgres" -q -c "CREATE DATABASE $DB"

# The production environment, in the format of deploy/env.example (systemd's EnvironmentFile= reads it too).
mkdir -p "$TMP/media" "$TMP/static" "$TMP/backups"
cat >"$TMP/env" <<EOF
DJANGO_SETTINGS_MODULE=config.settings.production
SECRET_KEY=$(secret)
ALLOWED_HOSTS=$HOST
DATABASE_URL=$PGURL/$DB
CARENET_AUDIT_KEY=$(secret)
CARENET_TRUSTED_PROXIES=127.0.0.1/32
EMAIL_HOST=mail.$HOST
DEFAULT_FROM_EMAIL="CareNet <noreply@$HOST>"
EMAIL_BACKEND=django.core.mail.backends.locmem.EmailBackend
MEDIA_ROOT=$TMP/media
STATIC_ROOT=$TMP/static
CARENET_BACKUP_DIR=$TMP/backups
CARENET_BACKUP_PUBLIC_KEY=$TMP/backup.pub.asc
CARENET_WEB_WORKERS=2
LOG_FORMAT=json
EOF
set -a
# shellcheck disable=SC1091
. "$TMP/env"
set +a

# manage.py's output (production logs JSON lines) goes to $TMP/manage.log, shown when a step fails.
manage() {
  local what=$1 t0=$SECONDS
  shift
  echo "== manage.py $*" >>"$TMP/manage.log"
  "$PY" manage.py "$@" >>"$TMP/manage.log" 2>&1 || { tail -n 40 "$TMP/manage.log"; fail "$what"; }
  say "$what" "ok ($((SECONDS - t0))s)"
}
manage "check --deploy --fail-level WARNING" check --deploy --fail-level WARNING
manage "migrate (a fresh PostgreSQL database)" migrate --noinput
manage "collectstatic into STATIC_ROOT" collectstatic --noinput
manage "compile_translations" compile_translations

# One municipality and one coordinator with a TOTP device (production asks personal-data roles for the second
# factor): the seed is known here, so the script computes the code as the phone would.
PASSWORD=$(secret)
OTP_KEY=$("$PY" -c 'import secrets; print(secrets.token_hex(20))')
export CARENET_CHECK_PASSWORD=$PASSWORD CARENET_CHECK_OTP_KEY=$OTP_KEY
manage "one municipality, one coordinator with a TOTP device" shell -v0 -c '
import os
from django_otp.plugins.otp_totp.models import TOTPDevice
from carenet.accounts.models import Membership, User
from carenet.core.models import Municipality, Organisation
from carenet.core.roles import Role

town = Municipality.objects.create(
    slug="deploy-check", name="Deploy Check Town", country="RO", official_languages=["ro"], currency="RON",
    time_zone="Europe/Bucharest", statistical_code="000000", population=1000,
)
office = Organisation.objects.create(
    municipality=town, name="Deploy Check Social Directorate", code="dgas", kind="public", sector="local_authority"
)
user = User.objects.create_user(
    username="deploy.check", password=os.environ["CARENET_CHECK_PASSWORD"], first_name="Ilinca",
    last_name="Verificare", email="deploy.check@carenet.test", municipality=town,
)
Membership.objects.create(municipality=town, user=user, organisation=office, role=Role.COORDINATOR)
TOTPDevice.objects.create(user=user, name="phone", key=os.environ["CARENET_CHECK_OTP_KEY"], confirmed=True)
'
unset CARENET_CHECK_PASSWORD CARENET_CHECK_OTP_KEY

openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=$HOST" -addext "subjectAltName=DNS:$HOST" \
  -keyout "$TMP/tls.key" -out "$TMP/tls.crt" >/dev/null 2>&1 || fail "self-signed certificate"
say "self-signed certificate for $HOST" "ok"

# gunicorn with the web service's settings file (deploy/systemd/carenet-web.service), in the background.
"$ROOT/.venv/bin/gunicorn" -c deploy/gunicorn.conf.py -b "127.0.0.1:$WEB_PORT" --chdir "$ROOT" config.wsgi \
  >"$TMP/gunicorn.log" 2>&1 &
GUNICORN_PID=$!

# nginx: the site file of deploy/nginx/ with its placeholders filled, inside a main configuration of its own
# (pid, logs, temporary files in $TMP), not daemonised.
sed -e "s|@UPSTREAM@|127.0.0.1:$WEB_PORT|" -e "s|@SERVER_NAME@|$HOST|" \
  -e "s|@HTTP_LISTEN@|127.0.0.1:$HTTP_PORT|" -e "s|@HTTPS_LISTEN@|127.0.0.1:$HTTPS_PORT|" \
  -e "s|@SSL_CERTIFICATE@|$TMP/tls.crt|" -e "s|@SSL_CERTIFICATE_KEY@|$TMP/tls.key|" -e "s|@STATIC_ROOT@|$TMP/static|" \
  deploy/nginx/carenet.conf >"$TMP/site.conf"
if grep -q '@[A-Z_]*@' "$TMP/site.conf"; then fail "nginx site from deploy/nginx/carenet.conf" "placeholder left"; fi
NGINX_USER=""
[ "$(id -u)" -eq 0 ] && NGINX_USER="user www-data;"
cat >"$TMP/nginx.conf" <<EOF
$NGINX_USER
worker_processes 1;
pid $TMP/nginx.pid;
error_log $TMP/nginx-error.log warn;
events { worker_connections 256; }
http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    access_log $TMP/nginx-access.log;
    client_body_temp_path $TMP/nginx-body;
    proxy_temp_path $TMP/nginx-proxy;
    fastcgi_temp_path $TMP/nginx-fastcgi;
    uwsgi_temp_path $TMP/nginx-uwsgi;
    scgi_temp_path $TMP/nginx-scgi;
    include $TMP/site.conf;
}
EOF
"$NGINX" -t -q -p "$TMP" -c "$TMP/nginx.conf" -e "$TMP/nginx-error.log" || fail "nginx -t"
"$NGINX" -p "$TMP" -c "$TMP/nginx.conf" -e "$TMP/nginx-error.log" -g 'daemon off;' &
NGINX_PID=$!

BASE="https://$HOST:$HTTPS_PORT"
JAR="$TMP/cookies"
CURL=(curl -sS -k --max-time 20 --resolve "$HOST:$HTTPS_PORT:127.0.0.1" -b "$JAR" -c "$JAR")
# status of a request, its body in $TMP/body and headers in $TMP/headers
fetch() { "${CURL[@]}" -o "$TMP/body" -D "$TMP/headers" -w '%{http_code}' "$@"; }
header() { grep -i "^$1:" "$TMP/headers" | cut -d' ' -f2- | tr -d '\r' | paste -sd'|' - | sed 's/|/, /g'; }

for _ in $(seq 1 150); do  # gunicorn imports Django in each worker: up to 30 s
  [ "$("${CURL[@]}" -o /dev/null -w '%{http_code}' "$BASE/healthz" 2>/dev/null || true)" = 200 ] && break
  kill -0 "$GUNICORN_PID" 2>/dev/null || fail "gunicorn" "exited"
  kill -0 "$NGINX_PID" 2>/dev/null || fail "nginx" "exited"
  sleep 0.2
done
say "gunicorn on 127.0.0.1:$WEB_PORT, nginx on 127.0.0.1:$HTTPS_PORT" "up (at $((SECONDS - START))s)"

echo "through nginx, https://$HOST:$HTTPS_PORT:"
code=$(fetch "$BASE/healthz")
[ "$code" = 200 ] || fail "GET /healthz" "$code"
say "GET /healthz" "200"

code=$(fetch "$BASE/readyz")
"$PY" - "$TMP/body" "$code" <<'EOF' || fail "GET /readyz: the database check"
import json, sys
body = json.load(open(sys.argv[1]))
checks = body["checks"]
print(f"  GET /readyz {sys.argv[2]} {body['status']}: " + ", ".join(f"{n} {c['status']}" for n, c in checks.items()))
sys.exit(0 if checks["database"]["ok"] else 1)
EOF
say "/readyz: the database answers (the rest needs a worker and a backup)" "ok"

code=$(fetch "$BASE/")
[ "$code" = 200 ] || fail "GET / (the front page)" "$code"
grep -q "Deploy Check Town" "$TMP/body" || fail "GET / names the municipality"
[ -n "$(header strict-transport-security)" ] || fail "GET / carries HSTS from Django"
say "GET / 200, names the municipality, Django's HSTS header" "ok"

code=$("${CURL[@]}" -o /dev/null -w '%{http_code} %{redirect_url}' "http://$HOST:$HTTP_PORT/" \
  --resolve "$HOST:$HTTP_PORT:127.0.0.1")
[ "${code%% *}" = 301 ] || fail "GET http:// redirects to https://" "$code"
say "GET http:// (port $HTTP_PORT) → https://" "301"

static=$(grep -o '/static/[^"]*\.css' "$TMP/body" | head -n1)
[ -n "$static" ] || fail "a stylesheet linked from the front page"
code=$(fetch "$BASE$static")
[ "$code" = 200 ] || fail "GET $static" "$code"
cache=$(header cache-control)
[[ "$cache" == *max-age=* ]] || fail "GET $static has a cache header" "${cache:-none}"
say "GET $static (nginx)" "200, Cache-Control: $cache"

csrf() { sed -n 's/.*name="csrfmiddlewaretoken" value="\([^"]*\)".*/\1/p' "$TMP/body" | head -n1; }
code=$(fetch "$BASE/account/login/")
[ "$code" = 200 ] || fail "GET /account/login/" "$code"
token=$(csrf)
[ -n "$token" ] && grep -q csrftoken "$JAR" || fail "GET /account/login/ sets the CSRF cookie and token"
say "GET /account/login/ (CSRF cookie and token)" "200"

code=$(fetch -X POST -e "$BASE/account/login/" --data-urlencode "csrfmiddlewaretoken=$token" \
  --data-urlencode "username=deploy.check" --data-urlencode "password=$PASSWORD" "$BASE/account/login/")
location=$(header location)
[ "$code" = 302 ] || fail "POST /account/login/" "$code"
say "POST /account/login/ (password)" "302 $location"

code=$(fetch "$BASE$location")
if [ "$code" = 302 ]; then  # the second factor: the dashboard sends to /account/2fa/verify/
  location=$(header location)
  [[ "$location" == /account/2fa/verify/* ]] || fail "the second factor is asked" "$location"
  code=$(fetch "$BASE$location")
  [ "$code" = 200 ] || fail "GET $location" "$code"
  token=$(csrf)
  otp=$("$PY" -c 'import sys; from django_otp.oath import totp; print(f"{totp(bytes.fromhex(sys.argv[1])):06d}")' "$OTP_KEY")
  code=$(fetch -X POST -e "$BASE$location" --data-urlencode "csrfmiddlewaretoken=$token" \
    --data-urlencode "token=$otp" "$BASE$location")
  [ "$code" = 302 ] || fail "POST $location (the TOTP code)" "$code"
  location=$(header location)
  say "POST /account/2fa/verify/ (TOTP code)" "302 $location"
  code=$(fetch "$BASE$location")
fi
[ "$code" = 200 ] || fail "GET $location (the role home)" "$code"
grep -q "Ilinca Verificare" "$TMP/body" || fail "the role home names the user"
say "GET $location, signed in as Ilinca Verificare" "200"

token=$(csrf)
code=$(fetch -X POST -e "$BASE$location" --data-urlencode "csrfmiddlewaretoken=$token" "$BASE/account/logout/")
[ "$code" = 302 ] || fail "POST /account/logout/" "$code"
say "POST /account/logout/" "302 $(header location)"
code=$(fetch "$BASE/dashboard/")
[ "$code" = 302 ] && [[ "$(header location)" == /account/login/* ]] || fail "signed out: /dashboard/ asks to sign in" "$code"
say "GET /dashboard/ after sign-out" "302 to the sign-in"

grep -q '"request_id"' "$TMP/gunicorn.log" || grep -q 'id=[0-9a-f]\{32\}' "$TMP/gunicorn.log" \
  || fail "gunicorn's log carries nginx's request id"
say "nginx's X-Request-ID in gunicorn's log" "ok"

echo "deployment check passed in $((SECONDS - START))s; stopping nginx and gunicorn, dropping $DB"
