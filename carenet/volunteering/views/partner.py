"""The partner's page: its rewards, the codes made for them (code, reward, dates — never the volunteer) and the
counter's check of a code, which works once."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from carenet.core.access import requires
from carenet.core.http import CareNetRequest
from carenet.core.models import Organisation

from .. import selectors, services
from ..forms import CodeForm, RewardForm
from ..permissions import can_coordinate_volunteering, can_use_volunteering, partner_organisation_ids
from .common import apply_errors, first_message


def _partners(request: CareNetRequest) -> list[Organisation]:
    qs = Organisation.objects.for_tenant(request.municipality).filter(is_active=True)
    if not can_coordinate_volunteering(request.user):
        qs = qs.filter(pk__in=partner_organisation_ids(request.user))
    return list(qs.order_by("name"))


@requires(can_use_volunteering, platform_admin=False)
def partner_home(request: CareNetRequest) -> HttpResponse:
    ids = partner_organisation_ids(request.user)
    context = {
        "rewards": selectors.partner_rewards(partner_ids=ids, municipality=request.municipality),
        "redemptions": selectors.partner_redemptions(partner_ids=ids, municipality=request.municipality),
        "code_form": CodeForm(),
        "reward_form": RewardForm(partners=_partners(request)),
    }
    return render(request, "volunteering/partner.html", context)


@require_POST
@requires(can_use_volunteering, platform_admin=False)
def partner_check(request: CareNetRequest) -> HttpResponseBase:
    form = CodeForm(request.POST)
    ids = partner_organisation_ids(request.user)
    if not ids:
        raise PermissionDenied
    if not form.is_valid():
        messages.error(request, _("Code: write the code the volunteer shows."))
        return redirect("volunteering:partner")
    try:
        redemption = services.redemption_use(
            actor=request.user, municipality=request.municipality, code=form.cleaned_data["code"]
        )
    except ValidationError as exc:
        messages.error(request, first_message(exc))
    else:
        messages.success(
            request,
            _("Code %(code)s is valid: give “%(reward)s”.")
            % {"code": redemption.code, "reward": redemption.reward.title},
        )
    return redirect("volunteering:partner")


@require_POST
@requires(can_use_volunteering, platform_admin=False)
def reward_create(request: CareNetRequest) -> HttpResponseBase:
    form = RewardForm(request.POST, partners=_partners(request))
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.reward_create(
                actor=request.user,
                municipality=request.municipality,
                partner=form.partners[d["partner"]],
                title=d["title"],
                description=d["description"],
                cost=d["cost"],
                stock=d["stock"],
                valid_to=d["valid_to"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The reward is in the catalogue."))
            return redirect("volunteering:partner")
    ids = partner_organisation_ids(request.user)
    context = {
        "rewards": selectors.partner_rewards(partner_ids=ids, municipality=request.municipality),
        "redemptions": selectors.partner_redemptions(partner_ids=ids, municipality=request.municipality),
        "code_form": CodeForm(),
        "reward_form": form,
    }
    return render(request, "volunteering/partner.html", context, status=200)
