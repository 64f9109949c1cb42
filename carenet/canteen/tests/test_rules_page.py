"""The canteen's rules change with the law: the coordinator saves a new version from a date (issue 18, "law
follows the tenant"); decisions keep what they were made with; nobody else may change them."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.urls import reverse

from carenet.canteen import selectors
from carenet.canteen.models import RuleSet
from carenet.testing.refusals import FORBIDDEN, assert_login_required, assert_refused

URL = reverse("canteen:rules_new")


def _data(**changes):
    data = {
        "valid_from": "2027-01-01",
        "law": "Legea nr. 208/1997, art. 2",
        "threshold": "650.00",
        "meal_allowance": "16.00",
        "contribution_rate": "0.300",
        "decision_term_days": "30",
        "meals_per_day": "2",
        "reverify_months": "6",
        "currency": "RON",
    }
    data.update(changes)
    return data


def test_the_coordinator_saves_new_rules_from_a_date_and_the_old_ones_end_the_day_before(
    client, coordinator, bm_rules, baia_mare
):
    client.force_login(coordinator)
    form = client.get(URL).context["form"]
    assert form.initial["threshold"] == Decimal("600.00")  # the rules in force are the starting point
    assert client.post(URL, _data()).status_code == 302
    new = selectors.rules_in_force(municipality=baia_mare, on=datetime.date(2027, 1, 1))
    assert (new.threshold, new.reverify_months) == (Decimal("650.00"), 6)
    bm_rules.refresh_from_db()
    assert bm_rules.valid_to == datetime.date(2026, 12, 31)


def test_a_value_left_empty_is_flagged_for_the_municipality(client, coordinator, bm_rules, baia_mare):
    client.force_login(coordinator)
    client.post(URL, _data(threshold=""))
    new = RuleSet.objects.for_tenant(baia_mare).get(valid_from=datetime.date(2027, 1, 1))
    assert new.threshold is None and "threshold" in new.unstated


def test_bad_rules_are_refused_naming_the_field_and_nothing_is_saved(client, coordinator, bm_rules, baia_mare):
    client.force_login(coordinator)
    for field, value in (("contribution_rate", "1.5"), ("threshold", "-1"), ("valid_from", "1990-01-01")):
        response = client.post(URL, _data(**{field: value}))
        assert response.status_code == 200 and field in response.context["form"].errors, field
    assert RuleSet.objects.for_tenant(baia_mare).count() == 1


def test_a_caseworker_may_not_change_the_rules(client, caseworker_a, bm_rules):
    client.force_login(caseworker_a)
    assert_refused(client, URL, FORBIDDEN)


def test_the_coordinator_of_the_other_municipality_changes_only_its_own_rules(
    client, other_tenant_user, bm_rules, baia_mare, balti
):
    """The page has no municipality in its address: Bălți's coordinator can only ever reach Bălți's rules."""
    client.force_login(other_tenant_user)
    assert client.post(URL, _data(currency="MDL")).status_code == 302
    assert RuleSet.objects.for_tenant(baia_mare).count() == 1
    assert RuleSet.objects.for_tenant(balti).get().currency == "MDL"


def test_an_anonymous_visitor_is_sent_to_sign_in(client):
    assert_login_required(client, URL)
