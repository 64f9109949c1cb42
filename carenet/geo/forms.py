import json

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import AreaKind

MAX_GEOJSON_BYTES = 5 * 1024 * 1024


class AreaImportForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of areas"), choices=AreaKind.choices)
    file = forms.FileField(
        label=_("GeoJSON file"), help_text=_("A FeatureCollection of polygons in WGS84, each with a “name” property.")
    )
    source_note = forms.CharField(label=_("Source"), max_length=300, required=False)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_GEOJSON_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        try:
            return json.loads(upload.read().decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise forms.ValidationError(_("The file is not valid JSON: %(error)s") % {"error": exc}) from exc
