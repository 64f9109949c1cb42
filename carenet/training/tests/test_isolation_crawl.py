"""Isolation of training and employment, generated from the URL resolver (issue 26, "Must show").

Every URL pattern of ``training:`` (courses, the social side, the network's pages) and ``training_public:``
is filled with records built by the training fixtures: the company's published course with its sessions and a
draft course, three cases of provider A whose persons consented to share with the company, two of them
enrolled (one completed with a certificate, one dropped out, which alerts A's social worker), a placement
with its follow-ups and a job fair with A's person registered. The record's own side (A's caseworker and
manager, the coordinator, the company's CSR coordinator) only chooses a filling that opens; then those who must
be refused request it:

* the other municipality (Bălți's coordinator), an anonymous visitor and a signed-in citizen with no staff
  role — every pattern;
* another provider (B's caseworker and manager) and another company (``csr_b`` of ``company_b``) — every
  staff page: a case's training and employment pages follow the case (``cases.permissions.case_for``), an
  enrolment is seen by the course's organisation and the case's provider only (``_enrolments_visible``), a
  draft course by its organisation only (``_courses_visible``; the draft is the first filling of
  ``<course_id>``, since a published course is seen by all staff of the municipality, to enrol someone), a
  session is changed only by the course's organisation, alerts reach their recipient only. A job fair's page
  is left out for them: the fairs are the network's (``JobFair`` is visible to every staff member,
  ``permissions._rooms_visible``) and the page lists only the participants of cases the reader sees
  (``selectors.fair_participants``) — a check of its content this engine cannot express (any 2xx to a
  record's URL is a leak);
* the company (the CSR coordinator who runs the course) on the social side, which it never reaches: the case
  pages, CV, placements, follow-ups and alerts;
* a lower role: A's caseworker on the figures (coordinator and auditor only) and the company's page (CSR
  coordinators only); the auditor (reads the network, runs nothing) on posting and running courses, the case
  pages, alerts and job fairs.

Public pages, left out: a published course's page (``training_public:course``, the catalogue's entry and
application form for anyone) and a company's contribution page (``training_public:company``), shown only
when the company publishes it. The catalogue and the certificate check stay in the crawl (no record in their
URL; any answer naming a participant is a leak).
"""

from __future__ import annotations

import datetime
import re
import uuid
from typing import Any

import pytest

from carenet.testing.isolation import Attacker, crawl, outsiders
from carenet.training import services
from carenet.training.models import Mark
from carenet.training.services import CourseInput

from .conftest import START

pytestmark = pytest.mark.isolation

TRAINING = re.compile(r"^(training|training_public):")
PUBLIC = re.compile(r"^training_public:(course|company)$")
OTHER_ORGANISATION = re.compile(r"^training:(?!fair$)")
SOCIAL_SIDE = re.compile(r"^training:(case|cv|placement_add|fair_join|follow_up|alert)")
FIGURES_AND_COMPANY = re.compile(r"^training:(figures|company)")
ABOVE_AUDITOR = re.compile(
    r"^training:(course_create|course_publish|session_add|course_close|roll_call|session_close|case|cv"
    r"|placement_add|fair_join|follow_up|withdraw|alert|fairs$)"
)


def _mark(csr: Any, session: Any, enrolment: Any, mark: str) -> None:
    services.roll_call_mark(actor=csr, session=session, enrolment_id=enrolment.pk, mark=mark, key=uuid.uuid4())


@pytest.fixture
def training_records(
    baia_mare: Any, org_a: Any, company: Any, csr: Any, caseworker_a: Any, course: Any, cases: list[Any]
) -> dict[str, list[Any]]:
    draft = services.course_create(
        actor=csr,
        data=CourseInput(organisation=company, title="Curs intern", starts_on=START, places=5, offered_by="company"),
        publish=False,
    )
    draft_session = services.session_add(actor=csr, course=draft, held_on=START)
    done, dropped = (services.enrolment_from_case(actor=caseworker_a, case=c, course=course) for c in cases[:2])
    sessions = list(course.sessions.all())
    for session in sessions:
        _mark(csr, session, done, Mark.PRESENT)
        _mark(csr, session, dropped, Mark.ABSENT)
    services.course_close(actor=csr, course=course)
    done.refresh_from_db()
    assert done.certificate is not None
    alerts = list(dropped.alerts.all())
    assert alerts, "the dropout alerts the social worker"
    placement = services.placement_record(
        actor=caseworker_a,
        case=cases[0],
        employer="SC Angajator Crawl SRL",
        post="Operator",
        outcome="hired",
        hired_on=datetime.date.today() - datetime.timedelta(days=120),
    )
    fair = services.job_fair_create(
        actor=caseworker_a, organiser=org_a, title="Bursa locurilor de muncă", held_on=datetime.date.today()
    )
    services.job_fair_participant_add(actor=caseworker_a, fair=fair, case=cases[0])
    return {
        "municipality_slug": [baia_mare.slug],
        "course_id": [draft.pk, course.pk],
        "session_id": [draft_session.pk, sessions[0].pk],
        "case_id": [cases[0].pk],
        "enrolment_id": [done.pk, dropped.pk],
        "placement_id": [placement.pk],
        "months": [3, 6],
        "alert_id": [a.pk for a in alerts],
        "fair_id": [fair.pk],
        "organisation_id": [company.pk],
    }


def test_no_training_url_answers_another_provider_company_municipality_lower_role_or_anonymous_with_data(
    baia_mare: Any,
    caseworker_a: Any,
    manager_a: Any,
    caseworker_b: Any,
    manager_b: Any,
    coordinator: Any,
    auditor: Any,
    other_tenant_user: Any,
    citizen: Any,
    csr: Any,
    csr_b: Any,
    cases: list[Any],
    training_records: dict[str, list[Any]],
) -> None:
    persons = [c.person for c in cases[:2]]
    result = crawl(
        include=TRAINING,
        exclude=PUBLIC,
        municipality=baia_mare,
        owners=[caseworker_a, manager_a, coordinator, csr],
        attackers=[
            *outsiders(other_municipality=other_tenant_user, citizen=citizen),
            Attacker("other provider (caseworker)", caseworker_b, OTHER_ORGANISATION),
            Attacker("other provider (manager)", manager_b, OTHER_ORGANISATION),
            Attacker("other company (CSR coordinator)", csr_b, OTHER_ORGANISATION),
            Attacker("the company, on the social side", csr, SOCIAL_SIDE),
            Attacker("lower role (A's caseworker)", caseworker_a, FIGURES_AND_COMPANY),
            Attacker("lower role (auditor)", auditor, ABOVE_AUDITOR),
        ],
        markers=[
            *(f"{p.first_name} {p.last_name}" for p in persons),
            *(f"{p.last_name} {p.first_name}" for p in persons),
            *(str(p.pk) for p in persons),
            cases[0].reference,
            "SC Angajator Crawl",
        ],
        candidates=training_records,
        app_labels=("training",),
    )
    print(result.report())
    assert not result.leaks, "\n".join(result.leaks)
    assert not result.unfilled, result.report()
