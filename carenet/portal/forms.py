"""Forms of the portal. Public forms inherit ``HumanCheckedForm`` (honeypot + time trap) and refuse
markup in free text with a clear message; Django escapes everything on output anyway."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from carenet.core.models import Organisation
from carenet.directory.models import TaxonomyTerm
from carenet.directory.selectors import service_area_names, terms_of
from carenet.people.fields import DateInput
from carenet.people.models import IdentifierKind, Sex

from .antispam import DescribedErrorsMixin, HumanCheckedForm
from .models import (
    AGE_BANDS,
    SEXES,
    ContactMethod,
    ContributionPolicy,
    FeedbackAspect,
    HelpFor,
    HelpNeed,
    HelpStatus,
    QuestionKind,
    SurveyAudience,
    SurveyQuestion,
)

_TAG = re.compile(r"<\s*/?\s*[a-zA-Z!?]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_PHONE = re.compile(r"^\+?[0-9 ()./-]{6,25}$")


def no_markup(value: str) -> None:
    if _TAG.search(value or ""):
        raise ValidationError(
            _("Remove the HTML tags (text between < and >): only plain text is accepted."), code="markup"
        )
    if _CONTROL.search(value or ""):
        raise ValidationError(_("Remove the invisible control characters."), code="control")


def text_field(
    label: Any, max_length: int, *, required: bool = True, rows: int | None = None, **kwargs: Any
) -> forms.CharField:
    widget = forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        validators=[no_markup],
        widget=widget,
        error_messages={
            "required": _("This field is required."),
            "max_length": _("Make this shorter: at most %(limit_value)d characters (you wrote %(show_value)d)."),
        },
        **kwargs,
    )


class AreaChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.name


class HelpRequestForm(HumanCheckedForm):
    help_for = forms.ChoiceField(
        label=_("Who needs help?"),
        choices=HelpFor.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose who needs help.")},
    )
    need = forms.ChoiceField(
        label=_("What kind of help?"),
        choices=HelpNeed.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the kind of help.")},
    )
    area = AreaChoiceField(
        label=_("Neighbourhood or village"), queryset=None, required=False, empty_label=_("— I do not know —")
    )
    area_text = text_field(_("Or write the street or place"), 200, required=False)
    description = text_field(_("Tell us in a few words what is happening (optional)"), 2000, required=False, rows=4)
    contact_name = text_field(_("Your name"), 120, help_text=_("A first name is enough."))
    contact_method = forms.ChoiceField(
        label=_("How can we contact you?"),
        choices=ContactMethod.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how we can contact you.")},
    )
    contact_phone = forms.CharField(label=_("Phone number"), max_length=25, required=False)
    contact_email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        required=False,
        error_messages={"invalid": _("Write an e-mail address like name@example.com.")},
    )
    consent = forms.BooleanField(
        label=_("I agree that the social services use these details to contact me and help me."),
        error_messages={"required": _("We can only help if you agree that we use these details.")},
    )

    def __init__(self, *args: Any, areas: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas  # type: ignore[attr-defined]
        self.fields["contact_phone"].widget.attrs.update({"autocomplete": "tel", "inputmode": "tel"})
        self.fields["contact_email"].widget.attrs.update({"autocomplete": "email"})
        self.fields["contact_name"].widget.attrs.update({"autocomplete": "name"})

    def clean_contact_phone(self) -> str:
        phone = (self.cleaned_data.get("contact_phone") or "").strip()
        if phone and not _PHONE.match(phone):
            raise ValidationError(_("Write the phone number with digits only, for example 0740 123 456."))
        return phone

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        method = cleaned.get("contact_method")
        if method == ContactMethod.PHONE and not cleaned.get("contact_phone") and "contact_phone" not in self.errors:
            self.add_error("contact_phone", _("Write the phone number we should call."))
        if method == ContactMethod.EMAIL and not cleaned.get("contact_email") and "contact_email" not in self.errors:
            self.add_error("contact_email", _("Write the e-mail address we should write to."))
        if not cleaned.get("area") and not cleaned.get("area_text") and "area_text" not in self.errors:
            self.add_error("area_text", _("Choose the neighbourhood or write the place."))
        return cleaned


class TrackingCodeForm(DescribedErrorsMixin, forms.Form):
    code = forms.CharField(
        label=_("Tracking code"),
        max_length=20,
        help_text=_("The code you received, for example K7M-4QX-9TP."),
        error_messages={"required": _("Write your tracking code."), "max_length": _("The code is too long.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs.update(
            {"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        )


class FeedbackCodeForm(TrackingCodeForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].label = _("Feedback code")
        self.fields["code"].help_text = _("The code the service gave you, for example ABCD-EFGH.")
        self.fields["code"].error_messages["required"] = _("Write your feedback code.")


RATING_CHOICES = [
    ("5", _("5 — Very satisfied")),
    ("4", _("4 — Satisfied")),
    ("3", _("3 — Neither satisfied nor dissatisfied")),
    ("2", _("2 — Dissatisfied")),
    ("1", _("1 — Very dissatisfied")),
]


class FeedbackForm(HumanCheckedForm):
    rating = forms.TypedChoiceField(
        label=_("How satisfied are you with the service?"),
        choices=RATING_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how satisfied you are.")},
    )
    went_well = forms.MultipleChoiceField(
        label=_("What went well?"), choices=FeedbackAspect.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    went_badly = forms.MultipleChoiceField(
        label=_("What went badly?"), choices=FeedbackAspect.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    comment = text_field(_("Anything else you want to tell us (optional)"), 2000, required=False, rows=4)
    author_name = text_field(
        _("Your name (optional)"), 120, required=False, help_text=_("Leave it empty to stay anonymous.")
    )
    may_publish = forms.BooleanField(
        label=_("You may publish my comment on the service's page (without my name)."), required=False
    )


class FeedbackReplyForm(forms.Form):
    reply = text_field(_("Answer"), 2000, rows=4)
    is_public = forms.BooleanField(label=_("Publish the answer on the service's page"), required=False)


class HelpStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=HelpStatus.choices)
    service: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Service (when directed to a service)"), queryset=None, required=False
    )

    def __init__(self, *args: Any, services: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = services  # type: ignore[attr-defined]


class RerouteForm(forms.Form):
    organisation: forms.ModelChoiceField = forms.ModelChoiceField(label=_("Route to"), queryset=None)

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]


class RoutingRuleForm(forms.Form):
    need = forms.ChoiceField(
        label=_("Kind of help"), choices=[("", _("— any kind —")), *HelpNeed.choices], required=False
    )
    area = AreaChoiceField(label=_("Area"), queryset=None, required=False, empty_label=_("— any area —"))
    organisation: forms.ModelChoiceField = forms.ModelChoiceField(label=_("Route to"), queryset=None)
    priority = forms.IntegerField(label=_("Priority (lower first)"), min_value=0, max_value=1000, initial=100)

    def __init__(self, *args: Any, areas: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas  # type: ignore[attr-defined]
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]


class NewsItemForm(forms.Form):
    organisation: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("On behalf of"), queryset=None, required=False, empty_label=_("The municipality")
    )
    title = text_field(_("Title"), 200)
    summary = text_field(_("Summary"), 400, required=False)
    body = text_field(_("Text"), 10000, rows=8)

    def __init__(self, *args: Any, organisations: Any, municipality_allowed: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        field.queryset = organisations  # type: ignore[attr-defined]
        if not municipality_allowed:
            field.required = True
            field.empty_label = None  # type: ignore[attr-defined]


class SurveyForm(forms.Form):
    title = text_field(_("Title"), 200)
    intro = text_field(_("Introduction"), 2000, required=False, rows=3)
    audience = forms.ChoiceField(label=_("Audience"), choices=SurveyAudience.choices, widget=forms.RadioSelect)


class SurveyQuestionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of question"), choices=QuestionKind.choices)
    text = text_field(_("Question"), 300)
    choices = text_field(_("Choices, one per line"), 3000, required=False, rows=4)
    required = forms.BooleanField(label=_("An answer is required"), required=False)
    show_if_question = forms.ModelChoiceField(
        label=_("Ask only if the question"),
        queryset=SurveyQuestion.objects.none(),
        required=False,
        empty_label=_("— always ask —"),
    )
    show_if_value = text_field(_("has the answer"), 200, required=False)

    def __init__(self, *args: Any, survey: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["show_if_question"].queryset = survey.questions.filter(  # type: ignore[attr-defined]
            kind__in=[QuestionKind.SINGLE, QuestionKind.MULTIPLE]
        )

    def clean_choices(self) -> list[str]:
        lines = [line.strip() for line in (self.cleaned_data.get("choices") or "").splitlines()]
        choices = [line for line in lines if line]
        if any(len(c) > 200 for c in choices):
            raise ValidationError(_("Each choice may have at most 200 characters."))
        if len(set(choices)) != len(choices):
            raise ValidationError(_("Each choice must be different."))
        return choices


class SurveyInvitesForm(forms.Form):
    count = forms.IntegerField(label=_("Number of personal links"), min_value=1, max_value=1000)


def survey_answer_form(survey: Any, questions: list[Any], data: Any = None) -> forms.Form:
    """A form built from the survey's questions. Conditional questions are validated only when their
    condition holds; otherwise their answers are dropped."""

    class SurveyAnswerForm(HumanCheckedForm):
        def clean(self) -> dict[str, Any]:
            cleaned = super().clean()
            for question in questions:
                name = f"q{question.pk}"
                if question.show_if_question_id and not _condition_met(question, cleaned):
                    cleaned.pop(name, None)
                    self.errors.pop(name, None)
                    continue
                if question.required and cleaned.get(name) in (None, "", []) and name not in self.errors:
                    self.add_error(name, _("Answer this question."))
            return cleaned

    fields: dict[str, forms.Field] = {}
    for question in questions:
        options = [(c, c) for c in question.choices]
        label = question.text
        common: dict[str, Any] = {"label": label, "required": False}
        if question.kind == QuestionKind.SINGLE:
            field: forms.Field = forms.ChoiceField(choices=options, widget=forms.RadioSelect, **common)
        elif question.kind == QuestionKind.MULTIPLE:
            field = forms.MultipleChoiceField(choices=options, widget=forms.CheckboxSelectMultiple, **common)
        elif question.kind == QuestionKind.SCALE:
            field = forms.ChoiceField(
                choices=[(str(n), str(n)) for n in range(1, 6)], widget=forms.RadioSelect, **common
            )
        else:
            field = text_field(label, 2000, required=False, rows=3)
        field.question = question  # type: ignore[attr-defined]
        fields[f"q{question.pk}"] = field
    form_class = type("SurveyAnswerForm", (SurveyAnswerForm,), fields)
    return form_class(data)


def _condition_met(question: Any, cleaned: dict[str, Any]) -> bool:
    answer = cleaned.get(f"q{question.show_if_question_id}")
    if isinstance(answer, list):
        return question.show_if_value in answer
    return answer == question.show_if_value


class CommentForm(HumanCheckedForm):
    text = text_field(_("Your comment"), 3000, rows=4)
    author_name = text_field(_("Your name (optional)"), 120, required=False)


class IdeaForm(HumanCheckedForm):
    title = text_field(_("Title of the idea"), 200)
    text = text_field(_("Describe your idea"), 3000, rows=4)
    author_name = text_field(_("Your name (optional)"), 120, required=False)


class HideForm(forms.Form):
    reason = text_field(_("Reason for hiding (shown publicly)"), 300)


class RejectForm(forms.Form):
    reason = text_field(_("Reason for not publishing it (shown to its author)"), 300)


class ConsultationRulesForm(forms.Form):
    """A new version of who may contribute to consultations, from a date."""

    valid_from = forms.DateField(
        label=_("In force from"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The rules in force until then end the day before."),
    )
    contributions = forms.ChoiceField(
        label=_("Who may comment and propose ideas"),
        choices=ContributionPolicy.choices,
        widget=forms.RadioSelect,
    )


class ConsultationForm(forms.Form):
    title = text_field(_("Title"), 200)
    summary = text_field(_("Summary"), 2000, rows=3)
    draft_text = text_field(_("Draft text"), 50000, required=False, rows=10)
    closes_on = forms.DateField(label=_("Open until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))


class DocumentForm(forms.Form):
    title = text_field(_("Title of the document"), 200)
    file = forms.FileField(label=_("File (PDF, DOCX, ODT, XLSX, ODS, TXT; at most 10 MB)"))


class AnswerForm(forms.Form):
    answer = text_field(_("The municipality's answer"), 20000, rows=8)


class SessionForm(forms.Form):
    held_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    place = text_field(_("Place"), 200, required=False)
    topics = text_field(_("Topics discussed"), 2000, rows=3)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        sex_labels = {"female": _("Women"), "male": _("Men")}
        for sex in SEXES:
            for i, band in enumerate(AGE_BANDS):
                self.fields[f"n_{sex}_{i}"] = forms.IntegerField(
                    label=f"{sex_labels[sex]}, {band}", min_value=0, max_value=100000, initial=0
                )

    def participants(self) -> dict[str, dict[str, int]]:
        return {
            sex: {band: self.cleaned_data.get(f"n_{sex}_{i}") or 0 for i, band in enumerate(AGE_BANDS)} for sex in SEXES
        }


# ---------------------------------------------------------------------------------------------------
# The public service finder


class FinderForm(forms.Form):
    q = forms.CharField(label=_("What are you looking for?"), required=False, max_length=200)
    need = forms.ModelChoiceField(label=_("Need"), required=False, queryset=TaxonomyTerm.objects.none())
    group = forms.ModelChoiceField(label=_("For whom"), required=False, queryset=TaxonomyTerm.objects.none())
    age = forms.IntegerField(label=_("Age"), required=False, min_value=0, max_value=120)
    area = forms.ChoiceField(label=_("Area"), required=False)
    lat = forms.FloatField(label=_("Latitude"), required=False, min_value=-90, max_value=90)
    lon = forms.FloatField(label=_("Longitude"), required=False, min_value=-180, max_value=180)
    radius = forms.FloatField(label=_("Within (km)"), required=False, min_value=0.1, max_value=200)
    open_now = forms.BooleanField(label=_("Open now"), required=False)

    def __init__(self, *args: Any, municipality: Any, language: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, code in (("need", "carenet-needs"), ("group", "carenet-target-groups")):
            field = self.fields[name]
            field.queryset = terms_of(code=code)  # type: ignore[attr-defined]
            field.label_from_instance = lambda term: term.name_in(language)  # type: ignore[attr-defined]
            field.empty_label = _("Any")  # type: ignore[attr-defined]
        areas = [("", _("Any")), *[(a, a) for a in service_area_names(municipality=municipality)]]
        self.fields["area"].choices = areas  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (data.get("lat") is None) != (data.get("lon") is None):
            self.add_error("lon" if data.get("lat") is not None else "lat", _("Give both latitude and longitude."))
        return data


class TakeUpForm(forms.Form):
    """A request for help taken up: which provider opens the case, and who the person is (found or new)."""

    organisation = forms.ModelChoiceField(label=_("Provider that opens the case"), queryset=Organisation.plain.none())
    person = forms.ChoiceField(label=_("The person"), widget=forms.RadioSelect, required=True)
    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    birth_date = forms.DateField(label=_("Date of birth"), required=False, widget=DateInput())
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, initial=Sex.UNKNOWN)
    identifier_kind = forms.ChoiceField(
        label=_("Type of national identifier"), choices=[("", "—"), *IdentifierKind.choices], required=False
    )
    national_id = forms.CharField(label=_("National identifier (CNP / IDNP)"), max_length=13, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    reason = forms.CharField(
        label=_("Why this is not the person already registered"),
        max_length=200,
        required=False,
        help_text=_("Needed only to register a new person despite a probable match."),
    )

    NEW = "new"

    def __init__(self, *args: Any, organisations: Any = None, matches: list[Any] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = organisations if organisations is not None else Organisation.plain.none()
        choices = [
            (
                str(m.person.pk),
                _("%(name)s, born %(born)s — %(score)s%% match")
                % {
                    "name": m.person.full_name,
                    "born": m.person.birth_date.isoformat() if m.person.birth_date else "—",
                    "score": round(m.score * 100),
                },
            )
            for m in matches or []
        ]
        person = self.fields["person"]
        assert isinstance(person, forms.ChoiceField)
        person.choices = [*choices, (self.NEW, _("A new person: register them with the details below"))]
        person.initial = self.NEW
