"""The request as CareNet's middleware leaves it (for type checking views)."""

from typing import TYPE_CHECKING, Any

from django.http import HttpRequest

if TYPE_CHECKING:
    from .models import Municipality


class CareNetRequest(HttpRequest):
    municipality: "Municipality | None"  # the staff user's tenant, or the public URL's
    public_municipality: "Municipality"  # set on public pages named by slug
    htmx: Any  # django-htmx details
