"""Fixtures of the engage part of the portal (help, feedback, surveys, consultations): a clean rate-limit
cache, no time trap, English assertions, areas, routing, a consultation; the services are the shared ones
(carenet.testing). Kept in this sub-package so the autouse fixtures never touch the finder or
transparency tests."""

import pytest
from django.core.cache import cache

from carenet.geo.models import Area, AreaKind
from carenet.portal import services
from carenet.portal.models import RoutingRule


@pytest.fixture(autouse=True)
def _portal_defaults(settings, client):
    settings.CARENET_PORTAL_MIN_FORM_SECONDS = 0
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"  # assertions read English; other tests pin ro/ru/hu
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def ferneziu(baia_mare):
    return Area.objects.create(municipality=baia_mare, name="Ferneziu", kind=AreaKind.MARGINALISED)


@pytest.fixture
def balti_area(balti):
    return Area.objects.create(municipality=balti, name="Pământeni", kind=AreaKind.NEIGHBOURHOOD)


@pytest.fixture
def consultation(baia_mare, coordinator):
    return services.consultation_create(
        actor=coordinator, municipality=baia_mare, title="Strategia 2026", summary="Proiectul strategiei."
    )


@pytest.fixture
def routing(baia_mare, org_a, org_b, coordinator_org):
    """Baia Mare: children → provider A, older people → provider B, everything else → DAS."""
    RoutingRule.objects.create(municipality=baia_mare, need="", organisation=coordinator_org)
    RoutingRule.objects.create(municipality=baia_mare, need="child", organisation=org_a)
    RoutingRule.objects.create(municipality=baia_mare, need="older", organisation=org_b)


def help_data(**overrides):
    from carenet.portal.antispam import HumanCheckedForm

    data = {
        "form_started": HumanCheckedForm().initial["form_started"],
        "website": "",
        "help_for": "relative",
        "need": "child",
        "area_text": "Strada Victoriei 10",
        "description": "Copilul vecinei nu merge la școală.",
        "contact_name": "Maria",
        "contact_method": "phone",
        "contact_phone": "0740 123 456",
        "consent": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}
