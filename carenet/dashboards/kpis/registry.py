"""The KPI registry: every KPI is a named, documented definition with one function that computes it.

Definitions live in one module per group (``carenet.dashboards.kpis.<group>``). Apps above the dashboards (the
portal: feedback, help requests, consultations) register theirs in a ``kpi_definitions`` module that the
registry discovers by name, so the dashboards never import a higher layer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.utils.module_loading import autodiscover_modules

if TYPE_CHECKING:
    from .filters import KpiFilters


class Unit:
    COUNT = "count"
    PERCENT = "percent"
    PER_1000 = "per_1000"
    HOURS = "hours"
    DAYS = "days"
    AMOUNT = "amount"


class Source:
    COMPUTED = "computed"  # from CareNet's own records
    OUTSIDE = "outside"  # entered by hand with its source (OutsideValue)


# What a definition can be broken down by; each KPI says which of these it honours.
DISAGGREGATIONS = ("area", "sex", "age_band", "disability", "organisation")


@dataclass(frozen=True)
class KpiResult:
    value: Decimal | None
    numerator: int | Decimal | None = None
    denominator: int | Decimal | None = None
    note: str = ""  # why the value is missing or how it was obtained (translated at compute time)
    source: str = ""  # for outside values: where the figure comes from
    source_date: Any = None

    @property
    def missing(self) -> bool:
        return self.value is None


@dataclass(frozen=True)
class Kpi:
    code: str  # stable id, e.g. "bm01" (Baia Mare KPI nr. 1)
    number: int | None  # the KPI's number in the strategy, when it has one
    name: Any  # lazy translated text (gettext_lazy)
    description: Any  # lazy translated text: what is counted and how
    unit: str
    source: str
    compute: Callable[[KpiFilters], KpiResult]
    filters: tuple[str, ...] = field(default_factory=tuple)  # the disaggregations this KPI honours
    higher_is_better: bool = True
    app: str = "dashboards"
    # The code of the plan whose KPI this is (plans.Plan.code); "" = a KPI of every municipality. The KPI
    # page of a municipality lists the KPIs of the plans it holds, never another municipality's strategy.
    plan: str = ""
    # Shown in a section of its own (the campaigns' KPIs), not among a plan's numbered indicators.
    group: str = ""


# The 20 KPIs of Baia Mare's social-services strategy (plans.importers.BAIA_MARE_PLAN_CODE).
BAIA_MARE_STRATEGY = "baia-mare-strategie"


_REGISTRY: dict[str, Kpi] = {}
_discovered = False


def register(kpi: Kpi) -> Kpi:
    if kpi.code in _REGISTRY and _REGISTRY[kpi.code].compute is not kpi.compute:
        raise ValueError(f"KPI {kpi.code} registered twice")
    _REGISTRY[kpi.code] = kpi
    return kpi


def _ensure_loaded() -> None:
    global _discovered
    if _discovered:
        return
    from . import activities, computed, heat, housing, outside, referrals  # noqa: F401  (the dashboards' own definitions)

    autodiscover_modules("kpi_definitions")  # definitions of higher apps (portal …)
    _discovered = True


def all_kpis() -> list[Kpi]:
    _ensure_loaded()
    return sorted(_REGISTRY.values(), key=lambda k: (k.number or 999, k.code))


def kpis_for_plans(plan_codes: set[str]) -> list[Kpi]:
    """The KPIs of every municipality and those of the given plans."""
    return [k for k in all_kpis() if not k.plan or k.plan in plan_codes]


def get_kpi(code: str) -> Kpi | None:
    _ensure_loaded()
    return _REGISTRY.get(code)


def evaluate(kpi: Kpi, filters: KpiFilters) -> KpiResult:
    """Compute one KPI; filters it does not honour are refused (its value would be misleading)."""
    from django.utils.translation import gettext as _

    labels = {
        "area": _("Area"),
        "sex": _("Sex"),
        "age_band": _("Age band"),
        "disability": _("Disability"),
        "organisation": _("Provider"),
    }
    unsupported = [labels[name] for name in filters.active_disaggregations() if name not in kpi.filters]
    if unsupported:
        return KpiResult(
            None, note=_("Not available with this filter (%(names)s).") % {"names": ", ".join(unsupported)}
        )
    return kpi.compute(filters)
