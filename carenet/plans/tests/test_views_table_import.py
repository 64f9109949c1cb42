"""The coordinator's plan-table import pages: upload → mapping → preview → confirm, and their refusals."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from carenet.core.roles import Role
from carenet.plans.models import Action, Plan
from carenet.testing.factories import MunicipalityFactory
from carenet.testing.language import english  # noqa: F401  (autouse: the tests below read English)
from conftest import make_org, make_user

from .table_files import BALTI_ROWS, balti_organisations, balti_xlsx

pytestmark = pytest.mark.django_db

UPLOAD = reverse("plans:table_import")
MAPPING = reverse("plans:table_import_mapping")
PREVIEW = reverse("plans:table_import_preview")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def third():
    """A third municipality, its organisations loaded, its coordinator signed in."""
    municipality = MunicipalityFactory.create(country="MD", currency="MDL", official_languages=["ro", "ru"])
    balti_organisations(municipality)
    return municipality


@pytest.fixture
def third_coordinator(third):
    return make_user("t_coord", third, make_org(third, "directia-sociala", "Direcția socială"), Role.COORDINATOR)


def _upload(client, content=None, name="plan.xlsx", **extra):
    data = {
        "file": SimpleUploadedFile(name, (content or balti_xlsx()).read(), content_type=XLSX),
        "code": "plan-social",
        "title": "Planul de acțiuni 2025-2027",
        "start_year": 2025,
        "end_year": 2027,
        **extra,
    }
    return client.post(UPLOAD, data)


def _token(response):
    return response["Location"].split("?t=")[1]


def _mapping_post(client, token, mapping):
    data = {"t": token, **{k: str(v) for k, v in mapping.items()}}
    return client.post(f"{MAPPING}?t={token}", data)


GUESSED = {
    "general_objective": 0,
    "specific_objective": 1,
    "action": 2,
    "deadline": 3,
    "responsible": 4,
    "partners": 5,
    "indicator": 6,
    "cost": 7,
    "funding_source": 8,
}


def test_the_coordinator_uploads_maps_previews_and_imports_the_plan(client, third, third_coordinator):
    client.force_login(third_coordinator)
    assert "Import a plan" in client.get(reverse("plans:list")).content.decode()
    response = _upload(client)
    assert response.status_code == 302
    token = _token(response)
    page = client.get(f"{MAPPING}?t={token}")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'value="2" selected' in html  # the action column, guessed
    assert "Elaborarea planurilor locale anuale" in html  # the first rows as a sample
    response = _mapping_post(client, token, GUESSED)
    assert response.status_code == 302 and response["Location"] == f"{PREVIEW}?t={token}"
    preview = client.get(f"{PREVIEW}?t={token}")
    assert preview.status_code == 200
    assert preview.context["counts"]["actions"] == 4
    assert preview.context["tree"][0]["specific"][0]["actions"][0]["code"] == "1.1.1"
    assert not Plan.objects.for_tenant(third).exists()  # nothing before the confirmation
    response = client.post(f"{PREVIEW}?t={token}", {"t": token})
    plan = Plan.objects.for_tenant(third).get(code="plan-social")
    assert response.status_code == 302 and response["Location"] == reverse("plans:detail", args=[plan.pk])
    assert Action.objects.for_tenant(third).filter(plan=plan).count() == 4
    assert client.get(f"{PREVIEW}?t={token}").status_code == 302  # the table is not kept after the import


def test_the_preview_names_the_row_of_an_unknown_organisation_and_saves_nothing(client, third, third_coordinator):
    rows = [list(r) for r in BALTI_ROWS]
    rows[0][4] = "Primăria Bălţi, Serviciul Fantomă"
    client.force_login(third_coordinator)
    token = _token(_upload(client, balti_xlsx(rows)))
    _mapping_post(client, token, GUESSED)
    preview = client.get(f"{PREVIEW}?t={token}")
    assert [(e.row, e.field) for e in preview.context["errors"]] == [(3, "responsible")]
    assert "Serviciul Fantomă" in preview.content.decode()
    response = client.post(f"{PREVIEW}?t={token}", {"t": token})
    assert response.status_code == 400
    assert "row 3, Responsible:" in response.content.decode()
    assert not Plan.objects.for_tenant(third).exists()


def test_a_bad_file_is_named_on_the_upload_form(client, third_coordinator):
    client.force_login(third_coordinator)
    response = _upload(client, io.BytesIO(b"not a workbook"))
    assert response.status_code == 400
    assert "cannot be read as XLSX" in response.content.decode()
    response = _upload(client, io.BytesIO(b"%PDF"), name="plan.pdf")
    assert response.status_code == 400
    assert ".xlsx, .docx or .csv" in response.content.decode()


def test_a_mapping_with_no_action_column_is_refused_naming_the_field(client, third_coordinator):
    client.force_login(third_coordinator)
    token = _token(_upload(client))
    mapping = {k: v for k, v in GUESSED.items() if k != "action"}
    response = _mapping_post(client, token, mapping)
    assert response.status_code == 400
    assert response.context["form"].errors["action"] == ["Choose the column that holds the actions."]


def test_one_column_cannot_hold_two_fields(client, third_coordinator):
    client.force_login(third_coordinator)
    token = _token(_upload(client))
    response = _mapping_post(client, token, {**GUESSED, "partners": 4})
    assert response.status_code == 400
    assert "partners" in response.context["form"].errors


def test_an_unknown_token_sends_back_to_the_upload(client, third_coordinator):
    client.force_login(third_coordinator)
    _upload(client)
    response = client.get(f"{MAPPING}?t=someone-elses-token")
    assert response.status_code == 302 and response["Location"] == UPLOAD


def test_the_import_acts_on_the_coordinator_s_own_municipality_only(client, bm_coordinator, balti_plan, balti):
    """Baia Mare's coordinator importing a table under Bălți's plan code makes a plan of Baia Mare and leaves
    Bălți's plan as it was (the pages carry no municipality: they act on the user's own)."""
    from .table_files import baia_mare_docx, baia_mare_organisations

    actions_before = Action.objects.for_tenant(balti).filter(plan=balti_plan).count()
    baia_mare = bm_coordinator.municipality
    make_org(baia_mare, "ong-speranta", "Asociația Speranța")
    client.force_login(bm_coordinator)
    response = _upload(client, baia_mare_docx(), name="strategie.docx", code=balti_plan.code, end_year=2030)
    token = _token(response)
    mapping = {"action_code": 0, "action": 1, "deadline": 2, "funding_source": 3, "partners": 4, "indicator": 5}
    assert _mapping_post(client, token, mapping).status_code == 302
    assert client.post(f"{PREVIEW}?t={token}", {"t": token}).status_code == 302
    assert Plan.objects.for_tenant(baia_mare).filter(code=balti_plan.code).exists()
    balti_plan.refresh_from_db()
    assert Action.objects.for_tenant(balti).filter(plan=balti_plan).count() == actions_before
    del baia_mare_organisations


@pytest.mark.parametrize("url", [UPLOAD, MAPPING, PREVIEW])
def test_an_anonymous_visitor_is_sent_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302 and "/account/login/" in response["Location"]


@pytest.mark.parametrize("role", [Role.CASEWORKER, Role.DATA_OFFICER])
def test_a_caseworker_or_data_officer_is_refused(client, third, role):
    user = make_user(f"u_{role}", third, make_org(third, "serviciu", "Serviciu social"), role)
    client.force_login(user)
    for url in (UPLOAD, MAPPING, PREVIEW):
        assert client.get(url).status_code == 403, url
    assert _upload(client).status_code == 403
    assert not Plan.objects.for_tenant(third).exists()
    assert "Import a plan" not in client.get(reverse("plans:list")).content.decode()
