"""Pages of the heat and cold campaigns: the home (a coordinator's campaigns, a caller's lists), the
register and its rules, declaring a campaign, its live page, the call list on a phone and its idempotent
check-in endpoint, the heat layer and its critical cells, the centres."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from carenet.core.access import requires
from carenet.core.form_errors import apply_errors as _apply_errors
from carenet.core.http import CareNetRequest
from carenet.core.messaging import get_gateway, public_url, signature_valid, twiml_empty, twiml_say
from carenet.people.services import persons_read_record

from . import selectors, services
from .forms import (
    CampaignForm,
    CentreForm,
    HeatLayerForm,
    KitForm,
    MessagingSettingsForm,
    RegisterAddForm,
    RegisterReachForm,
    RuleForm,
    VisitsForm,
)
from .models import CheckInMode, CheckInOutcome
from .permissions import (
    call_list_for,
    campaign_for,
    can_manage_campaigns,
    can_open_campaigns,
    can_read_campaigns,
    can_record_on,
    centre_for,
    register_entry_for,
)

# --- home ------------------------------------------------------------------------------------------------


@requires(can_open_campaigns, platform_admin=False)
def home(request: CareNetRequest) -> HttpResponse:
    context = {
        "my_lists": list(selectors.my_lists(user=request.user)),
        "campaigns": list(selectors.campaign_list(user=request.user)[:50]) if can_read_campaigns(request.user) else [],
        "can_manage": can_manage_campaigns(request.user),
        "can_read": can_read_campaigns(request.user),
    }
    return render(request, "campaigns/home.html", context)


# --- register and rules ----------------------------------------------------------------------------------


@requires(can_read_campaigns, platform_admin=False)
def register(request: CareNetRequest) -> HttpResponse:
    entries = list(selectors.register_list(user=request.user)[:500])
    persons_read_record(actor=request.user, person_ids=[e.person_id for e in entries], what="campaigns.register.list")
    form = RegisterAddForm()
    context = {
        "entries": entries,
        "rule_names": selectors.rule_names(municipality=request.municipality),
        "total": selectors.register_in_force(municipality=request.municipality).count(),
        "form": form,
        "can_manage": can_manage_campaigns(request.user),
        "reach_languages": RegisterReachForm().fields["language"].choices,  # type: ignore[attr-defined]
    }
    return render(request, "campaigns/register.html", context)


@require_POST
@requires(can_manage_campaigns, platform_admin=False)
def register_rebuild(request: CareNetRequest) -> HttpResponse:
    result = services.register_rebuild(actor=request.user, municipality=request.municipality)
    messages.success(
        request,
        _("Register rebuilt: %(added)s added, %(kept)s kept, %(removed)s removed.")
        % {"added": result.added, "kept": result.kept, "removed": result.removed},
    )
    return redirect("campaigns:register")


@requires(can_manage_campaigns, platform_admin=False)
def register_add(request: CareNetRequest) -> HttpResponse:
    form = RegisterAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.register_add(
                actor=request.user,
                municipality=request.municipality,
                person_id=data["person"],
                legal_ground=data["legal_ground"],
                consent_on=data["consent_on"],
                legal_basis=data["legal_basis"],
                note=data["note"],
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Person added to the register."))
            return redirect("campaigns:register")
    status = 400 if request.method == "POST" else 200
    return render(request, "campaigns/register_add.html", {"form": form}, status=status)


@require_POST
@login_required
def register_remove(request: CareNetRequest, entry_id: str) -> HttpResponse:
    entry = register_entry_for(request.user, entry_id, action="change")
    services.register_remove(actor=request.user, entry=entry)
    messages.success(request, _("Removed from the register."))
    return redirect("campaigns:register")


@require_POST
@login_required
def register_reach(request: CareNetRequest, entry_id: str) -> HttpResponse:
    """How SMS and automated calls reach the person: their language, voice instead of SMS."""
    entry = register_entry_for(request.user, entry_id, action="change")
    form = RegisterReachForm(request.POST)
    if form.is_valid():
        try:
            services.register_entry_reach_set(actor=request.user, entry=entry, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Saved: how messages reach the person."))
    else:
        messages.error(request, _("Choose a language CareNet speaks."))
    return redirect("campaigns:register")


@requires(can_read_campaigns, platform_admin=False)
def rules(request: CareNetRequest) -> HttpResponse:
    form = RuleForm(request.POST or None)
    if request.method == "POST":
        if not can_manage_campaigns(request.user):
            raise PermissionDenied
        if form.is_valid():
            try:
                services.risk_rule_save(actor=request.user, municipality=request.municipality, **form.cleaned_data)
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, _("Rule saved."))
                return redirect("campaigns:rules")
    context = {
        "rules": list(selectors.rules_in_force(municipality=request.municipality)),
        "all_rules": list(selectors.rule_list(municipality=request.municipality)),
        "conf": selectors.settings_in_force(municipality=request.municipality),
        "form": form,
        "can_manage": can_manage_campaigns(request.user),
    }
    return render(request, "campaigns/rules.html", context, status=400 if request.method == "POST" else 200)


# --- campaigns -------------------------------------------------------------------------------------------


@requires(can_manage_campaigns, platform_admin=False)
def campaign_create(request: CareNetRequest) -> HttpResponse:
    callers = services.callers(municipality=request.municipality)
    form = CampaignForm(request.POST or None, callers=callers)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            campaign = services.campaign_declare(
                actor=request.user,
                municipality=request.municipality,
                kind=data["kind"],
                alert_code=data["alert_code"],
                alert_reference=data["alert_reference"],
                title=data["title"],
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                worker_ids=data["workers"],
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Campaign declared; the call lists are ready."))
            return redirect("campaigns:detail", campaign_id=campaign.pk)
    status = 400 if request.method == "POST" else 200
    register_size = selectors.register_in_force(municipality=request.municipality).count()
    return render(
        request, "campaigns/campaign_form.html", {"form": form, "register_size": register_size}, status=status
    )


def _live_context(campaign: Any) -> dict[str, Any]:
    progress = selectors.campaign_progress(campaign=campaign)
    labels = dict(CheckInOutcome.choices)
    return {
        "campaign": campaign,
        "progress": progress,
        "outcomes": [(labels.get(code, code), n) for code, n in sorted(progress.outcomes.items())],
        "coverage": selectors.coverage_within_target(campaign=campaign),
        "needing_help": selectors.share_needing_help(campaign=campaign),
        "centre_use": selectors.centre_use(campaign=campaign),
        "now": timezone.now(),
    }


@login_required
def campaign_detail(request: CareNetRequest, campaign_id: str) -> HttpResponse:
    campaign = campaign_for(request.user, campaign_id, action="dashboard")
    if campaign.status == "active" and can_manage_campaigns(request.user):
        services.contacts_escalate_overdue(campaign=campaign, actor=request.user)
    escalated = list(selectors.escalated_contacts(campaign=campaign)[:200])
    persons_read_record(actor=request.user, person_ids=[c.person_id for c in escalated], what="campaigns.escalated")
    context = {
        **_live_context(campaign),
        "escalated": escalated,
        "can_manage": can_manage_campaigns(request.user),
        "kit_form": KitForm(),
    }
    return render(request, "campaigns/campaign_detail.html", context)


@login_required
def campaign_live(request: CareNetRequest, campaign_id: str) -> HttpResponse:
    """The live part of the campaign page (htmx polls it): counts only, no person."""
    campaign = campaign_for(request.user, campaign_id, action="dashboard")
    return render(request, "campaigns/includes/live.html", _live_context(campaign))


@require_POST
@login_required
def campaign_close(request: CareNetRequest, campaign_id: str) -> HttpResponse:
    campaign = campaign_for(request.user, campaign_id, action="change")
    try:
        services.campaign_close(actor=request.user, campaign=campaign)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Campaign closed."))
    return redirect("campaigns:detail", campaign_id=campaign.pk)


@require_POST
@login_required
def campaign_kit(request: CareNetRequest, campaign_id: str) -> HttpResponse:
    campaign = campaign_for(request.user, campaign_id, action="change")
    form = KitForm(request.POST)
    if form.is_valid():
        try:
            services.kit_give(actor=request.user, campaign=campaign, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Kit recorded."))
    else:
        messages.error(request, _("Check the kit form: person, kit and quantity are needed."))
    return redirect("campaigns:detail", campaign_id=campaign.pk)


# --- the call list on a phone ----------------------------------------------------------------------------


@login_required
def call_list(request: CareNetRequest, list_id: str) -> HttpResponse:
    """A caller's list: name, address, phone and the check-in form — nothing of the case file."""
    call_list = call_list_for(request.user, list_id)
    rows = selectors.call_list_rows(call_list=call_list)
    persons_read_record(
        actor=request.user, person_ids=selectors.call_list_person_ids(call_list=call_list), what="campaigns.call_list"
    )
    context = {
        "call_list": call_list,
        "campaign": call_list.campaign,
        "rows": rows,
        "done": sum(1 for r in rows if r.status != "pending"),
        "modes": [(v, label) for v, label in CheckInMode.choices if v in services.STAFF_MODES],
        "outcomes": [(v, label) for v, label in CheckInOutcome.choices if v in services.REACHED_OUTCOMES],
        "can_record": can_record_on(request.user, call_list),
    }
    return render(request, "campaigns/call_list.html", context)


