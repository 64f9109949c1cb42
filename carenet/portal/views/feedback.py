"""Feedback on services: the public code, form and published comments; the staff page (satisfaction,
feedback codes) and the answer to one feedback."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from carenet.core.access import requires

from .. import codes, selectors, services
from ..antispam import rate_limited
from ..forms import FeedbackCodeForm, FeedbackForm, FeedbackReplyForm
from ..models import FeedbackInvite, ServiceFeedback
from ..permissions import PORTAL_STAFF_ROLES, feedback_for
from .common import portal_context, public_municipality, staff_municipality

# ---------------------------------------------------------------------------------------------------
# Public


@rate_limited("feedback-code", limit=20)
def feedback_start(request: HttpRequest, municipality_slug: str) -> HttpResponse:
    municipality = public_municipality(request)
    form = FeedbackCodeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            invite = selectors.feedback_invite_by_code(municipality, form.cleaned_data["code"])
            if invite is None:
                form.add_error("code", _("We found no feedback code like this. Check the code and try again."))
                status = 404
            else:
                return redirect("portal:feedback_form", municipality_slug=municipality.slug, code=invite.code)
        else:
            status = 400
    return render(
        request, "portal/feedback/start.html", portal_context(request, municipality, form=form), status=status
    )


@rate_limited("feedback", limit=10)
def feedback_form(request: HttpRequest, municipality_slug: str, code: str) -> HttpResponse:
    municipality = public_municipality(request)
    invite = selectors.feedback_invite_by_code(municipality, code)
    if invite is None:
        raise Http404
    if invite.used_at is not None:
        # The code was used: its holder sees what they sent and the provider's answer, public or private.
        context = portal_context(
            request, municipality, feedback=selectors.feedback_of_invite(invite), service=invite.service
        )
        return render(request, "portal/feedback/sent.html", context)
    form = FeedbackForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.feedback_submit(
                    invite=invite,
                    rating=data["rating"],
                    went_well=data["went_well"],
                    went_badly=data["went_badly"],
                    comment=data["comment"],
                    author_name=data["author_name"],
                    may_publish=data["may_publish"],
                )
            except ValidationError as exc:
                form.add_error(None, exc.messages)
            else:
                return redirect("portal:feedback_thanks", municipality_slug=municipality.slug)
        form.refresh_timer()
    context = portal_context(request, municipality, form=form, service=invite.service)
    return render(request, "portal/feedback/form.html", context, status=400 if form.errors else 200)


def feedback_thanks(request: HttpRequest, municipality_slug: str) -> HttpResponse:
    return render(request, "portal/feedback/thanks.html", portal_context(request, public_municipality(request)))


def service_feedback_public(request: HttpRequest, municipality_slug: str, service_id: str) -> HttpResponse:
    municipality = public_municipality(request)
    service = selectors.public_service(municipality, service_id)
    feedback = list(selectors.public_feedback_for_service(service)[:50])
    return render(
        request,
        "portal/feedback/service.html",
        portal_context(request, municipality, service=service, feedback=feedback),
    )


# ---------------------------------------------------------------------------------------------------
# Staff


def _feedback_page(
    request: HttpRequest, *, new_invite: FeedbackInvite | None = None, status: int = 200
) -> HttpResponse:
    context: dict[str, Any] = {
        "feedback": selectors.staff_feedback(user=request.user)[:100],
        "by_service": selectors.satisfaction_for(user=request.user, by="service"),
        "by_provider": selectors.satisfaction_for(user=request.user, by="provider"),
        "services": selectors.services_for_feedback_invites(user=request.user),
        "new_invite": new_invite,
        "new_invite_code": "",
        "new_invite_url": "",
    }
    if new_invite is not None:
        slug = staff_municipality(request).slug
        context["new_invite_code"] = codes.group(new_invite.code, 4)
        context["new_invite_url"] = request.build_absolute_uri(
            reverse("portal:feedback_form", kwargs={"municipality_slug": slug, "code": new_invite.code})
        )
    return render(request, "portal/feedback/staff/list.html", context, status=status)


@requires(*PORTAL_STAFF_ROLES, platform_admin=False)
@require_GET
def feedback_staff(request: HttpRequest) -> HttpResponse:
    return _feedback_page(request)


@requires(*PORTAL_STAFF_ROLES, platform_admin=False)
@require_POST
def feedback_invite_create(request: HttpRequest) -> HttpResponse:
    """A one-time feedback code for a service; shown once, on the page this answers with."""
    service = selectors.feedback_invite_service(user=request.user, service_id=request.POST.get("service"))
    if service is None:
        messages.error(request, _("Choose a service."))
        return _feedback_page(request, status=400)
    invite = services.feedback_invite_create(actor=request.user, service=service)
    return _feedback_page(request, new_invite=invite)


def _detail_page(
    request: HttpRequest, feedback: ServiceFeedback, form: FeedbackReplyForm, *, status: int = 200
) -> HttpResponse:
    context = {"item": feedback, "form": form}
    return render(request, "portal/feedback/staff/detail.html", context, status=status)


@requires(*PORTAL_STAFF_ROLES, platform_admin=False)
@require_GET
def feedback_detail(request: HttpRequest, feedback_id: str) -> HttpResponse:
    feedback = feedback_for(request.user, feedback_id)
    form = FeedbackReplyForm(initial={"reply": feedback.reply, "is_public": feedback.reply_is_public})
    return _detail_page(request, feedback, form)


@requires(*PORTAL_STAFF_ROLES, platform_admin=False)
@require_POST
def feedback_reply(request: HttpRequest, feedback_id: str) -> HttpResponse:
    feedback = feedback_for(request.user, feedback_id, action="reply")
    form = FeedbackReplyForm(request.POST)
    if not form.is_valid():
        return _detail_page(request, feedback, form, status=400)
    services.feedback_reply(
        actor=request.user,
        feedback=feedback,
        text=form.cleaned_data["reply"],
        is_public=form.cleaned_data["is_public"],
    )
    messages.success(request, _("Answer saved."))
    return redirect("portal_engage:feedback_detail", feedback_id=feedback.pk)
