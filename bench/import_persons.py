"""Bulk import of persons from CSV: CareNet's validated importer vs django-import-export, same file, same run.

The file is synthetic (bench/generate.py names: Romanian, Hungarian, Russian; diacritics, typos;
valid CNPs unique in the file; 20 % without identifier). CareNet imports the whole file
(BENCH_IMPORT_ROWS, default 100,000) through ``carenet.people.importers.persons_import_csv`` —
every row validated, one transaction, one audit event. django-import-export imports the first
BENCH_IMPORT_BASELINE_ROWS of the SAME file (default 10,000: it runs ~100 rows/s-1,000 rows/s, the
whole file would take most of the 15-minute budget; set it to the full size to check linearity).
The figure is rows per second; the ratio compares the two rates. Target: ≥ 5×.
"""

from __future__ import annotations

import datetime
import io
import os
import random
import time
from typing import Any

from django.db import connection, transaction

from bench.generate import STREETS, _birth, _name, make_cnp
from bench.results import Result

SLUG = "bench-import"
ROWS = int(os.environ.get("BENCH_IMPORT_ROWS", "100000"))
BASELINE_ROWS = int(os.environ.get("BENCH_IMPORT_BASELINE_ROWS", "10000"))
TODAY = datetime.date.today()
HEADER = "first_name,last_name,sex,birth_date,identifier_kind,national_id,document_status,address,phone,email"


def persons_csv(rows: int, *, seed: int = 11) -> str:
    """A deterministic CSV of ``rows`` distinct persons (CNPs unique within the file)."""
    rng = random.Random(seed)
    out = io.StringIO()
    out.write(HEADER + "\n")
    used: set[str] = set()
    for _ in range(rows):
        sex = "M" if rng.random() < 0.47 else "F"
        first, last, _other = _name(rng, "RO", sex)
        born = _birth(rng)
        if born > TODAY:  # generate.py draws birth dates up to the end of 2026
            born = born.replace(year=born.year - 1)
        kind, code, doc = "", "", "unknown"
        if rng.random() < 0.8:
            code = make_cnp(rng, born, sex)
            while code in used:
                code = make_cnp(rng, born, sex)
            used.add(code)
            kind, doc = "cnp", "has"
        phone = f"07{rng.randrange(10**8):08d}" if rng.random() < 0.5 else ""
        first_c, last_c = first.replace(",", " "), last.replace(",", " ")
        email = f"p{len(used)}.{rng.randrange(10**6)}@example.org" if rng.random() < 0.2 else ""
        out.write(
            f"{first_c},{last_c},{sex},{born.isoformat()},{kind},{code},{doc},"
            f"{rng.choice(STREETS)} {rng.randint(1, 120)},{phone},{email}\n"
        )
    return out.getvalue()


def _tenant() -> tuple[Any, Any, Any]:
    from bench.scale import synthetic_municipality
    from carenet.accounts.models import Membership, User
    from carenet.core.models import Organisation
    from carenet.core.roles import Role

    municipality = synthetic_municipality(
        slug=SLUG, name="Benchmark import (synthetic)", country="RO", statistical_code="000001"
    )
    org, _ = Organisation.objects.for_tenant(municipality).get_or_create(
        code="bench-import-provider",
        defaults={"municipality": municipality, "name": "Bench import provider", "kind": "public"},
    )
    user, _ = User.objects.get_or_create(username="bench.importer", defaults={"municipality": municipality})
    Membership.objects.for_tenant(municipality).get_or_create(
        user=user, organisation=org, role=Role.CASEWORKER, defaults={"municipality": municipality}
    )
    return municipality, org, user


def _wipe(municipality: Any) -> None:
    from carenet.people.models import Person

    with transaction.atomic():
        Person.objects.for_tenant(municipality).delete()


def run() -> list[Result]:
    from bench.baselines.import_export_persons import import_csv
    from carenet.people.importers import persons_import_csv
    from carenet.people.models import Person

    municipality, org, user = _tenant()
    text = persons_csv(ROWS)
    _wipe(municipality)
    started = time.perf_counter()
    result = persons_import_csv(actor=user, source=text, file_name="bench.csv", is_synthetic=True)
    carenet_s = time.perf_counter() - started
    assert result.created == ROWS == Person.objects.for_tenant(municipality).count()
    _wipe(municipality)

    lines = text.splitlines(keepends=True)
    n_base = min(BASELINE_ROWS, ROWS)
    sample = "".join(lines[: n_base + 1])
    started = time.perf_counter()
    created = import_csv(sample, municipality_id=municipality.pk, organisation_id=org.pk)
    baseline_s = time.perf_counter() - started
    assert created == n_base, created
    _wipe(municipality)

    carenet_rate, baseline_rate = ROWS / carenet_s, n_base / baseline_s
    return [
        Result(
            f"persons CSV import, validated, {ROWS:,} rows in {carenet_s:.1f} s ({connection.vendor})",
            carenet_rate,
            "rows/s",
            target="≥ 5× django-import-export",
            baseline_name=f"django-import-export ({n_base:,} rows)",
            baseline=baseline_rate,
            passed=carenet_rate >= 5 * baseline_rate,
        )
    ]
