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

from carenet.core.demo import MUNICIPALITIES as DEMO_MUNICIPALITIES
from carenet.core.models import Municipality, Organisation
from carenet.core.roles import Role
from carenet.directory.models import Service
from carenet.people.models import Person

from .models import Case, CaseStatus, DutyKind, MonitoringDuty, Task

PERSONS_PER_MUNICIPALITY = 300
DELIVERIES_PER_MUNICIPALITY = 1500


# Task titles and relations as the municipality's caseworkers write them (data, not interface text): Romanian
# in Baia Mare, Russian in Bălți.
DEMO_TASKS = {
    "baia-mare": ["Sunați familia", "Actualizați ancheta socială", "Cereți școlii o caracterizare"],
    "balti": ["Позвонить семье", "Обновить социальное обследование", "Запросить характеристику из школы"],
}
DEMO_GRANDMOTHER = {"baia-mare": "bunică", "balti": "бабушка"}


def _staffing(municipality: Municipality) -> dict[Any, list[Any]]:
    from carenet.accounts.models import Membership

    staff: dict[Any, list[Any]] = {}
    for m in (
        Membership.objects.for_tenant(municipality).filter(role=Role.CASEWORKER, is_active=True).select_related("user")
    ):
        staff.setdefault(m.organisation_id, []).append(m.user)
    return staff


DEMO_SLUGS = frozenset(spec["slug"] for spec in DEMO_MUNICIPALITIES)


def load(*, stdout: Any = None) -> None:
    from bench.generate import Plan, generate

    for municipality in Municipality.objects.order_by("slug"):
        if Person.objects.for_tenant(municipality).filter(is_synthetic=True).exists():
            _places(municipality, seed=sum(map(ord, municipality.slug)))
            _year_of_work(municipality, seed=sum(map(ord, municipality.slug)), stdout=stdout)
            continue
        if municipality.slug not in DEMO_SLUGS:
            continue  # a population is invented for the demo tenants only, never into a benchmark's municipality
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
        _places(municipality, seed=plan.seed)
        _year_of_work(municipality, seed=plan.seed, stdout=stdout)


def _duties_and_tasks(municipality: Municipality, *, seed: int) -> None:
    """Monitoring duties and tasks on the active cases, some of them overdue, for the workspaces."""
    rng = random.Random(seed)
    today = timezone.localdate()
    active = Case.objects.for_tenant(municipality).filter(status=CaseStatus.ACTIVE, caseworker__isnull=False)
    child_born_after = today.replace(year=today.year - 18, day=min(today.day, 28))
    for i, case in enumerate(active.select_related("person").order_by("reference")[:60]):
        born = case.person.birth_date
        is_child = born is not None and born > child_born_after
        # Reintegration and parents abroad are duties towards children; adults get a plan follow-up.
        kind = (
            [DutyKind.REINTEGRATION, DutyKind.PARENTS_ABROAD, DutyKind.PLAN_FOLLOW_UP][i % 3]
            if is_child
            else DutyKind.PLAN_FOLLOW_UP
        )
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
            carer_relation=DEMO_GRANDMOTHER.get(municipality.slug, "bunică") if kind == DutyKind.PARENTS_ABROAD else "",
            parents_country="Italia" if kind == DutyKind.PARENTS_ABROAD else "",
        )
        Task.objects.create(
            municipality=municipality,
            case=case,
            title=rng.choice(DEMO_TASKS.get(municipality.slug, DEMO_TASKS["baia-mare"])),
            due_on=today + datetime.timedelta(days=rng.randint(-5, 15)),
            assignee_id=case.caseworker_id,
        )


