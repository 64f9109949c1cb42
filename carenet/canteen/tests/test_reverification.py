"""The file is "renewed and verified periodically" (Baia Mare strategy, line 619; issue 18): the tenant sets
the interval; a decision falls due that long after it was made or last checked; a check confirms it or ends
it (ending is the manager's decision)."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from carenet.canteen import selectors, services
from carenet.canteen.models import Reverification
from carenet.testing.refusals import FORBIDDEN, NOT_FOUND, assert_login_required, assert_refused

TODAY = timezone.localdate()


@pytest.fixture
def every_six_months(bm_rules):
    bm_rules.reverify_months = 6
    bm_rules.save(update_fields=["reverify_months"])
    return bm_rules


@pytest.fixture
def approved_a(approved_a):
    """A decision for over a year (a check falls due inside it; one that ends first needs none)."""
    approved_a.valid_to = approved_a.valid_from + datetime.timedelta(days=400)
    approved_a.save(update_fields=["valid_to"])
    return approved_a


def test_a_decision_that_ends_before_its_check_needs_none(caseworker_a, every_six_months, approved_a):
    approved_a.valid_to = approved_a.valid_from + datetime.timedelta(days=90)
    approved_a.save(update_fields=["valid_to"])
    assert _due(caseworker_a, approved_a.valid_to) == []


def _due(user, on):
    return [c.decision for c in selectors.reverifications_due(user=user, on=on)]


def test_a_decision_falls_due_the_interval_after_it_was_made(caseworker_a, every_six_months, approved_a):
    due_on = selectors.add_months(approved_a.decided_on, 6)
    assert _due(caseworker_a, due_on - datetime.timedelta(days=15)) == []  # not yet within the notice
    assert _due(caseworker_a, due_on - datetime.timedelta(days=14)) == [approved_a]
    [check] = selectors.reverifications_due(user=caseworker_a, on=due_on + datetime.timedelta(days=1))
    assert check.overdue and check.due_on == due_on


def test_without_an_interval_set_nothing_falls_due(caseworker_a, bm_rules, approved_a):
    assert bm_rules.reverify_months is None
    assert _due(caseworker_a, TODAY + datetime.timedelta(days=3650)) == []


def test_a_confirmed_check_moves_the_next_one_an_interval_later(caseworker_a, every_six_months, approved_a):
    services.decision_reverify(
        actor=caseworker_a, decision=approved_a, verified_on=TODAY, outcome="confirmed", note="Incomes unchanged"
    )
    assert _due(caseworker_a, selectors.add_months(TODAY, 6) - datetime.timedelta(days=15)) == []
    assert _due(caseworker_a, selectors.add_months(TODAY, 6)) == [approved_a]


def test_a_check_that_ends_the_decision_is_the_managers(caseworker_a, manager_a, every_six_months, approved_a):
    end = TODAY + datetime.timedelta(days=10)
    with pytest.raises(PermissionDenied):
        services.decision_reverify(
            actor=caseworker_a, decision=approved_a, verified_on=TODAY, outcome="ended", note="Employed", ends_on=end
        )
    services.decision_reverify(
        actor=manager_a, decision=approved_a, verified_on=TODAY, outcome="ended", note="Employed", ends_on=end
    )
    approved_a.refresh_from_db()
    assert approved_a.last_day == end  # the counter refuses the card after this day


@pytest.mark.parametrize(
    ("field", "changes"),
    [
        ("verified_on", {"verified_on": TODAY + datetime.timedelta(days=1)}),
        ("note", {"note": "  "}),
        ("ends_on", {"outcome": "ended"}),
        ("ends_on", {"outcome": "ended", "ends_on": TODAY + datetime.timedelta(days=3650)}),
    ],
)
def test_a_bad_check_is_refused_naming_the_field_and_nothing_is_saved(manager_a, approved_a, field, changes):
    data = {"verified_on": TODAY, "outcome": "confirmed", "note": "Seen", **changes}
    with pytest.raises(ValidationError) as exc:
        services.decision_reverify(actor=manager_a, decision=approved_a, **data)
    assert field in exc.value.message_dict
    assert not Reverification.objects.for_tenant(approved_a.municipality_id).exists()


def test_the_caseworker_records_a_check_through_the_page(client, caseworker_a, every_six_months, approved_a):
    client.force_login(caseworker_a)
    url = reverse("canteen:decision_reverify", args=[approved_a.pk])
    form = client.get(url).context["form"]
    assert "ends_on" not in form.fields  # ending is not theirs to choose
    r = client.post(url, {"verified_on": TODAY.isoformat(), "outcome": "confirmed", "note": "Incomes unchanged"})
    assert r.status_code == 302
    assert Reverification.objects.for_tenant(approved_a.municipality_id).get().note == "Incomes unchanged"
    assert client.get(reverse("canteen:reverifications")).status_code == 200


def test_the_canteen_unit_does_not_see_the_file(client, cook, approved_a):
    client.force_login(cook)
    assert_refused(client, reverse("canteen:decision_reverify", args=[approved_a.pk]), NOT_FOUND)


def test_a_caseworker_of_another_provider_cannot_open_the_check(client, caseworker_b, approved_a):
    client.force_login(caseworker_b)
    assert_refused(client, reverse("canteen:decision_reverify", args=[approved_a.pk]), NOT_FOUND)


def test_a_user_of_the_other_municipality_cannot_open_the_check(client, other_tenant_user, approved_a):
    client.force_login(other_tenant_user)
    assert_refused(client, reverse("canteen:decision_reverify", args=[approved_a.pk]), NOT_FOUND)


def test_the_auditor_reads_but_does_not_record_a_check(client, auditor, approved_a):
    client.force_login(auditor)
    assert_refused(client, reverse("canteen:decision_reverify", args=[approved_a.pk]), FORBIDDEN)


def test_an_anonymous_visitor_is_sent_to_sign_in(client, approved_a):
    assert_login_required(client, reverse("canteen:decision_reverify", args=[approved_a.pk]))
