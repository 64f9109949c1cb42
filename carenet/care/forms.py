"""Input shapes of the care pages (the services validate the rules)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import CareKind

WEEKDAYS = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]
LANGUAGE_CHOICES = [
    ("ro", _("Romanian")),
    ("hu", _("Hungarian")),
    ("ru", _("Russian")),
    ("uk", _("Ukrainian")),
    ("en", _("English")),
    ("de", _("German")),
]


class TimeInput(forms.TimeInput):
    input_type = "time"


class CareRequestForm(forms.Form):
    cared_for_name = forms.CharField(label=_("Name of the person cared for"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind of care"), choices=CareKind.choices, widget=forms.RadioSelect)
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Which days?"), coerce=int, choices=WEEKDAYS, widget=forms.CheckboxSelectMultiple
    )
    start_time = forms.TimeField(label=_("From what time?"), widget=TimeInput)
    hours = forms.DecimalField(label=_("For how many hours?"), min_value=0.5, max_value=12, decimal_places=1)
    area = forms.ChoiceField(label=_("Neighbourhood"))
    address = forms.CharField(label=_("Address"), max_length=300)
    language = forms.ChoiceField(label=_("Preferred language"), choices=[("", "—"), *LANGUAGE_CHOICES], required=False)
    needs = forms.CharField(
        label=_("What help is needed?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The caregiver reads this only after you both confirm the booking."),
    )
    contact_phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    consent = forms.BooleanField(
        label=_(
            "The person cared for (or their representative) agrees that these details are used to find a caregiver"
        ),
    )

    def __init__(self, *args: Any, areas: dict[str, tuple[str, float, float]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.areas = areas or {}
        self.fields["area"].choices = [("", "—"), *[(k, v[0]) for k, v in self.areas.items()]]  # type: ignore[attr-defined]


class CaregiverForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    organisation = forms.ChoiceField(label=_("Organisation"))
    kinds = forms.MultipleChoiceField(
        label=_("Kinds of care"), choices=CareKind.choices, widget=forms.CheckboxSelectMultiple
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages"), choices=LANGUAGE_CHOICES, widget=forms.CheckboxSelectMultiple
    )
    qualifications = forms.CharField(label=_("Qualifications"), max_length=300, required=False)
    training_certificate = forms.CharField(
        label=_("Caregiver training certificate (code)"),
        max_length=20,
        required=False,
        help_text=_("The code on the certificate of a training-platform course that counts as the caregiver training."),
    )
    area = forms.ChoiceField(label=_("Lives in (neighbourhood)"))
    travel_km = forms.DecimalField(label=_("Travels up to (km)"), min_value=0.5, max_value=50, initial=5)

    def __init__(self, *args: Any, organisations: Any = (), areas: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisations = {str(o.pk): o for o in organisations}
        self.areas = areas or {}
        self.fields["organisation"].choices = [(str(o.pk), o.name) for o in organisations]  # type: ignore[attr-defined]
        self.fields["area"].choices = [(k, v[0]) for k, v in self.areas.items()]  # type: ignore[attr-defined]


class RatingForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("Rating"), coerce=int, choices=[(n, str(n)) for n in range(5, 0, -1)], widget=forms.RadioSelect
    )
    comment = forms.CharField(label=_("Comment"), max_length=500, required=False)


class ComplaintForm(forms.Form):
    text = forms.CharField(label=_("What happened?"), widget=forms.Textarea(attrs={"rows": 3}), max_length=3000)


class ResolveForm(forms.Form):
    resolution = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs={"rows": 2}), max_length=3000)


class StaffCareRequestForm(CareRequestForm):
    """A social worker enters a request for a registry person (the person's consent is checked by the service)."""

    organisation = forms.ChoiceField(label=_("Organisation"))

    def __init__(self, *args: Any, organisations: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisations = {str(o.pk): o for o in organisations}
        self.fields["organisation"].choices = [(str(o.pk), o.name) for o in organisations]  # type: ignore[attr-defined]


class TrainingCertificateForm(forms.Form):
    code = forms.CharField(label=_("Certificate code"), max_length=20)


class DateInput(forms.DateInput):
    input_type = "date"


class AbsenceForm(forms.Form):
    """The caregiver says ahead they cannot come on a date (the service checks a visit is due then)."""

    date = forms.DateField(label=_("I cannot come on"), widget=DateInput)
    note = forms.CharField(
        label=_("Why (optional)"),
        max_length=200,
        required=False,
        help_text=_("Only the care coordinator reads this."),
    )
