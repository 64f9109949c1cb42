"""Legea 208/1997 art. 2 as Baia Mare's categories (seeded data), each category and edge naming its rule."""

from __future__ import annotations

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest

from carenet.canteen.eligibility import Facts, assess, contribution_due, reason_text
from carenet.canteen.services import seed_data

DAY = datetime.date(2026, 3, 15)
RULES = SimpleNamespace(threshold=Decimal("600"), contribution_rate=Decimal("0.300"), meal_allowance=Decimal("15"))


def categories() -> list[SimpleNamespace]:
    rows = []
    for order, c in enumerate(seed_data()["baia-mare"]["categories"]):
        rows.append(
            SimpleNamespace(
                code=c["code"],
                kind=c["kind"],
                order=order,
                max_age=c.get("max_age"),
                max_age_long_studies=c.get("max_age_long_studies"),
                min_age=c.get("min_age"),
                income_tested=c.get("income_tested", False),
                days_cap_per_year=c.get("days_cap_per_year"),
            )
        )
    return rows


def born(age: int) -> datetime.date:
    return DAY.replace(year=DAY.year - age) - datetime.timedelta(days=1)


def check(requested: str = "", days_used: dict | None = None, **facts):
    facts.setdefault("household_size", 1)
    facts.setdefault("household_income", Decimal(0))
    facts.setdefault("birth_date", born(40))
    return assess(
        facts=Facts(**facts), rules=RULES, categories=categories(), on=DAY, requested=requested, days_used=days_used
    )


def test_art_2_1_a_a_child_under_18_in_a_family_under_the_threshold_is_eligible():
    result = check("a", birth_date=born(10), household_size=4, household_income=Decimal("2000"))
    assert (result.eligible, result.category) == (True, "a")
    assert result.income_per_person == Decimal("500.00")


def test_art_2_1_a_a_child_of_18_is_no_longer_a_child():
    result = check("a", birth_date=born(18), household_size=4, household_income=Decimal("0"))
    assert result.category != "a"
    assert any(r.code == "child_too_old" for r in result.reasons)


def test_art_2_1_a_income_exactly_at_the_threshold_is_not_under_it():
    result = check("a", birth_date=born(10), household_size=2, household_income=Decimal("1200"))
    assert not result.eligible
    assert result.refusal_reason == "income_not_under"


def test_art_2_1_b_a_25_year_old_in_full_time_education_is_eligible():
    result = check("b", birth_date=born(25), in_full_time_education=True, household_income=Decimal("100"))
    assert (result.eligible, result.category) == (True, "b")


def test_art_2_1_b_a_26_year_old_in_studies_longer_than_5_years_is_eligible():
    result = check(
        "b", birth_date=born(26), in_full_time_education=True, long_studies=True, household_income=Decimal("100")
    )
    assert (result.eligible, result.category) == (True, "b")


def test_art_2_1_b_a_26_year_old_in_ordinary_studies_is_above_the_limit():
    result = check("b", birth_date=born(26), in_full_time_education=True, household_income=Decimal("100"))
    assert not result.eligible
    assert result.refusal_reason == "student_too_old"


def test_art_2_1_b_a_27_year_old_in_long_studies_is_above_the_limit():
    result = check(
        "b", birth_date=born(27), in_full_time_education=True, long_studies=True, household_income=Decimal("100")
    )
    assert not result.eligible


def test_art_2_1_b_a_student_above_the_threshold_is_refused_on_income():
    result = check("b", birth_date=born(20), in_full_time_education=True, household_income=Decimal("601"))
    assert result.refusal_reason == "income_not_under"


def test_art_2_1_c_a_pensioner_is_eligible_whatever_the_income():
    result = check("c", is_pensioner=True, birth_date=born(70), household_income=Decimal("3000"))
    assert (result.eligible, result.category) == (True, "c")


def test_art_2_1_d_pension_age_alone_is_eligible_but_pension_age_with_supporters_is_not():
    assert check("d", of_pension_age=True, isolated_or_unsupported=True).category == "d"
    assert not check("d", of_pension_age=True).eligible


def test_art_2_1_e_an_invalid_or_chronically_ill_person_is_eligible():
    assert check("e", invalid_or_chronic=True).category == "e"


def test_art_2_1_f_a_person_temporarily_without_income_is_eligible_with_the_days_left():
    result = check("f", temporarily_no_income=True, days_used={"f": 30})
    assert (result.eligible, result.category, result.days_left) == (True, "f", 60)


def test_art_2_2_category_f_has_no_91st_day():
    result = check("f", temporarily_no_income=True, days_used={"f": 90})
    assert not result.eligible
    assert result.refusal_reason == "cap_reached"


def test_art_2_2_the_90th_day_of_category_f_is_still_granted():
    assert check("f", temporarily_no_income=True, days_used={"f": 89}).days_left == 1


def test_nobody_in_no_category_is_refused_with_no_category():
    result = check()
    assert not result.eligible
    assert result.refusal_reason == "no_category"


def test_art_2_3_income_above_the_threshold_pays_30_percent_of_the_income_per_person():
    result = check("c", is_pensioner=True, household_income=Decimal("1000"))
    assert result.contribution_rate == Decimal("0.300")
    due = contribution_due(
        rate=result.contribution_rate,
        income_per_person=result.income_per_person,
        meals_served=60,
        meal_allowance=Decimal("15"),
    )
    assert due == Decimal("300.00")


def test_art_2_3_the_contribution_is_capped_at_the_cost_of_the_meals_served():
    result = check("c", is_pensioner=True, household_income=Decimal("1000"))
    due = contribution_due(
        rate=result.contribution_rate,
        income_per_person=result.income_per_person,
        meals_served=10,
        meal_allowance=Decimal("15"),
    )
    assert due == Decimal("150.00")  # 10 meals × 15, under 30 % of 1000


def test_art_2_3_income_exactly_at_the_threshold_pays_no_contribution():
    result = check("c", is_pensioner=True, household_income=Decimal("600"))
    assert result.contribution_rate == 0
    assert any(r.code == "no_contribution" for r in result.reasons)


def test_an_unset_threshold_refuses_the_income_test_rather_than_guessing():
    rules = SimpleNamespace(threshold=None, contribution_rate=Decimal("0.3"), meal_allowance=None)
    result = assess(
        facts=Facts(birth_date=born(10), household_size=3, household_income=Decimal(0)),
        rules=rules,
        categories=categories(),
        on=DAY,
        requested="a",
    )
    assert not result.eligible
    assert result.refusal_reason == "threshold_unset"


def test_no_rules_in_force_is_no_eligibility():
    result = assess(
        facts=Facts(birth_date=None, household_size=1, household_income=Decimal(0)), rules=None, categories=[], on=DAY
    )
    assert result.refusal_reason == "no_rules"


@pytest.mark.parametrize("code", ["income_not_under", "cap_reached", "contribution", "student_age"])
def test_every_reason_reads_as_a_sentence_never_a_code(code):
    result = check(
        "b", birth_date=born(22), in_full_time_education=True, household_income=Decimal("100"), days_used={"f": 90}
    )
    for reason in result.reasons:
        text = reason_text(reason.as_json())
        assert reason.code not in text
        assert "%(" not in text
