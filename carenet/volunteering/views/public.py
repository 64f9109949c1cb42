"""The portal's volunteering pages: sign up, the volunteer's own page (applications, check in and out, hours,
points, level and badges, codes), open opportunities, the reward catalogue, certificate verification."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from carenet.core.models import Municipality

from .. import selectors, services
from ..forms import SignUpForm, VerifyForm
from ..models import Application, ApplicationStatus, Attendance, Opportunity, Reward, Volunteer
from .common import apply_errors, first_message


def _municipality(request: HttpRequest) -> Municipality:
    municipality = getattr(request, "public_municipality", None)
    if municipality is None:  # pragma: no cover  (the middleware sets it for every slug URL)
        raise Http404
    return municipality


def _context(request: HttpRequest, municipality: Municipality, **extra: object) -> dict[str, object]:
    return {"municipality": municipality, "tenant": municipality, **extra}


def _home(municipality: Municipality) -> HttpResponseBase:
    return redirect("volunteering_public:home", municipality_slug=municipality.slug)


def volunteer_home(request: HttpRequest, municipality_slug: str) -> HttpResponse:
    """The volunteer's own page; a visitor sees how to take part and the open opportunities."""
    municipality = _municipality(request)
    volunteer = selectors.volunteer_of(user=request.user, municipality=municipality)
    rules = selectors.policy_in_force(municipality=municipality)
    context = _context(
        request,
        municipality,
        volunteer=volunteer,
        rules=rules,
        opportunities=selectors.open_opportunities(municipality=municipality)[:50],
    )
    if volunteer is not None:
        applications = list(selectors.volunteer_applications(volunteer=volunteer))
        open_turns = {
            a.application_id: a
            for a in selectors.volunteer_attendances(volunteer=volunteer).filter(checked_out_at__isnull=True)
        }
        for a in applications:
            a.open_turn = open_turns.get(a.pk)  # type: ignore[attr-defined]
        context.update(
            standing=selectors.volunteer_standing(volunteer=volunteer),
            applications=applications,
            applied_ids={a.opportunity_id for a in applications},
            attendances=selectors.volunteer_attendances(volunteer=volunteer)[:30],
            redemptions=selectors.volunteer_redemptions(volunteer=volunteer)[:30],
            gamification=bool(rules and rules.gamification),
            new_key=uuid.uuid4(),
        )
    return render(request, "volunteering/public/home.html", context)


