"""The demo loader: synthetic persons and cases at every stage, deliveries only against existing services."""

from carenet.cases.demo import load
from carenet.cases.models import Case, ServiceDelivery
from carenet.directory.models import Service
from carenet.people.models import Person


def test_the_demo_loads_synthetic_people_and_cases_once_and_creates_no_service(baia_mare, org_a, caseworker_a):
    service = Service.objects.create(municipality=baia_mare, organisation=org_a, name="Centrul de zi")
    load()
    load()
    persons = Person.objects.for_tenant(baia_mare)
    assert persons.count() == 300
    assert not persons.filter(is_synthetic=False).exists()
    statuses = set(Case.objects.for_tenant(baia_mare).values_list("status", flat=True))
    assert {"intake", "active", "closed"} <= statuses
    deliveries = ServiceDelivery.objects.for_tenant(baia_mare)
    assert deliveries.exists() and set(deliveries.values_list("service_id", flat=True)) == {service.pk}
    assert Service.objects.for_tenant(baia_mare).count() == 1
    assert Case.objects.for_tenant(baia_mare).filter(caseworker=caseworker_a).exists()


def test_the_demo_invents_no_population_for_a_municipality_that_is_not_a_demo_tenant(db):
    """A benchmark's municipality (bench/import_persons.py wipes its imported persons after each run) stays empty:
    persons and cases made up there would hold the next run's wipe with their protected keys."""
    from carenet.testing.factories import MunicipalityFactory, OrganisationFactory

    bench = MunicipalityFactory.create(slug="bench-import")
    OrganisationFactory.create(municipality=bench, is_provider=True)
    load()
    assert not Person.objects.for_tenant(bench).exists()
