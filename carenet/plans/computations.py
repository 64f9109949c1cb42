"""Named, tested query definitions behind computed indicators.

An indicator with ``source="computed"`` names one entry of ``REGISTRY``; the function receives the
indicator and the period and returns its values (one per disaggregation cell; ``""`` is the total).
To add one: decorate a function with ``@computation("name", label)``, write its test, and point an
indicator at it. Definitions over cases, service deliveries and referrals are registered by those
apps' layers once their models exist (unique persons served, service acts, referrals closed …).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from carenet.core.models import Organisation, OrganisationKind
from carenet.directory.models import Service, ServiceStatus

if TYPE_CHECKING:
    from .models import Indicator, ReportingPeriod

ComputeFn = Callable[["Indicator", "ReportingPeriod"], dict[str, Decimal]]


@dataclass(frozen=True)
class Computation:
    name: str
    label: str
    fn: ComputeFn


REGISTRY: dict[str, Computation] = {}


def computation(name: str, label: str) -> Callable[[ComputeFn], ComputeFn]:
    def register(fn: ComputeFn) -> ComputeFn:
        if name in REGISTRY:
            raise ValueError(f"computation {name!r} registered twice")
        REGISTRY[name] = Computation(name=name, label=str(label), fn=fn)
        return fn

    return register


def compute(indicator: Indicator, period: ReportingPeriod) -> dict[str, Decimal]:
    return REGISTRY[indicator.computation].fn(indicator, period)


def _orgs(indicator: Indicator):  # type: ignore[no-untyped-def]
    return Organisation.objects.for_tenant(indicator.municipality_id)


@computation("network.providers_active", _("Active service providers in the network"))
def providers_active(indicator: Indicator, period: ReportingPeriod) -> dict[str, Decimal]:
    qs = _orgs(indicator).filter(is_provider=True, is_active=True, is_generic=False, created_at__date__lte=period.end_date)
    return {"": Decimal(qs.count())}


@computation("network.ngo_partners", _("NGO partners in the network"))
def ngo_partners(indicator: Indicator, period: ReportingPeriod) -> dict[str, Decimal]:
    qs = _orgs(indicator).filter(kind=OrganisationKind.NGO, is_active=True, is_generic=False, created_at__date__lte=period.end_date)
    return {"": Decimal(qs.count())}


@computation("directory.services_listed", _("Services listed in the directory"))
def services_listed(indicator: Indicator, period: ReportingPeriod) -> dict[str, Decimal]:
    qs = Service.objects.for_tenant(indicator.municipality_id).filter(
        status=ServiceStatus.ACTIVE, created_at__date__lte=period.end_date
    )
    return {"": Decimal(qs.count())}
