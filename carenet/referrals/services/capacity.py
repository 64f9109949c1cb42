"""The places of the receiving service: taken on acceptance, given back when the referral ends early."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from carenet.core.capacity import live_places
from carenet.directory.models import Service

from ..models import Referral


def take_place(referral: Referral) -> bool:
    """One place of the service, in the acceptance's transaction; never below zero."""
    services = Service.objects.for_tenant(referral.municipality_id)
    service = services.select_for_update().get(pk=referral.to_service_id)
    live = live_places(municipality=referral.municipality_id).get(service.pk)
    if live is not None:  # counted from its beds (a shelter): a place is taken at check-in, not here
        if live.free <= 0:
            raise ValidationError(
                _("“%(service)s” has no bed free tonight. Decline the referral suggesting an alternative.")
                % {"service": service.name},
                code="full",
            )
        return False
    if service.places_available is None:
        return False  # capacity not tracked for this service
    taken = services.filter(pk=service.pk, places_available__gt=0).update(
        places_available=F("places_available") - 1, capacity_updated_at=timezone.now()
    )
    if not taken:
        raise ValidationError(
            _(
                "“%(service)s” has no place available. Decline the referral suggesting an alternative, "
                "or update the places available in the directory first."
            )
            % {"service": service.name},
            code="full",
        )
    return True


def release_place(referral: Referral) -> None:
    if not referral.place_taken:
        return
    Service.objects.for_tenant(referral.municipality_id).filter(pk=referral.to_service_id).filter(
        Q(places_total__isnull=True) | Q(places_available__lt=F("places_total"))
    ).update(places_available=F("places_available") + 1, capacity_updated_at=timezone.now())
    referral.place_taken = False
