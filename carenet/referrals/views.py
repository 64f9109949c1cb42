"""Pages of referrals, transfers and notifications. Thin: parse input, call one service or selector, render."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from carenet.audit.services import audit_read, audit_record
from carenet.cases.documents import document_language
from carenet.cases.permissions import case_for
from carenet.core.access import requires
from carenet.core.capacity import live_places, with_live_places
from carenet.core.documents import fill_document
from carenet.core.exports import export_document
from carenet.core.form_errors import apply_errors as _apply_errors
from carenet.core.policy import actor_of
from carenet.core.roles import Role
from carenet.people.uploads import CONTENT_TYPES, extension_of

from . import documents, forms, services
from .models import SHARE_FIELDS, ReferralStatus
from .permissions import (
    STEP_RULES,
    can_answer_referral,
    can_cancel_referral,
    can_complete_referral,
    can_open_case_from_referral,
    can_see_referral_lists,
    can_send_referral,
    can_start_referral,
    can_view_receiver_case,
    can_view_shared_data,
    is_supervisor_of,
    provider_organisations,
    referral_for,
    refers_cases,
)
from .selectors import (
    case_documents,
    cases_to_refer,
    notifications_for,
    referral_events,
    referral_figures_for,
    referral_list_providers,
    referrals_overdue,
    referrals_received,
    referrals_sent,
    response_times,
    services_for_referral,
    shared_document_get,
    shared_dossier,
    transfer_destinations,
)
from .services import event_label

LISTS: dict[str, Callable[..., Any]] = {
    "received": referrals_received,
    "sent": referrals_sent,
    "overdue": referrals_overdue,
}


@requires(can_see_referral_lists)
def referral_list(request: HttpRequest) -> HttpResponse:
    """Received / sent / overdue referrals of the user's providers (coordinators: of any provider)."""
    box = request.GET.get("list", "received")
    if box not in LISTS:
        box = "received"
    organisations = list(referral_list_providers(user=request.user))
    org_id = request.GET.get("provider", "")[:40]
    if org_id and not any(str(o.pk) == org_id for o in organisations):
        org_id = ""
    status = request.GET.get("status", "")[:12]
    selector = LISTS[box]
    kwargs: dict[str, Any] = {"user": request.user, "organisation_id": org_id or None}
    if box != "overdue":
        kwargs["status"] = status
    return render(
        request,
        "referrals/referral_list.html",
        {
            "box": box,
            "referrals": selector(**kwargs),
            "organisations": organisations,
            "provider": org_id,
            "status": status,
            "statuses": ReferralStatus.choices,
            "now": timezone.now(),
            "can_refer": bool(provider_organisations(request.user)),
            "is_coordinator": actor_of(request.user).is_coordinator,
        },
    )


@requires(can_see_referral_lists)
def referral_stats(request: HttpRequest) -> HttpResponse:
    """Response time and completion rate per provider and per service."""
    return render(
        request,
        "referrals/referral_stats.html",
        {
            "by_provider": referral_figures_for(user=request.user, by="provider"),
            "by_service": referral_figures_for(user=request.user, by="service"),
        },
    )


@requires(refers_cases, platform_admin=False)
def referral_pick_case(request: HttpRequest) -> HttpResponse:
    """Start a referral: choose one of the provider's open cases."""
    return render(request, "referrals/pick_case.html", {"cases": cases_to_refer(user=request.user)})


@login_required
def referral_new(request: HttpRequest, case_id: str) -> HttpResponse:
    case = case_for(request.user, case_id, action="change")
    supervisor = is_supervisor_of(request.user, case.organisation_id)
    service_qs = services_for_referral(user=request.user, exclude_organisation_id=case.organisation_id)
    documents = case_documents(case=case)
    live = live_places(municipality=case.municipality_id)  # read once: the form's options and the table
    form = forms.ReferralForm(
        request.POST or None,
        request.FILES or None,
        services=service_qs,
        documents=documents,
        supervisor=supervisor,
        ask_consent=not case.legal_basis.strip(),
        live=live,
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["documents"] = list(data.get("documents") or [])
        send = "send" in request.POST
        try:
            referral = services.referral_create(actor=request.user, case=case, send=send, **data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc) or _("You may not do this."))
        else:
            messages.success(request, _("The referral is sent.") if send else _("The referral is saved as a draft."))
            return redirect("referrals:detail", referral_id=referral.pk)
    return render(
        request,
        "referrals/referral_form.html",
        {
            "form": form,
            "case": case,
            "services": with_live_places(service_qs, municipality=case.municipality_id, live=live),
            "supervisor": supervisor,
        },
    )


