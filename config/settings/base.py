"""Settings shared by every environment. Values that differ per machine come from the environment."""

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

DEV_SECRET_KEY = "dev-only-insecure-key-change-me"  # production.py refuses to start with this
SECRET_KEY = os.environ.get("SECRET_KEY", DEV_SECRET_KEY)
DEBUG = False
ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.admin",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "django_htmx",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    "django_tasks",
    "django_tasks_db",
    # CareNet, from the lowest layer up (see ARCHITECTURE.md)
    "carenet.core",
    "carenet.accounts",
    "carenet.audit",
    "carenet.ops",
    "carenet.geo",
    "carenet.directory",
    "carenet.people",
    "carenet.cases",
    "carenet.activities",
    "carenet.referrals",
    "carenet.campaigns",
    "carenet.canteen",
    "carenet.volunteering",
    "carenet.care",
    "carenet.training",
    "carenet.housing",
    "carenet.plans",
    "carenet.reports",
    "carenet.dashboards",
    "carenet.portal",
    "carenet.api",
    "carenet.privacy",
    "carenet.onboarding",
]

MIDDLEWARE = [
    "carenet.ops.metrics.MetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Anonymous HSDS readers answered from the exact stored response, before the rest (carenet/api/hsds_edge.py).
    "carenet.api.hsds_edge.HsdsEdgeCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "carenet.accounts.sessions.SessionIdleMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    "carenet.core.middleware.RequestContextMiddleware",
    "carenet.core.middleware.TenantMiddleware",
    "carenet.accounts.middleware.RequireSecondFactorMiddleware",
    # axes must be last: it turns lockouts into a response
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "carenet.core.context_processors.shell",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'carenet.sqlite3'}"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers and the single writer work at once; IMMEDIATE avoids lock upgrades failing.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # Django's backend with the tenant schema rules (carenet/core/db/backends, decision 0011). Tests run in
    # memory, as on Django's own backend (said explicitly: pytest-django only recognises that one by name).
    DATABASES["default"]["ENGINE"] = "carenet.core.db.backends.sqlite3"
    DATABASES["default"].setdefault("TEST", {}).setdefault("NAME", ":memory:")

if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # JIT compilation costs more than it saves on CareNet's short, indexed queries (measured: a surname
    # search at 200,000 persons took 344 ms with JIT, 185 ms without; see docs/performance.md).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
    # Django's backend with the tenant schema rules, whose test databases also work on a Citus cluster
    # (carenet/core/db/backends, decision 0011).
    DATABASES["default"]["ENGINE"] = "carenet.core.db.backends.postgresql"

# A streaming replica of the primary (issue 23; carenet/core/db_router.py, docs/performance.md "Read replicas"):
# reads go there except inside a transaction, after a write in the same request and for
# CARENET_READ_YOUR_WRITES_SECONDS after a browser's POST; migrations run on the primary only. Unset: no router,
# every query on `default`. `make replica` starts a primary and a replica on this machine and prints both URLs.
CARENET_READ_YOUR_WRITES_SECONDS = int(os.environ.get("CARENET_READ_YOUR_WRITES_SECONDS", "5"))
if os.environ.get("DATABASE_REPLICA_URL"):
    _replica = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"], conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60"))
    )
    if DATABASES["default"]["ENGINE"] != "carenet.core.db.backends.postgresql" or not _replica["ENGINE"].endswith(
        "postgresql"
    ):
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured("DATABASE_REPLICA_URL needs DATABASE_URL and itself on PostgreSQL")
    _replica.setdefault("OPTIONS", {})["options"] = "-c jit=off"
    _replica["ENGINE"] = "carenet.core.db.backends.postgresql"
    DATABASES["replica"] = _replica
    DATABASE_ROUTERS = ["carenet.core.db_router.PrimaryReplicaRouter"]
    MIDDLEWARE.insert(0, "carenet.core.db_router.ReadYourWritesMiddleware")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # ModelBackend that loads the user with the staff navigation's figures (unread notifications) in one query.
    "carenet.accounts.backends.UserBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# Passphrases welcome (no composition rules; 10 to 128 characters, spaces count); a password found in the
# shipped list of breached passwords is refused, offline (carenet/accounts/data/README.md says what it is).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "carenet.accounts.validators.MaximumLengthValidator", "OPTIONS": {"max_length": 128}},
    {
        "NAME": "django.contrib.auth.password_validation.CommonPasswordValidator",
        "OPTIONS": {"password_list_path": BASE_DIR / "carenet" / "accounts" / "data" / "breached-passwords.txt.gz"},
    },
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:dashboard"
LOGOUT_REDIRECT_URL = "core:home"

