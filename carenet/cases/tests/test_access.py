"""A case of provider A is out of reach of provider B and of the other municipality."""

import pytest

from carenet.audit.models import AuditEvent


def test_a_caseworker_sees_their_case_in_their_workspace(client, caseworker_a, case_a):
    client.force_login(caseworker_a)
    html = client.get("/cases/").content.decode()
    assert case_a.reference in html


def test_a_case_of_provider_a_opens_the_person_only_on_a_ground(client, caseworker_a, baia_mare, org_b, org_a):
    """Decision 0013: a case row alone is not a ground; the legal basis it records is."""
    from carenet.cases.models import Case
    from carenet.people.tests.conftest import make_person

    stranger = make_person(baia_mare, org_b, first="Ilona", last="Kovács")
    client.force_login(caseworker_a)
    assert client.get(f"/people/{stranger.pk}/").status_code == 404
    case = Case.objects.create(
        municipality=baia_mare,
        reference="X-1",
        organisation=org_a,
        person=stranger,
        channel="phone",
        opened_on="2025-01-01",
    )
    assert client.get(f"/people/{stranger.pk}/").status_code == 404
    Case.objects.for_tenant(baia_mare).filter(pk=case.pk).update(legal_basis="Legea 292/2011, art. 41")
    assert client.get(f"/people/{stranger.pk}/").status_code == 200


@pytest.mark.parametrize(
    "path",
    ["", "step/note/", "step/inquiry/", "step/decision/", "step/document/", "step/delivery/"],
)
def test_a_caseworker_of_provider_b_cannot_open_or_guess_a_case_of_provider_a(client, caseworker_b, case_a, path):
    client.force_login(caseworker_b)
    assert client.get(f"/cases/{case_a.pk}/{path}").status_code == 404


def test_a_caseworker_of_provider_b_cannot_list_or_search_a_case_of_provider_a(client, caseworker_b, case_a):
    client.force_login(caseworker_b)
    for url in ("/cases/", "/cases/all/", "/cases/all/?q=Munteanu&status=all", f"/cases/all/?q={case_a.reference}"):
        assert f"/cases/{case_a.pk}/" not in client.get(url).content.decode()
    assert client.get(f"/people/{case_a.person_id}/").status_code == 404
    export = client.get("/cases/all/export.csv?status=all").getvalue().decode()
    assert case_a.reference not in export and "Munteanu" not in export


def test_the_case_export_lists_the_own_cases_and_is_audited(client, caseworker_a, case_a):
    client.force_login(caseworker_a)
    assert case_a.reference in client.get("/cases/all/export.csv?status=all").getvalue().decode()
    # The export path names the table and the format, and lists the persons whose data left.
    event = AuditEvent.objects.get(action="export", object_type="cases.case.csv")
    assert event.changes["subject_ids"] == [str(case_a.person_id)]


def test_a_balti_user_reaches_no_case_of_baia_mare(client, other_tenant_user, case_a):
    client.force_login(other_tenant_user)
    assert client.get(f"/cases/{case_a.pk}/").status_code == 404
    assert f"/cases/{case_a.pk}/" not in client.get("/cases/all/?status=all").content.decode()
    assert client.post(f"/cases/{case_a.pk}/step/note/", {"text": "x"}).status_code == 404


def test_a_coordinator_sees_the_case_but_not_the_case_file(client, coordinator, caseworker_a, case_a):
    from carenet.cases import services

    services.note_add(actor=caseworker_a, case=case_a, text="NOTE-SECRET")
    client.force_login(coordinator)
    response = client.get(f"/cases/{case_a.pk}/")
    assert response.status_code == 200
    assert "NOTE-SECRET" not in response.content.decode()
    assert client.get(f"/cases/{case_a.pk}/step/note/").status_code == 403


def test_viewing_a_case_is_audited(client, caseworker_a, case_a):
    client.force_login(caseworker_a)
    client.get(f"/cases/{case_a.pk}/")
    assert AuditEvent.objects.filter(action="case.view", object_id=str(case_a.pk), actor=caseworker_a).exists()


