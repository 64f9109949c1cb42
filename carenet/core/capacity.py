"""Live places of a service: the registration point through which an app that counts places as they are taken
(housing: a residence's beds tonight) tells the pages that show a service's capacity — the directory, the
referral form, the public finder — which may not import it (docs/architecture.md §4).

A source is ``source(municipality_id, on) -> {service_id: Places}``. For a service a source knows, the live
figure replaces the provider's typed ``places_total``/``places_available`` wherever they are shown, and a
referral's acceptance reads it instead of taking a place from the typed counter.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Places:
    total: int
    free: int


LiveSource = Callable[[Any, "datetime.date | None"], dict[Any, Places]]
_SOURCES: list[LiveSource] = []


def register_live_places(source: LiveSource) -> LiveSource:
    """Add a source (idempotent: ``ready()`` may run twice in tests)."""
    if source not in _SOURCES:
        _SOURCES.append(source)
    return source


def live_places(*, municipality: Any, on: datetime.date | None = None) -> dict[Any, Places]:
    """Every service of the municipality whose places are counted live, with its places (one query per source)."""
    municipality_id = getattr(municipality, "pk", municipality)
    found: dict[Any, Places] = {}
    for source in _SOURCES:
        found.update(source(municipality_id, on))
    return found


def with_live_places(services: Iterable[Any], *, municipality: Any, live: dict[Any, Places] | None = None) -> list[Any]:
    """The services, those counted live carrying their live places in ``places_total``/``places_available``
    (in memory, never saved) and ``places_live = True``; the others as the provider typed them. ``live``: the
    municipality's live places when the caller already read them."""
    services = list(services)
    if not services or not _SOURCES:
        return services
    if live is None:
        live = live_places(municipality=municipality)
    for service in services:
        places = live.get(service.pk)
        service.places_live = places is not None
        if places is not None:
            service.places_total, service.places_available = places.total, places.free
    return services