@require_POST
@login_required
def checkin_submit(request: CareNetRequest, list_id: str) -> JsonResponse:
    """One check-in, keyed by the phone: 201 recorded, 200 already recorded (a resend), 400 refused with the
    field named, 403 for a reader who may not record, 404 for a list that is not the user's."""
    call_list = call_list_for(request.user, list_id, action="record")
    try:
        payload = json.loads(request.body or b"{}")
        if not isinstance(payload, dict):
            raise ValueError
    except ValueError:
        return JsonResponse({"status": "refused", "errors": {"": [_("The submission is not readable.")]}}, status=400)
    try:
        result = services.checkin_record(
            actor=request.user,
            call_list=call_list,
            key=payload.get("key"),
            contact_id=payload.get("contact"),
            mode=str(payload.get("mode") or ""),
            outcome=str(payload.get("outcome") or ""),
            note=payload.get("note") or "",
            at=payload.get("at"),
        )
    except ValidationError as exc:
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
        return JsonResponse({"status": "refused", "errors": errors}, status=400)
    contact = result.contact
    return JsonResponse(
        {
            "status": "recorded" if result.created else "duplicate",
            "contact": str(contact.pk),
            "state": contact.status,
            "state_label": str(contact.get_status_display()),
            "tries": contact.tries,
        },
        status=201 if result.created else 200,
    )


