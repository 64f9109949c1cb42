"""Every read of care matching beyond a ``get``: the rules in force, the proposals for a request (with their
reasons), the lists of the staff, the family's and the caregiver's own pages."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Avg, Q, QuerySet
from django.utils import timezone

from . import matching
from .models import (
    Booking,
    BookingStatus,
    Caregiver,
    CareKind,
    CareRequest,
    Cover,
    CoverReason,
    CoverStatus,
    MatchingRule,
    Rating,
    Side,
    Slot,
    Visit,
)
from .permissions import care_requests_visible_to, caregivers_visible_to, complaints_visible_to, covers_visible_to


def rule_in_force(*, municipality: Any, on: datetime.date | None = None) -> MatchingRule | None:
    day = on or timezone.localdate()
    return (
        MatchingRule.objects.for_tenant(municipality)
        .filter(Q(valid_from__lte=day), Q(valid_to__isnull=True) | Q(valid_to__gte=day))
        .order_by("-valid_from")
        .first()
    )


def need_of(request: CareRequest) -> matching.Need:
    return matching.Need(
        kind=request.kind,
        weekdays=tuple(int(d) for d in request.weekdays),
        start=request.start_time,
        hours=float(request.hours),
        latitude=request.latitude,
        longitude=request.longitude,
        language=request.language,
    )


def candidates_near(
    *, municipality: Any, need: matching.Need, km: float, require_training: bool = False
) -> list[matching.Candidate]:
    """Caregivers who could be proposed, with their slots that cover the whole visit (two queries): those in
    the grid box around the request giving this kind of care and within the grid distance, then their slots
    on the requested days that wholly contain the visit (the matcher checks every day is covered)."""
    start_minutes = need.start.hour * 60 + need.start.minute
    end_minutes = start_minutes + round(need.hours * 60)
    if end_minutes > 24 * 60:
        return []
    end = datetime.time(23, 59, 59) if end_minutes == 24 * 60 else datetime.time(end_minutes // 60, end_minutes % 60)
    south, north, west, east = matching.bounding_box(need.latitude, need.longitude, km)
    caregivers = Caregiver.objects.for_tenant(municipality).filter(
        is_active=True, latitude__gte=south, latitude__lte=north, longitude__gte=west, longitude__lte=east
    )
    if require_training:
        caregivers = caregivers.filter(training_completed=True)
    rows: dict[Any, dict[str, Any]] = {}
    for cid, kinds, langs, trained, quals, lat, lon, travel in caregivers.values_list(
        "id", "kinds", "languages", "training_completed", "qualifications", "latitude", "longitude", "travel_km"
    ):
        if need.kind not in (kinds or ()):
            continue
        reach = min(km, float(travel))
        if matching.grid_km(need.latitude, need.longitude, lat, lon) > reach:
            continue
        rows[cid] = {
            "kinds": tuple(kinds or ()),
            "languages": tuple(langs or ()),
            "trained": trained,
            "qualified": bool((quals or "").strip()),
            "latitude": lat,
            "longitude": lon,
            "travel_km": float(travel),
        }
    slots: dict[Any, list[tuple[int, datetime.time, datetime.time]]] = defaultdict(list)
    if rows:
        for cid, weekday, s, e in (
            Slot.objects.for_tenant(municipality)
            .filter(caregiver_id__in=list(rows), weekday__in=need.weekdays, start__lte=need.start, end__gte=end)
            .values_list("caregiver_id", "weekday", "start", "end")
        ):
            slots[cid].append((weekday, s, e))
    return [matching.Candidate(id=cid, slots=tuple(slots[cid]), **row) for cid, row in rows.items() if cid in slots]


@dataclass(frozen=True)
class Proposed:
    caregiver: Caregiver
    distance_km: float
    score: float
    reasons: list[tuple[str, dict[str, Any]]]
    rating: float | None


def proposals(*, request: CareRequest, on: datetime.date | None = None) -> list[Proposed]:
    """The caregivers proposed for a request, best first, with their reasons."""
    rule = rule_in_force(municipality=request.municipality_id, on=on)
    if rule is None:
        return []
    need = need_of(request)
    km = float(rule.max_distance_km)
    ranked = matching.rank(
        need,
        candidates_near(municipality=request.municipality_id, need=need, km=km, require_training=rule.require_training),
        max_distance_km=km,
        require_training=rule.require_training,
        limit=rule.proposals,
    )
    return _proposed(municipality=request.municipality_id, ranked=ranked)


def _proposed(*, municipality: Any, ranked: list[matching.Proposal]) -> list[Proposed]:
    """The ranked candidates as caregivers, with the families' average rating of each."""
    by_id = Caregiver.objects.for_tenant(municipality).in_bulk([p.candidate.id for p in ranked])
    ratings = dict(
        Rating.objects.for_tenant(municipality)
        .filter(booking__caregiver_id__in=by_id.keys(), side=Side.FAMILY)
        .values("booking__caregiver_id")
        .annotate(avg=Avg("score"))
        .values_list("booking__caregiver_id", "avg")
    )
    return [
        Proposed(
            caregiver=by_id[p.candidate.id],
            distance_km=round(p.distance_km, 1),
            score=p.score,
            reasons=p.reasons,
            rating=round(float(ratings[p.candidate.id]), 1) if p.candidate.id in ratings else None,
        )
        for p in ranked
        if p.candidate.id in by_id
    ]


