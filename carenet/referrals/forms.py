from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from carenet.cases.models import CaseDocument
from carenet.core.capacity import Places, live_places
from carenet.core.models import Organisation
from carenet.directory.models import Service
from carenet.people.fields import DateInput, ScanField

from .models import ReferralOutcome, Urgency


def _set_queryset(form: forms.Form, name: str, queryset: Any) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = queryset


class ServiceChoiceField(forms.ModelChoiceField):
    """Each option names the provider and the places available, so capacity is seen when choosing: counted live
    (a shelter's beds tonight) where a source counts them, else as the provider typed them."""

    _live: dict[Any, Places] | None = None

    def label_from_instance(self, obj: Service) -> str:
        if self._live is None:
            self._live = live_places(municipality=obj.municipality_id)
        live = self._live.get(obj.pk)
        if live is not None:
            obj.places_available = live.free
        places: Any
        if obj.places_available is None:
            places = _("places not tracked")
        elif obj.places_available == 0:
            places = _("full: no place available")
        else:
            places = _("%(count)s places available") % {"count": obj.places_available}
        return f"{obj.name} — {obj.organisation} ({places})"


class ReferralForm(forms.Form):
    service = ServiceChoiceField(label=_("Service"), queryset=Service.plain.none())
    reason = forms.CharField(
        label=_("Reason for the referral"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        help_text=_("What the person needs from this service, in a few sentences."),
    )
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices, initial=Urgency.ROUTINE)
    share_identity = forms.BooleanField(
        label=_("Identity (name, date of birth, sex, national identifier)"), required=False, initial=True
    )
    share_contact = forms.BooleanField(label=_("Contact (address, phone, e-mail)"), required=False, initial=True)
    share_inquiry = forms.BooleanField(label=_("Social inquiry summary (conclusions, risks, housing)"), required=False)
    share_plan = forms.BooleanField(label=_("Individual intervention plan (goals and actions)"), required=False)
    share_special = forms.BooleanField(label=_("Special-category data (health, disability)"), required=False)
    documents = forms.ModelMultipleChoiceField(
        label=_("Documents to share"),
        queryset=CaseDocument.plain.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    consent_given_on = forms.DateField(
        label=_("Consent given today or on (date)"),
        required=False,
        widget=DateInput(),
        help_text=_(
            "When no consent of the person covers the chosen provider: the date the person agreed to this referral. "
            "The consent is recorded with the referral, naming that provider."
        ),
    )
    consent_scan = ScanField(label=_("Signed consent form (scan)"), required=False)
    override_reason = forms.CharField(
        label=_("Emergency override: reason (supervisors only)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,
        help_text=_("Only when there is no consent or legal basis and the person is in danger. Audited and flagged."),
    )

    def __init__(
        self,
        *args: Any,
        services: Any = None,
        documents: Any = None,
        supervisor: bool = False,
        ask_consent: bool = True,
        live: dict[Any, Places] | None = None,
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        if not ask_consent:  # the case records a legal basis: no consent is needed to share
            del self.fields["consent_given_on"]
            del self.fields["consent_scan"]
        _set_queryset(self, "service", services if services is not None else Service.plain.none())
        if live is not None:  # the live places the view already read for its table
            service_field = self.fields["service"]
            assert isinstance(service_field, ServiceChoiceField)
            service_field._live = live
        _set_queryset(self, "documents", documents if documents is not None else CaseDocument.plain.none())
        if documents is None or not documents.exists():
            del self.fields["documents"]
        if not supervisor:
            del self.fields["override_reason"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not any(data.get(f) for f in ("share_identity", "share_contact", "share_inquiry", "share_plan")):
            self.add_error("share_identity", _("Share at least the identity or another part of the dossier."))
        return data


class OverrideForm(forms.Form):
    """Sending a drafted referral: the consent was captured when it was drafted; a supervisor may override."""

    override_reason = forms.CharField(
        label=_("Emergency override: reason (supervisors only)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,
    )


class AcceptForm(forms.Form):
    note = forms.CharField(label=_("Note to the sender (optional)"), max_length=300, required=False)


class DeclineForm(forms.Form):
    reason = forms.CharField(label=_("Reason for declining"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    suggested_service = ServiceChoiceField(
        label=_("Suggested alternative service"), queryset=Service.plain.none(), required=False
    )
    suggested_alternative = forms.CharField(
        label=_("Other suggestion"), max_length=300, required=False, help_text=_("E.g. a provider outside the network.")
    )

    def __init__(self, *args: Any, services: Any = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        _set_queryset(self, "suggested_service", services if services is not None else Service.plain.none())


class CompleteForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=[("", "—"), *ReferralOutcome.choices])
    feedback = forms.CharField(
        label=_("Feedback to the sending provider"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000
    )


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for cancelling"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class TransferForm(forms.Form):
    to_organisation = forms.ModelChoiceField(label=_("New provider"), queryset=Organisation.plain.none())
    reason = forms.CharField(
        label=_("Reason for the transfer"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
    override_reason = forms.CharField(
        label=_("Emergency override: reason (supervisors only)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,
    )

    def __init__(self, *args: Any, organisations: Any = None, supervisor: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        _set_queryset(
            self, "to_organisation", organisations if organisations is not None else Organisation.plain.none()
        )
        if not supervisor:
            del self.fields["override_reason"]


class ResponseTimeForm(forms.Form):
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices)
    days = forms.IntegerField(label=_("Answer within (days)"), min_value=1, max_value=90)
    valid_from = forms.DateField(label=_("Valid from"), widget=DateInput())
