"""Each page of a person's record refuses with one status code (docs/architecture.md §3): an anonymous visitor
302 (to sign in), another provider 404, the other municipality 404, and a role that sees the person but may not
use the page 403.

Whoever sees a person may change it (its own providers, the coordinator), so the 403s are of the two pages
with a narrower rule: special-category data (the person's own providers only) and merging (the coordinator).
"""

import datetime

import pytest

from carenet.people import services
from carenet.people.models import Person

PAGES = {
    "edit": "edit/",
    "special-category": "special-category/",
    "consent": "consents/new/",
    "consent-withdraw": "consents/{consent}/withdraw/",
    "consent-scan": "consents/{consent}/scan/",
    "document": "documents/new/",
    "household": "household/",
    "merge": "merge/",
}


@pytest.fixture
def consent(person_a, caseworker_a):
    return services.consent_record(
        actor=caseworker_a, person=person_a, purpose="referral", given_on=datetime.date.today()
    )


def _url(person, page, consent):
    return f"/people/{person.pk}/" + PAGES[page].format(consent=consent.pk)


@pytest.mark.parametrize("page", list(PAGES))
def test_an_anonymous_visitor_is_sent_to_sign_in(client, person_a, consent, page):
    response = client.get(_url(person_a, page, consent))
    assert response.status_code == 302 and "/account/login/" in response["Location"]


@pytest.mark.parametrize("page", list(PAGES))
def test_another_provider_gets_404(client, caseworker_b, person_a, consent, page):
    client.force_login(caseworker_b)
    assert client.get(_url(person_a, page, consent)).status_code == 404
    assert client.post(_url(person_a, page, consent), {}).status_code == 404


@pytest.mark.parametrize("page", list(PAGES))
def test_the_other_municipality_gets_404(client, other_tenant_user, person_a, consent, page):
    client.force_login(other_tenant_user)
    assert client.get(_url(person_a, page, consent)).status_code == 404
    assert client.post(_url(person_a, page, consent), {}).status_code == 404


def test_the_coordinator_sees_the_person_but_not_the_special_category_page(client, coordinator, person_a, consent):
    client.force_login(coordinator)
    assert client.get(f"/people/{person_a.pk}/").status_code == 200
    assert client.get(_url(person_a, "special-category", consent)).status_code == 403
    assert client.post(_url(person_a, "special-category", consent), {"health_notes": "x"}).status_code == 403


def test_a_caseworker_sees_the_person_but_may_not_merge(client, caseworker_a, person_a, consent, baia_mare, org_a):
    duplicate = Person.objects.create(
        municipality=baia_mare, first_name="Stefan", last_name="Munteanu", registered_by_organisation=org_a
    )
    client.force_login(caseworker_a)
    assert client.get(_url(person_a, "merge", consent)).status_code == 403
    response = client.post(_url(person_a, "merge", consent), {"duplicate": str(duplicate.pk), "reason": "same"})
    assert response.status_code == 403
    duplicate.refresh_from_db()
    assert duplicate.merged_into_id is None


def test_registering_a_person_is_refused_to_a_role_without_a_provider(client, auditor, citizen):
    assert client.get("/people/new/").status_code == 302
    for user in (auditor, citizen):
        client.force_login(user)
        assert client.get("/people/new/").status_code == 403
        assert client.post("/people/new/", {"first_name": "A", "last_name": "B"}).status_code == 403
