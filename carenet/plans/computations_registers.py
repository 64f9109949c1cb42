"""Computed indicators over the activities registers (issue 17): activities, their participants, partners,
modules and localities; staff trained and employed; agreements signed.

Each definition is one call of the register's own selector (``carenet.activities.selectors``, one figure one
selector); the indicator says WHAT is counted in ``Indicator.computation_filters``::

    {"action": "own"}                        activities linked to the indicator's own plan action
    {"actions": ["1.2.1", "1.2.2"]}          … to these actions of the plan
    {"kinds": ["training"], "categories": ["campaign"]}   activity kinds (codes) / kind categories
    {"sex": "F", "age_min": 0, "age_max": 18, "disability": "yes"}   which participants count
    {"professions": ["psychologist"]}        staff definitions: these professions only
    {"agreement_kinds": ["partnership"]}     agreements of these kinds
    {"media_kinds": ["panel"]}               media items of these kinds
    {"targets": ["web"], "by_organisation": true}   accessibility: what was evaluated; count organisations
    {"subplan_kinds": ["library"], "by_organisation": true}   sub-plans of these kinds; count organisations

Beyond counts (decision 0025): a milestone is 1 when the register holds at least one record, a percentage is
returned as 0-100 in ``""`` (nothing when its denominator is 0), a list returns its number of items in ``""``
and its text through the definition's ``text`` function (topics addressed, media involved, kinds held).

Participants are broken down by the indicator's own disaggregation set (sex × age band × disability, any
subset), the cells adding up to the total (``unknown`` holds what was not recorded).
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _

from carenet.activities import selectors as registers
from carenet.activities.selectors import ActivityFilter

from .computations import _age_bands_of, _cell_order, computation

if TYPE_CHECKING:
    from .models import Indicator, ReportingPeriod

# The definitions below, by name: the mapping of the shipped plans and the indicator-source page use them.
ACTIVITY_DEFINITIONS = (
    "activities.count",
    "activities.participants",
    "activities.partners",
    "activities.modules",
    "activities.localities",
    "staff.trained",
    "staff.employed",
    "agreements.signed",
    "activities.held",
    "activities.topics",
    "activities.kinds",
    "activities.audience",
    "activities.completion",
    "staff.trained_share",
    "staff.turnover",
    "media.count",
    "media.published",
    "media.outlets",
    "media.topics",
    "recommendations.formulated",
    "recommendations.implemented",
    "accessibility.evaluated",
    "accessibility.adapted",
    "subplans.count",
    "subplans.approved",
    "subplans.achievement",
)


def action_ids(indicator: Indicator) -> tuple[Any, ...]:
    """The plan actions an indicator's filters name (``"own"``: the indicator's own action)."""
    from .models import Action

    filters = indicator.computation_filters or {}
    ids: list[Any] = []
    if filters.get("action") == "own" and indicator.action_id is not None:
        ids.append(indicator.action_id)
    codes = filters.get("actions") or []
    if codes:
        ids.extend(
            Action.objects.for_tenant(indicator.municipality_id)
            .filter(plan_id=indicator.plan_id, code__in=codes)
            .values_list("pk", flat=True)
        )
    return tuple(ids)


def activity_filter(indicator: Indicator) -> ActivityFilter:
    """The register's filter for an indicator (the drill-down lists the same records)."""
    filters = indicator.computation_filters or {}
    ids = action_ids(indicator)
    if (filters.get("action") or filters.get("actions")) and not ids:
        ids = (uuid.UUID(int=0),)  # a filter naming no existing action counts nothing, never everything
    return ActivityFilter(
        kinds=tuple(filters.get("kinds") or ()),
        categories=tuple(filters.get("categories") or ()),
        action_ids=ids,
        sex=str(filters.get("sex") or ""),
        age_min=filters.get("age_min"),
        age_max=filters.get("age_max"),
        disability=str(filters.get("disability") or ""),
    )


def _period(indicator: Indicator, period: ReportingPeriod) -> dict[str, Any]:
    return {"municipality": indicator.municipality_id, "date_from": period.start_date, "date_to": period.end_date}


