"""Announcements: the public list and page; the staff page to publish and withdraw them."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from carenet.core.access import requires

from .. import selectors, services
from ..forms import NewsItemForm
from ..permissions import NEWS_ROLES, news_item_for, news_organisation_ids
from .common import portal_context, public_municipality, staff_municipality

# ---------------------------------------------------------------------------------------------------
# Public


def news_list(request: HttpRequest, municipality_slug: str) -> HttpResponse:
    municipality = public_municipality(request)
    page = Paginator(selectors.public_news(municipality), 20).get_page(request.GET.get("page"))
    return render(request, "portal/news/list.html", portal_context(request, municipality, page=page))


def news_detail(request: HttpRequest, municipality_slug: str, item_id: str) -> HttpResponse:
    municipality = public_municipality(request)
    item = selectors.public_news_item(municipality, item_id)
    return render(request, "portal/news/detail.html", portal_context(request, municipality, item=item))


# ---------------------------------------------------------------------------------------------------
# Staff


def _news_form(request: HttpRequest) -> NewsItemForm:
    return NewsItemForm(
        request.POST if request.method == "POST" else None,
        organisations=selectors.news_organisations(user=request.user),
        municipality_allowed=news_organisation_ids(request.user) is None,
    )


def _news_page(request: HttpRequest, form: NewsItemForm, *, status: int = 200) -> HttpResponse:
    items = selectors.staff_news(user=request.user)[:50]
    return render(request, "portal/news/staff/news.html", {"form": form, "items": items}, status=status)


@requires(*NEWS_ROLES, platform_admin=False)
@require_GET
def news_staff(request: HttpRequest) -> HttpResponse:
    return _news_page(request, _news_form(request))


@requires(*NEWS_ROLES, platform_admin=False)
@require_POST
def news_create(request: HttpRequest) -> HttpResponse:
    form = _news_form(request)
    if not form.is_valid():
        return _news_page(request, form, status=400)
    municipality = staff_municipality(request)
    item = services.news_item_create(actor=request.user, municipality=municipality, **form.cleaned_data)
    messages.success(request, _("Announcement published."))
    return redirect("portal:news_detail", municipality_slug=municipality.slug, item_id=item.pk)


@requires(*NEWS_ROLES, platform_admin=False)
@require_POST
def news_unpublish(request: HttpRequest, item_id: str) -> HttpResponse:
    item = news_item_for(request.user, item_id, action="change")
    services.news_item_unpublish(actor=request.user, item=item)
    messages.success(request, _("Announcement withdrawn."))
    return redirect("portal_help:news")
