"""Pages of the activities register: list (and its export), create, edit, detail, the field sign-in sheet and
its idempotent submission endpoint, and the spreadsheet import."""

from __future__ import annotations

import datetime
import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from carenet.core.access import requires
from carenet.core.exports import export_table
from carenet.core.form_errors import apply_errors as _apply_errors
from carenet.core.http import CareNetRequest

from . import importers, selectors, services
from .forms import ActivityForm, ImportForm
from .models import DisabilityAnswer, ParticipantSex
from .permissions import (
    activity_for,
    can_list_activities,
    can_manage_staff,
    can_record_activities,
    can_record_for_organisation,
)

PER_PAGE = 50


def _date(text: str | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(text) if text else None
    except ValueError:
        return None


@requires(can_list_activities, platform_admin=False)
def activity_list(request: CareNetRequest) -> HttpResponseBase:
    municipality = request.municipality
    kinds = list(selectors.kinds_in_force(municipality=municipality))
    chosen_kind = request.GET.get("kind", "")
    date_from, date_to = _date(request.GET.get("from")), _date(request.GET.get("to"))
    kind_id = next((k.pk for k in kinds if str(k.pk) == chosen_kind), None)
    activities = selectors.activity_list(
        user=request.user, municipality=municipality, kind=kind_id, date_from=date_from, date_to=date_to
    )
    fmt = request.GET.get("format")
    if fmt:
        return _export(request, activities, fmt)
    page = Paginator(activities, PER_PAGE).get_page(request.GET.get("page"))
    without_page = request.GET.copy()
    without_page.pop("page", None)
    context = {
        "activities": page,
        "page": page,
        "page_query": without_page.urlencode(),
        "kinds": kinds,
        "kind": chosen_kind,
        "date_from": request.GET.get("from", ""),
        "date_to": request.GET.get("to", ""),
        "can_record": can_record_activities(request.user),
        "can_see_staff": can_manage_staff(request.user),
        "query": without_page.urlencode(),
    }
    return render(request, "activities/activity_list.html", context)


def _export(request: CareNetRequest, activities: Any, fmt: str) -> HttpResponseBase:
    rows = [
        (
            a.starts_on,
            a.kind.name,
            a.title,
            a.get_status_display(),
            a.organiser.name,
            a.place,
            a.locality,
            a.plan_action.code if a.plan_action_id else "",
            a.anonymous_total,
            a.named_total,
            a.anonymous_total + a.named_total,
        )
        for a in activities
    ]
    header = [
        _("Date"),
        _("Kind"),
        _("Title"),
        _("Status"),
        _("Organiser"),
        _("Place"),
        _("Locality"),
        _("Plan action"),
        _("Participants counted"),
        _("Participants named"),
        _("Participants"),
    ]
    return export_table(
        actor=request.user,
        municipality=request.municipality,
        what="activities.activity",
        header=header,
        rows=rows,
        fmt=fmt,
        filename="activities",
        title=_("Activities and events"),
        subject_ids=[a.pk for a in activities],
    )


@requires(can_record_activities, platform_admin=False)
def activity_create(request: CareNetRequest) -> HttpResponse:
    municipality = request.municipality
    organisations = selectors.recording_organisations(user=request.user, municipality=municipality)
    form = ActivityForm(request.POST or None, municipality=municipality, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        try:
            activity = services.activity_create(actor=request.user, municipality=municipality, data=form.to_input())
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Activity recorded."))
            return redirect("activities:detail", activity_id=activity.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "activities/activity_form.html", {"form": form, "activity": None}, status=status)


@login_required
def activity_edit(request: CareNetRequest, activity_id: str) -> HttpResponse:
    activity = activity_for(request.user, activity_id, action="change")
    municipality = activity.municipality_id
    organisations = selectors.recording_organisations(user=request.user, municipality=municipality)
    form = ActivityForm(request.POST or None, municipality=municipality, organisations=organisations, activity=activity)
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_update(actor=request.user, activity=activity, data=form.to_input())
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Activity saved."))
            return redirect("activities:detail", activity_id=activity.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "activities/activity_form.html", {"form": form, "activity": activity}, status=status)


@login_required
def activity_detail(request: CareNetRequest, activity_id: str) -> HttpResponse:
    activity = activity_for(request.user, activity_id)
    attendances = list(selectors.activity_attendances(activity=activity))
    shown = selectors.named_visible(user=request.user, person_ids=[a.person_id for a in attendances])
    context = {
        "activity": activity,
        "summary": selectors.activity_sheet_summary(activity=activity),
        "attendances": [(a, a.person_id in shown) for a in attendances],
        "partners": list(activity.partners.order_by("name")),
        "can_change": can_record_for_organisation(request.user, activity.organiser_id),
    }
    return render(request, "activities/activity_detail.html", context)


@login_required
def activity_sheet(request: CareNetRequest, activity_id: str) -> HttpResponse:
    """The sign-in sheet at the door: one tap per arriving person, queued on the phone while offline."""
    activity = activity_for(request.user, activity_id, action="change")
    context = {
        "activity": activity,
        "summary": selectors.activity_sheet_summary(activity=activity),
        "bands": list(selectors.age_bands_in_force(municipality=activity.municipality_id, on=activity.starts_on)),
        "sexes": [(ParticipantSex.FEMALE, _("Woman")), (ParticipantSex.MALE, _("Man"))],
        "disabilities": DisabilityAnswer.choices,
    }
    return render(request, "activities/sign_in.html", context)


@require_POST
@login_required
def activity_sheet_submit(request: CareNetRequest, activity_id: str) -> JsonResponse:
    """One submission of the sign-in sheet, keyed by the phone: 201 recorded, 200 already recorded (a resend),
    400 refused with the field named."""
    activity = activity_for(request.user, activity_id, action="change")
    try:
        payload = json.loads(request.body or b"{}")
        if not isinstance(payload, dict):
            raise ValueError
    except ValueError:
        return JsonResponse({"status": "refused", "errors": {"": [_("The submission is not readable.")]}}, status=400)
    try:
        if payload.get("person"):
            result = services.attendance_record(
                actor=request.user, activity=activity, key=payload.get("key"), person_id=payload["person"]
            )
        else:
            number = payload.get("number", 1)
            result = services.participants_record(
                actor=request.user,
                activity=activity,
                key=payload.get("key"),
                sex=str(payload.get("sex") or ParticipantSex.UNKNOWN),
                age_band=str(payload.get("age_band") or ""),
                disability=str(payload.get("disability") or DisabilityAnswer.NOT_ASKED),
                number=number if isinstance(number, int) else -1,
            )
    except ValidationError as exc:
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
        return JsonResponse({"status": "refused", "errors": errors}, status=400)
    summary = selectors.activity_sheet_summary(activity=activity)
    return JsonResponse(
        {"status": "recorded" if result.created else "duplicate", "total": summary.total},
        status=201 if result.created else 200,
    )


@login_required
def activity_sheet_persons(request: CareNetRequest, activity_id: str) -> JsonResponse:
    """Registered persons the recorder may name (search by name, id or date of birth)."""
    activity_for(request.user, activity_id, action="change")
    found = selectors.persons_nameable(user=request.user, query=request.GET.get("q", ""))
    return JsonResponse(
        {
            "persons": [
                {
                    "id": str(p.pk),
                    "label": f"{p.last_name} {p.first_name}",
                    "born": p.birth_date.year if p.birth_date else "",
                }
                for p in found
            ]
        }
    )


@requires(can_record_activities, platform_admin=False)
def activity_import(request: CareNetRequest) -> HttpResponse:
    organisations = selectors.recording_organisations(user=request.user, municipality=request.municipality)
    form = ImportForm(request.POST or None, request.FILES or None, organisations=organisations)
    errors: list[importers.RowError] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            created = importers.activities_import(
                actor=request.user,
                organiser=form.cleaned_data["organiser"],
                name=upload.name,
                content=importers.read_upload(upload),
            )
        except importers.ImportRefused as exc:
            errors = exc.errors
        else:
            messages.success(request, _("%(count)s activities imported.") % {"count": len(created)})
            return redirect("activities:list")
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "errors": errors, "columns": importers.COLUMNS}
    return render(request, "activities/import.html", context, status=status)


@requires(can_record_activities, platform_admin=False)
def activity_import_template(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(importers.template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="activities-template.csv"'
    return response
