from __future__ import annotations

import datetime
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from carenet.core.models import Organisation

from .fields import DateInput, ScanField
from .models import (
    AccessPurpose,
    Consent,
    ConsentPurpose,
    DocumentKind,
    Household,
    HouseholdRole,
    IdentityDocument,
    Person,
    SensitiveProfile,
)
from .services import validate_identifier


class PersonForm(forms.ModelForm):
    class Meta:
        model = Person
        fields = [
            "first_name",
            "last_name",
            "other_spellings",
            "sex",
            "birth_date",
            "identifier_kind",
            "national_id",
            "document_status",
            "address",
            "area",
            "phone",
            "email",
        ]
        widgets = {"birth_date": DateInput()}

    def __init__(self, *args: Any, municipality: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from carenet.geo.models import Area

        area_field = cast(forms.ModelChoiceField, self.fields["area"])
        area_field.queryset = Area.objects.for_tenant(municipality) if municipality else Area.plain.none()
        self.fields["national_id"].widget.attrs.update({"inputmode": "numeric", "autocomplete": "off"})
        self.fields["birth_date"].required = False

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind, value = data.get("identifier_kind") or "", (data.get("national_id") or "").strip()
        data["national_id"] = value
        if value:
            try:
                validate_identifier(kind=kind, value=value)
            except ValidationError as exc:
                for field, messages in exc.message_dict.items():
                    self.add_error(field, messages)
        born = data.get("birth_date")
        if born and born > datetime.date.today():
            self.add_error("birth_date", _("The date of birth cannot be in the future."))
        return data


class ConfirmNewPersonForm(forms.Form):
    confirm_new = forms.BooleanField(label=_("None of these is the person: register a new record"), required=False)
    reason = forms.CharField(
        label=_("Why is this not the person already registered?"),
        max_length=200,
        required=False,
        help_text=_("Required after a probable duplicate; recorded in the audit log."),
    )


class NotSamePersonForm(forms.Form):
    person = forms.UUIDField(widget=forms.HiddenInput)
    other = forms.UUIDField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Why are these two persons?"), max_length=300, required=False)


class SensitiveForm(forms.ModelForm):
    class Meta:
        model = SensitiveProfile
        fields = ["disability_degree", "disability_type", "health_notes", "ethnicity", "violence_history"]
        widgets = {
            "health_notes": forms.Textarea(attrs={"rows": 3}),
            "violence_history": forms.Textarea(attrs={"rows": 3}),
        }


class ConsentForm(forms.Form):
    purpose = forms.ChoiceField(label=_("Purpose"), choices=ConsentPurpose.choices)
    scope = forms.ModelMultipleChoiceField(
        label=_("Providers it covers"),
        queryset=Organisation.plain.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave empty if the consent is not about sharing with other providers."),
    )
    given_on = forms.DateField(label=_("Given on"), widget=DateInput(), initial=datetime.date.today)
    scan = ScanField(label=_("Signed form (scan)"), required=False)

    def __init__(self, *args: Any, municipality: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelMultipleChoiceField, self.fields["scope"]).queryset = (
            Organisation.objects.for_tenant(municipality).filter(is_provider=True, is_active=True)
            if municipality
            else Organisation.plain.none()
        )

    def clean_given_on(self) -> datetime.date:
        value = self.cleaned_data["given_on"]
        if value > datetime.date.today():
            raise ValidationError(_("The date cannot be in the future."))
        return value


class ConsentWithdrawForm(forms.Form):
    withdrawn_on = forms.DateField(label=_("Withdrawn on"), widget=DateInput(), initial=datetime.date.today)


class IdentityDocumentForm(forms.ModelForm):
    class Meta:
        model = IdentityDocument
        fields = ["kind", "series_number", "issued_on", "expires_on"]
        widgets = {"issued_on": DateInput(), "expires_on": DateInput()}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("issued_on") and data.get("expires_on") and data["expires_on"] < data["issued_on"]:
            self.add_error("expires_on", _("The document cannot expire before it was issued."))
        return data


class HouseholdForm(forms.Form):
    household = forms.ModelChoiceField(
        label=_("Existing household"),
        queryset=Household.plain.none(),
        required=False,
        help_text=_("Leave empty to start a new household."),
    )
    household_name = forms.CharField(
        label=_("Name of the new household"), max_length=200, required=False, help_text=_("Usually the family name.")
    )
    role = forms.ChoiceField(label=_("Role in the household"), choices=HouseholdRole.choices)

    def __init__(self, *args: Any, households: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if households is not None:
            cast(forms.ModelChoiceField, self.fields["household"]).queryset = households


class MergeForm(forms.Form):
    duplicate = forms.UUIDField(
        label=_("Identifier of the duplicate record"),
        help_text=_("The other record of the same person; it will be merged into this one."),
    )
    reason = forms.CharField(label=_("Why these records are the same person"), max_length=200)


__all__ = ["Consent", "DocumentKind"]


class AccessPurposeForm(forms.Form):
    """Why the user opens a person outside their caseload (sent with GET: the page is a read, not a change)."""

    purpose = forms.ChoiceField(label=_("Purpose of access"), choices=AccessPurpose.choices, widget=forms.RadioSelect)
    note = forms.CharField(label=_("The reason, in a few words"), max_length=150, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("purpose") == AccessPurpose.OTHER and not (data.get("note") or "").strip():
            self.add_error("note", _("Write the reason."))
        return data

    def stored(self) -> str:
        """The audit's purpose column: the code, and for "other" the words after it (``other: …``)."""
        code = self.cleaned_data["purpose"]
        note = " ".join((self.cleaned_data.get("note") or "").split())
        return f"{code}: {note}"[:200] if code == AccessPurpose.OTHER else code


class AccessReportForm(forms.Form):
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("To"), required=False, widget=DateInput())
