"""Every write of training and employment, each with its audit event in the same transaction (decision 0023)."""

from __future__ import annotations

import datetime
import secrets
import uuid
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from carenet.activities import services as activities_services
from carenet.activities.models import KindCategory
from carenet.activities.permissions import can_record_for_organisation
from carenet.activities.selectors import kinds_in_force
from carenet.audit.services import audit_record
from carenet.cases.models import Case
from carenet.core.models import Municipality, Organisation, OrganisationKind
from carenet.core.policy import actor_of, policy
from carenet.people.models import Consent, ConsentPurpose

from .models import (
    ACTIVE_STATUSES,
    AlertCode,
    Certificate,
    Course,
    CourseStatus,
    CvItem,
    CvItemKind,
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
    Qualification,
    Room,
    RoomOffer,
    SessionMark,
    TrainingAlert,
    TrainingRules,
    TrainingSession,
)
from .permissions import can_change_training_rules, can_post_for
from .selectors import room_offer_balance, rules_in_force

# --- the municipality's rules and rooms -------------------------------------------------------------------


@transaction.atomic
def training_rules_set(
    *,
    actor: Any,
    municipality: Municipality | Any,
    min_attendance_percent: int,
    dropout_after_absences: int,
    valid_from: datetime.date,
    legal_basis: str = "",
) -> TrainingRules:
    """A version of the municipality's completion and dropout rules from a date; the version before it ends the
    day before. Courses already set up keep their own values. A date before the latest version is refused: the
    history of the rules is not rewritten."""
    municipality_id = getattr(municipality, "pk", municipality)
    if actor is not None and (
        not can_change_training_rules(actor) or actor_of(actor).municipality_id != municipality_id
    ):
        raise PermissionDenied
    errors: dict[str, str] = {}
    if not 0 <= min_attendance_percent <= 100:
        errors["min_attendance_percent"] = _("The minimum attendance is a percentage from 0 to 100.")
    if dropout_after_absences < 1:
        errors["dropout_after_absences"] = _("A dropout needs at least one absence.")
    latest = TrainingRules.objects.for_tenant(municipality_id).order_by("-valid_from").first()
    if latest is not None and valid_from < latest.valid_from:
        errors["valid_from"] = _("The latest rules start on %(day)s: new rules start on that day or later.") % {
            "day": latest.valid_from.isoformat()
        }
    if len(legal_basis) > 300:
        errors["legal_basis"] = _("The legal basis is at most 300 characters.")
    if errors:
        raise ValidationError(errors)
    rules, _created = TrainingRules.objects.for_tenant(municipality_id).update_or_create(
        valid_from=valid_from,
        defaults={
            "municipality_id": municipality_id,
            "min_attendance_percent": min_attendance_percent,
            "dropout_after_absences": dropout_after_absences,
            "legal_basis": legal_basis,
        },
    )
    # The previous rules end the day before.
    TrainingRules.objects.for_tenant(municipality_id).filter(valid_from__lt=valid_from, valid_to__isnull=True).update(
        valid_to=valid_from - datetime.timedelta(days=1)
    )
    audit_record(action="training.rules.set", actor=actor, obj=rules, changes={"valid_from": str(valid_from)})
    return rules


@transaction.atomic
def room_create(
    *,
    actor: Any,
    owner: Organisation,
    name: str,
    address: str = "",
    capacity: int | None = None,
    step_free: bool = False,
    is_synthetic: bool = False,
) -> Room:
    if not can_post_for(actor, owner.pk):
        raise PermissionDenied
    if owner.kind != OrganisationKind.PUBLIC:
        raise ValidationError({"owner": _("A room lent for free places belongs to a public institution.")})
    if not name.strip():
        raise ValidationError({"name": _("Name the room.")})
    room = Room.objects.create(
        municipality_id=owner.municipality_id,
        owner=owner,
        name=name.strip(),
        address=address,
        capacity=capacity,
        step_free=step_free,
        is_synthetic=is_synthetic,
    )
    audit_record(action="training.room.create", actor=actor, obj=room)
    return room


