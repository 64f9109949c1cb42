"""Every read of training and employment beyond a ``get``; one figure, one selector (decision 0023).

The KPIs of Baia Mare's strategy computed here, read the same on the training figures page, the KPI page and
the plans: KPI 7 (vocational training programmes for vulnerable groups, ``vocational_programmes``) and KPI 8
(their completion rate, ``vocational_completion``), each over the courses of this platform *and* the vocational
programmes of the activities register that are not a course's session (a course's sessions are activities
too: a course counts once, as a course). The dropout rate (``training_dropout_rate``) is the courses' alone.
"Vulnerable" means enrolled from a case by a social worker.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from carenet.activities.selectors import ActivityFilter, activities_counted
from carenet.core.credentials import Credential
from carenet.core.models import Organisation, OrganisationKind

from .models import (
    ACTIVE_STATUSES,
    Certificate,
    Course,
    CourseStatus,
    CvItem,
    Enrolment,
    EnrolmentChannel,
    EnrolmentStatus,
    JobPlacement,
    Mark,
    Room,
    RoomOffer,
    TrainingAlert,
    TrainingRules,
    TrainingSession,
)
from .permissions import enrolments_visible_to


def rules_in_force(*, municipality: Any, on: datetime.date) -> TrainingRules | None:
    return (
        TrainingRules.objects.for_tenant(municipality)
        .filter(valid_from__lte=on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        .order_by("-valid_from")
        .first()
    )


@dataclass(frozen=True)
class Balance:
    owed: int
    reserved: int  # free places set aside by the courses held in the room
    given: int  # free places taken by vulnerable people (enrolled, completed or not)

    @property
    def outstanding(self) -> int:
        return max(self.owed - self.given, 0)


def room_offer_balance(*, offer: RoomOffer) -> Balance:
    """The bargain of a lent room: places owed, reserved by its courses, and given to vulnerable people."""
    courses = Course.objects.for_tenant(offer.municipality_id).filter(room_offer=offer)
    reserved = courses.aggregate(n=Sum("free_places"))["n"] or 0
    given = (
        Enrolment.objects.for_tenant(offer.municipality_id)
        .filter(course__in=courses, free_place=True, status__in=(*ACTIVE_STATUSES, EnrolmentStatus.DROPPED_OUT))
        .count()
    )
    return Balance(owed=offer.free_places_owed, reserved=reserved, given=given)


def rules_history(*, municipality: Any) -> QuerySet[TrainingRules]:
    """Every version of the municipality's completion and dropout rules, the latest first."""
    return TrainingRules.objects.for_tenant(municipality).order_by("-valid_from")


def lending_owners(*, municipality: Any, organisation_ids: frozenset[Any] | None) -> QuerySet[Organisation]:
    """The public institutions whose rooms the user registers and lends (``None``: any of the municipality)."""
    qs = Organisation.objects.for_tenant(municipality).filter(kind=OrganisationKind.PUBLIC, is_active=True)
    if organisation_ids is not None:
        qs = qs.filter(pk__in=organisation_ids)
    return qs.order_by("name")


def lendable_rooms(*, municipality: Any, organisation_ids: frozenset[Any] | None) -> QuerySet[Room]:
    qs = Room.objects.for_tenant(municipality).select_related("owner")
    if organisation_ids is not None:
        qs = qs.filter(owner_id__in=organisation_ids)
    return qs.order_by("name")


def commercial_trainers(*, municipality: Any) -> QuerySet[Organisation]:
    """The private organisations a room can be lent to (the trainers who owe free places)."""
    return (
        Organisation.objects.for_tenant(municipality)
        .filter(kind=OrganisationKind.PRIVATE, is_active=True)
        .order_by("name")
    )


def room_offers(*, municipality: Any) -> list[tuple[RoomOffer, Balance]]:
    offers = RoomOffer.objects.for_tenant(municipality).select_related("room", "trainer", "room__owner")
    return [(o, room_offer_balance(offer=o)) for o in offers]


# --- catalogue and course pages ---------------------------------------------------------------------------