def live_booking(*, request: CareRequest) -> Booking | None:
    return (
        Booking.objects.for_tenant(request.municipality_id)
        .filter(request=request, status__in=[BookingStatus.PROPOSED, BookingStatus.CONFIRMED])
        .select_related("caregiver")
        .first()
    )


# --- staff lists --------------------------------------------------------------------------------------------


def request_list(*, user: Any, status: str = "") -> QuerySet[CareRequest]:
    qs = care_requests_visible_to(user).select_related("organisation")
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-created_at")


def caregiver_list(*, user: Any) -> QuerySet[Caregiver]:
    return caregivers_visible_to(user).select_related("organisation").prefetch_related("slots")


def complaint_list(*, user: Any) -> QuerySet[Any]:
    return complaints_visible_to(user).select_related("booking__caregiver", "booking__request").order_by("-created_at")


# --- the portal's own pages ---------------------------------------------------------------------------------


def family_requests(*, user: Any, municipality: Any) -> QuerySet[CareRequest]:
    return CareRequest.objects.for_tenant(municipality).filter(family_user_id=getattr(user, "pk", None))


def caregiver_of(*, user: Any, municipality: Any) -> Caregiver | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Caregiver.objects.for_tenant(municipality).filter(user=user).first()


def caregiver_slots(*, caregiver: Caregiver) -> QuerySet[Slot]:
    return Slot.objects.for_tenant(caregiver.municipality_id).filter(caregiver=caregiver)


def caregiver_bookings(*, caregiver: Caregiver) -> QuerySet[Booking]:
    return (
        Booking.objects.for_tenant(caregiver.municipality_id)
        .filter(caregiver=caregiver)
        .exclude(status=BookingStatus.CANCELLED)
        .select_related("request")
    )


@dataclass(frozen=True)
class CaregiverView:
    """What a caregiver sees of a booking: the kind, days, time and distance always; the address, the
    person's name, the phone and the needs only once both sides confirmed."""

    booking: Booking
    kind: str
    weekdays: list[int]
    start_time: datetime.time
    hours: Any
    confirmed: bool
    cared_for_name: str = ""
    address: str = ""
    contact_phone: str = ""
    needs: str = ""


def caregiver_booking_view(*, booking: Booking) -> CaregiverView:
    request = booking.request
    confirmed = booking.status == BookingStatus.CONFIRMED
    return CaregiverView(
        booking=booking,
        kind=str(CareKind(request.kind).label),
        weekdays=list(request.weekdays),
        start_time=request.start_time,
        hours=request.hours,
        confirmed=confirmed,
        cared_for_name=request.cared_for_name if confirmed else "",
        address=request.address if confirmed else "",
        contact_phone=request.contact_phone if confirmed else "",
        needs=request.needs if confirmed else "",
    )


def area_points(*, municipality: Any) -> dict[str, tuple[str, float, float]]:
    """The municipality's areas with a drawn boundary and their centre (lat, lon): a family places its
    address by its neighbourhood, never by typing coordinates."""
    from shapely.geometry import shape

    from carenet.geo.models import Area

    points: dict[str, tuple[str, float, float]] = {}
    for area in Area.objects.for_tenant(municipality).exclude(geometry__isnull=True).order_by("name"):
        try:
            centre = shape(area.geometry).centroid
        except (ValueError, TypeError, AttributeError, KeyError):
            continue
        points[str(area.pk)] = (area.name, float(centre.y), float(centre.x))
    return points


# --- expected visits, missed visits and their cover --------------------------------------------------------

LIVE = (BookingStatus.PROPOSED, BookingStatus.CONFIRMED)
COVER_OPEN = (CoverStatus.NEEDED, CoverStatus.PROPOSED)
COVER_HELD = (CoverStatus.PROPOSED, CoverStatus.CONFIRMED)


def grace_minutes(*, municipality: Any, on: datetime.date | None = None) -> int:
    """Minutes after its start a visit may still begin; with no rule in force, the field's default (30)."""
    rule = rule_in_force(municipality=municipality, on=on)
    if rule is not None:
        return rule.visit_grace_minutes
    return int(MatchingRule._meta.get_field("visit_grace_minutes").get_default())


