"""Every write of care matching, each with its audit event in the same transaction."""

from __future__ import annotations

import datetime
import itertools
import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from carenet.audit.services import audit_record
from carenet.core.credentials import credential_check, names_agree
from carenet.core.models import Municipality, Organisation
from carenet.core.policy import policy
from carenet.people.models import Consent, Person

from .models import (
    Booking,
    BookingStatus,
    Caregiver,
    CareKind,
    CareRequest,
    Complaint,
    ComplaintStatus,
    Cover,
    CoverReason,
    CoverStatus,
    Rating,
    RequestStatus,
    Side,
    Slot,
    Visit,
)
from .notices import notice_coordinators, notice_family, notice_user
from .selectors import live_booking, missed_visits, proposals, substitutes

LANGUAGES = ("ro", "hu", "ru", "uk", "en", "de")
# What a training-platform course's certificate must count as for a caregiver to be trained.
CAREGIVER_QUALIFICATION = "caregiver"


def _mid(municipality: Any) -> Any:
    return getattr(municipality, "pk", municipality)


def _weekdays(values: list[int], errors: dict[str, str]) -> list[int]:
    days = sorted({int(d) for d in values if str(d).isdigit()})
    if not days or any(d > 6 for d in days):
        errors["weekdays"] = _("Choose at least one day of the week.")
    return days


# --- care requests ------------------------------------------------------------------------------------------


@dataclass
class RequestInput:
    cared_for_name: str
    kind: str
    weekdays: list[int]
    start_time: datetime.time
    hours: Decimal
    address: str
    latitude: float | None
    longitude: float | None
    needs: str = ""
    language: str = ""
    contact_phone: str = ""
    person: Person | None = None
    organisation: Organisation | None = None
    consent: bool = False


def _validate_request(data: RequestInput, municipality_id: Any) -> list[int]:
    errors: dict[str, str] = {}
    if not data.cared_for_name.strip():
        errors["cared_for_name"] = _("Write the name of the person cared for.")
    if data.kind not in CareKind.values:
        errors["kind"] = _("Choose the kind of care.")
    days = _weekdays(data.weekdays, errors)
    if data.hours is None or data.hours <= 0 or data.hours > 12:
        errors["hours"] = _("Write between 0.5 and 12 hours.")
    elif data.start_time.hour * 60 + data.start_time.minute + float(data.hours) * 60 > 24 * 60:
        errors["hours"] = _("The visit must end before midnight.")
    if not data.address.strip():
        errors["address"] = _("Write the address.")
    if data.latitude is None or data.longitude is None:
        errors["address"] = _("Place the address on the map.")
    elif not (-90 <= data.latitude <= 90 and -180 <= data.longitude <= 180):
        errors["address"] = _("The point on the map is not valid.")
    if data.language and data.language not in LANGUAGES:
        errors["language"] = _("Choose a language from the list.")
    if not data.consent:
        errors["consent"] = _("The person cared for (or their representative) must agree.")
    if data.person is not None and data.person.municipality_id != municipality_id:
        errors["person"] = _("Choose a person of this municipality.")
    if data.organisation is not None and data.organisation.municipality_id != municipality_id:
        errors["organisation"] = _("Choose an organisation of this municipality.")
    if errors:
        raise ValidationError(errors)
    return days


def _create_request(
    *, municipality_id: Any, data: RequestInput, days: list[int], actor: Any, family_user: Any, is_synthetic: bool
) -> CareRequest:
    return CareRequest.objects.for_tenant(municipality_id).create(
        municipality_id=municipality_id,
        person=data.person,
        consent_on=timezone.localdate(),
        family_user=family_user,
        organisation=data.organisation,
        cared_for_name=data.cared_for_name.strip(),
        contact_phone=data.contact_phone.strip(),
        kind=data.kind,
        weekdays=days,
        start_time=data.start_time,
        hours=data.hours,
        language=data.language,
        address=data.address.strip(),
        latitude=data.latitude,
        longitude=data.longitude,
        needs=data.needs.strip(),
        is_synthetic=is_synthetic,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )


