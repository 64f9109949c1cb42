"""The per-period reporting form: parsed from POST by indicator / action / cost-line ids."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .computations import REGISTRY
from .models import Action, ActionStatus, CostLine, Indicator, IndicatorKind, IndicatorSource, VersionKind
from .services import CostInput, ProgressInput, ValueInput


@dataclass
class ParsedForm:
    values: list[ValueInput] = field(default_factory=list)
    progress: list[ProgressInput] = field(default_factory=list)
    costs: list[CostInput] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)


def _decimal(data: Any, name: str, label: str, errors: dict[str, str]) -> Decimal | None:
    raw = (data.get(name) or "").strip().replace(",", ".").replace(" ", "")
    if not raw:
        return None
    try:
        value = Decimal(raw)
    except InvalidOperation:
        errors[name] = _("%(field)s: enter a number.") % {"field": label}
        return None
    if not value.is_finite():
        errors[name] = _("%(field)s: enter a number.") % {"field": label}
        return None
    return value


def parse_submission(
    data: Any, indicators: list[Indicator], actions: list[Action], cost_lines: list[CostLine]
) -> ParsedForm:
    parsed = ParsedForm()
    errors = parsed.errors
    for ind in indicators:
        label = _("Indicator %(code)s") % {"code": ind.code}
        entry = ValueInput(indicator_id=ind.pk)
        if ind.kind == IndicatorKind.MILESTONE:
            raw = data.get(f"v-{ind.pk}", "")
            entry.value = {"yes": Decimal(1), "no": Decimal(0)}.get(raw)
        elif ind.kind in (IndicatorKind.PERCENTAGE, IndicatorKind.PER_BENEFICIARY):
            entry.numerator = _decimal(data, f"num-{ind.pk}", label, errors)
            entry.denominator = _decimal(data, f"den-{ind.pk}", label, errors)
        elif ind.kind != IndicatorKind.LIST:
            entry.value = _decimal(data, f"v-{ind.pk}", label, errors)
        entry.text = (data.get(f"txt-{ind.pk}") or "").strip()
        if ind.disaggregation_id and ind.disaggregation:
            for combo in ind.disaggregation.combos():
                entry.cells[combo] = _decimal(data, f"c-{ind.pk}-{combo}", label, errors)
        parsed.values.append(entry)
    for action in actions:
        status = data.get(f"st-{action.pk}") or ActionStatus.NOT_STARTED
        parsed.progress.append(
            ProgressInput(action_id=action.pk, status=status, note=(data.get(f"note-{action.pk}") or "").strip())
        )
    for line in cost_lines:
        amount = _decimal(data, f"cost-{line.pk}", _("Executed amount"), errors)
        parsed.costs.append(CostInput(cost_line_id=line.pk, executed_amount=amount))
    return parsed


class ReturnForm(forms.Form):
    comment = forms.CharField(label=gettext_lazy("What must be corrected"), widget=forms.Textarea(attrs={"rows": 3}))


class ReopenForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason for reopening"), widget=forms.Textarea(attrs={"rows": 3}))


class PlanVersionForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=VersionKind.choices)
    decision_reference = forms.CharField(label=gettext_lazy("Council decision (number and date)"), max_length=200)
    decision_date = forms.DateField(
        label=gettext_lazy("Decision date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    summary = forms.CharField(
        label=gettext_lazy("What changes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ServiceChoiceField(forms.ModelMultipleChoiceField):
    """Several providers name a service alike ("Centru de zi"): each choice says whose it is."""

    def label_from_instance(self, obj: Any) -> str:
        whose = str(obj.organisation)
        return obj.name if obj.name == whose else f"{obj.name} — {whose}"


class IndicatorSourceForm(forms.Form):
    """Where an indicator's values come from (see services.indicator_source_set)."""

    source = forms.ChoiceField(label=gettext_lazy("Source"), choices=IndicatorSource.choices, widget=forms.RadioSelect)
    computation = forms.ChoiceField(label=gettext_lazy("Computed by"), required=False)
    filters = forms.CharField(
        label=gettext_lazy("What to count (filters)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false"}),
        help_text=gettext_lazy(
            'For example {"action": "own", "categories": ["training"], "sex": "F", "age_min": 64}. Names: action, '
            "actions, kinds, categories, sex, age_min, age_max, disability, professions, agreement_kinds, "
            "media_kinds, targets, subplan_kinds, by_organisation."
        ),
    )
    services = ServiceChoiceField(
        label=gettext_lazy("Count only these services"),
        required=False,
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Leave empty to count every service of the municipality."),
    )

    def __init__(self, *args: Any, indicator: Indicator, services: Any, **kwargs: Any) -> None:
        initial = {
            "source": indicator.source,
            "computation": indicator.computation,
            "services": list(indicator.services.all()),
            "filters": json.dumps(indicator.computation_filters or {}, ensure_ascii=False),
        }
        super().__init__(*args, initial=initial, **kwargs)
        computation = self.fields["computation"]
        assert isinstance(computation, forms.ChoiceField)
        computation.choices = [("", "—")] + [(c.name, c.label) for c in REGISTRY.values()]
        services_field = self.fields["services"]
        assert isinstance(services_field, ServiceChoiceField)
        services_field.queryset = services

    def clean_filters(self) -> dict[str, Any]:
        text = (self.cleaned_data.get("filters") or "").strip()
        if not text:
            return {}
        try:
            value = json.loads(text)
        except ValueError as exc:
            raise forms.ValidationError(_('Write the filters as JSON, e.g. {"action": "own"}.')) from exc
        if not isinstance(value, dict):
            raise forms.ValidationError(_("The filters must be an object of names and values."))
        return value
