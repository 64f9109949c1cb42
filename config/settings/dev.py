import os

from .base import *

DEBUG = True
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
CARENET_MESSAGING_BACKEND = os.environ.get("CARENET_MESSAGING_BACKEND", "console")  # SMS and calls logged
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
CARENET_AUDIT_KEY = os.environ.get("CARENET_AUDIT_KEY", "dev-only-audit-checkpoint-key")
