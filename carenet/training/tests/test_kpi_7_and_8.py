"""KPIs 7 and 8 read one way everywhere (issues 16 and 22): the training figures page, the KPI page and a
plan's computed indicator give the same numbers, over the courses and the activities register's other
programmes — a course whose sessions are activities of the register counts once, as its course."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from carenet.activities import services as activities_services
from carenet.activities.models import KindCategory
from carenet.dashboards.kpis import KpiFilters, evaluate, get_kpi
from carenet.training import selectors, services

from .conftest import START, make_course

PERIOD = {"date_from": datetime.date(2026, 1, 1), "date_to": datetime.date(2026, 12, 31)}


@pytest.fixture
def vocational(baia_mare):
    return activities_services.activity_kind_save(
        municipality=baia_mare, code="vocational", name="Formare profesională", category=KindCategory.VOCATIONAL
    )


@pytest.fixture
def provider_course(caseworker_a, org_a, rules, vocational, cases):
    """A provider's course of three sessions, each an activity of the register, with one participant from a case."""
    course = make_course(caseworker_a, org_a, offered_by="provider")
    for day in range(3):
        services.session_add(actor=caseworker_a, course=course, held_on=START + datetime.timedelta(days=day))
    services.enrolment_from_case(actor=caseworker_a, case=cases[0], course=course)
    return course


@pytest.fixture
def register_programme(caseworker_a, org_a, baia_mare, vocational):
    """A vocational programme recorded in the register alone, with its enrolment (8 enrolled, 6 completed)."""
    return activities_services.activity_create(
        actor=caseworker_a,
        municipality=baia_mare,
        data=activities_services.ActivityInput(
            kind=vocational, title="Curs de bucătar", starts_on=START, organiser=org_a, enrolled=8, completed=6
        ),
    )


def test_a_course_with_three_sessions_counts_once(baia_mare, provider_course, register_programme):
    assert all(s.activity_id for s in provider_course.sessions.all())  # the sessions are in the register
    assert selectors.vocational_programmes(municipality=baia_mare, **PERIOD) == 2  # the course + the other one


def test_the_kpi_page_and_the_figures_page_read_the_same_kpi_7_and_8(
    client, coordinator, baia_mare, provider_course, register_programme
):
    f = KpiFilters(municipality=baia_mare, start=PERIOD["date_from"], end=PERIOD["date_to"])
    kpi7, kpi8 = evaluate(get_kpi("bm07"), f), evaluate(get_kpi("bm08"), f)
    assert kpi7.value == 2
    # the register's 6 of 8; the course's participant has not finished yet
    assert (kpi8.numerator, kpi8.denominator) == (6, 8)
    client.force_login(coordinator)
    rows = client.get(reverse("training:figures"), {"year": 2026}).context["rows"]
    assert rows[0][1] == 2 and (rows[1][2], rows[1][3]) == (6, 8)


def test_a_plan_indicator_computed_from_the_courses_equals_the_kpi(baia_mare, provider_course, register_programme):
    from types import SimpleNamespace

    from carenet.plans.computations import REGISTRY

    indicator = SimpleNamespace(municipality_id=baia_mare.pk, computation_filters={})
    period = SimpleNamespace(start_date=PERIOD["date_from"], end_date=PERIOD["date_to"])
    assert REGISTRY["training.programmes"].fn(indicator, period) == {"": 2}
    assert REGISTRY["training.completion"].fn(indicator, period) == {"": 75}
