"""Demo: the yearly figures Bălți's plan states in its text, entered as outside values with their source line."""

import datetime as dt
from decimal import Decimal
from typing import Any

from carenet.core.models import Municipality
from carenet.core.seeds import load_seed

from .models import OutsideValue
from .trends import CATEGORIES

# The plan is a 2025 draft without a date (finding D01): its figures are dated to the start of 2025.
PLAN_DATE = dt.date(2025, 1, 1)


def load(*, stdout: Any = None) -> None:
    municipality = Municipality.objects.filter(slug="balti").first()
    if municipality is None:
        return
    figures = {f["key"]: f for f in load_seed("balti_action_plan")["context_statistics"]["other_figures"]}
    count = 0
    for category in CATEGORIES:
        figure = figures.get(category.seed_key)
        if not figure or not figure.get("series"):
            continue
        for year, value in figure["series"].items():
            OutsideValue.objects.for_tenant(municipality).update_or_create(
                key=category.key,
                year=int(year),
                defaults={
                    "municipality": municipality,
                    "value": Decimal(value),
                    "source": f"Plan de acțiuni Bălți 2025-2027, linia {figure['source_line']}",
                    "source_date": PLAN_DATE,
                },
            )
            count += 1
    if stdout:
        stdout.write(f"  social-trend figures: {count}")
