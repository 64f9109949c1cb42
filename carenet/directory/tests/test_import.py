"""The HSDS import page: a coordinator adds a package to the municipality's directory; nobody else may.

Refusals, each with its one status code (docs/architecture.md §3): an anonymous visitor goes to the login
page (302); a caseworker (a lower role) and the manager of a provider get 403. A coordinator of the other
municipality imports only into their own directory, and the import itself refuses any actor who may not
import into the municipality named.
"""

import uuid

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from carenet.audit.models import AuditEvent
from carenet.core.models import Organisation
from carenet.directory.datapackage import RESOURCES, import_file, tables_to_zip
from carenet.directory.models import Service

URL = reverse("directory:import")
ORGANISATION_ID = str(uuid.uuid4())


def _package(status="active"):
    tables = {name: [] for name in RESOURCES}
    tables["organization"].append({"id": ORGANISATION_ID, "name": "Asociația Importată", "description": ""})
    tables["service"].append(
        {"id": str(uuid.uuid4()), "organization_id": ORGANISATION_ID, "name": "Cantina socială", "status": status}
    )
    return tables_to_zip(tables, name="test")


def _post(client, user, content=None, name="package.zip"):
    if user is not None:
        client.force_login(user)
    upload = SimpleUploadedFile(name, content if content is not None else _package())
    return client.post(URL, {"file": upload}, HTTP_ACCEPT_LANGUAGE="en")


def _imported(municipality):
    return Service.objects.for_tenant(municipality).filter(name="Cantina socială").count()


def test_a_coordinator_imports_a_package_into_the_municipality(client, coordinator, baia_mare):
    assert client.get(URL).status_code == 302  # not signed in yet
    client.force_login(coordinator)
    assert client.get(URL).status_code == 200
    response = _post(client, coordinator)
    assert response.status_code == 200
    assert response.context["report"].counts == {"organization": 1, "service": 1}
    assert _imported(baia_mare) == 1
    assert AuditEvent.objects.filter(action="directory.import", actor=coordinator).exists()


def test_a_bad_row_refuses_the_whole_file_and_says_where(client, coordinator, baia_mare):
    response = _post(client, coordinator, _package(status="open-ish"))
    assert response.status_code == 200
    errors = response.context["form"].errors["file"]
    assert errors[0] == "The file was refused; nothing was imported."
    assert "services.csv, row 2" in errors[1] and "status" in errors[1]
    assert _imported(baia_mare) == 0
    assert not Organisation.objects.for_tenant(baia_mare).filter(name="Asociația Importată").exists()


def test_the_same_package_twice_updates_the_same_records(client, coordinator, baia_mare):
    content = _package()
    assert _post(client, coordinator, content).context["report"].ok
    response = _post(client, coordinator, content)
    assert response.status_code == 200
    assert response.context["report"].ok, response.context["report"].errors
    assert _imported(baia_mare) == 1


def test_only_a_zip_or_a_json_file_is_taken(client, coordinator, baia_mare):
    response = _post(client, coordinator, b"id,name\n", name="services.csv")
    assert response.status_code == 200 and "file" in response.context["form"].errors
    assert _imported(baia_mare) == 0


def test_an_anonymous_visitor_is_sent_to_the_login_page(client, baia_mare):
    response = _post(client, None)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert _imported(baia_mare) == 0


def test_a_caseworker_gets_403(client, caseworker_a, baia_mare):
    client.force_login(caseworker_a)
    assert client.get(URL).status_code == 403
    assert _post(client, caseworker_a).status_code == 403
    assert _imported(baia_mare) == 0


def test_the_manager_of_a_provider_gets_403(client, manager_b, baia_mare):
    client.force_login(manager_b)
    assert client.get(URL).status_code == 403
    assert _post(client, manager_b).status_code == 403
    assert _imported(baia_mare) == 0


def test_a_coordinator_of_the_other_municipality_imports_only_into_their_own(
    client, other_tenant_user, baia_mare, balti
):
    response = _post(client, other_tenant_user)
    assert response.status_code == 200
    assert _imported(balti) == 1
    assert _imported(baia_mare) == 0


@pytest.mark.parametrize("who", ["other_tenant_user", "caseworker_a", "manager_b", "anonymous"])
def test_the_import_itself_refuses_who_may_not_import_into_the_municipality(request, who, baia_mare, coordinator):
    actor = AnonymousUser() if who == "anonymous" else request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        import_file(actor=actor, municipality=baia_mare, content=_package(), filename="package.zip")
    assert _imported(baia_mare) == 0
    assert not AuditEvent.objects.filter(action="directory.import").exists()
