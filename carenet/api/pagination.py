"""Pagination of the /api/v1/ lists: keyset (cursor) pages by default, DRF's page-number pages on ``?page=``.

**Cursor pages** (issue 23). A page is the ``page_size`` rows that follow a position in a stable order: the
list's own ordering (``-delivered_on``, ``-opened_on``, ``-updated_at``, or ``last_name, first_name`` for a
search) with the primary key as the unique tiebreak. The position is the ``cursor`` of the ``next`` and
``previous`` links: signed (``django.core.signing``), holding the ordering's names, the direction and the
position row's id and its dates/numbers. A text key (a surname) is never written into the cursor — a URL
ends up in access logs — it is read from the position row by a subquery of the same query, scoped like the
list. The 200th page is one ``WHERE (key, id) < (…) ORDER BY key, id LIMIT 51``, the same query as the
first: no OFFSET, no walk over the 9,950 rows before it. The total is counted only when asked
(``?count=true``; ``count`` is ``null`` otherwise): one more query, over exactly the rows the pages show. A
cursor that was altered, or that belongs to another ordering (another ``q``), is a 400 naming ``cursor``.
Where the visible rows are the union of index ranges that are each in order but not together (the deliveries
of a manager's two providers), the view names the parts (``keyset_parts``): each part's page is read in
index order and the pages are merged, instead of the database sorting every visible row for one page.

Cursor pages walk every row the user may see; the selectors' caps (``person_search(limit=1000)``,
``deliveries_list(limit=10_000)``, ``case_search(limit=100)``) were there to bound the OFFSET and the count
of page numbers, and apply to ``?page=`` only.

**Page numbers** (``?page=N``, as before this change, for the clients that use it): the same pages and the
same ``count`` as DRF's page-number pagination, with a ``count`` query that can use any index. The list
selectors return an ordered queryset capped at a limit. DRF counts it as ``SELECT COUNT(*) FROM (SELECT …
ORDER BY delivered_on DESC LIMIT 10000)``: the ORDER BY inside makes the database walk the rows in date
order — on SQLite 50–110 ms through the whole municipality's (municipality, date) index, filtering the
provider's rows out of it. The number of rows in a capped (or offset) window does not depend on the order —
it is ``min(total, high) - low`` — so the count drops the ORDER BY and the database counts the visible rows
through the narrowest index (1–2 ms at 500,000 deliveries). The filter (tenant and visibility) is
untouched: the count is of exactly the rows the pages show.

Every page, either kind, is one audit event naming the persons it showed (``audit_page``).
"""

from __future__ import annotations

import datetime
import decimal
import uuid
from dataclasses import dataclass
from typing import Any

from django.core import signing
from django.core.paginator import Paginator
from django.db import models
from django.db.models import Q, QuerySet, Subquery
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

CURSOR_SALT = "carenet.api.pagination.cursor"
BAD_CURSOR = _("This cursor is not valid here: follow the next and previous links, or start again without a cursor.")
BAD_COUNT = _("Use count=true to have the total counted, or leave it out.")
TRUE = ("1", "true", "yes")
FALSE = ("", "0", "false", "no")


def audit_page(request: Any, response: Response, *, key: str, what: str) -> Response:
    """One audit event for a page of a list that shows persons: the ids under ``key`` in its results."""
    from carenet.people.services import persons_read_record

    results = response.data.get("results", []) if isinstance(response.data, dict) else []
    persons_read_record(actor=request.user, person_ids=[row.get(key) for row in results], what=what)
    return response


def count_without_ordering(object_list: Any) -> int:
    """``len()`` of a (possibly sliced) queryset without the ORDER BY in the counting query."""
    if not isinstance(object_list, QuerySet):
        return len(object_list)
    query = object_list.query
    if query.distinct or query.combinator:
        # DISTINCT with an ordering may select the ordering columns; a UNION's parts keep their own
        # slices. Both counts may depend on the ordering: count them as they are.
        return object_list.count()
    unordered = object_list._chain()  # type: ignore[attr-defined]  # keeps the tenant scope
    unordered.query.clear_ordering(force=True)
    unordered.query.select_related = False
    # Count one column every index holds: the tenant column leads each index of a tenant-owned table, so
    # the count reads the index alone (the primary key is not in SQLite's secondary indexes: 10,000
    # table lookups, 35 ms, for a provider's deliveries).
    names = {f.attname for f in object_list.model._meta.concrete_fields}
    if "municipality_id" in names and not query.annotations:
        unordered = unordered.values_list("municipality_id")
    return unordered.count()


class UnorderedCountPaginator(Paginator):
    @cached_property
    def count(self) -> int:
        return count_without_ordering(self.object_list)


@dataclass(frozen=True)
class KeyPart:
    name: str  # a concrete, non-null column of the model
    descending: bool
    field: models.Field[Any, Any]

    @property
    def in_cursor(self) -> bool:
        """Dates and numbers travel in the cursor; the id is the position's own; text (a surname) is read
        from the position row."""
        return not self.field.primary_key and not isinstance(self.field, models.CharField | models.TextField)

    @property
    def signed_name(self) -> str:
        return ("-" if self.descending else "") + self.name


