"""Isolation, generated from the URL resolver (issue 26, "Must show").

Every URL pattern of CareNet is filled with real fixture records of one provider (provider A of Baia Mare:
its person, case, referral, consent, service, location, the municipality's plan …) and requested:

1. by the record's own side (A's caseworker, A's manager, the coordinator, the platform administrator),
   only to choose, among the candidate records, a filling that opens — the page is real;
2. then by those who must be refused, and a leak is any answer with data (2xx):
   * a user of the other municipality (Bălți's coordinator) — every non-public URL;
   * an anonymous visitor — every non-public URL;
   * a lower role: a signed-in citizen with no staff role — every non-public URL; A's own caseworker —
     the platform administration, user and role management, and the audit log;
   * a user of another provider (B's caseworker and B's manager) — every URL of A's private records
     (people, cases, referrals, help requests routed to A, A's jobs and staff).

Lists (``/people/``, ``/api/v1/persons/`` …) answer the others with their own data: a leak there is A's
person's name or id in the answer. Public pages (the portal, finder, transparency, public dashboard, HSDS)
are left out. The figures (URL patterns, tries, leaks, patterns no record could fill) are printed.

The programme apps (canteen, housing, campaigns, volunteering, care, training, activities) crawl their own
URLs in their own ``tests/test_isolation_crawl.py``, with records built by their own fixtures; the engine is
``carenet.testing.isolation``.
"""

from __future__ import annotations

import datetime
import re

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from carenet.accounts import services as accounts_services
from carenet.accounts.models import UserSession
from carenet.cases import services as cases_services
from carenet.core.documents import DOCUMENT_KINDS
from carenet.core.models import BackgroundJob
from carenet.directory import services as directory_services
from carenet.directory.models import HsdsPull
from carenet.directory.permissions import IMPORT_JOB_KIND
from carenet.plans.models import ReportingPeriod
from carenet.portal import services as portal_services
from carenet.privacy import services as privacy_services
from carenet.testing import factories
from carenet.testing.isolation import Attacker, crawl, outsiders

pytestmark = pytest.mark.isolation

PUBLIC = re.compile(
    r"^(api:hsds|finder:|transparency:|portal:|public_dashboard:|core:home|accounts:(login|logout|password_reset)"
    r"|javascript-catalog|set_language|admin:(login|logout|jsi18n|password_change))"
)
# Crawled by the programme apps' own tests, with their own records.
PROGRAMMES = re.compile(
    r"^(canteen|housing|campaigns|volunteering|volunteering_public|care|care_public|training|training_public"
    r"|activities):"
)
# A's private records: another provider of the same municipality must never read them.
PRIVATE = re.compile(
    r"^(people:|cases:|referrals:|api:(person|case|referral|delivery)|portal_help:(detail|first_contact|status|reroute)"
    r"|core:job|reports:report_(job|download)|accounts:(user|role_|session_end|api_token_revoke)|privacy:)"
)
# Above a caseworker: the platform administration, the management of users and roles, the audit log.
ADMIN_ONLY = re.compile(r"^(admin:|accounts:(user|role_)|audit:)")
EVERY = re.compile("")