# django-axes: lock an account after repeated failures, whatever the address (a new address gets no fresh
# tries), for a delay that grows with each lockout; the user unlocks by e-mail (carenet/accounts/lockout.py).
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = "carenet.accounts.lockout.cool_off"
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_CLIENT_IP_CALLABLE = "carenet.core.middleware.client_ip"
# axes.W006 wants the address among the lockout parameters. Deliberately not (decision 0012): the lockout is
# per user whatever the address, and an address lock would lock a whole municipal office behind one NAT.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"

# Second factor: staff roles that see personal data must use TOTP where this is on (production).
CARENET_REQUIRE_2FA = False
# Personal API tokens live at most this many days (decision 0012).
CARENET_API_TOKEN_MAX_DAYS = int(os.environ.get("CARENET_API_TOKEN_MAX_DAYS", "90"))
OTP_TOTP_ISSUER = "CareNet"

LANGUAGE_CODE = "ro"
LANGUAGES = [
    ("ro", _("Romanian")),
    ("ru", _("Russian")),
    ("hu", _("Hungarian")),
    ("uk", _("Ukrainian")),
    ("en", _("English")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Europe/Bucharest"

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))
MEDIA_URL = "/media/"  # never served publicly: uploads go through permission-checked views

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "") == "1"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "CareNet <noreply@carenet.local>")

# SMS and voice calls of the heat and cold campaigns (carenet/core/messaging.py): no backend = the feature is off.
# "twilio" is the Twilio-compatible REST API (Twilio, or a Somleng installation at CARENET_MESSAGING_BASE_URL).
CARENET_MESSAGING_BACKEND = os.environ.get("CARENET_MESSAGING_BACKEND", "")
CARENET_MESSAGING_BASE_URL = os.environ.get("CARENET_MESSAGING_BASE_URL", "https://api.twilio.com")
CARENET_MESSAGING_ACCOUNT_SID = os.environ.get("CARENET_MESSAGING_ACCOUNT_SID", "")
CARENET_MESSAGING_AUTH_TOKEN = os.environ.get("CARENET_MESSAGING_AUTH_TOKEN", "")
CARENET_MESSAGING_FROM = os.environ.get("CARENET_MESSAGING_FROM", "")
CARENET_MESSAGING_TIMEOUT = float(os.environ.get("CARENET_MESSAGING_TIMEOUT", "10"))
# The site's public address the provider calls back (status, replies, the keys pressed in a call).
CARENET_MESSAGING_PUBLIC_URL = os.environ.get("CARENET_MESSAGING_PUBLIC_URL", "")


def cache_settings(environ: Mapping[str, str]) -> dict[str, dict[str, Any]]:
    """The shared cache (decision 0012): Redis when ``REDIS_URL`` is set, otherwise Django's database cache,
    whose table ``carenet_cache`` a migration creates (carenet/accounts/migrations). Rate limits, lockouts
    and single-use form tokens count in it, so they hold across worker processes."""
    if environ.get("REDIS_URL"):
        return {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": environ["REDIS_URL"]}}
    return {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "carenet_cache"}}


CACHES = cache_settings(os.environ)
# Password reset requests per hour, per address and per e-mail asked for.
CARENET_PASSWORD_RESET_LIMITS = {"address": 5, "email": 3}

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

REST_FRAMEWORK = {
    # A personal token or a session that passed the second factor; never a password (decision 0012).
    # The token class is first: an unauthenticated call is a 401 with its Bearer challenge.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "carenet.api.authentication.ApiTokenAuthentication",
        "carenet.api.authentication.VerifiedSessionAuthentication",
    ],
    # JSON nested deeper than 64 levels is a 400, never a RecursionError (issue 26, Low 13).
    "DEFAULT_PARSER_CLASSES": [
        "carenet.api.parsers.DepthLimitedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "carenet.api.authentication.TokenScope",
    ],
    "DEFAULT_SCHEMA_CLASS": "carenet.core.api_schema.CareNetAutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "carenet.core.api_errors.exception_handler",
    # Counted by the real client address (X-Real-IP only from CARENET_TRUSTED_PROXIES) in the shared cache.
    "DEFAULT_THROTTLE_CLASSES": [
        "carenet.api.throttles.ClientAnonThrottle",
        "carenet.api.throttles.ClientUserThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {"anon": "600/min", "user": "2000/min", "public_form": "10/min"},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "CareNet API",
    "DESCRIPTION": "Municipal social-services network: directory (HSDS 3.0), people, cases, referrals, plans.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "ENUM_NAME_OVERRIDES": {
        "CaseOutcomeEnum": "carenet.cases.models.Outcome",
        "ReferralOutcomeEnum": "carenet.referrals.models.ReferralOutcome",
    },
}

# Content Security Policy: everything is vendored, so only our own origin.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "base-uri": ["'self'"],
        "img-src": ["'self'", "data:", os.environ.get("MAP_TILE_ORIGIN", "'self'")],
        "style-src": ["'self'"],
        "script-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}
