"""Template helpers of the campaigns, and the public alert banner the portal renders (``{% campaign_alert %}``):
the portal's template loads this library, so the portal's code never imports the campaigns."""

from __future__ import annotations

from typing import Any

from django import template

from carenet.campaigns.selectors import public_alert

register = template.Library()


@register.filter
def lookup(mapping: Any, key: Any) -> Any:
    try:
        return mapping.get(key, key)
    except AttributeError:
        return key


@register.inclusion_tag("campaigns/portal_alert.html")
def campaign_alert(municipality: Any) -> dict[str, Any]:
    """The alert in force for the municipality's public pages, with its open centres and 112."""
    alert = public_alert(municipality=municipality) if municipality is not None else None
    return {"alert": alert, "municipality": municipality}
