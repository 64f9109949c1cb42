"""Response cache of the public, read-only HSDS API, with a strong ETag (304 on If-None-Match).

Key: the municipality the answer is about (the one in the URL or ``?municipality=``, a signed-in
staff user's own on ``/api/hsds/…``, or the whole feed), the directory's data version
(``directory_version``: read from the database on every request, so every worker process of every
server agrees on it, and any write to public directory data changes it in the same transaction), the
request language, the negotiated media type and the full path with its query string. A stale answer
after an edit is therefore impossible; only the JSON renderer is cached (the browsable API page is
per user). Errors (400, 404) are raised before anything is stored. See docs/performance.md.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, HttpResponseNotModified
from django.utils.http import parse_etags
from django.utils.translation import get_language
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from carenet.directory.selectors import directory_version

MAX_CACHED_BYTES = 1_000_000


def cache_seconds() -> int:
    return int(getattr(settings, "CARENET_HSDS_CACHE_SECONDS", 600))


def _key(request: Request, municipality_id: Any, version: int) -> str:
    parts = (
        str(municipality_id) if municipality_id is not None else "all",
        str(version),
        get_language() or "",
        request.accepted_media_type,
        request.get_full_path(),
    )
    return "hsds:" + hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _etag(body: bytes) -> str:
    return '"' + hashlib.blake2b(body, digest_size=16).hexdigest() + '"'


def _matches(request: Request, etag: str) -> bool:
    header = request.META.get("HTTP_IF_NONE_MATCH")
    if not header:
        return False
    tags = parse_etags(header)
    # If-None-Match compares weakly (RFC 9110 13.1.2): W/"x" matches "x".
    return "*" in tags or etag in {t.removeprefix("W/") for t in tags}


def cached_answer(
    request: Request, municipality_id: Any, compute: Callable[[], dict[str, Any]]
) -> HttpResponse | Response:
    """The rendered answer of ``compute()`` for this request about the municipality with this id (None: the
    whole feed), from the cache when its data has not changed."""
    renderer = request.accepted_renderer
    if not isinstance(renderer, JSONRenderer):
        return Response(compute())
    seconds = cache_seconds()
    key = _key(request, municipality_id, directory_version(municipality=municipality_id)) if seconds > 0 else None
    hit = cache.get(key) if key else None
    if hit is None:
        body = renderer.render(compute(), request.accepted_media_type, {"request": request})
        etag = _etag(body)
        if key and len(body) <= MAX_CACHED_BYTES:
            cache.set(key, (etag, body), seconds)
    else:
        etag, body = hit
    if _matches(request, etag):
        response: HttpResponse = HttpResponseNotModified()
    else:
        response = HttpResponse(body, content_type=renderer.media_type)
    response["ETag"] = etag
    return response
