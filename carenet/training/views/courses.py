"""Courses: the list, posting a course, its page (sessions, participants' names and attendance), publishing,
sessions, the roll call of a session (a field page: offline queue, device keys) and closing the course."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from carenet.core.access import requires
from carenet.core.http import CareNetRequest
from carenet.core.policy import policy

from .. import selectors, services
from ..forms import CourseForm, SessionForm
from ..models import CourseStatus, Mark
from ..permissions import (
    can_follow_people,
    can_post_courses,
    can_use_training,
    course_for,
    courses_visible_to,
    is_company_user,
    posting_organisation_ids,
    session_for,
)
from .common import apply_errors, error_text, form_errors


@requires(can_use_training, platform_admin=False)
def course_list(request: CareNetRequest) -> HttpResponse:
    user = request.user
    visible = courses_visible_to(user)
    own_ids = posting_organisation_ids(user)
    own = visible if own_ids is None else visible.filter(organisation_id__in=own_ids)
    context = {
        "own": selectors.course_list(user=user, courses=own.order_by("-starts_on"))[:200],
        "catalogue": selectors.course_list(user=user, courses=visible.filter(status=CourseStatus.PUBLISHED))[:200]
        if can_follow_people(user)
        else [],
        "can_post": can_post_courses(user),
        "is_company": is_company_user(user),
        "follows": can_follow_people(user),
        "alerts": selectors.alerts_for(user=user, unread_only=True)[:20],
        "enrolments": selectors.my_enrolments(user=user)[:50] if can_follow_people(user) else [],
    }
    return render(request, "training/course_list.html", context)


@requires(can_post_courses, platform_admin=False)
def course_create(request: CareNetRequest) -> HttpResponse:
    organisations = selectors.posting_organisations(user=request.user, municipality=request.municipality)
    offers = selectors.posting_room_offers(user=request.user, municipality=request.municipality)
    initial = {"offered_by": "company"} if is_company_user(request.user) else {}
    form = CourseForm(request.POST or None, organisations=organisations, offers=offers, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            course = services.course_create(
                actor=request.user, data=form.to_input(), publish=form.cleaned_data.get("publish", False)
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The course is saved."))
            return redirect("training:course", course_id=course.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "training/course_form.html", {"form": form}, status=status)


@login_required
def course_detail(request: CareNetRequest, course_id: str) -> HttpResponse:
    course = course_for(request.user, course_id)
    runs = policy.can(request.user, "change", course)
    sessions = list(course.sessions.all())
    context = {
        "course": course,
        "modules": list(course.modules.all()),
        "sessions": sessions,
        "runs": runs,
        # The course's organiser sees names and attendance; the social side sees its own enrolments elsewhere.
        "participants": selectors.course_participants(course=course) if runs else [],
        "places_left": selectors.places_left(course=course),
        "session_form": SessionForm(),
        "balance": selectors.room_offer_balance(offer=course.room_offer) if course.room_offer is not None else None,
    }
    return render(request, "training/course_detail.html", context)


@require_POST
@login_required
def course_publish(request: CareNetRequest, course_id: str) -> HttpResponse:
    course = course_for(request.user, course_id, action="change")
    try:
        services.course_publish(actor=request.user, course=course)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("The course is in the public catalogue."))
    return redirect("training:course", course_id=course.pk)


@require_POST
@login_required
def session_add(request: CareNetRequest, course_id: str) -> HttpResponse:
    course = course_for(request.user, course_id, action="change")
    form = SessionForm(request.POST)
    if form.is_valid():
        try:
            services.session_add(actor=request.user, course=course, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, _("The session is added."))
    else:
        messages.error(request, form_errors(form))
    return redirect("training:course", course_id=course.pk)


@require_POST
@login_required
def course_close(request: CareNetRequest, course_id: str) -> HttpResponse:
    course = course_for(request.user, course_id, action="change")
    try:
        services.course_close(actor=request.user, course=course)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("The course is closed; certificates are issued to those who completed it."))
    return redirect("training:course", course_id=course.pk)


@login_required
def roll_call(request: CareNetRequest, session_id: str) -> HttpResponse:
    session = session_for(request.user, session_id, action="change")
    context = {
        "session": session,
        "course": session.course,
        "lines": selectors.roll_call(session=session),
        "marks": Mark.choices,
    }
    return render(request, "training/roll_call.html", context)


@require_POST
@login_required
def roll_call_submit(request: CareNetRequest, session_id: str) -> JsonResponse:
    """One mark of the roll call, keyed by the device: 201 recorded, 200 already recorded, 400 refused."""
    session = session_for(request.user, session_id, action="change")
    try:
        payload = json.loads(request.body or b"{}")
        if not isinstance(payload, dict):
            raise ValueError
    except ValueError:
        return JsonResponse({"status": "refused", "errors": {"": [_("The submission is not readable.")]}}, status=400)
    try:
        result = services.roll_call_mark(
            actor=request.user,
            session=session,
            enrolment_id=payload.get("enrolment"),
            mark=str(payload.get("mark") or ""),
            key=payload.get("key"),
        )
    except ValidationError as exc:
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
        return JsonResponse({"status": "refused", "errors": errors}, status=400)
    return JsonResponse(
        {"status": "recorded" if result.created else "duplicate", "dropped_out": result.dropped_out, "total": 1},
        status=201 if result.created else 200,
    )


@require_POST
@login_required
def session_close(request: CareNetRequest, session_id: str) -> HttpResponse:
    session = session_for(request.user, session_id, action="change")
    services.session_close(actor=request.user, session=session)
    messages.success(request, _("The roll call is closed: those not marked are absent."))
    return redirect("training:course", course_id=session.course_id)
