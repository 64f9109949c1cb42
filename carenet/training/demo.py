"""Demo: a synthetic year of courses, enrolments, attendance, certificates, job fairs and placements in both
municipalities — every row flagged synthetic.

The trainers are the real organisations already loaded (core) whose directory services state vocational
training or professional counselling; their names are used, nothing else of theirs is invented (no contact,
address or hours). No company of the seeds trains, so the demo holds no company course (a company joins with its
own account). The participants are the synthetic persons of the cases demo, enrolled from their synthetic
cases. The completion and dropout
rules are the demo's values, for the municipality to set (its legal basis left empty to be filled).
Idempotent: a municipality with synthetic courses is left alone. Rows are written in bulk, one audit event per
municipality.
"""

from __future__ import annotations

import datetime
import random
import uuid
from typing import Any

from django.db import transaction
from django.db.models import Q

from carenet.audit.services import audit_record
from carenet.cases.models import Case
from carenet.core.models import Municipality, Organisation, OrganisationKind
from carenet.directory.models import Service

from .models import (
    Certificate,
    Course,
    CourseStatus,
    Enrolment,
    EnrolmentChannel,
    EnrolmentStatus,
    JobFair,
    JobFairParticipant,
    JobPlacement,
    Mark,
    Module,
    OfferedBy,
    PlacementOutcome,
    Room,
    SessionMark,
    TrainingAlert,
    TrainingRules,
    TrainingSession,
)
from .services import CODE_ALPHABET, _add_months

# (title, hours, modules, ESCO occupation/skill, prerequisites, accessibility)
COURSES = [
    (
        "Operator introducere și validare date",
        40,
        ["Calculatorul", "Foi de calcul", "Validarea datelor"],
        "http://data.europa.eu/esco/isco/C4132",
        "Scris și citit",
        "Sală la parter, acces fără trepte",
    ),
    (
        "Lucrător în comerț",
        60,
        ["Relația cu clientul", "Casa de marcat", "Igienă și siguranță"],
        "http://data.europa.eu/esco/isco/C5223",
        "",
        "Sală la parter",
    ),
    (
        "Îngrijitor la domiciliu",
        80,
        ["Nevoile persoanei vârstnice", "Prim ajutor", "Comunicare"],
        "http://data.europa.eu/esco/isco/C5322",
        "Minimum 18 ani",
        "",
    ),
    (
        "Cum scriu un CV și cum mă pregătesc de interviu",
        8,
        ["CV-ul", "Interviul"],
        "",
        "",
        "Materiale în format mare la cerere",
    ),
    (
        "Competențe digitale de bază",
        24,
        ["Internet și e-mail", "Servicii publice online"],
        "",
        "",
        "Sală la parter, acces fără trepte",
    ),
    (
        "Bucătar ajutor",
        60,
        ["Igiena alimentelor", "Preparare de bază"],
        "http://data.europa.eu/esco/isco/C9412",
        "",
        "",
    ),
]
WORDS = ("formare profesional", "consiliere profesional", "orientare profesional", "ocupare")


def _trainers(municipality: Municipality) -> list[Organisation]:
    """Real organisations whose directory services state vocational training or professional counselling."""
    q = Q()
    for w in WORDS:
        q |= Q(description__icontains=w) | Q(name__icontains=w)
    ids = Service.objects.for_tenant(municipality).filter(q).values_list("organisation_id", flat=True)
    orgs = list(Organisation.objects.for_tenant(municipality).filter(pk__in=ids, is_generic=False).order_by("name")[:3])
    if not orgs:
        orgs = list(
            Organisation.objects.for_tenant(municipality)
            .filter(is_provider=True, is_generic=False, kind=OrganisationKind.PUBLIC)
            .order_by("name")[:2]
        )
    return orgs