@transaction.atomic
def care_request_submit(*, municipality: Any, user: Any, data: RequestInput, is_synthetic: bool = False) -> CareRequest:
    """A family asks for care on the portal (signed in; the request is theirs to follow)."""
    mid = _mid(municipality)
    if not getattr(user, "is_authenticated", False):
        raise ValidationError({"cared_for_name": _("Sign in to ask for care.")})
    data.person = None  # a family never links a registry person
    days = _validate_request(data, mid)
    request = _create_request(
        municipality_id=mid, data=data, days=days, actor=user, family_user=user, is_synthetic=is_synthetic
    )
    audit_record(action="care_request.submit", actor=user, obj=request, changes={"kind": data.kind})
    return request


@transaction.atomic
def care_request_create(*, actor: Any, municipality: Any, data: RequestInput) -> CareRequest:
    """A social worker enters a request for a registry person who consented to care matching."""
    mid = _mid(municipality)
    if data.organisation is None or not policy.can(actor, "change", CareRequest(organisation=data.organisation)):
        raise ValidationError({"organisation": _("You enter requests only for your own organisation.")})
    if data.person is not None:
        active = Consent.objects.for_tenant(mid).filter(person=data.person, withdrawn_on__isnull=True).exists()
        if not active:
            raise ValidationError({"person": _("This person has no consent on record.")})
    days = _validate_request(data, mid)
    request = _create_request(
        municipality_id=mid, data=data, days=days, actor=actor, family_user=None, is_synthetic=False
    )
    audit_record(action="care_request.create", actor=actor, obj=request, changes={"kind": data.kind})
    return request


@transaction.atomic
def care_request_close(*, actor: Any, request: CareRequest) -> CareRequest:
    request.status = RequestStatus.CLOSED
    request.save(update_fields=["status"])
    Booking.objects.for_tenant(request.municipality_id).filter(request=request, status=BookingStatus.PROPOSED).update(
        status=BookingStatus.CANCELLED
    )
    audit_record(action="care_request.close", actor=actor, obj=request)
    return request


# --- caregivers ---------------------------------------------------------------------------------------------


@dataclass
class CaregiverInput:
    first_name: str
    last_name: str
    latitude: float
    longitude: float
    kinds: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    qualifications: str = ""
    training_completed: bool = False  # synthetic caregivers only: a real one is trained by a certificate
    training_certificate: str = ""
    travel_km: Decimal = Decimal("5")
    organisation: Organisation | None = None
    user: Any = None


@transaction.atomic
def caregiver_create(*, actor: Any, municipality: Any, data: CaregiverInput, is_synthetic: bool = False) -> Caregiver:
    mid = _mid(municipality)
    errors: dict[str, str] = {}
    if not data.first_name.strip():
        errors["first_name"] = _("Write the first name.")
    if not data.last_name.strip():
        errors["last_name"] = _("Write the last name.")
    if not data.kinds or any(k not in CareKind.values for k in data.kinds):
        errors["kinds"] = _("Choose the kinds of care.")
    if any(lang not in LANGUAGES for lang in data.languages):
        errors["languages"] = _("Choose languages from the list.")
    if data.travel_km <= 0 or data.travel_km > 50:
        errors["travel_km"] = _("Write a distance between 0.5 and 50 km.")
    if data.organisation is not None and data.organisation.municipality_id != mid:
        errors["organisation"] = _("Choose an organisation of this municipality.")
    certificate = ""
    if data.training_certificate.strip() and "first_name" not in errors and "last_name" not in errors:
        problem = training_certificate_problem(
            municipality=mid, code=data.training_certificate, first_name=data.first_name, last_name=data.last_name
        )
        if problem:
            errors["training_certificate"] = problem
        else:
            certificate = normalised_code(data.training_certificate)
    if errors:
        raise ValidationError(errors)
    if actor is not None and not policy.can(actor, "change", Caregiver(organisation=data.organisation)):
        raise PermissionDenied
    caregiver = Caregiver.objects.for_tenant(mid).create(
        municipality_id=mid,
        user=data.user,
        organisation=data.organisation,
        first_name=data.first_name.strip(),
        last_name=data.last_name.strip(),
        kinds=sorted(set(data.kinds)),
        languages=sorted(set(data.languages)),
        qualifications=data.qualifications.strip(),
        training_completed=data.training_completed or bool(certificate),
        training_certificate=certificate,
        training_checked_on=timezone.localdate() if certificate else None,
        latitude=data.latitude,
        longitude=data.longitude,
        travel_km=data.travel_km,
        is_synthetic=is_synthetic,
    )
    audit_record(action="caregiver.create", actor=actor, obj=caregiver)
    return caregiver