# Map tiles are optional: GeoJSON layers and markers work without them. Empty = no tile layer, which is the
# development and test default (nothing at run or test time reaches outside the repository); production.py
# defaults to OpenStreetMap's tiles. The attribution is shown on every map that draws tiles.
MAP_TILE_URL = os.environ.get("MAP_TILE_URL", "")
MAP_TILE_ATTRIBUTION = os.environ.get(
    "MAP_TILE_ATTRIBUTION", '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'
)

# Sessions end when the browser closes and after CARENET_SESSION_IDLE_MINUTES without a request
# (carenet/accounts/sessions.py); the store keeps an abandoned session at most SESSION_COOKIE_AGE.
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CARENET_SESSION_IDLE_MINUTES = int(os.environ.get("CARENET_SESSION_IDLE_MINUTES", "30"))
SESSION_COOKIE_AGE = 12 * 3600
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Loaders run in order by `manage.py load_demo`; each app adds its own (kept here so lower
# layers never import higher ones).
CARENET_DEMO_LOADERS = [
    "carenet.core.demo.load",
    "carenet.accounts.demo.load",
    "carenet.geo.demo.load",
    "carenet.directory.demo.load",
    "carenet.cases.demo.load",
    "carenet.plans.demo.load",
    "carenet.activities.demo.load",
    "carenet.training.demo.load",
    "carenet.housing.demo.load",
    "carenet.plans.demo.load_sources",
    "carenet.plans.demo.load_reports",
    "carenet.portal.demo.load",
    "carenet.referrals.demo.load",
    "carenet.canteen.demo.load",
    "carenet.geo.demo.load_population",
    "carenet.dashboards.demo.load",
    "carenet.privacy.demo.load",
    "carenet.campaigns.demo.load",
    "carenet.volunteering.demo.load",
    "carenet.care.demo.load",
]

# Logs: plain text for a developer, one JSON object a line with the request's id for production (LOG_FORMAT).
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "carenet.ops.logs.RequestIdFilter"}},
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "carenet.ops.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "json" if LOG_FORMAT == "json" else "text",
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# URL mounts of the domain apps, (prefix, urls module), in the order they are tried.
CARENET_URLS: list[tuple[str, str]] = [
    ("ops/", "carenet.ops.urls"),
    ("geo/", "carenet.geo.urls"),
    ("directory/", "carenet.directory.urls"),
    ("people/", "carenet.people.urls"),
    ("cases/", "carenet.cases.urls"),
    ("activities/", "carenet.activities.urls"),
    ("referrals/", "carenet.referrals.urls"),
    ("campaigns/", "carenet.campaigns.urls"),
    ("canteen/", "carenet.canteen.urls"),
    ("training/", "carenet.training.urls"),
    ("housing/", "carenet.housing.urls"),
    ("plans/", "carenet.plans.urls"),
    ("reports/", "carenet.reports.urls"),
    ("dashboards/", "carenet.dashboards.urls"),
    ("privacy/", "carenet.privacy.urls"),
    ("onboarding/", "carenet.onboarding.urls"),
    # Volunteering and care: staff pages under their prefix, public pages under "<slug>/volunteer/", "<slug>/care/".
    ("", "carenet.volunteering.urls"),
    ("", "carenet.care.urls"),
    # Training's public pages (catalogue, enrolment, certificate check, company pages): "<slug>/training/…".
    ("", "carenet.training.public_urls"),
    ("", "carenet.housing.public_urls"),  # "<municipality_slug>/housing/…" before the portal's own
    # The portal: its staff list ("portal/…") then its public list ("<municipality_slug>/…"). Keep it LAST
    # so the public pages never shadow another app's fixed prefix.
    ("", "carenet.portal.urls"),
]

# Periodic tasks (django-tasks) enqueued by `manage.py run_scheduled` (cron / systemd timer / make run).
CARENET_SCHEDULED_TASKS: list[str] = [
    "carenet.referrals.tasks.expire_unanswered_referrals",
    "carenet.campaigns.tasks.escalate_unreached_persons",
    "carenet.campaigns.tasks.send_waiting_messages",
    "carenet.volunteering.tasks.withdraw_lapsed_callers",
    "carenet.care.tasks.recheck_caregiver_training",
    "carenet.care.tasks.mark_missed_visits",
    "carenet.ops.tasks.worker_heartbeat",
    "carenet.ops.tasks.verify_audit_chain",
    "carenet.ops.tasks.reap_interrupted_jobs",
    "carenet.cases.tasks.flag_overdue_duties",
    "carenet.directory.tasks.send_freshness_reminders",
    "carenet.directory.tasks.pull_hsds_sources",
    "carenet.directory.tasks.push_hsds_feeds",
    "carenet.plans.tasks.send_period_reminders",
    "carenet.portal.tasks.anonymise_expired_help_requests",
    "carenet.dashboards.tasks.warm_dashboards",
    "carenet.privacy.tasks.apply_retention_schedules",
    "carenet.audit.tasks.make_audit_checkpoints",
    "carenet.housing.tasks.send_contract_renewal_reminders",
]

