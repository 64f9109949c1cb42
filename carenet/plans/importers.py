"""Importers of the two real plans from the seeds stored in the project.

Each importer first builds the whole plan in memory and checks it (counts against the source's own
totals, every named organisation known); only then writes everything in one transaction. A
mismatch refuses the import with a message naming what is wrong, and nothing is saved.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from carenet.audit.services import audit_record
from carenet.core.models import Municipality, Organisation
from carenet.core.seeds import load_seed

from .dq import check_population_tables
from .models import (
    Action,
    Area,
    ContextTable,
    CostKind,
    CostLine,
    DisaggregationSet,
    Finding,
    FundingKind,
    FundingSource,
    GeneralObjective,
    Indicator,
    IndicatorKind,
    IndicatorSource,
    Plan,
    PlanStatus,
    PlanVersion,
    ReportingPeriod,
    Severity,
    SpecificObjective,
    Stage,
    VersionKind,
    default_sex_age_disability,
)

BALTI_PLAN_CODE = "balti-2025-2027"
BAIA_MARE_PLAN_CODE = "baia-mare-strategie"
BALTI_EXPECTED = {"general_objectives": 6, "specific_objectives": 11, "actions": 57, "indicators": 160}
BAIA_MARE_EXPECTED = {"general_objectives": 8, "actions": 46, "indicators": 20}
# The bands of Bălți's population table. The document writes "19-25 ani" and "25-35 ani": both would hold
# 25-year-olds, so the first band ends at 24 (25 is counted once, in "25-35"; migration plans 0007).
BALTI_AGE_BANDS = ["0-6", "7-15", "16-18", "19-24", "25-35", "36-63", "64+"]
DEFAULT_AGE_BANDS = ["0-17", "18-64", "65+"]


class ImportRefused(ValidationError):
    """The source does not hold what the importer must load; nothing was saved."""


@dataclass
class PlanDraft:
    """The plan as built in memory before anything is written."""

    plan: dict[str, Any]
    areas: list[dict[str, Any]] = field(default_factory=list)
    general: list[dict[str, Any]] = field(default_factory=list)
    specific: list[dict[str, Any]] = field(default_factory=list)
    actions: list[dict[str, Any]] = field(default_factory=list)
    indicators: list[dict[str, Any]] = field(default_factory=list)
    funding: list[dict[str, Any]] = field(default_factory=list)
    stages: list[dict[str, Any]] = field(default_factory=list)
    versions: list[dict[str, Any]] = field(default_factory=list)
    context: list[dict[str, Any]] = field(default_factory=list)
    findings: list[dict[str, Any]] = field(default_factory=list)
    disaggregations: dict[str, dict[str, Any]] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        return {
            "general_objectives": len(self.general),
            "specific_objectives": len(self.specific),
            "actions": len(self.actions),
            "indicators": len(self.indicators),
        }


def _check_counts(draft: PlanDraft, expected: dict[str, int]) -> None:
    got = draft.counts()
    errors = [
        _("%(what)s: the source holds %(got)s, expected %(expected)s.") % {"what": key, "got": got[key], "expected": n}
        for key, n in expected.items()
        if got[key] != n
    ]
    if errors:
        raise ImportRefused(errors)


# --- Bălți -----------------------------------------------------------------------------------------

_BALTI_KIND = {
    "count": IndicatorKind.COUNT,
    'count (implied; no "Număr" in the text)': IndicatorKind.COUNT,
    "percentage": IndicatorKind.PERCENTAGE,
    "qualitative / list (themes, types, groups, media, inventory)": IndicatorKind.LIST,
    "milestone (done / not done, or artefact produced)": IndicatorKind.MILESTONE,
    "frequency": IndicatorKind.FREQUENCY,
    "time period": IndicatorKind.PERIOD,
    "quantity per beneficiary": IndicatorKind.PER_BENEFICIARY,
}
_BALTI_COST_KIND = {
    "within available resources (unquantified)": CostKind.WITHIN_AVAILABLE,
    "none (dash)": CostKind.NONE,
    "blank cell": CostKind.BLANK,
    "amount": CostKind.AMOUNT,
}
_BALTI_FUNDING = [
    ("local_public_budget", "buget-local", "Bugetul public local", FundingKind.LOCAL_BUDGET),
    ("donors_ngo", "donatori-ong", "Donatori / ONG", FundingKind.DONORS_NGO),
    ("beneficiaries", "beneficiari", "Beneficiari", FundingKind.BENEFICIARIES),
]
_DISAGG_BY_DIMS = {
    ("gender", "age", "disability"): "sex-age-disability",
    ("gender", "age"): "sex-age",
    ("gender",): "sex",
}


def _disaggregation_specs(age_bands: list[str]) -> dict[str, dict[str, Any]]:
    from carenet.geo.population import age_band_overlaps

    from .computations import parse_age_band

    parsed = [(b, *bounds) for b in age_bands if (bounds := parse_age_band(b)) is not None]
    overlaps = age_band_overlaps(parsed)
    if overlaps:
        raise ImportRefused(
            _("Age bands %(bands)s hold a common age: each age must fall in one band only.")
            % {"bands": ", ".join(f"{a} / {b}" for a, b in overlaps)}
        )
    full = default_sex_age_disability(age_bands)
    return {
        "sex-age-disability": {"name": "Sex × vârstă × dizabilitate", "dimensions": full},
        "sex-age": {"name": "Sex × vârstă", "dimensions": full[:2]},
        "sex": {"name": "Sex", "dimensions": full[:1]},
    }


def _unit_for(kind: str, text: str) -> str:
    if kind == IndicatorKind.PERCENTAGE:
        return "%"
    if kind == IndicatorKind.PERIOD:
        return "luni"
    if kind == IndicatorKind.FREQUENCY:
        return "ori / an"
    if kind == IndicatorKind.COUNT:
        lowered = text.lower()
        for word in ("copii", "persoane", "tineri", "specialiști", "activități", "planuri", "servicii"):
            if word in lowered:
                return word
        return ""
    return ""


def build_balti() -> PlanDraft:
    data = load_seed("balti_action_plan")
    source = data["source"]
    monitoring = data["monitoring"]
    draft = PlanDraft(
        plan={
            "code": BALTI_PLAN_CODE,
            "title": source["title"],
            "start_year": source["period"]["start_year"],
            "end_year": source["period"]["end_year"],
            "status": PlanStatus.DRAFT,
            "currency": "MDL",
            "amendment_rule": monitoring["amendment_rule"],
            "monitored_by": monitoring["monitored_by"],
            "report_prepared_by": monitoring["annual_report"]["prepared_by"],
            "source_note": f"{source['file']} · sha256 {source['sha256']} · {source['status']}",
        }
    )
    draft.versions.append(
        {
            "number": 1,
            "kind": VersionKind.APPROVAL,
            "decision_reference": "Decizia Consiliului mun. Bălți nr._____ din _____________2025 (proiect)",
            "summary": source["status"],
        }
    )
    for i, stage in enumerate(source["stages"]):
        years = [int(y) for y in stage["years"].split("-")]
        draft.stages.append({"name": stage["stage"], "start_year": years[0], "end_year": years[-1], "order": i})
    draft.funding = [
        {"code": code, "name": name, "kind": kind, "order": i, "_key": key}
        for i, (key, code, name, kind) in enumerate(_BALTI_FUNDING)
    ]
    draft.disaggregations = _disaggregation_specs(BALTI_AGE_BANDS)
    for a_order, area in enumerate(data["areas"]):
        draft.areas.append({"code": area["number"], "title": area["title"], "order": a_order})
        for general in area["general_objectives"]:
            draft.general.append(
                {
                    "code": general["code"],
                    "title": general["title"],
                    "order": len(draft.general),
                    "_area": area["number"],
                }
            )
            for specific in general["specific_objectives"]:
                target = specific.get("target_derived") or {}
                draft.specific.append(
                    {
                        "code": specific["code"],
                        "target_text": specific["target_text"],
                        "target_value": Decimal(str(target["target_percent"]))
                        if target.get("target_percent") is not None
                        else None,
                        "target_operator": target.get("operator") or "",
                        "target_unit": "%" if target.get("target_percent") is not None else "",
                        "order": len(draft.specific),
                        "_general": general["code"],
                    }
                )
                for action in specific["actions"]:
                    costs = []
                    for key, code, _name, _kind in _BALTI_FUNDING:
                        cell = action["costs"][key]
                        amount = cell.get("amount_lei_derived")
                        costs.append(
                            {
                                "_funding": code,
                                "as_written": cell["as_written"],
                                "kind": _BALTI_COST_KIND[cell["kind_derived"]],
                                "planned_amount": Decimal(str(amount)) if amount is not None else None,
                            }
                        )
                    draft.actions.append(
                        {
                            "code": action["code"],
                            "title": action["title"],
                            "responsible_text": action["responsible_raw"],
                            "partners_text": action["partners_raw"],
                            "term": action["term"],
                            "source_note": "liniile " + "-".join(map(str, action["source_lines"])),
                            "order": len(draft.actions),
                            "_general": general["code"],
                            "_specific": specific["code"],
                            "_responsible": [
                                o.lower().replace("_", "-") for o in action["responsible_org_ids_derived"]
                            ],
                            "_partners": [o.lower().replace("_", "-") for o in action["partner_org_ids_derived"]],
                            "_costs": costs,
                        }
                    )
                    for n, ind in enumerate(action["indicators_derived"], start=1):
                        kind = _BALTI_KIND.get(ind["kind"])
                        if kind is None:
                            raise ImportRefused(
                                _("Action %(code)s: unknown indicator type “%(kind)s”.")
                                % {"code": action["code"], "kind": ind["kind"]}
                            )
                        dims = tuple(ind["disaggregation"])
                        draft.indicators.append(
                            {
                                "code": f"{action['code']}.{n}",
                                "text": ind["text"],
                                "kind": kind,
                                "unit": _unit_for(kind, ind["text"]),
                                "order": len(draft.indicators),
                                "_action": action["code"],
                                "_general": general["code"],
                                "_disaggregation": _DISAGG_BY_DIMS.get(dims) if dims else None,
                            }
                        )
    stats = data["context_statistics"]
    draft.context = [
        {
            "key": "population-table",
            "title": "Populația pe vârste și sexe",
            "year": stats["year"],
            "data": stats["population_table"],
        },
        {
            "key": "population-text",
            "title": "Populația (text)",
            "year": stats["year"],
            "data": stats["population_text"],
        },
        {
            "key": "children",
            "title": "Incluziunea socială a copiilor",
            "year": stats["year"],
            "data": stats["children_breakdown"],
        },
        {
            "key": "other-figures",
            "title": "Alte date statistice",
            "year": stats["year"],
            "data": {"figures": stats["other_figures"]},
        },
    ]
    for finding in stats["validation_findings_derived"]:
        draft.findings.append(
            {
                "code": finding["id"],
                "severity": finding["severity"],
                "message": finding["what"],
                "origin": "context_statistics",
            }
        )
    for finding in data["document_findings_derived"]:
        draft.findings.append(
            {"code": finding["id"], "severity": Severity.WARNING, "message": finding["what"], "origin": "document"}
        )
    _check_counts(draft, BALTI_EXPECTED)
    stated = data["stats_derived"]
    if stated["indicators_logical"] != len(draft.indicators) or stated["actions"] != len(draft.actions):
        raise ImportRefused(_("The source's own totals disagree with its tables."))
    return draft


# --- Baia Mare -------------------------------------------------------------------------------------

_EU_PROGRAMMES = {"por", "pocu", "pnrr", "pocidif", "interreg", "urbact", "orizont europa", "eui", "pids"}


def _funding_token(raw: str) -> tuple[str, str, str] | None:
    """(code, name, kind) of one funding source as written in a Baia Mare cell, or None for '***'."""
    text = raw.strip().strip("()").strip()
    lowered = text.lower()
    if not text or text.startswith("***"):
        return None
    if "buget local" in lowered:
        return "buget-local", "Buget local", FundingKind.LOCAL_BUDGET
    if lowered in _EU_PROGRAMMES:
        return lowered.replace(" ", "-"), text.upper() if len(text) <= 7 else text, FundingKind.EU_PROGRAMME
    if lowered.startswith("integrare în proiecte") and "urbact" in lowered:
        return "urbact", "URBACT", FundingKind.EU_PROGRAMME
    if lowered == "csr":
        return "csr", "CSR", FundingKind.CSR
    if "legea 350" in lowered:
        return "legea-350", "Legea 350/2005 (finanțări nerambursabile locale)", FundingKind.LOCAL_BUDGET
    if "legea 305" in lowered:
        return "legea-305", "Legea 305/2005", FundingKind.OTHER
    if "fără buget" in lowered or "generator de venit" in lowered:
        return "generator-venit", "Generator de venit / fără buget alocat", FundingKind.OTHER
    if "ong" in lowered:
        return "parteneriat-ong", "Parteneriat cu ONG și unități de învățământ", FundingKind.DONORS_NGO
    if "sănătate" in lowered:
        return "programe-sanatate", "Programe de sănătate", FundingKind.STATE_BUDGET
    if "inovare" in lowered:
        return "inovare-sociala", "Programe de inovare socială", FundingKind.OTHER
    return "alte-surse", "Alte surse / alte programe", FundingKind.OTHER


def _kpi_kind(name: str) -> tuple[str, str]:
    lowered = name.lower()
    if lowered.startswith("reducerea timpului"):
        return IndicatorKind.PERIOD, "zile"
    if lowered.startswith(("procentul", "rata", "gradul", "reducerea ratei")):
        return IndicatorKind.PERCENTAGE, "%"
    return IndicatorKind.COUNT, ""


# KPIs that CareNet computes from its own data (see docs/plans.md, "Computed indicators"): KPI 1 counts
# the distinct persons served (≥ 1 service delivery in the period), KPI 5 the NGO partners of the network.
BAIA_MARE_COMPUTED = {1: "cases.persons_served", 5: "network.ngo_partners"}
# Computed KPIs that report the default sex × age band × disability cells as well as the total.
BAIA_MARE_DISAGGREGATED = {1: "sex-age-disability"}


def build_baia_mare() -> PlanDraft:
    data = load_seed("baia_mare_action_plan")
    draft = PlanDraft(
        plan={
            "code": BAIA_MARE_PLAN_CODE,
            "title": data["sursa"]["document"],
            "start_year": 2025,
            "end_year": 2030,
            "status": PlanStatus.APPROVED,
            "currency": "RON",
            "monitored_by": "Direcția de Asistență Socială Baia Mare",
            "report_prepared_by": "Direcția de Asistență Socială Baia Mare",
            "source_note": f"{data['sursa']['fisier']} · {data['plan_de_actiune_nota']}",
        }
    )
    draft.versions.append({"number": 1, "kind": VersionKind.APPROVAL, "decision_reference": "", "summary": ""})
    draft.disaggregations = {
        "sex-age-disability": {
            "name": "Sex × vârstă × dizabilitate",
            "dimensions": default_sex_age_disability(DEFAULT_AGE_BANDS),
        }
    }
    titles_in_plan = {os_["obiectiv"]: os_ for os_ in data["plan_de_actiune"]}
    funding: dict[str, dict[str, Any]] = {}
    for order, objective in enumerate(data["obiective_strategice"]):
        draft.general.append(
            {"code": objective["id"], "title": objective["titlu"], "horizon": objective["orizont"], "order": order}
        )
        block = titles_in_plan.get(objective["id"])
        if block is None:
            raise ImportRefused(_("Objective %(code)s has no block in the action plan.") % {"code": objective["id"]})
        for action in block["actiuni"]:
            costs: list[dict[str, Any]] = []
            for token in action["surse_finantare"]:
                parsed = _funding_token(token)
                if parsed is None:
                    continue
                code, name, kind = parsed
                funding.setdefault(code, {"code": code, "name": name, "kind": kind, "order": len(funding)})
                if not any(c["_funding"] == code for c in costs):
                    costs.append(
                        {
                            "_funding": code,
                            "as_written": token.strip(),
                            "kind": CostKind.UNQUANTIFIED,
                            "planned_amount": None,
                        }
                    )
            draft.actions.append(
                {
                    "code": action["id"],
                    "title": action["actiune"],
                    "responsible_text": "",
                    "partners_text": action["parteneri"] or "",
                    "term": action["termen"],
                    "funding_text": action["finantare"],
                    "source_note": f"linia {action['linie']}",
                    "order": len(draft.actions),
                    "_general": objective["id"],
                    "_specific": None,
                    # The strategy names no responsible body per action; DAS implements the strategy.
                    "_responsible": ["das"],
                    "_partners": [],
                    "_costs": costs,
                }
            )
    draft.funding = list(funding.values())
    for kpi in data["kpi"]:
        kind, unit = _kpi_kind(kpi["denumire"])
        computation = BAIA_MARE_COMPUTED.get(kpi["nr"], "")
        draft.indicators.append(
            {
                "code": f"KPI{kpi['nr']}",
                "text": kpi["denumire"],
                "description": kpi["descriere"],
                "kind": kind,
                "unit": unit,
                "order": kpi["nr"],
                "source": IndicatorSource.COMPUTED if computation else IndicatorSource.ENTERED,
                "computation": computation,
                "_action": None,
                "_general": None,
                "_disaggregation": BAIA_MARE_DISAGGREGATED.get(kpi["nr"]),
            }
        )
    _check_counts(draft, {**BAIA_MARE_EXPECTED, "specific_objectives": 0})
    return draft


# --- writing ---------------------------------------------------------------------------------------


def _periods(plan: Plan) -> list[dict[str, Any]]:
    return [
        {
            "code": str(year),
            "start_date": datetime.date(year, 1, 1),
            "end_date": datetime.date(year, 12, 31),
            "deadline": datetime.date(year + 1, 2, 15),
        }
        for year in plan.years
    ]


@transaction.atomic
def write_plan(*, municipality: Municipality, draft: PlanDraft, actor: Any = None) -> Plan:
    """Write a checked draft (replacing the plan of the same code, which must have no reported data)."""
    orgs = {o.code: o for o in Organisation.objects.for_tenant(municipality)}
    missing = sorted({code for a in draft.actions for code in a["_responsible"] + a["_partners"] if code not in orgs})
    if missing:
        raise ImportRefused(
            _("Unknown organisations (load the directory first): %(codes)s") % {"codes": ", ".join(missing)}
        )
    existing = Plan.objects.for_tenant(municipality).filter(code=draft.plan["code"]).first()
    if existing is not None:
        if existing.periods.filter(submissions__isnull=False).exists():
            raise ImportRefused(_("This plan already has reported data; it cannot be re-imported."))
        existing.delete()
    m = {"municipality": municipality}
    plan = Plan.objects.create(**m, **draft.plan)
    for v in draft.versions:
        PlanVersion.objects.create(**m, plan=plan, **v)
    stages = [Stage.objects.create(**m, plan=plan, **s) for s in draft.stages]
    del stages
    areas = {a["code"]: Area.objects.create(**m, plan=plan, **a) for a in draft.areas}
    general = {}
    for g in draft.general:
        fields = {k: v for k, v in g.items() if not k.startswith("_")}
        general[g["code"]] = GeneralObjective.objects.create(
            **m, plan=plan, area=areas.get(g.get("_area", "")), **fields
        )
    specific = {}
    for s in draft.specific:
        fields = {k: v for k, v in s.items() if not k.startswith("_")}
        specific[s["code"]] = SpecificObjective.objects.create(
            **m, plan=plan, general_objective=general[s["_general"]], **fields
        )
    funding = {}
    for f in draft.funding:
        fields = {k: v for k, v in f.items() if not k.startswith("_")}
        funding[f["code"]] = FundingSource.objects.create(**m, plan=plan, **fields)
    disagg = {}
    for code, spec in draft.disaggregations.items():
        full_code = f"{plan.code}-{code}"[:60]
        DisaggregationSet.objects.for_tenant(municipality).filter(code=full_code).delete()
        disagg[code] = DisaggregationSet.objects.create(**m, code=full_code, **spec)
    actions = {}
    cost_rows = []
    for a in draft.actions:
        fields = {k: v for k, v in a.items() if not k.startswith("_")}
        action = Action.objects.create(
            **m,
            plan=plan,
            general_objective=general[a["_general"]],
            specific_objective=specific.get(a["_specific"]) if a["_specific"] else None,
            **fields,
        )
        action.responsible.set([orgs[c] for c in dict.fromkeys(a["_responsible"])])
        action.partners.set([orgs[c] for c in dict.fromkeys(a["_partners"])])
        actions[a["code"]] = action
        for c in a["_costs"]:
            fields = {k: v for k, v in c.items() if not k.startswith("_")}
            cost_rows.append(CostLine(**m, action=action, funding_source=funding[c["_funding"]], **fields))
    CostLine.objects.bulk_create(cost_rows)
    Indicator.objects.bulk_create(
        [
            Indicator(
                **m,
                plan=plan,
                action=actions.get(i["_action"]) if i["_action"] else None,
                general_objective=general.get(i["_general"]) if i["_general"] else None,
                disaggregation=disagg.get(i["_disaggregation"]) if i["_disaggregation"] else None,
                **{k: v for k, v in i.items() if not k.startswith("_")},
            )
            for i in draft.indicators
        ]
    )
    ReportingPeriod.objects.bulk_create([ReportingPeriod(**m, plan=plan, **p) for p in _periods(plan)])
    ContextTable.objects.bulk_create([ContextTable(**m, plan=plan, **c) for c in draft.context])
    findings = [Finding(**m, plan=plan, **f) for f in draft.findings]
    tables = {c["key"]: c["data"] for c in draft.context}
    if "population-table" in tables and "population-text" in tables:
        issues = check_population_tables(tables["population-table"], tables["population-text"])
        findings += [
            Finding(
                **m, plan=plan, code=f"C{n:02d}", severity=Severity.WARNING, message=issue.message, origin="computed"
            )
            for n, issue in enumerate(issues, start=1)
        ]
    Finding.objects.bulk_create(findings)
    audit_record(
        action="plan.import",
        actor=actor,
        obj=plan,
        changes={"counts": draft.counts()},
    )
    return plan


def import_balti_plan(*, municipality: Municipality, actor: Any = None) -> Plan:
    return write_plan(municipality=municipality, draft=build_balti(), actor=actor)


def import_baia_mare_plan(*, municipality: Municipality, actor: Any = None) -> Plan:
    return write_plan(municipality=municipality, draft=build_baia_mare(), actor=actor)


def normalise_space(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()