def normalised_code(code: str) -> str:
    clean = "".join(ch for ch in (code or "").upper() if ch.isalnum())
    return f"{clean[:4]}-{clean[4:8]}-{clean[8:]}" if len(clean) == 12 else clean


def training_certificate_problem(*, municipality: Any, code: str, first_name: str, last_name: str) -> str:
    """Why a certificate does not make the caregiver trained (empty: it does). The training platform answers
    through ``core.credentials``: the code must exist in this municipality, not be revoked, be of a course
    that counts as the caregiver training, and name this caregiver."""
    credential = credential_check(municipality=municipality, code=code)
    if credential is None:
        return _("No certificate of this municipality has this code.")
    if credential.revoked:
        return _("This certificate was revoked.")
    if CAREGIVER_QUALIFICATION not in credential.qualifies_for:
        return _("The course of this certificate (%(course)s) does not count as the caregiver training.") % {
            "course": credential.title
        }
    if not names_agree(credential, first_name=first_name, last_name=last_name):
        return _("This certificate was issued to someone else.")
    return ""


@transaction.atomic
def caregiver_training_verify(*, actor: Any, caregiver: Caregiver, code: str) -> Caregiver:
    """Record the caregiver's training certificate: checked with the training platform, it makes them trained."""
    if not policy.can(actor, "change", caregiver):
        raise PermissionDenied
    if not (code or "").strip():
        raise ValidationError({"code": _("Type the certificate's code.")})
    problem = training_certificate_problem(
        municipality=caregiver.municipality_id,
        code=code,
        first_name=caregiver.first_name,
        last_name=caregiver.last_name,
    )
    if problem:
        raise ValidationError({"code": problem})
    caregiver.training_certificate = normalised_code(code)
    caregiver.training_completed = True
    caregiver.training_checked_on = timezone.localdate()
    caregiver.save(update_fields=["training_certificate", "training_completed", "training_checked_on"])
    audit_record(action="caregiver.training", actor=actor, obj=caregiver, changes={"trained": True})
    return caregiver


def caregivers_recheck_training(*, on: datetime.date | None = None) -> int:
    """The nightly check: a caregiver whose certificate was revoked (or no longer counts) is no longer trained,
    and so no longer proposed where the rule asks for the training. Returns how many changed."""
    day = on or timezone.localdate()
    changed = 0
    for caregiver in Caregiver.objects.all_tenants().exclude(training_certificate=""):
        problem = training_certificate_problem(
            municipality=caregiver.municipality_id,
            code=caregiver.training_certificate,
            first_name=caregiver.first_name,
            last_name=caregiver.last_name,
        )
        trained = not problem
        with transaction.atomic():
            if trained != caregiver.training_completed:
                changed += 1
                audit_record(
                    action="caregiver.training",
                    actor=None,
                    municipality=caregiver.municipality_id,
                    obj=caregiver,
                    changes={"trained": trained, "reason": "recheck"},
                )
            caregiver.training_completed = trained
            caregiver.training_checked_on = day
            caregiver.save(update_fields=["training_completed", "training_checked_on"])
    return changed


@transaction.atomic
def caregiver_set_slots(
    *, caregiver: Caregiver, slots: list[tuple[int, datetime.time, datetime.time]], actor: Any
) -> list[Slot]:
    """The caregiver's weekly availability, replaced as a whole (they edit it themselves)."""
    errors: list[str] = []
    for n, (weekday, start, end) in enumerate(slots, start=1):
        if weekday not in range(7):
            errors.append(_("Row %(n)s: choose a day.") % {"n": n})
        elif end <= start:
            errors.append(_("Row %(n)s: the end is before the start.") % {"n": n})
    by_day: dict[int, list[tuple[datetime.time, datetime.time]]] = {}
    for weekday, start, end in slots:
        by_day.setdefault(weekday, []).append((start, end))
    for day, spans in by_day.items():
        spans.sort()
        if any(a[1] > b[0] for a, b in itertools.pairwise(spans)):
            errors.append(_("Two slots overlap on the same day (%(day)s).") % {"day": day + 1})
    if errors:
        raise ValidationError({"slots": errors})
    mid = caregiver.municipality_id
    Slot.objects.for_tenant(mid).filter(caregiver=caregiver).delete()
    made = Slot.objects.bulk_create(
        [Slot(municipality_id=mid, caregiver=caregiver, weekday=d, start=s, end=e) for d, s, e in slots]
    )
    audit_record(action="caregiver.slots", actor=actor, obj=caregiver, changes={"slots": len(made)})
    return made


