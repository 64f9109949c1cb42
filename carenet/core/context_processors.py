from typing import Any

from django.apps import apps
from django.conf import settings
from django.http import HttpRequest
from django.urls import NoReverseMatch, resolve, reverse
from django.utils.module_loading import import_string


def shell(request: HttpRequest) -> dict[str, Any]:
    """What the page shell needs: the tenant, the languages, and the navigation."""
    return {
        "tenant": getattr(request, "municipality", None),
        "shell_languages": settings.LANGUAGES,
        "nav_items": nav_items(request),
    }


def nav_items(request: HttpRequest) -> list[dict[str, Any]]:
    """Each app declares its entries as ``nav = [{"url", "label", "staff", "visible_if", "order", "count"}]`` on its
    AppConfig, so the labels live in the app's own translation catalogue."""
    entries = [entry for config in apps.get_app_configs() for entry in getattr(config, "nav", [])]
    items = []
    for entry in sorted(entries, key=lambda e: e.get("order", 50)):
        if entry.get("staff") and not request.user.is_authenticated:
            continue
        if entry.get("visible_if") and not import_string(entry["visible_if"])(request.user):
            continue
        try:
            url = reverse(entry["url"])
        except NoReverseMatch:
            continue
        # A link only to a page the user may open: the view's own ``@requires`` check decides (core.access).
        allows = getattr(resolve(url).func, "carenet_allows", None)
        if allows is not None and request.user.is_authenticated and not allows(request.user):
            continue
        item = {"url": url, "label": entry["label"], "name": entry["url"]}
        # Optional counter next to the label (e.g. unread notifications): "count" is fn(user) -> int.
        if entry.get("count"):
            item["count"] = import_string(entry["count"])(request.user)
            item["count_label"] = entry.get("count_label", "")
        items.append(item)
    return items
