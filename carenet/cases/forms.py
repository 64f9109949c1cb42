from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from carenet.core.models import Organisation
from carenet.directory.models import Service
from carenet.people.fields import DateInput, ScanField

from .models import (
    Assessment,
    AssessmentKind,
    Channel,
    DocumentKind,
    DutyKind,
    Outcome,
    Risk,
    SocialInquiry,
)


class VersionedForm(forms.Form):
    """Carries the case version the user saw; a stale one is refused by the service."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class CaseOpenForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Provider"), queryset=Organisation.plain.none())
    channel = forms.ChoiceField(label=_("How the request came"), choices=Channel.choices)
    opened_on = forms.DateField(label=_("Opened on"), widget=DateInput(), initial=datetime.date.today)
    request_summary = forms.CharField(
        label=_("What is asked"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000, required=False
    )
    referred_by = forms.CharField(
        label=_("Referred by (institution)"),
        max_length=200,
        required=False,
        help_text=_("Required when another institution sent the person."),
    )
    legal_basis = forms.CharField(
        label=_("Legal basis"),
        max_length=300,
        required=False,
        help_text=_(
            "Only for a person your provider does not serve yet and who gave no consent to your provider: the law "
            "that allows the case. A person referred to you: accept the referral and open the case from it."
        ),
    )

    def __init__(self, *args: Any, municipality: Any = None, organisation_ids: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["organisation"]).queryset = Organisation.objects.for_tenant(
            municipality
        ).filter(pk__in=list(organisation_ids))
        if len(organisation_ids) == 1:
            self.fields["organisation"].initial = next(iter(organisation_ids))


class CaseEditForm(VersionedForm):
    request_summary = forms.CharField(
        label=_("What is asked"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000, required=False
    )
    referred_by = forms.CharField(label=_("Referred by (institution)"), max_length=200, required=False)
    legal_basis = forms.CharField(
        label=_("Legal basis for sharing"),
        max_length=300,
        required=False,
        help_text=_("When the record is shared without consent: the law that allows it."),
    )


class InquiryForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    risks = forms.MultipleChoiceField(
        label=_("Risks"), choices=Risk.choices, required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = SocialInquiry
        fields = [
            "visited_on",
            "household_size",
            "household_notes",
            "monthly_income",
            "income_sources",
            "housing",
            "housing_notes",
            "health",
            "education",
            "risks",
            "conclusions",
        ]
        widgets = {
            "visited_on": DateInput(),
            "household_notes": forms.Textarea(attrs={"rows": 3}),
            "housing_notes": forms.Textarea(attrs={"rows": 3}),
            "health": forms.Textarea(attrs={"rows": 3}),
            "education": forms.Textarea(attrs={"rows": 3}),
            "conclusions": forms.Textarea(attrs={"rows": 4}),
        }


class DecisionForm(VersionedForm):
    admitted = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("yes", _("Admitted")), ("no", _("Refused"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    decided_on = forms.DateField(label=_("Decision date"), widget=DateInput(), initial=datetime.date.today)
    refusal_reason = forms.CharField(
        label=_("Reason for refusal"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000
    )
    directed_to = forms.CharField(
        label=_("Directed to"),
        max_length=300,
        required=False,
        help_text=_("Where the person was sent instead (service, institution)."),
    )


class ContractForm(VersionedForm):
    contract_number = forms.CharField(label=_("Contract number"), max_length=40)
    signed_on = forms.DateField(label=_("Signed on"), widget=DateInput(), initial=datetime.date.today)


class PlanForm(forms.Form):
    goals = forms.CharField(label=_("Goals"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000)


class PlanActionForm(forms.Form):
    action = forms.CharField(label=_("Action"), max_length=300)
    responsible = forms.CharField(label=_("Responsible"), max_length=200)
    due_on = forms.DateField(label=_("Due date"), widget=DateInput())
    follow_up_weeks = forms.IntegerField(
        label=_("Follow-up every (weeks)"),
        min_value=1,
        max_value=52,
        required=False,
        help_text=_("Leave empty if no periodic follow-up is needed."),
    )


class AssessmentForm(forms.ModelForm):
    class Meta:
        model = Assessment
        fields = ["kind", "assessed_on", "summary", "progress"]
        widgets = {"assessed_on": DateInput(), "summary": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["kind"]).choices = AssessmentKind.choices
        self.fields["progress"].widget.attrs.update({"min": 0, "max": 100})


class ClosureForm(VersionedForm):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices)
    closure_note = forms.CharField(
        label=_("Situation at closure"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Document type"), choices=DocumentKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    file = ScanField(label=_("File"))


class TaskForm(forms.Form):
    title = forms.CharField(label=_("Task"), max_length=200)
    due_on = forms.DateField(label=_("Due date"), widget=DateInput())


class DutyForm(forms.Form):
    kind = forms.ChoiceField(label=_("Monitoring duty"), choices=DutyKind.choices)
    starts_on = forms.DateField(label=_("From"), widget=DateInput(), initial=datetime.date.today)
    ends_on = forms.DateField(
        label=_("Until"),
        widget=DateInput(),
        required=False,
        help_text=_("After a reintegration: at least 6 months (filled in if left empty)."),
    )
    interval_weeks = forms.IntegerField(label=_("Visit every (weeks)"), min_value=1, max_value=52, initial=4)
    carer_name = forms.CharField(
        label=_("Declared carer"),
        max_length=200,
        required=False,
        help_text=_("For children whose parents work abroad."),
    )
    carer_relation = forms.CharField(label=_("Carer's relation to the child"), max_length=100, required=False)
    parents_country = forms.CharField(label=_("Country where the parents work"), max_length=100, required=False)


class VisitForm(forms.Form):
    visited_on = forms.DateField(label=_("Visit date"), widget=DateInput(), initial=datetime.date.today)
    findings = forms.CharField(label=_("Findings"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)


class DeliveryForm(forms.Form):
    service: forms.ModelChoiceField = forms.ModelChoiceField(label=_("Service"), queryset=Service.plain.none())
    delivered_on = forms.DateField(label=_("Date"), widget=DateInput(), initial=datetime.date.today)
    quantity = forms.DecimalField(
        label=_("Quantity"), min_value=Decimal("0.01"), max_digits=8, decimal_places=2, initial=1
    )
    unit = forms.CharField(label=_("Unit"), max_length=30, initial="act", help_text=_("E.g. act, meal, hour, session."))

    def __init__(self, *args: Any, services: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["service"]).queryset = services


class DocumentTemplateForm(forms.Form):
    body = forms.CharField(
        label=_("Text of the document"),
        widget=forms.Textarea(attrs={"rows": 24, "class": "mono"}),
        help_text=_("HTML: headings, paragraphs, lists and tables. Values are written {{ person.name }}."),
    )
    valid_from = forms.DateField(label=_("In force from"), widget=DateInput())