# --- bookings -----------------------------------------------------------------------------------------------


@transaction.atomic
def booking_choose(*, actor: Any, request: CareRequest, caregiver: Caregiver, by_family: bool) -> Booking:
    """The family (on the portal) or the social worker picks a caregiver among those proposed. The family's
    own choice is its confirmation; the caregiver confirms next."""
    request = CareRequest.objects.for_tenant(request.municipality_id).select_for_update().get(pk=request.pk)
    if request.status != RequestStatus.OPEN:
        raise ValidationError({"caregiver": _("This request is not looking for a caregiver.")})
    if live_booking(request=request) is not None:
        raise ValidationError({"caregiver": _("A caregiver was already chosen; cancel that booking first.")})
    proposed = {p.caregiver.pk: p for p in proposals(request=request)}
    if caregiver.pk not in proposed:
        raise ValidationError({"caregiver": _("Choose a caregiver from the proposed list.")})
    now = timezone.now()
    try:
        with transaction.atomic():
            booking = Booking.objects.for_tenant(request.municipality_id).create(
                municipality_id=request.municipality_id,
                request=request,
                caregiver=caregiver,
                reasons=[[code, params] for code, params in proposed[caregiver.pk].reasons],
                family_confirmed_at=now if by_family else None,
                chosen_by=actor,
            )
    except IntegrityError as exc:
        raise ValidationError({"caregiver": _("A caregiver was already chosen; cancel that booking first.")}) from exc
    audit_record(action="booking.choose", actor=actor, obj=booking, changes={"by_family": by_family})
    return booking


def _settle(booking: Booking) -> None:
    if booking.family_confirmed_at and booking.caregiver_confirmed_at:
        booking.status = BookingStatus.CONFIRMED
        CareRequest.objects.for_tenant(booking.municipality_id).filter(pk=booking.request_id).update(
            status=RequestStatus.BOOKED
        )


@transaction.atomic
def booking_confirm(*, actor: Any, booking: Booking, side: str) -> Booking:
    """One side confirms; confirmed by both, the booking holds and the caregiver learns the address."""
    booking = Booking.objects.for_tenant(booking.municipality_id).select_for_update().get(pk=booking.pk)
    if booking.status != BookingStatus.PROPOSED:
        raise ValidationError({"status": _("This booking is not waiting for a confirmation.")})
    now = timezone.now()
    if side == Side.FAMILY:
        booking.family_confirmed_at = booking.family_confirmed_at or now
    elif side == Side.CAREGIVER:
        booking.caregiver_confirmed_at = booking.caregiver_confirmed_at or now
    else:
        raise ValidationError({"side": _("Choose who confirms.")})
    _settle(booking)
    booking.save(update_fields=["family_confirmed_at", "caregiver_confirmed_at", "status"])
    audit_record(action="booking.confirm", actor=actor, obj=booking, changes={"side": side, "status": booking.status})
    return booking


@transaction.atomic
def booking_cancel(*, actor: Any, booking: Booking, side: str) -> Booking:
    if booking.status == BookingStatus.CANCELLED:
        return booking
    booking.status = BookingStatus.CANCELLED
    booking.save(update_fields=["status"])
    CareRequest.objects.for_tenant(booking.municipality_id).filter(pk=booking.request_id).exclude(
        status=RequestStatus.CLOSED
    ).update(status=RequestStatus.OPEN)
    audit_record(action="booking.cancel", actor=actor, obj=booking, changes={"side": side})
    return booking


# --- visits, ratings, complaints ------------------------------------------------------------------------------


