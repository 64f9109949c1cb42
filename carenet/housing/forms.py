"""Input shapes of the housing pages (the services validate the rules)."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from carenet.people.models import Household, Person

from .models import (
    AppealOutcome,
    Bed,
    PointsGrid,
    RefusalConsequence,
    RefusalReason,
    TerminationReason,
    TieBreak,
    Utility,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        born = f" ({obj.birth_date.year})" if obj.birth_date else ""
        return f"{obj.last_name} {obj.first_name}{born}"


class ApplicationForm(forms.Form):
    grid = forms.ModelChoiceField(label=_("Points grid"), queryset=PointsGrid.objects.none())
    applicant = PersonChoiceField(label=_("Applicant"), queryset=Person.objects.none())
    household = forms.ModelChoiceField(label=_("Household"), queryset=Household.objects.none(), required=False)
    household_size = forms.IntegerField(label=_("Household size"), min_value=1, max_value=30, initial=1)
    monthly_income = forms.DecimalField(
        label=_("Household monthly income"), min_value=0, max_digits=10, decimal_places=2
    )
    rooms_needed = forms.IntegerField(label=_("Rooms needed"), min_value=1, max_value=10, initial=1)
    needs_accessible = forms.BooleanField(label=_("Needs an accessible dwelling"), required=False)
    filed_on = forms.DateField(label=_("Filed on"), widget=DATE)

    def __init__(self, *args: Any, grids: Any, persons: Any, households: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["grid"].queryset = grids  # type: ignore[attr-defined]
        self.fields["applicant"].queryset = persons  # type: ignore[attr-defined]
        self.fields["household"].queryset = households  # type: ignore[attr-defined]


class GridForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("Title"), max_length=300)
    decision = forms.CharField(label=_("Council decision"), max_length=200, required=False)
    valid_from = forms.DateField(label=_("Valid from"), widget=DATE)
    valid_to = forms.DateField(label=_("Valid until"), widget=DATE, required=False)
    tie_break = forms.ChoiceField(label=_("Tie-break rule"), choices=TieBreak.choices)
    minimum_points = forms.IntegerField(label=_("Minimum points to be ranked"), min_value=0, initial=0)
    refusal_consequence = forms.ChoiceField(
        label=_("Consequence of a refused offer"), choices=RefusalConsequence.choices
    )
    refusals_allowed = forms.IntegerField(label=_("Refusals without consequence"), min_value=0, max_value=10, initial=0)


class CriterionForm(forms.Form):
    code = forms.SlugField(label=_("Code"), max_length=60)
    label = forms.CharField(label=_("Criterion"), max_length=300)
    options = forms.CharField(
        label=_("Answers and points"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One answer per line, its points after an equals sign: “Evicted = 10”."),
    )

    def clean_options(self) -> list[tuple[str, int]]:
        parsed = []
        for number, line in enumerate(self.cleaned_data["options"].splitlines(), start=1):
            if not line.strip():
                continue
            text, sep, points = line.rpartition("=")
            try:
                value = int(points.strip())
            except ValueError:
                value = None
            if not sep or not text.strip() or value is None:
                raise forms.ValidationError(_("Line %(line)s: write “answer = points”.") % {"line": number})
            parsed.append((text.strip(), value))
        if not parsed:
            raise forms.ValidationError(_("Write at least one answer."))
        return parsed


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Document"), max_length=200)
    received_on = forms.DateField(label=_("Received on"), widget=DATE)


class AppealForm(forms.Form):
    filed_on = forms.DateField(label=_("Filed on"), widget=DATE)
    grounds = forms.CharField(label=_("Grounds"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)


class AppealDecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[
            (AppealOutcome.UPHELD, AppealOutcome.UPHELD.label),
            (AppealOutcome.REJECTED, AppealOutcome.REJECTED.label),
        ],
    )
    decided_on = forms.DateField(label=_("Decided on"), widget=DATE)
    note = forms.CharField(
        label=_("Decision"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=4000
    )


class RefuseForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=RefusalReason.choices)


class ContractForm(forms.Form):
    starts_on = forms.DateField(label=_("Starts on"), widget=DATE)
    ends_on = forms.DateField(label=_("Ends on"), widget=DATE)
    rent = forms.DecimalField(label=_("Monthly rent"), min_value=0, max_digits=9, decimal_places=2)


class RenewForm(forms.Form):
    ends_on = forms.DateField(label=_("New term ends on"), widget=DATE)
    rent = forms.DecimalField(label=_("Monthly rent"), min_value=0, max_digits=9, decimal_places=2, required=False)


class TerminateForm(forms.Form):
    on = forms.DateField(label=_("Terminated on"), widget=DATE)
    reason = forms.ChoiceField(
        label=_("Reason"), choices=[c for c in TerminationReason.choices if c[0] != TerminationReason.RENEWED]
    )


class VisitForm(forms.Form):
    visited_on = forms.DateField(label=_("Visited on"), widget=DATE)
    findings = forms.CharField(label=_("Findings"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)


class ConsumptionForm(forms.Form):
    month = forms.DateField(
        label=_("Month"),
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
        input_formats=["%Y-%m", "%Y-%m-%d"],
    )
    utility = forms.ChoiceField(label=_("Utility"), choices=Utility.choices)
    quantity = forms.DecimalField(label=_("Quantity"), min_value=0, max_digits=10, decimal_places=2)
    amount = forms.DecimalField(label=_("Amount billed"), min_value=0, max_digits=10, decimal_places=2, required=False)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Spreadsheet (XLSX or CSV)"))

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > 5 * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        return upload


class CheckInForm(forms.Form):
    bed = forms.ModelChoiceField(label=_("Bed"), queryset=Bed.objects.none())
    person = PersonChoiceField(label=_("Resident"), queryset=Person.objects.none())
    check_in = forms.DateField(label=_("Check-in (evening of)"), widget=DATE)
    check_out = forms.DateField(label=_("Check-out (morning of), if known"), widget=DATE, required=False)
    key = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, beds: Any, persons: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["bed"].queryset = beds  # type: ignore[attr-defined]
        self.fields["person"].queryset = persons  # type: ignore[attr-defined]
        if not self.is_bound:
            self.initial.setdefault("key", uuid.uuid4())


class CheckOutForm(forms.Form):
    on = forms.DateField(label=_("Check-out (morning of)"), widget=DATE)


class WaitingForm(forms.Form):
    person = PersonChoiceField(label=_("Person"), queryset=Person.objects.none())
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args: Any, persons: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = persons  # type: ignore[attr-defined]


class ColdNightForm(forms.Form):
    night = forms.DateField(label=_("Night of"), widget=DATE)
    temperature = forms.DecimalField(label=_("Forecast temperature (°C)"), max_digits=4, decimal_places=1)


class RentPaymentForm(forms.Form):
    month = forms.DateField(
        label=_("Month paid for"),
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
        input_formats=["%Y-%m", "%Y-%m-%d"],
    )
    amount = forms.DecimalField(label=_("Amount paid"), max_digits=9, decimal_places=2)
    paid_on = forms.DateField(label=_("Paid on"), widget=DATE)
    receipt_number = forms.CharField(label=_("Receipt number"), max_length=40)
