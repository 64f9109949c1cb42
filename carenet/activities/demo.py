"""Demo: a believable synthetic year (2025) of activities, participants, staff and agreements in both
municipalities — every row flagged synthetic.

The organisations and the plan actions are the real ones already loaded (core, plans); what happened is
invented: for each action of a plan, the activities its indicators count (trainings, information sessions,
campaigns, round tables, exchange visits, evaluations, media items, events …) are generated from the words
of those indicators, organised by the action's responsible body, with participants counted at the door by
sex × age band × disability (the bands of the municipality's plan). No place is an address: only the
localities of the municipality. Idempotent: a municipality that has synthetic activities is left alone.
Rows are written in bulk, with one audit event per municipality.
"""

from __future__ import annotations

import datetime
import random
from typing import Any

from django.db import models, transaction

from carenet.audit.services import audit_record
from carenet.core.models import Municipality, Organisation

from .models import (
    AccessibilityEvaluation,
    Activity,
    ActivityKind,
    ActivityPartner,
    AgeBand,
    Agreement,
    AgreementParty,
    KindCategory,
    MediaItem,
    ParticipantCount,
    Recommendation,
    StaffMember,
    SubPlan,
    SubPlanIndicator,
    TrainingRecord,
)

YEAR = 2025

# The tenant's list of kinds (code, name, category): the same words in both municipalities' working language.
KINDS = [
    ("instruire", "Instruire / seminar", KindCategory.TRAINING),
    ("atelier", "Atelier practic", KindCategory.TRAINING),
    ("curs-formare", "Curs de formare profesională", KindCategory.VOCATIONAL),
    ("sedinta-informare", "Ședință de informare", KindCategory.INFORMATION),
    ("campanie", "Campanie de informare și sensibilizare", KindCategory.CAMPAIGN),
    ("sedinta-platforma", "Ședința platformei beneficiari–instituții", KindCategory.MEETING),
    ("masa-rotunda", "Masă rotundă", KindCategory.MEETING),
    ("eveniment-comunitar", "Eveniment comunitar", KindCategory.EVENT),
    ("ziua-varstnicului", "Ziua internațională a persoanelor în etate (1 octombrie)", KindCategory.EVENT),
    ("targ-locuri-munca", "Târg de locuri de muncă", KindCategory.EVENT),
    ("tabara-vara", "Tabără de vară", KindCategory.EVENT),
    ("imbatranire-activa", "Club de îmbătrânire activă", KindCategory.ACTIVE_AGEING),
    ("vizita-schimb", "Vizită de schimb de experiență", KindCategory.VISIT),
    ("articol-media", "Articol sau emisiune în mass-media", KindCategory.MEDIA),
    ("istorie-succes", "Istorie de succes promovată", KindCategory.MEDIA),
    ("evaluare", "Evaluare sau analiză", KindCategory.EVALUATION),
    ("consultare-publica", "Consultare publică", KindCategory.CONSULTATION),
    ("initiativa-voluntariat", "Inițiativă de voluntariat", KindCategory.VOLUNTEERING),
]
# The sign-in sheet's age bands: those of each municipality's plan (Bălți's as written, overlap included).
BANDS = {
    "balti": [
        ("0-6", 0, 6),
        ("7-15", 7, 15),
        ("16-18", 16, 18),
        ("19-25", 19, 25),
        ("25-35", 25, 35),
        ("36-63", 36, 63),
        ("64+", 64, None),
    ],
    "baia-mare": [("0-17", 0, 17), ("18-64", 18, 64), ("65+", 65, None)],
}
# Component localities of each municipality (no addresses).
LOCALITIES = {
    "balti": ["Bălți"] * 8 + ["Elizaveta", "Sadovoe"],
    "baia-mare": ["Baia Mare"] * 8 + ["Firiza", "Blidari", "Valea Neagră", "Valea Borcutului"],
}
# Words of an indicator → the kind of activity it counts (first match wins; Romanian as the plans write it).
WORDS = [
    (("campani",), "campanie"),
    (("mese rotunde",), "masa-rotunda"),
    (("ședințelor", "ședințe"), "sedinta-platforma"),
    (("vizite",), "vizita-schimb"),
    (("istorii de succes",), "istorie-succes"),
    (("articole", "emisiuni", "publicați"), "articol-media"),
    (("evaluări", "analize"), "evaluare"),
    (("instrui", "module", "sesiuni"), "instruire"),
    (("informa",), "sedinta-informare"),
    (("evenimente",), "eveniment-comunitar"),
    (("formare", "cursuri"), "instruire"),
    (("voluntar",), "initiativa-voluntariat"),
    (("consultare", "dezbateri"), "consultare-publica"),
    (("activități", "acțiuni", "participanți", "beneficiari informați"), "eveniment-comunitar"),
]
WITHOUT_PARTICIPANTS = {"articol-media", "istorie-succes", "evaluare"}
FIRST = ["Ana", "Maria", "Elena", "Ion", "Vasile", "Natalia", "Tatiana", "Sergiu", "Irina", "Andrei", "Olga", "Mihai"]
LAST = [
    "Popa",
    "Rusu",
    "Ciobanu",
    "Lungu",
    "Munteanu",
    "Ceban",
    "Moraru",
    "Pop",
    "Mureșan",
    "Kovács",
    "Rotaru",
    "Țurcanu",
]
PROFESSIONS = [
    "social_assistant",
    "social_assistant",
    "community_assistant",
    "psychologist",
    "personal_assistant",
    "carer",
    "nurse",
    "manager",
]


