# CareNet — two commands: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STAMP := $(VENV)/.installed
export DJANGO_SETTINGS_MODULE ?= config.settings.dev

.PHONY: run test install system-packages test-packages migrate demo serve worker bench bench-citus bench-citus-move bench-national load replica \
	lint check translations \
	messages clean

## system-packages / test-packages: the Debian packages `make run` / `make test` need (apt-get as root;
## otherwise the exact `sudo apt-get install …` line). Fast when everything is there.
system-packages:
	@scripts/system_packages.sh run

test-packages:
	@scripts/system_packages.sh test

$(STAMP): requirements.txt requirements-dev.txt | system-packages
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is needed ($(PYTHON))"; exit 1; }
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements-dev.txt
	touch $(STAMP)

install: $(STAMP)

translations: install
	$(PY) manage.py compile_translations

migrate: install translations
	mkdir -p var
	$(PY) manage.py migrate --noinput
	$(PY) manage.py createcachetable

demo: migrate
	$(PY) manage.py load_demo

## run: Debian packages, venv, install, migrate, load the demo, serve on 127.0.0.1:8000 (with the worker)
run: system-packages demo
	$(PY) manage.py demo_logins
	@echo "\nCareNet: http://127.0.0.1:8000  (Ctrl+C stops the server and the worker)\n"
	@trap 'kill 0' INT TERM EXIT; \
	  $(PY) manage.py db_worker --interval 1 >var/worker.log 2>&1 & \
	  $(PY) manage.py run_scheduled --loop 900 >var/scheduler.log 2>&1 & \
	  $(PY) manage.py runserver 127.0.0.1:8000

## test: Debian packages (Chromium among them), venv, the whole suite on SQLite; set
## DATABASE_URL=postgres://… to run it on PostgreSQL. Browser tests fail rather than skip
## (CARENET_REQUIRE_BROWSER=1): test-packages has just made sure Chromium is there. PYTEST_ARGS adds
## pytest options (CI's PostgreSQL leg: PYTEST_ARGS="-m 'not browser'").
test: test-packages translations
	CARENET_REQUIRE_BROWSER=1 DJANGO_SETTINGS_MODULE=config.settings.test $(VENV)/bin/pytest -n auto --dist loadfile $(PYTEST_ARGS)

## lint: every static check CI runs (ruff, import-linter, mypy, djlint, migrations), then `check`
lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	DJANGO_SETTINGS_MODULE=config.settings.test $(VENV)/bin/mypy carenet config
	$(VENV)/bin/djlint carenet --lint
	DATABASE_URL=sqlite:///:memory: DJANGO_SETTINGS_MODULE=config.settings.test \
	  $(PY) manage.py makemigrations --check --dry-run
	@$(MAKE) --no-print-directory check

## check: the production settings pass `check --deploy`, and production `collectstatic` (WhiteNoise's
## compressed manifest) succeeds, into var/static, with a throw-away secret key
check: install
	SECRET_KEY="$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))')" ALLOWED_HOSTS=carenet.example \
	  CARENET_AUDIT_KEY="$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))')" \
	  EMAIL_HOST=mail.carenet.example DEFAULT_FROM_EMAIL=carenet@carenet.example CARENET_TRUSTED_PROXIES=127.0.0.1/32 \
	  CARENET_BACKUP_PUBLIC_KEY=/etc/carenet/backup.pub.asc \
	  DJANGO_SETTINGS_MODULE=config.settings.production $(PY) manage.py check --deploy --fail-level WARNING
	SECRET_KEY="$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))')" ALLOWED_HOSTS=carenet.example \
	  DJANGO_SETTINGS_MODULE=config.settings.production $(PY) manage.py collectstatic --noinput --clear -v 1

## bench: benchmarks at city scale (see bench/README.md)
bench: translations
	mkdir -p var
	DATABASE_URL=$${BENCH_DATABASE_URL:-sqlite:///var/bench.sqlite3} $(PY) manage.py migrate --noinput -v0
	DATABASE_URL=$${BENCH_DATABASE_URL:-sqlite:///var/bench.sqlite3} $(PY) manage.py load_demo -v0
	DATABASE_URL=$${BENCH_DATABASE_URL:-sqlite:///var/bench.sqlite3} $(PY) -m bench

## bench-citus: the city on a three-node Citus cluster beside single-node PostgreSQL, same run (bench/citus.py);
## bench-citus-move: a tenant moved between workers under a 1-minute locust load (bench/citus_move.py).
## The cluster: ../shared/vendor/citus/citus-cluster.sh start (coordinator 5440); PostgreSQL on 5432.
bench-citus: translations
	$(PY) -m bench.citus

bench-citus-move: translations
	$(PY) -m bench.citus_move

## bench-national: the national-registry preset (2,000,000 persons, 20,000,000 deliveries) on PostgreSQL and, when
## loaded, on Citus, same run (bench/national.py). Load first, about an hour each:
## `$(PY) -m bench.national setup postgres://postgres@127.0.0.1:5432/carenet_national` (5440 for Citus).
bench-national: translations
	$(PY) -m bench.national

## replica: a PostgreSQL primary and its streaming replica, throw-away, on 127.0.0.1:5461/5462; prints DATABASE_URL and
## DATABASE_REPLICA_URL (eval "$$(make -s replica)"). `scripts/replica.sh status|stop` (carenet/core/db_router.py)
replica:
	@scripts/replica.sh start

## load: 5-minute locust load test under gunicorn (BENCH_DATABASE_URL=postgres://…; BENCH_LOAD_SECONDS to shorten)
load: translations
	mkdir -p var
	DATABASE_URL=$${BENCH_DATABASE_URL:-sqlite:///var/bench.sqlite3} $(PY) manage.py migrate --noinput -v0
	DATABASE_URL=$${BENCH_DATABASE_URL:-sqlite:///var/bench.sqlite3} $(PY) -m bench.load.run

## messages: refresh the .po files of every app (needs GNU gettext)
messages: install
	$(PY) manage.py update_messages

clean:
	rm -rf var/carenet.sqlite3* var/static
