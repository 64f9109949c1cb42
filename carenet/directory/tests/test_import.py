"""The HSDS import page: a coordinator adds a package to the municipality's directory; nobody else may.

The upload is streamed to disk and imported by a background job (the tests run its task at once, when the
request's transaction commits); the page sends the coordinator to the job's page, which shows the counts and
warnings, or the errors.

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
from django.test import TestCase
from django.urls import reverse
from django.utils import translation

from carenet.audit.models import AuditEvent
from carenet.core.models import BackgroundJob, Organisation
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


def _post(client, user, content=None, name="package.zip", follow=True):
    """Post the file; when it is taken, follow to the job's page (the import ran when the request committed)."""
    if user is not None:
        client.force_login(user)
    upload = SimpleUploadedFile(name, content if content is not None else _package())
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(URL, {"file": upload}, HTTP_ACCEPT_LANGUAGE="en")
    if follow and response.status_code == 302 and "/import/jobs/" in response["Location"]:
        return client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en")
    return response


def _result(response):
    return response.context["result"]


def _imported(municipality):
    return Service.objects.for_tenant(municipality).filter(name="Cantina socială").count()


def test_a_coordinator_imports_a_package_into_the_municipality(client, coordinator, baia_mare):
    assert client.get(URL).status_code == 302  # not signed in yet
    client.force_login(coordinator)
    assert client.get(URL).status_code == 200
    response = _post(client, coordinator, follow=False)
    assert response.status_code == 302 and "/directory/import/jobs/" in response["Location"]
    response = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert _result(response)["counts"] == {"organization": 1, "service": 1}
    assert b"Rows imported" in response.content
    assert _imported(baia_mare) == 1
    assert AuditEvent.objects.filter(action="directory.import", actor=coordinator).exists()


def test_a_bad_row_refuses_the_whole_file_and_says_where(client, coordinator, baia_mare):
    response = _post(client, coordinator, _package(status="open-ish"))
    assert response.status_code == 200
    errors = _result(response)["errors"]
    assert response.context["job"].message == "The file was refused; nothing was imported."
    assert "services.csv, row 2" in errors[0] and "status" in errors[0]
    assert "services.csv, row 2" in response.content.decode()
    assert _imported(baia_mare) == 0
    assert not Organisation.objects.for_tenant(baia_mare).filter(name="Asociația Importată").exists()


def test_the_same_package_twice_updates_the_same_records(client, coordinator, baia_mare):
    content = _package()
    assert _result(_post(client, coordinator, content))["ok"]
    response = _post(client, coordinator, content)
    assert response.status_code == 200
    assert _result(response)["ok"], _result(response)["errors"]
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
    assert response.status_code == 200 and _result(response)["ok"]
    assert _imported(balti) == 1
    assert _imported(baia_mare) == 0


@pytest.mark.parametrize("who", ["other_tenant_user", "caseworker_a", "manager_b", "anonymous"])
def test_the_import_itself_refuses_who_may_not_import_into_the_municipality(request, who, baia_mare, coordinator):
    actor = AnonymousUser() if who == "anonymous" else request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        import_file(actor=actor, municipality=baia_mare, content=_package(), filename="package.zip")
    assert _imported(baia_mare) == 0
    assert not AuditEvent.objects.filter(action="directory.import").exists()