def test_the_workspace_runs_a_bounded_number_of_queries(
    client, caseworker_a, person_a, org_a, django_assert_max_num_queries
):
    from carenet.cases import services

    for i in range(25):
        case = services.case_open(actor=caseworker_a, person=person_a, organisation=org_a, channel="phone")
        services.task_add(actor=caseworker_a, case=case, title=f"t{i}", due_on=case.opened_on)
    from django.db import connection

    from carenet.core.db import citus

    client.force_login(caseworker_a)
    citus.runs_citus(connection)  # asked once per process (whichever request comes first), not per page
    # On Citus the navigation badge is a count of its own (carenet/accounts/backends.py): one more. The
    # housing entry of the navigation asks whether one of the user's organisations runs a residence: one.
    # The list's read is audited: on PostgreSQL the audit chain's advisory lock is a statement of its own (on
    # SQLite the lock is the write transaction itself, a savepoint inside the test's transaction): one more.
    limit = 16 + (connection.vendor == "postgresql") + citus.is_citus(connection)
    with django_assert_max_num_queries(limit):
        assert client.get("/cases/").status_code == 200
    with django_assert_max_num_queries(limit):
        assert client.get("/cases/all/").status_code == 200


def test_the_workspace_shows_the_newest_cases_and_links_to_all_of_mine(
    client, caseworker_a, manager_a, person_a, org_a
):
    from carenet.cases import services

    for _ in range(51):
        services.case_open(actor=caseworker_a, person=person_a, organisation=org_a, channel="phone")
    services.case_open(actor=manager_a, person=person_a, organisation=org_a, channel="phone")
    client.force_login(caseworker_a)
    html = client.get("/cases/").content.decode()
    assert html.count("/cases/") and "?mine=1" in html
    listed = client.get("/cases/all/?mine=1&status=open").content.decode()
    assert listed.count('data-label="Reference"') == 51


def test_cases_without_a_caseworker_are_listed_and_shown(client, coordinator, caseworker_a, case_a):
    from carenet.cases.models import Case

    Case.objects.for_tenant(case_a.municipality_id).filter(pk=case_a.pk).update(caseworker=None)
    client.force_login(coordinator)
    assert client.get("/cases/all/").status_code == 200
    assert client.get(f"/cases/{case_a.pk}/").status_code == 200


def _case_file_of(case, actor, service, n):
    """``n`` of each row the case page lists: notes, tasks, deliveries, plan actions, monitoring duties."""
    import datetime

    from carenet.cases import services
    from carenet.cases.models import Case, CaseStatus

    Case.objects.for_tenant(case.municipality_id).filter(pk=case.pk).update(status=CaseStatus.ACTIVE)
    case.refresh_from_db()
    plan = services.plan_create(actor=actor, case=case, goals="Goals")
    for i in range(n):
        services.note_add(actor=actor, case=case, text=f"note {i}")
        services.task_add(actor=actor, case=case, title=f"task {i}", due_on=case.opened_on)
        services.delivery_record(
            actor=actor, person=case.person, service=service, delivered_on=case.opened_on, case=case
        )
        services.plan_action_add(actor=actor, plan=plan, action=f"action {i}", responsible="Ana", due_on=case.opened_on)
        services.duty_add(
            actor=actor,
            case=case,
            kind="plan_follow_up",
            starts_on=case.opened_on + datetime.timedelta(days=i),
            interval_weeks=4,
        )


@pytest.mark.parametrize("rows", [1, 8])
def test_the_case_page_runs_a_bounded_number_of_queries(
    client, caseworker_a, case_a, service_a, rows, django_assert_max_num_queries
):
    from django.db import connection

    from carenet.core.db import citus

    _case_file_of(case_a, caseworker_a, service_a, rows)
    client.force_login(caseworker_a)
    citus.runs_citus(connection)
    # The case, its audit event, one query per section of the case file whatever its length (issue 23: the
    # page no longer asks again whether the case has an inquiry or a plan, nor reads its municipality).
    # + the audit chain's advisory lock on PostgreSQL, + one more on Citus
    limit = 25 + (connection.vendor == "postgresql") + citus.is_citus(connection)
    with django_assert_max_num_queries(limit):
        assert client.get(f"/cases/{case_a.pk}/").status_code == 200