# --- heat ------------------------------------------------------------------------------------------------


@requires(can_read_campaigns, platform_admin=False)
def heat(request: CareNetRequest) -> HttpResponse:
    form = HeatLayerForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if not can_manage_campaigns(request.user):
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.heat_layer_import(
                    actor=request.user,
                    municipality=request.municipality,
                    name=data["name"],
                    content=data["file"].read(5_000_001)[:5_000_000],
                    source_note=data["source_note"],
                    observed_on=data["observed_on"],
                    is_approximate=data["is_approximate"],
                )
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, _("Heat layer imported."))
                return redirect("campaigns:heat")
    cells = selectors.vulnerability_cells(municipality=request.municipality)
    context = {
        "form": form,
        "layers": list(selectors.heat_layer_list(municipality=request.municipality)),
        "approximate": selectors.heat_layer_is_approximate(municipality=request.municipality),
        "critical": [c for c in cells if c.critical],
        "cells": cells[:100],
        "can_manage": can_manage_campaigns(request.user),
        "conf": selectors.settings_in_force(municipality=request.municipality),
    }
    return render(request, "campaigns/heat.html", context, status=400 if request.method == "POST" else 200)


# --- centres ---------------------------------------------------------------------------------------------


@requires(can_read_campaigns, platform_admin=False)
def centres(request: CareNetRequest) -> HttpResponse:
    form = CentreForm(request.POST or None, locations=selectors.centre_locations(municipality=request.municipality))
    if request.method == "POST":
        if not can_manage_campaigns(request.user):
            raise PermissionDenied
        if form.is_valid():
            try:
                services.centre_save(actor=request.user, municipality=request.municipality, **form.cleaned_data)
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, _("Centre saved."))
                return redirect("campaigns:centres")
    context = {
        "centres": list(selectors.centre_list(municipality=request.municipality)),
        "form": form,
        "visits_form": VisitsForm(),
        "can_manage": can_manage_campaigns(request.user),
    }
    return render(request, "campaigns/centres.html", context, status=400 if request.method == "POST" else 200)


