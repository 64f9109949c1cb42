"""Demo: the two real plans, loaded whole from the seeds (counts checked by the importers), and a synthetic
2025 reporting round: every reporting body's form filled with synthetic values (each value's comment says
so), most approved by the coordinator, some still waiting. The seeds state no indicator-level target or
baseline (Bălți's finding D10; Baia Mare's KPIs have none): those stay empty, shown as "not stated"."""

import random
from typing import Any

from carenet.core.models import Municipality

from .importers import BAIA_MARE_PLAN_CODE, BALTI_PLAN_CODE, import_baia_mare_plan, import_balti_plan
from .models import Plan
from .services import submissions_open

_PLANS = (("balti", BALTI_PLAN_CODE, import_balti_plan), ("baia-mare", BAIA_MARE_PLAN_CODE, import_baia_mare_plan))


def load(*, stdout: Any = None) -> None:
    """Idempotent: a plan already loaded (maybe with reported data) is left as it is."""
    for slug, code, importer in _PLANS:
        municipality = Municipality.objects.filter(slug=slug).first()
        if municipality is None:
            continue
        plan = Plan.objects.for_tenant(municipality).filter(code=code).first() or importer(municipality=municipality)
        first_period = plan.periods.order_by("start_date").first()
        if first_period is not None:
            submissions_open(period=first_period)  # the demo bodies find their first form waiting
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


def load_sources(*, stdout: Any = None) -> None:
    """Point the shipped plans' indicators at the activities registers (carenet/plans/data/indicator_sources.json).

    Runs after the activities demo, so the demo's year of activities is counted; idempotent."""
    from .services import indicator_sources_apply

    for slug, code, _importer in _PLANS:
        municipality = Municipality.objects.filter(slug=slug).first()
        if municipality is None:
            continue
        plan = Plan.objects.for_tenant(municipality).filter(code=code).first()
        if plan is None:
            continue
        n = indicator_sources_apply(plan=plan)
        if stdout:
            computed = plan.indicators.filter(source="computed").count()
            stdout.write(
                f"  {municipality.name}: {n} indicators computed from the registers, "
                f"{computed} of {plan.indicators.count()} computed in all"
            )


SYNTHETIC = "Valoare sintetică (demo)."


def load_reports(*, stdout: Any = None) -> None:
    """The synthetic 2025 reporting round (a loader of its own: tests load the plans without it)."""
    for slug, code, _importer in _PLANS:
        municipality = Municipality.objects.filter(slug=slug).first()
        if municipality is None:
            continue
        plan = Plan.objects.for_tenant(municipality).filter(code=code).first()
        if plan is None:
            continue
        reported = _report_2025(plan)
        if stdout:
            stdout.write(f"  {municipality.name}: {reported} synthetic indicator values for 2025")


def _report_2025(plan: Plan) -> int:
    """Fill the 2025 forms with synthetic values; 8 in 10 approved, 1 submitted, 1 left in draft.
    Idempotent: a period that already holds values is left as it is."""
    from django.db import transaction
    from django.utils import timezone

    from carenet.accounts.models import Membership
    from carenet.core.roles import Role

    from .models import TOTAL, IndicatorKind, IndicatorValue, Submission, SubmissionStatus
    from .selectors import expected_indicators_by_body

    m = plan.municipality_id
    period = plan.periods.filter(end_date__year=2025).order_by("start_date").first()
    if period is None or IndicatorValue.objects.for_tenant(m).filter(period=period).exists():
        return 0
    submissions_open(period=period)
    coordinator = Membership.objects.for_tenant(m).filter(role=Role.COORDINATOR, is_active=True).order_by("pk").first()
    expected = expected_indicators_by_body(plan=plan)
    indicators: dict[Any, Any] = {i.pk: i for i in plan.indicators.all()}
    rng = random.Random(f"{plan.code}:2025")
    now = timezone.now()
    rows: list[IndicatorValue] = []
    with transaction.atomic():
        submissions = (
            Submission.objects.for_tenant(m).filter(period=period).select_related("organisation").order_by("pk")
        )
        for i, submission in enumerate(sorted(submissions, key=lambda s: s.organisation.code)):
            ids = sorted(expected.get(submission.organisation_id, ()))
            if not ids:
                continue
            status = [SubmissionStatus.DRAFT, SubmissionStatus.SUBMITTED][i % 2] if i % 5 == 4 else "approved"
            for pk in ids:
                indicator = indicators[pk]
                value, text = None, ""
                if indicator.kind == IndicatorKind.PERCENTAGE:
                    value = rng.randint(40, 100)
                elif indicator.kind == IndicatorKind.MILESTONE:
                    value = rng.choice([0, 1, 1])
                elif indicator.kind == IndicatorKind.LIST:
                    text = "Activități de informare și prevenire (sintetic)."
                elif indicator.kind in (IndicatorKind.FREQUENCY, IndicatorKind.PERIOD):
                    value = rng.randint(1, 12)
                else:
                    value = rng.randint(1, 15)
                rows.append(
                    IndicatorValue(
                        municipality_id=m,
                        indicator=indicator,
                        period=period,
                        body_code=submission.organisation.code,
                        submission=submission,
                        combo=TOTAL,
                        value=value,
                        text=text,
                        comment=SYNTHETIC,
                    )
                )
            fields: dict[str, Any] = {"status": status}
            if status != SubmissionStatus.DRAFT:
                fields.update(submitted_at=now)
            if status == SubmissionStatus.APPROVED:
                fields.update(reviewed_at=now, reviewed_by=getattr(coordinator, "user", None))
            Submission.objects.for_tenant(m).filter(pk=submission.pk).update(**fields)
        IndicatorValue.objects.bulk_create(rows)
    return len(rows)
