"""Writes of the dashboards: figures from outside CareNet, entered with their source (audited)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from carenet.audit.services import audit_record
from carenet.core.models import Municipality

from .models import OutsideValue
from .permissions import can_enter_outside_values

# The record type the audit log has named these rows by since they were created (in the former analytics app).
# The log is append-only and hash-chained, so earlier events cannot be renamed: later ones keep the name, and
# the trail of one figure stays one trail (decision 0010).
OUTSIDE_VALUE_RECORD_TYPE = "analytics.outsidevalue"


@transaction.atomic
def outside_value_set(
    *,
    municipality: Municipality,
    key: str,
    year: int,
    value: Decimal,
    source: str,
    source_date: dt.date,
    actor: Any,
    note: str = "",
) -> OutsideValue:
    """Create or replace the value of one indicator for one year; the previous value stays in the audit log."""
    if not can_enter_outside_values(actor) or actor.municipality_id != municipality.pk:
        raise PermissionDenied
    if not source.strip():
        raise ValidationError({"source": _("Say where the figure comes from.")})
    if source_date > dt.date.today():
        raise ValidationError({"source_date": _("The date of the source cannot be in the future.")})
    row = OutsideValue.objects.for_tenant(municipality).filter(key=key, year=year).first()
    before = None if row is None else str(row.value)
    if row is None:
        row = OutsideValue(municipality=municipality, key=key, year=year)
    row.value = value
    row.source = source.strip()[:300]
    row.source_date = source_date
    row.note = note.strip()[:300]
    row.entered_by = actor
    row.full_clean()
    row.save()
    audit_record(
        action="outside_value.set",
        actor=actor,
        obj=row,
        object_type=OUTSIDE_VALUE_RECORD_TYPE,
        changes={"key": key, "year": year, "value": str(value), "previous": before, "source": row.source},
    )
    return row