@login_required
def centre_edit(request: CareNetRequest, centre_id: str) -> HttpResponse:
    """Change a centre: its place in the directory, capacity, hours, whether it opens during alerts."""
    centre = centre_for(request.user, centre_id, action="change")
    initial = {
        "kind": centre.kind,
        "name": centre.name,
        "location": centre.location_id,
        "address": centre.address,
        "capacity": centre.capacity,
        "hours": centre.hours,
        "is_open": centre.is_open,
    }
    form = CentreForm(
        request.POST or None,
        initial=initial,
        locations=selectors.centre_locations(municipality=centre.municipality_id),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.centre_save(
                actor=request.user, municipality=centre.municipality_id, centre=centre, **form.cleaned_data
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Centre saved."))
            return redirect("campaigns:centres")
    status = 400 if request.method == "POST" else 200
    return render(request, "campaigns/centre_form.html", {"centre": centre, "form": form}, status=status)


@require_POST
@login_required
def centre_visits(request: CareNetRequest, centre_id: str) -> HttpResponse:
    centre = centre_for(request.user, centre_id, action="change")
    form = VisitsForm(request.POST)
    if form.is_valid():
        try:
            services.centre_visits_record(actor=request.user, centre=centre, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Visits recorded."))
    else:
        messages.error(request, _("Check the day and the numbers of visitors."))
    return redirect("campaigns:centres")


# --- reaching the register by SMS and voice ----------------------------------------------------------------


@login_required
def campaign_messages(request: CareNetRequest, campaign_id: str) -> HttpResponse:
    """Where the SMS and automated calls stand: counts per channel and each person of the lists the user sees
    (a caller: their own list)."""
    campaign = campaign_for(request.user, campaign_id)
    rows = selectors.message_rows(campaign=campaign, user=request.user)
    persons_read_record(actor=request.user, person_ids=[r.person_id for r in rows], what="campaigns.messages")
    sms, voice = services.messaging_in_use(municipality=campaign.municipality_id)
    can_send = can_manage_campaigns(request.user) and campaign.status == "active"
    context = {
        "campaign": campaign,
        "figures": selectors.message_figures(campaign=campaign, user=request.user),
        "rows": rows,
        "gateway": get_gateway() is not None,
        "sms_on": sms,
        "voice_on": voice,
        "can_send": can_send and (sms or voice),
        "can_manage": can_manage_campaigns(request.user),
        "job": selectors.latest_messages_job(campaign=campaign) if can_send else None,
    }
    return render(request, "campaigns/messages.html", context)


@require_POST
@login_required
def campaign_messages_send(request: CareNetRequest, campaign_id: str) -> HttpResponse:
    campaign = campaign_for(request.user, campaign_id, action="change")
    try:
        services.messages_send_start(actor=request.user, campaign=campaign)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Sending started: the SMS and calls go out in the background."))
    return redirect("campaigns:messages", campaign_id=campaign.pk)


@requires(can_manage_campaigns, platform_admin=False)
def messaging_settings(request: CareNetRequest) -> HttpResponse:
    """The municipality's SMS and voice rules (dated), and whether this server has a gateway at all."""
    conf = selectors.settings_in_force(municipality=request.municipality)
    initial = {
        "sms_enabled": conf.sms_enabled,
        "voice_enabled": conf.voice_enabled,
        "voice_attempts": conf.voice_attempts,
        "quiet_from": conf.quiet_from,
        "quiet_to": conf.quiet_to,
        "valid_from": timezone.localdate(),
    }
    form = MessagingSettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.messaging_settings_save(actor=request.user, municipality=request.municipality, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("SMS and voice rules saved."))
            return redirect("campaigns:messaging")
    context = {"form": form, "conf": conf, "gateway": get_gateway() is not None}
    return render(request, "campaigns/messaging.html", context, status=400 if request.method == "POST" else 200)


def _twiml(body: str, status: int = 200) -> HttpResponse:
    return HttpResponse(body, status=status, content_type="text/xml; charset=utf-8")


def _signed(request: HttpRequest) -> bool:
    """The gateway's X-Twilio-Signature over the public URL called and the POST parameters."""
    url = public_url(request.get_full_path()) if settings.CARENET_MESSAGING_PUBLIC_URL else request.build_absolute_uri()
    params = {key: request.POST.get(key, "") for key in request.POST}
    return signature_valid(url, params, request.headers.get("X-Twilio-Signature", ""))


@csrf_exempt
@require_POST
def hook_sms(request: HttpRequest) -> HttpResponse:
    """An SMS received: "1" or "2" from a number the campaign wrote to becomes that person's check-in. Anything
    else (an unknown number, a closed campaign, another text) is answered the same, with nothing recorded."""
    if not _signed(request):
        return HttpResponse(status=403)
    services.sms_reply_receive(
        from_number=request.POST.get("From", ""),
        body=request.POST.get("Body", ""),
        sid=request.POST.get("MessageSid") or request.POST.get("SmsSid") or "",
    )
    return _twiml(twiml_empty())


@csrf_exempt
@require_POST
def hook_voice(request: HttpRequest, message_id: str) -> HttpResponse:
    """The key pressed in an automated call: thanked in the person's language when recorded."""
    if not _signed(request):
        return HttpResponse(status=403)
    message, result = services.voice_digits_receive(
        message_id=message_id, digits=request.POST.get("Digits", ""), call_sid=request.POST.get("CallSid", "")
    )
    if message is None or result is None:
        return _twiml(twiml_empty())
    with translation.override(message.language):
        if result.contact.last_outcome == CheckInOutcome.HELP:
            text = _("Thank you. A social worker will come to you. In an emergency, call 112.")
        elif message.campaign.kind == "cold":
            text = _("Thank you. Stay warm. In an emergency, call 112.")
        else:
            text = _("Thank you. Stay in the cool and drink water. In an emergency, call 112.")
    return _twiml(twiml_say(text, message.language))


@csrf_exempt
@require_POST
def hook_status(request: HttpRequest, message_id: str) -> HttpResponse:
    """A delivery status callback of an SMS or a call."""
    if not _signed(request):
        return HttpResponse(status=403)
    services.message_status_update(message_id=message_id, params={k: request.POST.get(k, "") for k in request.POST})
    return _twiml(twiml_empty())
