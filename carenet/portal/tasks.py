"""Background work of the portal."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django_tasks import task

from carenet.core.models import Municipality, Organisation

from .models import HelpRequest


@task()
def notify_new_help_request(help_request_id: str) -> bool:
    """Tell the organisation a request reached its triage queue. The mail holds no personal data:
    only the tracking code and the path of the queue (staff sign in to read the rest)."""
    request = HelpRequest.plain.filter(pk=help_request_id).only("tracking_code", "routed_organisation_id").first()
    if request is None or request.routed_organisation_id is None:
        return False
    organisation = Organisation.plain.filter(pk=request.routed_organisation_id).only("email").first()
    if organisation is None or not organisation.email:
        return False
    send_mail(
        subject=f"CareNet: {request.display_code}",
        message=(
            f"A new request for help ({request.display_code}) is in your triage queue: /portal/help/\n"
            f"Cerere nouă de ajutor ({request.display_code}) în coada dumneavoastră: /portal/help/"
        ),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[organisation.email],
        fail_silently=True,
    )
    return True


@task()
def anonymise_expired_help_requests() -> int:
    """Daily (worker scheduler / cron): apply the retention period of requests for help, every tenant."""
    from .services import help_requests_anonymise_expired

    return sum(help_requests_anonymise_expired(municipality=m) for m in Municipality.objects.all())
