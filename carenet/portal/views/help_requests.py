"""Requests for help: the public form, tracking and "my requests"; the staff triage queue, the request
page with one action per URL (first contact, status, route) and the coordinator's routing table."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from carenet.audit.services import audit_read
from carenet.core.access import requires
from carenet.core.policy import actor_of
from carenet.core.roles import Role
from carenet.people.selectors import person_duplicates
from carenet.people.services import persons_read_record

from .. import codes, selectors, services
from ..antispam import rate_limited
from ..forms import HelpRequestForm, HelpStatusForm, RerouteForm, RoutingRuleForm, TakeUpForm, TrackingCodeForm
from ..models import HelpRequest, HelpStatus
from ..permissions import (
    HANDLING_ROLES,
    PORTAL_STAFF_ROLES,
    can_handle_help_request,
    can_reroute_help_request,
    help_request_for,
    is_coordinator,
    routing_rule_for,
)
from .common import portal_context, public_municipality, staff_municipality

# ---------------------------------------------------------------------------------------------------
# Public


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
        "portal/help_requests/form.html",
        portal_context(request, municipality, form=form),
        status=400 if form.errors else 200,
    )


def help_sent(request: HttpRequest, municipality_slug: str) -> HttpResponse:
    municipality = public_municipality(request)
    code = request.session.get("portal_help_code")
    if not code:
        return redirect("portal:help", municipality_slug=municipality.slug)
    context = portal_context(request, municipality, code=codes.group(code))
    return render(request, "portal/help_requests/sent.html", context)


@rate_limited("track", limit=20)
def help_track(request: HttpRequest, municipality_slug: str) -> HttpResponse:
    """Status of a request by its tracking code. POST only, so the code stays out of URLs and logs."""
    municipality = public_municipality(request)
    form = TrackingCodeForm(request.POST or None)
    found = None
    invite = None
    feedback = None
    status = 200
    if request.method == "POST" and form.is_valid():
        found = selectors.help_request_by_code(municipality, form.cleaned_data["code"])
        if found is None:
            form.add_error("code", _("We found no request with this code. Check the code and try again."))
            status = 404
        else:
            invite = selectors.feedback_invite_for_help_request(found)
            feedback = selectors.feedback_of_help_request(found)
    elif request.method == "POST":
        status = 400
    context = portal_context(
        request, municipality, form=form, found=found, invite=invite, feedback=feedback, statuses=HelpStatus
    )
    return render(request, "portal/help_requests/track.html", context, status=status)


@login_required
def help_mine(request: HttpRequest, municipality_slug: str) -> HttpResponse:
    """A person with an account sees the requests they sent, without typing the codes."""
    municipality = public_municipality(request)
    items = selectors.help_requests_of_citizen(municipality, request.user)[:50]
    return render(request, "portal/help_requests/mine.html", portal_context(request, municipality, items=items))


# ---------------------------------------------------------------------------------------------------
# Staff: the triage queue and a request's page


@requires(*PORTAL_STAFF_ROLES, platform_admin=False)
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    if status not in HelpStatus.values:
        status = ""
    page = Paginator(selectors.help_queue(user=request.user, status=status), 50).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "status": status,
        "statuses": HelpStatus.choices,
        "kpi": selectors.help_response_hours_for(user=request.user),
        "is_coordinator": is_coordinator(request.user),
    }
    return render(request, "portal/help_requests/staff/queue.html", context)


@requires(*PORTAL_STAFF_ROLES, platform_admin=False)
@require_GET
def request_detail(request: HttpRequest, request_id: str) -> HttpResponse:
    help_request = help_request_for(request.user, request_id)
    audit_read(actor=request.user, obj=help_request, purpose="triage")
    municipality = staff_municipality(request)
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
        "can_take_up": can_handle_help_request(request.user, help_request)
        and _take_up_organisations(request.user, help_request).exists(),
        "can_open_case": help_request.case_id is not None
        and actor_of(request.user).has_role(*HANDLING_ROLES, organisation_id=help_request.taken_up_by_id),
    }
    return render(request, "portal/help_requests/staff/detail.html", context)


def _back_to(help_request: HelpRequest) -> HttpResponse:
    return redirect("portal_help:detail", request_id=help_request.pk)


@requires(*PORTAL_STAFF_ROLES, platform_admin=False)
@require_POST
def request_first_contact(request: HttpRequest, request_id: str) -> HttpResponse:
    help_request = help_request_for(request.user, request_id, action="handle")
    services.help_request_mark_first_contact(actor=request.user, help_request=help_request)
    messages.success(request, _("First contact recorded."))
    return _back_to(help_request)


@requires(*PORTAL_STAFF_ROLES, platform_admin=False)
@require_POST
def request_status(request: HttpRequest, request_id: str) -> HttpResponse:
    """Triage and closing: the new status (and the service the person was directed to)."""
    help_request = help_request_for(request.user, request_id, action="handle")
    form = HelpStatusForm(request.POST, services=selectors.active_services(help_request.municipality_id))
    if not form.is_valid():
        messages.error(request, _("Choose a valid status."))
        return _back_to(help_request)
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
    return _back_to(help_request)


@requires(*PORTAL_STAFF_ROLES, platform_admin=False)
@require_POST
def request_reroute(request: HttpRequest, request_id: str) -> HttpResponse:
    help_request = help_request_for(request.user, request_id, action="reroute")
    form = RerouteForm(request.POST, organisations=selectors.organisations_for_routing(help_request.municipality_id))
    if form.is_valid():
        services.help_request_reroute(
            actor=request.user, help_request=help_request, organisation=form.cleaned_data["organisation"]
        )
        messages.success(request, _("Request routed."))
    else:
        messages.error(request, _("Choose an organisation."))
    return _back_to(help_request)


# ---------------------------------------------------------------------------------------------------
# Staff: the routing table (see carenet.portal.routing for how a rule is chosen)


def _routing_form(request: HttpRequest) -> RoutingRuleForm:
    municipality = staff_municipality(request)
    return RoutingRuleForm(
        request.POST if request.method == "POST" else None,
        areas=selectors.public_areas(municipality),
        organisations=selectors.organisations_for_routing(municipality),
    )


def _routing_page(request: HttpRequest, form: RoutingRuleForm, *, status: int = 200) -> HttpResponse:
    context = {"rules": selectors.routing_table(user=request.user), "form": form}
    return render(request, "portal/help_requests/staff/routing.html", context, status=status)


@requires(Role.COORDINATOR, platform_admin=False)
@require_GET
def routing(request: HttpRequest) -> HttpResponse:
    return _routing_page(request, _routing_form(request))


@requires(Role.COORDINATOR, platform_admin=False)
@require_POST
def routing_rule_add(request: HttpRequest) -> HttpResponse:
    form = _routing_form(request)
    if not form.is_valid():
        return _routing_page(request, form, status=400)
    services.routing_rule_add(actor=request.user, municipality=staff_municipality(request), **form.cleaned_data)
    messages.success(request, _("Rule added."))
    return redirect("portal_help:routing")


@requires(Role.COORDINATOR, platform_admin=False)
@require_POST
def routing_rule_delete(request: HttpRequest, rule_id: int) -> HttpResponse:
    rule = routing_rule_for(request.user, rule_id, action="change")
    services.routing_rule_delete(actor=request.user, rule=rule)
    messages.success(request, _("Rule removed."))
    return redirect("portal_help:routing")


def _take_up_organisations(user: Any, help_request: HelpRequest) -> Any:
    """The providers the user may open the case for: their own that handle requests (the routed one first)."""
    own = actor_of(user).organisation_ids(*HANDLING_ROLES)
    return selectors.organisations_for_routing(help_request.municipality_id).filter(pk__in=own)


@requires(*HANDLING_ROLES, platform_admin=False)
def request_take_up(request: HttpRequest, request_id: str) -> HttpResponse:
    """A request for help turned into a person (duplicate check) and a case, in one step."""
    help_request = help_request_for(request.user, request_id, action="handle")
    if help_request.case_id is not None:
        messages.info(request, _("This request was already taken up."))
        return redirect("cases:detail", case_id=help_request.case_id)
    organisations = _take_up_organisations(request.user, help_request)
    first, _sep, last = help_request.contact_name.strip().partition(" ")
    initial = {
        "organisation": help_request.routed_organisation_id
        if organisations.filter(pk=help_request.routed_organisation_id).exists()
        else (organisations.first().pk if organisations.exists() else None),
        "first_name": first,
        "last_name": last,
        "phone": help_request.contact_phone,
        "email": help_request.contact_email,
        "address": help_request.area_text,
    }
    data = request.POST if request.method == "POST" else initial
    matches = person_duplicates(
        user=request.user,
        first_name=str(data.get("first_name") or ""),
        last_name=str(data.get("last_name") or ""),
        birth_date=_parse_date(data.get("birth_date")),
        national_id=str(data.get("national_id") or ""),
        identifier_kind=str(data.get("identifier_kind") or ""),
        sex=str(data.get("sex") or ""),
        address=str(data.get("address") or ""),
    )
    persons_read_record(actor=request.user, person_ids=[m.person.pk for m in matches], what="portal.help.take_up")
    form = TakeUpForm(request.POST or None, initial=initial, organisations=organisations, matches=matches)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        chosen = next((m for m in matches if str(m.person.pk) == data["person"]), None)
        probable = [m for m in matches if m.probable]
        override = None
        reason = data.get("reason", "").strip()
        if chosen is None and probable:
            if not reason:
                form.add_error("reason", _("Say why this is not the person already registered."))
            override = {
                "reason": reason,
                "candidates": [m.person.pk for m in probable],
                "probability": probable[0].score,
            }
        if not form.errors:
            fields = {
                k: data[k]
                for k in (
                    "first_name",
                    "last_name",
                    "birth_date",
                    "sex",
                    "identifier_kind",
                    "national_id",
                    "phone",
                    "email",
                    "address",
                )
            }
            try:
                case = services.help_request_take_up(
                    actor=request.user,
                    help_request=help_request,
                    organisation=data["organisation"],
                    person=chosen.person if chosen else None,
                    person_fields=None if chosen else fields,
                    duplicate_override=override,
                )
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    for field, errors in exc.message_dict.items():
                        form.add_error(field if field in form.fields else None, errors)
                else:
                    form.add_error(None, exc.messages)
            else:
                messages.success(request, _("The request is taken up: the case %(case)s is opened.") % {"case": case})
                return redirect("cases:detail", case_id=case.pk)
    return render(
        request,
        "portal/help_requests/staff/take_up.html",
        {"item": help_request, "form": form, "matches": matches},
    )


def _parse_date(value: Any) -> Any:
    import datetime

    try:
        return datetime.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None
