"""Every staff page and staff action of the portal refuses with its one status code (docs/architecture.md §3):

* an anonymous visitor is sent to the login page (302);
* a user of the other municipality never learns that a Baia Mare record exists (404);
* a user of another provider never learns that a record of provider A exists (404) — unless the feature
  belongs to the coordinator alone, where a provider is simply a lower role and the role check answers (403);
* a lower role gets 403: someone who sees the record but may not do this to it, or lacks the page's role.
"""

from types import SimpleNamespace

import pytest
from django.conf import settings
from django.shortcuts import resolve_url

from carenet.audit.models import AuditEvent
from carenet.core.roles import Role
from carenet.portal import services
from carenet.portal.models import RoutingRule
from conftest import make_user


@pytest.fixture
def records(baia_mare, routing, coordinator, caseworker_a, manager_a, org_a, service_a):
    """One Baia Mare record of every kind a staff page shows, those of a provider belonging to provider A."""
    help_request = services.help_request_submit(
        municipality=baia_mare,
        help_for="self",
        need="child",  # routed to provider A
        contact_name="Ana",
        contact_method="visit",
        consent=True,
        area_text="Strada Mare",
    )
    feedback = services.feedback_submit(
        invite=services.feedback_invite_create(actor=caseworker_a, service=service_a),
        rating=3,
        went_well=[],
        went_badly=[],
    )
    consultation = services.consultation_create(
        actor=coordinator, municipality=baia_mare, title="Strategia", summary="Proiect"
    )
    return SimpleNamespace(
        request=help_request.pk,
        feedback=feedback.pk,
        news=services.news_item_create(
            actor=manager_a, municipality=baia_mare, organisation=org_a, title="Anunț", body="Text"
        ).pk,
        rule=RoutingRule.objects.for_tenant(baia_mare).get(need="child").pk,
        survey=services.survey_create(
            actor=coordinator, municipality=baia_mare, title="Sondaj", intro="", audience="public"
        ).pk,
        consultation=consultation.pk,
        comment=services.consultation_comment_add(consultation=consultation, text="Comentariu").pk,
        idea=services.idea_add(consultation=consultation, title="Idee", text="Text").pk,
    )


@pytest.fixture
def auditor_bm(baia_mare, coordinator_org):
    """A Baia Mare auditor: signed in, in the municipality, but with no role on the portal's staff pages."""
    return make_user("auditor_bm", baia_mare, coordinator_org, Role.AUDITOR)


# (method, path, the lower role refused with 403, the user of another provider, that user's one status)
RECORD_PAGES = [
    # requests for help routed to provider A
    ("get", "/portal/help/{request}/", "auditor_bm", "caseworker_b", 404),
    ("post", "/portal/help/{request}/first-contact/", "auditor_bm", "caseworker_b", 404),
    ("post", "/portal/help/{request}/status/", "auditor_bm", "caseworker_b", 404),
    ("post", "/portal/help/{request}/route/", "caseworker_a", "caseworker_b", 404),  # sees it, may not route
    # announcements of provider A
    ("post", "/portal/help/news/{news}/withdraw/", "caseworker_a", "manager_b", 404),
    # feedback on a service of provider A
    ("get", "/portal/engage/feedback/{feedback}/", "auditor_bm", "caseworker_b", 404),
    ("post", "/portal/engage/feedback/{feedback}/reply/", "auditor_bm", "caseworker_b", 404),
    # the coordinator's own records: a provider is a lower role here
    ("post", "/portal/help/routing/{rule}/delete/", "caseworker_a", "manager_b", 403),
    ("get", "/portal/engage/surveys/{survey}/", "manager_a", "manager_b", 403),
    ("post", "/portal/engage/surveys/{survey}/questions/new/", "manager_a", "manager_b", 403),
    ("post", "/portal/engage/surveys/{survey}/open/", "manager_a", "manager_b", 403),
    ("post", "/portal/engage/surveys/{survey}/close/", "manager_a", "manager_b", 403),
    ("post", "/portal/engage/surveys/{survey}/links/new/", "manager_a", "manager_b", 403),
    ("get", "/portal/engage/surveys/{survey}/export.csv", "manager_a", "manager_b", 403),
    ("get", "/portal/engage/consultations/{consultation}/", "manager_a", "manager_b", 403),
    ("post", "/portal/engage/consultations/{consultation}/documents/new/", "manager_a", "manager_b", 403),
    ("post", "/portal/engage/consultations/{consultation}/answer/", "manager_a", "manager_b", 403),
    ("post", "/portal/engage/consultations/{consultation}/close/", "manager_a", "manager_b", 403),
    ("post", "/portal/engage/consultations/{consultation}/sessions/new/", "manager_a", "manager_b", 403),
    ("post", "/portal/engage/consultations/{consultation}/comments/{comment}/hide/", "manager_a", "manager_b", 403),
    ("post", "/portal/engage/consultations/{consultation}/ideas/{idea}/hide/", "manager_a", "manager_b", 403),
    ("post", "/portal/engage/consultations/{consultation}/comments/{comment}/approve/", "manager_a", "manager_b", 403),
    ("post", "/portal/engage/consultations/{consultation}/comments/{comment}/reject/", "manager_a", "manager_b", 403),
    ("post", "/portal/engage/consultations/{consultation}/ideas/{idea}/approve/", "manager_a", "manager_b", 403),
    ("post", "/portal/engage/consultations/{consultation}/ideas/{idea}/reject/", "manager_a", "manager_b", 403),
]