def catalogue(*, municipality: Any, language: str = "", today: datetime.date | None = None) -> QuerySet[Course]:
    """The public catalogue: published courses, with the places still free."""
    qs = (
        Course.objects.for_tenant(municipality)
        .filter(status=CourseStatus.PUBLISHED)
        .select_related("organisation", "room")
        .annotate(taken=Count("enrolments", filter=Q(enrolments__status__in=ACTIVE_STATUSES)))
        .order_by("starts_on", "title")
    )
    if language:
        qs = qs.filter(language=language)
    return qs


def public_course(*, municipality: Any, course_id: Any) -> Course | None:
    try:
        return catalogue(municipality=municipality).prefetch_related("modules", "sessions").get(pk=course_id)
    except (Course.DoesNotExist, ValueError, TypeError):
        return None
    except Exception:  # a malformed id (ValidationError from the UUID field)
        return None


def places_left(*, course: Course) -> tuple[int, int]:
    """(general places left, free places left)."""
    active = course.enrolments.filter(status__in=ACTIVE_STATUSES)
    free = active.filter(free_place=True).count()
    general = active.count() - free
    return max(course.places - course.free_places - general, 0), max(course.free_places - free, 0)


def course_list(*, user: Any, courses: QuerySet[Course]) -> QuerySet[Course]:
    return courses.select_related("organisation").annotate(
        taken=Count("enrolments", filter=Q(enrolments__status__in=ACTIVE_STATUSES)),
        waiting=Count("enrolments", filter=Q(enrolments__status=EnrolmentStatus.WAITING)),
    )


@dataclass(frozen=True)
class ParticipantLine:
    """What a course's organiser sees of a participant: the name, the status and the attendance — never the
    case, the provider or any category of the person."""

    enrolment_id: Any
    name: str
    status: str
    status_label: str
    marks: dict[Any, str]  # session id → mark
    present: int
    absent: int
    certificate_code: str


def course_participants(*, course: Course) -> list[ParticipantLine]:
    enrolments = (
        course.enrolments.exclude(status=EnrolmentStatus.WITHDRAWN)
        .select_related("person")
        .prefetch_related("marks")
        .order_by("status", "requested_at")
    )
    codes = dict(
        Certificate.objects.for_tenant(course.municipality_id)
        .filter(enrolment__course=course)
        .values_list("enrolment_id", "code")
    )
    lines = []
    for e in enrolments:
        marks = {m.session_id: m.mark for m in e.marks.all()}
        lines.append(
            ParticipantLine(
                enrolment_id=e.pk,
                name=e.display_name,
                status=e.status,
                status_label=e.get_status_display(),
                marks=marks,
                present=sum(1 for m in marks.values() if m == Mark.PRESENT),
                absent=sum(1 for m in marks.values() if m == Mark.ABSENT),
                certificate_code=codes.get(e.pk, ""),
            )
        )
    return lines


def roll_call(*, session: TrainingSession) -> list[tuple[Enrolment, str]]:
    marks = dict(session.marks.values_list("enrolment_id", "mark"))
    enrolments = session.course.enrolments.filter(
        status__in=(*ACTIVE_STATUSES, EnrolmentStatus.DROPPED_OUT)
    ).select_related("person")
    return [(e, marks.get(e.pk, "")) for e in enrolments.order_by("requested_at")]


def case_enrolments(*, user: Any, case: Any) -> QuerySet[Enrolment]:
    return (
        enrolments_visible_to(user)
        .filter(case=case)
        .select_related("course", "course__organisation")
        .order_by("-requested_at")
    )


def my_enrolments(*, user: Any) -> QuerySet[Enrolment]:
    return (
        enrolments_visible_to(user)
        .filter(social_worker=user)
        .select_related("course", "person")
        .order_by("-requested_at")
    )


def alerts_for(*, user: Any, unread_only: bool = False) -> QuerySet[TrainingAlert]:
    from .permissions import alerts_visible_to

    qs = alerts_visible_to(user).select_related("enrolment", "enrolment__person")
    return qs.filter(read_at__isnull=True) if unread_only else qs


# --- certificates -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Verified:
    holder: str
    course: str
    organisation: str
    hours: int
    issued_on: datetime.date
    revoked: bool


