"""Isolation, generated from the URL resolver (issue 26, "Must show").

Every URL pattern of CareNet is filled with real fixture records of one provider (provider A of Baia Mare:
its person, case, referral, consent, service, location, the municipality's plan …) and requested:

1. by the record's own side (A's caseworker, A's manager, the coordinator, the platform administrator),
   only to choose, among the candidate records, a filling that opens — the page is real;
2. then by those who must be refused, and a leak is any answer with data (2xx):
   * a user of the other municipality (Bălți's coordinator) — every non-public URL;
   * an anonymous visitor — every non-public URL;
   * a lower role: a signed-in citizen with no staff role — every non-public URL; A's own caseworker —
     the platform administration, user and role management, and the audit log;
   * a user of another provider (B's caseworker and B's manager) — every URL of A's private records
     (people, cases, referrals, help requests routed to A, A's jobs and staff).

Lists (``/people/``, ``/api/v1/persons/`` …) answer the others with their own data: a leak there is A's
person's name or id in the answer. Public pages (the portal, finder, transparency, public dashboard, HSDS)
are left out. The figures (URL patterns, tries, leaks, patterns no record could fill) are printed.
"""

from __future__ import annotations

import datetime
import itertools
import re
from collections import Counter
from typing import Any

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern, RoutePattern

from carenet.accounts import services as accounts_services
from carenet.accounts.models import UserSession
from carenet.activities import services as activities_services
from carenet.activities.models import KindCategory
from carenet.activities.services import ActivityInput
from carenet.cases import services as cases_services
from carenet.core.models import BackgroundJob
from carenet.plans.models import ReportingPeriod
from carenet.portal import services as portal_services
from carenet.testing import factories

pytestmark = pytest.mark.isolation

PUBLIC = re.compile(
    r"^(api:hsds|finder:|transparency:|portal:|public_dashboard:|core:home|accounts:(login|logout|password_reset)"
    r"|javascript-catalog|set_language|admin:(login|logout|jsi18n|password_change))"
)
# A's private records: another provider of the same municipality must never read them.
PRIVATE = re.compile(
    r"^(people:|cases:|referrals:|api:(person|case|referral|delivery)|portal_help:(detail|first_contact|status|reroute)"
    r"|core:job|reports:report_(job|download)|accounts:(user|role_|session_end|api_token_revoke))"
)
# Above a caseworker: the platform administration, the management of users and roles, the audit log.
ADMIN_ONLY = re.compile(r"^(admin:|accounts:(user|role_)|audit:)")
STATIC = {
    "step": ["edit", "inquiry", "decision", "assessment", "plan", "closure"],
    "decision": ["approve", "reject"],
    "action": ["accept", "decline", "start", "complete", "cancel", "withdraw"],
    "scope": ["provider", "network"],
    "fmt": ["csv", "xlsx", "json"],
    "ext": ["pdf", "docx", "xlsx"],
    "kind": ["services", "persons", "cases", "deliveries"],
    "layer": ["areas", "services", "persons"],
    "key": ["persons_served", "cases_open"],
    "uidb64": ["MQ"],
    "token": ["x-y"],
}
NAME_HINTS = {"organization": "organisation", "request": "helprequest", "item": "newsitem", "rule": "routingrule"}


def _patterns(resolver: URLResolver, prefix: str = "", ns: str = "") -> list[tuple[str, str, Any]]:
    found = []
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            found += _patterns(p, prefix + _route(p.pattern), ns + (f"{p.namespace}:" if p.namespace else ""))
        elif isinstance(p, URLPattern):
            found.append((prefix + _route(p.pattern), ns + (p.name or ""), p.pattern))
    return found


def _route(pattern: Any) -> str:
    if isinstance(pattern, RoutePattern):
        return str(pattern._route)
    if isinstance(pattern, RegexPattern):  # ^(?P<scope>network|provider)/kpis\.(?P<fmt>csv|xlsx)$ → a route
        regex = str(pattern._regex).lstrip("^").rstrip("$")
        regex = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"<\1>", regex)
        return regex.replace("\\.", ".")
    return str(pattern)


def _params(route: str) -> list[str]:
    return [m.split(":")[-1] for m in re.findall(r"<([^>]+)>", route)]


def _fill(route: str, values: dict[str, str]) -> str:
    return "/" + re.sub(r"<(?:[^>:]+:)?([^>]+)>", lambda m: values[m.group(1)], route)


