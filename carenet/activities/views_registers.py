"""Pages of the network registers (decision 0025): the staff register of an organisation, agreements, media
items, recommendations, accessibility evaluations and sub-plans — a list (paginated) and a form each, and a
staff member's page with their trainings. Thin: the permissions decide, the selectors read, the services write."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from carenet.core.http import CareNetRequest
from carenet.core.models import Organisation

from . import selectors, services
from .forms import (
    AgreementForm,
    EvaluationForm,
    MediaItemForm,
    RecommendationForm,
    RecommendationStatusForm,
    RegisterForm,
    StaffForm,
    SubPlanAssessForm,
    SubPlanForm,
)
from .models import AccessibilityEvaluation, MediaItem, Recommendation, SubPlan
from .permissions import (
    can_follow_up,
    can_manage_staff,
    can_read_registers,
    can_record_agreements,
    can_record_registers,
    register_record_to_change,
    register_recording_organisation_ids,
    staff_member_for,
)
from .views import _apply_errors

PER_PAGE = 50


def _d(value: Any) -> str:
    return value.strftime("%Y-%m-%d") if value else "—"


def _action(record: Any) -> str:
    return record.plan_action.code if record.plan_action_id else "—"


def _staff_orgs(user: Any, municipality: Any) -> Any:
    from carenet.core.policy import actor_of
    from carenet.core.roles import Role

    qs = Organisation.objects.for_tenant(municipality).filter(is_generic=False).order_by("name")
    actor = actor_of(user)
    if actor.is_platform_admin or actor.is_coordinator:
        return qs
    return qs.filter(pk__in=actor.organisation_ids(Role.PROVIDER_MANAGER))


def _register_orgs(user: Any, municipality: Any) -> Any:
    qs = Organisation.objects.for_tenant(municipality).filter(is_generic=False).order_by("name")
    ids = register_recording_organisation_ids(user)
    return qs if ids is None else qs.filter(pk__in=ids)


@dataclass(frozen=True)
class Register:
    title: Any
    intro: Any
    columns: tuple[Any, ...]
    rows: Callable[[Any], Any]  # user → queryset
    cells: Callable[[Any], list[str]]  # record → cells
    can_list: Callable[[Any], bool]
    can_record: Callable[[Any], bool]
    form: type[RegisterForm]
    organisations: Callable[[Any, Any], Any]
    create: Callable[..., Any]
    link: Callable[[Any], str] | None = None
    link_if: Callable[[Any, Any], bool] = lambda user, record: True  # may the user open the link?


def _staff_cells(m: Any) -> list[str]:
    left = _("left on %(date)s") % {"date": _d(m.employed_to)} if m.employed_to else ""
    return [
        m.full_name,
        m.organisation.short_name or m.organisation.name,
        m.get_profession_display(),
        m.post or "—",
        " ".join(x for x in (_d(m.employed_from), left) if x),
        str(m.trainings_n),
    ]


REGISTERS: dict[str, Register] = {
    "staff": Register(
        title=gettext_lazy("Staff register"),
        intro=gettext_lazy(
            "The specialists of your organisation by profession and post, with their employment dates and the "
            "trainings they attended. The share of specialists trained and the staff turnover are counted from it. "
            "Personal data: seen by the organisation's managers and the coordinator only."
        ),
        columns=(
            gettext_lazy("Full name"),
            gettext_lazy("Organisation"),
            gettext_lazy("Profession"),
            gettext_lazy("Post"),
            gettext_lazy("Employed"),
            gettext_lazy("Trainings"),
        ),
        rows=lambda user: selectors.staff_of_organisation(user=user),
        cells=_staff_cells,
        can_list=can_manage_staff,
        can_record=can_manage_staff,
        form=StaffForm,
        organisations=_staff_orgs,
        create=services.staff_member_create,
        link=lambda m: reverse("activities:staff_detail", args=[m.pk]),
    ),
    "agreements": Register(
        title=gettext_lazy("Agreements and partnerships"),
        intro=gettext_lazy("Partnership agreements, cooperation protocols, contracts and memoranda of the network."),
        columns=(
            gettext_lazy("Signed on"),
            gettext_lazy("Title"),
            gettext_lazy("Kind"),
            gettext_lazy("Recorded by"),
            gettext_lazy("Expires on"),
            gettext_lazy("Plan action"),
        ),
        rows=lambda user: selectors.agreement_list(user=user),
        cells=lambda a: [
            _d(a.signed_on),
            a.title,
            a.get_kind_display(),
            a.organisation.short_name or a.organisation.name,
            _d(a.expires_on),
            _action(a),
        ],
        can_list=can_read_registers,
        can_record=can_record_agreements,
        form=AgreementForm,
        organisations=_staff_orgs,
        create=services.agreement_create,
    ),
    "media": Register(
        title=gettext_lazy("Media and information"),
        intro=gettext_lazy(
            "Articles, broadcasts, success stories, and each placement or update of an information panel."
        ),
        columns=(
            gettext_lazy("Published on"),
            gettext_lazy("Title"),
            gettext_lazy("Kind"),
            gettext_lazy("Media outlet"),
            gettext_lazy("Organisation"),
            gettext_lazy("Plan action"),
        ),
        rows=lambda user: selectors.register_list(user=user, model=MediaItem),
        cells=lambda x: [
            _d(x.published_on),
            x.title,
            x.get_kind_display(),
            x.outlet or "—",
            x.organisation.short_name or x.organisation.name,
            _action(x),
        ],
        can_list=can_read_registers,
        can_record=can_record_registers,
        form=MediaItemForm,
        organisations=_register_orgs,
        create=services.media_item_create,
    ),
    "recommendations": Register(
        title=gettext_lazy("Recommendations"),
        intro=gettext_lazy(
            "Recommendations formulated by the platform, evaluations or consultations, and their follow-up."
        ),
        columns=(
            gettext_lazy("Formulated on"),
            gettext_lazy("Recommendation"),
            gettext_lazy("Source"),
            gettext_lazy("Addressed to"),
            gettext_lazy("Status"),
            gettext_lazy("Implemented on"),
        ),
        rows=lambda user: selectors.register_list(user=user, model=Recommendation),
        cells=lambda x: [
            _d(x.formulated_on),
            x.text,
            x.get_source_display(),
            x.organisation.short_name or x.organisation.name,
            x.get_status_display(),
            _d(x.implemented_on),
        ],
        can_list=can_read_registers,
        can_record=can_record_registers,
        form=RecommendationForm,
        organisations=_register_orgs,
        create=services.recommendation_create,
        link=lambda x: reverse("activities:recommendation_status", args=[x.pk]),
        link_if=can_follow_up,
    ),
    "accessibility": Register(
        title=gettext_lazy("Accessibility evaluations"),
        intro=gettext_lazy("Evaluations of buildings, web pages and information systems, and when they were adapted."),
        columns=(
            gettext_lazy("Evaluated on"),
            gettext_lazy("Name or address"),
            gettext_lazy("What was evaluated"),
            gettext_lazy("Organisation"),
            gettext_lazy("Result"),
            gettext_lazy("Adapted on"),
        ),
        rows=lambda user: selectors.register_list(user=user, model=AccessibilityEvaluation),
        cells=lambda x: [
            _d(x.evaluated_on),
            x.name,
            x.get_target_display(),
            x.organisation.short_name or x.organisation.name,
            x.get_result_display(),
            _d(x.adapted_on),
        ],
        can_list=can_read_registers,
        can_record=can_record_registers,
        form=EvaluationForm,
        organisations=_register_orgs,
        create=services.accessibility_evaluation_create,
    ),
    "subplans": Register(
        title=gettext_lazy("Sub-plans"),
        intro=gettext_lazy(
            "Annual activity plans of the social services, libraries, cultural institutions and the accessibility "
            "plan, with the share of their own indicators achieved."
        ),
        columns=(
            gettext_lazy("Year"),
            gettext_lazy("Title"),
            gettext_lazy("Kind"),
            gettext_lazy("Organisation"),
            gettext_lazy("Approved on"),
            gettext_lazy("Indicators achieved"),
        ),
        rows=lambda user: selectors.register_list(user=user, model=SubPlan),
        cells=lambda x: [
            str(x.year),
            x.title,
            x.get_kind_display(),
            x.organisation.short_name or x.organisation.name,
            _d(x.approved_on),
            f"{x.achieved_n} / {x.indicators_n}",
        ],
        can_list=can_read_registers,
        can_record=can_record_registers,
        form=SubPlanForm,
        organisations=_register_orgs,
        create=services.sub_plan_create,
        link=lambda x: reverse("activities:sub_plan_assess", args=[x.pk]),
        link_if=can_follow_up,
    ),
}


def _register(name: str) -> Register:
    spec = REGISTERS.get(name)
    if spec is None:
        raise Http404
    return spec


@login_required
def register_list(request: CareNetRequest, register: str) -> HttpResponse:
    spec = _register(register)
    if request.municipality is None or not spec.can_list(request.user):
        raise PermissionDenied
    page = Paginator(spec.rows(request.user), PER_PAGE).get_page(request.GET.get("page"))
    rows = [
        (
            spec.link(r) if spec.link and spec.link_if(request.user, r) else "",
            spec.cells(r),
            getattr(r, "is_synthetic", False),
        )
        for r in page
    ]
    # The tabs of the registers this user may open (the staff register is personal data: managers only).
    tabs = [(key, other.title) for key, other in REGISTERS.items() if other.can_list(request.user)]
    context = {
        "spec": spec,
        "tabs": tabs,
        "register": register,
        "page": page,
        "rows": rows,
        "can_record": spec.can_record(request.user),
    }
    return render(request, "activities/register_list.html", context)


@login_required
def register_create(request: CareNetRequest, register: str) -> HttpResponse:
    spec = _register(register)
    if request.municipality is None or not spec.can_record(request.user):
        raise PermissionDenied
    m = request.municipality
    form = spec.form(request.POST or None, municipality=m, organisations=spec.organisations(request.user, m))
    if request.method == "POST" and form.is_valid():
        try:
            spec.create(actor=request.user, **form.values())
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Recorded."))
            return redirect("activities:register", register=register)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "activities/register_form.html", {"spec": spec, "register": register, "form": form}, status=status
    )


@login_required
def staff_detail(request: CareNetRequest, member_id: str) -> HttpResponse:
    """A staff member and their trainings (their organisation's managers and the coordinator; others: 404)."""
    member = staff_member_for(request.user, member_id)
    trainings = list(member.trainings.select_related("activity").order_by("-completed_on"))
    return render(request, "activities/staff_detail.html", {"member": member, "trainings": trainings})


@login_required
def recommendation_status(request: CareNetRequest, record_id: str) -> HttpResponse:
    """Follow a recommendation up: implemented on a date, being implemented, or not accepted."""
    rec = register_record_to_change(request.user, Recommendation, record_id)
    initial = {"status": rec.status, "implemented_on": rec.implemented_on}
    form = RecommendationStatusForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.recommendation_status_set(actor=request.user, recommendation=rec, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Recorded."))
            return redirect("activities:register", register="recommendations")
    status = 400 if request.method == "POST" else 200
    return render(request, "activities/recommendation_status.html", {"rec": rec, "form": form}, status=status)


@login_required
def sub_plan_assess(request: CareNetRequest, record_id: str) -> HttpResponse:
    """Assess a sub-plan's own indicators at the year's end: achieved, not achieved, or not yet assessed."""
    plan = register_record_to_change(request.user, SubPlan, record_id)
    form = SubPlanAssessForm(request.POST or None, indicators=selectors.sub_plan_indicators(sub_plan=plan))
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():  # all the answers or none
            for indicator, achieved in form.answers():
                services.sub_plan_indicator_assess(actor=request.user, indicator=indicator, achieved=achieved)
        messages.success(request, _("Recorded."))
        return redirect("activities:register", register="subplans")
    status = 400 if request.method == "POST" else 200
    return render(request, "activities/sub_plan_assess.html", {"plan": plan, "form": form}, status=status)
