"""Who may eat at the canteen: the rules of the tenant's categories applied to one application, with reasons.

A pure computation (no database): the caller passes the facts, the rules in force and the categories in
force on the day; the result names the category that applies and every reason, as codes + params that
the page renders in the reader's language (``reason_text``). The rules it applies (Legea 208/1997 art. 2):

* (1) a) a child up to the category's age, in a family whose net monthly income per person is **under**
  the threshold (income exactly at the threshold is not under it);
* (1) b) a young person in full-time education up to the category's age (its longer-studies age for
  higher studies longer than 5 years), in the same situation;
* (1) c) a pensioner; d) a person of pension age, isolated, without legal supporters or income;
  e) an invalid or chronically ill person; f) a person temporarily without income;
* (2) category f at most ``days_cap_per_year`` days in a calendar year;
* (3) a person entitled whose income per person is **above** the threshold pays the contribution rate of
  their income per person, never more than the cost of the meals served in the same period
  (``contribution_due``).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

from .models import CategoryKind

CENT = Decimal("0.01")


@dataclass(frozen=True)
class Facts:
    """What an application declares (and the person's date of birth)."""

    birth_date: datetime.date | None
    household_size: int
    household_income: Decimal
    in_full_time_education: bool = False
    long_studies: bool = False
    is_pensioner: bool = False
    of_pension_age: bool = False
    isolated_or_unsupported: bool = False
    invalid_or_chronic: bool = False
    temporarily_no_income: bool = False


@dataclass(frozen=True)
class Reason:
    code: str
    params: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {"code": self.code, "params": {k: str(v) for k, v in self.params.items()}}


@dataclass(frozen=True)
class Result:
    eligible: bool
    category: str  # the code of the category that applies ("" = none)
    income_per_person: Decimal
    contribution_rate: Decimal  # 0 when no contribution is due
    reasons: tuple[Reason, ...]
    days_left: int | None = None  # category with a cap: days left this year
    requested: str = ""

    @property
    def refusal_reason(self) -> str:
        """The legal reason of a refusal: the failing rule of the category asked for, else "no category"."""
        if self.eligible:
            return ""
        for reason in self.reasons:
            if reason.code in REFUSAL_CODES and reason.params.get("category", self.requested) == self.requested:
                return reason.code
        return "no_category"


def percent(rate: Decimal) -> str:
    """0.300 → "30"; 0.125 → "12.5" (never "3E+1")."""
    value = Decimal(rate) * 100
    return str(value.quantize(Decimal(1))) if value == value.to_integral_value() else str(value.normalize())


def age_on(birth_date: datetime.date | None, day: datetime.date) -> int | None:
    if birth_date is None:
        return None
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def income_per_person(facts: Facts) -> Decimal:
    return (Decimal(facts.household_income) / max(facts.household_size, 1)).quantize(CENT, ROUND_HALF_UP)


def _situation(category: Any, facts: Facts, age: int | None) -> tuple[bool, Reason]:
    """Whether the person is in the category's situation (income aside), with the reason."""
    kind = category.kind
    code = category.code
    if kind == CategoryKind.CHILD_LOW_INCOME:
        if age is None:
            return False, Reason("age_unknown", {"category": code})
        ok = category.max_age is None or age <= category.max_age
        return ok, Reason(
            "child_age" if ok else "child_too_old", {"category": code, "age": age, "max": category.max_age}
        )
    if kind == CategoryKind.STUDENT_LOW_INCOME:
        if not facts.in_full_time_education:
            return False, Reason("not_in_education", {"category": code})
        if age is None:
            return False, Reason("age_unknown", {"category": code})
        limit = (
            category.max_age_long_studies if facts.long_studies and category.max_age_long_studies else category.max_age
        )
        ok = limit is None or age <= limit
        return ok, Reason("student_age" if ok else "student_too_old", {"category": code, "age": age, "max": limit})
    if kind == CategoryKind.PENSIONER:
        return facts.is_pensioner, Reason("pensioner" if facts.is_pensioner else "not_pensioner", {"category": code})
    if kind == CategoryKind.PENSION_AGE_ALONE:
        ok = facts.of_pension_age and facts.isolated_or_unsupported
        return ok, Reason("pension_age_alone" if ok else "not_pension_age_alone", {"category": code})
    if kind == CategoryKind.INVALID_CHRONIC:
        ok = facts.invalid_or_chronic
        return ok, Reason("invalid" if ok else "not_invalid", {"category": code})
    if kind == CategoryKind.TEMPORARILY_NO_INCOME:
        ok = facts.temporarily_no_income
        return ok, Reason("no_income" if ok else "has_income", {"category": code})
    if kind == CategoryKind.ELDERLY:
        if category.min_age is None:
            return False, Reason("min_age_unset", {"category": code})
        ok = age is not None and age >= category.min_age
        return ok, Reason("elderly" if ok else "not_elderly", {"category": code, "min": category.min_age})
    return False, Reason("unknown_category", {"category": code})


def assess(
    *,
    facts: Facts,
    rules: Any,
    categories: list[Any],
    on: datetime.date,
    requested: str = "",
    days_used: dict[str, int] | None = None,
) -> Result:
    """Apply the categories in force (``requested`` first) to ``facts`` on day ``on``.

    ``rules`` is the ``RuleSet`` in force (or None); ``days_used`` the days already granted this calendar
    year per capped category code.
    """
    reasons: list[Reason] = []
    per_person = income_per_person(facts)
    age = age_on(facts.birth_date, on)
    if rules is None:
        return Result(
            False, "", per_person, Decimal(0), (Reason("no_rules", {"on": on.isoformat()}),), requested=requested
        )
    threshold = rules.threshold
    ordered = sorted(categories, key=lambda c: (c.code != requested, c.order, c.code))
    chosen = None
    for category in ordered:
        ok, reason = _situation(category, facts, age)
        reasons.append(reason)
        if not ok:
            continue
        if category.income_tested:
            if threshold is None:
                reasons.append(Reason("threshold_unset", {"category": category.code}))
                continue
            if per_person >= threshold:
                reasons.append(
                    Reason(
                        "income_not_under", {"category": category.code, "income": per_person, "threshold": threshold}
                    )
                )
                continue
            reasons.append(
                Reason("income_under", {"category": category.code, "income": per_person, "threshold": threshold})
            )
        if category.days_cap_per_year is not None:
            used = (days_used or {}).get(category.code, 0)
            left = category.days_cap_per_year - used
            if left <= 0:
                reasons.append(Reason("cap_reached", {"category": category.code, "cap": category.days_cap_per_year}))
                continue
            reasons.append(
                Reason("cap_left", {"category": category.code, "cap": category.days_cap_per_year, "left": left})
            )
        chosen = category
        break
    if chosen is None:
        return Result(False, "", per_person, Decimal(0), tuple(reasons), requested=requested)
    rate = Decimal(0)
    if not chosen.income_tested:
        if threshold is None:
            reasons.append(Reason("contribution_unknown", {}))
        elif per_person > threshold and rules.contribution_rate is not None:
            rate = rules.contribution_rate
            reasons.append(
                Reason("contribution", {"rate": percent(rate), "income": per_person, "threshold": threshold})
            )
        else:
            reasons.append(Reason("no_contribution", {"income": per_person, "threshold": threshold}))
    days_left = None
    if chosen.days_cap_per_year is not None:
        days_left = chosen.days_cap_per_year - (days_used or {}).get(chosen.code, 0)
    return Result(True, chosen.code, per_person, rate, tuple(reasons), days_left, requested=requested)


def contribution_due(
    *, rate: Decimal, income_per_person: Decimal, meals_served: int, meal_allowance: Decimal | None
) -> Decimal:
    """Art. 2 (3): the rate of the income per person, never above the cost of the meals served."""
    due = (Decimal(rate) * Decimal(income_per_person)).quantize(CENT, ROUND_HALF_UP)
    if meal_allowance is not None:
        due = min(due, (Decimal(meal_allowance) * meals_served).quantize(CENT, ROUND_HALF_UP))
    return max(due, Decimal(0))


# A refusal's legal reason is the first of these codes among the reasons.
REFUSAL_CODES = ("cap_reached", "income_not_under", "threshold_unset", "student_too_old", "child_too_old", "no_rules")

REASON_TEXT: dict[str, Any] = {
    "no_rules": _("No canteen rules are in force on %(on)s."),
    "age_unknown": _("Category %(category)s: the date of birth is not recorded."),
    "child_age": _("Category %(category)s: aged %(age)s, within the age limit (%(max)s)."),
    "child_too_old": _("Category %(category)s: aged %(age)s, above the age limit (%(max)s)."),
    "not_in_education": _("Category %(category)s: not in full-time education."),
    "student_age": _("Category %(category)s: in full-time education, aged %(age)s, within the limit (%(max)s)."),
    "student_too_old": _("Category %(category)s: in full-time education, aged %(age)s, above the limit (%(max)s)."),
    "pensioner": _("Category %(category)s: a pensioner."),
    "not_pensioner": _("Category %(category)s: not a pensioner."),
    "pension_age_alone": _("Category %(category)s: of pension age, isolated or without supporters or income."),
    "not_pension_age_alone": _("Category %(category)s: not of pension age and alone."),
    "invalid": _("Category %(category)s: invalid or chronically ill."),
    "not_invalid": _("Category %(category)s: not invalid or chronically ill."),
    "no_income": _("Category %(category)s: temporarily without income."),
    "has_income": _("Category %(category)s: not temporarily without income."),
    "elderly": _("Category %(category)s: aged %(min)s or more."),
    "not_elderly": _("Category %(category)s: under %(min)s."),
    "min_age_unset": _("Category %(category)s: its age is not set by the municipality."),
    "unknown_category": _("Category %(category)s: unknown kind."),
    "threshold_unset": _("Category %(category)s: the income threshold in force is not set by the municipality."),
    "income_under": _("Category %(category)s: income per person %(income)s is under the threshold %(threshold)s."),
    "income_not_under": _(
        "Category %(category)s: income per person %(income)s is not under the threshold %(threshold)s."
    ),
    "cap_left": _("Category %(category)s: %(left)s of %(cap)s days a year left."),
    "cap_reached": _("Category %(category)s: the %(cap)s days a year are used up."),
    "contribution": _(
        "Income per person %(income)s above the threshold %(threshold)s: a contribution of %(rate)s %% of it, "
        "never more than the cost of the meals served."
    ),
    "no_contribution": _("Income per person %(income)s not above the threshold %(threshold)s: no contribution."),
    "contribution_unknown": _("The threshold is not set: the contribution cannot be computed."),
    "no_category": _("No category of the law applies."),
    "documents_missing": _("The file lacks documents."),
    "inquiry_missing": _("The social inquiry in the field has not been recorded."),
}


def reason_text(reason: dict[str, Any] | Reason) -> str:
    """A stored reason in the reader's language (never the raw code)."""
    code, params = (reason.code, reason.params) if isinstance(reason, Reason) else (reason["code"], reason["params"])
    template = REASON_TEXT.get(code)
    if template is None:
        return str(_("Other reason."))
    try:
        return str(template) % params
    except (KeyError, TypeError, ValueError):
        return str(template)