def keyset_of(queryset: QuerySet[Any]) -> tuple[KeyPart, ...] | None:
    """The list's ordering as a keyset with the primary key as the last, unique part; ``None`` when the
    ordering is not plain non-null columns of the model (an expression, a related column, a UNION)."""
    query = queryset.query
    if query.combinator or query.distinct or query.extra_order_by:
        return None
    meta = queryset.model._meta
    if query.order_by:
        names = list(query.order_by)
    elif query.default_ordering:
        names = list(meta.ordering)
    else:
        names = []
    pk = meta.pk
    assert pk is not None
    parts: list[KeyPart] = []
    for name in names:
        if not isinstance(name, str) or name.lstrip("-") in ("?", "") or "__" in name:
            return None
        bare = name.lstrip("-")
        field = pk if bare == "pk" else meta.get_field(bare)
        if not isinstance(field, models.Field) or field.is_relation or field.null:
            return None
        parts.append(KeyPart(field.attname, name.startswith("-"), field))
        if field.primary_key:
            return tuple(parts)  # unique already: what follows cannot change the order
    descending = parts[0].descending if parts else False
    parts.append(KeyPart(pk.attname, descending, pk))
    return tuple(parts)


def _to_json(value: Any) -> Any:
    if isinstance(value, datetime.date | datetime.datetime | datetime.time):
        return value.isoformat()
    if isinstance(value, uuid.UUID | decimal.Decimal):
        return str(value)
    return value


@dataclass(frozen=True)
class Position:
    reverse: bool  # True: the rows before the position (a ``previous`` link)
    pk: Any
    values: tuple[Any, ...]  # per key part; None for a text part (read from the row)


def _value(row: Any, name: str) -> Any:
    """A column of a page's row: a model instance, or a ``.values()`` row (``carenet/api/rows.py``)."""
    return row[name] if isinstance(row, dict) else getattr(row, name)


def encode_cursor(parts: tuple[KeyPart, ...], row: Any, *, reverse: bool) -> str:
    payload = {
        "o": [p.signed_name for p in parts],
        "r": int(reverse),
        "p": _to_json(_value(row, parts[-1].name)),  # the keyset ends with the primary key
        "v": [_to_json(_value(row, p.name)) if p.in_cursor else None for p in parts],
    }
    return signing.dumps(payload, salt=CURSOR_SALT, compress=False)


def decode_cursor(parts: tuple[KeyPart, ...], cursor: str, model: type[models.Model]) -> Position:
    """The position of a cursor, or a 400 naming ``cursor`` (altered, another list's or another ordering's)."""
    try:
        payload = signing.loads(cursor, salt=CURSOR_SALT)
        if payload["o"] != [p.signed_name for p in parts] or len(payload["v"]) != len(parts):
            raise ValueError("another ordering")
        pk_field = model._meta.pk
        assert pk_field is not None
        pk = pk_field.to_python(payload["p"])
        values = tuple(p.field.to_python(v) if p.in_cursor else None for p, v in zip(parts, payload["v"], strict=True))
        if any(v is None for p, v in zip(parts, values, strict=True) if p.in_cursor):
            raise ValueError("a missing value")
        return Position(reverse=bool(payload["r"]), pk=pk, values=values)
    except (signing.BadSignature, ValueError, TypeError, KeyError, AttributeError) as exc:
        raise ValidationError({"cursor": [BAD_CURSOR]}) from exc
    except Exception as exc:  # a field's to_python refusing a value: django.core.exceptions.ValidationError
        from django.core.exceptions import ValidationError as DjangoValidationError

        if isinstance(exc, DjangoValidationError):
            raise ValidationError({"cursor": [BAD_CURSOR]}) from exc
        raise


def after(parts: tuple[KeyPart, ...], position: Position, base: QuerySet[Any]) -> Q:
    """The rows after ``position`` in the order of ``parts`` (before it, with ``position.reverse``):
    ``k1 < v1 OR (k1 = v1 AND k2 < v2) OR …``, with the leading ``k1 <= v1`` written out so that an index on
    the first key seeks to the position instead of filtering from the top."""
    values: list[Any] = []
    for part, value in zip(parts, position.values, strict=True):
        if part.field.primary_key:
            values.append(position.pk)
        elif part.in_cursor:
            values.append(value)
        else:  # read from the position row, through the list's own scope: one query, no name in the URL
            values.append(Subquery(base.filter(pk=position.pk).values(part.name)[:1]))
    condition = Q()
    equal = Q()
    for part, value in zip(parts, values, strict=True):
        op = "lt" if part.descending != position.reverse else "gt"
        condition |= equal & Q(**{f"{part.name}__{op}": value})
        equal &= Q(**{part.name: value})
    first, first_value = parts[0], values[0]
    bound = "lte" if first.descending != position.reverse else "gte"
    return Q(**{f"{first.name}__{bound}": first_value}) & condition


