"""Debian's Chromium, which Playwright drives in the browser tests (marker ``browser``).

``make test`` installs it (scripts/system_packages.sh) and sets ``CARENET_REQUIRE_BROWSER=1``: then a
missing Chromium stops the run and a skipped browser test fails (``carenet.testing.plugin``).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

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
