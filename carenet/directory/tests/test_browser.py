"""The feed pages in a real browser (decision 0024): the coordinator's feeds page, a pull's diff and an import
job's result, in Romanian and Hungarian, at 1366 and 390 px: nothing scrolls sideways, axe-core finds no
serious or critical violation. Screenshots go to ``$CARENET_SCREENSHOTS`` (default: carenet-shots in the temporary folder)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

from carenet.core.models import BackgroundJob, JobStatus
from carenet.directory.datapackage.diff import diff_snapshots, summary_of
from carenet.directory.models import HsdsPull
from carenet.directory.permissions import IMPORT_JOB_KIND
from carenet.directory.services import hsds_source_save, push_target_save
from carenet.testing.browser import CHROMIUM, LAUNCH_ARGS, serious_axe_violations
from carenet.testing.factories import PASSWORD

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = pytest.mark.browser

SHOTS = Path(os.environ.get("CARENET_SCREENSHOTS", tempfile.gettempdir() + "/carenet-shots"))


@pytest.fixture
def feed_pages(coordinator, baia_mare):
    source = hsds_source_save(
        actor=coordinator,
        municipality=baia_mare,
        name="Catalogul județean Maramureș",
        url="https://servicii.maramures.example.org/api/hsds/",
        pull_enabled=True,
    )
    before = {"service": {str(i): {"id": str(i), "name": f"Serviciul {i}", "status": "active"} for i in range(30)}}
    after = {"service": {k: dict(v) for k, v in before["service"].items() if k != "3"}}
    after["service"]["1"]["name"] = "Cantina socială „Sfântul Nicolae” — program prelungit în zilele lucrătoare"
    after["service"]["1"]["description"] = "O descriere foarte lungă " * 12
    after["service"]["new"] = {
        "id": "new",
        "name": "Centru de zi pentru vârstnici",
        "url": "https://" + "x" * 80 + ".ro",
    }
    diff = diff_snapshots(before, after)
    pull = HsdsPull.objects.create(
        municipality=baia_mare, source=source, url=source.url, diff=diff, summary=summary_of(diff)
    )
    push_target_save(
        actor=coordinator, municipality=baia_mare, url="https://hub.example.org/in", token="t", enabled=True
    )
    job = BackgroundJob.objects.create(
        municipality=baia_mare,
        kind=IMPORT_JOB_KIND,
        title="Import HSDS: directory.zip",
        created_by=coordinator,
        status=JobStatus.DONE,
        progress=100,
        result={
            "ok": False,
            "errors": [f"services.csv, row {n}, field “status”: “open-ish” is not a valid choice." for n in (2, 3)],
            "warnings": [],
            "counts": {},
        },
    )
    return {
        "feeds": "/directory/feeds/",
        "pull": f"/directory/feeds/pulls/{pull.pk}/",
        "job": f"/directory/import/jobs/{job.pk}/",
    }


@pytest.mark.parametrize("language", ["ro", "hu"])
def test_the_feed_pages_fit_a_phone_and_a_desktop(live_server, coordinator, feed_pages, language):
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        for width in (1366, 390):
            context = browser.new_context(
                locale=language,
                viewport={"width": width, "height": 900},
                extra_http_headers={"Accept-Language": language},
                bypass_csp=True,
            )
            page = context.new_page()
            page.goto(f"{live_server.url}/account/login/")
            page.fill("input[name=username]", "coord")
            page.fill("input[name=password]", PASSWORD)
            page.click("main button[type=submit]")
            for name, path in feed_pages.items():
                response = page.goto(f"{live_server.url}{path}")
                assert response is not None and response.status == 200, (name, response and response.status)
                page.screenshot(path=str(SHOTS / f"directory-{name}-{language}-{width}.png"), full_page=True)
                assert page.evaluate("document.documentElement.scrollWidth") <= width, (name, width)
                assert serious_axe_violations(page) == [], (name, width)
            context.close()
        browser.close()
