"""Input shapes of the training pages (the services validate the rules)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from carenet.core.models import Organisation

from .models import CvItemKind, OfferedBy, PlacementOutcome, Qualification, RoomOffer
from .services import CourseInput

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CourseForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Offered by"), queryset=Organisation.objects.none())
    offered_by = forms.ChoiceField(label=_("Kind of offer"), choices=OfferedBy.choices)
    volunteer_name = forms.CharField(label=_("Volunteer expert (name)"), max_length=200, required=False)
    title = forms.CharField(label=_("Title"), max_length=300)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    starts_on = forms.DateField(label=_("Starts on"), widget=DATE)
    places = forms.IntegerField(label=_("Places"), min_value=1, max_value=500)
    free_places = forms.IntegerField(
        label=_("Free places for vulnerable people"), min_value=0, max_value=500, initial=0, required=False
    )
    hours = forms.IntegerField(label=_("Hours"), min_value=0, max_value=2000, initial=0, required=False)
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES, initial="ro")
    trainers = forms.CharField(label=_("Trainers"), max_length=300, required=False)
    prerequisites = forms.CharField(label=_("Prerequisites"), max_length=300, required=False)
    accessibility = forms.CharField(label=_("Accessibility"), max_length=300, required=False)
    esco_code = forms.CharField(label=_("ESCO skill or occupation code"), max_length=200, required=False)
    qualifies_for = forms.ChoiceField(
        label=_("Its certificate counts as"),
        choices=[("", _("Nothing else")), *Qualification.choices],
        required=False,
        help_text=_("A caregiver who holds the certificate counts as trained in care matching."),
    )
    room_offer = forms.ModelChoiceField(
        label=_("Room lent in exchange for free places"), queryset=RoomOffer.objects.none(), required=False
    )
    min_attendance_percent = forms.IntegerField(
        label=_("Minimum attendance for completion (%)"), min_value=0, max_value=100, required=False
    )
    dropout_after_absences = forms.IntegerField(
        label=_("Dropout after this many unexcused absences"), min_value=1, max_value=100, required=False
    )
    modules = forms.CharField(label=_("Modules (one a line)"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    publish = forms.BooleanField(label=_("Publish in the catalogue now"), required=False, initial=True)

    def __init__(self, *args: Any, organisations: Any, offers: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        org = self.fields["organisation"]
        assert isinstance(org, forms.ModelChoiceField)
        org.queryset = organisations
        offer = self.fields["room_offer"]
        assert isinstance(offer, forms.ModelChoiceField)
        offer.queryset = offers
        offer.label_from_instance = lambda obj: f"{obj.room.name} ({obj.trainer})"  # type: ignore[method-assign]

    def to_input(self) -> CourseInput:
        d = self.cleaned_data
        return CourseInput(
            organisation=d["organisation"],
            offered_by=d["offered_by"],
            volunteer_name=d.get("volunteer_name") or "",
            title=d["title"],
            description=d.get("description") or "",
            starts_on=d["starts_on"],
            places=d["places"],
            free_places=d.get("free_places") or 0,
            hours=d.get("hours") or 0,
            language=d["language"],
            trainers=d.get("trainers") or "",
            prerequisites=d.get("prerequisites") or "",
            accessibility=d.get("accessibility") or "",
            esco_code=d.get("esco_code") or "",
            qualifies_for=d.get("qualifies_for") or "",
            room_offer=d.get("room_offer"),
            min_attendance_percent=d.get("min_attendance_percent"),
            dropout_after_absences=d.get("dropout_after_absences"),
            modules=tuple((d.get("modules") or "").splitlines()),
        )


class SessionForm(forms.Form):
    held_on = forms.DateField(label=_("Date"), widget=DATE)
    starts_at = forms.TimeField(label=_("From"), required=False, widget=forms.TimeInput(attrs={"type": "time"}))
    ends_at = forms.TimeField(label=_("Until"), required=False, widget=forms.TimeInput(attrs={"type": "time"}))
    trainer = forms.CharField(label=_("Trainer"), max_length=200, required=False)


class PortalApplyForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=200)
    contact = forms.CharField(label=_("Phone or e-mail"), max_length=200)
    consent = forms.BooleanField(label=_("I agree that the trainer receives my name and contact."), required=False)


class CvItemForm(forms.Form):
    kind = forms.ChoiceField(label=_("Section"), choices=CvItemKind.choices)
    title = forms.CharField(label=_("What"), max_length=300)
    place = forms.CharField(label=_("Where"), max_length=300, required=False)
    year_from = forms.IntegerField(label=_("From (year)"), required=False)
    year_to = forms.IntegerField(label=_("Until (year)"), required=False)


class PlacementForm(forms.Form):
    employer = forms.CharField(label=_("Employer"), max_length=300)
    post = forms.CharField(label=_("Post"), max_length=300)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=PlacementOutcome.choices)
    hired_on = forms.DateField(label=_("Hired on"), required=False, widget=DATE)


class JobFairForm(forms.Form):
    organiser = forms.ModelChoiceField(label=_("Organiser"), queryset=Organisation.objects.none())
    title = forms.CharField(label=_("Title"), max_length=300)
    held_on = forms.DateField(label=_("Date"), widget=DATE)
    place = forms.CharField(label=_("Place"), max_length=300, required=False)
    employers = forms.CharField(
        label=_("Employers taking part (one a line)"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        org = self.fields["organiser"]
        assert isinstance(org, forms.ModelChoiceField)
        org.queryset = organisations


class TrainingRulesForm(forms.Form):
    """A new version of the municipality's completion and dropout rules, from a date."""

    valid_from = forms.DateField(
        label=_("In force from"), widget=DATE, help_text=_("The rules in force until then end the day before.")
    )
    min_attendance_percent = forms.IntegerField(
        label=_("Minimum attendance for completion (%)"), min_value=0, max_value=100
    )
    dropout_after_absences = forms.IntegerField(
        label=_("Dropout after this many unexcused absences"), min_value=1, max_value=100
    )
    legal_basis = forms.CharField(label=_("Legal basis"), max_length=300, required=False)


class RoomForm(forms.Form):
    """A room of a public institution where courses are held."""

    owner = forms.ModelChoiceField(label=_("Public institution"), queryset=Organisation.objects.none())
    name = forms.CharField(label=_("Room"), max_length=200)
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    capacity = forms.IntegerField(label=_("Seats"), min_value=1, max_value=2000, required=False)
    step_free = forms.BooleanField(label=_("Step-free access"), required=False)

    def __init__(self, *args: Any, owners: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["owner"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = owners


class RoomOfferForm(forms.Form):
    """Lend a public room to a commercial trainer for free places to vulnerable people."""

    room = forms.ModelChoiceField(label=_("Room"), queryset=Organisation.objects.none())
    trainer = forms.ModelChoiceField(label=_("Commercial trainer"), queryset=Organisation.objects.none())
    free_places_owed = forms.IntegerField(label=_("Free places owed"), min_value=1, max_value=1000)
    valid_from = forms.DateField(label=_("Valid from"), widget=DATE)
    valid_to = forms.DateField(label=_("Valid until"), widget=DATE, required=False)

    def __init__(self, *args: Any, rooms: Any, trainers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, queryset in (("room", rooms), ("trainer", trainers)):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = queryset
