"""The role home page's registration point: higher apps register panels, core renders them.

A panel is ``panel(request) -> HomePanel | None`` (``None`` when it is not for this user: a caseworker
gets no "approvals waiting"). Apps register their panels with ``register_home_panel`` in a module named
``home`` (found by ``autodiscover_modules`` on the first home page, like ``kpi_definitions``); core never
imports them by name, so the home page grows with the apps installed and no
lower app imports a higher one (docs/architecture.md §4).

Every item of a panel links to the page where its action is taken: one click from the home page.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

logger = logging.getLogger(__name__)


@dataclass
class HomeItem:
    label: str
    url: str
    note: str = ""
    action: str = ""  # the verb of the link ("Record the visit"); the label is the link when empty
    urgent: bool = False


@dataclass
class HomePanel:
    key: str
    title: str
    items: list[HomeItem] = field(default_factory=list)
    empty: str = ""
    total: int | None = None  # more than shown: the "see all" link says how many
    more_url: str = ""
    more_label: str = ""
    order: int = 50

    @property
    def count(self) -> int:
        return self.total if self.total is not None else len(self.items)


PanelFunc = Callable[[Any], "HomePanel | None"]
HOME_PANELS: list[tuple[int, PanelFunc]] = []


def register_home_panel(panel: PanelFunc, *, order: int = 50) -> PanelFunc:
    """Add a panel to every home page (idempotent: ``ready()`` may run twice in tests)."""
    if all(existing is not panel for _, existing in HOME_PANELS):
        HOME_PANELS.append((order, panel))
    return panel


_discovered = False


def _discover() -> None:
    global _discovered
    if not _discovered:
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("home")
        _discovered = True


def home_panels(request: Any) -> list[HomePanel]:
    """The panels this user's home page shows, in their registered order."""
    _discover()
    panels = []
    for order, panel in sorted(HOME_PANELS, key=lambda entry: entry[0]):
        result = panel(request)
        if result is not None:
            result.order = order
            panels.append(result)
    # What waits comes first; a panel with nothing in it goes to the end (stable: registered order kept).
    return sorted(panels, key=lambda panel: panel.count == 0)
