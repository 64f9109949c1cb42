# CareNet — two commands: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STAMP := $(VENV)/.installed
export DJANGO_SETTINGS_MODULE ?= config.settings.dev

.PHONY: run test install migrate demo serve worker bench load lint translations messages clean

$(STAMP): requirements.txt requirements-dev.txt
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

demo: migrate
	$(PY) manage.py load_demo

## run: venv, install, migrate, load the demo, serve on 127.0.0.1:8000 (with the background worker)
run: demo
	$(PY) manage.py demo_logins
	@echo "\nCareNet: http://127.0.0.1:8000  (Ctrl+C stops the server and the worker)\n"
	@trap 'kill 0' INT TERM EXIT; \
	  $(PY) manage.py db_worker --interval 1 >var/worker.log 2>&1 & \
	  $(PY) manage.py run_scheduled --loop 900 >var/scheduler.log 2>&1 & \
	  $(PY) manage.py runserver 127.0.0.1:8000

## test: the whole suite on SQLite (set DATABASE_URL=postgres://… to run it on PostgreSQL)
test: translations
	DJANGO_SETTINGS_MODULE=config.settings.test $(VENV)/bin/pytest -n auto --dist loadfile

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy carenet config
	$(VENV)/bin/djlint carenet --lint
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) manage.py makemigrations --check --dry-run

## bench: benchmarks at city scale (see bench/README.md)
bench: translations
	mkdir -p var
	DATABASE_URL=$${BENCH_DATABASE_URL:-sqlite:///var/bench.sqlite3} $(PY) manage.py migrate --noinput -v0
	DATABASE_URL=$${BENCH_DATABASE_URL:-sqlite:///var/bench.sqlite3} $(PY) manage.py load_demo -v0
	DATABASE_URL=$${BENCH_DATABASE_URL:-sqlite:///var/bench.sqlite3} $(PY) -m bench

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
