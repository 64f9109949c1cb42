import json
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class OnboardingForm(forms.Form):
    """The profile and the four files; the service checks their content."""

    profile = forms.FileField(
        label=gettext_lazy("Profile (JSON)"),
        help_text=gettext_lazy("Name, slug, country, languages, currency, time zone, SIRUTA/CUATM code, plan."),
    )
    organisations = forms.FileField(label=gettext_lazy("Organisations (CSV or XLSX)"))
    services = forms.FileField(label=gettext_lazy("Services (CSV, XLSX or an HSDS package)"))
    users = forms.FileField(label=gettext_lazy("Staff and roles (CSV or XLSX)"))
    plan = forms.FileField(label=gettext_lazy("Action plan table (DOCX, XLSX or CSV)"))
    plan_mapping = forms.FileField(
        label=gettext_lazy("Plan column mapping (JSON, optional)"),
        required=False,
        help_text=gettext_lazy("Only if the plan's columns are not recognised from their headers."),
    )

    def clean_profile(self) -> dict[str, Any]:
        upload = self.cleaned_data["profile"]
        try:
            data = json.loads(upload.read().decode("utf-8-sig"))
        except (ValueError, UnicodeDecodeError) as exc:
            raise forms.ValidationError(_("The profile is not a JSON file.")) from exc
        if not isinstance(data, dict):
            raise forms.ValidationError(_("The profile is not a JSON object."))
        return data
