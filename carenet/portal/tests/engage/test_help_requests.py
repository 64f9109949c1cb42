"""Requests for help: sending, routing, tracking, triage, isolation, bad input, spam protection."""

import pytest
from django.utils import timezone

from carenet.audit.models import AuditEvent
from carenet.core.roles import Role
from carenet.portal import codes, services
from carenet.portal.models import HelpRequest, HelpStatus, RoutingRule
from carenet.portal.routing import route
from carenet.portal.selectors import help_response_hours
from carenet.portal.tests.engage.conftest import help_data
from conftest import make_org, make_user

URL = "/baia-mare/help/"


def _only(municipality):
    return HelpRequest.objects.for_tenant(municipality).get()


def _submit(client, **overrides):
    return client.post(URL, help_data(**overrides))


def test_a_citizen_sends_a_request_without_an_account_and_gets_a_tracking_code(client, baia_mare, routing, org_a):
    response = _submit(client)
    assert response.status_code == 302
    item = _only(baia_mare)
    assert codes.is_well_formed(item.tracking_code, codes.TRACKING_LENGTH)
    assert item.status == HelpStatus.RECEIVED and item.consent_at is not None
    assert item.routed_organisation == org_a
    page = client.get(response["Location"]).content.decode()
    assert item.display_code in page
    assert AuditEvent.objects.filter(action="help_request.submit", object_id=str(item.pk)).exists()


def test_routing_prefers_need_and_area_then_need_then_area_then_default(
    baia_mare, org_a, org_b, coordinator_org, ferneziu
):
    default = RoutingRule.objects.create(municipality=baia_mare, need="", organisation=coordinator_org)
    RoutingRule.objects.create(municipality=baia_mare, need="child", organisation=org_a)
    RoutingRule.objects.create(municipality=baia_mare, area=ferneziu, organisation=org_b)
    special = make_org(baia_mare, "special", "Echipa mobilă Ferneziu")
    RoutingRule.objects.create(municipality=baia_mare, need="child", area=ferneziu, organisation=special)
    assert route(municipality=baia_mare, need="child", area_id=ferneziu.pk) == special.pk
    assert route(municipality=baia_mare, need="child", area_id=None) == org_a.pk
    assert route(municipality=baia_mare, need="food", area_id=ferneziu.pk) == org_b.pk
    assert route(municipality=baia_mare, need="food", area_id=None) == default.organisation_id


def test_without_any_routing_rule_the_request_waits_for_the_coordinator(client, baia_mare, coordinator):
    _submit(client)
    item = _only(baia_mare)
    assert item.routed_organisation is None
    client.force_login(coordinator)
    assert item.display_code in client.get("/portal/help/").content.decode()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"help_for": None}, "help_for"),
        ({"need": "weapons"}, "need"),
        ({"contact_name": ""}, "contact_name"),
        ({"contact_name": "x" * 121}, "contact_name"),
        ({"contact_name": "<script>alert(1)</script>"}, "contact_name"),
        ({"description": "<img src=x onerror=alert(1)>"}, "description"),
        ({"description": "y" * 2001}, "description"),
        ({"contact_phone": ""}, "contact_phone"),
        ({"contact_phone": "call me maybe"}, "contact_phone"),
        ({"contact_method": "email", "contact_email": "not-an-address"}, "contact_email"),
        ({"area_text": ""}, "area_text"),
        ({"consent": None}, "consent"),
    ],
)
def test_bad_input_gives_a_clear_message_and_saves_nothing(client, baia_mare, overrides, field):
    response = _submit(client, **overrides)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="error-summary"' in html and f'href="#id_{field}"' in html
    assert "<script>alert(1)</script>" not in html
    assert not HelpRequest.objects.for_tenant(baia_mare).exists()


def test_an_area_of_another_municipality_is_refused(client, baia_mare, balti_area):
    response = _submit(client, area=str(balti_area.pk), area_text="")
    assert response.status_code == 400
    assert not HelpRequest.objects.for_tenant(baia_mare).exists()