@login_required
def referral_detail(request: HttpRequest, referral_id: str) -> HttpResponse:
    referral = referral_for(request.user, referral_id)
    user = request.user
    if referral.status == ReferralStatus.SENT and can_answer_referral(user, referral):
        services.referral_mark_received(actor=user, referral=referral)
    shows_shared = can_view_shared_data(user, referral)
    dossier = None
    if shows_shared:
        audit_read(actor=user, obj=referral, purpose="referral")
        dossier = shared_dossier(referral=referral)
    events = [(e, event_label(e.kind)) for e in referral_events(referral=referral)]
    supervisor = is_supervisor_of(user, referral.from_organisation_id)
    answer = can_answer_referral(user, referral)
    context: dict[str, Any] = {
        "referral": referral,
        "shows_shared": shows_shared,
        "dossier": dossier,
        "shared_labels": [label for name, label in SHARE_FIELDS if getattr(referral, name)],
        "events": events,
        "can_send": can_send_referral(user, referral),
        "can_cancel": can_cancel_referral(user, referral),
        "can_answer": answer,
        "can_start": can_start_referral(user, referral),
        "can_complete": can_complete_referral(user, referral),
        "can_open_case": can_open_case_from_referral(user, referral),
        "override_form": forms.OverrideForm() if supervisor else None,
        "accept_form": forms.AcceptForm(prefix="accept") if answer else None,
        "decline_form": forms.DeclineForm(
            prefix="decline",
            services=services_for_referral(user=user, exclude_organisation_id=referral.to_organisation_id),
        )
        if answer
        else None,
        "complete_form": forms.CompleteForm(prefix="complete"),
        "cancel_form": forms.CancelForm(prefix="cancel"),
        "receiver_case_visible": can_view_receiver_case(user, referral),
        "can_print_letter": referral.from_organisation_id in provider_organisations(user),
    }
    return render(request, "referrals/referral_detail.html", context)


def _transition_form(action: str, request: HttpRequest, referral: Any) -> Any:
    if action == "accept":
        return forms.AcceptForm(request.POST, prefix="accept")
    if action == "decline":
        return forms.DeclineForm(
            request.POST,
            prefix="decline",
            services=services_for_referral(user=request.user, exclude_organisation_id=referral.to_organisation_id),
        )
    if action == "complete":
        return forms.CompleteForm(request.POST, prefix="complete")
    if action == "cancel":
        return forms.CancelForm(request.POST, prefix="cancel")
    if action == "send":
        return forms.OverrideForm(request.POST)
    return None


def _run_step(action: str, user: Any, referral: Any, data: dict[str, Any]) -> str:
    """Run one step (the referral is already checked for it); the message that says it is done."""
    if action == "send":
        services.referral_send(actor=user, referral=referral, override_reason=data.get("override_reason", ""))
        return _("The referral is sent.")
    if action == "accept":
        services.referral_accept(actor=user, referral=referral, note=data.get("note", ""))
        return _("The referral is accepted.")
    if action == "decline":
        services.referral_decline(actor=user, referral=referral, **data)
        return _("The referral is declined; the sender is told.")
    if action == "start":
        services.referral_start(actor=user, referral=referral)
        return _("Work on the referral has started.")
    if action == "complete":
        services.referral_complete(actor=user, referral=referral, **data)
        return _("The referral is completed; the outcome goes back to the sender.")
    services.referral_cancel(actor=user, referral=referral, reason=data["reason"])
    return _("The referral is cancelled.")