def _places(municipality: Municipality, *, seed: int) -> None:
    """Synthetic persons without an area get one of the municipality's areas: in Baia Mare most live in its
    marginalised zones or component localities (the rest in parts of the city no zone covers), in Bălți
    everyone in one of the demo sectors that cover the city. Idempotent (only persons without an area)."""
    from carenet.geo.models import Area, AreaKind

    areas = list(Area.objects.for_tenant(municipality).order_by("kind", "name"))
    if not areas:
        return
    persons = list(
        Person.objects.for_tenant(municipality)
        .filter(is_synthetic=True, area__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    rng = random.Random(seed * 11 + 3)
    marginalised = [a for a in areas if a.kind == AreaKind.MARGINALISED]
    localities = [a for a in areas if a.kind == AreaKind.LOCALITY]
    by_area: dict[Any, list[Any]] = {}
    for pk in persons:
        roll = rng.random()
        if marginalised or localities:
            area = (
                rng.choice(marginalised)
                if marginalised and roll < 0.6
                else rng.choice(localities)
                if localities and roll < 0.7
                else None
            )
        else:
            area = rng.choice(areas)
        if area is not None:
            by_area.setdefault(area.pk, []).append(pk)
    with transaction.atomic():
        for area_id, ids in by_area.items():
            Person.objects.for_tenant(municipality).filter(pk__in=ids).update(area_id=area_id)


# --- a year of case work ----------------------------------------------------------------------------------
# What a caseworker writes, by the risk the inquiry found (synthetic, in the staff's working language).
_FINDINGS: dict[str, tuple[str, str, str]] = {
    # risk: (housing notes, conclusions of the inquiry, plan goal)
    "poverty": (
        "Locuință cu două camere, încălzită cu lemne; venitul nu acoperă utilitățile iarna.",
        "Familia are nevoie de sprijin material și de ajutor pentru actele de ajutor social.",
        "Venit minim asigurat și ajutor pentru încălzire până la sfârșitul iernii.",
    ),
    "neglect": (
        "Locuință întreținută precar; copiii nu au spațiu pentru teme.",
        "Se recomandă consiliere parentală și urmărirea frecvenței școlare.",
        "Îngrijirea zilnică a copiilor asigurată de părinți, cu sprijinul centrului de zi.",
    ),
    "violence": (
        "Persoana locuiește temporar la o rudă, după un episod de violență în familie.",
        "Risc ridicat: plan de siguranță, consiliere psihologică, orientare către poliție.",
        "Siguranța persoanei și a copiilor; independență față de agresor.",
    ),
    "abandonment": (
        "Mama singură, fără sprijin din partea familiei extinse.",
        "Risc de separare a copilului de familie; se propune sprijin familial și monitorizare.",
        "Copilul rămâne în familie, cu sprijin pentru mamă.",
    ),
    "school_dropout": (
        "Familie numeroasă, locuință supraaglomerată.",
        "Copilul a lipsit de la școală peste două luni; se propune mediere cu școala.",
        "Reintegrarea școlară a copilului și participarea la programul after-school.",
    ),
    "addiction": (
        "Locuință proprie, neîngrijită.",
        "Consum de alcool declarat; se propune orientare către serviciul de prevenire a adicțiilor.",
        "Reducerea consumului și reluarea legăturii cu familia.",
    ),
    "isolation": (
        "Persoana vârstnică locuiește singură, la etajul patru, fără lift.",
        "Izolare socială; se propun vizite la domiciliu și participarea la centrul de zi.",
        "Îngrijire la domiciliu de două ori pe săptămână și activități la centrul de zi.",
    ),
    "disability": (
        "Locuință neadaptată pentru scaun rulant.",
        "Dizabilitate fără sprijin: se propune reevaluarea gradului și asistență personală.",
        "Acces la recuperare și la asistență personală.",
    ),
    "housing": (
        "Persoana a pierdut locuința închiriată; doarme temporar la cunoscuți.",
        "Risc de a rămâne fără adăpost; se propune găzduire temporară și sprijin pentru chirie.",
        "O locuință stabilă în trei luni.",
    ),
}
_VISIT_FINDINGS = [
    "Situația este stabilă; acțiunile din plan se desfășoară conform calendarului.",
    "Familia a primit ajutorul pentru încălzire; copiii frecventează școala.",
    "Persoana participă la activitățile centrului de zi de două ori pe săptămână.",
    "A apărut o datorie la întreținere; s-a discutat un plan de plată.",
    "Îngrijitorul declarat este prezent; copilul este îngrijit corespunzător.",
    "Starea de sănătate s-a agravat; s-a programat o consultație la medicul de familie.",
]
_ACTIONS = [
    ("Întocmirea dosarului de ajutor social", "asistentul social"),
    ("Consiliere psihologică, 6 ședințe", "psihologul serviciului"),
    ("Înscrierea la centrul de zi", "coordonatorul centrului"),
    ("Mediere cu școala", "asistentul social"),
    ("Vizită la medicul de familie", "persoana, însoțită de asistentul social"),
]


# The domain a risk of the social inquiry weighs on, in the general and the child protection assessment.
_RISK_DOMAIN = {
    "poverty": ("income", "income"),
    "neglect": ("safety", "child_safety"),
    "violence": ("safety", "child_safety"),
    "abandonment": ("family", "parenting"),
    "school_dropout": ("education", "child_education"),
    "addiction": ("health", "parenting"),
    "isolation": ("family", "family_environment"),
    "parents_abroad": ("family", "parenting"),
    "disability": ("autonomy", "child_development"),
    "housing": ("housing", "family_environment"),
}


def _demo_ratings(assessment: Any, *, risk: str, second: str | None, age: int, rng: random.Random) -> list[Any]:
    """A believable rating per domain: high where the inquiry found the risk, medium for a second risk, the
    heat and the cold weighing on the old; low or none elsewhere."""
    from .models import DOMAINS_OF_VARIANT, DomainRating

    child = assessment.variant == "child"
    high = _RISK_DOMAIN.get(risk, ("", ""))[child]
    medium = _RISK_DOMAIN.get(second or "", ("", ""))[child]
    rows = []
    for domain in DOMAINS_OF_VARIANT[assessment.variant]:
        if domain == high:
            level = 3
        elif domain == medium:
            level = 2
        elif domain == "thermal":
            level = (
                rng.choice([1, 2, 2, 3]) if age >= 75 else rng.choice([1, 2]) if age >= 65 else rng.choice([0, 0, 1])
            )
        else:
            level = rng.choice([0, 0, 1, 1, 2])
        rows.append(
            DomainRating(
                municipality_id=assessment.municipality_id,
                assessment=assessment,
                domain=domain,
                level=level,
                note=_DOMAIN_NOTES.get((domain, level), ""),
            )
        )
    return rows


_DOMAIN_NOTES = {
    ("thermal", 3): "Locuință neizolată, fără ventilație; persoana nu iese din casă în zilele caniculare.",
    ("thermal", 2): "Încălzire cu lemne, insuficientă iarna.",
    ("income", 3): "Venit sub pragul ajutorului social; datorii la utilități.",
    ("housing", 3): "Risc de evacuare; locuință improvizată.",
    ("safety", 3): "Semnale de violență în familie; plan de siguranță necesar.",
    ("child_safety", 3): "Copil lăsat nesupravegheat; semne de neglijare.",
    ("autonomy", 3): "Are nevoie de ajutor zilnic la igienă și mese.",
    ("family", 3): "Locuiește singur(ă), fără rude în oraș.",
    ("parenting", 3): "Părinții plecați la muncă în străinătate; îngrijitor vârstnic.",
    ("child_education", 3): "Absențe repetate; risc de abandon școlar.",
}


def _year_of_work(municipality: Municipality, *, seed: int, stdout: Any = None) -> None:
    """Social inquiries, assessments, intervention plans and monitoring visits on the synthetic cases, as a
    year of work would leave them (idempotent: skipped once the municipality's synthetic cases have inquiries)."""
    from .models import (
        Assessment,
        AssessmentVariant,
        DomainRating,
        InterventionPlan,
        MonitoringVisit,
        PlanAction,
        PlanStatus,
        SocialInquiry,
    )

    cases = list(
        Case.objects.for_tenant(municipality)
        .filter(is_synthetic=True)
        .exclude(status=CaseStatus.INTAKE)
        .select_related("person")
        .order_by("reference")
    )
    if not cases or SocialInquiry.objects.for_tenant(municipality).filter(case__in=cases[:1]).exists():
        return
    rng = random.Random(seed * 7 + 1)
    today = timezone.localdate()
    risks = list(_FINDINGS)
    inquiries, assessments, plans, actions = [], [], [], []
    ratings: list[DomainRating] = []
    with transaction.atomic():
        for case in cases:
            born = case.person.birth_date
            age = (today - born).days // 365 if born else 40
            pool = (
                ["neglect", "abandonment", "school_dropout", "poverty"]
                if age < 18
                else ["isolation", "disability", "poverty"]
                if age >= 65
                else risks
            )
            risk = rng.choice(pool)
            second = rng.choice(risks) if rng.random() < 0.3 else None
            housing_notes, conclusions, goal = _FINDINGS[risk]
            visited = min(case.opened_on + datetime.timedelta(days=rng.randint(2, 12)), today)
            inquiries.append(
                SocialInquiry(
                    municipality=municipality,
                    case=case,
                    visited_on=visited,
                    household_size=rng.choice([1, 1, 2, 3, 4, 5, 6]),
                    household_notes="Date sintetice (demo).",
                    monthly_income=rng.choice([None, 1200, 1850, 2600, 3400, 4100]),
                    income_sources=rng.choice(
                        ["pensie", "alocație pentru copii", "salariu minim", "ajutor social", ""]
                    ),
                    housing=rng.choice(["owned", "rented", "social", "relatives", "informal"])
                    if risk != "housing"
                    else "informal",
                    housing_notes=housing_notes,
                    health=rng.choice(["Fără probleme declarate.", "Boală cronică, tratament la domiciliu.", ""]),
                    education=rng.choice(["", "Studii gimnaziale.", "Elev în clasa a VI-a."]),
                    risks=[r for r in (risk, second) if r],
                    conclusions=conclusions,
                    author_id=case.caseworker_id,
                )
            )
            if case.status in (CaseStatus.INQUIRY, CaseStatus.REFUSED):
                continue
            initial = Assessment(
                municipality=municipality,
                case=case,
                kind="initial",
                variant=AssessmentVariant.CHILD if age < 18 else AssessmentVariant.GENERAL,
                assessed_on=visited + datetime.timedelta(days=3),
                summary=conclusions,
                author_id=case.caseworker_id,
            )
            assessments.append(initial)
            ratings.extend(_demo_ratings(initial, risk=risk, second=second, age=age, rng=rng))
            status = PlanStatus.SUBMITTED if case.status == CaseStatus.ADMITTED else PlanStatus.APPROVED
            plan = InterventionPlan(
                municipality=municipality,
                case=case,
                goals=goal,
                status=status,
                approved_at=timezone.now() if status == PlanStatus.APPROVED else None,
            )
            plans.append(plan)
            for action, responsible in rng.sample(_ACTIONS, 2):
                due = visited + datetime.timedelta(days=rng.randint(20, 120))
                actions.append(
                    PlanAction(
                        municipality=municipality,
                        plan=plan,
                        action=action,
                        responsible=responsible,
                        due_on=due,
                        done_on=due - datetime.timedelta(days=rng.randint(0, 10)) if due < today else None,
                    )
                )
            if case.status in (CaseStatus.ACTIVE, CaseStatus.CLOSED):
                assessments.append(
                    Assessment(
                        municipality=municipality,
                        case=case,
                        kind="intermediate",
                        assessed_on=min(visited + datetime.timedelta(days=90), today),
                        summary="Evaluare intermediară: o parte din obiective atinse.",
                        progress=rng.choice([30, 40, 50, 60, 70]),
                        author_id=case.caseworker_id,
                    )
                )
            if case.status == CaseStatus.CLOSED and case.closed_on:
                assessments.append(
                    Assessment(
                        municipality=municipality,
                        case=case,
                        kind="final",
                        assessed_on=case.closed_on,
                        summary="Evaluare finală: obiectivele planului au fost atinse.",
                        progress=100,
                        author_id=case.caseworker_id,
                    )
                )
        SocialInquiry.objects.bulk_create(inquiries)
        Assessment.objects.bulk_create(assessments)
        DomainRating.objects.bulk_create(ratings)
        InterventionPlan.objects.bulk_create(plans)
        PlanAction.objects.bulk_create(actions)
        visits = []
        for duty in MonitoringDuty.objects.for_tenant(municipality).filter(case__in=cases):
            day = duty.starts_on + datetime.timedelta(weeks=duty.interval_weeks)
            while day <= min(today, duty.next_due_on - datetime.timedelta(days=1)):
                visits.append(
                    MonitoringVisit(
                        municipality=municipality,
                        duty=duty,
                        visited_on=day,
                        findings=rng.choice(_VISIT_FINDINGS),
                        author_id=duty.responsible_id,
                    )
                )
                day += datetime.timedelta(weeks=duty.interval_weeks)
        MonitoringVisit.objects.bulk_create(visits)
    if stdout:
        stdout.write(
            f"  {municipality.name}: {len(inquiries)} social inquiries, {len(assessments)} assessments, "
            f"{len(plans)} intervention plans, {len(visits)} monitoring visits (synthetic)"
        )
