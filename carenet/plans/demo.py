"""Demo: the two real plans, loaded whole from the seeds (counts checked by the importers)."""

from typing import Any

from carenet.core.models import Municipality

from .importers import BAIA_MARE_PLAN_CODE, BALTI_PLAN_CODE, import_baia_mare_plan, import_balti_plan
from .models import Plan

_PLANS = (("balti", BALTI_PLAN_CODE, import_balti_plan), ("baia-mare", BAIA_MARE_PLAN_CODE, import_baia_mare_plan))


def load(*, stdout: Any = None) -> None:
    """Idempotent: a plan already loaded (maybe with reported data) is left as it is."""
    for slug, code, importer in _PLANS:
        municipality = Municipality.objects.filter(slug=slug).first()
        if municipality is None:
            continue
        plan = Plan.objects.for_tenant(municipality).filter(code=code).first() or importer(municipality=municipality)
        if stdout:
            stdout.write(
                f"  {municipality.name}: plan “{plan.title[:60]}…” — {plan.actions.count()} actions, "
                f"{plan.indicators.count()} indicators"
            )


def demo_plan(slug: str) -> Plan | None:
    municipality = Municipality.objects.filter(slug=slug).first()
    if municipality is None:
        return None
    return Plan.objects.for_tenant(municipality).order_by("start_year").first()
