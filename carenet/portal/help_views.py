"""Public portal home, emergency page, news, requests for help (public side and triage queue)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from carenet.audit.services import audit_read
from carenet.core.models import Municipality
from carenet.core.policy import actor_of

from . import selectors, services
from .antispam import rate_limited
from .forms import HelpRequestForm, HelpStatusForm, NewsItemForm, RerouteForm, TrackingCodeForm
from .models import HelpNeed, HelpStatus
from .permissions import (
    can_handle_help_request,
    can_publish_news,
    can_reroute_help_request,
    is_portal_staff,
    news_organisation_ids,
)

# The help form names its icons after the choices (static/portal/icons.svg).
NEED_ICONS = {value: value for value in HelpNeed.values}


def portal_context(request: HttpRequest, municipality: Municipality, **extra: Any) -> dict[str, Any]:
    """The public shell: the URL's municipality, and its official languages offered first."""
    official = list(municipality.official_languages or [])
    languages = sorted(
        settings.LANGUAGES,
        key=lambda lang: (lang[0] not in official, official.index(lang[0]) if lang[0] in official else 0),
    )
    return {"tenant": municipality, "municipality": municipality, "shell_languages": languages, **extra}


def public_municipality(request: HttpRequest) -> Municipality:
    municipality = getattr(request, "public_municipality", None)
    if municipality is None:  # pragma: no cover  (TenantMiddleware sets it for every slug URL)
        raise Http404
    return municipality


# ---------------------------------------------------------------------------------------------------
# Public pages


def portal_home(request: HttpRequest, municipality_slug: str) -> HttpResponse:
    municipality = public_municipality(request)
    news = selectors.public_news(municipality)[:3]
    return render(request, "portal/home.html", portal_context(request, municipality, news=news))


def emergency(request: HttpRequest, municipality_slug: str) -> HttpResponse:
    municipality = public_municipality(request)
    contacts = [c for c in (municipality.emergency_contacts or []) if isinstance(c, dict) and c.get("phone")]
    return render(request, "portal/emergency.html", portal_context(request, municipality, contacts=contacts))


def news_list(request: HttpRequest, municipality_slug: str) -> HttpResponse:
    municipality = public_municipality(request)
    page = Paginator(selectors.public_news(municipality), 20).get_page(request.GET.get("page"))
    return render(request, "portal/news_list.html", portal_context(request, municipality, page=page))


def news_detail(request: HttpRequest, municipality_slug: str, item_id: str) -> HttpResponse:
    municipality = public_municipality(request)
    item = selectors.public_news_item(municipality, item_id)
    return render(request, "portal/news_detail.html", portal_context(request, municipality, item=item))


