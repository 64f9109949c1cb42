import pytest

from carenet.core import demo as core_demo
from carenet.core.models import Municipality
from carenet.directory import demo
from carenet.directory.models import Location, Service


@pytest.fixture
def demo_directory(db):
    core_demo.load()
    demo.load()
    return {m.slug: m for m in Municipality.objects.all()}


def test_every_baia_mare_das_structure_and_ngo_service_is_loaded(demo_directory):
    baia_mare = demo_directory["baia-mare"]
    services = Service.objects.for_tenant(baia_mare)
    names = set(services.values_list("name", flat=True))
    assert "SERVICIU ÎNGRIJIRI LA DOMICILIU A PERSOANELOR VÂRSTNICE" in names
    assert "Cămin Bătrâni" in names
    assert services.count() == 26 + 18  # DAS structures + items of the 8 NGOs (lines 1128-1135)


def test_balti_gets_only_the_services_the_plan_describes(demo_directory):
    assert Service.objects.for_tenant(demo_directory["balti"]).count() == 2


def test_demo_coordinates_are_flagged_approximate(demo_directory):
    locations = Location.objects.all_tenants()
    assert locations.exists()
    assert all(loc.coordinates_approximate for loc in locations)


def test_demo_loader_is_idempotent(demo_directory):
    before = Service.objects.all_tenants().count()
    demo.load()
    assert Service.objects.all_tenants().count() == before
