"""The public dashboard's download (the portal's page), through the one export path."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.http.response import HttpResponseBase

from carenet.core.exports import export_table


def public_table_response(
    header: Sequence[Any], rows: Sequence[Sequence[Any]], *, fmt: str, filename: str, title: str
) -> HttpResponseBase:
    """A table of the public dashboard. Its figures are aggregates with every cell under 5 persons suppressed
    (``selectors.public_dashboard``), the one kind of table ``export_table`` lets out unaudited."""
    return export_table(
        actor=None,
        municipality=None,
        what="dashboard.public",
        header=header,
        rows=rows,
        fmt=fmt,
        filename=filename,
        title=title,
        audited=False,
    )
