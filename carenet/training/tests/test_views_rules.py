"""The completion and dropout rules page: the coordinator adds a version from a date; the history stays."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from carenet.audit.models import AuditEvent
from carenet.testing.refusals import FORBIDDEN, LOGIN_REDIRECT, assert_refused
from carenet.training import selectors, services
from carenet.training.models import TrainingRules

pytestmark = pytest.mark.django_db
URL = "training:rules"


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_the_coordinator_saves_new_rules_and_the_previous_end_the_day_before(coordinator, rules, baia_mare):
    response = _client(coordinator).post(
        reverse(URL),
        {
            "valid_from": "2026-09-01",
            "min_attendance_percent": 80,
            "dropout_after_absences": 3,
            "legal_basis": "HCL 1/2026",
        },
    )
    assert response.status_code == 302
    history = list(selectors.rules_history(municipality=baia_mare))
    assert [(r.valid_from, r.valid_to) for r in history] == [
        (datetime.date(2026, 9, 1), None),
        (datetime.date(2025, 1, 1), datetime.date(2026, 8, 31)),
    ]
    assert AuditEvent.objects.filter(action="training.rules.set", actor=coordinator).exists()
    page = _client(coordinator).get(reverse(URL)).content.decode()
    assert "HCL 1/2026" in page and "80 %" in page


def test_a_date_before_the_latest_rules_is_refused_naming_the_date(coordinator, rules, baia_mare):
    response = _client(coordinator).post(
        reverse(URL), {"valid_from": "2024-06-01", "min_attendance_percent": 80, "dropout_after_absences": 3}
    )
    assert response.status_code == 400
    assert "new rules start on that day or later" in response.content.decode()
    assert TrainingRules.objects.for_tenant(baia_mare).count() == 1


def test_bad_values_are_400_naming_the_field(coordinator, rules, baia_mare):
    response = _client(coordinator).post(
        reverse(URL), {"valid_from": "2026-09-01", "min_attendance_percent": 120, "dropout_after_absences": 0}
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert {"min_attendance_percent", "dropout_after_absences"} <= set(form.errors)
    assert TrainingRules.objects.for_tenant(baia_mare).count() == 1


def test_a_caseworker_reads_the_rules_but_may_not_change_them(caseworker_a, rules):
    client = _client(caseworker_a)
    page = client.get(reverse(URL))
    assert page.status_code == 200 and "New rules from a date" not in page.content.decode()
    assert_refused(client, reverse(URL), FORBIDDEN, method="post", data={"valid_from": "2026-09-01"})
    with pytest.raises(PermissionDenied):
        services.training_rules_set(
            actor=caseworker_a,
            municipality=rules.municipality_id,
            min_attendance_percent=10,
            dropout_after_absences=9,
            valid_from=datetime.date(2026, 9, 1),
        )


def test_the_other_municipalitys_coordinator_changes_only_their_own_rules(other_tenant_user, rules, baia_mare):
    _client(other_tenant_user).post(
        reverse(URL), {"valid_from": "2026-09-01", "min_attendance_percent": 50, "dropout_after_absences": 5}
    )
    assert TrainingRules.objects.for_tenant(baia_mare).count() == 1
    assert "75 %" not in _client(other_tenant_user).get(reverse(URL)).content.decode()


def test_the_other_municipality_cannot_write_another_municipalitys_rules(other_tenant_user, baia_mare):
    with pytest.raises(PermissionDenied):
        services.training_rules_set(
            actor=other_tenant_user,
            municipality=baia_mare,
            min_attendance_percent=10,
            dropout_after_absences=9,
            valid_from=datetime.date(2026, 9, 1),
        )


def test_an_anonymous_visitor_is_sent_to_login():
    assert_refused(Client(), reverse(URL), LOGIN_REDIRECT)
