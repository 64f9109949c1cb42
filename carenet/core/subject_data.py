"""The registry of the tables that hold data about a person (GDPR art. 15 and 20: subject access).

Each app declares, in a module named ``subject_data`` (``carenet/<app>/subject_data.py``), the tables it
keeps about a person and how to reach that person's rows::

    from carenet.core.subject_data import SubjectTable, register

    register(
        SubjectTable("cases.case", via="person"),
        SubjectTable("cases.note", via="case__person"),
    )

``autodiscover()`` imports those modules (the ``privacy`` app calls it once at start), so no app imports a
higher one, and the subject-access export lists every registered table. ``privacy``'s test fails when a
model with a foreign key to ``people.Person`` is in no registered table: a new app's table cannot be
forgotten. See docs/decisions/0014-privacy-rights.md.
"""

from __future__ import annotations

import datetime
import decimal
import importlib
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import models
from django.db.models.fields.files import FieldFile

# Never shown in an export: derived search keys, not data about the person.
ALWAYS_EXCLUDED = frozenset({"name_key", "search_text", "version"})


@dataclass(frozen=True)
class SubjectTable:
    """One table that holds data about a person.

    ``model`` is the label (``"cases.case"``); ``via`` the lookup from a row to the person (``"person"``,
    ``"case__person"``); ``rows`` replaces it when a table reaches the person otherwise
    (``rows(person) -> iterable of model instances``); ``exclude`` names fields left out (secrets, hashes).
    """

    model: str
    via: str = "person"
    rows: Callable[[Any], Iterable[models.Model]] | None = None
    exclude: frozenset[str] = field(default_factory=frozenset)
    # Where the table comes in the export: the person first (0), the app's records (50), who read them last (90).
    order: int = 50

    @property
    def model_class(self) -> type[models.Model]:
        return apps.get_model(self.model)

    def rows_of(self, person: Any) -> Iterable[models.Model]:
        if self.rows is not None:
            return self.rows(person)
        model = self.model_class
        manager = model.objects  # type: ignore[attr-defined]
        qs = manager.for_tenant(person.municipality_id) if hasattr(manager, "for_tenant") else manager.all()
        return qs.filter(**{self.via: person}).order_by("pk")

    def serialise(self, obj: models.Model) -> dict[str, Any]:
        return serialise(obj, exclude=self.exclude)


_tables: dict[str, SubjectTable] = {}


def register(*tables: SubjectTable) -> None:
    """Declare tables that hold a person's data; registering a label again replaces its entry."""
    for table in tables:
        _tables[table.model] = table


def registered() -> list[SubjectTable]:
    """The tables in export order: by ``order``, then by the apps' order (lowest layer first)."""
    autodiscover()
    app_order = {config.label: i for i, config in enumerate(apps.get_app_configs())}
    return sorted(_tables.values(), key=lambda t: (t.order, app_order.get(t.model.split(".")[0], 999), t.model))


def registered_labels() -> set[str]:
    return {t.model for t in registered()}


_discovered = False


def autodiscover() -> None:
    """Import ``<app>.subject_data`` of every installed CareNet app (once)."""
    global _discovered
    if _discovered:
        return
    for config in apps.get_app_configs():
        if not config.name.startswith("carenet."):
            continue
        module = f"{config.name}.subject_data"
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as exc:
            if exc.name != module:
                raise
    _discovered = True


def _value(obj: models.Model, f: models.Field) -> Any:
    value = getattr(obj, f.attname)
    if value is None:
        return None
    if f.choices and not isinstance(f, models.ForeignKey):
        display = getattr(obj, f"get_{f.name}_display")()
        return {"code": value, "label": str(display)} if str(display) != str(value) else value
    if isinstance(value, FieldFile):
        return value.name or None
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, uuid.UUID | decimal.Decimal):
        return str(value)
    return value


def serialise(obj: models.Model, *, exclude: Iterable[str] = ()) -> dict[str, Any]:
    """A row as JSON-ready values: every concrete field, foreign keys as ids, choices with their label."""
    skipped = ALWAYS_EXCLUDED | set(exclude)
    data: dict[str, Any] = {}
    for f in obj._meta.concrete_fields:
        if f.name in skipped or f.attname in skipped:
            continue
        data[f.attname if f.is_relation else f.name] = _value(obj, f)
        # A reference is also given by name (the provider, the service, the caseworker), as a person reads it.
        if f.is_relation and f.name != "municipality" and getattr(obj, f.attname) is not None:
            data[f.name] = str(getattr(obj, f.name))
    return data