@rate_limited("help", limit=10)
def help_request(request: HttpRequest, municipality_slug: str) -> HttpResponse:
    municipality = public_municipality(request)
    areas = selectors.public_areas(municipality)
    form = HelpRequestForm(request.POST or None, areas=areas)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                created = services.help_request_submit(
                    municipality=municipality,
                    help_for=data["help_for"],
                    need=data["need"],
                    area=data.get("area"),
                    area_text=data.get("area_text", ""),
                    description=data.get("description", ""),
                    contact_name=data["contact_name"],
                    contact_method=data["contact_method"],
                    contact_phone=data.get("contact_phone", ""),
                    contact_email=data.get("contact_email", ""),
                    consent=data["consent"],
                    language=get_language() or "",
                    submitted_by=request.user,
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                request.session["portal_help_code"] = created.tracking_code
                return redirect("portal:help_sent", municipality_slug=municipality.slug)
        form.refresh_timer()
    return render(
        request,
        "portal/help_form.html",
        portal_context(request, municipality, form=form),
        status=400 if form.errors else 200,
    )


def help_sent(request: HttpRequest, municipality_slug: str) -> HttpResponse:
    municipality = public_municipality(request)
    code = request.session.get("portal_help_code")
    if not code:
        return redirect("portal:help", municipality_slug=municipality.slug)
    from .codes import group

    return render(request, "portal/help_sent.html", portal_context(request, municipality, code=group(code)))


@rate_limited("track", limit=20)
def help_track(request: HttpRequest, municipality_slug: str) -> HttpResponse:
    """Status of a request by its tracking code. POST only, so the code stays out of URLs and logs."""
    municipality = public_municipality(request)
    form = TrackingCodeForm(request.POST or None)
    found = None
    invite = None
    status = 200
    if request.method == "POST" and form.is_valid():
        found = selectors.help_request_by_code(municipality, form.cleaned_data["code"])
        if found is None:
            form.add_error("code", _("We found no request with this code. Check the code and try again."))
            status = 404
        else:
            invite = selectors.feedback_invite_for_help_request(found)
    elif request.method == "POST":
        status = 400
    context = portal_context(request, municipality, form=form, found=found, invite=invite, statuses=HelpStatus)
    return render(request, "portal/help_track.html", context, status=status)


# ---------------------------------------------------------------------------------------------------
# Staff: triage queue


def _require_staff(request: HttpRequest) -> None:
    if not is_portal_staff(request.user):
        raise PermissionDenied


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    _require_staff(request)
    status = request.GET.get("status", "")
    if status not in HelpStatus.values:
        status = ""
    requests_ = selectors.help_queue(user=request.user, status=status)
    page = Paginator(requests_, 50).get_page(request.GET.get("page"))
    municipality = request.user.municipality  # type: ignore[union-attr]
    actor = actor_of(request.user)
    kpi = selectors.help_response_time_kpi(
        municipality=municipality,
        organisation_id=None if actor.is_coordinator else next(iter(actor.organisation_ids()), None),
    )
    return render(
        request,
        "portal/staff/queue.html",
        {
            "page": page,
            "status": status,
            "statuses": HelpStatus.choices,
            "kpi": kpi,
            "is_coordinator": actor.is_coordinator,
        },
    )


@login_required
def request_detail(request: HttpRequest, request_id: str) -> HttpResponse:
    _require_staff(request)
    help_request = selectors.help_request_for_staff(user=request.user, request_id=request_id)
    audit_read(actor=request.user, obj=help_request, purpose="triage")
    municipality = request.user.municipality  # type: ignore[union-attr]
    context = {
        "item": help_request,
        "status_form": HelpStatusForm(
            initial={"status": help_request.status, "service": help_request.directed_service_id},
            services=selectors.active_services(municipality),
        ),
        "reroute_form": RerouteForm(
            initial={"organisation": help_request.routed_organisation_id},
            organisations=selectors.organisations_for_routing(municipality),
        )
        if can_reroute_help_request(request.user, help_request)
        else None,
        "can_handle": can_handle_help_request(request.user, help_request),
    }
    return render(request, "portal/staff/request_detail.html", context)


@login_required
@require_POST
def request_first_contact(request: HttpRequest, request_id: str) -> HttpResponse:
    _require_staff(request)
    help_request = selectors.help_request_for_staff(user=request.user, request_id=request_id)
    services.help_request_mark_first_contact(actor=request.user, help_request=help_request)
    messages.success(request, _("First contact recorded."))
    return redirect("portal_help:detail", request_id=help_request.pk)


@login_required
@require_POST
def request_status(request: HttpRequest, request_id: str) -> HttpResponse:
    _require_staff(request)
    help_request = selectors.help_request_for_staff(user=request.user, request_id=request_id)
    form = HelpStatusForm(request.POST, services=selectors.active_services(request.user.municipality))  # type: ignore[union-attr]
    if form.is_valid():
        try:
            services.help_request_set_status(
                actor=request.user,
                help_request=help_request,
                status=form.cleaned_data["status"],
                service=form.cleaned_data.get("service"),
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Status changed."))
    else:
        messages.error(request, _("Choose a valid status."))
    return redirect("portal_help:detail", request_id=help_request.pk)


@login_required
@require_POST
def request_reroute(request: HttpRequest, request_id: str) -> HttpResponse:
    _require_staff(request)
    help_request = selectors.help_request_for_staff(user=request.user, request_id=request_id)
    if not can_reroute_help_request(request.user, help_request):
        raise PermissionDenied
    form = RerouteForm(request.POST, organisations=selectors.organisations_for_routing(request.user.municipality))  # type: ignore[union-attr]
    if form.is_valid():
        services.help_request_reroute(
            actor=request.user, help_request=help_request, organisation=form.cleaned_data["organisation"]
        )
        messages.success(request, _("Request routed."))
    else:
        messages.error(request, _("Choose an organisation."))
    return redirect("portal_help:detail", request_id=help_request.pk)


# ---------------------------------------------------------------------------------------------------
# Staff: news


@login_required
def news_staff(request: HttpRequest) -> HttpResponse:
    if not can_publish_news(request.user):
        raise PermissionDenied
    municipality = request.user.municipality  # type: ignore[union-attr]
    allowed = news_organisation_ids(request.user)
    organisations = selectors.organisations_for_routing(municipality)
    if allowed is not None:
        organisations = organisations.filter(pk__in=allowed)
    form = NewsItemForm(request.POST or None, organisations=organisations, municipality_allowed=allowed is None)
    if request.method == "POST" and form.is_valid():
        item = services.news_item_create(actor=request.user, municipality=municipality, **form.cleaned_data)
        messages.success(request, _("Announcement published."))
        return redirect("portal:news_detail", municipality_slug=municipality.slug, item_id=item.pk)
    items = selectors.staff_news(user=request.user)[:50]
    return render(request, "portal/staff/news.html", {"form": form, "items": items}, status=400 if form.errors else 200)


@login_required
@require_POST
def news_unpublish(request: HttpRequest, item_id: str) -> HttpResponse:
    try:
        item = selectors.staff_news(user=request.user).get(pk=item_id)
    except Exception as exc:
        raise Http404 from exc
    services.news_item_unpublish(actor=request.user, item=item)
    messages.success(request, _("Announcement withdrawn."))
    return redirect("portal_help:news")
