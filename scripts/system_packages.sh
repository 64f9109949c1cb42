#!/usr/bin/env bash
# The Debian packages CareNet needs, installed the way `make install` installs the Python packages.
#
#   scripts/system_packages.sh run|test|deploy [extra-package …]
#
# Checks each package with dpkg (well under a second when everything is there). When some are missing:
# as root it apt-installs them; otherwise it prints the exact `sudo apt-get install …` line and stops.
# `make run` asks for the `run` set, `make test` for the `test` set; `.ci/run` adds what CI itself uses.
set -euo pipefail

# make run: a Python 3.11 venv; WeasyPrint's Pango and HarfBuzz (PDF reports) with a font; the zone
# database (Europe/Bucharest, Europe/Chisinau); gettext for `make messages`; GnuPG and PostgreSQL's
# pg_dump/pg_restore for `manage.py backup` and `manage.py restore`.
RUN=(python3-venv tzdata gettext fonts-dejavu-core libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 gnupg postgresql-client)
# make test, on top: Debian's Chromium, which Playwright drives in the browser tests (tests/browser,
# marker `browser`). PDF text is read with pypdf and pages with Playwright: no other binary is needed.
TEST=(chromium)
# A server, on top of `run`: nginx in front of gunicorn (deploy/nginx/carenet.conf) and openssl for its
# certificate; scripts/deploy_check.sh brings the whole deployment up with them in CI.
DEPLOY=(nginx openssl)

profile="${1:-test}"
shift || true
case "$profile" in
  run) wanted=("${RUN[@]}") ;;
  test) wanted=("${RUN[@]}" "${TEST[@]}") ;;
  deploy) wanted=("${RUN[@]}" "${DEPLOY[@]}") ;;
  *) echo "usage: $0 run|test|deploy [extra-package …]" >&2; exit 2 ;;
esac
wanted+=("$@")

if ! command -v dpkg-query >/dev/null 2>&1; then
  if [ "${CARENET_SYSTEM_PACKAGES:-}" = "skip" ]; then
    exit 0
  fi
  echo "CareNet expects Debian 12 (bookworm); this system has no dpkg." >&2
  echo "Install the equivalents of these Debian packages: ${wanted[*]}" >&2
  echo "(Chromium at /usr/bin/chromium or CHROMIUM_PATH), then run again with CARENET_SYSTEM_PACKAGES=skip." >&2
  exit 1
fi

missing=()
for pkg in "${wanted[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)
  [ "$status" = "installed" ] || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "CareNet needs these Debian packages, which are not installed: ${missing[*]}" >&2
  echo "Run:" >&2
  echo "" >&2
  echo "    sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
  echo "" >&2
  echo "and then the same make command again." >&2
  exit 1
fi

echo "Installing Debian packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
