"""A request for help taken up in one step: the person (found by the duplicate check, or registered now) and
a case that keeps the request's text and tracking code; the citizen's tracking page names who took it up."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from carenet.cases.models import Case
from carenet.people.models import Person
from carenet.portal import services
from carenet.portal.models import HelpRequest, HelpStatus
from carenet.testing.refusals import FORBIDDEN, NOT_FOUND, assert_login_required, assert_refused


@pytest.fixture
def help_request(baia_mare, routing):
    return services.help_request_submit(
        municipality=baia_mare,
        help_for="other",
        need="child",  # routed to provider A
        contact_name="Maria Ardelean",
        contact_method="phone",
        contact_phone="0744123456",
        consent=True,
        description="Copilul meu nu mai merge la școală de o lună.",
    )


def _url(item):
    return reverse("portal_help:take_up", args=[item.pk])


def _post(org, **extra):
    data = {
        "organisation": str(org.pk),
        "person": "new",
        "first_name": "Maria",
        "last_name": "Ardelean",
        "sex": "F",
        "phone": "0744123456",
    }
    data.update(extra)
    return data


@pytest.mark.django_db
def test_a_caseworker_turns_the_request_into_a_person_and_a_case_in_one_step(
    client, caseworker_a, help_request, org_a, baia_mare
):
    client.force_login(caseworker_a)
    assert client.get(_url(help_request)).status_code == 200
    response = client.post(_url(help_request), _post(org_a))
    assert response.status_code == 302
    help_request.refresh_from_db()
    case = Case.objects.for_tenant(baia_mare).get(pk=help_request.case_id)
    assert response["Location"] == reverse("cases:detail", args=[case.pk])
    assert case.channel == "portal"
    assert case.organisation_id == org_a.pk
    assert "Copilul meu nu mai merge la școală" in case.request_summary
    assert help_request.tracking_code in case.request_summary
    assert case.person.full_name == "Maria Ardelean"
    assert help_request.taken_up_by_id == org_a.pk
    assert help_request.status == HelpStatus.ASSESSING
    assert help_request.first_contact_at is not None


@pytest.mark.django_db
def test_the_tracking_page_names_the_provider_that_took_it_up(client, caseworker_a, help_request, org_a):
    services.help_request_take_up(
        actor=caseworker_a,
        help_request=help_request,
        organisation=org_a,
        person_fields={"first_name": "Maria", "last_name": "Ardelean"},
    )
    html = client.post(
        "/baia-mare/help/track/", {"code": help_request.display_code}, HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "Your request was taken up by:" in html
    assert org_a.name in html


@pytest.mark.django_db
def test_the_duplicate_check_offers_the_person_already_registered(client, caseworker_a, help_request, org_a, baia_mare):
    from carenet.testing.factories import make_person

    known = make_person(baia_mare, org_a, first="Maria", last="Ardelean", born=datetime.date(1985, 6, 1), sex="F")
    client.force_login(caseworker_a)
    # With the date of birth the caseworker learns on the phone, the registered person is offered; registering
    # a new one anyway would need a reason.
    html = client.post(_url(help_request), _post(org_a, birth_date="1985-06-01")).content.decode()
    assert f'value="{known.pk}"' in html
    assert "Say why this is not the person already registered." in html
    response = client.post(_url(help_request), _post(org_a, person=str(known.pk), birth_date="1985-06-01"))
    assert response.status_code == 302
    help_request.refresh_from_db()
    assert Case.objects.for_tenant(baia_mare).get(pk=help_request.case_id).person_id == known.pk
    assert Person.objects.for_tenant(baia_mare).filter(last_name="Ardelean").count() == 1


@pytest.mark.django_db
def test_a_refused_take_up_leaves_no_person_and_no_case(client, caseworker_a, help_request, org_a, baia_mare):
    client.force_login(caseworker_a)
    future = (timezone.localdate() + datetime.timedelta(days=5)).isoformat()
    response = client.post(_url(help_request), _post(org_a, birth_date=future))
    assert response.status_code == 200
    assert "The date of birth cannot be in the future." in response.content.decode()
    assert not Person.objects.for_tenant(baia_mare).filter(last_name="Ardelean").exists()
    assert HelpRequest.objects.for_tenant(baia_mare).get(pk=help_request.pk).case_id is None


@pytest.mark.django_db
def test_a_request_is_taken_up_once(caseworker_a, help_request, org_a):
    from django.core.exceptions import ValidationError

    fields = {"first_name": "Maria", "last_name": "Ardelean"}
    services.help_request_take_up(
        actor=caseworker_a, help_request=help_request, organisation=org_a, person_fields=fields
    )
    help_request.refresh_from_db()
    with pytest.raises(ValidationError):
        services.help_request_take_up(
            actor=caseworker_a, help_request=help_request, organisation=org_a, person_fields=fields
        )


@pytest.mark.django_db
def test_another_provider_does_not_reach_the_request(client, caseworker_b, help_request):
    client.force_login(caseworker_b)
    assert_refused(client, _url(help_request), NOT_FOUND)


@pytest.mark.django_db
def test_the_other_municipality_does_not_reach_the_request(client, other_tenant_user, help_request):
    client.force_login(other_tenant_user)
    assert_refused(client, _url(help_request), FORBIDDEN)  # a role page: a coordinator opens no case


@pytest.mark.django_db
def test_the_coordinator_routes_requests_but_does_not_open_cases(client, coordinator, help_request):
    client.force_login(coordinator)
    assert_refused(client, _url(help_request), FORBIDDEN)


@pytest.mark.django_db
def test_an_anonymous_visitor_is_sent_to_sign_in(client, help_request):
    assert_login_required(client, _url(help_request))