def _candidates(baia_mare: Any, records: dict[str, list[Any]]) -> dict[str, list[str]]:
    """Candidate values of each URL parameter: the fixture records first, then any row of Baia Mare."""
    found: dict[str, list[str]] = {k: [str(v) for v in vs] for k, vs in records.items()}
    tenant_models = [m for m in apps.get_models() if any(f.attname == "municipality_id" for f in m._meta.fields)]
    for name in (
        "plan",
        "document",
        "task",
        "duty",
        "request",
        "rule",
        "item",
        "feedback",
        "survey",
        "consultation",
        "comment",
        "idea",
        "submission",
        "indicator",
        "membership",
        "job",
        "consent",
        "location",
    ):
        hint = NAME_HINTS.get(name, name)
        for model in tenant_models:
            if hint in model._meta.model_name:
                manager: models.Manager = getattr(model, "plain", model._base_manager)
                ids = manager.filter(municipality_id=baia_mare.pk).values_list("pk", flat=True)[:3]
                found.setdefault(f"{name}_id", []).extend(str(i) for i in ids)
    return found


def _admin_object(route_name: str, baia_mare: Any) -> list[str]:
    match = re.match(r"admin:(\w+?)_(\w+)_(change|delete|history)$", route_name)
    if not match:
        return []
    try:
        model = apps.get_model(match.group(1), match.group(2))
    except LookupError:
        return []
    manager = getattr(model, "plain", model._base_manager)
    qs = manager.all()
    if any(f.attname == "municipality_id" for f in model._meta.fields):
        qs = qs.filter(municipality_id=baia_mare.pk)
    return [str(pk) for pk in qs.values_list("pk", flat=True)[:1]]


@pytest.fixture
def provider_a_records(
    person_a, case_a, service_a, org_a, org_b, caseworker_a, coordinator, consent_for_crawl, bm_plan
):
    referral = factories.ReferralFactory(
        case=case_a,
        to_service=factories.ServiceFactory(
            organisation=factories.OrganisationFactory(municipality=case_a.municipality, code="third-provider"),
            municipality=case_a.municipality,
        ),
    )
    today = datetime.date.today()
    task = cases_services.task_add(actor=caseworker_a, case=case_a, title="Vizită", due_on=today)
    duty = cases_services.duty_add(
        actor=caseworker_a, case=case_a, kind="plan_follow_up", starts_on=today, interval_weeks=4
    )
    document = cases_services.document_upload(
        actor=caseworker_a,
        case=case_a,
        kind="request",
        title="Cerere",
        file=SimpleUploadedFile("cerere.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", "application/pdf"),
    )
    job = BackgroundJob.objects.create(
        municipality=case_a.municipality, kind="report", title="Raport", created_by=caseworker_a
    )
    help_request = portal_services.help_request_submit(
        municipality=case_a.municipality,
        help_for="self",
        need="child",
        contact_name="Ana Crawl",
        contact_method="visit",
        consent=True,
        area_text="Strada Mare",
    )
    feedback = portal_services.feedback_submit(
        invite=portal_services.feedback_invite_create(actor=caseworker_a, service=service_a),
        rating=3,
        went_well=[],
        went_badly=[],
    )
    consultation = portal_services.consultation_create(
        actor=coordinator, municipality=case_a.municipality, title="Strategia", summary="Proiect"
    )
    municipality = case_a.municipality
    news = portal_services.news_item_create(actor=coordinator, municipality=municipality, title="Știre", body="Text")
    rule = portal_services.routing_rule_add(actor=coordinator, municipality=municipality, organisation=org_a)
    survey = portal_services.survey_create(
        actor=coordinator, municipality=municipality, title="Chestionar", intro="", audience="public"
    )
    token, _key = accounts_services.api_token_create(
        actor=caseworker_a, verified=True, name="crawl", scopes=["read"], days=30
    )
    signed_in = Client()
    signed_in.force_login(caseworker_a)
    sessions = list(UserSession.objects.filter(user=caseworker_a).values_list("pk", flat=True)[:1])
    kind = activities_services.activity_kind_save(
        municipality=municipality, code="event", name="Eveniment", category=KindCategory.EVENT
    )
    activity = activities_services.activity_create(
        actor=caseworker_a,
        municipality=municipality,
        data=ActivityInput(kind=kind, title="Ziua vârstnicilor", starts_on=today, organiser=org_a),
    )
    return {
        "activity_id": [activity.pk],
        "item_id": [news.pk],
        "rule_id": [rule.pk],
        "survey_id": [survey.pk],
        "token_id": [token.pk],
        "session_id": sessions,
        "task_id": [task.pk],
        "duty_id": [duty.pk],
        "document_id": [document.pk],
        "job_id": [job.pk],
        "request_id": [help_request.pk],
        "feedback_id": [feedback.pk],
        "consultation_id": [consultation.pk],
        "person_id": [person_a.pk],
        "case_id": [case_a.pk],
        "referral_id": [referral.pk],
        "consent_id": [consent_for_crawl.pk],
        "service_id": [service_a.pk],
        "organisation_id": [org_a.pk],
        "organization_id": [org_a.pk],
        "user_id": [caseworker_a.uuid, caseworker_a.pk],
        "plan_id": [bm_plan.pk],
        "code": list(ReportingPeriod.objects.for_tenant(bm_plan.municipality).values_list("code", flat=True)[:2]),
        "pk": [person_a.pk, case_a.pk],
        "municipality_slug": ["baia-mare"],
        "app_label": ["people", "cases"],
    }


