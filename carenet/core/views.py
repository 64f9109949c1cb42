from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from .models import JobStatus
from .selectors import jobs_for, municipality_list, organisations_of


def home(request: HttpRequest) -> HttpResponse:
    """The public front door: pick a municipality, or sign in."""
    return render(request, "core/home.html", {"municipalities": municipality_list()})


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """The staff start page: who I am here, my organisations and my background jobs."""
    municipality = request.municipality  # type: ignore[attr-defined]
    context = {
        "organisations": organisations_of(municipality).filter(memberships__user_id=request.user.pk).distinct()
        if municipality
        else [],
        "jobs": jobs_for(municipality=municipality, user=request.user)[:10] if municipality else [],
    }
    return render(request, "core/dashboard.html", context)


@login_required
def job_status(request: HttpRequest, job_id: str) -> HttpResponse:
    """Progress of a background job; HTMX polls this fragment until the job is done."""
    job = get_object_or_404(jobs_for(municipality=request.municipality, user=request.user), pk=job_id)  # type: ignore[attr-defined]
    template = "core/_job.html" if request.htmx else "core/job.html"  # type: ignore[attr-defined]
    return render(request, template, {"job": job, "done": job.status in (JobStatus.DONE, JobStatus.FAILED)})
