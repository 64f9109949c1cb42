from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from carenet.core.models import Organisation
from carenet.directory.models import Service
from carenet.people.fields import DateInput, ScanField

from .models import (
    DOMAINS_OF_VARIANT,
    Assessment,
    AssessmentKind,
    AssessmentVariant,
    Channel,
    DocumentKind,
    Domain,
    DutyKind,
    Outcome,
    Risk,
    RiskLevel,
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
    review_on = forms.DateField(
        label=_("Review the plan on"),
        widget=DateInput(),
        required=False,
        help_text=_("When the plan is reviewed with the person."),
    )


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.get_full_name() or obj.get_username()


class PlanActionForm(forms.Form):
    action = forms.CharField(label=_("Action"), max_length=300)
    service: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Through the service"),
        queryset=Service.plain.none(),
        required=False,
        help_text=_("The service of the network that carries out this action, if any."),
    )
    staff: forms.ModelChoiceField = StaffChoiceField(
        label=_("Member of staff"), queryset=get_user_model().objects.none(), required=False
    )
    responsible = forms.CharField(
        label=_("Responsible"),
        max_length=200,
        required=False,
        help_text=_("Someone outside the provider (the person, a relative, another institution)."),
    )
    due_on = forms.DateField(label=_("Due date"), widget=DateInput())
    follow_up_weeks = forms.IntegerField(
        label=_("Follow-up every (weeks)"),
        min_value=1,
        max_value=52,
        required=False,
        help_text=_("Leave empty if no periodic follow-up is needed."),
    )

    def __init__(self, *args: Any, services: Any = None, staff: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if services is not None:
            cast(forms.ModelChoiceField, self.fields["service"]).queryset = services
        if staff is not None:
            cast(forms.ModelChoiceField, self.fields["staff"]).queryset = staff

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("staff") and not (data.get("responsible") or "").strip():
            self.add_error("responsible", _("Name who is responsible: a member of staff or someone else."))
        return data


class PlanReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("What must change in the plan"), widget=forms.Textarea(attrs={"rows": 4}), max_length=1000
    )


RISK_LEVEL_CHOICES = [("", _("Not assessed")), *[(str(v), label) for v, label in RiskLevel.choices]]


class AssessmentForm(forms.ModelForm):
    """An assessment; with ``variant``, a risk level and a note for every domain of that assessment form."""

    class Meta:
        model = Assessment
        fields = ["kind", "assessed_on", "summary", "progress"]
        widgets = {"assessed_on": DateInput(), "summary": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, variant: str = AssessmentVariant.GENERAL, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.variant = variant
        cast(forms.ChoiceField, self.fields["kind"]).choices = AssessmentKind.choices
        self.fields["progress"].widget.attrs.update({"min": 0, "max": 100})
        labels = dict(Domain.choices)
        for domain in DOMAINS_OF_VARIANT[variant]:
            self.fields[f"level_{domain}"] = forms.TypedChoiceField(
                label=labels[domain], choices=RISK_LEVEL_CHOICES, coerce=int, empty_value=None, required=False
            )
            self.fields[f"note_{domain}"] = forms.CharField(
                label=_("What was found: %(domain)s") % {"domain": labels[domain]},
                max_length=500,
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for domain in DOMAINS_OF_VARIANT[self.variant]:
            if data.get(f"level_{domain}") is None and (data.get(f"note_{domain}") or "").strip():
                self.add_error(f"level_{domain}", _("Choose a risk level for what was found."))
        return data

    def service_arguments(self) -> dict[str, Any]:
        """The cleaned data as ``services.assessment_record`` takes it."""
        data = self.cleaned_data
        ratings = {
            domain: (data[f"level_{domain}"], data.get(f"note_{domain}") or "")
            for domain in DOMAINS_OF_VARIANT[self.variant]
            if data.get(f"level_{domain}") is not None
        }
        return {
            "kind": data["kind"],
            "assessed_on": data["assessed_on"],
            "summary": data["summary"],
            "progress": data.get("progress"),
            "variant": self.variant,
            "ratings": ratings,
        }


class ChildAssessmentForm(AssessmentForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["variant"] = AssessmentVariant.CHILD
        super().__init__(*args, **kwargs)


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
