"""Settings shared by every environment. Values that differ per machine come from the environment."""

import os
from pathlib import Path

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
    "carenet.geo",
    "carenet.directory",
    "carenet.people",
    "carenet.cases",
    "carenet.referrals",
    "carenet.plans",
    "carenet.analytics",
    "carenet.portal",
    "carenet.api",
]

MIDDLEWARE = [
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

if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # JIT compilation costs more than it saves on CareNet's short, indexed queries (measured: a surname
    # search at 200,000 persons took 344 ms with JIT, 185 ms without; see docs/performance.md).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"

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
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:dashboard"
LOGOUT_REDIRECT_URL = "core:home"

# django-axes: lock an account+address after repeated failures.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"

# Second factor: staff roles that see personal data must use TOTP where this is on (production).
CARENET_REQUIRE_2FA = False
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

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.BasicAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "carenet.core.api_schema.CareNetAutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "carenet.core.api_errors.exception_handler",
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
        "img-src": ["'self'", "data:", os.environ.get("MAP_TILE_ORIGIN", "'self'")],
        "style-src": ["'self'"],
        "script-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}
# Map tiles are optional: GeoJSON layers work without them. Empty = no tile layer.
MAP_TILE_URL = os.environ.get("MAP_TILE_URL", "")

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
    "carenet.portal.demo.load",
    "carenet.referrals.demo.load",
    "carenet.geo.demo.load_population",
    "carenet.analytics.dashboard_demo.load",
]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# URL mounts of the domain apps, (prefix, urls module), in the order they are tried.
CARENET_URLS: list[tuple[str, str]] = [
    ("geo/", "carenet.geo.urls"),
    ("directory/", "carenet.directory.urls"),
    ("people/", "carenet.people.urls"),
    ("cases/", "carenet.cases.urls"),
    ("referrals/", "carenet.referrals.urls"),
    ("plans/", "carenet.plans.urls"),
    ("reports/", "carenet.analytics.urls"),
    ("portal/help/", "carenet.portal.help_urls"),
    ("portal/engage/", "carenet.portal.engage_urls"),
    ("dashboards/", "carenet.analytics.dashboard_urls"),
    # Public pages start with "<municipality_slug>/": keep them LAST so they never shadow staff prefixes.
    ("", "carenet.portal.finder_urls"),
    ("", "carenet.portal.transparency_urls"),
    ("", "carenet.portal.public_urls"),
    ("", "carenet.portal.dashboard_urls"),
]

# Periodic tasks (django-tasks) enqueued by `manage.py run_scheduled` (cron / systemd timer / make run).
CARENET_SCHEDULED_TASKS: list[str] = [
    "carenet.referrals.tasks.expire_unanswered_referrals",
    "carenet.cases.tasks.flag_overdue_duties",
    "carenet.directory.tasks.send_freshness_reminders",
    "carenet.plans.tasks.send_period_reminders",
    "carenet.portal.tasks.anonymise_expired_help_requests",
    "carenet.analytics.dashboard_tasks.warm_dashboards",
]

# Days a provider has to answer a referral when its directory service states no response time.
CARENET_REFERRAL_RESPONSE_DAYS = int(os.environ.get("CARENET_REFERRAL_RESPONSE_DAYS", "5"))

# Public HSDS API answers are cached (default cache) under the directory's data version, which every write
# changes: never stale, whatever the lifetime. 0 turns the cache off (bench/api_throughput.py measures both).
CARENET_HSDS_CACHE_SECONDS = int(os.environ.get("CARENET_HSDS_CACHE_SECONDS", "600"))
