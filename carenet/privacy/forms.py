from __future__ import annotations

import datetime

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Action, RecordKind, RequestKind


class DateInput(forms.DateInput):
    input_type = "date"


class ExportForm(forms.Form):
    language = forms.ChoiceField(label=_("Language of the document"), choices=settings.LANGUAGES)


class RequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("Request"), choices=RequestKind.choices)
    received_on = forms.DateField(label=_("Received on"), widget=DateInput, initial=timezone.localdate)
    details = forms.CharField(label=_("What the person asks"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    first_name = forms.CharField(label=_("Corrected first name"), required=False, max_length=100)
    last_name = forms.CharField(label=_("Corrected last name"), required=False, max_length=100)
    other_spellings = forms.CharField(label=_("Corrected other spellings"), required=False, max_length=300)
    birth_date = forms.DateField(label=_("Corrected date of birth"), required=False, widget=DateInput)
    address = forms.CharField(label=_("Corrected address"), required=False, max_length=300)
    phone = forms.CharField(label=_("Corrected phone"), required=False, max_length=40)
    email = forms.EmailField(label=_("Corrected e-mail"), required=False)

    CORRECTION_FIELDS = ("first_name", "last_name", "other_spellings", "birth_date", "address", "phone", "email")

    def corrections(self) -> dict[str, object]:
        return {name: self.cleaned_data.get(name) for name in self.CORRECTION_FIELDS if self.cleaned_data.get(name)}


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("grant", _("Grant and carry out")), ("refuse", _("Refuse"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class HoldForm(forms.Form):
    reason = forms.CharField(
        label=_("Why must the records be kept?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("E.g. the court case or inquiry, with its number."),
    )


class RuleForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of record"), choices=RecordKind.choices)
    keep_years = forms.IntegerField(label=_("Kept for (years)"), min_value=0, max_value=100)
    action = forms.ChoiceField(label=_("Then"), choices=Action.choices)
    legal_ground = forms.CharField(label=_("Legal ground"), max_length=500)
    valid_from = forms.DateField(label=_("Valid from"), widget=DateInput, initial=lambda: datetime.date.today())


class DeadlineForm(forms.Form):
    days = forms.IntegerField(label=_("Days to decide a request"), min_value=1, max_value=365)
    legal_ground = forms.CharField(label=_("Legal ground"), max_length=500)
    valid_from = forms.DateField(label=_("Valid from"), widget=DateInput, initial=lambda: datetime.date.today())
