"""Every public form is rate-limited per address; public and staff lists run a bounded number of queries."""

import pytest

from carenet.portal import services
from carenet.portal.models import NewsItem


@pytest.mark.parametrize(
    ("path", "limit"),
    [
        ("help/", 10),
        ("help/track/", 20),
        ("feedback/", 20),
        ("consultations/{c}/comment/", 10),
        ("consultations/{c}/idea/", 10),
    ],
)
def test_every_public_form_refuses_one_address_past_its_limit(client, consultation, path, limit):
    url = "/baia-mare/" + path.format(c=consultation.pk)
    statuses = [client.post(url, {"code": "x", "text": ""}, REMOTE_ADDR="198.51.100.7").status_code for _ in range(100)]
    assert 429 not in statuses[:limit] and 500 not in statuses
    assert statuses[limit:] == [429] * (100 - limit)


def test_get_requests_are_not_limited(client, baia_mare):
    assert {client.get("/baia-mare/help/", REMOTE_ADDR="198.51.100.8").status_code for _ in range(30)} == {200}


def test_public_lists_count_their_queries(client, baia_mare, coordinator, django_assert_max_num_queries):
    for i in range(12):
        NewsItem.objects.create(municipality=baia_mare, title=f"N{i}", body="B", published_at="2026-01-01T10:00Z")
        survey = services.survey_create(
            actor=coordinator, municipality=baia_mare, title=f"S{i}", intro="", audience="public"
        )
        services.survey_question_add(
            actor=coordinator, survey=survey, kind="text", text="Q", choices=[], required=False
        )
        services.survey_set_status(actor=coordinator, survey=survey, status="open")
        services.consultation_session_record(
            actor=coordinator, municipality=baia_mare, held_on="2026-02-01", topics="T", participants={}
        )
    for url in ("/baia-mare/", "/baia-mare/news/", "/baia-mare/surveys/", "/baia-mare/consultations/sessions/"):
        with django_assert_max_num_queries(8):
            assert client.get(url).status_code == 200


def test_the_staff_feedback_page_counts_its_queries(client, caseworker_a, service_a, django_assert_max_num_queries):
    for rating in (1, 2, 3, 4, 5, 5, 4):
        invite = services.feedback_invite_create(actor=caseworker_a, service=service_a)
        services.feedback_submit(invite=invite, rating=rating, went_well=[], went_badly=[])
    client.force_login(caseworker_a)
    with django_assert_max_num_queries(12):
        assert client.get("/portal/engage/feedback/").status_code == 200