# Pages and actions with no record: (method, path, the lower role refused with 403)
ROLE_PAGES = [
    ("get", "/portal/help/", "auditor_bm"),
    ("get", "/portal/help/routing/", "caseworker_a"),
    ("post", "/portal/help/routing/add/", "caseworker_a"),
    ("get", "/portal/help/news/", "caseworker_a"),
    ("post", "/portal/help/news/new/", "caseworker_a"),
    ("get", "/portal/engage/", "manager_a"),
    ("post", "/portal/engage/surveys/new/", "manager_a"),
    ("post", "/portal/engage/consultations/new/", "manager_a"),
    ("get", "/portal/engage/consultations/moderation/", "caseworker_a"),
    ("get", "/portal/engage/consultations/rules/", "caseworker_a"),
    ("post", "/portal/engage/consultations/rules/", "caseworker_a"),
    ("get", "/portal/engage/feedback/", "auditor_bm"),
    ("post", "/portal/engage/feedback/codes/new/", "auditor_bm"),
]

VALID_DATA = {"reason": "Publicitate", "reply": "Răspuns", "status": "closed", "answer": "Răspuns", "title": "T"}


def _ask(client, method, path, records):
    url = path.format(**vars(records))
    return getattr(client, method)(url, VALID_DATA) if method == "post" else client.get(url)


def _nothing_written(before):
    return AuditEvent.objects.count() == before


@pytest.mark.parametrize(("method", "path", "lower", "provider", "provider_status"), RECORD_PAGES)
def test_an_anonymous_visitor_is_sent_to_the_login_page(
    client, records, method, path, lower, provider, provider_status
):
    response = _ask(client, method, path, records)
    assert response.status_code == 302
    assert response["Location"].startswith(resolve_url(settings.LOGIN_URL) + "?next=")


@pytest.mark.parametrize(("method", "path", "lower", "provider", "provider_status"), RECORD_PAGES)
def test_a_user_of_the_other_municipality_gets_404(
    client, records, other_tenant_user, method, path, lower, provider, provider_status
):
    client.force_login(other_tenant_user)
    before = AuditEvent.objects.count()
    assert _ask(client, method, path, records).status_code == 404
    assert _nothing_written(before)


@pytest.mark.parametrize(("method", "path", "lower", "provider", "provider_status"), RECORD_PAGES)
def test_a_user_of_another_provider_gets_its_one_status(
    client, request, records, method, path, lower, provider, provider_status
):
    client.force_login(request.getfixturevalue(provider))
    before = AuditEvent.objects.count()
    assert _ask(client, method, path, records).status_code == provider_status
    assert _nothing_written(before)


@pytest.mark.parametrize(("method", "path", "lower", "provider", "provider_status"), RECORD_PAGES)
def test_a_lower_role_gets_403(client, request, records, method, path, lower, provider, provider_status):
    client.force_login(request.getfixturevalue(lower))
    before = AuditEvent.objects.count()
    assert _ask(client, method, path, records).status_code == 403
    assert _nothing_written(before)


@pytest.mark.parametrize(("method", "path", "lower"), ROLE_PAGES)
def test_a_page_with_no_record_sends_an_anonymous_visitor_to_the_login_page(client, records, method, path, lower):
    response = _ask(client, method, path, records)
    assert response.status_code == 302
    assert response["Location"].startswith(resolve_url(settings.LOGIN_URL) + "?next=")


@pytest.mark.parametrize(("method", "path", "lower"), ROLE_PAGES)
def test_a_page_with_no_record_refuses_a_lower_role_with_403(client, request, records, method, path, lower):
    client.force_login(request.getfixturevalue(lower))
    before = AuditEvent.objects.count()
    assert _ask(client, method, path, records).status_code == 403
    assert _nothing_written(before)


@pytest.mark.parametrize(("method", "path", "lower"), ROLE_PAGES)
def test_a_citizen_account_gets_403_on_every_staff_page(client, records, citizen, method, path, lower):
    client.force_login(citizen)
    assert _ask(client, method, path, records).status_code == 403


@pytest.mark.parametrize(
    "path",
    [
        "/portal/help/",
        "/portal/help/routing/",
        "/portal/help/news/",
        "/portal/engage/",
        "/portal/engage/feedback/",
        "/portal/engage/consultations/moderation/",
        "/portal/engage/consultations/rules/",
    ],
)
def test_the_other_municipalitys_coordinator_sees_none_of_baia_mares_records(client, records, other_tenant_user, path):
    client.force_login(other_tenant_user)
    response = client.get(path)
    assert response.status_code == 200
    body = response.content.decode()
    for baia_mare_only in ("Anunț", "Sondaj", "Strategia", "Serviciul social", "Centrul de zi"):
        assert baia_mare_only not in body, baia_mare_only


@pytest.mark.parametrize(("path", "hidden"), [("/portal/help/", "Ana"), ("/portal/engage/feedback/", "Centrul de zi")])
def test_another_provider_sees_none_of_provider_as_records(client, baia_mare, records, manager_b, path, hidden):
    from carenet.portal.models import HelpRequest

    client.force_login(manager_b)
    body = client.get(path).content.decode()
    assert HelpRequest.objects.for_tenant(baia_mare).get(pk=records.request).display_code not in body
    assert hidden not in body


@pytest.mark.parametrize(("method", "path", "lower", "provider", "provider_status"), RECORD_PAGES)
def test_a_staff_action_takes_only_its_method(
    client, records, coordinator, method, path, lower, provider, provider_status
):
    """A page answers GET only, an action POST only (405 for the other)."""
    client.force_login(coordinator)
    other = "get" if method == "post" else "post"
    assert _ask(client, other, path, records).status_code == 405
