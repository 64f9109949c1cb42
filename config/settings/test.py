import os

from .base import *

DEBUG = False
SECRET_KEY = "test-secret-key-not-for-production"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed; argon2 is tested on its own
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CARENET_HSDS_PULL_ALLOW_PRIVATE = True  # the feed tests serve from 127.0.0.1 (test_feeds refuses it without)
CARENET_MESSAGING_BACKEND = "locmem"  # SMS and calls kept in carenet.core.messaging.outbox
CARENET_MESSAGING_AUTH_TOKEN = "test-messaging-token"
CARENET_MESSAGING_FROM = "+40700000999"
CARENET_MESSAGING_PUBLIC_URL = "https://carenet.test"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
MEDIA_ROOT = Path(os.environ.get("TEST_MEDIA_ROOT", "/tmp/carenet-test-media"))
AXES_ENABLED = True
ALLOWED_HOSTS = ["*"]
CARENET_ALLOW_AUDIT_PURGE = True  # the test runner flushes between transactional tests
DATABASES["default"]["CONN_MAX_AGE"] = 0  # live-server threads must not keep test databases open
# Tests count in memory (each test starts empty); the database cache of base.py is tested on its own.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
CARENET_AUDIT_KEY = "test-audit-checkpoint-key"

CARENET_FAILPOINTS_ENABLED = True  # the crash tests (core.jobs.failpoint)

if "replica" in DATABASES:
    # A real replica (scripts/replica_check.sh): the test runner creates nothing there (it is read-only); the
    # test database it streams from the primary is reached by carenet/core/tests/test_db_router.py, which points
    # the alias at it. Meanwhile it mirrors `default`: the rest of the suite reads what its transactions wrote.
    DATABASES["replica"]["CONN_MAX_AGE"] = 0
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
