"""Demo beneficiaries: a few hundred synthetic persons per municipality, cases at every stage,
monitoring duties (some overdue) and service deliveries against the directory's real services.

Every row is flagged synthetic. Services are never created here: deliveries use the Service rows
the directory already holds for each organisation (none → no deliveries for it). Idempotent.
"""

from __future__ import annotations

import datetime
import random
from typing import Any

from django.db import transaction
from django.utils import timezone

from carenet.core.models import Municipality, Organisation
from carenet.core.roles import Role
from carenet.directory.models import Service
from carenet.people.models import Person

from .models import Case, CaseStatus, DutyKind, MonitoringDuty, Task

PERSONS_PER_MUNICIPALITY = 300
DELIVERIES_PER_MUNICIPALITY = 1500


def _staffing(municipality: Municipality) -> dict[Any, list[Any]]:
    from carenet.accounts.models import Membership

    staff: dict[Any, list[Any]] = {}
    for m in (
        Membership.objects.for_tenant(municipality).filter(role=Role.CASEWORKER, is_active=True).select_related("user")
    ):
        staff.setdefault(m.organisation_id, []).append(m.user)
    return staff


def load(*, stdout: Any = None) -> None:
    from bench.generate import Plan, generate

    for municipality in Municipality.objects.order_by("slug"):
        if Person.objects.for_tenant(municipality).filter(is_synthetic=True).exists():
            continue
        providers = list(Organisation.objects.for_tenant(municipality).filter(is_provider=True, is_generic=False))
        if not providers:
            continue
        staff = _staffing(municipality)
        # Weight the organisations that have demo caseworkers so their workspaces are full.
        weighted = [o for o in providers for _ in range(12 if o.pk in staff else 1)]
        services: dict[Any, list[Any]] = {}
        for service in Service.objects.for_tenant(municipality).filter(organisation__in=providers):
            services.setdefault(service.organisation_id, []).append(service)
        plan = Plan(
            municipality=municipality,
            organisations=weighted,
            services_by_org=services,
            caseworkers_by_org=staff,
            persons=PERSONS_PER_MUNICIPALITY,
            deliveries=DELIVERIES_PER_MUNICIPALITY,
            seed=sum(map(ord, municipality.slug)),
            country=municipality.country,
        )
        with transaction.atomic():
            counts = generate(plan)
            _duties_and_tasks(municipality, seed=plan.seed)
        if stdout:
            stdout.write(f"  {municipality.name}: {counts}")


def _duties_and_tasks(municipality: Municipality, *, seed: int) -> None:
    """Monitoring duties and tasks on the active cases, some of them overdue, for the workspaces."""
    rng = random.Random(seed)
    today = timezone.localdate()
    active = Case.objects.for_tenant(municipality).filter(status=CaseStatus.ACTIVE, caseworker__isnull=False)
    for i, case in enumerate(active.order_by("reference")[:60]):
        kind = [DutyKind.REINTEGRATION, DutyKind.PARENTS_ABROAD, DutyKind.PLAN_FOLLOW_UP][i % 3]
        starts = today - datetime.timedelta(days=rng.randint(10, 120))
        interval = rng.choice([2, 4, 8])
        MonitoringDuty.objects.create(
            municipality=municipality,
            case=case,
            kind=kind,
            starts_on=starts,
            ends_on=starts + datetime.timedelta(days=200),
            interval_weeks=interval,
            next_due_on=today + datetime.timedelta(days=rng.randint(-20, 20)),
            responsible_id=case.caseworker_id,
            carer_name="(synthetic) bunica" if kind == DutyKind.PARENTS_ABROAD else "",
            carer_relation="grandmother" if kind == DutyKind.PARENTS_ABROAD else "",
            parents_country="Italia" if kind == DutyKind.PARENTS_ABROAD else "",
        )
        Task.objects.create(
            municipality=municipality,
            case=case,
            title=rng.choice(["Call the family", "Update the social inquiry", "Ask the school for a report"]),
            due_on=today + datetime.timedelta(days=rng.randint(-5, 15)),
            assignee_id=case.caseworker_id,
        )