def merged(rows: list[Any], keyset: tuple[KeyPart, ...], *, reverse: bool) -> list[Any]:
    """``rows`` (the pages of several parts) in the keyset's order: sorted by the last key first, each sort
    stable, so that the first key decides and the later ones break its ties."""
    ordered = list(rows)
    for part in reversed(keyset):
        ordered.sort(key=lambda row, name=part.name: _value(row, name), reverse=part.descending != reverse)
    return ordered


class ListPagination(PageNumberPagination):
    """Cursor pages by default; DRF's page-number pages with ``?page=`` (``count``/``next``/``previous``/
    ``results``, 50 a page either way).

    ``?page_size=`` may ask for fewer, never more than ``max_page_size`` (issue 26: a page of persons is capped,
    and every page read is one audit event listing the persons it showed)."""

    django_paginator_class = UnorderedCountPaginator
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 100
    cursor_query_param = "cursor"
    count_query_param = "count"

    keyset: tuple[KeyPart, ...] | None = None

    def paginate_queryset(self, queryset: Any, request: Request, view: Any = None) -> list[Any] | None:
        self.request = request
        params = request.query_params
        keyset = keyset_of(queryset) if isinstance(queryset, QuerySet) else None
        if keyset is None or (self.page_query_param in params and self.cursor_query_param not in params):
            self.keyset = None
            if keyset is not None:  # the same stable order (ties broken by the id), within the selector's cap
                queryset = queryset._chain()
                queryset.query.clear_ordering(force=True)
                queryset.query.add_ordering(*[p.signed_name for p in keyset])
            return super().paginate_queryset(queryset, request, view)
        self.keyset = keyset
        wanted = str(params.get(self.count_query_param, "")).strip().lower()
        if wanted not in TRUE + FALSE:
            raise ValidationError({self.count_query_param: [BAD_COUNT]})
        size = self.get_page_size(request) or self.page_size
        base = queryset._chain()  # keeps the tenant scope, the columns loaded
        base.query.clear_limits()  # the selector's cap bounds page numbers only
        base.query.clear_ordering(force=True)
        cursor = params.get(self.cursor_query_param)
        position = decode_cursor(keyset, cursor, queryset.model) if cursor is not None else None
        reverse = position.reverse if position else False
        order = [("-" if p.descending != reverse else "") + p.name for p in keyset]
        parts = self._parts(view, base, keyset)
        page: list[Any] = []
        for part in parts or [base]:
            rows = part.order_by(*order)
            if position is not None:
                rows = rows.filter(after(keyset, position, base))
            page += rows[: size + 1]
        if parts:
            page = merged(page, keyset, reverse=reverse)[: size + 1]
        more = len(page) > size
        page = page[:size]
        if reverse:
            page.reverse()
        self.total = count_without_ordering(base) if wanted in TRUE else None
        self.has_next = bool(page) and (more if not reverse else True)
        self.has_previous = bool(page) and (position is not None if not reverse else more)
        self.rows = page
        return page

    @staticmethod
    def _parts(view: Any, base: QuerySet[Any], keyset: tuple[KeyPart, ...]) -> list[QuerySet[Any]] | None:
        """The view's split of its rows into parts that each come in the keyset's order from an index of their
        own (``keyset_parts``: the deliveries of each provider a manager sees), when the keyset has no text key:
        the parts' pages are merged in Python, which orders dates, numbers and ids as the database does, and
        text by another collation."""
        split = getattr(view, "keyset_parts", None)
        if split is None or any(isinstance(p.field, models.CharField | models.TextField) for p in keyset):
            return None
        return split(base)

    def _link(self, row: Any, *, reverse: bool) -> str:
        assert self.keyset is not None and self.request is not None
        url = remove_query_param(self.request.build_absolute_uri(), self.page_query_param)
        return replace_query_param(url, self.cursor_query_param, encode_cursor(self.keyset, row, reverse=reverse))

    def get_next_link(self) -> str | None:
        if self.keyset is None:
            return super().get_next_link()
        return self._link(self.rows[-1], reverse=False) if self.has_next else None

    def get_previous_link(self) -> str | None:
        if self.keyset is None:
            return super().get_previous_link()
        return self._link(self.rows[0], reverse=True) if self.has_previous else None

    def get_paginated_response(self, data: Any) -> Response:
        if self.keyset is None:
            return super().get_paginated_response(data)
        return Response(
            {"count": self.total, "next": self.get_next_link(), "previous": self.get_previous_link(), "results": data}
        )

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        body = super().get_paginated_response_schema(schema)
        body["required"] = ["count", "next", "previous", "results"]
        body["properties"]["count"] = {
            "type": "integer",
            "nullable": True,
            "example": 123,
            "description": "the number of rows of the whole list: with ?page=, or with ?count=true; null otherwise",
        }
        for link in ("next", "previous"):
            body["properties"][link]["example"] = f"http://api.example.org/accounts/?{self.cursor_query_param}=…"
        return body

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        return [
            *super().get_schema_operation_parameters(view),
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "the position of a page: take it from the next or previous link, never build it",
                "schema": {"type": "string"},
            },
            {
                "name": self.count_query_param,
                "required": False,
                "in": "query",
                "description": "true: count the whole list (one more query); cursor pages leave count null otherwise",
                "schema": {"type": "boolean"},
            },
        ]
