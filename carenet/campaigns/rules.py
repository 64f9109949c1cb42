"""The pure rules of the campaigns, kept apart from the database so they are tested on their own:

* ``split_into_lists`` — the register split into call lists by zone and worker (every person on exactly one);
* ``should_escalate`` — the escalation ladder (not reached after N tries within H hours → a home visit);
* ``dual_index`` — the dual (social × thermal) vulnerability index per H3 cell.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from carenet.geo.geometry import MIN_CELL

# --- call lists ------------------------------------------------------------------------------------------


@dataclass
class PlannedList:
    zone: str
    assignee: Any
    persons: list[Any] = field(default_factory=list)


def split_into_lists(
    persons: Iterable[tuple[Any, str, str]], workers: Sequence[Any], *, list_size: int
) -> list[PlannedList]:
    """``persons`` as (person id, zone, sort key such as the address); ``workers`` in the coordinator's order.

    Each zone is cut into lists of at most ``list_size`` persons (walking order: by sort key), and each list
    goes to the worker with the fewest persons so far (ties: the first in order). A list never mixes zones.
    With no worker, the lists are left unassigned for the coordinator to hand out. Every person is on
    exactly one list.
    """
    if list_size < 1:
        raise ValueError("list_size must be at least 1")
    by_zone: dict[str, list[tuple[str, Any]]] = defaultdict(list)
    seen: set[Any] = set()
    for person_id, zone, key in persons:
        if person_id in seen:
            continue
        seen.add(person_id)
        by_zone[zone or ""].append((key or "", person_id))
    load = {i: 0 for i in range(len(workers))}
    lists: list[PlannedList] = []
    # The largest zones first, so the load evens out; zones by name for a stable order.
    for zone in sorted(by_zone, key=lambda z: (-len(by_zone[z]), z)):
        members = [pid for _key, pid in sorted(by_zone[zone], key=lambda kv: (kv[0], str(kv[1])))]
        for start in range(0, len(members), list_size):
            chunk = members[start : start + list_size]
            assignee = None
            if workers:
                index = min(load, key=lambda i: (load[i], i))
                load[index] += len(chunk)
                assignee = workers[index]
            lists.append(PlannedList(zone=zone, assignee=assignee, persons=chunk))
    return lists


# --- escalation ------------------------------------------------------------------------------------------


def should_escalate(
    not_reached_at: Sequence[datetime.datetime], *, max_tries: int, within_hours: int, now: datetime.datetime
) -> bool:
    """True when the person must be visited at home.

    ``not_reached_at`` are the times of the unanswered tries (a person reached is never escalated). The ladder:
    ``max_tries`` unanswered tries within ``within_hours`` of the first one, or — fewer tries — the first
    unanswered try is ``within_hours`` old and nobody reached the person since (no one may wait longer).
    """
    if not not_reached_at:
        return False
    tries = sorted(not_reached_at)
    window = datetime.timedelta(hours=within_hours)
    first = tries[0]
    in_window = [t for t in tries if t - first <= window]
    if len(in_window) >= max_tries:
        return True
    return now - first >= window


# --- the dual vulnerability index ------------------------------------------------------------------------


@dataclass(frozen=True)
class CellIndex:
    cell: str
    at_risk: int
    served: int
    social: float
    thermal: float
    index: float
    critical: bool

    @property
    def public_at_risk(self) -> int | None:
        """The count as published: cells under MIN_CELL persons are suppressed."""
        return self.at_risk if self.at_risk >= MIN_CELL else None


def dual_index(social: dict[str, tuple[int, int]], thermal: dict[str, float], *, critical: float) -> list[CellIndex]:
    """The index per H3 cell: ``social`` maps a cell to (at-risk persons, persons served), ``thermal`` to the
    heat intensity (0–1) of the layer at the cell's centre (absent = 0).

    The social part is the mean of the at-risk count and the served count, each divided by its largest value
    over the cells; the index is social × thermal (exposed on both counts, as the strategy's "dual
    vulnerability" asks): 0 where either is 0, 1 where both are the highest. Rows are sorted by index.
    """
    cells = set(social) | set(thermal)
    max_risk = max((social.get(c, (0, 0))[0] for c in cells), default=0)
    max_served = max((social.get(c, (0, 0))[1] for c in cells), default=0)
    rows = []
    for cell in cells:
        risk, served = social.get(cell, (0, 0))
        s = ((risk / max_risk if max_risk else 0.0) + (served / max_served if max_served else 0.0)) / 2
        t = max(0.0, min(1.0, float(thermal.get(cell, 0.0))))
        value = round(s * t, 4)
        rows.append(CellIndex(cell, risk, served, round(s, 4), round(t, 4), value, value >= critical))
    return sorted(rows, key=lambda r: (-r.index, r.cell))


# --- reaching the register by SMS and voice -------------------------------------------------------------

COUNTRY_CODES = {"RO": "40", "MD": "373"}
# Mobile numbers after the country code: Romania 7x; Moldova 6x and 7x (02x/03x are fixed lines, 8x/9x services).
MOBILE_PREFIXES = {"40": ("7",), "373": ("6", "7")}
NATIONAL_LENGTHS = {"40": 9, "373": 8}


def phone_e164(raw: str, country: str) -> str:
    """The number in international form (+40…, +373…), or "" when it is not a Romanian or Moldovan number.

    A national number (07…, 069…, 022…) takes the municipality's country; +/00 numbers keep theirs.
    """
    digits = "".join(ch for ch in raw or "" if ch.isdigit())
    if not digits:
        return ""
    if (raw or "").strip().startswith("+"):
        international = digits
    elif digits.startswith("00"):
        international = digits[2:]
    elif digits.startswith("0") and country in COUNTRY_CODES:
        international = COUNTRY_CODES[country] + digits[1:]
    else:
        return ""
    for code, length in NATIONAL_LENGTHS.items():
        if international.startswith(code) and len(international) == len(code) + length:
            return "+" + international
    return ""


def is_mobile(e164: str) -> bool:
    for code, prefixes in MOBILE_PREFIXES.items():
        if e164.startswith("+" + code):
            return e164[1 + len(code) :].startswith(prefixes)
    return False


def in_quiet_hours(local: datetime.time, quiet_from: datetime.time | None, quiet_to: datetime.time | None) -> bool:
    """True between ``quiet_from`` (included) and ``quiet_to`` (excluded), across midnight when from > to."""
    if quiet_from is None or quiet_to is None or quiet_from == quiet_to:
        return False
    if quiet_from < quiet_to:
        return quiet_from <= local < quiet_to
    return local >= quiet_from or local < quiet_to


def message_language(preferred: str, official: Sequence[str], available: Iterable[str]) -> str:
    """The person's language when CareNet speaks it, else the municipality's first, else Romanian."""
    speaks = set(available)
    for candidate in (preferred, *official):
        if candidate and candidate in speaks:
            return candidate
    return "ro"


def reply_digit(body: str) -> str:
    """ "1" or "2" from a reply ("1", " 2 ", "2." …), or "" for anything else."""
    text = (body or "").strip().rstrip(".!").strip()
    return text if text in ("1", "2") else ""
