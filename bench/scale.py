"""Scale presets: load a synthetic city (or a nation) through the generator and report rows per second.

    python -m bench.scale city                 # Bălți: 136,563 residents, 20,000 beneficiaries,
                                               # 500,000 deliveries over 3 years, 300 services
    python -m bench.scale big_city             # the same × 5
    python -m bench.scale national_directory   # 10,000 services, 20,000 locations
    python -m bench.scale national_registry    # 2,000,000 persons, 20,000,000 deliveries (PostgreSQL only)

Every preset loads into its own synthetic municipality (slug ``bench-<preset>``), idempotently: a
preset already loaded at its size is reused. Persons, cases and deliveries come from
bench/generate.py (PostgreSQL COPY for large tables, bulk_create elsewhere); the directory
(organisations, services, locations, service-at-location links) is generated here.

``run()`` (in ``make bench``) loads the city's directory and beneficiaries and reports the load
rates; BENCH_SCALE_DELIVERIES lowers the deliveries for a quick run.
"""

from __future__ import annotations

import datetime
import os
import random
import sys
import time
import uuid
import zlib
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction

from bench.results import Result


@dataclass(frozen=True)
class Preset:
    name: str
    country: str
    residents: int
    persons: int
    deliveries: int
    services: int
    locations: int
    postgresql_only: bool = False

    @property
    def slug(self) -> str:
        return "bench-" + self.name.replace("_", "-")


CITY = Preset("city", "MD", residents=136_563, persons=20_000, deliveries=500_000, services=300, locations=450)
PRESETS = {
    "city": CITY,
    "big_city": Preset("big_city", "MD", 136_563 * 5, 100_000, 2_500_000, 1_500, 2_250),
    "national_directory": Preset("national_directory", "RO", 0, 0, 0, services=10_000, locations=20_000),
    "national_registry": Preset(
        "national_registry", "MD", 2_600_000, 2_000_000, 20_000_000, 3_000, 6_000, postgresql_only=True
    ),
}
ORG_SIZE = 15  # services per provider
NEEDS = [
    ("Cantina socială", "masă caldă zilnică pentru persoane vârstnice și familii vulnerabile"),
    ("Îngrijire la domiciliu", "îngrijire personală și ajutor la treburile casnice pentru bătrâni"),
    ("Centrul de zi pentru copii", "activități după școală, masă și sprijin la teme pentru copii"),
    ("Asistență personală", "asistent personal pentru persoane cu dizabilități severe"),
    ("Echipa mobilă", "servicii de reabilitare la domiciliu pentru persoane cu dizabilități"),
    ("Locuință protejată", "locuință și sprijin pentru tineri care părăsesc sistemul de protecție"),
    ("Centrul maternal", "găzduire temporară pentru mame cu copii în situații de criză"),
    ("Consiliere psihologică", "consiliere individuală și de grup pentru victimele violenței"),
    ("Ajutor material", "ajutor bănesc și în natură pentru familii cu venituri mici"),
    ("Adăpost de noapte", "cazare de urgență pentru persoane fără adăpost"),
    ("Sprijin familial", "asistent social comunitar pentru familii cu copii în risc"),
    ("Reabilitare medico-socială", "kinetoterapie și recuperare pentru vârstnici"),
]
QUARTERS = ["Centru", "Dacia", "Pământeni", "Slobozia", "Bam", "Autogara", "Molodova", "Gara de Nord"]


def _rate(rows: int, seconds: float) -> float:
    return rows / seconds if seconds > 0 else float(rows)


def synthetic_municipality(*, slug: str, name: str, country: str, statistical_code: str = "0", **extra: Any) -> Any:
    """A benchmark's own municipality (made once, found after): the country's currency and time zone."""
    from carenet.core.models import Municipality

    municipality, _ = Municipality.objects.get_or_create(
        slug=slug,
        defaults={
            "name": name,
            "country": country,
            "currency": "MDL" if country == "MD" else "RON",
            "official_languages": ["ro"],
            "time_zone": "Europe/Chisinau" if country == "MD" else "Europe/Bucharest",
            "statistical_code": statistical_code,
            **extra,
        },
    )
    return municipality


