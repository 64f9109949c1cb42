"""The /api/v1/ lists' pages as ``.values()`` rows, written out with the fields of the list's DRF serializer (issue 23).

A page of 50 model instances cost more than its query: building each instance (every column converted, the
related-object descriptors), then DRF building the serializer's fields again for every request and walking
them for every row. ``ListRows`` reads only the columns the serializer shows (and the ordering's keys, for the
cursor) as plain rows and applies the serializer's own fields' ``to_representation`` — made once per process —
to each value: the same JSON, key for key (``carenet/api/tests/test_list_rows.py`` compares them), and the
serializer stays the one the OpenAPI schema describes and the writes validate with.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response


class ListRows:
    """The readable fields of ``serializer_class`` as (name, column, field); ``extra``: columns the page needs that
    the serializer does not show (an ordering's key)."""

    def __init__(self, serializer_class: type[serializers.Serializer[Any]], *, extra: Iterable[str] = ()) -> None:
        self.serializer_class = serializer_class
        self.extra = tuple(extra)
        self._fields: list[tuple[str, str, serializers.Field[Any, Any, Any, Any]]] | None = None

    @property
    def fields(self) -> list[tuple[str, str, serializers.Field[Any, Any, Any, Any]]]:
        if self._fields is None:  # not at import: the serializer's fields need the app registry
            made = self.serializer_class().fields
            self._fields = [
                (name, str(field.source).replace(".", "__"), field)
                for name, field in made.items()
                if not field.write_only
            ]
        return self._fields

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys([*(column for _name, column, _field in self.fields), *self.extra]))

    def __call__(self, rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
        fields = self.fields
        return [
            {
                name: None if row[column] is None else field.to_representation(row[column])
                for name, column, field in fields
            }
            for row in rows
        ]


def list_response(view: Any, request: Request, rows: ListRows) -> Response:
    """``ListModelMixin.list`` over ``.values()`` rows (the view's queryset, filters and pagination as they are)."""
    queryset = view.filter_queryset(view.get_queryset()).values(*rows.columns)
    page = view.paginate_queryset(queryset)
    if page is None:
        return Response(rows(queryset))
    return view.get_paginated_response(rows(page))
