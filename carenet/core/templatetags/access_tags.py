"""``{% may_open "app:name" as flag %}``: whether the signed-in user may open a page, asked of the page's
own ``@requires`` check (core.access), so a page links only where the link leads somewhere."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import NoReverseMatch, resolve, reverse

register = template.Library()


@register.simple_tag(takes_context=True)
def may_open(context: Any, url_name: str, *args: Any) -> bool:
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return False
    try:
        func = resolve(reverse(url_name, args=args or None)).func
    except NoReverseMatch:
        return False
    allows = getattr(func, "carenet_allows", None)
    return True if allows is None else bool(allows(request.user))
