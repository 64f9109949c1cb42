"""Input shapes of the campaigns' pages (the services validate the rules)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import THERMAL_LEVELS, AlertCode, CampaignKind, Centre, CentreKind, KitKind, LegalGround

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class CampaignForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=CampaignKind.choices)
    alert_code = forms.ChoiceField(label=_("Alert code"), choices=AlertCode.choices)
    alert_reference = forms.CharField(
        label=_("Alert as issued"),
        max_length=300,
        required=False,
        help_text=_("As the meteorological service issued it (number, date, zone)."),
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    starts_at = forms.DateTimeField(label=_("Alert starts"), widget=DATETIME, input_formats=["%Y-%m-%dT%H:%M"])
    ends_at = forms.DateTimeField(label=_("Alert ends"), widget=DATETIME, input_formats=["%Y-%m-%dT%H:%M"])
    workers = forms.MultipleChoiceField(
        label=_("Workers and volunteers who call"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, callers: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        workers: Any = self.fields["workers"]
        workers.choices = [(str(u.pk), u.get_full_name() or u.username) for u in callers]


class RegisterAddForm(forms.Form):
    person = forms.UUIDField(label=_("Person (registry id)"))
    legal_ground = forms.ChoiceField(label=_("Legal ground"), choices=LegalGround.choices)
    consent_on = forms.DateField(label=_("Consent given on"), required=False, widget=DATE)
    legal_basis = forms.CharField(label=_("Law"), max_length=300, required=False)
    note = forms.CharField(label=_("Note (who asked, why)"), max_length=300, required=False)


class RuleForm(forms.Form):
    code = forms.SlugField(label=_("Code"), max_length=60)
    name = forms.CharField(label=_("Name"), max_length=200)
    min_age = forms.IntegerField(label=_("Aged at least"), min_value=0, max_value=120, required=False)
    living_alone = forms.BooleanField(label=_("Living alone"), required=False)
    disability = forms.BooleanField(label=_("With a disability"), required=False)
    chronic_illness = forms.BooleanField(label=_("With a chronic illness"), required=False)
    income_below = forms.DecimalField(
        label=_("Household income per month below"), min_value=0, max_digits=10, decimal_places=2, required=False
    )
    no_phone = forms.BooleanField(label=_("Without a phone"), required=False)
    hotspot = forms.BooleanField(label=_("Living in a heat hotspot"), required=False)
    thermal_risk_from = forms.TypedChoiceField(
        label=_("Thermal risk found by the latest needs assessment, at least"),
        choices=[("", _("Not a condition")), *[(str(level), label) for level, label in THERMAL_LEVELS]],
        coerce=int,
        empty_value=None,
        required=False,
    )
    legal_ground = forms.ChoiceField(
        label=_("Legal ground"),
        choices=[
            (LegalGround.PUBLIC_TASK, LegalGround.PUBLIC_TASK.label),
            (LegalGround.VITAL_INTEREST, LegalGround.VITAL_INTEREST.label),
        ],
    )
    legal_basis = forms.CharField(label=_("Law"), max_length=300, required=False)
    valid_from = forms.DateField(label=_("Valid from"), widget=DATE)
    valid_to = forms.DateField(label=_("Valid until"), required=False, widget=DATE)


class HeatLayerForm(forms.Form):
    name = forms.CharField(label=_("Name of the layer"), max_length=200)
    file = forms.FileField(
        label=_("GeoJSON file"), help_text=_("Polygons with the properties “name” and “intensity” (0 to 1).")
    )
    source_note = forms.CharField(label=_("Source"), max_length=300, required=False)
    observed_on = forms.DateField(label=_("Observed on"), required=False, widget=DATE)
    is_approximate = forms.BooleanField(label=_("Approximate (not a measurement)"), required=False)


class LocationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        address = ", ".join(part for part in (obj.address_1, obj.city) if part)
        return f"{obj.name} ({address})" if address else obj.name


class CentreForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=CentreKind.choices)
    name = forms.CharField(label=_("Name"), max_length=200)
    location = LocationChoiceField(
        label=_("Place in the directory"),
        queryset=Centre.objects.none(),
        required=False,
        help_text=_("The centre shows the address of its place in the directory, as its provider keeps it."),
    )
    address = forms.CharField(
        label=_("Address"),
        max_length=300,
        required=False,
        help_text=_("Only when the place is not in the directory, or to give a more precise address."),
    )
    capacity = forms.IntegerField(label=_("Capacity (persons)"), min_value=1, max_value=100000, required=False)
    hours = forms.CharField(label=_("Opening hours"), max_length=200, required=False)
    is_open = forms.BooleanField(label=_("Open during alerts"), required=False, initial=True)

    def __init__(self, *args: Any, locations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["location"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = locations


class VisitsForm(forms.Form):
    day = forms.DateField(label=_("Day"), widget=DATE)
    visitors = forms.IntegerField(label=_("Visitors"), min_value=0, max_value=1000000)
    beneficiaries = forms.IntegerField(
        label=_("Of them, persons of the register"), min_value=0, max_value=1000000, initial=0
    )


class KitForm(forms.Form):
    person = forms.UUIDField(label=_("Person (registry id)"))
    kind = forms.ChoiceField(label=_("Kit"), choices=KitKind.choices)
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, max_value=100, initial=1)


TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class MessagingSettingsForm(forms.Form):
    """The tenant's SMS and voice rules, from a date (the services keep the ladder as it is)."""

    sms_enabled = forms.BooleanField(
        label=_("Send an SMS to persons of the register with a mobile phone"), required=False
    )
    voice_enabled = forms.BooleanField(
        label=_("Call by automated voice persons with a fixed line or who need voice"), required=False
    )
    voice_attempts = forms.IntegerField(label=_("Automated calls to a person at most"), min_value=1, max_value=5)
    quiet_from = forms.TimeField(label=_("No messages or calls from"), required=False, widget=TIME)
    quiet_to = forms.TimeField(label=_("No messages or calls until"), required=False, widget=TIME)
    valid_from = forms.DateField(label=_("Valid from"), widget=DATE)


class RegisterReachForm(forms.Form):
    """How the gateway reaches a person of the register: their language, voice instead of SMS."""

    language = forms.ChoiceField(label=_("Language of messages"), required=False)
    needs_voice = forms.BooleanField(label=_("Voice call, not SMS"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from django.conf import settings

        super().__init__(*args, **kwargs)
        language: Any = self.fields["language"]
        language.choices = [("", _("The municipality's"))] + [(code, name) for code, name in settings.LANGUAGES]
