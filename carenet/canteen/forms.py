"""Input shapes of the canteen's pages (the services validate the rules)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from carenet.core.models import Organisation

from .models import AidItem, AidUnit, CanteenUnit, ReverificationOutcome
from .services import DOCUMENT_LABELS, REFUSAL_REASONS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _set_queryset(form: forms.Form, name: str, queryset: Any) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = queryset


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        born = f" ({obj.birth_date:%Y})" if obj.birth_date else ""
        return f"{obj.last_name} {obj.first_name}{born}"


class ApplicationForm(forms.Form):
    person = PersonChoiceField(label=_("Person"), queryset=Organisation.objects.none())
    organisation = forms.ModelChoiceField(label=_("Handled by"), queryset=Organisation.objects.none())
    unit = forms.ModelChoiceField(label=_("Canteen unit"), queryset=CanteenUnit.objects.none(), required=False)
    received_on = forms.DateField(label=_("Received on"), widget=DATE)
    requested_category = forms.ChoiceField(label=_("Category asked for"), choices=())
    household_size = forms.IntegerField(label=_("Persons in the household"), min_value=1, max_value=30, initial=1)
    household_income = forms.DecimalField(
        label=_("Net monthly income of the household"), min_value=0, max_digits=12, decimal_places=2, initial=0
    )
    in_full_time_education = forms.BooleanField(label=_("In full-time education"), required=False)
    long_studies = forms.BooleanField(label=_("Higher studies longer than 5 years"), required=False)
    is_pensioner = forms.BooleanField(label=_("Pensioner"), required=False)
    of_pension_age = forms.BooleanField(label=_("Has reached pension age"), required=False)
    isolated_or_unsupported = forms.BooleanField(
        label=_("Socially isolated, without legal supporters or without income"), required=False
    )
    invalid_or_chronic = forms.BooleanField(label=_("Invalid or chronically ill"), required=False)
    temporarily_no_income = forms.BooleanField(label=_("Temporarily without income"), required=False)
    lunch = forms.BooleanField(label=_("Lunch"), required=False, initial=True)
    dinner = forms.BooleanField(label=_("Dinner"), required=False, initial=True)
    home_delivery = forms.BooleanField(label=_("Delivered at home"), required=False)
    documents = forms.MultipleChoiceField(
        label=_("Documents received"),
        choices=list(DOCUMENT_LABELS.items()),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, persons: Any, organisations: Any, units: Any, categories: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        _set_queryset(self, "person", persons)
        _set_queryset(self, "organisation", organisations)
        _set_queryset(self, "unit", units)
        category = self.fields["requested_category"]
        assert isinstance(category, forms.ChoiceField)
        category.choices = [(c.code, f"{c.code}) {c.name[:90]}") for c in categories]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("lunch") and not data.get("dinner"):
            self.add_error("lunch", _("Choose lunch, dinner or both."))
        return data


class ApproveForm(forms.Form):
    valid_from = forms.DateField(label=_("From"), widget=DATE)
    valid_to = forms.DateField(label=_("Until"), widget=DATE)
    unit = forms.ModelChoiceField(label=_("Canteen unit"), queryset=CanteenUnit.objects.none())

    def __init__(self, *args: Any, units: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        _set_queryset(self, "unit", units)


class RefuseForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Legal reason"),
        choices=[("", _("The eligibility's own reason")), *REFUSAL_REASONS.items()],
        required=False,
    )


class MonthForm(forms.Form):
    month = forms.DateField(label=_("Month"), input_formats=["%Y-%m"], widget=forms.DateInput(attrs={"type": "month"}))


class PaymentForm(forms.Form):
    month = forms.DateField(
        label=_("Month paid for"), input_formats=["%Y-%m"], widget=forms.DateInput(attrs={"type": "month"})
    )
    amount = forms.DecimalField(label=_("Amount paid"), min_value=Decimal("0.01"), max_digits=10, decimal_places=2)
    paid_on = forms.DateField(label=_("Paid on"), widget=DATE)
    receipt = forms.CharField(label=_("Receipt number"), max_length=40, required=False)


class RulesForm(forms.Form):
    valid_from = forms.DateField(
        label=_("In force from"), widget=DATE, help_text=_("The rules in force until then end the day before.")
    )
    law = forms.CharField(label=_("Legal basis"), max_length=300, required=False)
    threshold = forms.DecimalField(
        label=_("Income threshold per person (monthly)"), min_value=0, max_digits=10, decimal_places=2, required=False
    )
    meal_allowance = forms.DecimalField(
        label=_("Food allowance per meal"), min_value=0, max_digits=8, decimal_places=2, required=False
    )
    contribution_rate = forms.DecimalField(
        label=_("Contribution above the threshold (share of the income per person)"),
        min_value=0,
        max_value=1,
        max_digits=4,
        decimal_places=3,
        required=False,
        help_text=_("0.30 is 30 %."),
    )
    decision_term_days = forms.IntegerField(
        label=_("Term of the decision (days)"), min_value=1, max_value=365, required=False
    )
    meals_per_day = forms.IntegerField(label=_("Meals a day"), min_value=1, max_value=3)
    reverify_months = forms.IntegerField(
        label=_("Re-verify the file every (months)"), min_value=1, max_value=60, required=False
    )
    currency = forms.ChoiceField(label=_("Currency"), choices=[("RON", "RON"), ("MDL", "MDL"), ("EUR", "EUR")])


class ReverifyForm(forms.Form):
    verified_on = forms.DateField(label=_("Verified on"), widget=DATE)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=ReverificationOutcome.choices, widget=forms.RadioSelect)
    note = forms.CharField(
        label=_("What was checked"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Incomes, household, situation: what was seen and with which documents."),
    )
    ends_on = forms.DateField(
        label=_("The decision ends on"), widget=DATE, required=False, help_text=_("Only when no longer entitled.")
    )

    def __init__(self, *args: Any, can_end: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not can_end:  # ending a decision is the office manager's or the coordinator's decision
            field = self.fields["outcome"]
            assert isinstance(field, forms.ChoiceField)
            field.choices = [(ReverificationOutcome.CONFIRMED, ReverificationOutcome.CONFIRMED.label)]
            del self.fields["ends_on"]


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200)


class AidAllocationForm(forms.Form):
    person = PersonChoiceField(label=_("Person"), queryset=Organisation.objects.none())
    item = forms.ChoiceField(label=_("Item"), choices=AidItem.choices)
    quantity = forms.DecimalField(label=_("Quantity"), min_value=0, max_digits=8, decimal_places=2)
    unit = forms.ChoiceField(label=_("Unit"), choices=AidUnit.choices)
    confirmed = forms.BooleanField(label=_("I confirm a quantity above the usual"), required=False)

    def __init__(self, *args: Any, persons: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        _set_queryset(self, "person", persons)


class DriverChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.get_full_name() or obj.username


class RoundForm(forms.Form):
    """A home-delivery round: its name and driver (the unit's or the office's staff)."""

    name = forms.CharField(label=_("Name of the round"), max_length=120)
    driver = DriverChoiceField(label=_("Driver"), queryset=Organisation.objects.none(), required=False)
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args: Any, drivers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_queryset(self, "driver", drivers)


class DecisionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.person.last_name} {obj.person.first_name} · {obj.number}"


class StopAddForm(forms.Form):
    """Put a person delivered at home on the round (the decisions no round carries yet)."""

    decision = DecisionChoiceField(label=_("Person"), queryset=Organisation.objects.none())
    note = forms.CharField(label=_("Note for the driver"), max_length=200, required=False)

    def __init__(self, *args: Any, decisions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_queryset(self, "decision", decisions)
