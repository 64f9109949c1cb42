"""Baia Mare's KPIs counted from the activities registers (issue 17, decision 0025): 16 of the 20 are
computed from CareNet's data, none by proxy; KPI 8 is the completion of the programmes that record their
enrolment."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from carenet.activities import services as registers
from carenet.activities.models import KindCategory
from carenet.activities.services import ActivityInput
from carenet.dashboards.kpis import Source, all_kpis, evaluate, get_kpi

START = dt.date(2025, 5, 1)


def test_seventeen_of_baia_maries_twenty_kpis_are_computed_and_the_others_entered_with_their_source() -> None:
    kpis = [k for k in all_kpis() if k.plan == "baia-mare-strategie" and k.number is not None]
    computed = {k.number for k in kpis if k.source == Source.COMPUTED}
    outside = {k.number for k in kpis if k.source == Source.OUTSIDE}
    assert len(computed) >= 17
    assert computed | outside == set(range(1, 21)) and not computed & outside
    assert outside == {9, 15, 19}  # school dropout, budget shares, digital initiatives: not CareNet's data


def test_bm08_completion_of_the_programmes_that_record_their_enrolment(
    filters: Any, baia_mare: Any, coordinator: Any, org_a: Any
) -> None:
    result = evaluate(get_kpi("bm08"), filters())
    assert result.value is None and result.note  # nothing records its enrolment: no value, said so
    kind = registers.activity_kind_save(
        municipality=baia_mare, code="curs", name="Curs", category=KindCategory.VOCATIONAL
    )
    for enrolled, completed, day in ((20, 15, dt.date(2025, 3, 1)), (10, 10, dt.date(2025, 9, 1))):
        registers.activity_create(
            actor=coordinator,
            municipality=baia_mare,
            data=ActivityInput(
                kind=kind,
                title="Curs de calificare",
                starts_on=day,
                organiser=org_a,
                enrolled=enrolled,
                completed=completed,
            ),
        )
    with pytest.raises(ValidationError) as more:
        registers.activity_create(
            actor=coordinator,
            municipality=baia_mare,
            data=ActivityInput(kind=kind, title="x", starts_on=START, organiser=org_a, enrolled=3, completed=4),
        )
    assert "completed" in more.value.message_dict
    result = evaluate(get_kpi("bm08"), filters())
    assert (result.numerator, result.denominator) == (25, 30)
    assert result.value == Decimal("83.33")