def _visit_open(
    *, actor: Any, booking: Booking, cover: Cover | None, client_key: uuid.UUID | None, at: datetime.datetime | None
) -> Visit:
    """Record a visit's start, the same for the booking's caregiver and a cover's substitute: a resent key
    (a device's offline retry) returns the first row; one visit at a time per booking, one per cover."""
    mid = booking.municipality_id
    if client_key is not None:
        existing = Visit.objects.for_tenant(mid).filter(client_key=client_key).first()
        if existing is not None:
            if (existing.booking_id, existing.cover_id) != (booking.pk, getattr(cover, "pk", None)):
                raise ValidationError({"client_key": _("This key was already used for another visit.")})
            return existing
    if cover is not None and Visit.objects.for_tenant(mid).filter(cover=cover).exists():
        raise ValidationError({"cover": _("This visit is already recorded.")})
    if Visit.objects.for_tenant(mid).filter(booking=booking, ended_at__isnull=True).exists():
        raise ValidationError({"booking": _("A visit is already under way.")})
    try:
        with transaction.atomic():
            visit = Visit.objects.for_tenant(mid).create(
                municipality_id=mid,
                booking=booking,
                cover=cover,
                started_at=at or timezone.now(),
                client_key=client_key,
            )
    except IntegrityError as exc:  # the same key or cover, sent twice at once
        raise ValidationError(
            {"cover" if cover is not None else "client_key": _("This visit is already recorded.")}
        ) from exc
    audit_record(action="visit.start", actor=actor, obj=visit, changes={"cover": str(cover.pk)} if cover else None)
    return visit


@transaction.atomic
def visit_start(
    *, actor: Any, booking: Booking, client_key: uuid.UUID | None = None, at: datetime.datetime | None = None
) -> Visit:
    """The booking's caregiver starts a visit; a date whose cover is confirmed is the substitute's to record."""
    if booking.status != BookingStatus.CONFIRMED:
        raise ValidationError({"booking": _("Visits start only on a confirmed booking.")})
    day = timezone.localdate(at or timezone.now())
    covered = Cover.objects.for_tenant(booking.municipality_id).filter(
        booking=booking, date=day, status=CoverStatus.CONFIRMED
    )
    if covered.exists():
        raise ValidationError({"booking": _("A substitute covers this day's visit; they record it.")})
    return _visit_open(actor=actor, booking=booking, cover=None, client_key=client_key, at=at)


@transaction.atomic
def cover_visit_start(
    *, actor: Any, cover: Cover, client_key: uuid.UUID | None = None, at: datetime.datetime | None = None
) -> Visit:
    """The confirmed substitute starts the covered visit, on the cover's date only."""
    booking = Booking.objects.for_tenant(cover.municipality_id).get(pk=cover.booking_id)
    if cover.status != CoverStatus.CONFIRMED:
        raise ValidationError({"cover": _("Confirm the visit before recording it.")})
    if booking.status != BookingStatus.CONFIRMED:
        raise ValidationError({"booking": _("Visits start only on a confirmed booking.")})
    if timezone.localdate(at or timezone.now()) != cover.date:
        when = formats.date_format(cover.date)
        raise ValidationError({"date": _("This visit is on %(date)s; record it that day.") % {"date": when}})
    return _visit_open(actor=actor, booking=booking, cover=cover, client_key=client_key, at=at)


@transaction.atomic
def visit_end(*, actor: Any, visit: Visit, at: datetime.datetime | None = None) -> Visit:
    if visit.ended_at is not None:
        return visit
    moment = at or timezone.now()
    if moment <= visit.started_at:
        raise ValidationError({"ended_at": _("The end is before the start.")})
    visit.ended_at = moment
    visit.save(update_fields=["ended_at"])
    audit_record(action="visit.end", actor=actor, obj=visit)
    return visit