def _combos(order: list[str], cells: dict[tuple[str, ...], int]) -> dict[str, Decimal]:
    result: dict[str, Decimal] = {"": Decimal(sum(cells.values()))}
    if order:
        for values, n in cells.items():
            combo = "|".join(f"{c}={v}" for c, v in zip(order, values, strict=True))
            result[combo] = result.get(combo, Decimal(0)) + n
    return result


@computation("activities.count", _("Activities held (trainings, campaigns, meetings, events …)"))
def activities_count(indicator: Indicator, period: ReportingPeriod) -> dict[str, Decimal]:
    n = registers.activity_count(**_period(indicator, period), filters=activity_filter(indicator))
    return {"": Decimal(n)}


@computation("activities.participants", _("Participants of the activities (counted at the door or named)"))
def activities_participants(indicator: Indicator, period: ReportingPeriod) -> dict[str, Decimal]:
    order = _cell_order(indicator)
    cells = registers.participant_cells(
        **_period(indicator, period),
        filters=activity_filter(indicator),
        by=order,
        age_bands=_age_bands_of(indicator),
    )
    return _combos(order, cells)


@computation("activities.partners", _("Partner organisations involved in the activities"))
def activities_partners(indicator: Indicator, period: ReportingPeriod) -> dict[str, Decimal]:
    n = registers.activity_partner_count(**_period(indicator, period), filters=activity_filter(indicator))
    return {"": Decimal(n)}


@computation("activities.modules", _("Training modules delivered"))
def activities_modules(indicator: Indicator, period: ReportingPeriod) -> dict[str, Decimal]:
    n = registers.activity_module_count(**_period(indicator, period), filters=activity_filter(indicator))
    return {"": Decimal(n)}


@computation("activities.localities", _("Localities where the activities took place"))
def activities_localities(indicator: Indicator, period: ReportingPeriod) -> dict[str, Decimal]:
    n = registers.activity_locality_count(**_period(indicator, period), filters=activity_filter(indicator))
    return {"": Decimal(n)}


@computation("staff.trained", _("Specialists of the network trained in the period (staff register)"))
def staff_trained(indicator: Indicator, period: ReportingPeriod) -> dict[str, Decimal]:
    order = [c for c in _cell_order(indicator) if c in ("sex", "age")]
    cells = registers.staff_trained_cells(
        **_period(indicator, period),
        professions=tuple((indicator.computation_filters or {}).get("professions") or ()),
        by=order,
        age_bands=_age_bands_of(indicator),
    )
    return _combos(order, cells)


@computation("staff.employed", _("Specialists employed at the end of the period (staff register)"))
def staff_employed(indicator: Indicator, period: ReportingPeriod) -> dict[str, Decimal]:
    n = registers.staff_headcount(
        municipality=indicator.municipality_id,
        on=period.end_date,
        professions=tuple((indicator.computation_filters or {}).get("professions") or ()),
    )
    return {"": Decimal(n)}


@computation("agreements.signed", _("Agreements (partnerships, protocols, contracts) signed in the period"))
def agreements_signed(indicator: Indicator, period: ReportingPeriod) -> dict[str, Decimal]:
    filters = indicator.computation_filters or {}
    n = registers.agreements_signed(
        **_period(indicator, period),
        action_ids=action_ids(indicator) if (filters.get("action") or filters.get("actions")) else (),
        kinds=tuple(filters.get("agreement_kinds") or ()),
    )
    return {"": Decimal(n)}


# --- beyond counts: milestones, shares, lists (decision 0025) --------------------------------------------

MILESTONE = ("milestone",)
PERCENTAGE = ("percentage",)
LIST = ("list",)


def _share(part: int, whole: int) -> dict[str, Decimal]:
    if not whole:
        return {}
    return {"": (Decimal(100) * part / whole).quantize(Decimal("0.01"))}


def _actions_or_none(indicator: Indicator) -> tuple[Any, ...]:
    filters = indicator.computation_filters or {}
    if not (filters.get("action") or filters.get("actions")):
        return ()
    return action_ids(indicator) or (uuid.UUID(int=0),)


def _listed(items: list[str]) -> dict[str, Decimal]:
    return {"": Decimal(len(items))}