def _code(rng: random.Random) -> str:
    raw = "".join(rng.choice(CODE_ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def load(*, stdout: Any = None) -> None:
    for municipality in Municipality.objects.order_by("slug"):
        if Course.objects.for_tenant(municipality).filter(is_synthetic=True).exists():
            continue
        trainers = _trainers(municipality)
        if not trainers:
            continue
        with transaction.atomic():
            counts = _year(municipality, trainers, seed=sum(map(ord, municipality.slug)) + 22)
            audit_record(action="training.demo.load", municipality=municipality, changes=counts)
        if stdout:
            stdout.write(f"  {municipality.name}: training {counts}")


def _year(municipality: Municipality, trainers: list[Organisation], *, seed: int) -> dict:
    rng = random.Random(seed)
    mid = municipality.pk
    today = datetime.date.today()
    TrainingRules.objects.create(
        municipality_id=mid,
        min_attendance_percent=80,
        dropout_after_absences=3,
        valid_from=datetime.date(today.year - 2, 1, 1),
    )
    owner = (
        Organisation.objects.for_tenant(municipality)
        .filter(kind=OrganisationKind.PUBLIC, is_generic=False, parent__isnull=True)
        .order_by("name")
        .first()
    ) or trainers[0]
    room = Room.objects.create(
        municipality_id=mid,
        owner=owner,
        name="Sală de curs (demonstrație)",
        capacity=20,
        step_free=True,
        is_synthetic=True,
    )
    # No company of the seeds trains: the demo holds no company course and no room lent for free places (a
    # company joins through its own account; nothing about a real company is invented here).
    cases = list(
        Case.objects.for_tenant(municipality)
        .filter(person__is_synthetic=True)
        .select_related("person")
        .order_by("opened_on", "pk")[:400]
    )
    caseworker_of = {c.pk: c.caseworker_id for c in cases}
    rng.shuffle(cases)
    courses, sessions, modules, enrolments, marks, certificates, alerts = [], [], [], [], [], [], []
    used = set()
    for i, (title, hours, mods, esco, prereq, access) in enumerate(COURSES * 2):
        starts = today - datetime.timedelta(days=330 - i * 55)
        by_company = False
        org = trainers[i % len(trainers)]
        places = rng.choice([8, 10, 12, 15])
        course = Course(
            municipality_id=mid,
            organisation=org,
            offered_by=OfferedBy.COMPANY if by_company else (OfferedBy.VOLUNTEER if i % 5 == 4 else OfferedBy.PROVIDER),
            volunteer_name="Expert voluntar (sintetic)" if i % 5 == 4 and not by_company else "",
            title=title,
            description="",
            esco_code=esco,
            language="ro",
            accessibility=access,
            prerequisites=prereq,
            trainers="Formator (sintetic)",
            hours=hours,
            room=room if by_company else None,
            room_offer=None,
            places=places,
            free_places=3 if by_company else 0,
            min_attendance_percent=80,
            dropout_after_absences=3,
            starts_on=starts,
            is_synthetic=True,
            status=CourseStatus.PUBLISHED,
        )
        courses.append(course)
        for j, m in enumerate(mods):
            modules.append(Module(municipality_id=mid, course=course, order=j, title=m, hours=hours // len(mods)))
        n_sessions = max(3, min(8, hours // 8))
        course_sessions = [
            TrainingSession(
                municipality_id=mid,
                course=course,
                number=k + 1,
                held_on=starts + datetime.timedelta(days=7 * k),
                trainer="Formator (sintetic)",
                roll_closed=starts + datetime.timedelta(days=7 * k) < today,
            )
            for k in range(n_sessions)
        ]
        sessions.extend(course_sessions)
        held = [s for s in course_sessions if s.held_on < today]
        finished = len(held) == len(course_sessions)
        takers = [c for c in cases if c.person_id not in used][: places + 2]
        for n, case in enumerate(takers):
            used.add(case.person_id)
            waiting = n >= places
            e = Enrolment(
                municipality_id=mid,
                course=course,
                person_id=case.person_id,
                case=case,
                channel=EnrolmentChannel.SOCIAL_WORKER,
                social_worker_id=caseworker_of.get(case.pk),
                status=EnrolmentStatus.WAITING if waiting else EnrolmentStatus.ENROLLED,
                free_place=by_company and n < 3,
                requested_at=datetime.datetime.combine(
                    starts - datetime.timedelta(days=20 - n), datetime.time(10), tzinfo=datetime.UTC
                ),
                decided_on=None if waiting else starts - datetime.timedelta(days=10),
                is_synthetic=True,
            )
            enrolments.append(e)
            if waiting:
                continue
            steady = rng.random() < 0.8
            absences = 0
            for s in held:
                present = rng.random() < (0.93 if steady else 0.45)
                mark = Mark.PRESENT if present else (Mark.EXCUSED if rng.random() < 0.2 else Mark.ABSENT)
                marks.append(
                    SessionMark(municipality_id=mid, session=s, enrolment=e, mark=mark, client_key=uuid.uuid4())
                )
                absences += mark == Mark.ABSENT
                if absences >= course.dropout_after_absences:
                    e.status = EnrolmentStatus.DROPPED_OUT
                    e.decided_on = s.held_on
                    if e.social_worker_id:
                        alerts.append(
                            TrainingAlert(
                                municipality_id=mid,
                                recipient_id=e.social_worker_id,
                                enrolment=e,
                                code="dropout",
                                params={"course": title, "absences": absences},
                            )
                        )
                    break
            if finished and e.status == EnrolmentStatus.ENROLLED:
                attended = sum(1 for m in marks if m.enrolment is e and m.mark in (Mark.PRESENT, Mark.EXCUSED))
                if 100 * attended / len(course_sessions) >= course.min_attendance_percent:
                    e.status = EnrolmentStatus.COMPLETED
                    certificates.append(
                        Certificate(
                            municipality_id=mid, enrolment=e, code=_code(rng), issued_on=course_sessions[-1].held_on
                        )
                    )
                else:
                    e.status = EnrolmentStatus.NOT_COMPLETED
                e.decided_on = course_sessions[-1].held_on
        if finished:
            course.status = CourseStatus.CLOSED
            for e in enrolments:
                if e.course is course and e.status == EnrolmentStatus.WAITING:
                    e.status = EnrolmentStatus.WITHDRAWN
    for model, rows in (
        (Course, courses),
        (Module, modules),
        (TrainingSession, sessions),
        (Enrolment, enrolments),
        (SessionMark, marks),
        (Certificate, certificates),
        (TrainingAlert, alerts),
    ):
        model.objects.bulk_create(rows, batch_size=500)
    fairs = [
        JobFair(
            municipality_id=mid,
            organiser=trainers[0],
            title=f"Târg de locuri de muncă (demonstrație) {k + 1}",
            held_on=today - datetime.timedelta(days=200 - 150 * k),
            place="",
            employers="",
            is_synthetic=True,
        )
        for k in range(2)
    ]
    JobFair.objects.bulk_create(fairs)
    completed = [e for e in enrolments if e.status == EnrolmentStatus.COMPLETED]
    participants, placements = [], []
    for n, e in enumerate(completed):
        fair = fairs[n % 2]
        participants.append(JobFairParticipant(municipality_id=mid, fair=fair, person_id=e.person_id, case=e.case))
        outcome = rng.choice(
            [PlacementOutcome.HIRED, PlacementOutcome.HIRED, PlacementOutcome.INTERVIEW, PlacementOutcome.REFUSED]
        )
        hired = (
            fair.held_on + datetime.timedelta(days=rng.randint(7, 40)) if outcome == PlacementOutcome.HIRED else None
        )
        if hired and hired > today:
            hired = today - datetime.timedelta(days=1)
        p = JobPlacement(
            municipality_id=mid,
            person_id=e.person_id,
            case=e.case,
            fair=fair,
            employer=f"Angajator (sintetic) {n % 7 + 1}",
            post=e.course.title.split(" (")[0][:300],
            outcome=outcome,
            hired_on=hired,
            follow_up_3m_on=_add_months(hired, 3) if hired else None,
            follow_up_6m_on=_add_months(hired, 6) if hired else None,
            is_synthetic=True,
        )
        if hired and p.follow_up_3m_on and p.follow_up_3m_on <= today:
            p.employed_at_3m = rng.random() < 0.8
        if hired and p.follow_up_6m_on and p.follow_up_6m_on <= today and p.employed_at_3m:
            p.employed_at_6m = rng.random() < 0.85
        placements.append(p)
    JobFairParticipant.objects.bulk_create(participants, ignore_conflicts=True)
    JobPlacement.objects.bulk_create(placements)
    return {
        "courses": len(courses),
        "sessions": len(sessions),
        "enrolments": len(enrolments),
        "marks": len(marks),
        "certificates": len(certificates),
        "dropout_alerts": len(alerts),
        "placements": len(placements),
    }