def certificate_verify(*, municipality: Any, code: str) -> Verified | None:
    """A certificate by its code (typed by hand: case and spaces ignored), as the public page shows it; the
    holder's name is shown as initials and family name only."""
    clean = "".join(ch for ch in (code or "").upper() if ch.isalnum())
    if len(clean) != 12:
        return None
    code = f"{clean[:4]}-{clean[4:8]}-{clean[8:]}"
    cert = (
        Certificate.objects.for_tenant(municipality)
        .select_related("enrolment", "enrolment__course", "enrolment__course__organisation", "enrolment__person")
        .filter(code=code)
        .first()
    )
    if cert is None:
        return None
    e = cert.enrolment
    if e.person_id is not None:
        holder = f"{e.person.first_name[:1]}. {e.person.last_name}"
    else:
        parts = e.applicant_name.split()
        holder = " ".join([p[:1] + "." for p in parts[:-1]] + parts[-1:])
    return Verified(
        holder=holder,
        course=e.course.title,
        organisation=e.course.organisation.name,
        hours=e.course.hours,
        issued_on=cert.issued_on,
        revoked=cert.revoked_on is not None,
    )


def certificate_credential(municipality_id: Any, code: str) -> Credential | None:
    """A certificate as another app checks it (``core.credentials``): the holder's names, the course and what
    it counts as. Never shown as such: the checking app compares the names and shows its own verdict."""
    clean = "".join(ch for ch in (code or "").upper() if ch.isalnum())
    if len(clean) != 12:
        return None
    cert = (
        Certificate.objects.for_tenant(municipality_id)
        .select_related("enrolment", "enrolment__course", "enrolment__course__organisation", "enrolment__person")
        .filter(code=f"{clean[:4]}-{clean[4:8]}-{clean[8:]}")
        .first()
    )
    if cert is None:
        return None
    e = cert.enrolment
    if e.person_id is not None:
        first, last = e.person.first_name, e.person.last_name
    else:
        parts = e.applicant_name.split()
        first, last = " ".join(parts[:-1]), (parts[-1] if parts else "")
    return Credential(
        first_name=first,
        last_name=last,
        title=e.course.title,
        issuer=e.course.organisation.name,
        issued_on=cert.issued_on,
        revoked=cert.revoked_on is not None,
        qualifies_for=frozenset([e.course.qualifies_for]) if e.course.qualifies_for else frozenset(),
    )


# --- employment -------------------------------------------------------------------------------------------


@dataclass
class CvData:
    person: Any
    items: dict[str, list[CvItem]]
    certificates: list[Certificate]
    jobs: list[JobPlacement]


def cv_data(*, case: Any) -> CvData:
    items: dict[str, list[CvItem]] = {}
    for item in CvItem.objects.for_tenant(case.municipality_id).filter(person_id=case.person_id):
        items.setdefault(item.kind, []).append(item)
    certificates = list(
        Certificate.objects.for_tenant(case.municipality_id)
        .filter(enrolment__person_id=case.person_id, revoked_on__isnull=True)
        .select_related("enrolment__course", "enrolment__course__organisation")
        .order_by("-issued_on")
    )
    jobs = list(
        JobPlacement.objects.for_tenant(case.municipality_id)
        .filter(person_id=case.person_id, outcome="hired")
        .order_by("-hired_on")
    )
    return CvData(person=case.person, items=items, certificates=certificates, jobs=jobs)


def case_placements(*, case: Any) -> QuerySet[JobPlacement]:
    return JobPlacement.objects.for_tenant(case.municipality_id).filter(case=case)


def follow_ups_due(*, user: Any, on: datetime.date) -> list[tuple[JobPlacement, int]]:
    """Hires whose 3- or 6-month follow-up is due and not yet answered (the caseworker's list)."""
    from carenet.core.policy import policy

    qs = policy.visible(user, JobPlacement).select_related("person", "case")
    due = []
    for p in qs.filter(outcome="hired"):
        if p.follow_up_3m_on and p.follow_up_3m_on <= on and p.employed_at_3m is None:
            due.append((p, 3))
        elif p.follow_up_6m_on and p.follow_up_6m_on <= on and p.employed_at_6m is None:
            due.append((p, 6))
    return due


# --- figures (one figure, one selector) -------------------------------------------------------------------