@computation("activities.held", _("At least one such activity held in the period (yes/no)"), kinds=MILESTONE)
def activities_held(indicator: Indicator, period: ReportingPeriod) -> dict[str, Decimal]:
    n = registers.activity_count(**_period(indicator, period), filters=activity_filter(indicator))
    return {"": Decimal(1 if n else 0)}


def _topics(indicator: Indicator, period: ReportingPeriod) -> list[str]:
    return registers.activity_topics(**_period(indicator, period), filters=activity_filter(indicator))


@computation(
    "activities.topics",
    _("Topics addressed by the activities"),
    kinds=LIST,
    text=lambda i, p: "; ".join(_topics(i, p)),
)
def activities_topics(indicator: Indicator, period: ReportingPeriod) -> dict[str, Decimal]:
    return _listed(_topics(indicator, period))


def _kind_names(indicator: Indicator, period: ReportingPeriod) -> list[str]:
    return registers.activity_kind_names(**_period(indicator, period), filters=activity_filter(indicator))


@computation(
    "activities.kinds",
    _("Kinds of activities held"),
    kinds=LIST,
    text=lambda i, p: "; ".join(_kind_names(i, p)),
)
def activities_kinds(indicator: Indicator, period: ReportingPeriod) -> dict[str, Decimal]:
    return _listed(_kind_names(indicator, period))


def _audience(indicator: Indicator, period: ReportingPeriod) -> list[str]:
    """The target groups reached, by sex and age band, as the plan's own options name them (largest first)."""
    order = [c for c in _cell_order(indicator) if c in ("sex", "age")] or ["sex"]
    cells = registers.participant_cells(
        **_period(indicator, period), filters=activity_filter(indicator), by=order, age_bands=_age_bands_of(indicator)
    )
    dset = indicator.disaggregation
    parts = []
    for values, n in sorted(cells.items(), key=lambda item: (-item[1], item[0])):
        if "unknown" in values:
            continue
        labels = [dset.option_label(c, v) if dset is not None else v for c, v in zip(order, values, strict=True)]
        parts.append(f"{' '.join(str(x) for x in labels)}: {n}")
    return parts


@computation(
    "activities.audience",
    _("Target groups reached, by sex and age (participants of the activities)"),
    kinds=LIST,
    text=lambda i, p: "; ".join(_audience(i, p)),
)
def activities_audience(indicator: Indicator, period: ReportingPeriod) -> dict[str, Decimal]:
    return _listed(_audience(indicator, period))


@computation(
    "activities.completion",
    _("Share of the enrolled who completed the programmes (%)"),
    kinds=PERCENTAGE,
)
def activities_completion(indicator: Indicator, period: ReportingPeriod) -> dict[str, Decimal]:
    done, enrolled = registers.programme_completion(**_period(indicator, period), filters=activity_filter(indicator))
    return _share(done, enrolled)


def _professions(indicator: Indicator) -> tuple[str, ...]:
    return tuple((indicator.computation_filters or {}).get("professions") or ())


@computation(
    "staff.trained_share",
    _("Share of the specialists employed who were trained in the period (%)"),
    kinds=PERCENTAGE,
)
def staff_trained_share(indicator: Indicator, period: ReportingPeriod) -> dict[str, Decimal]:
    trained, employed = registers.staff_trained_share(**_period(indicator, period), professions=_professions(indicator))
    return _share(trained, employed)


@computation(
    "staff.turnover",
    _("Staff turnover: staff who left, as a share of those employed at the start (%)"),
    kinds=PERCENTAGE,
)
def staff_turnover(indicator: Indicator, period: ReportingPeriod) -> dict[str, Decimal]:
    left, employed = registers.staff_turnover(**_period(indicator, period))
    return _share(left, employed)


def _media(indicator: Indicator, period: ReportingPeriod) -> dict[str, Any]:
    return {
        **_period(indicator, period),
        "kinds": tuple((indicator.computation_filters or {}).get("media_kinds") or ()),
        "action_ids": _actions_or_none(indicator),
    }


