"""Production: everything from the environment; refuses to start with the development secret."""

from django.core.exceptions import ImproperlyConfigured

from .base import *

DEBUG = False
if SECRET_KEY == DEV_SECRET_KEY or len(SECRET_KEY) < 40:
    raise ImproperlyConfigured("Set SECRET_KEY (40+ random characters) in the environment for production.")

CARENET_REQUIRE_2FA = True
SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "1") == "1"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# collectstatic writes where nginx serves /static/ from (deploy/nginx/carenet.conf), outside the code.
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", str(STATIC_ROOT)))
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
LOGGING["root"]["level"] = "INFO"  # type: ignore[index]
# One JSON object a line, with the request's id, unless LOG_FORMAT=text is set.
if os.environ.get("LOG_FORMAT", "json") == "json":
    LOGGING["handlers"]["console"]["formatter"] = "json"  # type: ignore[index]

# Maps: OpenStreetMap's standard tiles unless MAP_TILE_URL names the municipality's own tile server (or is set
# empty: outlines and markers only). OSM's tile usage policy allows light use only; heavy use needs an own
# server (docs/admin-guide.md). The tiles' origin is the one image source the CSP adds.
OSM_TILE_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
MAP_TILE_URL = os.environ.get("MAP_TILE_URL", OSM_TILE_URL)


def _origin(url: str) -> str:
    from urllib.parse import urlsplit

    parts = urlsplit(url.replace("{s}", "*"))  # a server with subdomains a/b/c: https://*.tiles.example
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else "'self'"


MAP_TILE_ORIGIN = os.environ.get("MAP_TILE_ORIGIN") or (_origin(MAP_TILE_URL) if MAP_TILE_URL else "'self'")
CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"] = ["'self'", "data:", MAP_TILE_ORIGIN]