@dataclass(frozen=True)
class Contribution:
    courses: int
    hours: int
    people_trained: int  # completed
    free_places_given: int


def company_contribution(*, organisation: Any, year: int | None = None) -> Contribution:
    """A company's (or any organiser's) contribution: courses, hours taught, people trained, free places."""
    courses = Course.objects.for_tenant(organisation.municipality_id).filter(organisation=organisation)
    if year:
        courses = courses.filter(starts_on__year=year)
    enrolments = Enrolment.objects.for_tenant(organisation.municipality_id).filter(course__in=courses)
    return Contribution(
        courses=courses.count(),
        hours=courses.aggregate(n=Sum("hours"))["n"] or 0,
        people_trained=enrolments.filter(status=EnrolmentStatus.COMPLETED).count(),
        free_places_given=enrolments.filter(free_place=True, status__in=ACTIVE_STATUSES).count(),
    )


def _vulnerable(municipality: Any, date_from: datetime.date, date_to: datetime.date) -> QuerySet[Enrolment]:
    return Enrolment.objects.for_tenant(municipality).filter(
        channel=EnrolmentChannel.SOCIAL_WORKER, course__starts_on__range=(date_from, date_to)
    )


def training_programme_count(
    *, municipality: Any, date_from: datetime.date, date_to: datetime.date, organisation_ids: tuple[Any, ...] = ()
) -> int:
    """Courses starting in the period with at least one participant enrolled from a case."""
    courses = Course.objects.for_tenant(municipality).filter(starts_on__range=(date_from, date_to))
    if organisation_ids:
        courses = courses.filter(organisation_id__in=organisation_ids)
    return (
        courses.filter(enrolments__channel=EnrolmentChannel.SOCIAL_WORKER)
        .exclude(status=CourseStatus.DRAFT)
        .distinct()
        .count()
    )


# The kinds of the activities register each KPI counts (as the dashboards counted them before the courses):
# KPI 7 vocational programmes; KPI 8 the completion of training and continuing education.
KPI7_CATEGORIES = ("vocational",)
KPI8_CATEGORIES = ("vocational", "training")


def _register_programmes(
    municipality: Any,
    date_from: datetime.date,
    date_to: datetime.date,
    organisation_ids: tuple[Any, ...],
    categories: tuple[str, ...],
) -> QuerySet[Any]:
    """The register's programmes of the period that are not a session of a course here."""
    sessions = TrainingSession.objects.for_tenant(municipality).filter(activity__isnull=False)
    return activities_counted(
        municipality=municipality,
        date_from=date_from,
        date_to=date_to,
        filters=ActivityFilter(categories=categories, organisation_ids=organisation_ids),
    ).exclude(pk__in=sessions.values("activity_id"))


def vocational_programmes(
    *, municipality: Any, date_from: datetime.date, date_to: datetime.date, organisation_ids: tuple[Any, ...] = ()
) -> int:
    """KPI 7: the courses with a participant enrolled from a case, and the register's other vocational
    programmes, held in the period."""
    courses = training_programme_count(
        municipality=municipality, date_from=date_from, date_to=date_to, organisation_ids=organisation_ids
    )
    return courses + _register_programmes(municipality, date_from, date_to, organisation_ids, KPI7_CATEGORIES).count()


@dataclass(frozen=True)
class Rate:
    numerator: int
    denominator: int

    @property
    def percent(self) -> float | None:
        return round(100 * self.numerator / self.denominator, 1) if self.denominator else None


def _finished(municipality: Any, date_from: datetime.date, date_to: datetime.date) -> QuerySet[Enrolment]:
    return _vulnerable(municipality, date_from, date_to).filter(
        status__in=(EnrolmentStatus.COMPLETED, EnrolmentStatus.NOT_COMPLETED, EnrolmentStatus.DROPPED_OUT)
    )