def visit_due_at(*, request: CareRequest, on: datetime.date) -> datetime.datetime:
    """When the visit of ``on`` is due to start, in the municipality's time."""
    return timezone.make_aware(datetime.datetime.combine(on, request.start_time))


def expected_dates(*, booking: Booking, start: datetime.date, days: int) -> list[datetime.date]:
    """The dates from ``start`` on (``days`` of them) the booking has a visit due: its request's weekdays."""
    weekdays = {int(d) for d in booking.request.weekdays}
    return [d for d in (start + datetime.timedelta(days=n) for n in range(days)) if d.weekday() in weekdays]


def missed_visits(*, municipality: Any, now: datetime.datetime | None = None) -> list[tuple[Booking, datetime.date]]:
    """Today's visits of confirmed bookings that did not start by their start time plus the grace, and have
    no cover yet. A booking confirmed after the visit was due did not owe it."""
    moment = now or timezone.now()
    today = timezone.localdate(moment)
    grace = datetime.timedelta(minutes=grace_minutes(municipality=municipality, on=today))
    bookings = [
        b
        for b in Booking.objects.for_tenant(municipality)
        .filter(status=BookingStatus.CONFIRMED)
        .select_related("request", "caregiver")
        if today.weekday() in {int(d) for d in b.request.weekdays}
    ]
    if not bookings:
        return []
    day_start = timezone.make_aware(datetime.datetime.combine(today, datetime.time.min))
    ids = [b.pk for b in bookings]
    started = set(
        Visit.objects.for_tenant(municipality)
        .filter(booking_id__in=ids, started_at__gte=day_start, started_at__lt=day_start + datetime.timedelta(days=1))
        .values_list("booking_id", flat=True)
    )
    covered = set(
        Cover.objects.for_tenant(municipality)
        .filter(booking_id__in=ids, date=today)
        .values_list("booking_id", flat=True)
    )
    missed = []
    for b in bookings:
        due = visit_due_at(request=b.request, on=today)
        confirmed_at = max(filter(None, [b.family_confirmed_at, b.caregiver_confirmed_at]), default=None)
        if b.pk in started or b.pk in covered or moment < due + grace:
            continue
        if confirmed_at is not None and confirmed_at > due:
            continue
        missed.append((b, today))
    return missed


def _minutes_of(start: datetime.time, hours: Any) -> tuple[int, int]:
    begin = start.hour * 60 + start.minute
    return begin, begin + round(float(hours) * 60)


def busy_caregivers(
    *, municipality: Any, caregiver_ids: list[Any], on: datetime.date, start: datetime.time, hours: Any
) -> set[Any]:
    """Among ``caregiver_ids``, those not free on ``on`` from ``start`` for ``hours``: a live booking of theirs
    has a visit that weekday overlapping it, they already cover another visit then, or they said they cannot
    come that day."""
    begin, end = _minutes_of(start, hours)
    busy: set[Any] = set()
    for cid, days, s, h in (
        Booking.objects.for_tenant(municipality)
        .filter(caregiver_id__in=caregiver_ids, status__in=LIVE)
        .values_list("caregiver_id", "request__weekdays", "request__start_time", "request__hours")
    ):
        b, e = _minutes_of(s, h)
        if on.weekday() in {int(d) for d in days or ()} and b < end and begin < e:
            busy.add(cid)
    for cid, s, h in (
        Cover.objects.for_tenant(municipality)
        .filter(substitute_id__in=caregiver_ids, date=on, status__in=COVER_HELD)
        .values_list("substitute_id", "booking__request__start_time", "booking__request__hours")
    ):
        b, e = _minutes_of(s, h)
        if b < end and begin < e:
            busy.add(cid)
    busy.update(
        Cover.objects.for_tenant(municipality)
        .filter(booking__caregiver_id__in=caregiver_ids, date=on, reason=CoverReason.ABSENT)
        .values_list("booking__caregiver_id", flat=True)
    )
    return busy


def substitutes(*, cover: Cover) -> list[Proposed]:
    """The caregivers proposed to cover one visit, best first, with their reasons: the matching rules of the
    booking restricted to that date (its weekday and hours), never the absent caregiver nor one busy then."""
    request = cover.booking.request
    rule = rule_in_force(municipality=cover.municipality_id, on=cover.date)
    if rule is None:
        return []
    need = matching.Need(
        kind=request.kind,
        weekdays=(cover.date.weekday(),),
        start=request.start_time,
        hours=float(request.hours),
        latitude=request.latitude,
        longitude=request.longitude,
        language=request.language,
    )
    km = float(rule.max_distance_km)
    near = [
        c
        for c in candidates_near(
            municipality=cover.municipality_id, need=need, km=km, require_training=rule.require_training
        )
        if c.id != cover.booking.caregiver_id
    ]
    busy = busy_caregivers(
        municipality=cover.municipality_id,
        caregiver_ids=[c.id for c in near],
        on=cover.date,
        start=request.start_time,
        hours=request.hours,
    )
    ranked = matching.rank(
        need,
        [c for c in near if c.id not in busy],
        max_distance_km=km,
        require_training=rule.require_training,
        limit=rule.proposals,
    )
    return _proposed(municipality=cover.municipality_id, ranked=ranked)