def load(*, stdout: Any = None) -> None:
    for municipality in Municipality.objects.filter(slug__in=BANDS).order_by("slug"):
        if not Activity.objects.for_tenant(municipality).filter(is_synthetic=True).exists():
            with transaction.atomic():
                counts = _load_municipality(municipality)
            if stdout:
                stdout.write(
                    f"  {municipality.name}: {counts['activities']} synthetic activities of {YEAR}, "
                    f"{counts['participants']} participants, {counts['staff']} staff, "
                    f"{counts['agreements']} agreements"
                )
        if not MediaItem.objects.for_tenant(municipality).filter(is_synthetic=True).exists():
            with transaction.atomic():
                made = _load_registers(municipality)
            if stdout:
                stdout.write(f"  {municipality.name}: " + ", ".join(f"{n} {what}" for what, n in made.items()))


def _load_municipality(municipality: Municipality) -> dict[str, int]:
    rng = random.Random(f"carenet-activities-{municipality.slug}")
    m = municipality.pk
    kinds = {}
    for order, (code, name, category) in enumerate(KINDS):
        kinds[code], _created = ActivityKind.objects.for_tenant(m).get_or_create(
            code=code, defaults={"municipality_id": m, "name": name, "category": category, "order": order}
        )
    bands = BANDS[municipality.slug]
    for order, (code, low, high) in enumerate(bands):
        AgeBand.objects.for_tenant(m).get_or_create(
            code=code, defaults={"municipality_id": m, "low": low, "high": high, "order": order}
        )
    orgs = list(Organisation.objects.for_tenant(m).filter(is_generic=False).order_by("code"))
    if not orgs:
        return {"activities": 0, "participants": 0, "staff": 0, "agreements": 0}
    default_org = next((o for o in orgs if o.code in ("primaria", "das")), orgs[0])
    localities = LOCALITIES[municipality.slug]
    activities: list[Activity] = []
    partners: list[ActivityPartner] = []
    cells: list[ParticipantCount] = []

    def add(kind: str, action: Any, organiser: Organisation, day: datetime.date, audience: str, title: str) -> Activity:
        category = kinds[kind].category
        activity = Activity(
            municipality_id=m,
            kind=kinds[kind],
            title=title[:300],
            starts_on=day,
            organiser=organiser,
            plan_action=action,
            locality=rng.choice(localities),
            topic=(action.title[:200] if action is not None else ""),
            modules=rng.randint(1, 4) if category == KindCategory.TRAINING else 0,
            trainers="" if category != KindCategory.TRAINING else "formatori ai organizatorului (sintetic)",
            is_synthetic=True,
        )
        activities.append(activity)
        for partner in rng.sample(
            [o for o in orgs if o.pk != organiser.pk], k=rng.choice((1, 1, 2) if action else (0, 1, 2))
        ):
            partners.append(ActivityPartner(municipality_id=m, activity=activity, organisation=partner))
        if kind not in WITHOUT_PARTICIPANTS:
            cells.extend(_participants(rng, m, activity, bands, audience))
        return activity

    # Activities of the plan's actions, from the words of their indicators.
    action_model = Activity._meta.get_field("plan_action").related_model
    actions = list(action_model.objects.for_tenant(m).order_by("order"))  # type: ignore[union-attr]
    for action in actions:
        texts = [_normal(t) for t in action.indicators.values_list("text", flat=True)]
        wanted = []
        for text in texts:
            for words, kind in WORDS:
                if any(w in text for w in words):
                    wanted.append(kind)
                    break
        if not wanted and not texts:
            # A plan whose indicators are not per action (Baia Mare's KPIs): the action's own words decide.
            title = _normal(action.title)
            wanted = [kind for words, kind in WORDS[:-1] if any(w in title for w in words)][:1]
        if not wanted:
            continue
        organiser = next((o for o in action.responsible.all() if not o.is_generic), default_org)
        audience = _audience(" ".join(texts) + " " + action.title.lower())
        for kind in dict.fromkeys(wanted):
            for _n in range(rng.randint(2, 5) if kind != "sedinta-platforma" else 4):
                day = _day(rng, kind)
                add(kind, action, organiser, day, audience, f"{kinds[kind].name}: {action.title[:120]}")

    # The network's calendar beyond the actions' own indicators (Baia Mare's KPIs 6, 7, 11, 12 count these).
    for kind, times, audience, title in (
        ("ziua-varstnicului", 1, "elderly", "Ziua persoanelor în etate"),
        ("eveniment-comunitar", 10, "mixed", "Eveniment comunitar de incluziune socială"),
        ("curs-formare", 6, "adults", "Curs de formare profesională pentru grupuri vulnerabile"),
        ("initiativa-voluntariat", 8, "adults", "Inițiativă de voluntariat sprijinită de municipiu"),
        ("imbatranire-activa", 24, "elderly", "Club de îmbătrânire activă – întâlnire"),
        ("targ-locuri-munca", 1, "adults", "Târg de locuri de muncă"),
        ("tabara-vara", 1, "children", "Tabără de vară pentru copii"),
    ):
        for n in range(times):
            if kind == "ziua-varstnicului":
                day = datetime.date(YEAR, 10, 1)
            elif kind == "imbatranire-activa":
                day = datetime.date(YEAR, 1, 7) + datetime.timedelta(days=14 * n)  # every other Tuesday
            elif kind == "tabara-vara":
                day = datetime.date(YEAR, 7, 14)
            else:
                day = _day(rng, kind)
            add(kind, None, rng.choice(orgs), day, audience, title)

    Activity.objects.bulk_create(activities)
    ActivityPartner.objects.bulk_create(partners)
    ParticipantCount.objects.bulk_create(cells)
    staff = _staff(rng, m, orgs, [a for a in activities if a.kind.category == KindCategory.TRAINING])
    agreements = _agreements(rng, m, orgs, actions)
    audit_record(
        action="activities.demo_load",
        municipality=m,
        object_type="activities.activity",
        changes={"activities": len(activities), "counts": len(cells), "staff": staff, "agreements": agreements},
    )
    return {
        "activities": len(activities),
        "participants": sum(c.number for c in cells),
        "staff": staff,
        "agreements": agreements,
    }