def vocational_completion(
    *, municipality: Any, date_from: datetime.date, date_to: datetime.date, organisation_ids: tuple[Any, ...] = ()
) -> Rate:
    """KPI 8: participants who completed, among those whose programme ended for them — the courses' vulnerable
    participants (completed, not completed, dropped out) and the register's programmes that record their
    enrolment (completed of enrolled)."""
    finished = _finished(municipality, date_from, date_to)
    if organisation_ids:
        finished = finished.filter(course__organisation_id__in=organisation_ids)
    register = (
        _register_programmes(municipality, date_from, date_to, organisation_ids, KPI8_CATEGORIES)
        .filter(enrolled__isnull=False)
        .aggregate(completed=Coalesce(Sum("completed"), Value(0)), enrolled=Coalesce(Sum("enrolled"), Value(0)))
    )
    return Rate(
        finished.filter(status=EnrolmentStatus.COMPLETED).count() + int(register["completed"]),
        finished.count() + int(register["enrolled"]),
    )


def training_dropout_rate(*, municipality: Any, date_from: datetime.date, date_to: datetime.date) -> Rate:
    finished = _finished(municipality, date_from, date_to)
    return Rate(finished.filter(status=EnrolmentStatus.DROPPED_OUT).count(), finished.count())


# --- choices of the forms ---------------------------------------------------------------------------------


def posting_organisations(*, user: Any, municipality: Any) -> QuerySet[Any]:
    from carenet.core.models import Organisation

    from .permissions import posting_organisation_ids

    ids = posting_organisation_ids(user)
    qs = Organisation.objects.for_tenant(municipality).filter(is_generic=False).order_by("name")
    return qs if ids is None else qs.filter(pk__in=ids)


def posting_room_offers(*, user: Any, municipality: Any) -> QuerySet[RoomOffer]:
    from .permissions import posting_organisation_ids

    ids = posting_organisation_ids(user)
    qs = RoomOffer.objects.for_tenant(municipality).select_related("room", "trainer")
    return qs if ids is None else qs.filter(trainer_id__in=ids)


def enrollable_courses(*, user: Any) -> QuerySet[Course]:
    from .permissions import courses_visible_to

    return courses_visible_to(user).filter(status=CourseStatus.PUBLISHED).order_by("starts_on", "title")


def job_fairs(*, user: Any) -> QuerySet[Any]:
    from carenet.core.policy import policy

    from .models import JobFair

    return policy.visible(user, JobFair).select_related("organiser").order_by("-held_on")


def fair_participants(*, user: Any, fair: Any) -> list[Any]:
    """The participants of a job fair the user may see through a case they see."""
    from carenet.cases.permissions import cases_visible_to

    from .models import JobFairParticipant

    return list(
        JobFairParticipant.objects.for_tenant(fair.municipality_id)
        .filter(fair=fair, case__in=cases_visible_to(user).values("pk"))
        .select_related("person")
    )


def company_rows(*, user: Any, municipality: Any) -> list[tuple[Any, Contribution, bool]]:
    """The user's companies with their contribution and whether it is published."""
    from carenet.core.models import Organisation, OrganisationKind
    from carenet.core.policy import actor_of
    from carenet.core.roles import Role

    from .models import CompanyProfile

    ids = actor_of(user).organisation_ids(Role.CSR_COORDINATOR)
    orgs = Organisation.objects.for_tenant(municipality).filter(pk__in=ids, kind=OrganisationKind.PRIVATE)
    published = set(
        CompanyProfile.objects.for_tenant(municipality)
        .filter(organisation__in=orgs, publish_contribution=True)
        .values_list("organisation_id", flat=True)
    )
    return [(o, company_contribution(organisation=o), o.pk in published) for o in orgs]


def own_company(*, user: Any, municipality: Any, pk: Any) -> Any:
    """One of the user's companies (404 otherwise)."""
    from django.http import Http404

    for org, _c, _p in company_rows(user=user, municipality=municipality):
        if str(org.pk) == str(pk):
            return org
    raise Http404


def published_company(*, municipality: Any, organisation_id: Any) -> Any:
    """A company whose contribution page is public (None otherwise)."""
    from .models import CompanyProfile

    try:
        profile = (
            CompanyProfile.objects.for_tenant(municipality)
            .select_related("organisation")
            .get(organisation_id=organisation_id, publish_contribution=True)
        )
    except (CompanyProfile.DoesNotExist, ValueError, TypeError):
        return None
    except Exception:
        return None
    return profile.organisation
