"""The portal's home page of a municipality and its emergency numbers."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from .. import selectors
from .common import portal_context, public_municipality


def portal_home(request: HttpRequest, municipality_slug: str) -> HttpResponse:
    municipality = public_municipality(request)
    news = selectors.public_news(municipality)[:3]
    services_url = reverse("finder:search", kwargs={"municipality_slug": municipality.slug})
    context = portal_context(request, municipality, news=news, services_url=services_url)
    return render(request, "portal/home/home.html", context)


def emergency(request: HttpRequest, municipality_slug: str) -> HttpResponse:
    municipality = public_municipality(request)
    contacts = [c for c in (municipality.emergency_contacts or []) if isinstance(c, dict) and c.get("phone")]
    return render(request, "portal/home/emergency.html", portal_context(request, municipality, contacts=contacts))
