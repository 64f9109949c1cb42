from typing import TYPE_CHECKING, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from carenet.core.access import in_municipality, requires
from carenet.core.http import CareNetRequest

from . import selectors
from .forms import AreaImportForm
from .permissions import can_import_areas
from .services import area_import_geojson

if TYPE_CHECKING:
    from carenet.core.models import Municipality


# Areas are one municipality's: a platform administrator works in the platform administration (403 here).
@requires(in_municipality, platform_admin=False)
def area_list(request: CareNetRequest) -> HttpResponse:
    if request.method == "POST":
        return _area_import(request)
    form = AreaImportForm() if can_import_areas(request.user) else None
    return _render_list(request, form)


@requires(can_import_areas, platform_admin=False)
def _area_import(request: CareNetRequest) -> HttpResponse:
    form = AreaImportForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            areas = area_import_geojson(
                municipality=cast("Municipality", request.municipality),  # @requires(in_municipality)
                data=form.cleaned_data["file"],
                kind=form.cleaned_data["kind"],
                actor=request.user,
                source_note=form.cleaned_data["source_note"],
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error("file", message)
        else:
            messages.success(request, _("%(count)s areas imported.") % {"count": len(areas)})
            return redirect("geo:areas")
    return _render_list(request, form)


def _render_list(request: CareNetRequest, form: AreaImportForm | None) -> HttpResponse:
    return render(request, "geo/areas.html", {"areas": selectors.area_list(user=request.user), "form": form})


@requires(in_municipality, platform_admin=False)
def area_geojson(request: CareNetRequest) -> JsonResponse:
    data = selectors.areas_geojson(user=request.user, kind=request.GET.get("kind") or None)
    response = JsonResponse(data)
    response["Content-Disposition"] = 'attachment; filename="areas.geojson"'
    return response
