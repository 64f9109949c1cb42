"""Input shapes of the plan-table import: the upload with the plan's code, title and years; the mapping."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .table_import import PLAN_FIELDS, PlanTable

SAMPLE_ROWS = 5


class TableUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("The plan's table"),
        help_text=gettext_lazy("The council's DOCX or XLSX file (or CSV), up to 5 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.docx,.csv"}),
    )
    table_index = forms.IntegerField(
        label=gettext_lazy("Table number in the document"),
        help_text=gettext_lazy("Leave empty to take the biggest table (or sheet)."),
        min_value=1,
        max_value=200,
        required=False,
    )
    code = forms.SlugField(
        label=gettext_lazy("Plan code"),
        max_length=60,
        help_text=gettext_lazy("Importing again with the same code replaces the plan while it has no reports."),
    )
    title = forms.CharField(label=gettext_lazy("Plan title"), max_length=500)
    start_year = forms.IntegerField(label=gettext_lazy("First year"), min_value=2000, max_value=2100)
    end_year = forms.IntegerField(label=gettext_lazy("Last year"), min_value=2000, max_value=2100)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            year = datetime.date.today().year
            self.initial.setdefault("start_year", year)
            self.initial.setdefault("end_year", year + 2)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start_year"), data.get("end_year")
        if start and end and end < start:
            self.add_error("end_year", _("The last year must not come before the first."))
        return data


def column_label(index: int, header: str) -> str:
    letters = ""
    n = index + 1
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(65 + rest) + letters
    return f"{letters} · {header[:60]}"


class TableMappingForm(forms.Form):
    """One select per plan field, its choices the table's columns."""

    def __init__(self, *args: Any, table: PlanTable, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", _("— not in the table —"))] + [
            (str(i), column_label(i, h)) for i, h in enumerate(table.headers)
        ]
        for key, label in PLAN_FIELDS:
            self.fields[key] = forms.TypedChoiceField(
                label=label, choices=choices, coerce=int, required=False, empty_value=None
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        taken: dict[int, str] = {}
        for key, label in PLAN_FIELDS:
            column = data.get(key)
            if column is None:
                continue
            if column in taken:
                self.add_error(key, _("This column is already mapped to “%(field)s”.") % {"field": taken[column]})
            else:
                taken[column] = str(label)
        return data

    def mapping(self) -> dict[str, int]:
        return {key: self.cleaned_data[key] for key, _label in PLAN_FIELDS if self.cleaned_data.get(key) is not None}