def _normal(text: Any) -> str:
    """Lower case, with the cedilla letters the plans mix in (ţ, ş) written as the comma letters (ț, ș)."""
    return str(text).lower().replace("ţ", "ț").replace("ş", "ș")


def _audience(text: str) -> str:
    if "copii" in text or "tineri" in text or "elev" in text:
        return "children"
    if "în etate" in text or "vârstnic" in text:
        return "elderly"
    if any(w in text for w in ("specialiști", "cadre didactice", "părinți", "tutori", "echipe")):
        return "adults"
    return "mixed"


def _day(rng: random.Random, kind: str) -> datetime.date:
    if kind == "sedinta-platforma":  # the platform meets once a quarter
        return datetime.date(YEAR, rng.choice((2, 5, 9, 11)), rng.randint(10, 20))
    month = rng.choice((1, 2, 3, 4, 5, 6, 9, 10, 11, 12)) if kind != "campanie" else rng.randint(1, 12)
    return datetime.date(YEAR, month, rng.randint(1, 28))


def _participants(
    rng: random.Random, m: Any, activity: Activity, bands: list[tuple[str, int, int | None]], audience: str
) -> list[ParticipantCount]:
    codes = [b[0] for b in bands]
    young = [b[0] for b in bands if (b[2] or 200) <= 18]
    adults = [b[0] for b in bands if b[1] >= 18 and b[2] is not None]
    old = [b[0] for b in bands if b[2] is None]
    pool = {"children": young, "elderly": old, "adults": adults}.get(audience, codes)
    total = rng.randint(8, 45)
    rows: dict[tuple[str, str, str], int] = {}
    for _person in range(total):
        sex = "F" if rng.random() < 0.6 else "M"
        band = rng.choice(pool) if rng.random() < 0.95 else ""
        r = rng.random()
        disability = "yes" if r < 0.12 else "no" if r < 0.9 else "not_asked" if r < 0.97 else "refused"
        rows[(sex, band, disability)] = rows.get((sex, band, disability), 0) + 1
    return [
        ParticipantCount(municipality_id=m, activity=activity, sex=sex, age_band=band, disability=disability, number=n)
        for (sex, band, disability), n in rows.items()
    ]


