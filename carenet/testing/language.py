"""English messages for tests that read them.

Assertions of most app tests read the English source messages; the Romanian, Russian, Hungarian and
Ukrainian ones are tested on their own. A conftest turns this on for its directory with one import::

    from carenet.testing.language import english  # noqa: F401  (autouse: the tests below read English)

The plugin also offers ``english`` as an ordinary fixture, for a single test that asks for it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest


@contextmanager
def english_messages(settings: Any) -> Iterator[None]:
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def english(settings: Any) -> Iterator[None]:
    """Every test of the directory that imports this reads English messages."""
    with english_messages(settings):
        yield
