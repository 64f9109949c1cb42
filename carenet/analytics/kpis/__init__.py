"""KPI engine: ``all_kpis()``, ``get_kpi(code)``, ``evaluate(kpi, filters)`` and the filters they take."""

from .filters import KpiFilters
from .registry import Kpi, KpiResult, Source, Unit, all_kpis, evaluate, get_kpi, register

__all__ = ["Kpi", "KpiFilters", "KpiResult", "Source", "Unit", "all_kpis", "evaluate", "get_kpi", "register"]
