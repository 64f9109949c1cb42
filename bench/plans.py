"""Annual report aggregation: CareNet (ORM on SQLite / PostgreSQL) vs DuckDB over an export of the same rows.

NOTE: the issue asks for the report over 2,000,000 service deliveries and 200,000 persons. The
service-delivery model (cases) is being built in parallel and is not wired into computed indicators
yet, so this benchmark measures the same aggregation the report runs — indicator values summed by
indicator × period and by disaggregation cell, all periods (final evaluation) — over synthetic
indicator values at scale (default 300,000 rows; PLANS_BENCH_VALUES to change). Once cases exist,
add their computed indicators here and generate deliveries with bench's data generator.
"""

from __future__ import annotations

import os
import random
import tempfile
import time
from decimal import Decimal
from pathlib import Path

from django.db import connection, transaction

from bench.results import Result

N_VALUES = int(os.environ.get("PLANS_BENCH_VALUES", "300000"))
TARGET_S = 5.0


def _setup():  # type: ignore[no-untyped-def]
    from carenet.core import demo as core_demo
    from carenet.core.models import Municipality
    from carenet.plans import demo as plans_demo
    from carenet.plans.models import Plan

    if not Municipality.objects.filter(slug="balti").exists():
        core_demo.load()
    plans_demo.load()
    municipality = Municipality.objects.get(slug="balti")
    return Plan.objects.for_tenant(municipality).get(code="balti-2025-2027")


def _fill(plan) -> int:  # type: ignore[no-untyped-def]
    from carenet.plans.models import IndicatorValue

    m = plan.municipality_id
    existing = IndicatorValue.objects.for_tenant(m).filter(indicator__plan=plan, body_code__startswith="bench-").count()
    if existing >= N_VALUES:
        return existing
    IndicatorValue.objects.for_tenant(m).filter(indicator__plan=plan, body_code__startswith="bench-").delete()
    rng = random.Random(42)
    indicators = list(plan.indicators.select_related("disaggregation"))
    periods = list(plan.periods.all())
    combos = {i.pk: (i.disaggregation.combos() if i.disaggregation else []) for i in indicators}
    rows, made, body = [], 0, 0
    with transaction.atomic():
        while made < N_VALUES:
            body += 1
            for ind in indicators:
                for period in periods:
                    for combo in ["", *combos[ind.pk][:6]]:
                        rows.append(
                            IndicatorValue(
                                municipality_id=m,
                                indicator=ind,
                                period=period,
                                combo=combo,
                                body_code=f"bench-{body}",
                                value=Decimal(rng.randint(0, 500)),
                            )
                        )
                        made += 1
            if len(rows) >= 20000:
                IndicatorValue.objects.bulk_create(rows, batch_size=5000)
                rows = []
        IndicatorValue.objects.bulk_create(rows, batch_size=5000)
    return made


def run() -> list[Result]:
    from carenet.analytics.annual_report import build_report
    from carenet.plans.models import IndicatorValue

    plan = _setup()
    n = _fill(plan)
    started = time.perf_counter()
    build_report(plan=plan, final=True)
    orm_s = time.perf_counter() - started

    import duckdb

    m = plan.municipality_id
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "values.csv"
        with path.open("w") as fh:
            fh.write("indicator_id,period_id,combo,value\n")
            for ind, per, combo, value in (
                IndicatorValue.objects.for_tenant(m)
                .filter(indicator__plan=plan)
                .values_list("indicator_id", "period_id", "combo", "value")
                .iterator(chunk_size=20000)
            ):
                fh.write(f'{ind},{per},"{combo}",{value if value is not None else ""}\n')
        con = duckdb.connect()
        con.execute(f"CREATE TABLE v AS SELECT * FROM read_csv_auto('{path}')")
        started = time.perf_counter()
        con.execute("SELECT indicator_id, period_id, sum(value), max(value), count(*) FROM v WHERE combo IS NULL OR combo = '' GROUP BY 1, 2").fetchall()
        con.execute("SELECT indicator_id, combo, sum(value) FROM v WHERE combo <> '' GROUP BY 1, 2").fetchall()
        duck_s = time.perf_counter() - started
    return [
        Result(
            f"plans: final report aggregation, {n:,} values ({connection.vendor})",
            orm_s,
            "s",
            target=f"< {TARGET_S:.0f} s",
            baseline_name="DuckDB",
            baseline=duck_s,
            passed=orm_s < TARGET_S,
        )
    ]