@computation("media.count", _("Media items published (articles, broadcasts, stories, panel updates)"))
def media_count(indicator: Indicator, period: ReportingPeriod) -> dict[str, Decimal]:
    return {"": Decimal(registers.media_count(**_media(indicator, period)))}


@computation("media.published", _("At least one such media item or panel in the period (yes/no)"), kinds=MILESTONE)
def media_published(indicator: Indicator, period: ReportingPeriod) -> dict[str, Decimal]:
    return {"": Decimal(1 if registers.media_count(**_media(indicator, period)) else 0)}


@computation(
    "media.outlets",
    _("Media outlets involved"),
    kinds=LIST,
    text=lambda i, p: "; ".join(registers.media_outlets(**_media(i, p))),
)
def media_outlets(indicator: Indicator, period: ReportingPeriod) -> dict[str, Decimal]:
    return _listed(registers.media_outlets(**_media(indicator, period)))


@computation(
    "media.topics",
    _("Kinds of information placed (topics of the media items)"),
    kinds=LIST,
    text=lambda i, p: "; ".join(registers.media_topics(**_media(i, p))),
)
def media_topics(indicator: Indicator, period: ReportingPeriod) -> dict[str, Decimal]:
    return _listed(registers.media_topics(**_media(indicator, period)))


@computation("recommendations.formulated", _("Recommendations formulated in the period"))
def recommendations_formulated(indicator: Indicator, period: ReportingPeriod) -> dict[str, Decimal]:
    n = registers.recommendation_count(**_period(indicator, period), action_ids=_actions_or_none(indicator))
    return {"": Decimal(n)}


@computation("recommendations.implemented", _("Recommendations implemented in the period"))
def recommendations_implemented(indicator: Indicator, period: ReportingPeriod) -> dict[str, Decimal]:
    n = registers.recommendation_count(
        **_period(indicator, period), implemented=True, action_ids=_actions_or_none(indicator)
    )
    return {"": Decimal(n)}


def _evaluations(indicator: Indicator, period: ReportingPeriod, adapted: bool) -> int:
    filters = indicator.computation_filters or {}
    return registers.accessibility_count(
        **_period(indicator, period),
        targets=tuple(filters.get("targets") or ()),
        adapted=adapted,
        by_organisation=bool(filters.get("by_organisation")),
    )


@computation("accessibility.evaluated", _("Accessibility evaluations made in the period"))
def accessibility_evaluated(indicator: Indicator, period: ReportingPeriod) -> dict[str, Decimal]:
    return {"": Decimal(_evaluations(indicator, period, adapted=False))}


@computation("accessibility.adapted", _("Buildings, web pages or systems adapted for accessibility in the period"))
def accessibility_adapted(indicator: Indicator, period: ReportingPeriod) -> dict[str, Decimal]:
    return {"": Decimal(_evaluations(indicator, period, adapted=True))}


def _sub_plans(indicator: Indicator, period: ReportingPeriod) -> dict[str, Any]:
    return {
        **_period(indicator, period),
        "kinds": tuple((indicator.computation_filters or {}).get("subplan_kinds") or ()),
        "action_ids": _actions_or_none(indicator),
    }


@computation("subplans.count", _("Annual plans of the network's organisations elaborated (sub-plans register)"))
def subplans_count(indicator: Indicator, period: ReportingPeriod) -> dict[str, Decimal]:
    by_org = bool((indicator.computation_filters or {}).get("by_organisation"))
    return {"": Decimal(registers.sub_plan_count(**_sub_plans(indicator, period), by_organisation=by_org))}


@computation("subplans.approved", _("A plan elaborated and approved (yes/no)"), kinds=MILESTONE)
def subplans_approved(indicator: Indicator, period: ReportingPeriod) -> dict[str, Decimal]:
    n = registers.sub_plan_count(**_sub_plans(indicator, period), approved=True)
    return {"": Decimal(1 if n else 0)}


@computation("subplans.achievement", _("Share of the sub-plans' indicators achieved (%)"), kinds=PERCENTAGE)
def subplans_achievement(indicator: Indicator, period: ReportingPeriod) -> dict[str, Decimal]:
    achieved, assessed = registers.sub_plan_achievement(**_sub_plans(indicator, period))
    return _share(achieved, assessed)