@transaction.atomic
def room_offer_create(
    *,
    actor: Any,
    room: Room,
    trainer: Organisation,
    free_places_owed: int,
    valid_from: datetime.date,
    valid_to: datetime.date | None = None,
    is_synthetic: bool = False,
) -> RoomOffer:
    """Lend a public room to a commercial trainer, who owes ``free_places_owed`` places to vulnerable people."""
    if not can_post_for(actor, room.owner_id):
        raise PermissionDenied
    errors: dict[str, str] = {}
    if trainer.municipality_id != room.municipality_id:
        errors["trainer"] = _("Choose an organisation of this municipality.")
    elif trainer.kind != OrganisationKind.PRIVATE:
        errors["trainer"] = _("A room is lent in exchange for free places to a commercial trainer only.")
    if free_places_owed < 1:
        errors["free_places_owed"] = _("The trainer owes at least one free place.")
    if valid_to is not None and valid_to < valid_from:
        errors["valid_to"] = _("The offer ends before it starts.")
    if errors:
        raise ValidationError(errors)
    offer = RoomOffer.objects.create(
        municipality_id=room.municipality_id,
        room=room,
        trainer=trainer,
        free_places_owed=free_places_owed,
        valid_from=valid_from,
        valid_to=valid_to,
        is_synthetic=is_synthetic,
    )
    audit_record(action="training.room_offer.create", actor=actor, obj=offer, changes={"owed": free_places_owed})
    return offer


# --- courses ----------------------------------------------------------------------------------------------


@dataclass
class CourseInput:
    organisation: Organisation
    title: str
    starts_on: datetime.date
    places: int
    offered_by: str = OfferedBy.PROVIDER
    volunteer_name: str = ""
    description: str = ""
    esco_code: str = ""
    qualifies_for: str = ""
    language: str = "ro"
    accessibility: str = ""
    prerequisites: str = ""
    trainers: str = ""
    hours: int = 0
    room: Room | None = None
    room_offer: RoomOffer | None = None
    free_places: int = 0
    min_attendance_percent: int | None = None
    dropout_after_absences: int | None = None
    modules: tuple[str, ...] = ()


