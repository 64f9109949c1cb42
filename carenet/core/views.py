from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .home import home_panels
from .jobs import job_can_retry
from .models import JobStatus
from .permissions import job_for
from .selectors import job_list, municipality_list, organisations_of_user


def home(request: HttpRequest) -> HttpResponse:
    """The public front door: pick a municipality, or sign in."""
    return render(request, "core/home.html", {"municipalities": municipality_list()})


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """The role home page: what waits for this user (panels registered by the apps, core.home), each item one
    click from its action; then my organisations and my background jobs."""
    context = {
        "panels": home_panels(request),
        "organisations": organisations_of_user(user=request.user),
        "jobs": job_list(user=request.user, limit=10),
    }
    return render(request, "core/dashboard.html", context)


@login_required
def job_status(request: HttpRequest, job_id: str) -> HttpResponse:
    """Progress of a background job; HTMX polls this fragment until the job is done."""
    job = job_for(request.user, job_id)
    template = "core/_job.html" if request.htmx else "core/job.html"  # type: ignore[attr-defined]
    context = {
        "job": job,
        "done": job.status in (JobStatus.DONE, JobStatus.FAILED),
        "can_retry": job_can_retry(request.user, job),
    }
    return render(request, template, context)