def test_the_honeypot_and_the_time_trap_refuse_bots(client, baia_mare, settings):
    assert _submit(client, website="http://spam.example").status_code == 400
    assert _submit(client, form_started="forged").status_code == 400
    settings.CARENET_PORTAL_MIN_FORM_SECONDS = 3
    response = _submit(client)  # sent back at once
    assert response.status_code == 400
    assert "too quickly" in response.content.decode()
    assert not HelpRequest.objects.for_tenant(baia_mare).exists()


def test_one_address_sending_100_requests_in_a_minute_is_refused_after_the_limit(client, baia_mare, routing):
    statuses = [client.post(URL, help_data(), REMOTE_ADDR="203.0.113.9").status_code for _ in range(100)]
    assert statuses[:10] == [302] * 10
    assert statuses[10:] == [429] * 90
    assert HelpRequest.objects.for_tenant(baia_mare).count() == 10
    refused = client.post(URL, help_data(), REMOTE_ADDR="203.0.113.9")
    assert refused["Retry-After"] == "60" and "Too many attempts" in refused.content.decode()
    # another address is not affected
    assert client.post(URL, help_data(), REMOTE_ADDR="203.0.113.10").status_code == 302


def test_tracking_shows_the_status_and_nothing_internal(client, baia_mare, routing, caseworker_a):
    _submit(client, description="Detalii private despre familie")
    item = _only(baia_mare)
    client.logout()
    html = client.post("/baia-mare/help/track/", {"code": item.display_code.lower()}).content.decode()
    assert "Received" in html
    for internal in ("Detalii private", "0740 123 456", "Maria", str(item.routed_organisation)):
        assert internal not in html


@pytest.mark.parametrize(
    ("code", "status"), [("", 400), ("ZZZ-ZZZ-ZZZ", 404), ("short", 404), ("<script>x</script>", 404)]
)
def test_a_wrong_tracking_code_gives_a_clear_message(client, baia_mare, code, status):
    response = client.post("/baia-mare/help/track/", {"code": code})
    assert response.status_code == status  # no code: 400; a code that finds nothing: 404
    assert 'id="error-summary"' in response.content.decode()


def test_a_tracking_code_of_another_municipality_finds_nothing(client, baia_mare, balti, routing):
    _submit(client)
    item = _only(baia_mare)
    assert client.post("/balti/help/track/", {"code": item.tracking_code}).status_code == 404


def test_a_caseworker_marks_first_contact_and_changes_status(client, baia_mare, routing, caseworker_a, service_a):
    _submit(client)
    item = _only(baia_mare)
    client.force_login(caseworker_a)
    assert item.display_code in client.get("/portal/help/").content.decode()
    assert client.get(f"/portal/help/{item.pk}/").status_code == 200
    client.post(f"/portal/help/{item.pk}/first-contact/")
    item.refresh_from_db()
    assert item.first_contact_at is not None and item.status == HelpStatus.ASSESSING
    client.post(f"/portal/help/{item.pk}/status/", {"status": "directed", "service": str(service_a.pk)})
    item.refresh_from_db()
    assert item.status == HelpStatus.DIRECTED and item.directed_service == service_a
    client.logout()
    html = client.post("/baia-mare/help/track/", {"code": item.tracking_code}).content.decode()
    assert "Directed to a service" in html and service_a.name in html
    assert "/baia-mare/feedback/code/" in html


def test_the_response_time_kpi_measures_request_to_first_contact(baia_mare, routing, caseworker_a, org_a):
    for _ in range(3):
        services.help_request_submit(
            municipality=baia_mare,
            help_for="self",
            need="child",
            contact_name="A",
            contact_method="visit",
            consent=True,
            area_text="x",
        )
    items = list(HelpRequest.objects.for_tenant(baia_mare))
    for hours, item in zip((2, 10), items[:2], strict=False):
        HelpRequest.objects.for_tenant(baia_mare).filter(pk=item.pk).update(
            first_contact_at=item.created_at + timezone.timedelta(hours=hours)
        )
    kpi = help_response_hours(municipality=baia_mare, start=None, end=None, organisation_ids={org_a.pk})
    assert (kpi.requests, kpi.contacted, kpi.median_hours, kpi.within_48h_percent) == (3, 2, 6.0, 100.0)