def _staff(rng: random.Random, m: Any, orgs: list[Organisation], trainings: list[Activity]) -> int:
    members: list[StaffMember] = []
    for organisation in orgs:
        if not organisation.is_provider:
            continue
        for _n in range(rng.randint(2, 6)):
            start = datetime.date(rng.randint(2008, 2024), rng.randint(1, 12), 1)
            left = datetime.date(YEAR, rng.randint(1, 12), 28) if rng.random() < 0.08 else None
            members.append(
                StaffMember(
                    municipality_id=m,
                    organisation=organisation,
                    full_name=f"{rng.choice(FIRST)} {rng.choice(LAST)} (sintetic)",
                    sex="F" if rng.random() < 0.8 else "M",
                    birth_year=rng.randint(1962, 2000),
                    profession=rng.choice(PROFESSIONS),
                    post="",
                    employed_from=start,
                    employed_to=left,
                    is_synthetic=True,
                )
            )
    StaffMember.objects.bulk_create(members)
    records = []
    for member in members:
        if trainings and rng.random() < 0.7:
            for activity in rng.sample(trainings, k=min(len(trainings), rng.randint(1, 3))):
                records.append(
                    TrainingRecord(
                        municipality_id=m,
                        staff=member,
                        activity=activity,
                        title=activity.title,
                        completed_on=activity.starts_on,
                        hours=8,
                    )
                )
    TrainingRecord.objects.bulk_create(records)
    return len(members)


def _agreements(rng: random.Random, m: Any, orgs: list[Organisation], actions: list[Any]) -> int:
    cooperation = [a for a in actions if any(w in a.title.lower() for w in ("cooper", "colabor", "parteneri"))]
    made = []
    parties = []
    for n in range(rng.randint(6, 10)):
        organisation, other = rng.sample(orgs, k=2)
        agreement = Agreement(
            municipality_id=m,
            title=f"Acord de colaborare nr. {n + 1}/{YEAR} (sintetic)",
            kind=rng.choice(("partnership", "cooperation", "cooperation", "memorandum")),
            organisation=organisation,
            signed_on=datetime.date(YEAR, rng.randint(1, 12), rng.randint(1, 28)),
            scope="Colaborare în furnizarea serviciilor sociale (date sintetice)",
            plan_action=rng.choice(cooperation) if cooperation else None,
            is_synthetic=True,
        )
        made.append(agreement)
        parties.append(AgreementParty(municipality_id=m, agreement=agreement, organisation=other))
    Agreement.objects.bulk_create(made)
    AgreementParty.objects.bulk_create(parties)
    return len(made)


