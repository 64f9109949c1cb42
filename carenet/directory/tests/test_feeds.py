"""Issue 15, the last items (decision 0024): the scheduled pull of a remote HSDS feed with a diff applied or
rejected by the coordinator, and the push of the municipality's own feed. Every remote server is a local
``http.server`` thread on 127.0.0.1 (``feed_server``): nothing leaves the machine."""

from __future__ import annotations

import io
import json
import uuid
import zipfile

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from carenet.audit.models import AuditEvent
from carenet.directory.datapackage import RESOURCES, tables_to_zip
from carenet.directory.models import HsdsPull, HsdsSource, PullStatus, PushLog, Service
from carenet.directory.services import (
    hsds_pull_apply,
    hsds_pull_fetch,
    hsds_pull_reject,
    hsds_source_save,
    push_send,
    push_target_save,
    service_update,
)
from carenet.directory.tasks import pull_hsds_sources, push_hsds_feeds

from .feed_server import feed_server

ORG = str(uuid.uuid4())
A, B, C = (str(uuid.uuid4()) for _ in range(3))


@pytest.fixture
def server():
    with feed_server() as s:
        yield s


def _tables(services: dict[str, str]) -> dict:
    tables = {name: [] for name in RESOURCES}
    tables["organization"].append({"id": ORG, "name": "Asociația Feed", "description": ""})
    for sid, name in services.items():
        tables["service"].append({"id": sid, "organization_id": ORG, "name": name, "status": "active"})
    return tables


def _zip(services: dict[str, str]) -> bytes:
    return tables_to_zip(_tables(services), name="feed")


def _names(municipality) -> set[str]:
    return set(
        Service.objects.for_tenant(municipality)
        .filter(organisation__name="Asociația Feed")
        .values_list("name", flat=True)
    )


def _source(coordinator, baia_mare, url, **kw):
    return hsds_source_save(
        actor=coordinator, municipality=baia_mare, name="Feed județean", url=url, pull_enabled=True, **kw
    )


def _pull(coordinator, source):
    with translation.override("en"):
        return hsds_pull_fetch(
            actor=coordinator, source=HsdsSource.objects.for_tenant(source.municipality_id).get(pk=source.pk)
        )


def test_pull_diff_apply_then_the_directory_equals_the_feed(server, coordinator, baia_mare):
    url = server.serve("/feed.zip", _zip({A: "Cantina", B: "Adăpost"}))
    source = _source(coordinator, baia_mare, url)
    first = _pull(coordinator, source)
    assert first.status == PullStatus.PENDING and first.summary["added"] == 3  # the organisation and two services
    hsds_pull_apply(actor=coordinator, pull=first)
    assert _names(baia_mare) == {"Cantina", "Adăpost"}

    # The feed changes: A renamed, B gone, C added.
    server.serve("/feed.zip", _zip({A: "Cantina socială", C: "Centru de zi"}))
    pull = _pull(coordinator, source)
    services = pull.diff["service"]
    assert [i["id"] for i in services["added"]] == [C]
    assert [i["id"] for i in services["gone"]] == [B]
    assert services["changed"] == [
        {"id": A, "label": "Cantina socială", "fields": {"name": ["Cantina", "Cantina socială"]}}
    ]
    assert _names(baia_mare) == {"Cantina", "Adăpost"}  # nothing written before it is applied

    hsds_pull_apply(actor=coordinator, pull=pull)
    assert _names(baia_mare) == {"Cantina socială", "Centru de zi"}  # the directory equals the feed
    pull.refresh_from_db()
    assert pull.status == PullStatus.APPLIED and pull.decided_by == coordinator
    assert AuditEvent.objects.filter(action="directory.pull.apply", actor=coordinator).count() == 2

    # The same feed again: nothing to apply.
    again = _pull(coordinator, source)
    assert again.status == PullStatus.PENDING and again.is_empty and again.diff == {}


