"""A bad row in any of the four files refuses the whole onboarding, naming the file, the row and the column, and
nothing is saved; only the platform administrator onboards; a second run is refused or changes nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from carenet.accounts.models import Membership, User
from carenet.core.models import Municipality, Organisation
from carenet.directory.models import Location, Service
from carenet.onboarding.services import municipality_onboard, organisations_import, users_import
from carenet.onboarding.tabular import OnboardingRefused
from carenet.plans.models import Plan

from .conftest import as_csv, as_docx_table, as_xlsx, csv_rows, profile, upload

pytestmark = pytest.mark.django_db


def _rows_saved() -> dict[str, int]:
    return {
        "municipalities": Municipality.objects.count(),
        "organisations": Organisation.objects.all_tenants().count(),
        "services": Service.objects.all_tenants().count(),
        "locations": Location.objects.all_tenants().count(),
        "users": User.objects.count(),
        "memberships": Membership.objects.all_tenants().count(),
        "plans": Plan.objects.all_tenants().count(),
    }


def _with_cell(name: str, row: int, column: int, value: str) -> list[list[str]]:
    rows = csv_rows(name)
    rows[row - 1][column] = value  # ``row`` as the spreadsheet numbers it (the header is row 1)
    return rows


BAD_ROWS = {
    # file → (its rows with one bad cell, the error's beginning)
    "organisations": (
        lambda: upload("organisations.xlsx", as_xlsx(_with_cell("organisations.csv", 3, 5, "33456781"))),
        "organisations.xlsx, row 3, column “CUI”: The CIF control digit is wrong",
    ),
    "services": (
        lambda: upload("services.csv", as_csv(_with_cell("services.csv", 2, 3, "9999 XX-I"))),
        "services.csv, row 2, column “categorii”: No category with this code or name: “9999 XX-I”.",
    ),
    "users": (
        lambda: upload("users.csv", as_csv(_with_cell("users.csv", 4, 5, "platform_admin"))),
        "users.csv, row 4, column “rol”: Unknown role “platform_admin”",
    ),
    "plan": (
        lambda: upload("plan.docx", as_docx_table(_with_cell("plan.csv", 3, 3, "Primăria Orașului Inexistent"))),
        "plan.docx, row 3, column “Responsible”: “Primăria Orașului Inexistent” is not an organisation",
    ),
}


@pytest.mark.parametrize("bad", sorted(BAD_ROWS))
def test_a_bad_row_in_any_file_refuses_the_whole_onboarding_naming_file_row_and_column(
    bad: str, platform_admin: Any, four_files: dict[str, Any], baia_mare: Any
):
    make_bad, expected = BAD_ROWS[bad]
    before = _rows_saved()
    with pytest.raises(OnboardingRefused) as refused:
        municipality_onboard(actor=platform_admin, profile=profile(), **{**four_files, bad: make_bad()})
    assert any(message.startswith(expected) for message in refused.value.messages), refused.value.messages
    assert _rows_saved() == before  # nothing of the other three files either


def test_the_errors_of_every_file_are_listed_together(platform_admin: Any, four_files: dict[str, Any]):
    files = {**four_files, "services": BAD_ROWS["services"][0](), "users": BAD_ROWS["users"][0]()}
    with pytest.raises(OnboardingRefused) as refused:
        municipality_onboard(actor=platform_admin, profile=profile(), **files)
    assert [m.split(",")[0] for m in refused.value.messages] == ["services.csv", "users.csv"]


def test_a_wrong_profile_is_refused_naming_its_fields(platform_admin: Any, four_files: dict[str, Any]):
    wrong = {**profile(), "currency": "MDL", "time_zone": "Europe/Nowhere", "official_languages": ["xx"]}
    with pytest.raises(OnboardingRefused) as refused:
        municipality_onboard(actor=platform_admin, profile=wrong, **four_files)
    assert {m.split(":")[0] for m in refused.value.messages} == {
        "profile.json, column “currency”",
        "profile.json, column “time_zone”",
        "profile.json, column “official_languages”",
    }
    assert not Municipality.objects.filter(slug="valea-verde").exists()


def test_a_plan_without_years_is_refused_before_anything_is_read(platform_admin: Any, four_files: dict[str, Any]):
    wrong = profile()
    wrong["plan"] = {**wrong["plan"], "start_year": "next year"}
    del wrong["plan"]["title"]
    with pytest.raises(OnboardingRefused) as refused:
        municipality_onboard(actor=platform_admin, profile=wrong, **four_files)
    assert refused.value.messages == [
        "profile.json, column “plan.title”: This field is missing.",
        "profile.json, column “plan.start_year”: Give a year, for example 2026.",
    ]


def test_a_dry_run_checks_everything_and_writes_nothing(platform_admin: Any, four_files: dict[str, Any]):
    before = _rows_saved()
    summary = municipality_onboard(actor=platform_admin, profile=profile(), dry_run=True, **four_files)
    assert summary.dry_run and summary.counts["organisations"] == {"created": 3, "updated": 0}
    assert summary.counts["plan"]["actions"] == 3
    assert _rows_saved() == before


def test_a_second_onboarding_of_the_same_town_is_refused_and_changes_nothing(
    platform_admin: Any, onboarded: Any, four_files: dict[str, Any]
):
    before = _rows_saved()
    with pytest.raises(OnboardingRefused) as refused:
        municipality_onboard(actor=platform_admin, profile=profile(), **four_files)
    assert refused.value.messages == [
        "profile.json, column “slug”: A municipality with this slug already exists; it is onboarded once."
    ]
    assert _rows_saved() == before


def test_reimporting_the_organisations_and_staff_updates_them_and_adds_nothing(platform_admin: Any, onboarded: Any):
    town = onboarded.municipality
    before = _rows_saved()
    again = organisations_import(
        actor=platform_admin, municipality=town, file=upload("organisations.csv"), filename="organisations.csv"
    )
    staff = users_import(actor=platform_admin, municipality=town, file=upload("users.csv"), filename="users.csv")
    assert again.counts() == {"created": 0, "updated": 3}
    assert staff.counts() == {"created": 0, "updated": 3, "roles": 3}
    assert _rows_saved() == before


def test_a_coordinator_of_baia_mare_cannot_onboard_a_municipality(coordinator: Any, four_files: dict[str, Any]):
    with pytest.raises(PermissionDenied):
        municipality_onboard(actor=coordinator, profile=profile(), **four_files)
    assert not Municipality.objects.filter(slug="valea-verde").exists()


def test_a_username_of_another_municipality_is_refused(platform_admin: Any, onboarded: Any, coordinator: Any):
    rows = _with_cell("users.csv", 2, 0, "coord")  # Baia Mare's coordinator's username
    with pytest.raises(OnboardingRefused) as refused:
        users_import(actor=platform_admin, municipality=onboarded.municipality, file=as_csv(rows), filename="users.csv")
    assert refused.value.messages == ["users.csv, row 2, column “utilizator”: This username is already taken."]
