import ipaddress
import re
import uuid
from collections.abc import Callable
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from .request_context import RequestMeta, reset_request_meta, set_request_meta
from .selectors import municipality_by_slug


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(p, strict=False) for p in proxies)


def _address(value: str | None) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address((value or "").strip())
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str | None:
    """The client's address: the connection's own, or the X-Real-IP header when (and only when) the connection
    comes from a reverse proxy listed in ``CARENET_TRUSTED_PROXIES`` (docs/admin-guide.md). A header sent
    from anywhere else is ignored: anyone can write it. X-Forwarded-For is never read."""
    remote = request.META.get("REMOTE_ADDR")
    peer = _address(remote)
    if peer is not None and any(peer in net for net in _networks(tuple(settings.CARENET_TRUSTED_PROXIES))):
        forwarded = _address(request.META.get("HTTP_X_REAL_IP"))
        if forwarded is not None:
            return str(forwarded)
    return remote


REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def request_id_of(request: HttpRequest) -> str:
    """The proxy's X-Request-ID when the connection comes from a trusted proxy and the id is well formed (so one
    id follows the request from nginx to the logs), else a new one."""
    given = request.META.get("HTTP_X_REQUEST_ID", "")
    peer = _address(request.META.get("REMOTE_ADDR"))
    trusted = peer is not None and any(peer in net for net in _networks(tuple(settings.CARENET_TRUSTED_PROXIES)))
    return given if trusted and REQUEST_ID.match(given) else uuid.uuid4().hex


class RequestContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = request_id_of(request)
        token = set_request_meta(
            RequestMeta(
                ip=client_ip(request),
                user_agent=request.META.get("HTTP_USER_AGENT", "")[:300],
                path=request.path[:300],
                request_id=request_id,
            )
        )
        try:
            response = self.get_response(request)
        finally:
            reset_request_meta(token)
        response["X-Request-ID"] = request_id
        return response


class TenantMiddleware:
    """``request.municipality``: the staff user's own tenant, or the one named in a public URL."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        request.municipality = getattr(user, "municipality", None) if user and user.is_authenticated else None  # type: ignore[attr-defined]
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        slug = view_kwargs.get("municipality_slug")
        if slug and getattr(view_func, "reads_its_own_municipality", False):
            # The cached public HSDS API reads only the municipality's id on a cache hit (carenet/api/hsds.py).
            return None
        if slug:
            # Public pages name their tenant in the URL; unknown slugs 404 in the view's selector.
            request.public_municipality = municipality_by_slug(slug=slug)  # type: ignore[attr-defined]
            if request.municipality is None:  # type: ignore[attr-defined]
                request.municipality = request.public_municipality  # type: ignore[attr-defined]
        return None
