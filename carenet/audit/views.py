from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from carenet.core.access import requires

from .forms import AuditFilterForm
from .permissions import can_browse_audit
from .selectors import AuditFilters, audit_event_list
from .services import audit_record


@requires(can_browse_audit)
def audit_log(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET or None)
    filters = AuditFilters(**form.cleaned_data) if form.is_valid() else AuditFilters()
    events = audit_event_list(user=request.user, filters=filters)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    # Read the page before the browse itself is logged: counted before and sliced after, the page would
    # show this browse and drop the page's oldest event.
    page.object_list = list(page.object_list)
    audit_record(action="audit.browse", actor=request.user, changes={"filters": request.GET.dict()})
    querystring = request.GET.copy()
    querystring.pop("page", None)
    return render(request, "audit/log.html", {"form": form, "page": page, "querystring": querystring.urlencode()})