def test_a_caseworker_of_another_provider_cannot_see_a_request_routed_elsewhere(
    client, baia_mare, routing, caseworker_b
):
    _submit(client)
    item = _only(baia_mare)
    client.force_login(caseworker_b)
    assert item.display_code not in client.get("/portal/help/").content.decode()
    assert client.get(f"/portal/help/{item.pk}/").status_code == 404
    assert client.post(f"/portal/help/{item.pk}/first-contact/").status_code == 404
    assert client.post(f"/portal/help/{item.pk}/status/", {"status": "closed"}).status_code == 404
    item.refresh_from_db()
    assert item.status == HelpStatus.RECEIVED


def test_a_balti_coordinator_gets_404_for_a_baia_mare_request(client, baia_mare, routing, other_tenant_user):
    _submit(client)
    item = _only(baia_mare)
    client.force_login(other_tenant_user)
    assert client.get(f"/portal/help/{item.pk}/").status_code == 404
    assert (
        client.post(f"/portal/help/{item.pk}/route/", {"organisation": str(item.routed_organisation_id)}).status_code
        == 404
    )
    assert item.display_code not in client.get("/portal/help/").content.decode()


def test_a_coordinator_reroutes_and_a_caseworker_cannot(client, baia_mare, routing, coordinator, caseworker_a, org_b):
    _submit(client)
    item = _only(baia_mare)
    client.force_login(caseworker_a)
    assert client.post(f"/portal/help/{item.pk}/route/", {"organisation": str(org_b.pk)}).status_code == 403
    client.force_login(coordinator)
    client.post(f"/portal/help/{item.pk}/route/", {"organisation": str(org_b.pk)})
    item.refresh_from_db()
    assert item.routed_organisation == org_b
    assert AuditEvent.objects.filter(action="help_request.reroute").exists()


def test_a_citizen_account_cannot_open_the_triage_queue(client, citizen):
    client.force_login(citizen)
    assert client.get("/portal/help/").status_code == 403


def test_the_queue_counts_its_queries(client, baia_mare, routing, coordinator, django_assert_max_num_queries):
    for _ in range(15):
        _submit(client)
    client.force_login(coordinator)
    with django_assert_max_num_queries(12):
        assert client.get("/portal/help/").status_code == 200


def test_stored_text_is_escaped_on_the_staff_page(client, baia_mare, routing, caseworker_a):
    _submit(client, description='Tom & Jerry say "5 > 3"')
    item = _only(baia_mare)
    client.force_login(caseworker_a)
    html = client.get(f"/portal/help/{item.pk}/").content.decode()
    assert "Tom &amp; Jerry say &quot;5 &gt; 3&quot;" in html


def test_the_intake_payload_is_ready_for_a_case(baia_mare, routing, org_a):
    item = services.help_request_submit(
        municipality=baia_mare,
        help_for="self",
        need="child",
        contact_name="A",
        contact_method="visit",
        consent=True,
        area_text="x",
    )
    payload = services.help_request_intake_payload(help_request=item)
    assert payload["organisation_id"] == org_a.pk and payload["source_id"] == str(item.pk)


def test_a_manager_of_another_municipality_role_does_not_leak(baia_mare, balti, balti_org):
    other = make_user("balti_cw", balti, balti_org, Role.CASEWORKER)
    from carenet.portal.permissions import help_requests_visible_to

    assert list(help_requests_visible_to(other)) == []


def test_the_coordinator_keeps_the_routing_table(client, baia_mare, coordinator, org_a, ferneziu):
    client.force_login(coordinator)
    assert (
        client.post(
            "/portal/help/routing/add/",
            {"need": "weapons", "organisation": str(org_a.pk), "priority": "1"},
        ).status_code
        == 400
    )
    client.post(
        "/portal/help/routing/add/",
        {"need": "food", "area": str(ferneziu.pk), "organisation": str(org_a.pk), "priority": "10"},
    )
    rule = RoutingRule.objects.for_tenant(baia_mare).get()
    assert route(municipality=baia_mare, need="food", area_id=ferneziu.pk) == org_a.pk
    assert "Ferneziu" in client.get("/portal/help/routing/").content.decode()
    client.post(f"/portal/help/routing/{rule.pk}/delete/")
    assert not RoutingRule.objects.for_tenant(baia_mare).exists()