def test_a_stale_diff_is_refused_and_a_rejected_pull_writes_nothing(server, coordinator, baia_mare):
    url = server.serve("/feed.zip", _zip({A: "Cantina"}))
    source = _source(coordinator, baia_mare, url)
    pull = _pull(coordinator, source)
    other = _pull(coordinator, source)
    hsds_pull_apply(actor=coordinator, pull=other)  # the directory moves after ``pull`` was made
    with translation.override("en"), pytest.raises(ValidationError, match="changed after this diff"):
        hsds_pull_apply(actor=coordinator, pull=pull)
    pull.refresh_from_db()
    assert pull.status == PullStatus.PENDING

    server.serve("/feed.zip", _zip({A: "Cantina nouă"}))
    newer = _pull(coordinator, source)
    service = Service.objects.for_tenant(baia_mare).get(name="Cantina")
    service_update(actor=coordinator, service=service, data={"wait_time": "o zi"}, terms=[])  # a local edit
    with pytest.raises(ValidationError):
        hsds_pull_apply(actor=coordinator, pull=newer)
    hsds_pull_reject(actor=coordinator, pull=newer)
    newer.refresh_from_db()
    assert newer.status == PullStatus.REJECTED and newer.tables == {}
    assert _names(baia_mare) == {"Cantina"}
    with pytest.raises(ValidationError):
        hsds_pull_apply(actor=coordinator, pull=newer)


@pytest.mark.parametrize(
    "body,words",
    [
        (b"this is not a zip", "not a zip archive"),
        (None, "status"),  # a conforming file with a bad value: the import's own checks
    ],
)
def test_a_bad_remote_file_is_a_refused_pull_with_its_reason(server, coordinator, baia_mare, body, words):
    if body is None:
        tables = _tables({A: "Cantina"})
        tables["service"][0]["status"] = "open-ish"
        body = tables_to_zip(tables, name="bad")
    url = server.serve("/feed.zip", body)
    pull = _pull(coordinator, _source(coordinator, baia_mare, url))
    assert pull.status == PullStatus.REFUSED and words in pull.error, pull.error
    assert pull.tables == {} and pull.diff == {}
    assert _names(baia_mare) == set()
    with pytest.raises(ValidationError):
        hsds_pull_apply(actor=coordinator, pull=pull)


def test_unreachable_redirected_elsewhere_or_missing_feeds_are_refused(server, coordinator, baia_mare):
    cases = {
        server.redirect("/moved.zip", "file:///etc/passwd"): "Only http and https",
        server.base + "/missing.zip": "answered 404",
        "http://127.0.0.1:9/closed.zip": "could not be read",
    }
    for n, (url, words) in enumerate(cases.items()):
        source = hsds_source_save(actor=coordinator, municipality=baia_mare, name=f"s{n}", url=url, pull_enabled=True)
        pull = _pull(coordinator, source)
        assert pull.status == PullStatus.REFUSED and words in pull.error, (url, pull.error)
    with translation.override("en"), pytest.raises(ValidationError, match="Only http and https"):
        hsds_source_save(
            actor=coordinator, municipality=baia_mare, name="ftp", url="ftp://x.org/a.zip", pull_enabled=True
        )


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:5432/feed.zip",  # the server's own database port
        "http://localhost/feed.zip",
        "http://169.254.169.254/latest/meta-data/",  # a cloud's metadata address
        "http://10.0.0.7/feed.zip",
        "http://[::1]/feed.zip",
    ],
)
def test_a_feed_on_the_servers_own_network_is_refused_when_saved(coordinator, baia_mare, settings, url):
    """A coordinator's address is fetched by the server: it must not reach the server's own network."""
    settings.CARENET_HSDS_PULL_ALLOW_PRIVATE = False
    with translation.override("en"), pytest.raises(ValidationError, match="private or local network") as refused:
        hsds_source_save(actor=coordinator, municipality=baia_mare, name="inside", url=url, pull_enabled=True)
    assert "url" in refused.value.message_dict
    assert not HsdsSource.objects.for_tenant(baia_mare).filter(name="inside").exists()


def test_a_feed_that_now_resolves_inside_is_refused_when_pulled(server, coordinator, baia_mare, settings):
    url = server.serve("/feed.zip", _zip({A: "Cantina"}))
    source = _source(coordinator, baia_mare, url)  # saved while this deployment read feeds inside
    settings.CARENET_HSDS_PULL_ALLOW_PRIVATE = False
    pull = _pull(coordinator, source)
    assert pull.status == PullStatus.REFUSED and "private or local network" in pull.error
    assert server.requests == [] and _names(baia_mare) == set()


