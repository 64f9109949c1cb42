"""Staff pages: the organiser's opportunities, applications and hours to confirm; the coordinator's
volunteers (approval, background check, certificate); the volunteering contract as PDF."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from carenet.audit.services import audit_read
from carenet.core.access import requires
from carenet.core.exports import export_document
from carenet.core.http import CareNetRequest
from carenet.core.models import Organisation
from carenet.core.policy import actor_of, policy

from .. import selectors, services
from ..forms import CertificateForm, CheckForm, HoursForm, OpportunityForm
from ..models import VolunteerStatus
from ..permissions import (
    application_for,
    attendance_for,
    can_coordinate_volunteering,
    can_organise,
    can_use_volunteering,
    opportunity_for,
    organising_organisation_ids,
    volunteer_for,
    volunteers_visible_to,
)
from .common import apply_errors, first_message


def _organisations(request: CareNetRequest) -> list[Organisation]:
    ids = organising_organisation_ids(request.user)
    qs = Organisation.objects.for_tenant(request.municipality).filter(is_active=True)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    return list(qs.order_by("name"))


@requires(can_use_volunteering, platform_admin=False)
def staff_home(request: CareNetRequest) -> HttpResponse:
    context = {
        "opportunities": selectors.opportunity_list(user=request.user)[:200],
        "to_confirm": selectors.hours_to_confirm(user=request.user)[:200],
        "can_organise": can_organise(request.user),
        "can_coordinate": can_coordinate_volunteering(request.user),
    }
    return render(request, "volunteering/staff_home.html", context)


@requires(can_organise, platform_admin=False)
def opportunity_create(request: CareNetRequest) -> HttpResponse:
    municipality = request.municipality
    skills = list(selectors.skills_in_force(municipality=municipality))
    form = OpportunityForm(request.POST or None, organisations=_organisations(request), skills=skills)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            opportunity = services.opportunity_create(
                actor=request.user,
                municipality=municipality,
                data=services.OpportunityInput(
                    organisation=form.organisations[d["organisation"]],
                    title=d["title"],
                    description=d["description"],
                    kind=d["kind"],
                    starts_on=d["starts_on"],
                    ends_on=d["ends_on"],
                    weekdays=list(d["weekdays"]),
                    start_time=d["start_time"],
                    end_time=d["end_time"],
                    place=d["place"],
                    skills=list(d["skills"]),
                    spots=d["spots"],
                    with_vulnerable=d["with_vulnerable"],
                    civic=d["civic"],
                ),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The opportunity is published on the portal."))
            return redirect("volunteering:opportunity", opportunity_id=opportunity.pk)
    return render(request, "volunteering/opportunity_form.html", {"form": form})


@requires(can_use_volunteering, platform_admin=False)
def opportunity_detail(request: CareNetRequest, opportunity_id: str) -> HttpResponse:
    opportunity = opportunity_for(request.user, opportunity_id)
    applications = list(selectors.opportunity_applications(user=request.user, opportunity=opportunity))
    attendances = list(selectors.hours_to_confirm(user=request.user, opportunity=opportunity))
    for a in applications:
        audit_read(actor=request.user, obj=a.volunteer, purpose="volunteering.organise")
    context = {
        "opportunity": opportunity,
        "applications": applications,
        "attendances": attendances,
        "hours_form": HoursForm(),
        "can_change": policy.can(request.user, "change", opportunity),
    }
    return render(request, "volunteering/opportunity_detail.html", context)


def _decide(request: CareNetRequest, application_id: str, *, confirm: bool) -> HttpResponseBase:
    application = application_for(request.user, application_id, action="change")
    try:
        services.application_decide(actor=request.user, application=application, confirm=confirm)
    except ValidationError as exc:
        messages.error(request, first_message(exc))
    else:
        messages.success(request, _("The volunteer is confirmed.") if confirm else _("The application is declined."))
    return redirect("volunteering:opportunity", opportunity_id=application.opportunity_id)


@require_POST
@requires(can_organise, platform_admin=False)
def application_confirm(request: CareNetRequest, application_id: str) -> HttpResponseBase:
    return _decide(request, application_id, confirm=True)


@require_POST
@requires(can_organise, platform_admin=False)
def application_decline(request: CareNetRequest, application_id: str) -> HttpResponseBase:
    return _decide(request, application_id, confirm=False)


def _hours(request: CareNetRequest, attendance_id: str, *, confirm: bool) -> HttpResponseBase:
    attendance = attendance_for(request.user, attendance_id, action="change")
    form = HoursForm(request.POST)
    hours = form.cleaned_data.get("hours") if form.is_valid() else None
    if not form.is_valid():
        messages.error(request, _("Hours: write a number between 0.25 and 16."))
    else:
        try:
            services.attendance_confirm(actor=request.user, attendance=attendance, confirm=confirm, hours=hours)
        except ValidationError as exc:
            messages.error(request, first_message(exc))
        else:
            messages.success(request, _("The hours are confirmed.") if confirm else _("The hours are not confirmed."))
    return redirect("volunteering:opportunity", opportunity_id=attendance.application.opportunity_id)


@require_POST
@requires(can_organise, platform_admin=False)
def attendance_confirm(request: CareNetRequest, attendance_id: str) -> HttpResponseBase:
    return _hours(request, attendance_id, confirm=True)


@require_POST
@requires(can_organise, platform_admin=False)
def attendance_reject(request: CareNetRequest, attendance_id: str) -> HttpResponseBase:
    return _hours(request, attendance_id, confirm=False)


@requires(can_organise, platform_admin=False)
def application_contract(request: CareNetRequest, application_id: str) -> HttpResponseBase:
    """The volunteering contract (Legea 78/2014) of a confirmed application, as PDF."""
    application = application_for(request.user, application_id, action="change")
    html = render_to_string(
        "volunteering/contract_pdf.html",
        {
            "application": application,
            "opportunity": application.opportunity,
            "volunteer": application.volunteer,
            "rules": selectors.policy_in_force(municipality=application.municipality_id),
            "today": timezone.localdate(),
        },
    )
    return export_document(
        actor=request.user,
        municipality=request.municipality,
        what="volunteering.contract",
        html=html,
        filename=f"contract-{str(application.pk)[:8]}",
        subject_ids=[application.volunteer_id],
    )


# --- the coordinator's volunteers -----------------------------------------------------------------------


@requires(can_use_volunteering, platform_admin=False)
def volunteer_list(request: CareNetRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    volunteers = volunteers_visible_to(request.user).order_by("last_name", "first_name")
    if status in VolunteerStatus.values:
        volunteers = volunteers.filter(status=status)
    rows = list(volunteers[:300])
    return render(
        request,
        "volunteering/volunteer_list.html",
        {"volunteers": rows, "status": status, "statuses": VolunteerStatus.choices},
    )


@requires(can_use_volunteering, platform_admin=False)
def volunteer_detail(request: CareNetRequest, volunteer_id: str) -> HttpResponse:
    volunteer = volunteer_for(request.user, volunteer_id)
    audit_read(actor=request.user, obj=volunteer, purpose="volunteering.coordinate")
    today = timezone.localdate()
    context = {
        "volunteer": volunteer,
        "standing": selectors.volunteer_standing(volunteer=volunteer),
        "applications": selectors.volunteer_applications(volunteer=volunteer),
        "can_change": policy.can(request.user, "change", volunteer),
        "check_form": CheckForm(initial={"background_check": volunteer.background_check, "checked_on": today}),
        "certificate_form": CertificateForm(initial={"period_from": today.replace(month=1, day=1), "period_to": today}),
        "cleared": services.check_cleared(volunteer, today),
        "minor": selectors.age_on(volunteer.birth_date, today) < 18,
        "enlisted_for_calls": selectors.enlisted_for_calls(volunteer=volunteer),
        "calls_refusals": list(services.calls_refusals(volunteer, today).values()),
        "can_enlist": can_coordinate_volunteering(request.user) and actor_of(request.user).is_coordinator,
    }
    return render(request, "volunteering/volunteer_detail.html", context)


@require_POST
@requires(can_coordinate_volunteering, platform_admin=False)
def volunteer_approve(request: CareNetRequest, volunteer_id: str) -> HttpResponseBase:
    volunteer = volunteer_for(request.user, volunteer_id, action="change")
    services.volunteer_set_status(actor=request.user, volunteer=volunteer, status=VolunteerStatus.ACTIVE)
    messages.success(request, _("The volunteer is approved."))
    return redirect("volunteering:volunteer", volunteer_id=volunteer.pk)


@require_POST
@requires(can_coordinate_volunteering, platform_admin=False)
def volunteer_suspend(request: CareNetRequest, volunteer_id: str) -> HttpResponseBase:
    volunteer = volunteer_for(request.user, volunteer_id, action="change")
    services.volunteer_set_status(actor=request.user, volunteer=volunteer, status=VolunteerStatus.SUSPENDED)
    messages.success(request, _("The volunteer is suspended."))
    return redirect("volunteering:volunteer", volunteer_id=volunteer.pk)


@require_POST
@requires(can_coordinate_volunteering, platform_admin=False)
def volunteer_check(request: CareNetRequest, volunteer_id: str) -> HttpResponseBase:
    volunteer = volunteer_for(request.user, volunteer_id, action="change")
    form = CheckForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Background check: choose a status and a valid date."))
    else:
        try:
            services.volunteer_record_check(
                actor=request.user,
                volunteer=volunteer,
                status=form.cleaned_data["background_check"],
                checked_on=form.cleaned_data["checked_on"],
            )
        except ValidationError as exc:
            messages.error(request, first_message(exc))
        else:
            messages.success(request, _("The background check is recorded."))
    return redirect("volunteering:volunteer", volunteer_id=volunteer.pk)


@require_POST
@requires(can_coordinate_volunteering, platform_admin=False)
def volunteer_certificate(request: CareNetRequest, volunteer_id: str) -> HttpResponseBase:
    """A certificate of the confirmed hours (Legea 78/2014), as PDF with its verification code."""
    volunteer = volunteer_for(request.user, volunteer_id, action="change")
    form = CertificateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Certificate: write the period's first and last day."))
        return redirect("volunteering:volunteer", volunteer_id=volunteer.pk)
    try:
        certificate = services.certificate_issue(
            actor=request.user,
            volunteer=volunteer,
            period_from=form.cleaned_data["period_from"],
            period_to=form.cleaned_data["period_to"],
        )
    except ValidationError as exc:
        messages.error(request, first_message(exc))
        return redirect("volunteering:volunteer", volunteer_id=volunteer.pk)
    html = render_to_string(
        "volunteering/certificate_pdf.html",
        {
            "certificate": certificate,
            "volunteer": volunteer,
            "applications": selectors.volunteer_applications(volunteer=volunteer).filter(status="confirmed"),
            "municipality": request.municipality,
            "rules": selectors.policy_in_force(municipality=volunteer.municipality_id),
        },
    )
    return export_document(
        actor=request.user,
        municipality=request.municipality,
        what="volunteering.certificate",
        html=html,
        filename=f"certificate-{certificate.code}",
        subject_ids=[volunteer.pk],
    )


@require_POST
@requires(can_coordinate_volunteering, platform_admin=False)
def volunteer_calls_enlist(request: CareNetRequest, volunteer_id: str) -> HttpResponseBase:
    """The coordinator lets a volunteer take the heat-wave campaigns' call lists (or takes it back)."""
    volunteer = volunteer_for(request.user, volunteer_id, action="change")
    if request.POST.get("withdraw"):
        services.volunteer_withdraw_from_calls(actor=request.user, volunteer=volunteer, reason="coordinator")
        messages.success(request, _("The volunteer no longer takes call lists."))
        return redirect("volunteering:volunteer", volunteer_id=volunteer.pk)
    try:
        services.volunteer_enlist_for_calls(actor=request.user, volunteer=volunteer)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The volunteer can now be given a campaign's call list."))
    return redirect("volunteering:volunteer", volunteer_id=volunteer.pk)
