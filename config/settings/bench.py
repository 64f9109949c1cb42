"""Benchmarks and load tests: production-like (DEBUG off, templates cached) on loopback, no throttling.

Used by bench/api_throughput.py and bench/load/ to run gunicorn against var/bench.sqlite3 or
BENCH_DATABASE_URL. Never for a real deployment (development secret key, HTTP).
"""

from .base import *

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
ROOT_URLCONF = "config.bench_urls"
REST_FRAMEWORK = {
    **REST_FRAMEWORK,
    "DEFAULT_THROTTLE_RATES": {"anon": "10000000/min", "user": "10000000/min", "public_form": "10/min"},
}
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "ERROR"}}
AXES_ENABLED = False
# No collectstatic step before a benchmark: plain storage (production serves hashed files via WhiteNoise).
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
