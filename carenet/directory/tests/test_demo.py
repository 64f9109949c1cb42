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


def test_balti_lists_every_service_and_facility_its_plan_names(demo_directory):
    services = Service.objects.for_tenant(demo_directory["balti"])
    names = set(services.values_list("name", flat=True))
    for expected in (
        "Centrul de creație a copiilor (spațiu prietenos copiilor)",  # 2.1.2
        "Centrul comunitar (spațiu prietenos copiilor, inclusiv refugiați)",  # 2.1.3
        "Centrul de zi pentru copii cu dizabilități intelectuale (tulburări din spectrul autismului)",  # 2.1.4
        "Cantina socială și servicii de catering",  # 5.1.2
        "Îngrijire la domiciliu pentru persoanele în etate (prin parteneri)",  # 5.1.1
        "Serviciul pentru persoanele imobilizate la pat",
        "Asistență personală",
        "Serviciul de tip familial pentru copii",
        "Consiliere familială",
        "Spații pentru persoanele fără adăpost",  # 5.1.5
        "Suport psihologic pentru persoanele în etate (prin parteneri)",  # 5.1.3
        "Servicii de reabilitare (prin parteneri)",  # 5.1.6
        "Ajutor pentru perioada rece a anului: lemne și cărbune",  # 5.1.4
        "Bibliotecile publice municipale",
        "Muzeul de istorie și etnografie",
        "Palatul municipal de cultură",
        "Agenția Teritorială de Asistență Socială Nord-Nord-Vest",
    ):
        assert expected in names, expected
    assert services.count() == len(demo.balti_services())
    providers = set(services.values_list("organisation__code", flat=True))
    assert {"primaria", "im", "atas", "stas", "cnpac", "ao-autism-hope", "pin", "tdh"} <= providers


def test_every_balti_service_cites_the_plan_and_has_a_russian_translation(demo_directory):
    for service in Service.objects.for_tenant(demo_directory["balti"]):
        assert service.source_note.startswith("Planul de acțiuni Bălți 2025-2027"), service.name
        assert service.is_translated("name", "ru") and service.is_translated("description", "ru"), service.name
    canteen = Service.objects.for_tenant(demo_directory["balti"]).get(name="Cantina socială și servicii de catering")
    assert "acțiunea 5.1.2" in canteen.description and "Primăria Bălţi, ÎM" in canteen.description
    assert canteen.organisation.code == "im"


def test_no_demo_service_gets_invented_contacts_hours_or_capacity(demo_directory):
    from carenet.directory.models import Phone, Schedule

    services = Service.objects.all_tenants()
    assert not services.exclude(email="").exists() and not services.exclude(url="").exists()
    assert not Phone.objects.all_tenants().exists() and not Schedule.objects.all_tenants().exists()
    assert not services.filter(places_total__isnull=False).exists()  # the seeds state no service's places
    assert not Location.objects.all_tenants().exclude(address_1="").exists()


def test_demo_coordinates_are_flagged_approximate(demo_directory):
    locations = Location.objects.all_tenants()
    assert locations.exists()
    assert all(loc.coordinates_approximate for loc in locations)


def test_demo_loader_is_idempotent(demo_directory):
    before = Service.objects.all_tenants().count()
    demo.load()
    assert Service.objects.all_tenants().count() == before


def test_demo_services_are_not_claimed_verified_by_their_provider(demo_directory):
    assert not Service.objects.all_tenants().filter(last_verified_at__isnull=False).exists()
