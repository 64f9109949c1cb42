from django.db.models import QuerySet
from django.http import Http404

from .models import BackgroundJob, Municipality, Organisation


def municipality_list() -> QuerySet[Municipality]:
    return Municipality.objects.order_by("name")


def municipality_by_slug(slug: str) -> Municipality:
    try:
        return Municipality.objects.get(slug=slug)
    except Municipality.DoesNotExist as exc:
        raise Http404(slug) from exc


def organisations_of(municipality: Municipality) -> QuerySet[Organisation]:
    return Organisation.objects.for_tenant(municipality).filter(is_active=True).order_by("name")


def jobs_for(*, municipality: Municipality, user) -> QuerySet[BackgroundJob]:  # type: ignore[no-untyped-def]
    return BackgroundJob.objects.for_tenant(municipality).filter(created_by=user)
