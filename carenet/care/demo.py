"""The demo's care matching (Baia Mare): the matching rule as tenant data, synthetic caregivers of the
elderly home-care service of DAS ("Serviciu îngrijiri la domiciliu a persoanelor vârstnice", a real DAS
structure of the seeds) spread over the city's neighbourhoods with weekly slots, synthetic requests from
families (some booked, visited and rated), a visit missed (or called off) and covered by the demo caregiver
and one still needing cover. No demo logins are made (the demo's 15 accounts are pinned). No contact of a
real organisation is invented.

Fast: rows are written in bulk (one audit event for the load).
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from carenet.audit.services import audit_record
from carenet.core.models import Municipality, Organisation

from .matching import grid_km
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
    RequestStatus,
    Side,
    Slot,
    Visit,
)
from .selectors import area_points

SEED = 2127
FIRST = [
    "Ana",
    "Maria",
    "Ioana",
    "Elena",
    "Rodica",
    "Viorica",
    "Erika",
    "Ildikó",
    "Mariana",
    "Lucia",
    "Doina",
    "Florin",
    "Adrian",
    "Gheorghe",
    "Katalin",
    "Simona",
    "Daniela",
    "Liliana",
    "Monica",
    "Aurelia",
]
LAST = [
    "Pop",
    "Pintea",
    "Mureșan",
    "Bud",
    "Hossu",
    "Todea",
    "Rus",
    "Kovács",
    "Szabó",
    "Nagy",
    "Ardelean",
    "Câmpean",
    "Sabău",
    "Bledea",
    "Lazăr",
    "Oros",
    "Varga",
    "Petrovan",
    "Tămaș",
    "Chiorean",
]
QUALIFICATIONS = ["", "", "Îngrijitor bătrâni la domiciliu (COR 532201)", "Asistent medical generalist", "Infirmieră"]
CENTRE = (47.6567, 23.5850)  # Baia Mare, centre (fallback when no neighbourhood is drawn)


def load(*, stdout: Any = None) -> None:
    m = Municipality.objects.filter(slug="baia-mare").first()
    if m is None or Caregiver.objects.for_tenant(m).filter(is_synthetic=True).exists():
        return
    with transaction.atomic():
        counts = _load(m)
    if stdout:
        stdout.write(
            f"  {m.name}: care matching rule, {counts['caregivers']} synthetic caregivers, "
            f"{counts['requests']} synthetic requests, {counts['bookings']} bookings"
        )


def _load(m: Municipality) -> dict[str, int]:
    rng = random.Random(SEED)
    mid = m.pk
    MatchingRule.objects.for_tenant(m).get_or_create(
        valid_from=datetime.date(2025, 1, 1),
        defaults={"municipality_id": mid, "max_distance_km": Decimal("5"), "require_training": True, "proposals": 5},
    )
    org = Organisation.objects.for_tenant(m).filter(code="ingrijiri-domiciliu-varstnici").first()
    points = list(area_points(municipality=m).values()) or [("", *CENTRE)]

    caregivers: list[Caregiver] = []
    for i in range(80):
        _name, lat, lon = rng.choice(points)
        caregivers.append(
            Caregiver(
                municipality_id=mid,
                organisation=org,
                first_name=rng.choice(FIRST),
                last_name=rng.choice(LAST),
                kinds=sorted([*rng.sample(CareKind.values, k=rng.randint(1, 3)), "companionship"])
                if i % 3
                else sorted(set(rng.sample(CareKind.values, k=2))),
                qualifications=rng.choice(QUALIFICATIONS),
                training_completed=rng.random() < 0.8,
                languages=["ro"] + (["hu"] if rng.random() < 0.25 else []) + (["uk"] if rng.random() < 0.05 else []),
                latitude=lat + rng.uniform(-0.01, 0.01),
                longitude=lon + rng.uniform(-0.015, 0.015),
                travel_km=Decimal(rng.choice(["3", "5", "8"])),
                is_synthetic=True,
            )
        )
    demo = caregivers[0]
    demo.kinds, demo.languages, demo.training_completed = ["companionship", "household"], ["ro", "hu"], True
    demo.latitude, demo.longitude, demo.travel_km = CENTRE[0], CENTRE[1], Decimal("8")
    for c in caregivers:
        c.kinds = sorted(set(c.kinds))
    Caregiver.objects.bulk_create(caregivers)

    slots: list[Slot] = []
    for c in caregivers[1:]:
        for day in sorted(rng.sample(range(6), k=rng.randint(2, 5))):
            start = rng.choice([7, 8, 9, 12, 14])
            slots.append(
                Slot(
                    municipality_id=mid,
                    caregiver=c,
                    weekday=day,
                    start=datetime.time(start),
                    end=datetime.time(min(start + rng.choice([4, 5, 6, 8]), 22)),
                )
            )
    for day in range(5):  # the demo caregiver: weekdays 8:00-16:00
        slots.append(
            Slot(municipality_id=mid, caregiver=demo, weekday=day, start=datetime.time(8), end=datetime.time(16))
        )
    Slot.objects.bulk_create(slots)

    today = timezone.localdate()
    requests: list[CareRequest] = []
    for i in range(30):
        area, lat, lon = rng.choice(points)
        requests.append(
            CareRequest(
                municipality_id=mid,
                organisation=org,
                cared_for_name=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                kind=rng.choice(CareKind.values),
                weekdays=sorted(rng.sample(range(5), k=rng.randint(1, 3))),
                start_time=datetime.time(rng.choice([9, 10, 14])),
                hours=Decimal(rng.choice(["2", "3", "4"])),
                language="hu" if rng.random() < 0.2 else "ro",
                address=f"{area} (adresă sintetică)" if area else "adresă sintetică",
                latitude=lat + rng.uniform(-0.005, 0.005),
                longitude=lon + rng.uniform(-0.005, 0.005),
                needs="Nevoi sintetice pentru demonstrație.",
                consent_on=today - datetime.timedelta(days=rng.randint(5, 300)),
                status=RequestStatus.BOOKED if 1 <= i < 16 else RequestStatus.OPEN,
                is_synthetic=True,
            )
        )
    CareRequest.objects.bulk_create(requests)

    bookings: list[Booking] = []
    for r in requests[1:16]:
        c = rng.choice(caregivers[1:])
        moment = timezone.now() - datetime.timedelta(days=rng.randint(10, 200))
        bookings.append(
            Booking(
                municipality_id=mid,
                request=r,
                caregiver=c,
                status=BookingStatus.CONFIRMED,
                reasons=[["distance", {"km": round(rng.uniform(0.3, 4.5), 1)}], ["available", {"days": r.weekdays}]],
                family_confirmed_at=moment,
                caregiver_confirmed_at=moment + datetime.timedelta(hours=5),
            )
        )
    Booking.objects.bulk_create(bookings)

    visits: list[Visit] = []
    ratings: list[Rating] = []
    for b in bookings:
        visit_at = (b.caregiver_confirmed_at or timezone.now()) + datetime.timedelta(days=2)
        for _n in range(rng.randint(2, 8)):
            visits.append(
                Visit(
                    municipality_id=mid,
                    booking=b,
                    started_at=visit_at,
                    ended_at=visit_at + datetime.timedelta(hours=float(b.request.hours)),
                )
            )
            visit_at += datetime.timedelta(days=7)
        ratings.append(Rating(municipality_id=mid, booking=b, side=Side.FAMILY, score=rng.choice([4, 5, 5, 3])))
        if rng.random() < 0.6:
            ratings.append(Rating(municipality_id=mid, booking=b, side=Side.CAREGIVER, score=rng.choice([4, 5])))
    Visit.objects.bulk_create(visits)
    Rating.objects.bulk_create(ratings)
    covers = _covers(mid, bookings, demo, today)
    audit_record(
        action="care.demo_load",
        actor=None,
        municipality=m,
        object_type="care",
        changes={"caregivers": len(caregivers), "requests": len(requests), "covers": covers},
    )
    return {"caregivers": len(caregivers), "requests": len(requests), "bookings": len(bookings)}


def _covers(mid: Any, bookings: list[Booking], demo: Caregiver, today: datetime.date) -> int:
    """A visit missed today (or, on a day with none due, called off ahead) that the demo caregiver covers,
    and another still needing cover: the coordinator's list is never empty in the demo."""
    made: list[Cover] = []
    for b in bookings:
        r = b.request
        end = r.start_time.hour + float(r.hours)
        if r.kind not in demo.kinds or end > 16:  # the demo caregiver is free on weekdays 8:00-16:00
            continue
        day = next(
            today + datetime.timedelta(days=n)
            for n in range(7)
            if (today + datetime.timedelta(days=n)).weekday() in r.weekdays
        )
        if any(c.date == day for c in made):
            continue
        covered = not made
        made.append(
            Cover(
                municipality_id=mid,
                booking=b,
                date=day,
                reason=CoverReason.MISSED if day == today and covered else CoverReason.ABSENT,
                note="" if covered else "Bolnavă (sintetic)",
                status=CoverStatus.CONFIRMED if covered else CoverStatus.NEEDED,
                substitute=demo if covered else None,
                reasons=[
                    ["distance", {"km": round(grid_km(r.latitude, r.longitude, demo.latitude, demo.longitude), 1)}],
                    ["available", {"days": [day.weekday()]}],
                    ["trained", {}],
                ]
                if covered
                else [],
                chosen_at=timezone.now() if covered else None,
                substitute_confirmed_at=timezone.now() if covered else None,
            )
        )
        if len(made) == 2:
            break
    Cover.objects.bulk_create(made)
    return len(made)
