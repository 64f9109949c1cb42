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
from .models import Booking, BookingStatus, Caregiver, CareKind, CareRequest, MatchingRule, Rating, Side, Slot
from .permissions import care_requests_visible_to, caregivers_visible_to, complaints_visible_to


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
    by_id = Caregiver.objects.for_tenant(request.municipality_id).in_bulk([p.candidate.id for p in ranked])
    ratings = dict(
        Rating.objects.for_tenant(request.municipality_id)
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
