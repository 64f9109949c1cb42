"""Aid in kind (firewood, coal by quantity per season; Bălți action 5.1.4): seasons, the distribution list,
the handover, the signature sheet."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from carenet.audit.services import audit_export
from carenet.core.access import requires
from carenet.core.http import CareNetRequest
from carenet.people.permissions import persons_visible_to
from carenet.people.services import persons_read_record

from .. import documents, selectors, services
from ..forms import AidAllocationForm
from ..models import AidSeason
from ..permissions import allocation_for, can_manage_aid, can_read_aid, season_for
from ._common import apply_errors


@requires(can_read_aid, platform_admin=False)
def seasons(request: CareNetRequest) -> HttpResponse:
    if request.method == "POST":
        if not can_manage_aid(request.user):
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied
        try:
            starts = datetime.date.fromisoformat(request.POST.get("starts_on", ""))
            ends = datetime.date.fromisoformat(request.POST.get("ends_on", ""))
        except ValueError:
            messages.error(request, _("Enter the season's first and last day."))
        else:
            try:
                season = services.aid_season_create(
                    actor=request.user,
                    municipality=request.municipality,
                    name=request.POST.get("name", ""),
                    starts_on=starts,
                    ends_on=ends,
                )
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                return redirect("canteen:aid_season", season.pk)
    context = {
        "seasons": AidSeason.objects.for_tenant(request.municipality).order_by("-starts_on"),
        "can_manage": can_manage_aid(request.user),
    }
    return render(request, "canteen/aid_seasons.html", context)


@login_required
def season_detail(request: CareNetRequest, season_id: str) -> HttpResponse:
    season = season_for(request.user, season_id)
    form = AidAllocationForm(
        request.POST or None, persons=persons_visible_to(request.user).order_by("last_name", "first_name")
    )
    if request.method == "POST":
        season = season_for(request.user, season_id, action="manage")
        if form.is_valid():
            try:
                services.aid_allocate(actor=request.user, season=season, **form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Aid recorded."))
                return redirect("canteen:aid_season", season.pk)
    allocations = list(selectors.aid_allocations(user=request.user, season=season))
    persons_read_record(actor=request.user, person_ids=[a.person_id for a in allocations], what="canteen.aid.list")
    context = {"season": season, "allocations": allocations, "form": form, "can_manage": can_manage_aid(request.user)}
    return render(request, "canteen/aid_season.html", context, status=400 if request.method == "POST" else 200)


@require_POST
@login_required
def allocation_deliver(request: CareNetRequest, allocation_id: str) -> HttpResponse:
    allocation = allocation_for(request.user, allocation_id, action="manage")
    try:
        services.aid_deliver(actor=request.user, allocation=allocation, delivered_on=timezone.localdate())
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("canteen:aid_season", allocation.season_id)


@login_required
def signature_sheet(request: CareNetRequest, season_id: str, fmt: str) -> HttpResponse:
    """The distribution list with a column to sign on handover (PDF)."""
    season = season_for(request.user, season_id)
    if fmt != "pdf":
        raise Http404
    allocations = list(selectors.aid_allocations(user=request.user, season=season))
    audit_export(
        actor=request.user,
        municipality=season.municipality_id,
        what="canteen.aid.signatures.pdf",
        rows=len(allocations),
        subject_ids=[str(a.person_id) for a in allocations],
    )
    html = render_to_string("canteen/print/signatures.html", {"season": season, "allocations": allocations})
    response = HttpResponse(documents.html_to_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="semnaturi.pdf"'
    response["Cache-Control"] = "no-store"
    return response
