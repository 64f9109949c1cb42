from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from carenet.core.models import Municipality

from .datapackage.read import max_bytes
from .models import SOURCE_LANGUAGE, Service, TaxonomyTerm
from .selectors import taxonomies_for

LANGUAGE_NAMES = {
    "hu": _("Hungarian"),
    "ru": _("Russian"),
    "uk": _("Ukrainian"),
    "en": _("English"),
    "ro": _("Romanian"),
}


class ServiceForm(forms.ModelForm):
    """A provider's service, with one name/description pair per other language of the tenant."""

    terms = forms.ModelMultipleChoiceField(
        label=_("Categories (needs, target groups, nomenclature)"),
        queryset=TaxonomyTerm.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 10}),
    )
    url = forms.URLField(label=_("web page"), required=False, assume_scheme="https")

    class Meta:
        model = Service
        fields = [
            "name",
            "alternate_name",
            "description",
            "status",
            "application_process",
            "eligibility_description",
            "minimum_age",
            "maximum_age",
            "fees_description",
            "wait_time",
            "places_total",
            "places_available",
            "url",
            "email",
            "licenses",
            "accreditations",
            "update_frequency_days",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "application_process": forms.Textarea(attrs={"rows": 4}),
            "eligibility_description": forms.Textarea(attrs={"rows": 3}),
            "fees_description": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, municipality: Municipality, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.languages = [lang for lang in (municipality.official_languages or []) if lang != SOURCE_LANGUAGE]
        self.fields["terms"].queryset = TaxonomyTerm.objects.filter(  # type: ignore[attr-defined]
            taxonomy__in=taxonomies_for(municipality=municipality)
        ).select_related("taxonomy")
        if self.instance.pk:
            self.fields["terms"].initial = list(self.instance.terms.values_list("pk", flat=True))
        translations = self.instance.translations or {}
        for lang in self.languages:
            lang_name = LANGUAGE_NAMES.get(lang, lang)
            self.fields[f"name_{lang}"] = forms.CharField(
                label=_("Name in %(language)s") % {"language": lang_name},
                required=False,
                max_length=300,
                initial=translations.get(lang, {}).get("name", ""),
                help_text=_("Left empty, the Romanian text is shown and the record is flagged as untranslated."),
            )
            self.fields[f"description_{lang}"] = forms.CharField(
                label=_("Description in %(language)s") % {"language": lang_name},
                required=False,
                widget=forms.Textarea(attrs={"rows": 4}),
                initial=translations.get(lang, {}).get("description", ""),
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        low, high = data.get("minimum_age"), data.get("maximum_age")
        if low is not None and high is not None and low > high:
            self.add_error("maximum_age", _("The maximum age must not be lower than the minimum age."))
        available, total = data.get("places_available"), data.get("places_total")
        if available is not None and total is not None and available > total:
            self.add_error("places_available", _("Places available cannot exceed places in total."))
        return data

    def service_data(self) -> dict[str, Any]:
        data = {field: self.cleaned_data[field] for field in self.Meta.fields}
        translations = dict(self.instance.translations or {})
        for lang in self.languages:
            current = dict(translations.get(lang, {}))
            for key in ("name", "description"):
                value = (self.cleaned_data.get(f"{key}_{lang}") or "").strip()
                if value:
                    current[key] = value
                else:
                    current.pop(key, None)
            if current:
                translations[lang] = current
            else:
                translations.pop(lang, None)
        data["translations"] = translations
        return data


class LocationForm(forms.ModelForm):
    class Meta:
        from .models import Location

        model = Location
        fields = [
            "name",
            "address_1",
            "city",
            "postal_code",
            "latitude",
            "longitude",
            "coordinates_approximate",
            "accessibility",
            "transportation",
        ]
        widgets = {"accessibility": forms.Textarea(attrs={"rows": 3})}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (data.get("latitude") is None) != (data.get("longitude") is None):
            self.add_error("longitude", _("Give both latitude and longitude."))
        return data


class ImportForm(forms.Form):
    """An HSDS 3.0 file to import; its content is checked by the import itself (carenet.directory.datapackage)."""

    file = forms.FileField(label=_("HSDS 3.0 datapackage (.zip) or JSON feed (.json)"))

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".zip", ".json")):
            raise forms.ValidationError(_("Choose a .zip datapackage or a .json feed."))
        limit = max_bytes()
        if upload.size > limit:
            raise forms.ValidationError(
                _("%(file)s is larger than %(size)s MB.") % {"file": upload.name, "size": round(limit / 1_000_000, 1)}
            )
        return upload


class HsdsSourceForm(forms.Form):
    """A feed the municipality pulls: a datapackage (.zip/.json) URL or the base of an HSDS 3.0 API."""

    name = forms.CharField(label=_("name"), max_length=200)
    url = forms.URLField(
        label=_("feed URL"),
        max_length=500,
        required=False,
        assume_scheme="https",
        help_text=_("A datapackage (.zip) or JSON file, or the base address of an HSDS 3.0 API (its /services pages)."),
    )
    pull_enabled = forms.BooleanField(label=_("pull every night"), required=False)


class PushTargetForm(forms.Form):
    """Where the municipality's own feed is sent. The token is never shown back: empty keeps the stored one."""

    url = forms.URLField(label=_("target URL"), max_length=500, assume_scheme="https")
    token = forms.CharField(
        label=_("token"),
        max_length=500,
        required=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text=_("Sent as a bearer token. Leave empty to keep the token already stored."),
    )
    enabled = forms.BooleanField(label=_("push every night"), required=False, initial=True)