@transaction.atomic
def rating_give(*, actor: Any, booking: Booking, side: str, score: int, comment: str = "") -> Rating:
    if booking.status != BookingStatus.CONFIRMED:
        raise ValidationError({"score": _("Rate only a confirmed booking.")})
    if side not in Side.values:
        raise ValidationError({"side": _("Choose who rates.")})
    if not 1 <= score <= 5:
        raise ValidationError({"score": _("Give between 1 and 5 stars.")})
    if Rating.objects.for_tenant(booking.municipality_id).filter(booking=booking, side=side).exists():
        raise ValidationError({"score": _("You have already rated this booking.")})
    rating = Rating.objects.for_tenant(booking.municipality_id).create(
        municipality_id=booking.municipality_id, booking=booking, side=side, score=score, comment=comment.strip()[:500]
    )
    audit_record(action="rating.give", actor=actor, obj=rating, changes={"side": side, "score": score})
    return rating


@transaction.atomic
def complaint_file(*, actor: Any, booking: Booking, side: str, text: str) -> Complaint:
    """A complaint by either side reaches the coordinator."""
    if not text.strip():
        raise ValidationError({"text": _("Write what happened.")})
    if side not in Side.values:
        raise ValidationError({"side": _("Choose who complains.")})
    complaint = Complaint.objects.for_tenant(booking.municipality_id).create(
        municipality_id=booking.municipality_id, booking=booking, side=side, text=text.strip()
    )
    audit_record(action="complaint.file", actor=actor, obj=complaint, changes={"side": side})
    return complaint


@transaction.atomic
def complaint_resolve(*, actor: Any, complaint: Complaint, resolution: str) -> Complaint:
    if not policy.can(actor, "change", complaint):
        raise PermissionDenied
    if not resolution.strip():
        raise ValidationError({"resolution": _("Write the answer.")})
    complaint.status = ComplaintStatus.RESOLVED
    complaint.resolution = resolution.strip()
    complaint.save(update_fields=["status", "resolution"])
    audit_record(action="complaint.resolve", actor=actor, obj=complaint)
    return complaint


# --- a missed or cancelled visit and its cover ------------------------------------------------------------


def visits_mark_missed(*, municipality: Any = None, now: datetime.datetime | None = None) -> int:
    """Every visit due today not started by its start plus the grace becomes a visit needing cover, and the
    coordinators are told (run by the scheduler every quarter hour, and when the coverage list is opened).
    Returns how many were marked."""
    tenants = (
        [_mid(municipality)] if municipality is not None else list(Municipality.objects.values_list("pk", flat=True))
    )
    marked = 0
    for mid in tenants:
        for booking, day in missed_visits(municipality=mid, now=now):
            with transaction.atomic():
                cover, created = Cover.objects.for_tenant(mid).get_or_create(
                    booking=booking, date=day, defaults={"municipality_id": mid, "reason": CoverReason.MISSED}
                )
                if not created:
                    continue
                marked += 1
                audit_record(action="cover.missed", actor=None, municipality=mid, obj=cover, changes={"date": str(day)})
                notice_coordinators(cover=cover, kind="missed")
    return marked


