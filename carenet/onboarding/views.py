"""The platform administrator's onboarding page: upload the profile and the four files, check them (nothing is
written), then onboard. Thin: the form checks the shape, ``municipality_onboard`` everything else."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from carenet.core.access import requires

from .forms import OnboardingForm
from .permissions import may_onboard
from .services import municipality_onboard


@requires(may_onboard)
def onboard(request: HttpRequest) -> HttpResponse:
    form = OnboardingForm(request.POST or None, request.FILES or None)
    context: dict = {"form": form, "summary": None, "errors": []}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        dry_run = request.POST.get("confirm") != "1"
        try:
            summary = municipality_onboard(
                actor=request.user,
                profile=data["profile"],
                organisations=data["organisations"],
                services=data["services"],
                users=data["users"],
                plan=data["plan"],
                plan_mapping=data["plan_mapping"],
                dry_run=dry_run,
            )
        except ValidationError as exc:
            context["errors"] = exc.messages
            return render(request, "onboarding/onboard.html", context, status=400)
        context["summary"] = summary
        if not dry_run:
            messages.success(request, _("%(name)s is onboarded.") % {"name": summary.municipality.name})
    return render(request, "onboarding/onboard.html", context)