def test_the_job_page_shows_progress_and_refuses_others(client, coordinator, caseworker_a, other_tenant_user):
    response = _post(client, coordinator, follow=False)
    job_url = response["Location"]
    page = client.get(job_url, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200 and page.context["job"].progress == 100
    assert client.get(job_url, HTTP_HX_REQUEST="true").status_code == 200  # the fragment the page polls
    client.logout()
    assert client.get(job_url).status_code == 302
    client.force_login(caseworker_a)
    assert client.get(job_url).status_code == 403
    client.force_login(other_tenant_user)
    assert client.get(job_url).status_code == 404


def test_an_upload_over_the_limit_is_refused_at_once_naming_the_file(client, coordinator, baia_mare, settings):
    settings.CARENET_HSDS_IMPORT_MAX_BYTES = 100_000
    response = _post(client, coordinator, b"PK" + b"x" * 300_000, name="huge.zip")
    assert response.status_code == 413
    assert "huge.zip is too large" in response.content.decode()
    assert not BackgroundJob.objects.for_tenant(baia_mare).exists()
    settings.CARENET_HSDS_IMPORT_MAX_BYTES = 1_000
    response = _post(client, coordinator, b"PK" + b"x" * 5_000, name="big.zip")  # under the margin: the stream
    assert response.status_code == 413 and "big.zip is too large" in response.content.decode()


def test_the_import_reports_its_progress_resource_by_resource(baia_mare):
    from carenet.directory.tests.hsds_package import package

    seen = []
    report = import_file(
        actor=None,
        municipality=baia_mare,
        content=tables_to_zip(package(), name="p"),
        filename="p.zip",
        progress=lambda resource, done, total: seen.append((resource, done, total)),
    )
    assert report.ok, report.errors
    assert ("service", 1, len(package()["service"])) in seen or any(r == "service" for r, _d, _t in seen)
    assert all(done <= total for _r, done, total in seen)


def test_a_zip_member_over_the_limit_is_refused_naming_it(settings):
    import io
    import zipfile

    from carenet.directory.datapackage import read_zip
    from carenet.directory.datapackage.read import ImportRefused

    settings.CARENET_HSDS_IMPORT_MAX_BYTES = 10_000
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("datapackage.json", "{}")
        archive.writestr("services.csv", "id,name\n" + "a,b\n" * 5_000)
    with pytest.raises(ImportRefused, match=r"services\.csv"):
        read_zip(buffer.getvalue())


def test_a_failed_import_is_started_again_from_its_upload(client, coordinator, baia_mare, monkeypatch):
    from carenet.core.models import JobStatus
    from carenet.ops.jobs import job_retry

    def crash(**kwargs):
        raise RuntimeError("worker lost")

    monkeypatch.setattr("carenet.directory.datapackage.load.import_file", crash)
    _post(client, coordinator, follow=False)  # the task fails (the immediate backend logs it)
    failed = BackgroundJob.objects.for_tenant(baia_mare).get()
    assert failed.status == JobStatus.FAILED and _imported(baia_mare) == 0
    monkeypatch.undo()
    with TestCase.captureOnCommitCallbacks(execute=True):
        again = job_retry(actor=coordinator, job=failed)
    again.refresh_from_db()
    assert again.status == JobStatus.DONE and again.result["ok"] and _imported(baia_mare) == 1


@pytest.mark.django_db(transaction=True)
def test_the_progress_is_seen_while_the_import_transaction_is_open(baia_mare, coordinator):
    """On PostgreSQL the job's progress goes through a connection of its own: another connection reads it while
    the rows are still uncommitted."""
    from django.db import DEFAULT_DB_ALIAS, connection, connections

    from carenet.directory.tasks import _JobProgress
    from carenet.directory.tests.hsds_package import package

    if connection.vendor != "postgresql":
        pytest.skip("the side connection is PostgreSQL's")
    job = BackgroundJob.objects.create(municipality=baia_mare, kind="directory.hsds_import", title="t")
    progress = _JobProgress(job)
    reader = connections.create_connection(DEFAULT_DB_ALIAS)
    seen = []

    def watch(resource, done, total):
        progress(resource, done, total)
        with reader.cursor() as cursor:
            cursor.execute(f"SELECT message FROM {BackgroundJob._meta.db_table} WHERE id = %s", [job.pk])  # noqa: S608  (the model's table name)
            seen.append(cursor.fetchone()[0])

    try:
        with translation.override("en"):
            report = import_file(
                actor=None,
                municipality=baia_mare,
                content=tables_to_zip(package(), name="p"),
                filename="p.zip",
                progress=watch,
            )
    finally:
        progress.close()
        reader.close()
    assert report.ok, report.errors
    assert any(m.startswith("service: ") and " of " in m for m in seen), seen