def test_an_oversize_feed_is_refused(server, coordinator, baia_mare, settings):
    settings.CARENET_HSDS_IMPORT_MAX_BYTES = 500
    url = server.serve("/feed.zip", _zip({A: "Cantina"}) + b"\0" * 1000)
    pull = _pull(coordinator, _source(coordinator, baia_mare, url))
    assert pull.status == PullStatus.REFUSED and "too large" in pull.error
    assert _names(baia_mare) == set()


def test_an_hsds_api_is_read_page_by_page(server, coordinator, baia_mare):
    def page(number, items, total=2):
        return json.dumps({"total_items": 2, "total_pages": total, "page_number": number, "contents": items}).encode()

    org = {"id": ORG, "name": "Asociația Feed", "description": ""}
    one = {"id": A, "name": "Cantina", "status": "active", "organization": org}
    two = {"id": B, "name": "Adăpost", "status": "active", "organization": org}
    server.serve("/api/services?full=true&page=1&per_page=100", page(1, [one]), content_type="application/json")
    server.serve("/api/services?full=true&page=2&per_page=100", page(2, [two]), content_type="application/json")
    pull = _pull(coordinator, _source(coordinator, baia_mare, server.base + "/api/"))
    assert pull.status == PullStatus.PENDING, pull.error
    assert {i["id"] for i in pull.diff["service"]["added"]} == {A, B}
    hsds_pull_apply(actor=coordinator, pull=pull)
    assert _names(baia_mare) == {"Cantina", "Adăpost"}


def test_the_nightly_task_pulls_each_enabled_source_once_a_day_and_tells_the_coordinator(
    server, coordinator, baia_mare
):
    assert "carenet.directory.tasks.pull_hsds_sources" in settings.CARENET_SCHEDULED_TASKS
    assert "carenet.directory.tasks.push_hsds_feeds" in settings.CARENET_SCHEDULED_TASKS
    url = server.serve("/feed.zip", _zip({A: "Cantina"}))
    _source(coordinator, baia_mare, url)
    hsds_source_save(actor=coordinator, municipality=baia_mare, name="off", url=url, pull_enabled=False)
    assert pull_hsds_sources.call() == 1
    assert pull_hsds_sources.call() == 0  # pulled tonight already
    assert HsdsPull.objects.for_tenant(baia_mare).count() == 1
    assert mail.outbox and coordinator.email in mail.outbox[-1].to


def test_push_records_a_success_and_a_refusal(server, coordinator, baia_mare, service_a):
    assert "carenet.directory.tasks.push_hsds_feeds" in settings.CARENET_SCHEDULED_TASKS
    url = server.serve("/inbox", b"ok", content_type="text/plain")
    target = push_target_save(actor=coordinator, municipality=baia_mare, url=url, token="s3cret", enabled=True)
    assert push_hsds_feeds.call() == 1
    log = PushLog.objects.for_tenant(baia_mare).get()
    assert log.ok and log.response_code == 200 and log.bytes_sent > 0 and not log.error
    sent = server.requests[-1]
    assert sent["method"] == "POST" and sent["headers"]["Authorization"] == "Bearer s3cret"
    assert zipfile.ZipFile(io.BytesIO(sent["body"])).read("datapackage.json")
    assert service_a.name.encode() in zipfile.ZipFile(io.BytesIO(sent["body"])).read("services.csv")

    server.serve("/inbox", b"boom", status=500, content_type="text/plain")
    with translation.override("en"):
        failed = push_send(target=target)
    assert not failed.ok and failed.response_code == 500 and "500" in failed.error
    assert push_hsds_feeds.call() == 0  # pushed tonight already
    target.url = "http://127.0.0.1:9/inbox"
    unreachable = push_send(target=target)
    assert not unreachable.ok and unreachable.response_code is None and unreachable.error


# --- the pages ---------------------------------------------------------------------------------------------


