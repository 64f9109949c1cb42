"""Matching a care request with nearby caregivers (pure functions; the selector feeds them rows).

Hard rules (a caregiver failing one is never proposed):

* gives this kind of care, is taking bookings, and (when the rule asks it) completed the caregiver training;
* **within reach**: the distance along the street grid is at most the municipality's farthest distance and
  the caregiver's own travel distance;
* **available**: on every requested weekday one weekly slot covers the whole visit (start to start + hours).

Ranking of those left, with the reasons shown as codes + params (rendered in the reader's language):
closer first (the main term), the family's language, a stated qualification for personal care, and the slack
around the visit (a caregiver whose slot just fits ranks below one with room to spare).

Distance on a city's street grid: the Manhattan distance in a local flat projection (east-west plus
north-south kilometres), which follows the blocks a caregiver walks or drives better than a straight line.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

KM_PER_DEGREE_LAT = 110.574
KM_PER_DEGREE_LON_EQUATOR = 111.320


@dataclass(frozen=True)
class Need:
    kind: str
    weekdays: tuple[int, ...]
    start: datetime.time
    hours: float
    latitude: float
    longitude: float
    language: str = ""


@dataclass(frozen=True)
class Candidate:
    id: Any
    kinds: tuple[str, ...]
    languages: tuple[str, ...]
    trained: bool
    qualified: bool
    latitude: float
    longitude: float
    travel_km: float
    slots: tuple[tuple[int, datetime.time, datetime.time], ...]
    active: bool = True


@dataclass
class Proposal:
    candidate: Candidate
    distance_km: float
    score: float
    reasons: list[tuple[str, dict[str, Any]]] = field(default_factory=list)


def grid_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Kilometres along a street grid: east-west plus north-south, in a local flat projection."""
    mid = math.radians((lat1 + lat2) / 2)
    dy = abs(lat2 - lat1) * KM_PER_DEGREE_LAT
    dx = abs(lon2 - lon1) * KM_PER_DEGREE_LON_EQUATOR * math.cos(mid)
    return dx + dy


def bounding_box(latitude: float, longitude: float, km: float) -> tuple[float, float, float, float]:
    """The box that holds every point within ``km`` along the grid (for the database's first cut)."""
    dlat = km / KM_PER_DEGREE_LAT
    dlon = km / (KM_PER_DEGREE_LON_EQUATOR * max(math.cos(math.radians(latitude)), 0.01))
    return latitude - dlat, latitude + dlat, longitude - dlon, longitude + dlon


def _minutes(t: datetime.time) -> int:
    return t.hour * 60 + t.minute


def slack_minutes(need: Need, slots: Sequence[tuple[int, datetime.time, datetime.time]]) -> int | None:
    """The smallest room left around the visit over the requested days; None when a day is not covered."""
    start = _minutes(need.start)
    end = start + round(need.hours * 60)
    if end > 24 * 60:
        return None
    worst: int | None = None
    for day in need.weekdays:
        best_day: int | None = None
        for weekday, slot_start, slot_end in slots:
            if weekday != day:
                continue
            s, e = _minutes(slot_start), _minutes(slot_end)
            if s <= start and e >= end:
                room = (start - s) + (e - end)
                best_day = room if best_day is None else max(best_day, room)
        if best_day is None:
            return None
        worst = best_day if worst is None else min(worst, best_day)
    return worst


def rank(
    need: Need,
    candidates: Iterable[Candidate],
    *,
    max_distance_km: float,
    require_training: bool = True,
    limit: int = 5,
) -> list[Proposal]:
    proposals: list[Proposal] = []
    for c in candidates:
        if not c.active or need.kind not in c.kinds or (require_training and not c.trained):
            continue
        reach = min(max_distance_km, c.travel_km)
        distance = grid_km(need.latitude, need.longitude, c.latitude, c.longitude)
        if distance > reach:
            continue
        slack = slack_minutes(need, c.slots)
        if slack is None:
            continue
        reasons: list[tuple[str, dict[str, Any]]] = [
            ("distance", {"km": round(distance, 1)}),
            ("available", {"days": list(need.weekdays)}),
        ]
        score = 100.0 - 10.0 * distance
        if need.language and need.language in c.languages:
            score += 15.0
            reasons.append(("language", {"language": need.language}))
        if c.trained:
            reasons.append(("trained", {}))
        if c.qualified:
            score += 5.0
            reasons.append(("qualified", {}))
        score += min(slack, 120) / 60.0  # up to 2 points for room around the visit
        proposals.append(Proposal(candidate=c, distance_km=distance, score=round(score, 2), reasons=reasons))
    proposals.sort(key=lambda p: (-p.score, p.distance_km, str(p.candidate.id)))
    return proposals[:limit]
