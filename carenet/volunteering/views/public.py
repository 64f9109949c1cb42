"""The portal's volunteering pages: sign up, the volunteer's own page (applications, check in and out, hours,
points, level and badges, codes), open opportunities, the reward catalogue, certificate verification."""

from __future__ import annotations

import datetime
import json
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_datetime
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


# How far the phone's clock may be from the server's: a turn recorded offline arrives later, never from the
# future; older than this many days it is refused (a wrong clock, a forgotten phone).
TURN_LATE_DAYS = 3
TURN_CLOCK_SLACK = datetime.timedelta(minutes=5)


def _turn_error(status: int, field: str, message: str, **extra: object) -> JsonResponse:
    return JsonResponse(
        {"status": "refused" if status == 409 else "invalid", "errors": {field: [message]}, **extra}, status=status
    )


@require_POST
@login_required
def turn_record(request: HttpRequest, municipality_slug: str) -> JsonResponse:
    """Check in or out from the volunteer's phone, queued while offline (carenet/js/offline_queue.js).

    The payload: ``key`` (device-made, once per tap), ``action`` ("in" or "out"), ``application``, ``at`` (the
    phone's time of the tap) and, for "out", ``in_key`` (the check-in's key: the check-out may be queued before
    the check-in reached the server). 201 recorded, 200 a resend, 409 refused by a rule, 400 unreadable input
    naming the field, 404 an application that is not the volunteer's."""
    municipality = _municipality(request)
    volunteer = _own_volunteer(request, municipality)
    try:
        payload = json.loads(request.body or b"{}")
        if not isinstance(payload, dict):
            raise ValueError
    except ValueError:
        return _turn_error(400, "", _("The submission is not readable."))
    try:
        key = uuid.UUID(str(payload.get("key", "")))
    except ValueError:
        return _turn_error(400, "key", _("The submission has no valid key; reload the page."))
    action = payload.get("action")
    if action not in ("in", "out"):
        return _turn_error(400, "action", _("Check in or check out."))
    now = timezone.now()
    try:
        at = parse_datetime(str(payload["at"])) if payload.get("at") else now
    except ValueError:
        at = None
    if at is None or timezone.is_naive(at):
        return _turn_error(400, "at", _("The time of the tap is not a date and time."))
    if at > now + TURN_CLOCK_SLACK or at < now - datetime.timedelta(days=TURN_LATE_DAYS):
        return _turn_error(
            400,
            "at",
            _("The time must be now or within the last %(n)s days: check the phone's clock.") % {"n": TURN_LATE_DAYS},
        )
    application = (
        Application.objects.for_tenant(municipality)
        .filter(pk=_uuid_or_none(payload.get("application")), volunteer=volunteer)
        .select_related("opportunity")
        .first()
    )
    if application is None:
        return _turn_error(404, "application", _("This is not one of your applications."))
    try:
        created = services.attendance_turn(
            actor=request.user,
            application=application,
            action=action,
            key=key,
            at=at,
            in_key=_uuid_or_none(payload.get("in_key")),
        )
    except ValidationError as exc:
        field = "at" if hasattr(exc, "error_dict") and "checked_out_at" in exc.error_dict else "application"
        return _turn_error(409, field, first_message(exc), action=action)
    body = {"status": "recorded" if created else "duplicate", "action": action, "title": application.opportunity.title}
    return JsonResponse(body, status=201 if created else 200)


def _uuid_or_none(value: object) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except (ValueError, TypeError):
        return None
