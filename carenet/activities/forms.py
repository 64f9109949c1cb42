from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from carenet.core.models import Organisation

from .models import (
    AccessibilityResult,
    Activity,
    ActivityKind,
    ActivityStatus,
    AgreementKind,
    EvaluationTarget,
    MediaKind,
    ParticipantSex,
    Profession,
    RecommendationSource,
    RecommendationStatus,
    SubPlanKind,
)
from .services import ActivityInput

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ActionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        title = str(obj.title)
        return f"{obj.code} {title[:90]}{'…' if len(title) > 90 else ''}"


class ActivityForm(forms.Form):
    kind = forms.ModelChoiceField(label=_("Kind"), queryset=ActivityKind.objects.none())
    title = forms.CharField(label=_("Title"), max_length=300)
    status = forms.ChoiceField(label=_("Status"), choices=ActivityStatus.choices, initial=ActivityStatus.HELD)
    starts_on = forms.DateField(label=_("Date"), widget=DATE)
    ends_on = forms.DateField(label=_("Last day (several days)"), required=False, widget=DATE)
    organiser = forms.ModelChoiceField(label=_("Organiser"), queryset=Organisation.objects.none())
    partners = forms.ModelMultipleChoiceField(
        label=_("Partner organisations"), queryset=Organisation.objects.none(), required=False
    )
    plan_action = ActionChoiceField(label=_("Plan action"), queryset=Organisation.objects.none(), required=False)
    place = forms.CharField(label=_("Place"), max_length=300, required=False)
    locality = forms.CharField(label=_("Locality"), max_length=120, required=False)
    topic = forms.CharField(label=_("Topics"), max_length=500, required=False)
    modules = forms.IntegerField(label=_("Training modules"), min_value=0, max_value=1000, initial=0, required=False)
    trainers = forms.CharField(label=_("Trainers"), max_length=300, required=False)
    cost = forms.DecimalField(label=_("Cost"), min_value=0, max_digits=12, decimal_places=2, required=False)
    funding_source = forms.CharField(label=_("Funding source"), max_length=200, required=False)
    enrolled = forms.IntegerField(label=_("Enrolled (a programme)"), min_value=0, max_value=100000, required=False)
    completed = forms.IntegerField(label=_("Completed the programme"), min_value=0, max_value=100000, required=False)

    def __init__(
        self, *args: Any, municipality: Any, organisations: Any, activity: Activity | None = None, **kwargs: Any
    ):
        if activity is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                **{f: getattr(activity, f) for f in ActivityInput.__dataclass_fields__ if f != "partners"},
                "partners": list(activity.partners.all()),
            }
        super().__init__(*args, **kwargs)
        kinds = self.fields["kind"]
        assert isinstance(kinds, forms.ModelChoiceField)
        kinds.queryset = ActivityKind.objects.for_tenant(municipality)
        organiser = self.fields["organiser"]
        assert isinstance(organiser, forms.ModelChoiceField)
        organiser.queryset = organisations
        partners = self.fields["partners"]
        assert isinstance(partners, forms.ModelMultipleChoiceField)
        partners.queryset = Organisation.objects.for_tenant(municipality).filter(is_generic=False).order_by("name")
        # The plans are a higher layer: their actions are reached through the relation, never imported.
        action_model = Activity._meta.get_field("plan_action").related_model
        action = self.fields["plan_action"]
        assert isinstance(action, forms.ModelChoiceField)
        action.queryset = (
            action_model.objects.for_tenant(municipality)  # type: ignore[union-attr]
            .select_related("plan")
            .order_by("plan__start_year", "order")
        )

    def to_input(self) -> ActivityInput:
        data = dict(self.cleaned_data)
        data["partners"] = tuple(data.get("partners") or ())
        data["modules"] = data.get("modules") or 0
        for text in ("place", "locality", "topic", "trainers", "funding_source"):
            data[text] = data.get(text) or ""
        return ActivityInput(**data)


class ImportForm(forms.Form):
    organiser = forms.ModelChoiceField(label=_("Organiser of the activities"), queryset=Organisation.objects.none())
    file = forms.FileField(label=_("File (CSV or XLSX)"))

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        organiser = self.fields["organiser"]
        assert isinstance(organiser, forms.ModelChoiceField)
        organiser.queryset = organisations

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > 5 * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Upload a CSV or XLSX file."))
        return upload


# --- the network registers (decision 0025): shape only, the services validate the rest ---------------------


def _actions_of(municipality: Any) -> Any:
    action_model = Activity._meta.get_field("plan_action").related_model
    return (
        action_model.objects.for_tenant(municipality)  # type: ignore[union-attr]
        .select_related("plan")
        .order_by("plan__start_year", "order")
    )


