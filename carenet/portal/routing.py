"""Routing of requests for help to a provider's triage queue.

Each municipality keeps a small routing table (``RoutingRule``: kind of help × area → organisation).
The most specific rule wins:

1. a rule for this kind of help **and** this area;
2. a rule for this kind of help (any area);
3. a rule for this area (any kind of help);
4. the default rule (no kind, no area) — usually the social-assistance directorate (DAS).

Ties are broken by ``priority`` (lower first). With no rule at all the request stays unrouted and
appears in the coordinator's queue, who routes it by hand (and can re-route any request).
"""

from __future__ import annotations

from typing import Any

from .models import RoutingRule


def route(*, municipality: Any, need: str, area_id: Any) -> Any:
    """The organisation id a new request goes to, or None."""
    rules = list(RoutingRule.objects.for_tenant(municipality).values("need", "area_id", "organisation_id", "priority"))

    def rank(rule: dict[str, Any]) -> tuple[int, int] | None:
        need_match = rule["need"] == need
        area_match = area_id is not None and rule["area_id"] == area_id
        if rule["need"] and not need_match:
            return None
        if rule["area_id"] and not area_match:
            return None
        specificity = 0 if (need_match and area_match) else 1 if need_match else 2 if area_match else 3
        return specificity, rule["priority"]

    ranked = sorted((r for r in ((rank(rule), rule) for rule in rules) if r[0] is not None), key=lambda r: r[0])  # type: ignore[arg-type,return-value]
    return ranked[0][1]["organisation_id"] if ranked else None