@login_required
@require_POST
def referral_transition(request: HttpRequest, referral_id: str, action: str) -> HttpResponse:
    """One step of the workflow; on bad input the detail page is shown again with the errors."""
    if action not in STEP_RULES:
        raise Http404
    referral = referral_for(request.user, referral_id, action=STEP_RULES[action])
    form = _transition_form(action, request, referral)
    if form is not None and not form.is_valid():
        messages.error(request, " ".join(str(m) for errs in form.errors.values() for m in errs))
        return redirect("referrals:detail", referral_id=referral.pk)
    try:
        if action == "open-case":
            case = services.referral_open_case(actor=request.user, referral=referral)
            messages.success(request, _("Your case is opened."))
            return redirect("cases:detail", case_id=case.pk)
        done = _run_step(action, request.user, referral, form.cleaned_data if form is not None else {})
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except PermissionDenied as exc:
        if not str(exc):
            raise
        messages.error(request, str(exc))
    else:
        messages.success(request, done)
    return redirect("referrals:detail", referral_id=referral.pk)


@login_required
def shared_document(request: HttpRequest, referral_id: str, document_id: str) -> FileResponse:
    """A document named in the referral, only while the user may see the shared dossier; audited."""
    referral = referral_for(request.user, referral_id, action="view_shared")
    doc = shared_document_get(referral=referral, document_id=document_id)
    audit_record(action="referral.document_view", actor=request.user, obj=referral, changes={"document": str(doc.pk)})
    ext = extension_of(doc.file.name)
    return FileResponse(
        doc.file.open("rb"),
        content_type=CONTENT_TYPES.get(ext, "application/octet-stream"),
        as_attachment=True,
        filename=f"{doc.kind}-{doc.pk}.{ext}",
    )


@login_required
def case_transfer(request: HttpRequest, case_id: str) -> HttpResponse:
    case = case_for(request.user, case_id, action="change")
    supervisor = is_supervisor_of(request.user, case.organisation_id)
    organisations = transfer_destinations(case=case)
    form = forms.TransferForm(request.POST or None, organisations=organisations, supervisor=supervisor)
    if request.method == "POST" and form.is_valid():
        try:
            services.case_transfer(actor=request.user, case=case, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc) or _("You may not do this."))
        else:
            messages.success(
                request, _("The case is transferred to %(org)s.") % {"org": form.cleaned_data["to_organisation"]}
            )
            return redirect("referrals:list")
    return render(request, "referrals/transfer_form.html", {"form": form, "case": case})


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if user.municipality_id is None:
        raise Http404
    notifications = list(notifications_for(user=request.user))
    return render(request, "referrals/notifications.html", {"notifications": notifications})


@login_required
@require_POST
def notifications_read(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if user.municipality_id is None:
        raise Http404
    count = services.notifications_mark_read(actor=request.user)
    messages.success(request, _("%(count)s notifications marked as read.") % {"count": count})
    return redirect("referrals:notifications")


@login_required
def referral_letter(request: HttpRequest, referral_id: str, fmt: str) -> HttpResponse:
    """The referral letter as PDF or DOCX, for the sending provider (the receiver sees the referral, not the
    letter: 403); in the language asked for where the municipality offers it; audited."""
    referral = referral_for(request.user, referral_id)
    if referral.from_organisation_id not in provider_organisations(request.user):
        raise PermissionDenied
    if fmt not in ("pdf", "docx"):
        raise Http404
    language = document_language(referral.municipality, request.GET.get("lang", "")[:8])
    html = fill_document(
        municipality_id=referral.municipality_id,
        kind=documents.LETTER,
        language=language,
        values=documents.letter_values(referral),
    )
    return export_document(
        actor=request.user,
        municipality=referral.municipality_id,
        what=documents.LETTER,
        html=html,
        fmt=fmt,
        filename=f"referral-{referral.reference}-{language}",
        title=f"{documents.LABEL} {referral.reference}",
        subject_ids=[referral.person_id],
    )


@requires(Role.COORDINATOR, platform_admin=False)
def response_time_list(request: HttpRequest) -> HttpResponse:
    """The municipality's response deadlines per urgency, and the form to set a new one from a date."""
    form = forms.ResponseTimeForm(request.POST or None, initial={"valid_from": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.response_time_set(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The response time is saved."))
            return redirect("referrals:response_times")
    return render(
        request,
        "referrals/response_times.html",
        {"form": form, "rows": response_times(user=request.user), "today": timezone.localdate()},
    )
