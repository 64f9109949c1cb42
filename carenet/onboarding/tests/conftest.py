"""The synthetic third municipality's documents, built in the test from the example files (and as XLSX/DOCX)."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile

from carenet.testing.language import english  # noqa: F401  (autouse: messages in English)

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


@pytest.fixture
def platform_admin(db: Any) -> Any:
    from carenet.accounts.models import User

    return User.objects.create_superuser(username="root", password="correct-horse-battery", email="root@test.local")


def example(name: str) -> bytes:
    return (EXAMPLES / name).read_bytes()


def upload(name: str, content: bytes | None = None) -> ContentFile:
    return ContentFile(example(name) if content is None else content, name=name)


def profile() -> dict[str, Any]:
    return json.loads(example("profile.json"))


def csv_rows(name: str) -> list[list[str]]:
    import csv

    text = example(name).decode("utf-8")
    return list(csv.reader(io.StringIO(text), delimiter=";" if name == "plan.csv" else ","))


def as_xlsx(rows: list[list[str]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def as_docx_table(rows: list[list[str]]) -> bytes:
    """The plan as a council writes it: a table in a Word document."""
    import docx

    document = docx.Document()
    document.add_paragraph("Anexa 1 – Planul de acțiune (sintetic)")
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def as_csv(rows: list[list[str]]) -> bytes:
    import csv

    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode("utf-8")


@pytest.fixture
def four_files() -> dict[str, Any]:
    """The organisations as XLSX, the services and staff as CSV, the plan as the council's DOCX table."""
    return {
        "organisations": upload("organisations.xlsx", as_xlsx(csv_rows("organisations.csv"))),
        "services": upload("services.csv"),
        "users": upload("users.csv"),
        "plan": upload("plan.docx", as_docx_table(csv_rows("plan.csv"))),
    }


@pytest.fixture
def onboarded(platform_admin: Any, four_files: dict[str, Any]) -> Any:
    from carenet.onboarding.services import municipality_onboard

    return municipality_onboard(actor=platform_admin, profile=profile(), **four_files)
