"""The HSDS answers of anonymous readers served before the middleware stack, like a reverse proxy's cache.

``hsds_cache`` keeps each rendered answer, but a hit still crosses every middleware, the URL resolver and
DRF: as much work as the framework's trivial endpoint. Public open-data readers (no cookie, no
credentials) of ``/api/hsds/<municipality>/…`` are answered here instead, from the exact response (status
line, headers, body) that the full stack produced for the same request: same municipality and data
version (read from the database on every request, as ``hsds_cache`` does), same host, path with query,
Accept and Accept-Language. Anything else — a cookie, an Authorization header, If-None-Match (the full
stack answers 304), a HEAD or a POST, an unknown municipality — takes the normal path. Hits are not
throttled: they cost less than the throttle's own bookkeeping.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse

from carenet.api.hsds_cache import MAX_CACHED_BYTES, cache_seconds
from carenet.core.selectors import municipality_id_by_slug
from carenet.directory.selectors import directory_version

PREFIX = "/api/hsds/"
_KEY_ATTRIBUTE = "_carenet_hsds_edge_key"


def _edge_key(request: HttpRequest) -> str | None:
    meta = request.META
    if request.method != "GET" or not request.path.startswith(PREFIX):
        return None
    if meta.get("HTTP_COOKIE") or meta.get("HTTP_AUTHORIZATION") or meta.get("HTTP_IF_NONE_MATCH"):
        return None
    slug = request.path[len(PREFIX) :].split("/", 1)[0]
    if not slug or cache_seconds() <= 0:
        return None
    try:
        municipality_id = municipality_id_by_slug(slug=slug)
    except Http404:
        return None  # "/api/hsds/services" (the whole feed) or a wrong slug: the normal path answers
    parts = (
        str(municipality_id),
        str(directory_version(municipality=municipality_id)),
        request.get_host(),
        request.get_full_path(),
        meta.get("HTTP_ACCEPT", ""),
        meta.get("HTTP_ACCEPT_LANGUAGE", ""),
    )
    return "hsds-edge:" + hashlib.sha256("\n".join(parts).encode()).hexdigest()


class HsdsEdgeCacheMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = _edge_key(request)
        if key is None:
            return self.get_response(request)
        stored = cache.get(key)
        if stored is not None:
            headers, body = stored
            response = HttpResponse(body)
            for name, value in headers:
                response[name] = value
            return response
        response = self.get_response(request)
        if self._storable(response):
            cache.set(key, (list(response.items()), response.content), cache_seconds())
        return response

    @staticmethod
    def _storable(response: Any) -> bool:
        return (
            response.status_code == 200
            and not response.streaming
            and response.has_header("ETag")  # rendered by hsds_cache (JSON), not the browsable page
            and not response.cookies
            and len(response.content) <= MAX_CACHED_BYTES
        )
