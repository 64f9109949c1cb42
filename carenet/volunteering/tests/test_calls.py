"""The heat-wave campaigns' call lists for confirmed volunteers: calling persons at risk is work with vulnerable
adults, so only an active, adult volunteer with a background check valid on the day, signed in with their own
account, takes a list; a suspension, a refused or lapsed check takes it back; who may decide it."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from carenet.audit.models import AuditEvent
from carenet.campaigns import services as campaigns_services
from carenet.campaigns.permissions import can_open_campaigns
from carenet.core.roles import Role
from carenet.testing.refusals import FORBIDDEN, NOT_FOUND, assert_login_required, assert_refused
from carenet.volunteering import selectors, services
from carenet.volunteering.models import CheckStatus, Volunteer, VolunteerStatus


@pytest.fixture
def cleared(volunteer, coordinator):
    """Ana, active, an adult, with a background check recorded today."""
    return services.volunteer_record_check(actor=coordinator, volunteer=volunteer, status=CheckStatus.CLEARED)


def _callers(municipality):
    return {u.pk for u in campaigns_services.callers(municipality=municipality)}


def test_a_cleared_adult_volunteer_enlisted_by_the_coordinator_is_offered_to_the_campaigns(
    cleared, coordinator, baia_mare
):
    assert cleared.user_id not in _callers(baia_mare)
    membership = services.volunteer_enlist_for_calls(actor=coordinator, volunteer=cleared)
    assert membership.role == Role.CAMPAIGN_VOLUNTEER
    assert cleared.user_id in _callers(baia_mare)
    assert selectors.enlisted_for_calls(volunteer=cleared)
    cleared.user.refresh_from_db()
    assert cleared.user.municipality_id == baia_mare.pk  # the citizen's account now calls for Baia Mare
    assert can_open_campaigns(cleared.user)
    assert AuditEvent.objects.filter(action="volunteer.enlist", object_id=str(cleared.pk)).exists()


def test_a_volunteer_without_a_valid_check_is_refused_naming_the_check(volunteer, coordinator, baia_mare):
    with pytest.raises(ValidationError) as refused:
        services.volunteer_enlist_for_calls(actor=coordinator, volunteer=volunteer)
    assert set(refused.value.message_dict) == {"background_check"}
    assert volunteer.user_id not in _callers(baia_mare)


def test_a_minor_or_a_pending_volunteer_is_refused_naming_why(cleared, coordinator):
    Volunteer.objects.for_tenant(cleared.municipality_id).filter(pk=cleared.pk).update(
        birth_date=timezone.localdate() - datetime.timedelta(days=365 * 16), status=VolunteerStatus.PENDING
    )
    cleared.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        services.volunteer_enlist_for_calls(actor=coordinator, volunteer=cleared)
    assert {"birth_date", "status"} <= set(refused.value.message_dict)


def test_a_suspension_takes_the_call_lists_back(cleared, coordinator, baia_mare):
    services.volunteer_enlist_for_calls(actor=coordinator, volunteer=cleared)
    services.volunteer_set_status(actor=coordinator, volunteer=cleared, status=VolunteerStatus.SUSPENDED)
    assert cleared.user_id not in _callers(baia_mare)
    assert not selectors.enlisted_for_calls(volunteer=cleared)


def test_a_refused_check_takes_the_call_lists_back(cleared, coordinator, baia_mare):
    services.volunteer_enlist_for_calls(actor=coordinator, volunteer=cleared)
    services.volunteer_record_check(actor=coordinator, volunteer=cleared, status=CheckStatus.REFUSED)
    assert cleared.user_id not in _callers(baia_mare)


def test_the_scheduled_guard_withdraws_a_volunteer_whose_check_lapsed(cleared, coordinator, baia_mare):
    services.volunteer_enlist_for_calls(actor=coordinator, volunteer=cleared)
    assert services.volunteers_withdraw_lapsed(on=timezone.localdate()) == 0
    after = cleared.background_valid_to + datetime.timedelta(days=1)
    assert services.volunteers_withdraw_lapsed(on=after) == 1
    assert cleared.user_id not in _callers(baia_mare)
    assert services.volunteers_withdraw_lapsed(on=after) == 0  # once


def test_only_the_coordinator_enlists(cleared, manager_a, caseworker_a):
    for actor in (manager_a, caseworker_a):
        with pytest.raises(PermissionDenied):
            services.volunteer_enlist_for_calls(actor=actor, volunteer=cleared)


def test_the_volunteer_page_enlists_and_withdraws(client, cleared, coordinator, baia_mare):
    client.force_login(coordinator)
    page = client.get(reverse("volunteering:volunteer", args=[cleared.pk]))
    assert "Let them take campaign call lists" in page.content.decode()
    url = reverse("volunteering:volunteer_calls", args=[cleared.pk])
    assert client.post(url).status_code == 302
    assert cleared.user_id in _callers(baia_mare)
    assert client.post(url, {"withdraw": "1"}).status_code == 302
    assert cleared.user_id not in _callers(baia_mare)


def test_refusals_of_the_enlistment(client, cleared, caseworker_b, manager_a, other_tenant_user, baia_mare):
    url = reverse("volunteering:volunteer_calls", args=[cleared.pk])
    assert_login_required(client, url, method="post", data={})
    client.force_login(other_tenant_user)  # the other municipality's coordinator: not told it exists
    assert_refused(client, url, NOT_FOUND, method="post", data={})
    client.force_login(caseworker_b)  # another provider
    assert_refused(client, url, FORBIDDEN, method="post", data={})
    client.force_login(manager_a)  # a lower role
    assert_refused(client, url, FORBIDDEN, method="post", data={})
    assert cleared.user_id not in _callers(baia_mare)