@transaction.atomic
def cover_report_absence(*, actor: Any, booking: Booking, on: datetime.date | None, note: str = "") -> Cover:
    """The caregiver says ahead they cannot come on a date: that visit needs cover at once."""
    request = booking.request
    today = timezone.localdate()
    if on is None:
        raise ValidationError({"date": _("Choose the date you cannot come.")})
    if booking.status != BookingStatus.CONFIRMED:
        raise ValidationError({"date": _("Only a confirmed booking has visits to cover.")})
    if on < today:
        raise ValidationError({"date": _("Choose today or a later date.")})
    if on.weekday() not in {int(d) for d in request.weekdays}:
        raise ValidationError({"date": _("There is no visit of this booking on that day.")})
    if len(note.strip()) > 200:
        raise ValidationError({"note": _("Write at most 200 characters.")})
    mid = booking.municipality_id
    day_start = timezone.make_aware(datetime.datetime.combine(on, datetime.time.min))
    started = Visit.objects.for_tenant(mid).filter(
        booking=booking, started_at__gte=day_start, started_at__lt=day_start + datetime.timedelta(days=1)
    )
    if started.exists():
        raise ValidationError({"date": _("The visit of that day has already started.")})
    if Cover.objects.for_tenant(mid).filter(booking=booking, date=on).exists():
        raise ValidationError({"date": _("The visit of that day already needs cover.")})
    cover = Cover.objects.for_tenant(mid).create(
        municipality_id=mid,
        booking=booking,
        date=on,
        reason=CoverReason.ABSENT,
        note=note.strip(),
        reported_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit_record(action="cover.report", actor=actor, obj=cover, changes={"date": str(on)})
    notice_coordinators(cover=cover, kind="absent")
    notice_family(cover=cover, kind="absent")
    return cover


@transaction.atomic
def cover_choose(*, actor: Any, cover: Cover, caregiver: Caregiver) -> Cover:
    """The coordinator, the case's social worker or the family picks a substitute among those proposed for
    that one visit; the substitute confirms next."""
    cover = Cover.objects.for_tenant(cover.municipality_id).select_for_update().get(pk=cover.pk)
    if cover.status != CoverStatus.NEEDED:
        raise ValidationError({"caregiver": _("A substitute was already asked for this visit.")})
    if cover.date < timezone.localdate():
        raise ValidationError({"caregiver": _("This visit is past.")})
    proposed = {p.caregiver.pk: p for p in substitutes(cover=cover)}
    if caregiver.pk not in proposed:
        raise ValidationError({"caregiver": _("Choose a caregiver from the proposed list.")})
    cover.substitute = caregiver
    cover.status = CoverStatus.PROPOSED
    cover.reasons = [[code, params] for code, params in proposed[caregiver.pk].reasons]
    cover.chosen_by = actor if getattr(actor, "is_authenticated", False) else None
    cover.chosen_at = timezone.now()
    cover.save(update_fields=["substitute", "status", "reasons", "chosen_by", "chosen_at"])
    audit_record(action="cover.choose", actor=actor, obj=cover, changes={"substitute": str(caregiver.pk)})
    if caregiver.user is not None:
        notice_user(cover=cover, user=caregiver.user, kind="asked")
    notice_family(cover=cover, kind="chosen")
    return cover


@transaction.atomic
def cover_confirm(*, actor: Any, cover: Cover) -> Cover:
    """The substitute confirms: the visit is covered, and only now do they see the address and the needs."""
    cover = Cover.objects.for_tenant(cover.municipality_id).select_for_update().get(pk=cover.pk)
    if cover.status != CoverStatus.PROPOSED:
        raise ValidationError({"status": _("This visit is not waiting for your answer.")})
    cover.status = CoverStatus.CONFIRMED
    cover.substitute_confirmed_at = timezone.now()
    cover.save(update_fields=["status", "substitute_confirmed_at"])
    audit_record(action="cover.confirm", actor=actor, obj=cover)
    notice_family(cover=cover, kind="covered")
    return cover


@transaction.atomic
def cover_decline(*, actor: Any, cover: Cover) -> Cover:
    """The substitute cannot: the visit needs cover again, and the coordinators are told."""
    cover = Cover.objects.for_tenant(cover.municipality_id).select_for_update().get(pk=cover.pk)
    if cover.status not in (CoverStatus.PROPOSED, CoverStatus.CONFIRMED):
        raise ValidationError({"status": _("This visit is not waiting for your answer.")})
    if Visit.objects.for_tenant(cover.municipality_id).filter(cover=cover).exists():
        raise ValidationError({"status": _("This visit is already recorded.")})
    was = cover.substitute_id
    cover.status = CoverStatus.NEEDED
    cover.substitute = None
    cover.reasons = []
    cover.substitute_confirmed_at = None
    cover.save(update_fields=["status", "substitute", "reasons", "substitute_confirmed_at"])
    audit_record(action="cover.decline", actor=actor, obj=cover, changes={"substitute": str(was)})
    notice_coordinators(cover=cover, kind="declined")
    return cover


def person_merge_move(*, user: Any, survivor: Any, duplicate: Any) -> dict[str, int]:
    """People's merge hook: the duplicate's care requests follow the kept record (inside ``person_merge``)."""
    tenant = survivor.municipality_id
    requests = list(CareRequest.objects.for_tenant(tenant).filter(person=duplicate))
    moved = CareRequest.objects.for_tenant(tenant).filter(person=duplicate).update(person=survivor)
    for request in requests:
        audit_record(
            action="care_request.person_merge",
            actor=user,
            obj=request,
            changes={"person": [str(duplicate.pk), str(survivor.pk)]},
        )
    return {"care.carerequest": moved}