@pytest.fixture
def consent_for_crawl(person_a, caseworker_a):
    from carenet.people.services import consent_record

    return consent_record(
        actor=caseworker_a, person=person_a, purpose="case_management", given_on=datetime.date.today()
    )


def test_no_url_answers_another_provider_municipality_lower_role_or_anonymous_with_data(
    client,
    baia_mare,
    person_a,
    case_a,
    org_a,
    caseworker_a,
    manager_a,
    caseworker_b,
    manager_b,
    coordinator,
    other_tenant_user,
    citizen,
    provider_a_records,
):
    admin = factories.UserFactory(username="root", is_superuser=True, is_staff=True)
    candidates = _candidates(baia_mare, provider_a_records)
    markers = [str(person_a.pk), person_a.last_name, case_a.reference]
    owners = [caseworker_a, manager_a, coordinator, admin]
    attackers = {
        "other municipality": other_tenant_user,
        "anonymous": None,
        "lower role (citizen)": citizen,
        "lower role (A's caseworker)": caseworker_a,
        "other provider (caseworker)": caseworker_b,
        "other provider (manager)": manager_b,
    }
    clients: dict[str, Client] = {}
    for label, user in attackers.items():
        clients[label] = Client()
        if user is not None:
            clients[label].force_login(user)
    owner_clients = []
    for user in owners:
        c = Client()
        c.force_login(user)
        owner_clients.append(c)

    tally: Counter = Counter()
    leaks: list[str] = []
    unfilled: list[str] = []
    for route, name, _pattern in _patterns(get_resolver()):
        if PUBLIC.match(name) or "(?" in route:
            continue
        params = _params(route)
        options = []
        for p in params:
            values = _admin_object(name, baia_mare) if p == "object_id" else candidates.get(p) or STATIC.get(p, [])
            options.append(values[:4])
        if any(not o for o in options):
            unfilled.append(f"{name} {route}")
            continue
        tally["patterns"] += 1
        # 1. a filling the record's own side can open (else the first one)
        url = None
        for combo in itertools.islice(itertools.product(*options), 12):
            candidate = _fill(route, dict(zip(params, combo, strict=True)))
            if any(200 <= c.get(candidate).status_code < 300 for c in owner_clients):
                url = candidate
                tally["opened by their own side"] += 1
                break
        url = url or _fill(route, {p: o[0] for p, o in zip(params, options, strict=True)})
        # 2. those who must be refused
        for label, attacker in clients.items():
            if label.startswith("lower role (A's") and not ADMIN_ONLY.match(name):
                continue
            if label.startswith("other provider") and not PRIVATE.match(name):
                continue
            tally["tries"] += 1
            response = attacker.get(url)
            if not 200 <= response.status_code < 300:
                continue
            body = b"".join(response.streaming_content) if response.streaming else response.content
            # A URL naming one of A's records must not answer at all; any other must not show A's person.
            if any(p == "pk" or p.endswith("_id") for p in params) or any(m.encode() in body for m in markers):
                leaks.append(f"{label}: GET {url} ({name}) answered {response.status_code}")
    tally["leaks"] = len(leaks)
    print(
        f"isolation crawl: {tally['patterns']} URL patterns ({tally['opened by their own side']} opened by their own "
        f"side), {tally['tries']} tries, {tally['leaks']} leaks, {len(unfilled)} patterns with no record to fill"
    )
    print("\n".join(["not filled:", *unfilled]))
    assert not leaks, "\n".join(leaks)
    assert tally["tries"] > 400
