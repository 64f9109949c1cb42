"""The isolation crawl (issue 26, "Must show"): every URL pattern, filled with real records, requested by
those who must be refused.

One engine, used by the whole-site crawl (``carenet/api/tests/test_isolation_crawl.py``) and by each
programme app's own crawl (``<app>/tests/test_isolation_crawl.py``), which builds its records with its own
fixtures. For each URL pattern chosen:

1. the record's own side (``owners``) is tried on the candidate fillings, to pick one that opens — the
   page requested of the others is a real one;
2. each attacker whose ``applies`` pattern matches the URL name requests it; a leak is a 2xx answer to a
   URL naming a record (any ``<..._id>`` or ``<pk>``), or any 2xx answer showing one of the ``markers``
   (a list answering the attacker with their own rows is fine, one naming the owner's person is not);
3. an action on a record (a URL naming one that every owner answers with 405 to a GET) is posted to,
   empty: a leak is a success or a redirect anywhere but the sign-in pages — the access check let them by.

Parameters are filled from ``candidates`` (name → values), then ``STATIC`` words, then rows of the tenant
found in the database: ``<application_id>`` takes the rows of a model named like ``application``, first
in the apps the crawl is about (``app_labels``), so the canteen's crawl fills it with canteen applications.
"""

from __future__ import annotations

import itertools
import logging
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.conf import settings
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.resolvers import RegexPattern, RoutePattern

STATIC: dict[str, list[str]] = {
    "step": ["edit", "inquiry", "decision", "assessment", "plan", "closure"],
    "decision": ["approve", "reject"],
    "action": ["accept", "decline", "start", "complete", "cancel", "withdraw"],
    "scope": ["provider", "network"],
    "fmt": ["csv", "xlsx", "json", "pdf", "docx"],
    "ext": ["pdf", "docx", "xlsx"],
    "kind": ["services", "persons", "cases", "deliveries", "social_inquiry", "request"],
    "layer": ["areas", "services", "persons"],
    "key": ["persons_served", "cases_open"],
    "language": ["ro", "en"],
    "months": ["3", "6", "12"],
    "uidb64": ["MQ"],
    "token": ["x-y"],
    "url": ["core/municipality/"],
}
# A parameter's name → the model name it points at, where the two differ.
NAME_HINTS = {
    "organization": "organisation",
    "item": "newsitem",
    "rule": "routingrule",
    "member": "staffmember",
    "hold": "legalhold",
}


@dataclass
class Attacker:
    """A user who must be refused (``None``: an anonymous visitor) on the URL names ``applies`` matches."""

    label: str
    user: Any
    applies: re.Pattern[str] = field(default_factory=lambda: re.compile(""))


def outsiders(*, other_municipality: Any, citizen: Any) -> list[Attacker]:
    """Those refused on every pattern of every crawl: the other municipality, an anonymous visitor and a signed-in
    citizen with no staff role."""
    return [
        Attacker("other municipality", other_municipality),
        Attacker("anonymous", None),
        Attacker("lower role (citizen)", citizen),
    ]


@dataclass
class CrawlResult:
    tally: Counter[str]
    leaks: list[str]
    unfilled: list[str]

    def report(self) -> str:
        t = self.tally
        return (
            f"isolation crawl: {t['patterns']} URL patterns ({t['opened by their own side']} opened by their own "
            f"side, {t['actions posted to']} actions posted to), {t['tries']} tries, {len(self.leaks)} leaks, {len(self.unfilled)} patterns with no record to "
            "fill" + "".join(f"\n  not filled: {u}" for u in self.unfilled)
        )


def url_patterns(resolver: URLResolver | None = None, prefix: str = "", ns: str = "") -> list[tuple[str, str]]:
    """Every (route, namespaced name) of the site; regex routes are turned into ``<name>`` routes."""
    found = []
    for p in (resolver or get_resolver()).url_patterns:
        if isinstance(p, URLResolver):
            found += url_patterns(p, prefix + _route(p.pattern), ns + (f"{p.namespace}:" if p.namespace else ""))
        elif isinstance(p, URLPattern):
            found.append((prefix + _route(p.pattern), ns + (p.name or "")))
    return found


def _route(pattern: Any) -> str:
    if isinstance(pattern, RoutePattern):
        return str(getattr(pattern, "_route", pattern))
    if isinstance(pattern, RegexPattern):  # ^(?P<scope>network|provider)/kpis\.(?P<fmt>csv|xlsx)$ → a route
        regex = str(getattr(pattern, "_regex", pattern)).lstrip("^").rstrip("$")
        regex = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"<\1>", regex)
        return regex.replace("\\.", ".")
    return str(pattern)


def _params(route: str) -> list[str]:
    return [m.split(":")[-1] for m in re.findall(r"<([^>]+)>", route)]


def _fill(route: str, values: dict[str, str]) -> str:
    return "/" + re.sub(r"<(?:[^>:]+:)?([^>]+)>", lambda m: values[str(m.group(1))], route)


