"""KPI engine: ``all_kpis()``, ``get_kpi(code)``, ``evaluate(kpi, filters)`` and the filters they take."""

from .filters import KpiFilters
from .registry import (
    BAIA_MARE_STRATEGY,
    Kpi,
    KpiResult,
    Source,
    Unit,
    all_kpis,
    evaluate,
    get_kpi,
    kpis_for_plans,
    register,
)

__all__ = [
    "BAIA_MARE_STRATEGY",
    "Kpi",
    "KpiFilters",
    "KpiResult",
    "Source",
    "Unit",
    "all_kpis",
    "evaluate",
    "get_kpi",
    "kpis_for_plans",
    "register",
]
