"""Input shapes of the volunteering pages (the services validate the rules)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import CheckStatus, OpportunityKind

WEEKDAYS = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]


class DateInput(forms.DateInput):
    input_type = "date"


class TimeInput(forms.TimeInput):
    input_type = "time"


class SignUpForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    birth_date = forms.DateField(label=_("Date of birth"), widget=DateInput)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    skills = forms.MultipleChoiceField(
        label=_("What can you do?"), required=False, widget=forms.CheckboxSelectMultiple, choices=[]
    )
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Which days are you free?"),
        required=False,
        coerce=int,
        choices=WEEKDAYS,
        widget=forms.CheckboxSelectMultiple,
    )
    guardian_name = forms.CharField(label=_("Parent or guardian (volunteers under 18)"), max_length=200, required=False)
    guardian_consent = forms.BooleanField(label=_("My parent or guardian agrees that I volunteer"), required=False)

    def __init__(self, *args: Any, skills: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["skills"].choices = [(s.code, s.name) for s in skills]  # type: ignore[attr-defined]


class OpportunityForm(forms.Form):
    organisation = forms.ChoiceField(label=_("Organisation"))
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    kind = forms.ChoiceField(label=_("Kind"), choices=OpportunityKind.choices)
    starts_on = forms.DateField(label=_("First day"), widget=DateInput)
    ends_on = forms.DateField(label=_("Last day"), widget=DateInput, required=False)
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Days of the week (recurring)"),
        required=False,
        coerce=int,
        choices=WEEKDAYS,
        widget=forms.CheckboxSelectMultiple,
    )
    start_time = forms.TimeField(label=_("From"), required=False, widget=TimeInput)
    end_time = forms.TimeField(label=_("To"), required=False, widget=TimeInput)
    place = forms.CharField(label=_("Place"), max_length=300, required=False)
    skills = forms.MultipleChoiceField(
        label=_("Skills wanted"), required=False, widget=forms.CheckboxSelectMultiple, choices=[]
    )
    spots = forms.IntegerField(label=_("Places"), min_value=1, max_value=500, initial=1)
    with_vulnerable = forms.BooleanField(label=_("Work with children or vulnerable adults"), required=False)
    civic = forms.BooleanField(label=_("Civic action open to vulnerable groups"), required=False)

    def __init__(self, *args: Any, organisations: Any = (), skills: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisations = {str(o.pk): o for o in organisations}
        self.fields["organisation"].choices = [(str(o.pk), o.name) for o in organisations]  # type: ignore[attr-defined]
        self.fields["skills"].choices = [(s.code, s.name) for s in skills]  # type: ignore[attr-defined]


class CheckForm(forms.Form):
    background_check = forms.ChoiceField(label=_("Background check"), choices=CheckStatus.choices)
    checked_on = forms.DateField(label=_("Checked on"), widget=DateInput, required=False)


class CertificateForm(forms.Form):
    period_from = forms.DateField(label=_("From"), widget=DateInput)
    period_to = forms.DateField(label=_("To"), widget=DateInput)


class HoursForm(forms.Form):
    hours = forms.DecimalField(label=_("Hours"), min_value=0, max_value=16, decimal_places=2, required=False)


class RewardForm(forms.Form):
    partner = forms.ChoiceField(label=_("Partner"))
    title = forms.CharField(label=_("Reward"), max_length=200)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    cost = forms.IntegerField(label=_("Points"), min_value=1, max_value=100000)
    stock = forms.IntegerField(label=_("In stock"), min_value=0, max_value=100000)
    valid_to = forms.DateField(label=_("Offered until"), widget=DateInput, required=False)

    def __init__(self, *args: Any, partners: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.partners = {str(o.pk): o for o in partners}
        self.fields["partner"].choices = [(str(o.pk), o.name) for o in partners]  # type: ignore[attr-defined]


class CodeForm(forms.Form):
    code = forms.CharField(label=_("Code shown by the volunteer"), max_length=30)


class VerifyForm(forms.Form):
    code = forms.CharField(label=_("Verification code"), max_length=30)
