from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from .request_context import RequestMeta, reset_request_meta, set_request_meta
from .selectors import municipality_by_slug


def client_ip(request: HttpRequest) -> str | None:
    # Behind the reverse proxy (docs/admin-guide.md) the proxy sets X-Real-IP; never trust X-Forwarded-For blindly.
    return request.META.get("HTTP_X_REAL_IP") or request.META.get("REMOTE_ADDR")


class RequestContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = set_request_meta(
            RequestMeta(
                ip=client_ip(request),
                user_agent=request.META.get("HTTP_USER_AGENT", "")[:300],
                path=request.path[:300],
            )
        )
        try:
            return self.get_response(request)
        finally:
            reset_request_meta(token)


class TenantMiddleware:
    """``request.municipality``: the staff user's own tenant, or the one named in a public URL."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        request.municipality = getattr(user, "municipality", None) if user and user.is_authenticated else None  # type: ignore[attr-defined]
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):  # type: ignore[no-untyped-def]
        slug = view_kwargs.get("municipality_slug")
        if slug and getattr(view_func, "reads_its_own_municipality", False):
            # The cached public HSDS API reads only the municipality's id on a cache hit (carenet/api/hsds.py).
            return None
        if slug:
            # Public pages name their tenant in the URL; unknown slugs 404 in the view's selector.
            request.public_municipality = municipality_by_slug(slug)  # type: ignore[attr-defined]
            if request.municipality is None:  # type: ignore[attr-defined]
                request.municipality = request.public_municipality  # type: ignore[attr-defined]
        return None