class RegisterForm(forms.Form):
    """A record of one of the network registers, for one of the organisations the user records for."""

    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=Organisation.objects.none())

    def __init__(self, *args: Any, municipality: Any, organisations: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        organisation = self.fields["organisation"]
        assert isinstance(organisation, forms.ModelChoiceField)
        organisation.queryset = organisations
        action = self.fields.get("plan_action")
        if isinstance(action, forms.ModelChoiceField):
            action.queryset = _actions_of(municipality)
        parties = self.fields.get("parties")
        if isinstance(parties, forms.ModelMultipleChoiceField):
            parties.queryset = Organisation.objects.for_tenant(municipality).filter(is_generic=False).order_by("name")

    def values(self) -> dict[str, Any]:
        return {
            k: ("" if v is None and isinstance(self.fields[k], forms.CharField) else v)
            for k, v in self.cleaned_data.items()
        }


class StaffForm(RegisterForm):
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    sex = forms.ChoiceField(label=_("Sex"), choices=ParticipantSex.choices, initial=ParticipantSex.UNKNOWN)
    birth_year = forms.IntegerField(label=_("Year of birth"), min_value=1900, max_value=2100, required=False)
    profession = forms.ChoiceField(label=_("Profession"), choices=Profession.choices)
    post = forms.CharField(label=_("Post"), max_length=200, required=False)
    qualification = forms.CharField(label=_("Qualification"), max_length=300, required=False)
    employed_from = forms.DateField(label=_("Employed from"), widget=DATE)
    employed_to = forms.DateField(label=_("Employed until"), required=False, widget=DATE)


class AgreementForm(RegisterForm):
    title = forms.CharField(label=_("Title"), max_length=300)
    kind = forms.ChoiceField(label=_("Kind"), choices=AgreementKind.choices)
    signed_on = forms.DateField(label=_("Signed on"), widget=DATE)
    expires_on = forms.DateField(label=_("Expires on"), required=False, widget=DATE)
    parties = forms.ModelMultipleChoiceField(
        label=_("Parties of the network"), queryset=Organisation.objects.none(), required=False
    )
    other_parties = forms.CharField(label=_("Other parties"), max_length=500, required=False)
    scope = forms.CharField(label=_("Scope"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    plan_action = ActionChoiceField(label=_("Plan action"), queryset=Organisation.objects.none(), required=False)

    def values(self) -> dict[str, Any]:
        data = super().values()
        data["parties"] = tuple(data.get("parties") or ())
        return data


class MediaItemForm(RegisterForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=MediaKind.choices)
    title = forms.CharField(label=_("Title"), max_length=300)
    outlet = forms.CharField(label=_("Media outlet"), max_length=200, required=False)
    published_on = forms.DateField(label=_("Published on"), widget=DATE)
    topic = forms.CharField(label=_("Topics"), max_length=500, required=False)
    link = forms.URLField(label=_("Link"), required=False, assume_scheme="https")
    plan_action = ActionChoiceField(label=_("Plan action"), queryset=Organisation.objects.none(), required=False)


class RecommendationForm(RegisterForm):
    source = forms.ChoiceField(label=_("Source"), choices=RecommendationSource.choices)
    text = forms.CharField(label=_("Recommendation"), widget=forms.Textarea(attrs={"rows": 3}))
    formulated_on = forms.DateField(label=_("Formulated on"), widget=DATE)
    plan_action = ActionChoiceField(label=_("Plan action"), queryset=Organisation.objects.none(), required=False)


class EvaluationForm(RegisterForm):
    target = forms.ChoiceField(label=_("What was evaluated"), choices=EvaluationTarget.choices)
    name = forms.CharField(label=_("Name or address"), max_length=300)
    evaluated_on = forms.DateField(label=_("Evaluated on"), widget=DATE)
    result = forms.ChoiceField(label=_("Result"), choices=AccessibilityResult.choices)
    adapted_on = forms.DateField(label=_("Adapted on"), required=False, widget=DATE)
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    plan_action = ActionChoiceField(label=_("Plan action"), queryset=Organisation.objects.none(), required=False)


class SubPlanForm(RegisterForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=SubPlanKind.choices)
    title = forms.CharField(label=_("Title"), max_length=300)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    approved_on = forms.DateField(label=_("Approved on"), required=False, widget=DATE)
    indicators = forms.CharField(
        label=_("Indicators (one per line)"), widget=forms.Textarea(attrs={"rows": 5}), required=False
    )
    plan_action = ActionChoiceField(label=_("Plan action"), queryset=Organisation.objects.none(), required=False)

    def values(self) -> dict[str, Any]:
        data = super().values()
        data["indicators"] = tuple(line.strip() for line in (data.get("indicators") or "").splitlines() if line.strip())
        return data


class RecommendationStatusForm(forms.Form):
    """The follow-up of a recommendation: its status, and the date when it is implemented."""

    status = forms.ChoiceField(label=_("Status"), choices=RecommendationStatus.choices)
    implemented_on = forms.DateField(label=_("Implemented on"), required=False, widget=DATE)


ASSESSMENT_CHOICES = (("", _("Not assessed yet")), ("yes", _("Achieved")), ("no", _("Not achieved")))


class SubPlanAssessForm(forms.Form):
    """One yes/no/not-yet answer per indicator of a sub-plan (field ``i-<id>``)."""

    def __init__(self, *args: Any, indicators: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.indicators = list(indicators)
        for n, indicator in enumerate(self.indicators, start=1):
            initial = "" if indicator.achieved is None else ("yes" if indicator.achieved else "no")
            self.fields[f"i-{indicator.pk}"] = forms.ChoiceField(
                label=f"{n}. {indicator.text}",
                choices=ASSESSMENT_CHOICES,
                required=False,
                initial=initial,
                widget=forms.RadioSelect,
            )

    def answers(self) -> list[tuple[Any, bool | None]]:
        """(indicator, achieved) for the indicators whose answer changed."""
        out = []
        for indicator in self.indicators:
            value = self.cleaned_data.get(f"i-{indicator.pk}") or ""
            achieved = None if value == "" else value == "yes"
            if achieved != indicator.achieved:
                out.append((indicator, achieved))
        return out
