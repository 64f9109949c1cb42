"""The pytest plugin of CareNet, registered by the root ``conftest.py`` (``pytest_plugins``).

It brings the shared fixtures (``carenet.testing.fixtures``) and one rule for the browser tests:
every test under ``tests/browser/`` carries the ``browser`` marker; without Chromium they are skipped
with the reason shown, unless ``CARENET_REQUIRE_BROWSER=1`` (``make test``, CI), where a missing
Chromium stops the run before any test and any skipped browser test is reported as a failure.

Hypothesis runs under the ``carenet`` profile: the same examples, without the checks that time them
(``deadline``, the ``too_slow`` health check), which fail on a busy machine whatever the code does.
``HYPOTHESIS_PROFILE=default`` brings them back.
"""

from __future__ import annotations

import os
from collections.abc import Generator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from carenet.testing import ROOT
from carenet.testing.browser import CHROMIUM, browser_required, chromium_present

pytest_plugins = ["carenet.testing.fixtures"]

hypothesis_settings.register_profile("carenet", deadline=None, suppress_health_check=[HealthCheck.too_slow])
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "carenet"))

BROWSER_TESTS = ROOT / "tests" / "browser"
NO_CHROMIUM = (
    f"Chromium not found at {CHROMIUM} (CHROMIUM_PATH); `make test` installs it as root, "
    "or run `sudo apt-get install chromium`"
)


def pytest_configure(config: pytest.Config) -> None:
    if browser_required() and not chromium_present():
        raise pytest.UsageError(f"CARENET_REQUIRE_BROWSER=1 but {NO_CHROMIUM}")


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    present = chromium_present()
    for item in items:
        if Path(str(item.path)).is_relative_to(BROWSER_TESTS) and not item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.browser)
        if not present and item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.skip(reason=NO_CHROMIUM))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Generator[None, Any, Any]:
    report = yield
    if report.skipped and not hasattr(report, "wasxfail") and item.get_closest_marker("browser") and browser_required():
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.outcome = "failed"
        report.longrepr = f"a browser test skipped although CARENET_REQUIRE_BROWSER=1 — {reason}"
    return report