def test_only_the_coordinator_of_the_municipality_edits_routing(
    client, baia_mare, routing, caseworker_a, other_tenant_user
):
    rule = RoutingRule.objects.for_tenant(baia_mare).first()
    client.force_login(caseworker_a)
    assert client.get("/portal/help/routing/").status_code == 403
    client.force_login(other_tenant_user)
    assert client.post(f"/portal/help/routing/{rule.pk}/delete/").status_code == 404
    assert RoutingRule.objects.for_tenant(baia_mare).count() == 3


def test_the_queue_shows_requests_not_yet_contacted_first(baia_mare, routing, caseworker_a):
    from carenet.portal.selectors import help_queue

    first = services.help_request_submit(
        municipality=baia_mare,
        help_for="self",
        need="child",
        contact_name="A",
        contact_method="visit",
        consent=True,
        area_text="x",
    )
    second = services.help_request_submit(
        municipality=baia_mare,
        help_for="self",
        need="child",
        contact_name="B",
        contact_method="visit",
        consent=True,
        area_text="x",
    )
    services.help_request_mark_first_contact(actor=caseworker_a, help_request=first)
    assert [r.pk for r in help_queue(user=caseworker_a)] == [second.pk, first.pk]


def test_the_routed_organisation_is_told_by_mail_without_personal_data(
    client, baia_mare, routing, org_a, mailoutbox, django_capture_on_commit_callbacks
):
    org_a.email = "copil@das.test"
    org_a.save()
    with django_capture_on_commit_callbacks(execute=True):
        _submit(client, contact_name="Maria Secretă", description="Detalii private")
    item = _only(baia_mare)
    assert [m.to for m in mailoutbox] == [["copil@das.test"]]
    body = mailoutbox[0].body
    assert item.display_code in body and "Maria" not in body and "Detalii" not in body


def test_a_person_with_an_account_sees_their_own_requests_only(client, baia_mare, routing, citizen):
    _submit(client)  # anonymous
    client.force_login(citizen)
    _submit(client, contact_name="Ion")
    mine = HelpRequest.objects.for_tenant(baia_mare).get(submitted_by=citizen)
    html = client.get("/baia-mare/help/mine/").content.decode()
    assert mine.display_code in html
    other = HelpRequest.objects.for_tenant(baia_mare).exclude(pk=mine.pk).get()
    assert other.display_code not in html
    client.logout()
    assert client.get("/baia-mare/help/mine/").status_code == 302


def test_an_invalid_input_points_to_its_error_message(client, baia_mare):
    html = _submit(client, contact_name="").content.decode()
    assert 'aria-describedby="id_contact_name-error id_contact_name_helptext"' in html
    assert 'id="id_contact_name-error"' in html


def test_contact_details_are_erased_after_the_retention_period(baia_mare, routing, caseworker_a, settings):
    from carenet.portal.tasks import anonymise_expired_help_requests

    settings.CARENET_PORTAL_HELP_RETENTION_DAYS = 30
    old = services.help_request_submit(
        municipality=baia_mare,
        help_for="self",
        need="child",
        contact_name="Ana",
        contact_method="phone",
        contact_phone="0740 000 000",
        consent=True,
        area_text="Strada Mare",
        description="Detalii",
    )
    recent = services.help_request_submit(
        municipality=baia_mare,
        help_for="self",
        need="child",
        contact_name="Ion",
        contact_method="visit",
        consent=True,
        area_text="x",
    )
    for item in (old, recent):
        services.help_request_set_status(actor=caseworker_a, help_request=item, status="closed")
    HelpRequest.objects.for_tenant(baia_mare).filter(pk=old.pk).update(
        status_changed_at=timezone.now() - timezone.timedelta(days=31)
    )
    assert anonymise_expired_help_requests.call() == 1
    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.contact_name, old.contact_phone, old.description, old.area_text) == ("", "", "", "")
    assert old.need == "child" and old.anonymised_at is not None
    assert recent.contact_name == "Ion"
    assert AuditEvent.objects.filter(action="help_request.anonymise").exists()
