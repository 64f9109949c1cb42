"""/api/v1/referrals/: another system sends and receives referrals, scoped like the pages."""

from carenet.audit.models import AuditEvent
from carenet.referrals.models import Referral, ReferralStatus

URL = "/api/v1/referrals/"


def test_a_system_sends_a_referral_and_the_receiver_answers_through_the_api(
    api, caseworker_a, caseworker_b, case_a, service_b, consent_for_b
):
    api.force_authenticate(caseworker_a)
    response = api.post(
        URL,
        {"case": str(case_a.pk), "service": str(service_b.pk), "reason": "Loc în centru", "share_contact": True},
        format="json",
    )
    assert response.status_code == 201, response.content
    referral_id = response.json()["id"]
    assert response.json()["status"] == "sent"

    api.force_authenticate(caseworker_b)
    listed = api.get(URL + "?list=received").json()
    assert [r["id"] for r in listed["results"]] == [referral_id]
    detail = api.get(f"{URL}{referral_id}/").json()
    assert detail["shared_data"]["person"]["phone"] == "0722000111"
    assert "health_notes" not in str(detail["shared_data"])

    assert api.post(f"{URL}{referral_id}/transition/", {"action": "accept"}, format="json").status_code == 200
    assert api.post(f"{URL}{referral_id}/transition/", {"action": "start"}, format="json").status_code == 200
    done = api.post(
        f"{URL}{referral_id}/transition/",
        {"action": "complete", "outcome": "goals_met", "feedback": "Gata."},
        format="json",
    )
    assert done.status_code == 200
    assert done.json()["status"] == "completed"
    assert done.json()["shared_data"] is None  # closed: the receiver no longer gets the shared data

    api.force_authenticate(caseworker_a)
    sender_view = api.get(f"{URL}{referral_id}/").json()
    assert sender_view["outcome"] == "goals_met" and sender_view["feedback"] == "Gata."
    assert AuditEvent.objects.filter(action="referral.complete", object_id=referral_id).exists()


def test_bad_input_names_the_field_and_saves_nothing(api, caseworker_a, case_a, service_b):
    api.force_authenticate(caseworker_a)
    response = api.post(URL, {"case": "not-a-uuid", "service": str(service_b.pk), "reason": ""}, format="json")
    assert response.status_code == 400
    fields = {e["field"] for e in response.json()["errors"]}
    assert {"case", "reason"} <= fields
    response = api.post(URL, {"case": str(case_a.pk), "service": str(service_b.pk), "reason": "x"}, format="json")
    assert response.status_code == 400  # no consent, no legal basis
    assert response.json()["errors"][0]["field"] == "override_reason"
    assert not Referral.objects.for_tenant(case_a.municipality_id).exists()


def test_an_unknown_action_or_a_missing_outcome_is_a_clear_400(api, caseworker_b, sent_referral):
    api.force_authenticate(caseworker_b)
    url = f"{URL}{sent_referral.pk}/transition/"
    assert api.post(url, {"action": "explode"}, format="json").json()["errors"][0]["field"] == "action"
    api.post(url, {"action": "accept"}, format="json")
    response = api.post(url, {"action": "complete", "feedback": "x"}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "outcome"


def test_the_sender_cannot_accept_through_the_api(api, caseworker_a, sent_referral):
    api.force_authenticate(caseworker_a)
    response = api.post(f"{URL}{sent_referral.pk}/transition/", {"action": "accept"}, format="json")
    assert response.status_code == 403
    assert "errors" in response.json()
    sent_referral.refresh_from_db()
    assert sent_referral.status == ReferralStatus.SENT


def test_a_third_provider_and_a_balti_user_get_404(api, caseworker_c, other_tenant_user, sent_referral):
    for user in (caseworker_c, other_tenant_user):
        api.force_authenticate(user)
        assert api.get(f"{URL}{sent_referral.pk}/").status_code == 404
        assert api.post(f"{URL}{sent_referral.pk}/transition/", {"action": "accept"}, format="json").status_code == 404
        for box in ("received", "sent", "overdue"):
            assert api.get(f"{URL}?list={box}").json()["results"] == []


def test_a_case_of_another_provider_cannot_be_referred(api, caseworker_c, case_a, service_b):
    api.force_authenticate(caseworker_c)
    response = api.post(URL, {"case": str(case_a.pk), "service": str(service_b.pk), "reason": "x"}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "case"


def test_anonymous_is_refused(api, sent_referral):
    """An anonymous call is 401 (the token's Bearer challenge), for the list, a referral and a step alike."""
    assert api.get(URL).status_code == 401
    assert api.get(f"{URL}{sent_referral.pk}/").status_code == 401
    assert api.post(f"{URL}{sent_referral.pk}/transition/", {"action": "accept"}, format="json").status_code == 401


def test_the_api_list_does_not_grow_queries_with_referrals(
    api, caseworker_a, case_a, service_b, consent_for_b, django_assert_max_num_queries
):
    from carenet.referrals import services

    for i in range(12):
        services.referral_create(actor=caseworker_a, case=case_a, service=service_b, reason=f"r{i}", send=True)
    api.force_authenticate(caseworker_a)
    with django_assert_max_num_queries(8):
        response = api.get(URL + "?list=sent")
    assert response.json()["count"] == 12
