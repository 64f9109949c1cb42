"""Settings for the server the directory benchmark starts: dev settings without API throttling
(32 clients from one address would otherwise measure the throttle, not the server)."""

from config.settings import dev

globals().update({k: v for k, v in vars(dev).items() if k.isupper()})

DEBUG = False
REST_FRAMEWORK = {
    **dev.REST_FRAMEWORK,
    "DEFAULT_THROTTLE_RATES": {**dev.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "anon": None},
}
LOGGING = {"version": 1, "disable_existing_loggers": True}
