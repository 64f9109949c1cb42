"""Debian's Chromium, which Playwright drives in the browser tests (marker ``browser``).

``make test`` installs it (scripts/system_packages.sh) and sets ``CARENET_REQUIRE_BROWSER=1``: then a
missing Chromium stops the run and a skipped browser test fails (``carenet.testing.plugin``).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_present() -> bool:
    return bool(shutil.which(CHROMIUM)) or Path(CHROMIUM).exists()


def browser_required() -> bool:
    return os.environ.get("CARENET_REQUIRE_BROWSER", "") not in ("", "0")


AXE_JS = Path(__file__).resolve().parents[2] / "tests" / "vendor" / "axe.min.js"


def serious_axe_violations(page: Any) -> list[dict[str, Any]]:
    """The page's serious and critical violations of WCAG 2.1 A and AA (axe-core, vendored): id and the
    first three elements of each, for a readable assertion message."""
    page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate(
        """async () => await axe.run(document, {runOnly: {type: 'tag',
             values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"""
    )
    return [
        {"id": v["id"], "nodes": [n["target"] for n in v["nodes"]][:3]}
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