def test_the_coordinator_pulls_now_reads_the_diff_and_applies_it(client, server, coordinator, baia_mare):
    url = server.serve("/feed.zip", _zip({A: "Cantina", B: "Adăpost"}))
    client.force_login(coordinator)
    response = client.post(reverse("directory:source_new"), {"name": "Feed", "url": url, "pull_enabled": "on"})
    source = HsdsSource.objects.for_tenant(baia_mare).get(name="Feed")
    assert response.status_code == 302 and response["Location"] == reverse("directory:source", args=[source.pk])
    assert client.post(reverse("directory:source_pull", args=[source.pk])).status_code == 302
    pull = HsdsPull.objects.for_tenant(baia_mare).get()
    page = client.get(reverse("directory:pull", args=[pull.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert (
        page.status_code == 200
        and "Cantina" in page.content.decode()
        and "Apply these changes" in page.content.decode()
    )
    assert (
        client.get(
            reverse("directory:pull", args=[pull.pk]), {"kind": "added", "resource": "service", "page": 9}
        ).status_code
        == 200
    )
    assert client.get(reverse("directory:feeds")).status_code == 200
    assert client.get(reverse("directory:source", args=[source.pk])).status_code == 200
    assert client.post(reverse("directory:pull_apply", args=[pull.pk])).status_code == 302
    assert _names(baia_mare) == {"Cantina", "Adăpost"}
    again = client.post(reverse("directory:pull_reject", args=[pull.pk]), follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert "already decided" in again.content.decode()


def test_the_push_page_never_shows_the_token(client, coordinator, baia_mare):
    client.force_login(coordinator)
    response = client.post(
        reverse("directory:push"), {"url": "https://hub.example.org/in", "token": "t0ps3cret", "enabled": "on"}
    )
    assert response.status_code == 302
    page = client.get(reverse("directory:push"))
    assert page.status_code == 200 and "t0ps3cret" not in page.content.decode()
    assert "t0ps3cret" not in client.get(reverse("directory:feeds")).content.decode()
    client.post(reverse("directory:push"), {"url": "https://hub.example.org/in2", "token": "", "enabled": "on"})
    from carenet.directory.models import PushTarget

    assert PushTarget.objects.for_tenant(baia_mare).get().token == "t0ps3cret"  # empty keeps it
    bad = client.post(reverse("directory:push"), {"url": "ftp://x.org/in", "token": ""})
    assert bad.status_code == 200 and bad.context["form"].errors


@pytest.fixture
def feed_records(coordinator, baia_mare):
    source = hsds_source_save(
        actor=coordinator, municipality=baia_mare, name="Sursa Maramureș", url="https://x.org/f.zip", pull_enabled=False
    )
    pull = HsdsPull.objects.create(municipality=baia_mare, source=source, url=source.url, diff={}, summary={})
    return source, pull


def _record_urls(source, pull):
    return {
        reverse("directory:source", args=[source.pk]): "get",
        reverse("directory:source_pull", args=[source.pk]): "post",
        reverse("directory:pull", args=[pull.pk]): "get",
        reverse("directory:pull_apply", args=[pull.pk]): "post",
        reverse("directory:pull_reject", args=[pull.pk]): "post",
    }


ROLE_PAGES = ["directory:feeds", "directory:source_new", "directory:push", "directory:import"]


def test_anonymous_visitors_go_to_the_login_page(client, feed_records):
    for url, method in [*_record_urls(*feed_records).items(), *((reverse(n), "get") for n in ROLE_PAGES)]:
        response = getattr(client, method)(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login")), url


def test_a_lower_role_gets_403(client, caseworker_a, manager_b, feed_records):
    for user in (caseworker_a, manager_b):
        client.force_login(user)
        for url, method in _record_urls(*feed_records).items():
            assert getattr(client, method)(url).status_code == 403, (user, url)
        for name in ROLE_PAGES:
            assert client.get(reverse(name)).status_code == 403, (user, name)
    assert HsdsPull.objects.for_tenant(feed_records[0].municipality_id).get().status == PullStatus.PENDING


def test_the_other_municipality_gets_404_on_a_source_and_a_pull(client, other_tenant_user, feed_records):
    client.force_login(other_tenant_user)
    for url, method in _record_urls(*feed_records).items():
        assert getattr(client, method)(url).status_code == 404, url
    for name in ROLE_PAGES:  # their own pages: nothing of Baia Mare on them
        response = client.get(reverse(name))
        assert response.status_code == 200
        assert "Sursa Maramureș" not in response.content.decode() and "x.org" not in response.content.decode()


def test_the_command_still_imports_a_file(baia_mare, tmp_path, capsys):
    from django.core.management import call_command

    package = tmp_path / "feed.zip"
    package.write_bytes(_zip({A: "Cantina"}))
    call_command("import_hsds", baia_mare.slug, str(package))
    assert _names(baia_mare) == {"Cantina"}
    assert "service: 1" in capsys.readouterr().out
