"""Pagination of the /api/v1/ lists: the same pages and the same ``count`` as DRF's page-number
pagination, with a ``count`` query that can use any index.

The list selectors return an ordered queryset capped at a limit (``person_search(limit=1000)``,
``deliveries_list(limit=10_000)``). DRF counts it as ``SELECT COUNT(*) FROM (SELECT … ORDER BY
delivered_on DESC LIMIT 10000)``: the ORDER BY inside makes the database walk the rows in date
order — on SQLite 50–110 ms through the whole municipality's (municipality, date) index, filtering
the provider's rows out of it. The number of rows in a capped (or offset) window does not depend
on the order — it is ``min(total, high) - low`` — so the count drops the ORDER BY and the database
counts the visible rows through the narrowest index (1–2 ms at 500,000 deliveries). The filter
(tenant and visibility) is untouched: the count is of exactly the rows the pages show.
"""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response


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


class ListPagination(PageNumberPagination):
    """DRF's page-number pagination (``?page=``, ``count``/``next``/``previous``/``results``, 50 a page).

    ``?page_size=`` may ask for fewer, never more than ``max_page_size`` (issue 26: a page of persons is capped,
    and every page read is one audit event listing the persons it showed)."""

    django_paginator_class = UnorderedCountPaginator
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 100