# Readiness (/readyz, the system page): how old the worker's heartbeat, the audit chain's verification and
# the last backup may be, and the free space the uploads' disk must keep.
CARENET_WORKER_SILENT_MINUTES = int(os.environ.get("CARENET_WORKER_SILENT_MINUTES", "60"))
CARENET_AUDIT_VERIFY_MAX_MINUTES = int(os.environ.get("CARENET_AUDIT_VERIFY_MAX_MINUTES", str(24 * 60)))
CARENET_BACKUP_MAX_MINUTES = int(os.environ.get("CARENET_BACKUP_MAX_MINUTES", str(26 * 60)))
CARENET_MIN_FREE_MB = int(os.environ.get("CARENET_MIN_FREE_MB", "500"))
# A running background job that has not moved for this long, on another host than the reaper's, is taken as
# interrupted (core.jobs; on the same host a vanished process is found at once).
CARENET_JOB_STALL_MINUTES = int(os.environ.get("CARENET_JOB_STALL_MINUTES", "60"))
# Crash tests stop a process at a named point (core.jobs.failpoint); never in production.
CARENET_FAILPOINTS_ENABLED = False
# Backups (manage.py backup): the armored GPG public key they are encrypted to, and where they go.
CARENET_BACKUP_PUBLIC_KEY = os.environ.get("CARENET_BACKUP_PUBLIC_KEY", "")
CARENET_BACKUP_DIR = os.environ.get("CARENET_BACKUP_DIR", str(BASE_DIR / "var" / "backups"))
# /metrics (Prometheus): a bearer token for a scraper elsewhere; empty = from this machine only.
CARENET_METRICS_TOKEN = os.environ.get("CARENET_METRICS_TOKEN", "")

# Days a provider has to answer a referral when its directory service states no response time.
CARENET_REFERRAL_RESPONSE_DAYS = int(os.environ.get("CARENET_REFERRAL_RESPONSE_DAYS", "5"))

# Public HSDS API answers are cached (default cache) under the directory's data version, which every write
# changes: never stale, whatever the lifetime. 0 turns the cache off (bench/api_throughput.py measures both).
CARENET_HSDS_CACHE_SECONDS = int(os.environ.get("CARENET_HSDS_CACHE_SECONDS", "600"))
# HSDS imports, pulls and pushes (decision 0024): the largest file (upload, zip uncompressed, JSON, a remote
# feed's pages together) read, and the seconds a remote server has to answer.
CARENET_HSDS_IMPORT_MAX_BYTES = int(os.environ.get("CARENET_HSDS_IMPORT_MAX_BYTES", str(20_000_000)))
CARENET_HSDS_PULL_TIMEOUT = int(os.environ.get("CARENET_HSDS_PULL_TIMEOUT", "30"))
# Feed and push addresses on a private or local network are refused (request forgery), unless a deployment reads
# a feed inside its own network on purpose.
CARENET_HSDS_PULL_ALLOW_PRIVATE = os.environ.get("CARENET_HSDS_PULL_ALLOW_PRIVATE", "") == "1"

# The audit log's daily checkpoints are signed (HMAC-SHA256) with a key the database never holds
# (decision 0015, docs/admin-guide.md): set it in the environment; keep earlier keys, after a rotation,
# in CARENET_AUDIT_OLD_KEYS (comma-separated) so older checkpoints still verify. A chain whose last
# checkpoint is older than the maximum age is reported by `audit_verify` (a deleted checkpoint shows).
CARENET_AUDIT_KEY = os.environ.get("CARENET_AUDIT_KEY", "")
CARENET_AUDIT_OLD_KEYS = [k for k in os.environ.get("CARENET_AUDIT_OLD_KEYS", "").split(",") if k]
CARENET_AUDIT_CHECKPOINT_MAX_AGE_HOURS = int(os.environ.get("CARENET_AUDIT_CHECKPOINT_MAX_AGE_HOURS", "26"))

# The reverse proxies whose X-Real-IP header names the client (addresses or networks, comma-separated;
# nginx on the same host: 127.0.0.1,::1). From any other address the header is ignored and the
# connection's own address is the client's (the audit log, rate limits and sign-in lockouts use it).
CARENET_TRUSTED_PROXIES = [p.strip() for p in os.environ.get("CARENET_TRUSTED_PROXIES", "").split(",") if p.strip()]
