"""The benchmark data is valid CareNet data: the generated CSV passes the validated importer, the
django-import-export baseline imports the same rows, and a directory preset loads searchable services."""

import dataclasses

import pytest
from django.db import connection

from bench.baselines.import_export_persons import import_csv
from bench.import_persons import persons_csv
from bench.scale import CITY, PRESETS, load_directory, tenant
from carenet.people.importers import persons_import_csv
from carenet.people.models import Person

pytestmark = pytest.mark.django_db


def test_the_generated_persons_file_passes_the_validated_importer(caseworker_a, baia_mare):
    text = persons_csv(300)
    assert persons_csv(300) == text  # deterministic
    result = persons_import_csv(actor=caseworker_a, source=text)
    assert result.created == 300 == Person.objects.for_tenant(baia_mare).count()


def test_django_import_export_imports_the_same_rows(baia_mare, org_a):
    assert import_csv(persons_csv(50), municipality_id=baia_mare.pk, organisation_id=org_a.pk) == 50
    assert Person.objects.for_tenant(baia_mare).filter(registered_by_organisation=org_a).count() == 50


def test_a_directory_preset_loads_searchable_services_once():
    from carenet.directory.models import Service, ServiceAtLocation
    from carenet.directory.selectors import filter_services

    small = dataclasses.replace(CITY, name="tiny", services=30, locations=40)
    rows, _seconds = load_directory(small)
    municipality = tenant(small)
    assert Service.objects.for_tenant(municipality).count() == 30
    assert ServiceAtLocation.objects.for_tenant(municipality).exists()
    assert rows > 30
    assert load_directory(small) == (0, 0.0)  # reused, not loaded twice
    found = list(
        filter_services(services=Service.objects.for_tenant(municipality), municipality=municipality, search="cantina")
    )
    assert found and all("cantin" in s.search_text for s in found)


def test_the_national_registry_preset_is_postgresql_only():
    assert PRESETS["national_registry"].postgresql_only
    assert PRESETS["city"].persons == 20_000 and PRESETS["city"].deliveries == 500_000
    assert PRESETS["city"].services == 300
    assert PRESETS["national_directory"].services == 10_000 and PRESETS["national_directory"].locations == 20_000


def test_the_generators_large_insert_path_round_trips_every_column(baia_mare, org_a):
    """≥ 20,000 rows take the COPY (PostgreSQL) or executemany (SQLite) path: values read back intact."""
    import datetime
    from decimal import Decimal

    from bench.generate import Plan, generate
    from carenet.cases.models import ServiceDelivery
    from carenet.directory.models import Service

    service = Service.objects.create(municipality=baia_mare, organisation=org_a, name="Cantina (test)")
    counts = generate(
        Plan(
            municipality=baia_mare,
            organisations=[org_a],
            services_by_org={org_a.pk: [service]},
            persons=200,
            deliveries=20_000,
            seed=5,
        )
    )
    deliveries = ServiceDelivery.objects.for_tenant(baia_mare)
    assert counts.deliveries == 20_000 == deliveries.count()
    one = deliveries.select_related("person", "service").order_by("id").first()
    assert one.service == service and one.person.municipality_id == baia_mare.pk
    assert isinstance(one.quantity, Decimal) and one.quantity >= 1
    assert isinstance(one.delivered_on, datetime.date)
    assert deliveries.filter(delivered_on__gte=datetime.date(2024, 1, 1)).exists()


def test_nobody_is_generated_born_after_the_datas_today():
    import datetime
    import random

    from bench.generate import _birth

    rng = random.Random(7)
    births = [_birth(rng) for _ in range(20_000)]
    assert max(births) <= datetime.date(2026, 1, 1)
    assert min(births) >= datetime.date(1929, 1, 1)


def test_a_registry_made_in_chunks_writes_every_row_once_and_keeps_households_whole(
    baia_mare, org_a, caseworker_a, monkeypatch
):
    """The national preset is made a chunk of persons at a time (never all persons in memory): the chunks
    add up to exactly the planned persons and deliveries, case references stay unique, every household
    member points at a written household, and the indexes a bulk load drops are all there again."""
    from bench import generate as gen
    from carenet.cases.models import Case, ServiceDelivery
    from carenet.directory.models import Service
    from carenet.people.models import Household, HouseholdMember

    service = Service.objects.create(municipality=baia_mare, organisation=org_a, name="Cantina (test)")
    plan = gen.Plan(
        municipality=baia_mare,
        organisations=[org_a],
        services_by_org={org_a.pk: [service]},
        caseworkers_by_org={org_a.pk: [caseworker_a]},
        persons=250,
        deliveries=1_001,
        seed=11,
    )
    monkeypatch.setattr(gen, "CHUNK", 60)  # 5 chunks, the last one short

    def indexes() -> set[str]:
        with connection.cursor() as cursor:
            return {
                index
                for table in gen.BULK_TABLES
                for index in connection.introspection.get_constraints(cursor, table)
                if not index.endswith("_fk") and "fkey" not in index
            }

    before = indexes()
    counts = gen.generate(plan)
    assert indexes() == before  # on PostgreSQL dropped for the load and built again after it
    assert counts.persons == 250 == Person.objects.for_tenant(baia_mare).count()
    assert counts.deliveries == 1_001 == ServiceDelivery.objects.for_tenant(baia_mare).count()
    cases = Case.objects.for_tenant(baia_mare)
    assert counts.cases == cases.count() == len(set(cases.values_list("reference", flat=True)))
    assert counts.households == Household.objects.for_tenant(baia_mare).count()
    members = HouseholdMember.objects.for_tenant(baia_mare)
    assert members.count() == 250
    assert not members.exclude(household__in=Household.objects.for_tenant(baia_mare)).exists()
    assert ServiceDelivery.objects.for_tenant(baia_mare).values("person").distinct().count() > 150  # spread