def tenant_rows(municipality: Any, param: str, app_labels: tuple[str, ...] = ()) -> list[str]:
    """Up to three primary keys of the tenant's rows a ``<name_id>`` parameter can point at."""
    if not param.endswith("_id"):
        return []
    hint = NAME_HINTS.get(param[: -len("_id")], param[: -len("_id")])
    tenant_models = [m for m in apps.get_models() if any(f.attname == "municipality_id" for f in m._meta.fields)]
    # The crawl's own apps first, an exact model name before a partial one (``request`` → ``helprequest``).
    for in_app, exact in ((True, True), (True, False), (False, True), (False, False)):
        for model in tenant_models:
            name = model._meta.model_name
            name = name or ""
            if (model._meta.app_label in app_labels) != in_app or not (name == hint if exact else hint in name):
                continue
            manager = getattr(model, "plain", model._base_manager)
            found = [str(pk) for pk in manager.filter(municipality_id=municipality.pk).values_list("pk", flat=True)[:3]]
            if found:
                return found
    return []


def admin_object(route: str, municipality: Any) -> list[str]:
    """A row for ``platform-admin/<app>/<model>/<object_id>/…``: of the tenant where the model has one."""
    match = re.match(r"platform-admin/(\w+)/(\w+)/", route)
    if not match:
        return []
    try:
        model = apps.get_model(match.group(1), match.group(2))
    except LookupError:
        return []
    qs = getattr(model, "plain", model._base_manager).all()
    if any(f.attname == "municipality_id" for f in model._meta.fields):
        qs = qs.filter(municipality_id=municipality.pk)
    return [str(pk) for pk in qs.values_list("pk", flat=True)[:1]]


def crawl(
    *,
    include: re.Pattern[str],
    municipality: Any,
    owners: list[Any],
    attackers: list[Attacker],
    markers: list[str],
    candidates: dict[str, list[Any]] | None = None,
    exclude: re.Pattern[str] | None = None,
    app_labels: tuple[str, ...] = (),
) -> CrawlResult:
    """Request every URL pattern whose name ``include`` matches (and ``exclude`` does not) as each attacker."""
    given = {k: [str(v) for v in vs] for k, vs in (candidates or {}).items()}
    owner_clients = []
    for user in owners:
        c = Client()
        c.force_login(user)
        owner_clients.append(c)
    attacker_clients = []
    for attacker in attackers:
        c = Client()
        if attacker.user is not None:
            c.force_login(attacker.user)
        attacker_clients.append((attacker, c))

    tally: Counter[str] = Counter()
    leaks: list[str] = []
    unfilled: list[str] = []
    # Where a refused visitor is sent: the sign-in page, or the second factor's page for an unverified session.
    sign_in = (resolve_url(settings.LOGIN_URL), reverse("accounts:otp_verify"))
    # Refusals are logged as warnings with tracebacks (403, 404, 405): thousands of them say nothing here.
    request_log = logging.getLogger("django.request")
    level = request_log.level
    request_log.setLevel(logging.ERROR)
    try:
        for route, name in url_patterns():
            if not include.match(name) or (exclude and exclude.match(name)) or "(?" in route:
                continue
            params = _params(route)
            options = []
            for p in params:
                if p == "object_id":  # an admin object page, else (``platform-admin/r/…``) the object given
                    values = admin_object(route, municipality) or given.get(p, [])
                else:
                    values = given.get(p) or STATIC.get(p) or tenant_rows(municipality, p, app_labels)
                options.append(values[:4])
            if any(not o for o in options):
                unfilled.append(f"{name} {route}")
                continue
            tally["patterns"] += 1
            url, post_only = None, False
            for combo in itertools.islice(itertools.product(*options), 12):
                candidate = _fill(route, dict(zip(params, combo, strict=True)))
                statuses = [c.get(candidate).status_code for c in owner_clients]
                post_only = post_only or 405 in statuses
                if any(200 <= code < 300 for code in statuses):
                    url = candidate
                    tally["opened by their own side"] += 1
                    break
            names_a_record = any(p == "pk" or p.endswith("_id") for p in params)
            # An action on a record (POST only): the attackers post to it, empty. Being let past the access
            # check shows as a success or a redirect elsewhere than the login page (a refused form's way back).
            probe_post = url is None and post_only and names_a_record
            url = url or _fill(route, {p: o[0] for p, o in zip(params, options, strict=True)})
            tally["actions posted to"] += probe_post
            for attacker, client in attacker_clients:
                if not attacker.applies.match(name):
                    continue
                tally["tries"] += 1
                response = client.post(url, {}) if probe_post else client.get(url)
                if probe_post:
                    location = response.get("Location", "") if 300 <= response.status_code < 400 else ""
                    if 200 <= response.status_code < 300 or (location and not location.startswith(sign_in)):
                        leaks.append(
                            f"{attacker.label}: POST {url} ({name}) answered {response.status_code} {location}"
                        )
                    continue
                if not 200 <= response.status_code < 300:
                    continue
                body = b"".join(getattr(response, "streaming_content", [])) if response.streaming else response.content
                if names_a_record or any(m.encode() in body for m in markers):
                    leaks.append(f"{attacker.label}: GET {url} ({name}) answered {response.status_code}")
    finally:
        request_log.setLevel(level)
    return CrawlResult(tally=tally, leaks=leaks, unfilled=unfilled)
