"""Feedback on services: codes, the form, answers, the satisfaction KPI, isolation."""

from decimal import Decimal

import pytest

from carenet.portal import services
from carenet.portal.antispam import HumanCheckedForm
from carenet.portal.models import FeedbackInvite, ServiceFeedback
from carenet.portal.selectors import satisfaction_for


def _form(**overrides):
    data = {
        "form_started": HumanCheckedForm().initial["form_started"],
        "rating": "4",
        "went_well": ["respect", "result"],
        "went_badly": ["waiting"],
        "comment": "Am așteptat mult, dar m-au ajutat.",
        "author_name": "",
        "may_publish": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def invite(service_a, caseworker_a):
    return services.feedback_invite_create(actor=caseworker_a, service=service_a)


def test_a_provider_gives_a_code_and_the_citizen_leaves_feedback(client, baia_mare, caseworker_a, service_a):
    client.force_login(caseworker_a)
    response = client.post("/portal/engage/feedback/codes/new/", {"service": str(service_a.pk)})
    invite = FeedbackInvite.objects.for_tenant(baia_mare).get()
    assert "new-feedback-code" in response.content.decode()
    client.logout()
    response = client.post("/baia-mare/feedback/", {"code": invite.code.lower()})
    assert response.status_code == 302
    assert client.post(response["Location"], _form()).status_code == 302
    feedback = ServiceFeedback.objects.for_tenant(baia_mare).get()
    assert (feedback.rating, feedback.went_well, feedback.author_name) == (4, ["respect", "result"], "")
    invite.refresh_from_db()
    assert invite.used_at is not None
    # the code works once; afterwards it shows what was sent and the answer
    again = client.post("/baia-mare/feedback/", {"code": invite.code}, follow=True)
    assert "already been used" in again.content.decode()
    assert client.post(f"/baia-mare/feedback/code/{invite.code}/", _form(rating="1")).status_code == 200
    assert ServiceFeedback.objects.for_tenant(baia_mare).count() == 1


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"rating": None}, "rating"),
        ({"rating": "9"}, "rating"),
        ({"went_well": ["bribes"]}, "went_well"),
        ({"comment": "<script>alert(1)</script>"}, "comment"),
        ({"comment": "z" * 2001}, "comment"),
        ({"author_name": "<b>Ion</b>"}, "author_name"),
    ],
)
def test_bad_feedback_gives_a_clear_message_and_saves_nothing(client, baia_mare, invite, overrides, field):
    response = client.post(f"/baia-mare/feedback/code/{invite.code}/", _form(**overrides))
    assert response.status_code == 400
    assert f'href="#id_{field}"' in response.content.decode()
    assert not ServiceFeedback.objects.for_tenant(baia_mare).exists()
    invite.refresh_from_db()
    assert invite.used_at is None


@pytest.mark.parametrize(("code", "status"), [("", 400), ("NOPE-NOPE", 404), ("<script>", 404), ("x" * 30, 400)])
def test_a_wrong_feedback_code_gives_a_clear_message(client, baia_mare, code, status):
    response = client.post("/baia-mare/feedback/", {"code": code})
    assert response.status_code == status  # no code or too long: 400; a code that finds nothing: 404
    assert 'id="error-summary"' in response.content.decode()


def test_a_feedback_code_of_another_municipality_is_404(client, balti, invite):
    assert client.get(f"/balti/feedback/code/{invite.code}/").status_code == 404


def test_the_provider_answers_publicly_and_the_answer_is_escaped(client, baia_mare, invite, manager_a, service_a):
    client.post(f"/baia-mare/feedback/code/{invite.code}/", _form(comment='Tom & "Jerry"'))
    feedback = ServiceFeedback.objects.for_tenant(baia_mare).get()
    client.force_login(manager_a)
    url = f"/portal/engage/feedback/{feedback.pk}/reply/"
    assert client.post(url, {"reply": "<script>x</script>"}).status_code == 400
    client.post(url, {"reply": "Mulțumim & revenim", "is_public": "on"})
    client.logout()
    html = client.get(f"/baia-mare/feedback/service/{service_a.pk}/").content.decode()
    assert "Mulțumim &amp; revenim" in html and "Tom &amp; &quot;Jerry&quot;" in html


