"""``manage.py onboard_municipality`` on the example files of the admin guide (carenet/onboarding/examples)."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from carenet.core.models import Municipality

from .conftest import EXAMPLES

pytestmark = pytest.mark.django_db


def _args(*extra: str) -> list[str]:
    files = {n: str(EXAMPLES / f"{n}.csv") for n in ("organisations", "services", "users", "plan")}
    return [
        "onboard_municipality",
        "--actor=root",
        f"--profile={EXAMPLES / 'profile.json'}",
        *(f"--{name}={path}" for name, path in files.items()),
        *extra,
    ]


def test_the_command_checks_then_onboards_the_example_town(platform_admin: Any):
    out = io.StringIO()
    call_command(*_args("--dry-run"), stdout=out)
    assert "checked (dry run, nothing saved)" in out.getvalue()
    assert not Municipality.objects.filter(slug="valea-verde").exists()
    out = io.StringIO()
    call_command(*_args(), stdout=out)
    text = out.getvalue()
    assert "Municipiul Valea Verde (sintetic) (valea-verde): onboarded" in text
    assert "organisations: created 3, updated 0" in text and "vv_coord" in text
    assert Municipality.objects.filter(slug="valea-verde").exists()


def test_the_command_prints_the_errors_and_refuses(platform_admin: Any, tmp_path: Any):
    bad = tmp_path / "users.csv"
    bad.write_text((EXAMPLES / "users.csv").read_text().replace(",coordinator,", ",mayor,"), encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError, match="refused: 1 error"):
        call_command(*_args(f"--users={bad}"), stderr=err)
    assert "users.csv, row 2, column “rol”: Unknown role “mayor”" in err.getvalue()
    assert not Municipality.objects.filter(slug="valea-verde").exists()


def test_the_command_runs_only_as_a_platform_administrator(coordinator: Any):
    with pytest.raises(CommandError, match="no active platform administrator"):
        call_command(*[a.replace("--actor=root", "--actor=coord") for a in _args()])
