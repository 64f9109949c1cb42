"""Utility consumption from a supplier's spreadsheet: saved whole, or refused whole with each row named."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from carenet.housing import importers
from carenet.housing.models import Consumption


def _xlsx(rows: list[list[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


HEADER = ["building", "dwelling", "month", "utility", "quantity", "amount"]


def test_a_good_workbook_is_saved(officer, dwelling, baia_mare):
    content = _xlsx(
        [HEADER, ["Bloc Test", "1", "2025-11", "heat", 1.5, 400], ["Bloc Test", "1", "2025-11", "water", 6, 60]]
    )
    assert (
        importers.consumption_import(actor=officer, municipality=baia_mare, name="furnizor.xlsx", content=content) == 2
    )
    assert Consumption.objects.for_tenant(baia_mare).get(utility="heat").quantity == Decimal("1.50")


def test_one_bad_row_saves_nothing_and_names_each_row(officer, dwelling, baia_mare):
    content = _xlsx(
        [HEADER, ["Bloc Test", "1", "2025-11", "heat", 1.5, 400], ["Bloc Test", "9", "2025-13", "steam", -1, ""]]
    )
    with pytest.raises(importers.ImportRefused) as exc:
        importers.consumption_import(actor=officer, municipality=baia_mare, name="f.xlsx", content=content)
    fields = {(e.row, e.field) for e in exc.value.errors}
    assert {(3, "dwelling"), (3, "month"), (3, "utility"), (3, "quantity")} <= fields
    assert not Consumption.objects.for_tenant(baia_mare).exists()


def test_not_a_workbook_is_refused(officer, baia_mare):
    with pytest.raises(importers.ImportRefused):
        importers.consumption_import(actor=officer, municipality=baia_mare, name="f.xlsx", content=b"nope")


def test_the_import_page_lists_the_rows_refused(client, officer, dwelling):
    client.force_login(officer)
    upload = SimpleUploadedFile("f.xlsx", _xlsx([HEADER, ["Nu există", "1", "2025-11", "heat", 1, 1]]))
    response = client.post(reverse("housing:consumption_import"), {"file": upload})
    assert response.status_code == 400 and "Row 2, dwelling" in response.text