# --- media, recommendations, accessibility evaluations, sub-plans, completion (decision 0025) -------------

# Kinds of outlet, never the name of a real newspaper or station (the provider fills the real one).
OUTLETS = ["presa locală (sintetic)", "televiziune regională (sintetic)", "rețelele sociale ale primăriei (sintetic)"]
PANEL_TOPICS = ["Servicii sociale disponibile", "Drepturile persoanelor cu dizabilități", "Prevenirea violenței"]
# Words of an action's title → the kind of sub-plan it asks for (first match wins).
SUB_PLAN_WORDS = [
    ("bibliotec", "library"),
    ("palatul", "culture"),
    ("accesibilit", "accessibility"),
    ("planurilor locale", "social_services"),
]
TARGET_WORDS = {"building": "sediul", "web": "pagina web", "system": "sistemul informațional"}
SUB_PLAN_INDICATORS = [
    "Activități de informare realizate",
    "Beneficiari implicați",
    "Parteneriate încheiate",
    "Evenimente comunitare organizate",
    "Specialiști instruiți",
    "Materiale informative distribuite",
]


def _load_registers(municipality: Municipality) -> dict[str, int]:
    rng = random.Random(f"carenet-registers-{municipality.slug}")
    m = municipality.pk
    orgs = list(Organisation.objects.for_tenant(m).filter(is_generic=False).order_by("code"))
    if not orgs:
        return {}
    action_model = Activity._meta.get_field("plan_action").related_model
    actions = list(action_model.objects.for_tenant(m).prefetch_related("responsible").order_by("order"))  # type: ignore[union-attr]

    def organiser(action: Any) -> Organisation:
        return next((o for o in action.responsible.all() if not o.is_generic), None) or rng.choice(orgs)

    def day() -> datetime.date:
        return datetime.date(YEAR, rng.randint(1, 12), rng.randint(1, 28))

    media: list[MediaItem] = []
    plans: list[SubPlan] = []
    plan_rows: list[SubPlanIndicator] = []
    recommendations: list[Recommendation] = []
    evaluations: list[AccessibilityEvaluation] = []
    for action in actions:
        title = _normal(action.title)
        if "panour" in title:  # information panels, placed then updated every quarter
            for n in range(rng.randint(4, 6)):
                media.append(
                    MediaItem(
                        municipality_id=m,
                        organisation=organiser(action),
                        kind="panel",
                        title=f"Panou informativ – actualizare {n + 1} (sintetic)",
                        published_on=datetime.date(YEAR, 1 + 3 * (n % 4), rng.randint(1, 28)),
                        topic=PANEL_TOPICS[n % len(PANEL_TOPICS)],
                        plan_action=action,
                        is_synthetic=True,
                    )
                )
        if any(w in title for w in ("campani", "promov", "mass-media", "articol", "istorii")):
            for _n in range(rng.randint(3, 6)):
                media.append(
                    MediaItem(
                        municipality_id=m,
                        organisation=organiser(action),
                        kind=rng.choice(("article", "article", "broadcast", "success_story", "web")),
                        title=f"{action.title[:150]} (sintetic)",
                        outlet=rng.choice(OUTLETS),
                        published_on=day(),
                        topic=action.title[:200],
                        plan_action=action,
                        is_synthetic=True,
                    )
                )
        kind = next((k for w, k in SUB_PLAN_WORDS if w in title), None)
        if kind is not None:
            authors = [o for o in action.responsible.all() if not o.is_generic] or [organiser(action)]
            for author in authors[: (1 if kind == "accessibility" else 3)]:
                plan = SubPlan(
                    municipality_id=m,
                    organisation=author,
                    kind=kind,
                    title=f"Planul anual de activitate {YEAR} – {author.name[:120]} (sintetic)",
                    year=YEAR,
                    approved_on=datetime.date(YEAR, rng.randint(1, 3), rng.randint(1, 28)),
                    plan_action=action,
                    is_synthetic=True,
                )
                plans.append(plan)
                for n, text in enumerate(rng.sample(SUB_PLAN_INDICATORS, k=rng.randint(4, 6))):
                    plan_rows.append(
                        SubPlanIndicator(
                            municipality_id=m,
                            sub_plan=plan,
                            text=text,
                            achieved=rng.random() < 0.75,
                            order=n,
                        )
                    )
        if "evaluarea primăriei" in title or "platform" in title:
            for _n in range(rng.randint(6, 10)):
                formulated = datetime.date(YEAR, rng.randint(1, 9), rng.randint(1, 28))
                done = rng.random() < 0.5
                recommendations.append(
                    Recommendation(
                        municipality_id=m,
                        organisation=rng.choice(orgs),
                        source="platform" if "platform" in title else "evaluation",
                        text=f"Recomandare privind {action.title[:150].lower()} (sintetic)",
                        formulated_on=formulated,
                        status="implemented" if done else rng.choice(("formulated", "in_progress")),
                        implemented_on=formulated + datetime.timedelta(days=rng.randint(20, 90)) if done else None,
                        plan_action=action,
                        is_synthetic=True,
                    )
                )
    for organisation in rng.sample(orgs, k=min(len(orgs), 12)):
        for target in ("building", "web", "system"):
            if target == "system" and rng.random() < 0.5:
                continue
            evaluated = datetime.date(YEAR, rng.randint(1, 6), rng.randint(1, 28))
            result = rng.choice(("accessible", "partly", "partly", "not_accessible"))
            adapted = (
                evaluated + datetime.timedelta(days=rng.randint(30, 150))
                if result != "accessible" and rng.random() < 0.6
                else None
            )
            evaluations.append(
                AccessibilityEvaluation(
                    municipality_id=m,
                    organisation=organisation,
                    target=target,
                    name=f"{organisation.name[:200]} – {TARGET_WORDS[target]} (sintetic)",
                    evaluated_on=evaluated,
                    result=result,
                    adapted_on=adapted,
                    is_synthetic=True,
                )
            )
    MediaItem.objects.bulk_create(media)
    SubPlan.objects.bulk_create(plans)
    SubPlanIndicator.objects.bulk_create(plan_rows)
    Recommendation.objects.bulk_create(recommendations)
    AccessibilityEvaluation.objects.bulk_create(evaluations)
    # Programmes with enrolment: the trainings and vocational courses record how many enrolled and completed.
    programmes = list(
        Activity.objects.for_tenant(m)
        .filter(is_synthetic=True, kind__category__in=("training", "vocational"), enrolled__isnull=True)
        .order_by("pk")
    )
    sums = dict(
        ParticipantCount.objects.for_tenant(m)
        .filter(activity__in=[a.pk for a in programmes])
        .values("activity_id")
        .annotate(n=models.Sum("number"))
        .values_list("activity_id", "n")
    )
    for activity in programmes:
        activity.enrolled = sums.get(activity.pk) or rng.randint(10, 25)
        activity.completed = max(0, activity.enrolled - rng.randint(0, max(1, activity.enrolled // 5)))
    Activity.objects.for_tenant(m).bulk_update(programmes, ["enrolled", "completed"], batch_size=500)
    made = {
        "media items": len(media),
        "sub-plans": len(plans),
        "recommendations": len(recommendations),
        "accessibility evaluations": len(evaluations),
        "programmes with enrolment": len(programmes),
    }
    audit_record(
        action="activities.demo_load",
        municipality=m,
        object_type="activities.register",
        changes={k.replace(" ", "_"): v for k, v in made.items()},
    )
    return made
