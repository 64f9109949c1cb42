"""Benchmarks and load tests: production-like (DEBUG off, templates cached) on loopback, no throttling.

Used by bench/api_throughput.py and bench/load/ to run gunicorn against var/bench.sqlite3 or
BENCH_DATABASE_URL. Never for a real deployment (development secret key, HTTP).
"""

import os

from .base import *

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
ROOT_URLCONF = "config.bench_urls"
# No anonymous throttle (None: DRF skips it). A huge rate is not the same: the throttle keeps every request
# time of the last minute in one cache entry per address, read and written back on every request — at
# 32 clients from 127.0.0.1, tens of thousands of floats per request, a cost no real client causes.
REST_FRAMEWORK = {
    **REST_FRAMEWORK,
    "DEFAULT_THROTTLE_RATES": {"anon": None, "user": "10000000/min", "public_form": "10/min"},
}
# One database connection per worker thread, kept between requests: as production on PostgreSQL
# (DB_CONN_MAX_AGE) and as the Flask baseline. base.py closes SQLite connections after each request.
DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("DB_CONN_MAX_AGE", "60"))
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "ERROR"}}
AXES_ENABLED = False
# No collectstatic step before a benchmark: plain storage (production serves hashed files via WhiteNoise).
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
