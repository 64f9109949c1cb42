"""The plan's pages refuse with one status code (docs/architecture.md §3): an anonymous visitor 302, the other
municipality 404, another body's form 404, and a role that sees but may not act 403."""

import pytest
from django.urls import reverse

from carenet.core.roles import Role
from carenet.plans.models import SubmissionStatus
from conftest import make_user, org

pytestmark = pytest.mark.django_db


def _posts(plan, form):
    return [
        (reverse("plans:period_open_forms", args=[plan.pk, "2025"]), {}),
        (reverse("plans:period_lock", args=[plan.pk, "2025"]), {}),
        (reverse("plans:period_reopen", args=[plan.pk, "2025"]), {"reason": "x"}),
        (reverse("plans:version_add", args=[plan.pk]), {"kind": "amendment", "decision_reference": "HCM 1"}),
        (reverse("plans:form", args=[form.pk]), {}),
        (reverse("plans:form_submit", args=[form.pk]), {}),
        (reverse("plans:form_review", args=[form.pk]), {"decision": "approve"}),
    ]


def test_every_plan_action_sends_an_anonymous_visitor_to_sign_in(client, balti_plan, cultura_form):
    for url, data in _posts(balti_plan, cultura_form):
        response = client.post(url, data)
        assert response.status_code == 302 and "/account/login/" in response["Location"], url


def test_every_plan_action_is_a_404_to_the_other_municipality(client, bm_coordinator, balti_plan, cultura_form):
    client.force_login(bm_coordinator)
    for url, data in _posts(balti_plan, cultura_form):
        assert client.post(url, data).status_code == 404, url
    cultura_form.refresh_from_db()
    assert cultura_form.status == SubmissionStatus.DRAFT


def test_the_auditor_reads_a_form_but_may_not_save_submit_or_review_it(client, balti, cultura_form):
    auditor = make_user("b_auditor", balti, org(balti, "primaria"), Role.AUDITOR)
    client.force_login(auditor)
    assert client.get(reverse("plans:form", args=[cultura_form.pk])).status_code == 200
    assert client.post(reverse("plans:form", args=[cultura_form.pk]), {}).status_code == 403
    assert client.post(reverse("plans:form_submit", args=[cultura_form.pk])).status_code == 403
    assert client.post(reverse("plans:form_review", args=[cultura_form.pk]), {"decision": "approve"}).status_code == 403
    cultura_form.refresh_from_db()
    assert cultura_form.status == SubmissionStatus.DRAFT


def test_the_body_may_submit_its_form_but_not_review_it(client, cultura_officer, cultura_form):
    client.force_login(cultura_officer)
    assert client.post(reverse("plans:form_review", args=[cultura_form.pk]), {"decision": "approve"}).status_code == 403
    assert client.post(reverse("plans:form_submit", args=[cultura_form.pk])).status_code == 302
    cultura_form.refresh_from_db()
    assert cultura_form.status == SubmissionStatus.SUBMITTED