@pytest.fixture
def provider_a_records(
    person_a, case_a, service_a, org_a, org_b, caseworker_a, coordinator, consent_for_crawl, bm_plan
):
    referral = factories.ReferralFactory(
        case=case_a,
        to_service=factories.ServiceFactory(
            organisation=factories.OrganisationFactory(municipality=case_a.municipality, code="third-provider"),
            municipality=case_a.municipality,
        ),
    )
    today = datetime.date.today()
    task = cases_services.task_add(actor=caseworker_a, case=case_a, title="Vizită", due_on=today)
    duty = cases_services.duty_add(
        actor=caseworker_a, case=case_a, kind="plan_follow_up", starts_on=today, interval_weeks=4
    )
    document = cases_services.document_upload(
        actor=caseworker_a,
        case=case_a,
        kind="request",
        title="Cerere",
        file=SimpleUploadedFile("cerere.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", "application/pdf"),
    )
    job = BackgroundJob.objects.create(
        municipality=case_a.municipality, kind="report", title="Raport", created_by=caseworker_a
    )
    help_request = portal_services.help_request_submit(
        municipality=case_a.municipality,
        help_for="self",
        need="child",
        contact_name="Ana Crawl",
        contact_method="visit",
        consent=True,
        area_text="Strada Mare",
    )
    feedback = portal_services.feedback_submit(
        invite=portal_services.feedback_invite_create(actor=caseworker_a, service=service_a),
        rating=3,
        went_well=[],
        went_badly=[],
    )
    consultation = portal_services.consultation_create(
        actor=coordinator, municipality=case_a.municipality, title="Strategia", summary="Proiect"
    )
    municipality = case_a.municipality
    news = portal_services.news_item_create(actor=coordinator, municipality=municipality, title="Știre", body="Text")
    rule = portal_services.routing_rule_add(actor=coordinator, municipality=municipality, organisation=org_a)
    survey = portal_services.survey_create(
        actor=coordinator, municipality=municipality, title="Chestionar", intro="", audience="public"
    )
    token, _key = accounts_services.api_token_create(
        actor=caseworker_a, verified=True, name="crawl", scopes=["read"], days=30
    )
    signed_in = Client()
    signed_in.force_login(caseworker_a)
    sessions = list(UserSession.objects.filter(user=caseworker_a).values_list("pk", flat=True)[:1])
    consultation_comment = portal_services.consultation_comment_add(consultation=consultation, text="Bine")
    idea = portal_services.idea_add(consultation=consultation, title="Parc", text="Un parc")
    hold = privacy_services.legal_hold_place(actor=coordinator, person=person_a, reason="Litigiu")
    # Rows for the platform administration's object pages.
    Group.objects.create(name="crawl")
    AccessAttempt.objects.create(username="x", ip_address="10.0.0.1", user_agent="crawl", failures_since_start=1)
    AccessFailureLog.objects.create(username="x", ip_address="10.0.0.1", user_agent="crawl")
    AccessLog.objects.create(username="x", ip_address="10.0.0.1", user_agent="crawl")
    enrolled = factories.UserFactory(username="enrolled")  # a second factor, on a user the crawl does not sign in
    TOTPDevice.objects.create(user=enrolled, name="phone")
    StaticDevice.objects.create(user=enrolled, name="backup")
    now = timezone.now()
    # The directory's feeds (decision 0024): a source, a pull waiting for a decision, an HSDS import job.
    source = directory_services.hsds_source_save(
        actor=coordinator,
        municipality=municipality,
        name="Sursa",
        url="https://feed.example.org/f.zip",
        pull_enabled=False,
    )
    pull = HsdsPull.objects.create(municipality=municipality, source=source, url=source.url)
    import_job = BackgroundJob.objects.create(
        municipality=municipality, kind=IMPORT_JOB_KIND, title="Import", created_by=coordinator
    )
    apps.get_model("django_tasks_database", "DBTaskResult").objects.create(
        enqueued_at=now, run_after=now, args_kwargs={}, task_path="carenet.x", backend_name="default"
    )
    return {
        "comment_id": [consultation_comment.pk],
        "idea_id": [idea.pk],
        "hold_id": [hold.pk],
        "content_type_id": [ContentType.objects.get_for_model(type(person_a)).pk],
        "object_id": [person_a.pk],  # the admin's "view on site" of A's person
        "id": [caseworker_a.pk],
        "kind": ["services", "persons", *DOCUMENT_KINDS],
        "item_id": [news.pk],
        "rule_id": [rule.pk],
        "survey_id": [survey.pk],
        "token_id": [token.pk],
        "session_id": sessions,
        "task_id": [task.pk],
        "duty_id": [duty.pk],
        "document_id": [document.pk],
        "job_id": [job.pk, import_job.pk],
        "source_id": [source.pk],
        "pull_id": [pull.pk],
        "request_id": [help_request.pk],
        "feedback_id": [feedback.pk],
        "consultation_id": [consultation.pk],
        "person_id": [person_a.pk],
        "case_id": [case_a.pk],
        "referral_id": [referral.pk],
        "consent_id": [consent_for_crawl.pk],
        "service_id": [service_a.pk],
        "organisation_id": [org_a.pk],
        "organization_id": [org_a.pk],
        "user_id": [caseworker_a.uuid, caseworker_a.pk],
        "plan_id": [bm_plan.pk],
        "code": list(ReportingPeriod.objects.for_tenant(bm_plan.municipality).values_list("code", flat=True)[:2]),
        "pk": [person_a.pk, case_a.pk],
        "municipality_slug": ["baia-mare"],
        "app_label": ["people", "cases"],
    }


@pytest.fixture
def consent_for_crawl(person_a, caseworker_a):
    from carenet.people.services import consent_record

    return consent_record(
        actor=caseworker_a, person=person_a, purpose="case_management", given_on=datetime.date.today()
    )


def test_no_url_answers_another_provider_municipality_lower_role_or_anonymous_with_data(
    baia_mare,
    person_a,
    case_a,
    caseworker_a,
    manager_a,
    caseworker_b,
    manager_b,
    coordinator,
    other_tenant_user,
    citizen,
    provider_a_records,
):
    admin = factories.UserFactory(username="root", is_superuser=True, is_staff=True)
    result = crawl(
        include=EVERY,
        exclude=re.compile(f"{PUBLIC.pattern}|{PROGRAMMES.pattern}"),
        municipality=baia_mare,
        owners=[caseworker_a, manager_a, coordinator, admin],
        attackers=[
            *outsiders(other_municipality=other_tenant_user, citizen=citizen),
            Attacker("lower role (A's caseworker)", caseworker_a, ADMIN_ONLY),
            Attacker("other provider (caseworker)", caseworker_b, PRIVATE),
            Attacker("other provider (manager)", manager_b, PRIVATE),
        ],
        markers=[str(person_a.pk), person_a.last_name, case_a.reference],
        candidates=provider_a_records,
    )
    print(result.report())
    assert not result.leaks, "\n".join(result.leaks)
    assert not result.unfilled, result.report()
    assert result.tally["tries"] > 400
