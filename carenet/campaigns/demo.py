"""The demo's share of the campaigns (fast: a few hundred rows, no loop over the registry per rule).

For both municipalities: the escalation ladder and the register's rules (the thresholds are DEMO values, to
be set by the municipality), an APPROXIMATE heat layer (flagged: drawn after the strategy's text for Baia
Mare — "the west and the south of the municipality" — and around the centre for Bălți, whose plan gives no
heat map), the register built from the synthetic persons. For Baia Mare: a SYNTHETIC
past heat campaign (July 2026) with its check-ins, a synthetic cooling centre with its visits, and kits.

No real organisation's phone, address, hours or capacity is invented: no real centre is loaded (the seeds
name none); the one centre is synthetic and its details are left empty, flagged for the provider.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from carenet.core.models import Municipality

from . import services
from .models import (
    AlertCode,
    Campaign,
    CampaignKind,
    CampaignStatus,
    CentreKind,
    CheckInMode,
    CheckInOutcome,
    Contact,
    HeatLayer,
    LegalGround,
    RiskRule,
)

APPROXIMATE_NOTE = (
    "Strat APROXIMATIV (demo), nu este o măsurătoare: de înlocuit cu fișierul de temperatură a suprafeței "
    "(Copernicus / GIS-ul primăriei)."
)
LAW = {
    "RO": "Legea asistenței sociale nr. 292/2011; GDPR art. 6(1)(e), art. 9(2)(h)",
    "MD": "Legea asistenței sociale nr. 547/2003; Legea nr. 133/2011 privind protecția datelor cu caracter personal",
}
# Demo thresholds (household income per month, local currency): set by the municipality, not by a law.
LOW_INCOME = {"RO": Decimal("1500"), "MD": Decimal("3000")}


def _box(lat0: float, lon0: float, lat1: float, lon1: float) -> dict[str, Any]:
    ring = [[lon0, lat0], [lon1, lat0], [lon1, lat1], [lon0, lat1], [lon0, lat0]]
    return {"type": "Polygon", "coordinates": [ring]}


HEAT_ZONES = {
    # Baia Mare: the strategy (Figures 9 and 10) places the heat islands in the west and south of the city.
    "baia-mare": [
        ("Vest (aproximativ)", 0.85, _box(47.640, 23.520, 47.672, 23.560)),
        ("Sud (aproximativ)", 0.75, _box(47.630, 23.560, 47.650, 23.600)),
        ("Centru (aproximativ)", 0.6, _box(47.650, 23.560, 47.664, 23.585)),
    ],
    # Bălți: no heat map in the seeds; a guess around the dense centre, flagged.
    "balti": [
        ("Centru (aproximativ)", 0.8, _box(47.750, 27.910, 47.772, 27.945)),
        ("Est (aproximativ)", 0.55, _box(47.752, 27.945, 47.770, 27.965)),
    ],
}


def _rules(municipality: Municipality) -> None:
    law = LAW.get(municipality.country, LAW["RO"])
    start = datetime.date(2026, 1, 1)
    common: dict[str, Any] = {"actor": None, "municipality": municipality, "valid_from": start, "check_actor": False}
    services.risk_rule_save(
        code="age75-alone",
        name="75+ care locuiesc singuri",
        min_age=75,
        living_alone=True,
        legal_ground=LegalGround.PUBLIC_TASK,
        legal_basis=law,
        **common,
    )
    services.risk_rule_save(
        code="disability",
        name="Persoane cu dizabilități",
        disability=True,
        legal_ground=LegalGround.PUBLIC_TASK,
        legal_basis=law,
        **common,
    )
    services.risk_rule_save(
        code="chronic",
        name="Boală cronică, 65+",
        chronic_illness=True,
        min_age=65,
        legal_ground=LegalGround.PUBLIC_TASK,
        legal_basis=law,
        **common,
    )
    services.risk_rule_save(
        code="low-income-hotspot",
        name="Venit scăzut într-o insulă de căldură (prag demo)",
        income_below=LOW_INCOME.get(municipality.country, LOW_INCOME["RO"]),
        hotspot=True,
        legal_ground=LegalGround.PUBLIC_TASK,
        legal_basis=law,
        **common,
    )
    services.risk_rule_save(
        code="thermal-high",
        name="Risc termic ridicat la ultima evaluare",
        thermal_risk_from=3,
        legal_ground=LegalGround.PUBLIC_TASK,
        legal_basis=law,
        **common,
    )
    services.risk_rule_save(
        code="no-phone-70",
        name="70+ fără telefon",
        min_age=70,
        no_phone=True,
        legal_ground=LegalGround.VITAL_INTEREST,
        legal_basis="GDPR art. 6(1)(d)",
        **common,
    )


def load(*, stdout: Any = None) -> None:
    for municipality in Municipality.objects.filter(slug__in=list(HEAT_ZONES)).order_by("slug"):
        with transaction.atomic():
            _load_one(municipality, stdout=stdout)


def _load_one(municipality: Municipality, *, stdout: Any) -> None:
    if not RiskRule.objects.for_tenant(municipality).exists():
        services.campaign_settings_save(
            actor=None,
            municipality=municipality,
            valid_from=datetime.date(2026, 1, 1),
            max_tries=3,
            within_hours=4,
            contact_target_hours=24,
            list_size=25,
            check_actor=False,
        )
        _rules(municipality)
    if not HeatLayer.objects.for_tenant(municipality).exists():
        services.heat_layer_import(
            actor=None,
            municipality=municipality,
            name="Insule de căldură — strat demo aproximativ",
            content={
                "type": "FeatureCollection",
                "features": [
                    {"type": "Feature", "properties": {"name": n, "intensity": i}, "geometry": g}
                    for n, i, g in HEAT_ZONES[municipality.slug]
                ],
            },
            source_note=APPROXIMATE_NOTE,
            is_approximate=True,
            check_actor=False,
        )
    result = services.register_rebuild(actor=None, municipality=municipality, is_synthetic=True, check_actor=False)
    if stdout:
        stdout.write(f"  {municipality.name}: at-risk register +{result.added} (kept {result.kept})")
    if (
        municipality.slug == "baia-mare"
        and not Campaign.objects.for_tenant(municipality).filter(is_synthetic=True).exists()
    ):
        _past_campaign(municipality, stdout=stdout)


def _past_campaign(municipality: Municipality, *, stdout: Any) -> None:
    """A synthetic heat campaign of July 2026, worked through by the demo caseworkers."""
    rng = random.Random(2026)
    workers = services.callers(municipality=municipality)
    if not workers:
        return
    tz = timezone.get_current_timezone()
    starts = datetime.datetime(2026, 7, 14, 8, 0, tzinfo=tz)
    campaign = services.campaign_declare(
        actor=None,
        municipality=municipality,
        kind=CampaignKind.HEAT,
        alert_code=AlertCode.ORANGE,
        alert_reference="Exemplu sintetic (demo): nu este o avertizare reală",
        title="Val de căldură iulie 2026 (sintetic)",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(days=3),
        worker_ids=[u.pk for u in workers],
        is_synthetic=True,
        check_actor=False,
    )
    outcomes = [CheckInOutcome.FINE] * 14 + [
        CheckInOutcome.WATER,
        CheckInOutcome.MEDICINE,
        CheckInOutcome.TRANSPORT,
        CheckInOutcome.EMERGENCY,
    ]
    contacts = list(
        Contact.objects.for_tenant(municipality)
        .filter(campaign=campaign)
        .select_related("call_list__assignee", "call_list")
    )
    recorded = 0
    for contact in contacts:
        actor = contact.call_list.assignee
        at = starts + datetime.timedelta(minutes=rng.randint(5, 20 * 60))
        for attempt in range(4):
            roll = rng.random()
            mode = (
                CheckInMode.NOT_REACHED
                if roll < 0.2 and attempt < 3
                else rng.choice([CheckInMode.PHONE] * 4 + [CheckInMode.VISIT])
            )
            services.checkin_record(
                actor=actor,
                call_list=contact.call_list,
                key=f"{rng.getrandbits(128):032x}",
                contact_id=contact.pk,
                mode=mode,
                outcome=rng.choice(outcomes) if mode != CheckInMode.NOT_REACHED else "",
                at=at.isoformat(),
                now=at,
                is_synthetic=True,
            )
            recorded += 1
            if mode != CheckInMode.NOT_REACHED:
                break
            at += datetime.timedelta(hours=rng.choice([1, 2, 5]))
            contact.refresh_from_db()
            if contact.status != "pending":
                break
    centre = services.centre_save(
        actor=None,
        municipality=municipality,
        kind=CentreKind.COOLING,
        name="Centru de răcire (exemplu sintetic)",
        is_open=False,
        is_synthetic=True,
        check_actor=False,
    )
    for day in range(3):
        visitors = rng.randint(25, 60)
        services.centre_visits_record(
            actor=None,
            centre=centre,
            day=starts.date() + datetime.timedelta(days=day),
            visitors=visitors,
            beneficiaries=rng.randint(5, visitors // 2),
            campaign=campaign,
            is_synthetic=True,
        )
    for contact in rng.sample(contacts, min(20, len(contacts))):
        services.kit_give(
            actor=None,
            campaign=campaign,
            person_id=contact.person_id,
            kind=rng.choice(["cooling", "water"]),
            given_on=starts.date(),
            is_synthetic=True,
        )
    Campaign.objects.for_tenant(municipality).filter(pk=campaign.pk).update(status=CampaignStatus.CLOSED)
    if stdout:
        stdout.write(f"  {municipality.name}: synthetic heat campaign, {len(contacts)} persons, {recorded} check-ins")
