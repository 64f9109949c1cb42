"""Demo data of the portal: routing tables, a few announcements, an open consultation."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from carenet.core.models import Municipality, Organisation

from .models import Consultation, HelpNeed, NewsItem, RoutingRule

# (need or "" for the default rule, organisation code)
ROUTING: dict[str, list[tuple[str, str]]] = {
    "balti": [
        ("", "primaria"),
        ("health", "ccsm"),
        ("child", "cnpac"),
        ("violence", "cnpac"),
        ("older", "atas"),
        ("disability", "atas"),
        ("food", "stas"),
    ],
    "baia-mare": [
        ("", "das"),
        ("child", "serviciul-copil-familie"),
        ("violence", "serviciul-copil-familie"),
        ("older", "ong-fundatia-tu-si-cu-mine"),
    ],
}

NEWS = {
    "balti": [
        (
            "Consultare publică: planul de acțiuni 2025-2027",
            "Vă invităm să comentați proiectul planului de consolidare a rețelei serviciilor sociale.",
        ),
    ],
    "baia-mare": [
        (
            "Cantina socială: program de iarnă",
            "Cantina socială servește masa caldă de luni până vineri, între 12:00 și 14:00.",
        ),
    ],
}


def load(*, stdout: Any = None) -> None:
    for slug, rules in ROUTING.items():
        municipality = Municipality.objects.filter(slug=slug).first()
        if municipality is None:
            continue
        orgs = {o.code: o for o in Organisation.objects.for_tenant(municipality)}
        for need, code in rules:
            if code not in orgs or (need and need not in HelpNeed.values):
                continue
            RoutingRule.objects.for_tenant(municipality).get_or_create(
                municipality=municipality, need=need, area=None, defaults={"organisation": orgs[code]}
            )
        for title, body in NEWS.get(slug, []):
            NewsItem.objects.for_tenant(municipality).get_or_create(
                title=title,
                defaults={"municipality": municipality, "body": body, "summary": body, "published_at": timezone.now()},
            )
        if slug == "balti":
            Consultation.objects.for_tenant(municipality).get_or_create(
                title="Planul de acțiuni 2025-2027 pentru rețeaua serviciilor sociale",
                defaults={
                    "municipality": municipality,
                    "summary": (
                        "Proiectul planului de acțiuni: 6 obiective generale, 57 de acțiuni. Spuneți-ne ce lipsește."
                    ),
                },
            )
    if stdout:
        stdout.write("  portal: routing tables, announcements, consultation")
