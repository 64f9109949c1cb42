from typing import Any

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from carenet.core.models import Organisation

from .models import Membership
from .permissions import memberships_visible_to, organisations_visible_to


def organisation_list(*, user: Any, query: str = "") -> QuerySet[Organisation]:
    qs = organisations_visible_to(user).filter(is_active=True)
    if query:
        qs = qs.filter(Q(name__icontains=query) | Q(short_name__icontains=query) | Q(code__icontains=query))
    return qs.annotate(member_count=Count("memberships", filter=Q(memberships__is_active=True))).order_by("name")


def organisation_get(*, user: Any, organisation_id: Any) -> Organisation:
    """404, not 403, for another tenant's id: the id's existence is not confirmed."""
    return get_object_or_404(organisations_visible_to(user).select_related("parent"), pk=organisation_id)


def organisation_members(*, user: Any, organisation: Organisation) -> QuerySet[Membership]:
    return (
        memberships_visible_to(user)
        .filter(organisation=organisation, is_active=True)
        .select_related("user")
        .order_by("user__last_name", "user__first_name")
    )
