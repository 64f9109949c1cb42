"""Who reaches a person's record: own provider yes, another provider 404, another municipality 404."""

from carenet.audit.models import AuditEvent
from carenet.people.models import SensitiveProfile


def test_a_caseworker_sees_the_persons_of_their_own_organisation(client, caseworker_a, person_a, person_b):
    client.force_login(caseworker_a)
    html = client.get("/people/").content.decode()
    assert "Munteanu" in html
    assert "Pop" not in html


def test_a_caseworker_of_provider_b_cannot_list_open_search_or_export_a_person_of_provider_a(
    client, caseworker_b, person_a
):
    client.force_login(caseworker_b)
    link = f"/people/{person_a.pk}/"
    for query in ("", "Munteanu", "1957-03-02", "Stefan"):
        assert link not in client.get(f"/people/?q={query}").content.decode()
        assert str(person_a.pk) not in client.get(f"/people/export.csv?q={query}").getvalue().decode()
    assert client.get(f"/people/{person_a.pk}/").status_code == 404
    assert client.get(f"/people/{person_a.pk}/edit/").status_code == 404


def test_a_balti_user_reaches_nothing_of_baia_mare(client, other_tenant_user, person_a):
    client.force_login(other_tenant_user)
    assert str(person_a.pk) not in client.get("/people/?q=Munteanu").content.decode()
    for url in ("", "edit/", "special-category/", "consents/new/", "merge/"):
        assert client.get(f"/people/{person_a.pk}/{url}").status_code == 404


def test_a_coordinator_sees_the_network_of_their_municipality(client, coordinator, person_a, person_b, balti_person):
    client.force_login(coordinator)
    html = client.get("/people/").content.decode()
    assert "Munteanu" in html and "Pop" in html and "Ciobanu" not in html


def test_every_view_of_a_persons_record_writes_an_audit_event(client, caseworker_a, person_a):
    client.force_login(caseworker_a)
    client.get(f"/people/{person_a.pk}/?purpose=cover")  # not in caseworker_a's caseload: a reason is given
    client.get(f"/people/{person_a.pk}/?purpose=cover")
    events = AuditEvent.objects.filter(action="person.view", object_id=str(person_a.pk))
    assert events.count() == 2
    assert events.first().actor == caseworker_a


def test_special_category_data_is_absent_for_roles_without_need(
    client, caseworker_a, coordinator, caseworker_b, person_a, baia_mare
):
    SensitiveProfile.objects.create(
        municipality=baia_mare,
        person=person_a,
        disability_degree="severe",
        health_notes="DIABETES-SECRET",
        ethnicity="ETHNIC-SECRET",
        violence_history="VIOLENCE-SECRET",
    )
    client.force_login(caseworker_a)
    html = client.get(f"/people/{person_a.pk}/?purpose=cover").content.decode()
    assert "DIABETES-SECRET" in html and "VIOLENCE-SECRET" in html
    client.force_login(coordinator)
    html = client.get(f"/people/{person_a.pk}/").content.decode()
    assert "Munteanu" in html
    for secret in ("DIABETES-SECRET", "ETHNIC-SECRET", "VIOLENCE-SECRET", "Special-category data"):
        assert secret not in html
    assert client.get(f"/people/{person_a.pk}/special-category/").status_code == 403


def test_the_person_list_runs_a_bounded_number_of_queries(
    client, caseworker_a, baia_mare, org_a, django_assert_max_num_queries
):
    from .conftest import make_person

    for i in range(30):
        make_person(baia_mare, org_a, first=f"Ion{i}", last="Pop")
    client.force_login(caseworker_a)
    # 12, plus the response's audit event (issue 26: one event listing the 30 persons) and the read-volume check.
    with django_assert_max_num_queries(18):
        assert client.get("/people/").status_code == 200


def test_a_full_name_is_found_in_any_spelling_and_order(client, caseworker_a, person_a):
    client.force_login(caseworker_a)
    for query in ("Штефан Мунтяну", "Munteanu Stefan", "stefan munteanu", "Munteanu"):
        assert f"/people/{person_a.pk}/" in client.get("/people/", {"q": query}).content.decode()


def test_the_person_page_runs_a_bounded_number_of_queries(
    client, caseworker_a, baia_mare, org_a, org_b, person_a, case_a, django_assert_max_num_queries
):
    """Whatever the size of the household and the number of consents (issue 23): one query per section."""
    import datetime

    from django.db import connection

    from carenet.core.db import citus
    from carenet.people import services
    from carenet.people.models import HouseholdMember

    from .conftest import make_person

    household = services.household_add_member(actor=caseworker_a, person=person_a, role="head").household
    for i in range(6):
        # Members of both providers: the page names only those caseworker_a may open.
        member = make_person(baia_mare, org_a if i % 2 else org_b, first=f"Ion{i}", last="Munteanu")
        HouseholdMember.objects.create(municipality=baia_mare, household=household, person=member, role="child")
        services.consent_record(
            actor=caseworker_a, person=person_a, purpose="case_management", given_on=datetime.date(2026, 1, 1 + i)
        )
    client.force_login(caseworker_a)
    citus.runs_citus(connection)
    # + the audit chain's advisory lock on PostgreSQL, + one more on Citus
    limit = 32 + (connection.vendor == "postgresql") + citus.is_citus(connection)
    with django_assert_max_num_queries(limit):
        assert client.get(f"/people/{person_a.pk}/?purpose=cover").status_code == 200