def covers_needed(*, user: Any, today: datetime.date | None = None, days: int | None = None) -> QuerySet[Cover]:
    """The visits needing cover the user sees, from today on (waiting for a substitute's answer included),
    soonest first; with ``days``, only those of today and the next ``days - 1`` days. Unbounded by default: an
    absence said a week or more ahead needs a substitute found at once, and was hidden by a 7-day window
    (a caregiver's "I cannot come next Tuesday", said on a Tuesday)."""
    start = today or timezone.localdate()
    covers = covers_visible_to(user).filter(status__in=COVER_OPEN, date__gte=start)
    if days is not None:
        covers = covers.filter(date__lt=start + datetime.timedelta(days=days))
    return covers.select_related("booking__request", "booking__caregiver", "substitute").order_by(
        "date", "booking__request__start_time"
    )


DONE_COVERS_SHOWN_DAYS = 30  # how long a covered visit the substitute made stays on the family's page


def booking_covers(*, booking: Booking, today: datetime.date | None = None) -> list[Cover]:
    """A booking's covers from today on, and those of the last days the substitute made (what the family
    follows); each with ``done_visit``, the visit the substitute recorded (or None)."""
    start = today or timezone.localdate()
    since = start - datetime.timedelta(days=DONE_COVERS_SHOWN_DAYS)
    covers = list(
        Cover.objects.for_tenant(booking.municipality_id)
        .filter(Q(date__gte=start) | Q(date__gte=since, visits__isnull=False), booking=booking)
        .distinct()
        .select_related("substitute")
        .prefetch_related("visits")
        .order_by("date")
    )
    for cover in covers:
        cover.done_visit = next(iter(cover.visits.all()), None)
    return covers


def cover_visit(*, cover: Cover) -> Visit | None:
    """The covered visit as the substitute recorded it (one per cover), or None."""
    return Visit.objects.for_tenant(cover.municipality_id).filter(cover=cover).first()


def caregiver_absences(*, caregiver: Caregiver, today: datetime.date | None = None) -> QuerySet[Cover]:
    """The dates from today on the caregiver's own visits need cover (they said so, or missed one today)."""
    start = today or timezone.localdate()
    return (
        Cover.objects.for_tenant(caregiver.municipality_id)
        .filter(booking__caregiver=caregiver, date__gte=start)
        .select_related("booking__request")
        .order_by("date")
    )


@dataclass(frozen=True)
class CoverView:
    """What a substitute sees of a visit they are asked to cover: the kind, date, time and distance always;
    the person, address, phone and needs only once they confirmed."""

    cover: Cover
    kind: str
    date: datetime.date
    start_time: datetime.time
    hours: Any
    distance_km: float
    confirmed: bool
    cared_for_name: str = ""
    address: str = ""
    contact_phone: str = ""
    needs: str = ""
    is_today: bool = False  # the substitute records the visit only on its date
    visit: Visit | None = None


def substitute_covers(*, caregiver: Caregiver, today: datetime.date | None = None) -> list[CoverView]:
    start = today or timezone.localdate()
    covers = (
        Cover.objects.for_tenant(caregiver.municipality_id)
        .filter(substitute=caregiver, status__in=COVER_HELD, date__gte=start)
        .select_related("booking__request")
        .prefetch_related("visits")
        .order_by("date")
    )
    views = []
    for cover in covers:
        request = cover.booking.request
        confirmed = cover.status == CoverStatus.CONFIRMED
        km = matching.grid_km(request.latitude, request.longitude, caregiver.latitude, caregiver.longitude)
        views.append(
            CoverView(
                cover=cover,
                kind=str(CareKind(request.kind).label),
                date=cover.date,
                start_time=request.start_time,
                hours=request.hours,
                distance_km=round(km, 1),
                confirmed=confirmed,
                cared_for_name=request.cared_for_name if confirmed else "",
                address=request.address if confirmed else "",
                contact_phone=request.contact_phone if confirmed else "",
                needs=request.needs if confirmed else "",
                is_today=cover.date == start,
                visit=next(iter(cover.visits.all()), None),
            )
        )
    return views