def test_a_private_answer_and_an_unpublished_comment_stay_private(client, baia_mare, invite, manager_a, service_a):
    client.post(f"/baia-mare/feedback/code/{invite.code}/", _form(comment="Secret", may_publish=None))
    feedback = ServiceFeedback.objects.for_tenant(baia_mare).get()
    client.force_login(manager_a)
    client.post(f"/portal/engage/feedback/{feedback.pk}/reply/", {"reply": "Vă sunăm"})
    client.logout()
    html = client.get(f"/baia-mare/feedback/service/{service_a.pk}/").content.decode()
    assert "Secret" not in html and "Vă sunăm" not in html


def test_another_provider_cannot_read_or_answer_the_feedback(client, baia_mare, invite, caseworker_b, service_b):
    services.feedback_submit(invite=invite, rating=2, went_well=[], went_badly=[])
    feedback = ServiceFeedback.objects.for_tenant(baia_mare).get()
    client.force_login(caseworker_b)
    assert client.get(f"/portal/engage/feedback/{feedback.pk}/").status_code == 404
    assert client.post(f"/portal/engage/feedback/{feedback.pk}/reply/", {"reply": "x"}).status_code == 404
    # nor create codes for a service of another provider
    client.post("/portal/engage/feedback/codes/new/", {"service": str(invite.service_id)})
    assert FeedbackInvite.objects.for_tenant(baia_mare).count() == 1


def test_a_balti_coordinator_gets_404_for_baia_mare_feedback(client, baia_mare, invite, other_tenant_user):
    services.feedback_submit(invite=invite, rating=5, went_well=[], went_badly=[])
    feedback = ServiceFeedback.objects.for_tenant(baia_mare).get()
    client.force_login(other_tenant_user)
    assert client.get(f"/portal/engage/feedback/{feedback.pk}/").status_code == 404


def test_the_satisfaction_kpi_per_service_and_provider(
    baia_mare, caseworker_a, coordinator, service_a, service_b, caseworker_b
):
    for rating in (5, 4, 2):
        services.feedback_submit(
            invite=services.feedback_invite_create(actor=caseworker_a, service=service_a),
            rating=rating,
            went_well=[],
            went_badly=[],
        )
    services.feedback_submit(
        invite=services.feedback_invite_create(actor=caseworker_b, service=service_b),
        rating=1,
        went_well=[],
        went_badly=[],
    )
    by_service = {row.label: row for row in satisfaction_for(user=coordinator, by="service")}
    assert by_service[service_a.name].responses == 3
    assert by_service[service_a.name].mean_rating == 3.67
    assert by_service[service_a.name].satisfied_percent == Decimal("66.67")  # the KPI's two decimals
    by_provider = satisfaction_for(user=caseworker_a, by="provider")
    assert [row.responses for row in by_provider] == [3]  # only their own provider


def test_feedback_from_the_tracking_page(client, baia_mare, routing, caseworker_a, service_a):
    from carenet.portal.models import HelpRequest
    from carenet.portal.tests.engage.conftest import help_data

    client.post("/baia-mare/help/", help_data())
    item = HelpRequest.objects.for_tenant(baia_mare).get()
    services.help_request_set_status(actor=caseworker_a, help_request=item, status="directed", service=service_a)
    invite = FeedbackInvite.objects.for_tenant(baia_mare).get(help_request=item)
    assert client.post(f"/baia-mare/feedback/code/{invite.code}/", _form()).status_code == 302
    html = client.post("/baia-mare/help/track/", {"code": item.tracking_code}).content.decode()
    assert "/feedback/code/" not in html  # used once


def test_a_private_answer_reaches_only_the_holder_of_the_code(
    client, baia_mare, routing, caseworker_a, manager_a, service_a
):
    from carenet.portal.models import HelpRequest
    from carenet.portal.tests.engage.conftest import help_data

    client.post("/baia-mare/help/", help_data())
    item = HelpRequest.objects.for_tenant(baia_mare).get()
    services.help_request_set_status(actor=caseworker_a, help_request=item, status="directed", service=service_a)
    invite = FeedbackInvite.objects.for_tenant(baia_mare).get(help_request=item)
    client.post(f"/baia-mare/feedback/code/{invite.code}/", _form(may_publish=None))
    feedback = ServiceFeedback.objects.for_tenant(baia_mare).get()
    services.feedback_reply(actor=manager_a, feedback=feedback, text="Vă sunăm mâine.", is_public=False)
    assert "Vă sunăm mâine." in client.post("/baia-mare/help/track/", {"code": item.tracking_code}).content.decode()
    assert "Vă sunăm mâine." in client.get(f"/baia-mare/feedback/code/{invite.code}/").content.decode()
    assert "Vă sunăm mâine." not in client.get(f"/baia-mare/feedback/service/{service_a.pk}/").content.decode()
