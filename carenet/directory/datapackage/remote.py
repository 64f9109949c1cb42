"""Remote: read a feed over HTTP(S) into tables, and send the municipality's own datapackage to a target.

A feed URL is either a datapackage (a ``.zip``, or a ``.json`` file of HSDS objects), or the base of an HSDS
3.0 API, whose ``/services?full=true`` pages are read one after another (``page``, up to ``total_pages``).
Only ``http`` and ``https``; a redirect to any other scheme is refused; every request has a timeout
(``CARENET_HSDS_PULL_TIMEOUT``, seconds) and every answer, and all pages together, the size limit of an
import (``CARENET_HSDS_IMPORT_MAX_BYTES``). Whatever goes wrong is an ``ImportRefused`` with the reason.
"""

from __future__ import annotations

import io
import ipaddress
import json
import socket
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from .read import ImportRefused, max_bytes, read_json_data, read_zip
from .schema import Tables

SCHEMES = ("http", "https")
MAX_PAGES = 1000
PAGE_SIZE = 100


def timeout() -> float:
    return float(getattr(settings, "CARENET_HSDS_PULL_TIMEOUT", 30))


def check_url(url: str) -> None:
    scheme = urllib.parse.urlsplit(url).scheme.lower()
    host = urllib.parse.urlsplit(url).hostname
    if scheme not in SCHEMES or not host:
        raise ImportRefused(_("Only http and https addresses are read: %(url)s") % {"url": url[:200]})
    if not getattr(settings, "CARENET_HSDS_PULL_ALLOW_PRIVATE", False) and _internal(host):
        # A feed address is typed by a coordinator and fetched by the server: it must not reach the server's
        # own network (the database, the cache, a cloud's metadata address) — a request forgery.
        raise ImportRefused(
            _("The address %(url)s is on a private or local network; only public addresses are read.")
            % {"url": url[:200]}
        )


def _internal(host: str) -> bool:
    """Whether any address the host resolves to is loopback, private, link-local or otherwise not public."""
    try:
        infos = socket.getaddrinfo(host, None)
    except (socket.gaierror, UnicodeError):
        return False  # unresolvable: the request itself fails with its own reason
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%", 1)[0])
        if not address.is_global or address.is_multicast:
            return True
    return False


class _SameSchemes(urllib.request.HTTPRedirectHandler):
    """Follow a redirect only to another http(s) address."""

    def redirect_request(self, req: Any, fp: Any, code: int, msg: str, headers: Any, newurl: str) -> Any:
        check_url(newurl)
        return super().redirect_request(req, fp, code, msg, headers, newurl)

    def http_error_302(self, req: Any, fp: Any, code: int, msg: str, headers: Any) -> Any:
        location = headers.get("location") or headers.get("uri")
        if location:  # before urllib's own check, so that the refusal says why
            check_url(urllib.parse.urljoin(req.full_url, location))
        return super().http_error_302(req, fp, code, msg, headers)

    http_error_301 = http_error_303 = http_error_307 = http_error_308 = http_error_302


def _opener() -> urllib.request.OpenerDirector:
    # No file:, ftp: or data: handlers: only what http(s) needs.
    opener = urllib.request.OpenerDirector()
    for handler in (
        urllib.request.HTTPHandler(),
        urllib.request.HTTPSHandler(),
        urllib.request.HTTPDefaultErrorHandler(),
        urllib.request.HTTPErrorProcessor(),
        _SameSchemes(),
    ):
        opener.add_handler(handler)
    return opener


@dataclass
class Fetched:
    body: bytes
    content_type: str


def fetch(url: str, *, budget: int | None = None) -> Fetched:
    """One GET, its body read up to ``budget`` bytes (the import limit): more is refused, naming the address."""
    check_url(url)
    limit = max_bytes() if budget is None else budget
    accept = {"Accept": "application/json, application/zip, */*"}
    request = urllib.request.Request(url, headers=accept)  # noqa: S310  (check_url: http and https only)
    try:
        with _opener().open(request, timeout=timeout()) as response:
            declared = response.headers.get("Content-Length")
            if declared and declared.isdigit() and int(declared) > limit:
                raise _too_large(url)
            body = response.read(limit + 1)
            content_type = response.headers.get("Content-Type", "")
    except ImportRefused:
        raise
    except urllib.error.HTTPError as exc:
        raise ImportRefused(_("%(url)s answered %(code)s.") % {"url": url[:200], "code": exc.code}) from None
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        raise ImportRefused(_("%(url)s could not be read: %(error)s") % {"url": url[:200], "error": reason}) from None
    if len(body) > limit:
        raise _too_large(url)
    return Fetched(body=body, content_type=content_type)


def _too_large(url: str) -> ImportRefused:
    return ImportRefused(
        _("%(file)s is too large: an import reads at most %(limit)s MB.")
        % {"file": url[:200], "limit": round(max_bytes() / 1_000_000, 1)}
    )


def _is_package(url: str) -> bool:
    path = urllib.parse.urlsplit(url).path.lower()
    return path.endswith((".zip", ".json"))


def _json(body: bytes, url: str) -> Any:
    try:
        return json.loads(body.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise ImportRefused(_("%(url)s is not valid JSON: %(error)s") % {"url": url[:200], "error": exc}) from None


def pull_tables(url: str) -> tuple[Tables, int]:
    """The feed at ``url`` as tables, and the bytes read."""
    if _is_package(url):
        fetched = fetch(url)
        if fetched.body[:2] == b"PK" or urllib.parse.urlsplit(url).path.lower().endswith(".zip"):
            return read_zip(io.BytesIO(fetched.body)), len(fetched.body)
        return read_json_data(_json(fetched.body, url)), len(fetched.body)
    return _pull_api(url)


def _pull_api(base: str) -> tuple[Tables, int]:
    """Every page of ``{base}/services?full=true``, joined, read as one list of services."""
    items: list[Any] = []
    read = 0
    page = 1
    while page <= MAX_PAGES:
        query = urllib.parse.urlencode({"full": "true", "page": page, "per_page": PAGE_SIZE})
        url = f"{base.rstrip('/')}/services?{query}"
        fetched = fetch(url, budget=max_bytes() - read)
        read += len(fetched.body)
        data = _json(fetched.body, url)
        if not isinstance(data, dict) or not isinstance(data.get("contents"), list):
            raise ImportRefused(_("%(url)s is not a page of HSDS services.") % {"url": url[:200]})
        items.extend(data["contents"])
        total_pages = data.get("total_pages")
        if data.get("last_page") is True or not data["contents"]:
            break
        if not isinstance(total_pages, int) or page >= total_pages:
            break
        page += 1
    return read_json_data({"contents": items}), read


def push(url: str, *, token: str, body: bytes, filename: str) -> int:
    """POST ``body`` (a datapackage zip) to ``url`` with the token as a bearer; the status code answered.
    A refused target (4xx, 5xx) is its code; an address that cannot be reached is an ``ImportRefused``."""
    check_url(url)
    headers = {"Content-Type": "application/zip", "Content-Disposition": f'attachment; filename="{filename}"'}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310  (check_url)
    try:
        with _opener().open(request, timeout=timeout()) as response:
            response.read(64_000)
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        raise ImportRefused(
            _("%(url)s could not be reached: %(error)s") % {"url": url[:200], "error": reason}
        ) from None