@transaction.atomic
def course_create(*, actor: Any, data: CourseInput, publish: bool = False, is_synthetic: bool = False) -> Course:
    """A course of ``data.organisation``; its rules default to the municipality's rules in force on its first day.

    In a room lent for free places, the course reserves at least what the trainer still owes (up to its places).
    """
    org = data.organisation
    if not can_post_for(actor, org.pk):
        raise PermissionDenied
    errors: dict[str, str] = {}
    if not data.title.strip():
        errors["title"] = _("Give the course a title.")
    if data.offered_by not in OfferedBy.values:
        errors["offered_by"] = _("Choose who offers the course.")
    elif data.offered_by == OfferedBy.COMPANY and org.kind != OrganisationKind.PRIVATE:
        errors["offered_by"] = _("A company course is offered by a private company.")
    elif data.offered_by == OfferedBy.VOLUNTEER and not data.volunteer_name.strip():
        errors["volunteer_name"] = _("Name the volunteer expert.")
    if not isinstance(data.places, int) or not 1 <= data.places <= 500:
        errors["places"] = _("The places are a whole number from 1 to 500.")
    elif not 0 <= data.free_places <= data.places:
        errors["free_places"] = _("The free places are between 0 and the course's places.")
    rules = rules_in_force(municipality=org.municipality_id, on=data.starts_on)
    min_pct = (
        data.min_attendance_percent
        if data.min_attendance_percent is not None
        else (rules.min_attendance_percent if rules else None)
    )
    absences = (
        data.dropout_after_absences
        if data.dropout_after_absences is not None
        else (rules.dropout_after_absences if rules else None)
    )
    if min_pct is None or not 0 <= min_pct <= 100:
        errors["min_attendance_percent"] = _("State the minimum attendance for completion (0 to 100%).")
    if absences is None or absences < 1:
        errors["dropout_after_absences"] = _("State after how many absences a participant drops out (1 or more).")
    offer = data.room_offer
    if offer is not None and "places" not in errors:
        if offer.trainer_id != org.pk:
            errors["room_offer"] = _("This room was lent to another trainer.")
        elif offer.valid_from > data.starts_on or (offer.valid_to is not None and offer.valid_to < data.starts_on):
            errors["room_offer"] = _("The room offer is not valid on the course's first day.")
        else:
            owed = min(room_offer_balance(offer=offer).outstanding, data.places)
            if data.free_places < owed:
                errors["free_places"] = _(
                    "This room was lent in exchange for free places: reserve at least %(owed)s."
                ) % {"owed": owed}
    if data.room is not None and data.room.municipality_id != org.municipality_id:
        errors["room"] = _("Choose a room of this municipality.")
    if data.qualifies_for and data.qualifies_for not in Qualification.values:
        errors["qualifies_for"] = _("Choose what the certificate counts as, or nothing.")
    if errors:
        raise ValidationError(errors)
    course = Course.objects.create(
        municipality_id=org.municipality_id,
        organisation=org,
        offered_by=data.offered_by,
        volunteer_name=data.volunteer_name.strip(),
        title=data.title.strip(),
        description=data.description,
        esco_code=data.esco_code,
        qualifies_for=data.qualifies_for,
        language=data.language,
        accessibility=data.accessibility,
        prerequisites=data.prerequisites,
        trainers=data.trainers,
        hours=data.hours,
        room=data.room or (offer.room if offer is not None else None),
        room_offer=offer,
        places=data.places,
        free_places=data.free_places,
        min_attendance_percent=min_pct,
        dropout_after_absences=absences,
        status=CourseStatus.PUBLISHED if publish else CourseStatus.DRAFT,
        starts_on=data.starts_on,
        is_synthetic=is_synthetic,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    Module.objects.bulk_create(
        [
            Module(municipality_id=course.municipality_id, course=course, order=i, title=t.strip())
            for i, t in enumerate(data.modules)
            if t.strip()
        ]
    )
    audit_record(action="training.course.create", actor=actor, obj=course, changes={"published": publish})
    return course


@transaction.atomic
def course_publish(*, actor: Any, course: Course) -> Course:
    if not policy.can(actor, "change", course):
        raise PermissionDenied
    if course.status != CourseStatus.DRAFT:
        raise ValidationError({"status": _("Only a draft course is published.")})
    course.status = CourseStatus.PUBLISHED
    course.save(update_fields=["status"])
    audit_record(action="training.course.publish", actor=actor, obj=course)
    return course


@transaction.atomic
def session_add(
    *,
    actor: Any,
    course: Course,
    held_on: datetime.date,
    trainer: str = "",
    starts_at: datetime.time | None = None,
    ends_at: datetime.time | None = None,
) -> TrainingSession:
    """A session of the course; where the organiser records activities, it is also an activity of the register
    (the plans and KPIs count it there)."""
    if not policy.can(actor, "change", course):
        raise PermissionDenied
    if course.status == CourseStatus.CLOSED:
        raise ValidationError({"held_on": _("The course is closed.")})
    if starts_at and ends_at and ends_at <= starts_at:
        raise ValidationError({"ends_at": _("The session ends before it starts.")})
    last = course.sessions.order_by("-number").values_list("number", flat=True).first() or 0
    activity = None
    if can_record_for_organisation(actor, course.organisation_id):
        kind = next(
            (
                k
                for k in kinds_in_force(municipality=course.municipality_id, on=held_on)
                if k.category in (KindCategory.VOCATIONAL, KindCategory.TRAINING)
            ),
            None,
        )
        if kind is not None:
            activity = activities_services.activity_create(
                actor=actor,
                municipality=course.municipality_id,
                data=activities_services.ActivityInput(
                    kind=kind,
                    title=f"{course.title} ({last + 1})"[:300],
                    starts_on=held_on,
                    organiser=course.organisation,
                    place=course.room.name if course.room is not None else "",
                    trainers=trainer or course.trainers,
                    modules=1,
                ),
                is_synthetic=course.is_synthetic,
            )
    session = TrainingSession.objects.create(
        municipality_id=course.municipality_id,
        course=course,
        number=last + 1,
        held_on=held_on,
        starts_at=starts_at,
        ends_at=ends_at,
        trainer=trainer or course.trainers,
        activity=activity,
    )
    audit_record(action="training.session.add", actor=actor, obj=course, changes={"number": session.number})
    return session


# --- enrolment and the waiting list -----------------------------------------------------------------------


def _taken(course: Course) -> tuple[int, int]:
    """(general places taken, free places taken) by active enrolments."""
    active = course.enrolments.filter(status__in=ACTIVE_STATUSES)
    free = active.filter(free_place=True).count()
    return active.count() - free, free


def _seat(course: Course, *, social: bool) -> bool | None:
    """The seat an enrolment would take now: True a free place, False a general place, None none (wait).
    Free places are for the vulnerable people a social worker enrols; a portal applicant takes a general one."""
    general, free = _taken(course)
    if social and free < course.free_places:
        return True
    if general < course.places - course.free_places:
        return False
    return None


def _consent_covers(case: Case, course: Course) -> bool:
    """The person agreed to share their record with the trainer (or the trainer is the case's own provider)."""
    if course.organisation_id == case.organisation_id:
        return True
    consents = Consent.objects.for_tenant(case.municipality_id).filter(
        person_id=case.person_id,
        withdrawn_on__isnull=True,
        purpose__in=(ConsentPurpose.SHARING, ConsentPurpose.REFERRAL),
    )
    return any(course.organisation_id in set(c.scope.values_list("pk", flat=True)) for c in consents)


@transaction.atomic
def enrolment_from_case(*, actor: Any, case: Case, course: Course, is_synthetic: bool = False) -> Enrolment:
    """A social worker enrols the person of ``case``: a free place first, then a general one, else the waiting
    list. The person must have agreed to share their record with the course's organisation."""
    if not policy.can(actor, "change", case):
        raise PermissionDenied
    if course.municipality_id != case.municipality_id or not policy.can(actor, "view", course):
        raise ValidationError({"course": _("Choose a course of the catalogue.")})
    if course.status != CourseStatus.PUBLISHED:
        raise ValidationError({"course": _("The course is not open for enrolment.")})
    if not _consent_covers(case, course):
        raise ValidationError(
            {"consent": _("The person has not agreed to share their record with the course's organiser.")}
        )
    existing = course.enrolments.filter(person_id=case.person_id).first()
    if existing is not None:
        raise ValidationError({"course": _("The person is already enrolled in this course.")})
    course = Course.objects.select_for_update().for_tenant(course.municipality_id).get(pk=course.pk)
    seat = _seat(course, social=True)
    enrolment = Enrolment.objects.create(
        municipality_id=course.municipality_id,
        course=course,
        person_id=case.person_id,
        case=case,
        channel=EnrolmentChannel.SOCIAL_WORKER,
        social_worker=actor,
        status=EnrolmentStatus.WAITING if seat is None else EnrolmentStatus.ENROLLED,
        free_place=bool(seat),
        requested_at=timezone.now(),
        decided_on=timezone.localdate() if seat is not None else None,
        is_synthetic=is_synthetic,
    )
    audit_record(
        action="training.enrolment.create",
        actor=actor,
        obj=enrolment,
        object_label=str(enrolment.pk),
        changes={"course": str(course.pk), "case": str(case.pk), "status": enrolment.status},
    )
    return enrolment


@transaction.atomic
def enrolment_from_portal(
    *, municipality: Municipality | Any, course: Course, name: str, contact: str, consent: bool
) -> Enrolment:
    """The person applies on the portal: a general place if one is free, else the waiting list."""
    municipality_id = getattr(municipality, "pk", municipality)
    errors: dict[str, str] = {}
    if course.municipality_id != municipality_id or course.status != CourseStatus.PUBLISHED:
        errors["course"] = _("The course is not open for enrolment.")
    if not name.strip():
        errors["name"] = _("Give your name.")
    if not contact.strip():
        errors["contact"] = _("Give a phone number or an e-mail address so the trainer can reach you.")
    if not consent:
        errors["consent"] = _("Agree that the trainer receives your name and contact.")
    if errors:
        raise ValidationError(errors)
    course = Course.objects.select_for_update().for_tenant(municipality_id).get(pk=course.pk)
    seat = _seat(course, social=False)
    enrolment = Enrolment.objects.create(
        municipality_id=municipality_id,
        course=course,
        applicant_name=name.strip()[:200],
        applicant_contact=contact.strip()[:200],
        channel=EnrolmentChannel.PORTAL,
        status=EnrolmentStatus.WAITING if seat is None else EnrolmentStatus.ENROLLED,
        requested_at=timezone.now(),
        decided_on=timezone.localdate() if seat is not None else None,
    )
    audit_record(
        action="training.enrolment.portal", municipality=municipality_id, obj=enrolment, object_label=str(enrolment.pk)
    )
    return enrolment


def _alert(enrolment: Enrolment, code: str, **params: Any) -> None:
    if enrolment.social_worker_id is None:
        return
    TrainingAlert.objects.create(
        municipality_id=enrolment.municipality_id,
        recipient_id=enrolment.social_worker_id,
        enrolment=enrolment,
        code=code,
        params={"course": enrolment.course.title, **params},
    )


def waiting_list_promote(*, actor: Any, course: Course) -> list[Enrolment]:
    """Fill the places that are free from the waiting list, in the order of the requests (a portal applicant
    never takes a free place reserved for vulnerable people: the next one who fits is taken)."""
    promoted: list[Enrolment] = []
    for waiting in course.enrolments.filter(status=EnrolmentStatus.WAITING).order_by("requested_at"):
        seat = _seat(course, social=waiting.channel == EnrolmentChannel.SOCIAL_WORKER)
        if seat is None:
            continue
        waiting.status = EnrolmentStatus.ENROLLED
        waiting.free_place = seat
        waiting.decided_on = timezone.localdate()
        waiting.save(update_fields=["status", "free_place", "decided_on"])
        _alert(waiting, AlertCode.PROMOTED)
        audit_record(action="training.enrolment.promote", actor=actor, obj=waiting, object_label=str(waiting.pk))
        promoted.append(waiting)
    return promoted


@transaction.atomic
def enrolment_withdraw(*, actor: Any, enrolment: Enrolment) -> Enrolment:
    """The person leaves the course (or the waiting list); the place goes to the next one waiting."""
    if not (policy.can(actor, "follow", enrolment) or policy.can(actor, "change", enrolment)):
        raise PermissionDenied
    if enrolment.status not in (EnrolmentStatus.WAITING, EnrolmentStatus.ENROLLED):
        raise ValidationError({"status": _("Only a waiting or enrolled participant can withdraw.")})
    enrolment.status = EnrolmentStatus.WITHDRAWN
    enrolment.decided_on = timezone.localdate()
    enrolment.save(update_fields=["status", "decided_on"])
    audit_record(action="training.enrolment.withdraw", actor=actor, obj=enrolment, object_label=str(enrolment.pk))
    waiting_list_promote(actor=actor, course=enrolment.course)
    return enrolment


# --- attendance: the roll call of a session ---------------------------------------------------------------


@dataclass(frozen=True)
class MarkResult:
    created: bool  # False: the same submission was already recorded (a resend), or the mark was corrected
    dropped_out: bool


def _parse_key(value: Any) -> uuid.UUID:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except (ValueError, TypeError, AttributeError) as exc:
        raise ValidationError({"key": _("The submission has no valid key; reload the page.")}) from exc


def absences(*, enrolment: Enrolment) -> int:
    return enrolment.marks.filter(mark=Mark.ABSENT).count()


def roll_call_mark(*, actor: Any, session: TrainingSession, enrolment_id: Any, mark: str, key: Any) -> MarkResult:
    """One participant's attendance at one session, once per device key; a second mark for the same person
    and session corrects the first. After ``course.dropout_after_absences`` absences the participant has
    dropped out: the place frees (the waiting list moves) and the social worker is alerted."""
    course = session.course
    if not policy.can(actor, "change", course):
        raise PermissionDenied
    client_key = _parse_key(key)
    if mark not in Mark.values:
        raise ValidationError({"mark": _("Choose present, absent or excused.")})
    try:
        enrolment = course.enrolments.get(pk=enrolment_id)
    except (Enrolment.DoesNotExist, ValueError, TypeError, ValidationError) as exc:
        raise ValidationError({"enrolment": _("Choose a participant of this course.")}) from exc
    if enrolment.status not in ACTIVE_STATUSES and enrolment.status != EnrolmentStatus.DROPPED_OUT:
        raise ValidationError({"enrolment": _("This person is not a participant of the course.")})
    try:
        with transaction.atomic():
            same = SessionMark.objects.for_tenant(course.municipality_id).filter(client_key=client_key).first()
            if same is not None:
                if same.session_id != session.pk or same.enrolment_id != enrolment.pk:
                    raise ValidationError({"key": _("This submission key belongs to another mark.")})
                return MarkResult(created=False, dropped_out=False)
            _row, created = SessionMark.objects.for_tenant(course.municipality_id).update_or_create(
                session=session,
                enrolment=enrolment,
                defaults={
                    "municipality_id": course.municipality_id,
                    "mark": mark,
                    "client_key": client_key,
                    "recorded_by": actor,
                },
            )
            audit_record(
                action="training.attendance",
                actor=actor,
                obj=session.course,
                changes={"session": session.number, "enrolment": str(enrolment.pk), "mark": mark},
            )
            dropped = _dropout_check(actor=actor, enrolment=enrolment)
            if mark == Mark.PRESENT:
                _register_attendance(actor=actor, session=session, enrolment=enrolment, key=client_key)
    except IntegrityError:
        if SessionMark.objects.for_tenant(course.municipality_id).filter(client_key=client_key).exists():
            return MarkResult(created=False, dropped_out=False)
        raise
    return MarkResult(created=created, dropped_out=dropped)


def _dropout_check(*, actor: Any, enrolment: Enrolment) -> bool:
    if enrolment.status != EnrolmentStatus.ENROLLED:
        return False
    count = absences(enrolment=enrolment)
    if count < enrolment.course.dropout_after_absences:
        return False
    enrolment.status = EnrolmentStatus.DROPPED_OUT
    enrolment.decided_on = timezone.localdate()
    enrolment.save(update_fields=["status", "decided_on"])
    _alert(enrolment, AlertCode.DROPOUT, absences=count)
    audit_record(
        action="training.enrolment.dropout",
        actor=actor,
        obj=enrolment,
        object_label=str(enrolment.pk),
        changes={"absences": count},
    )
    waiting_list_promote(actor=actor, course=enrolment.course)
    return True


def _register_attendance(*, actor: Any, session: TrainingSession, enrolment: Enrolment, key: uuid.UUID) -> None:
    """The register's attendance (activities), when the session is an activity and the recorder may name the
    person there (a provider's own staff); a company's roll call stays in training (decision 0023)."""
    if session.activity_id is None or enrolment.person_id is None:
        return
    activity = session.activity
    if activity is None or not policy.can(actor, "change", activity):
        return
    try:
        activities_services.attendance_record(
            actor=actor, activity=activity, key=uuid.uuid5(key, "activities"), person_id=enrolment.person_id
        )
    except ValidationError:
        return  # the recorder does not see the person in the registry: the roll call keeps the mark


@transaction.atomic
def session_close(*, actor: Any, session: TrainingSession) -> TrainingSession:
    """The roll call is complete: whoever has no mark is absent."""
    course = session.course
    if not policy.can(actor, "change", course):
        raise PermissionDenied
    marked = set(session.marks.values_list("enrolment_id", flat=True))
    for enrolment in course.enrolments.filter(status=EnrolmentStatus.ENROLLED).exclude(pk__in=marked):
        SessionMark.objects.create(
            municipality_id=course.municipality_id,
            session=session,
            enrolment=enrolment,
            mark=Mark.ABSENT,
            client_key=uuid.uuid4(),
            recorded_by=actor,
        )
        _dropout_check(actor=actor, enrolment=enrolment)
    session.roll_closed = True
    session.save(update_fields=["roll_closed"])
    audit_record(action="training.session.close", actor=actor, obj=course, changes={"session": session.number})
    return session


# --- completion and certificates --------------------------------------------------------------------------

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud and typed by hand


def _new_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def attendance_percent(*, enrolment: Enrolment, sessions: int) -> int:
    if sessions == 0:
        return 0
    present = enrolment.marks.filter(mark__in=(Mark.PRESENT, Mark.EXCUSED)).count()
    return round(100 * present / sessions)


@transaction.atomic
def course_close(*, actor: Any, course: Course, on: datetime.date | None = None) -> Course:
    """Apply the course's completion rule: every participant still enrolled with at least
    ``min_attendance_percent`` of the sessions attended (excused absences count as attended) completes and gets
    a certificate; the others did not complete."""
    if not policy.can(actor, "change", course):
        raise PermissionDenied
    if course.status == CourseStatus.CLOSED:
        raise ValidationError({"status": _("The course is already closed.")})
    sessions = course.sessions.count()
    if sessions == 0:
        raise ValidationError({"sessions": _("The course has no sessions yet.")})
    today = on or timezone.localdate()
    for enrolment in course.enrolments.filter(status=EnrolmentStatus.ENROLLED):
        if attendance_percent(enrolment=enrolment, sessions=sessions) >= course.min_attendance_percent:
            enrolment.status = EnrolmentStatus.COMPLETED
            Certificate.objects.create(
                municipality_id=course.municipality_id, enrolment=enrolment, code=_new_code(), issued_on=today
            )
            _alert(enrolment, AlertCode.COMPLETED)
        else:
            enrolment.status = EnrolmentStatus.NOT_COMPLETED
        enrolment.decided_on = today
        enrolment.save(update_fields=["status", "decided_on"])
    course.enrolments.filter(status=EnrolmentStatus.WAITING).update(status=EnrolmentStatus.WITHDRAWN)
    course.status = CourseStatus.CLOSED
    course.save(update_fields=["status"])
    audit_record(action="training.course.close", actor=actor, obj=course)
    return course


@transaction.atomic
def alert_read(*, actor: Any, alert: TrainingAlert) -> TrainingAlert:
    if alert.recipient_id != getattr(actor, "pk", None):
        raise PermissionDenied
    alert.read_at = timezone.now()
    alert.save(update_fields=["read_at"])
    return alert


# --- employment -------------------------------------------------------------------------------------------


@transaction.atomic
def cv_item_add(
    *,
    actor: Any,
    case: Case,
    kind: str,
    title: str,
    place: str = "",
    year_from: int | None = None,
    year_to: int | None = None,
    esco_code: str = "",
) -> CvItem:
    if not policy.can(actor, "change", case):
        raise PermissionDenied
    errors: dict[str, str] = {}
    if kind not in CvItemKind.values:
        errors["kind"] = _("Choose a section of the CV.")
    if not title.strip():
        errors["title"] = _("Say what it was.")
    this_year = timezone.localdate().year
    for field, year in (("year_from", year_from), ("year_to", year_to)):
        if year is not None and not 1940 <= year <= this_year + 1:
            errors[field] = _("Give a year between 1940 and next year.")
    if year_from and year_to and year_to < year_from and "year_to" not in errors:
        errors["year_to"] = _("It ends before it starts.")
    if errors:
        raise ValidationError(errors)
    item = CvItem.objects.create(
        municipality_id=case.municipality_id,
        person_id=case.person_id,
        kind=kind,
        title=title.strip(),
        place=place,
        year_from=year_from,
        year_to=year_to,
        esco_code=esco_code,
        created_by=actor,
    )
    audit_record(action="training.cv.add", actor=actor, obj=case, changes={"kind": kind})
    return item


@transaction.atomic
def job_fair_create(
    *,
    actor: Any,
    organiser: Organisation,
    title: str,
    held_on: datetime.date,
    place: str = "",
    employers: str = "",
    is_synthetic: bool = False,
) -> JobFair:
    if not can_post_for(actor, organiser.pk):
        raise PermissionDenied
    if not title.strip():
        raise ValidationError({"title": _("Give the job fair a title.")})
    fair = JobFair.objects.create(
        municipality_id=organiser.municipality_id,
        organiser=organiser,
        title=title.strip(),
        held_on=held_on,
        place=place,
        employers=employers,
        is_synthetic=is_synthetic,
    )
    audit_record(action="training.job_fair.create", actor=actor, obj=fair)
    return fair


@transaction.atomic
def job_fair_participant_add(*, actor: Any, fair: JobFair, case: Case) -> JobFairParticipant:
    if not policy.can(actor, "change", case):
        raise PermissionDenied
    if fair.municipality_id != case.municipality_id:
        raise ValidationError({"fair": _("Choose a job fair of this municipality.")})
    row, created = JobFairParticipant.objects.for_tenant(case.municipality_id).get_or_create(
        fair=fair, person_id=case.person_id, defaults={"municipality_id": case.municipality_id, "case": case}
    )
    if created:
        audit_record(action="training.job_fair.participant", actor=actor, obj=case, changes={"fair": str(fair.pk)})
    return row


def _add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return datetime.date(year, month, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")


@transaction.atomic
def placement_record(
    *,
    actor: Any,
    case: Case,
    employer: str,
    post: str,
    outcome: str,
    hired_on: datetime.date | None = None,
    fair: JobFair | None = None,
    is_synthetic: bool = False,
) -> JobPlacement:
    """A mediation to a job; a hire sets the follow-ups at 3 and 6 months (the case's monitoring can carry them)."""
    if not policy.can(actor, "change", case):
        raise PermissionDenied
    errors: dict[str, str] = {}
    if not employer.strip():
        errors["employer"] = _("Name the employer.")
    if not post.strip():
        errors["post"] = _("Name the post.")
    if outcome not in PlacementOutcome.values:
        errors["outcome"] = _("Choose an outcome.")
    elif outcome == PlacementOutcome.HIRED and hired_on is None:
        errors["hired_on"] = _("Give the date of hiring.")
    if errors:
        raise ValidationError(errors)
    placement = JobPlacement.objects.create(
        municipality_id=case.municipality_id,
        person_id=case.person_id,
        case=case,
        fair=fair,
        employer=employer.strip(),
        post=post.strip(),
        outcome=outcome,
        hired_on=hired_on,
        follow_up_3m_on=_add_months(hired_on, 3) if hired_on else None,
        follow_up_6m_on=_add_months(hired_on, 6) if hired_on else None,
        created_by=actor,
        is_synthetic=is_synthetic,
    )
    audit_record(action="training.placement.record", actor=actor, obj=case, changes={"outcome": outcome})
    return placement


@transaction.atomic
def placement_follow_up(*, actor: Any, placement: JobPlacement, months: int, employed: bool) -> JobPlacement:
    if not policy.can(actor, "change", placement):
        raise PermissionDenied
    if placement.outcome != PlacementOutcome.HIRED:
        raise ValidationError({"months": _("Only a hire is followed up.")})
    if months == 3:
        placement.employed_at_3m = employed
    elif months == 6:
        placement.employed_at_6m = employed
    else:
        raise ValidationError({"months": _("The follow-ups are at 3 and 6 months.")})
    placement.save(update_fields=["employed_at_3m", "employed_at_6m"])
    audit_record(action="training.placement.follow_up", actor=actor, obj=placement.case, changes={"months": months})
    return placement


@transaction.atomic
def company_publish_set(*, actor: Any, organisation: Organisation, publish: bool) -> None:
    from .models import CompanyProfile

    if not can_post_for(actor, organisation.pk) or organisation.kind != OrganisationKind.PRIVATE:
        raise PermissionDenied
    CompanyProfile.objects.for_tenant(organisation.municipality_id).update_or_create(
        organisation=organisation,
        defaults={"municipality_id": organisation.municipality_id, "publish_contribution": publish},
    )
    audit_record(action="training.company.publish", actor=actor, obj=organisation, changes={"publish": publish})


def case_training_read(*, actor: Any, case: Case) -> None:
    """Reading a person's training and employment page is an audit event (a read of personal data)."""
    audit_record(action="training.case.view", actor=actor, obj=case, purpose="case_management")


def cv_read(*, actor: Any, case: Case) -> None:
    audit_record(action="training.cv.view", actor=actor, obj=case, purpose="case_management")