def tenant(preset: Preset) -> Any:
    return synthetic_municipality(
        slug=preset.slug, name=f"Benchmark {preset.name.replace('_', ' ')} (synthetic)", country=preset.country
    )


def load_directory(preset: Preset, *, seed: int = 9) -> tuple[int, float]:
    """Providers, services, locations and their links for the preset (rows, seconds); idempotent."""
    from carenet.core.models import Organisation
    from carenet.directory.models import Location, SearchToken, Service, ServiceAtLocation

    municipality = tenant(preset)
    if Service.objects.for_tenant(municipality).count() >= preset.services:
        if not SearchToken.objects.for_tenant(municipality).exists():  # loaded before search tokens existed
            with transaction.atomic():
                _index(municipality, list(Service.objects.for_tenant(municipality)))
        return 0, 0.0
    rng = random.Random(f"{preset.name}-{seed}")  # each preset its own ids
    started = time.perf_counter()
    n_orgs = max(1, preset.services // ORG_SIZE)
    now = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    orgs = [
        Organisation(
            municipality=municipality,
            code=f"bench-dir-{i:05d}",
            name=f"{rng.choice(['Asociația', 'Fundația', 'Direcția', 'Centrul'])} {rng.choice(QUARTERS)} {i}",
            kind="public" if i % 3 == 0 else "ngo",
            is_provider=True,
        )
        for i in range(n_orgs)
    ]
    services, locations, links = [], [], []
    for i in range(preset.services):
        org = orgs[i % n_orgs]
        name, description = NEEDS[rng.randrange(len(NEEDS))]
        service = Service(
            id=uuid.UUID(int=rng.getrandbits(128), version=4),
            municipality=municipality,
            organisation=org,
            name=f"{name} {rng.choice(QUARTERS)} {i}",
            description=description,
            eligibility_description="Locuitori ai municipiului, pe baza anchetei sociale.",
            minimum_age=rng.choice([None, None, 0, 18, 60]),
            email=f"serviciu{i}@example.org",
            created_at=now,
            updated_at=now,
        )
        service.build_search_fields(organisation_name=org.name)
        services.append(service)
    for i in range(preset.locations):
        org = orgs[i % n_orgs]
        locations.append(
            Location(
                id=uuid.UUID(int=rng.getrandbits(128), version=4),
                municipality=municipality,
                organisation=org,
                name=f"Sediul {org.name} {i}",
                address_1=f"Str. {rng.choice(QUARTERS)} {rng.randint(1, 200)}",
                city=municipality.name,
                country=preset.country,
                latitude=47.76 + rng.uniform(-0.04, 0.04),
                longitude=27.93 + rng.uniform(-0.05, 0.05),
                updated_at=now,
            )
        )
    by_org: dict[Any, list[Any]] = {}
    for i, location in enumerate(locations):
        by_org.setdefault(orgs[i % n_orgs].code, []).append(location)
    for i, service in enumerate(services):
        for location in by_org.get(orgs[i % n_orgs].code, [])[:2]:
            links.append(
                ServiceAtLocation(municipality=municipality, service=service, location=location, updated_at=now)
            )
    with transaction.atomic():
        Organisation.objects.bulk_create(orgs, batch_size=2000)
        Service.objects.bulk_create(services, batch_size=2000)
        Location.objects.bulk_create(locations, batch_size=2000)
        ServiceAtLocation.objects.bulk_create(links, batch_size=2000)
        _index(municipality, services)
    rows = len(orgs) + len(services) + len(locations) + len(links)
    return rows, time.perf_counter() - started


def _index(municipality: Any, services: list[Any]) -> None:
    """The search tokens of the services (what carenet.directory.services.service_reindex writes), and a new
    data version: bulk_create sends no save signals (cached HSDS answers of the old rows must go)."""
    from carenet.directory.models import SearchToken
    from carenet.directory.services import directory_changed

    SearchToken.objects.bulk_create(
        (
            SearchToken(municipality=municipality, service=s, token=t)
            for s in services
            for t in sorted(s.search_tokens())
        ),
        batch_size=5000,
    )
    directory_changed(municipality=municipality)


def load_people(preset: Preset, *, deliveries: int | None = None, seed: int = 2026) -> tuple[int, float]:
    """Beneficiaries, households, cases and deliveries through bench/generate.py (rows, seconds); idempotent."""
    from bench.generate import Plan, generate
    from carenet.accounts.models import Membership, User
    from carenet.core.models import Organisation
    from carenet.core.roles import Role
    from carenet.directory.models import Service
    from carenet.people.models import Person

    if preset.persons == 0:
        return 0, 0.0
    if preset.postgresql_only and connection.vendor != "postgresql":
        raise SystemExit(f"the {preset.name} preset needs PostgreSQL (set BENCH_DATABASE_URL)")
    municipality = tenant(preset)
    if Person.objects.for_tenant(municipality).exists():
        return 0, 0.0
    orgs = list(Organisation.objects.for_tenant(municipality).filter(code__startswith="bench-dir-").order_by("code"))
    services: dict[Any, list[Any]] = {}
    for service in Service.objects.for_tenant(municipality).only("id", "organisation_id"):
        services.setdefault(service.organisation_id, []).append(service)
    workers: dict[Any, list[Any]] = {}
    for org in orgs[:40]:  # the providers that keep case records
        for j in range(3):
            user, _ = User.objects.get_or_create(
                username=f"{preset.slug}.cw.{org.code[-5:]}.{j}", defaults={"municipality": municipality}
            )
            Membership.objects.for_tenant(municipality).get_or_create(
                user=user, organisation=org, role=Role.CASEWORKER, defaults={"municipality": municipality}
            )
            workers.setdefault(org.pk, []).append(user)
    coordinator, _ = User.objects.get_or_create(
        username=f"{preset.slug}.coordinator", defaults={"municipality": municipality}
    )
    Membership.objects.for_tenant(municipality).get_or_create(
        user=coordinator, organisation=orgs[0], role=Role.COORDINATOR, defaults={"municipality": municipality}
    )
    started = time.perf_counter()
    counts = generate(
        Plan(
            municipality=municipality,
            organisations=orgs[:40],
            services_by_org=services,
            caseworkers_by_org=workers,
            persons=preset.persons,
            deliveries=preset.deliveries if deliveries is None else deliveries,
            seed=seed + zlib.crc32(preset.name.encode()) % 10_000,  # each preset its own ids
            country=preset.country,
        )
    )
    elapsed = time.perf_counter() - started
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    rows = counts.persons * 2 + counts.households + counts.sensitive + counts.cases * 2 + counts.deliveries
    return rows, elapsed


def load(name: str, *, deliveries: int | None = None) -> list[Result]:
    preset = PRESETS[name]
    results = []
    rows, seconds = load_directory(preset)
    if rows:
        results.append(
            Result(
                f"load {name}: directory ({preset.services:,} services, {preset.locations:,} locations)",
                _rate(rows, seconds),
                "rows/s",
                target=f"{rows:,} rows in {seconds:.1f} s",
            )
        )
    rows, seconds = load_people(preset, deliveries=deliveries)
    if rows:
        results.append(
            Result(
                f"load {name}: {preset.persons:,} beneficiaries, cases, deliveries ({connection.vendor})",
                _rate(rows, seconds),
                "rows/s",
                target=f"{rows:,} rows in {seconds:.1f} s",
            )
        )
    return results


def run() -> list[Result]:
    deliveries = os.environ.get("BENCH_SCALE_DELIVERIES")
    results = load(os.environ.get("BENCH_SCALE", "city"), deliveries=int(deliveries) if deliveries else None)
    return results or [Result("load city (already loaded, reused)", 0, "rows/s")]


def main(argv: list[str]) -> int:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    django.setup()
    from bench.results import print_table

    names = argv or ["city"]
    unknown = [n for n in names if n not in PRESETS]
    if unknown:
        print(f"unknown preset(s) {unknown}; choose from {sorted(PRESETS)}", file=sys.stderr)
        return 2
    results: list[Result] = []
    for name in names:
        results.extend(load(name))
    print_table(results)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