@login_required
def sign_up(request: HttpRequest, municipality_slug: str) -> HttpResponse:
    municipality = _municipality(request)
    if selectors.volunteer_of(user=request.user, municipality=municipality) is not None:
        return _home(municipality)  # type: ignore[return-value]
    skills = list(selectors.skills_in_force(municipality=municipality))
    initial = {f: getattr(request.user, f, "") for f in ("first_name", "last_name", "email")}
    form = SignUpForm(request.POST or None, skills=skills, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.volunteer_sign_up(
                municipality=municipality,
                user=request.user,
                data=services.SignUp(
                    first_name=d["first_name"],
                    last_name=d["last_name"],
                    birth_date=d["birth_date"],
                    phone=d["phone"],
                    email=d["email"],
                    skills=list(d["skills"]),
                    weekdays=list(d["weekdays"]),
                    guardian_name=d["guardian_name"],
                    guardian_consent=d["guardian_consent"],
                ),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Thank you! The volunteering coordinator will approve your sign-up."))
            return _home(municipality)  # type: ignore[return-value]
    return render(request, "volunteering/public/sign_up.html", _context(request, municipality, form=form))


def _own_volunteer(request: HttpRequest, municipality: Municipality) -> Volunteer:
    volunteer = selectors.volunteer_of(user=request.user, municipality=municipality)
    if volunteer is None:
        raise Http404
    return volunteer


@require_POST
@login_required
def apply(request: HttpRequest, municipality_slug: str, opportunity_id: str) -> HttpResponseBase:
    municipality = _municipality(request)
    volunteer = _own_volunteer(request, municipality)
    opportunity = Opportunity.objects.for_tenant(municipality).filter(pk=opportunity_id).first()
    if opportunity is None:
        raise Http404
    try:
        services.application_submit(volunteer=volunteer, opportunity=opportunity)
    except ValidationError as exc:
        messages.error(request, first_message(exc))
    else:
        messages.success(request, _("You applied. The organiser will confirm you."))
    return _home(municipality)


@require_POST
@login_required
def check_in(request: HttpRequest, municipality_slug: str, application_id: str) -> HttpResponseBase:
    municipality = _municipality(request)
    volunteer = _own_volunteer(request, municipality)
    application = (
        Application.objects.for_tenant(municipality)
        .filter(pk=application_id, volunteer=volunteer, status=ApplicationStatus.CONFIRMED)
        .select_related("opportunity")
        .first()
    )
    if application is None:
        raise Http404
    try:
        key = uuid.UUID(request.POST.get("client_key", ""))
    except ValueError:
        key = None
    try:
        services.attendance_check_in(actor=request.user, application=application, client_key=key)
    except ValidationError as exc:
        messages.error(request, first_message(exc))
    else:
        messages.success(request, _("You are checked in."))
    return _home(municipality)


@require_POST
@login_required
def check_out(request: HttpRequest, municipality_slug: str, attendance_id: str) -> HttpResponseBase:
    municipality = _municipality(request)
    volunteer = _own_volunteer(request, municipality)
    attendance = (
        Attendance.objects.for_tenant(municipality).filter(pk=attendance_id, application__volunteer=volunteer).first()
    )
    if attendance is None:
        raise Http404
    try:
        services.attendance_check_out(actor=request.user, attendance=attendance)
    except ValidationError as exc:
        messages.error(request, first_message(exc))
    else:
        messages.success(request, _("You are checked out. The organiser will confirm your hours."))
    return _home(municipality)


def rewards(request: HttpRequest, municipality_slug: str) -> HttpResponse:
    municipality = _municipality(request)
    volunteer = selectors.volunteer_of(user=request.user, municipality=municipality)
    context = _context(
        request,
        municipality,
        rewards=selectors.reward_catalogue(municipality=municipality),
        volunteer=volunteer,
        balance=selectors.points_balance(volunteer=volunteer) if volunteer else None,
    )
    return render(request, "volunteering/public/rewards.html", context)


@require_POST
@login_required
def redeem(request: HttpRequest, municipality_slug: str, reward_id: str) -> HttpResponseBase:
    municipality = _municipality(request)
    volunteer = _own_volunteer(request, municipality)
    reward = Reward.objects.for_tenant(municipality).filter(pk=reward_id).first()
    if reward is None:
        raise Http404
    try:
        redemption = services.reward_redeem(volunteer=volunteer, reward=reward)
    except ValidationError as exc:
        messages.error(request, first_message(exc))
        return redirect("volunteering_public:rewards", municipality_slug=municipality.slug)
    messages.success(
        request,
        _("Your code is %(code)s. Show it to the partner; it works once.") % {"code": redemption.code},
    )
    return _home(municipality)


def verify(request: HttpRequest, municipality_slug: str) -> HttpResponse:
    """Anyone checks a certificate's code: the hours, the period and the volunteer's initials only."""
    municipality = _municipality(request)
    form = VerifyForm(request.GET or None)
    certificate = None
    searched = False
    if form.is_valid():
        searched = True
        certificate = selectors.certificate_by_code(municipality=municipality, code=form.cleaned_data["code"])
    return render(
        request,
        "volunteering/public/verify.html",
        _context(
            request,
            municipality,
            form=form,
            certificate=certificate,
            searched=searched,
            initials=f"{certificate.volunteer.first_name[:1]}. {certificate.volunteer.last_name[:1]}."
            if certificate
            else "",
        ),
    )
