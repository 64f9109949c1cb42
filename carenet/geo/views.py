from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from carenet.core.http import CareNetRequest

from .forms import AreaImportForm
from .permissions import areas_visible_to, can_import_areas
from .selectors import areas_geojson
from .services import area_import_geojson


@login_required
def area_list(request: CareNetRequest) -> HttpResponse:
    if request.municipality is None:  # platform admins work in the platform administration
        raise PermissionDenied
    can_import = can_import_areas(request.user)
    form = AreaImportForm(request.POST or None, request.FILES or None) if can_import else None
    if request.method == "POST":
        if not can_import or form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                areas = area_import_geojson(
                    municipality=request.municipality,
                    data=form.cleaned_data["file"],  # type: ignore[attr-defined]
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
    listed = areas_visible_to(request.user).order_by("kind", "name")
    return render(request, "geo/areas.html", {"areas": listed, "form": form})


@login_required
def area_geojson(request: CareNetRequest) -> JsonResponse:
    if request.municipality is None:
        raise PermissionDenied
    data = areas_geojson(municipality=request.municipality, kind=request.GET.get("kind") or None)
    response = JsonResponse(data)
    response["Content-Disposition"] = 'attachment; filename="areas.geojson"'
    return response
