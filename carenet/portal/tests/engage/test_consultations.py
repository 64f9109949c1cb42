"""Consultations: comments, ideas with support, moderation, the answer, public sessions."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from carenet.audit.models import AuditEvent
from carenet.portal import services
from carenet.portal.antispam import HumanCheckedForm
from carenet.portal.models import ConsultationComment, Idea
from carenet.portal.selectors import participation_summary


def _human(**data):
    return {"form_started": HumanCheckedForm().initial["form_started"], "website": "", **data}


def _url(consultation, suffix=""):
    return f"/baia-mare/consultations/{consultation.pk}/{suffix}"


@pytest.fixture
def open_rules(baia_mare, coordinator):
    """Baia Mare publishes contributions at once (the default is premoderation: test_moderation.py)."""
    return services.consultation_rules_set(
        actor=coordinator, municipality=baia_mare, contributions="open", valid_from=datetime.date(2020, 1, 1)
    )


def test_a_citizen_comments_and_proposes_an_idea(client, consultation, open_rules):
    assert (
        client.post(_url(consultation, "comment/"), _human(text="Bună idee & atât", author_name="")).status_code == 302
    )
    assert (
        client.post(_url(consultation, "idea/"), _human(title="Bănci în parc", text="Mai multe bănci")).status_code
        == 302
    )
    html = client.get(_url(consultation)).content.decode()
    assert "Bună idee &amp; atât" in html and "Bănci în parc" in html


@pytest.mark.parametrize(
    ("suffix", "data"),
    [
        ("comment/", {"text": ""}),
        ("comment/", {"text": "<script>alert(1)</script>"}),
        ("comment/", {"text": "c" * 3001}),
        ("idea/", {"title": "", "text": "x"}),
        ("idea/", {"title": "t" * 201, "text": "x"}),
        ("idea/", {"title": "<iframe src=x>", "text": "x"}),
    ],
)
def test_bad_contributions_give_a_clear_message_and_save_nothing(client, consultation, suffix, data):
    response = client.post(_url(consultation, suffix), _human(**data))
    assert response.status_code == 400 and 'id="error-summary"' in response.content.decode()
    assert not ConsultationComment.plain.exists() and not Idea.plain.exists()


def test_one_support_per_person_and_idea(client, consultation, open_rules):
    idea = services.idea_add(consultation=consultation, title="Parc", text="Mai verde")
    url = f"/baia-mare/consultations/ideas/{idea.pk}/support/"
    client.post(url)
    client.post(url)
    idea.refresh_from_db()
    assert idea.support_count == 1
    from django.test import Client

    Client().post(url)  # another person
    idea.refresh_from_db()
    assert idea.support_count == 2


def test_the_coordinator_hides_a_comment_with_a_reason_and_it_is_audited(client, consultation, coordinator, open_rules):
    comment = services.consultation_comment_add(consultation=consultation, text="Reclamă la cazinou")
    client.force_login(coordinator)
    url = f"/portal/engage/consultations/{consultation.pk}/comments/{comment.pk}/hide/"
    assert client.post(url, {"reason": ""}).status_code == 400
    comment.refresh_from_db()
    assert not comment.is_hidden
    client.post(url, {"reason": "Publicitate"})
    comment.refresh_from_db()
    assert comment.is_hidden and comment.hidden_by == coordinator
    assert AuditEvent.objects.filter(action="consultation.consultationcomment.hide").exists()
    client.logout()
    html = client.get(_url(consultation)).content.decode()
    assert "Reclamă la cazinou" not in html and "Publicitate" in html


def test_the_answer_closes_the_consultation_for_new_contributions(client, consultation, coordinator):
    client.force_login(coordinator)
    client.post(f"/portal/engage/consultations/{consultation.pk}/answer/", {"answer": "Am inclus 3 idei."})
    client.logout()
    html = client.get(_url(consultation)).content.decode()
    assert "Am inclus 3 idei." in html
    assert client.post(_url(consultation, "comment/"), _human(text="târziu")).status_code == 400
    assert not ConsultationComment.plain.exists()


def test_documents_are_checked_and_downloadable(client, consultation, coordinator, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(coordinator)
    url = f"/portal/engage/consultations/{consultation.pk}/documents/new/"
    bad = client.post(url, {"title": "Virus", "file": SimpleUploadedFile("x.exe", b"MZ")})
    assert bad.status_code == 400 and not consultation.documents.exists()
    client.post(url, {"title": "Proiect", "file": SimpleUploadedFile("p.txt", b"draft")})
    document = consultation.documents.get()
    client.logout()
    assert client.get(f"/baia-mare/consultations/documents/{document.pk}/").status_code == 200
    assert client.get(f"/balti/consultations/documents/{document.pk}/").status_code == 404


def test_a_session_is_recorded_with_counts_by_sex_and_age(client, baia_mare, consultation, coordinator):
    client.force_login(coordinator)
    url = f"/portal/engage/consultations/{consultation.pk}/sessions/new/"
    data = {"held_on": "2026-03-10", "place": "Sala mare", "topics": "Cantina; transport"}
    for sex in ("female", "male"):
        for i in range(4):
            data[f"n_{sex}_{i}"] = 2 if sex == "female" else 1
    client.post(url, data)
    summary = participation_summary(municipality=baia_mare, year=2026)
    assert (summary.sessions, summary.participants, summary.by_sex) == (1, 12, {"female": 8, "male": 4})
    client.logout()
    html = client.get("/baia-mare/consultations/sessions/").content.decode()
    assert "Cantina; transport" in html
    bad = dict(data, n_female_0=-1)
    client.force_login(coordinator)
    assert client.post(url, bad).status_code == 400


def test_another_municipality_cannot_reach_the_consultation(client, consultation, other_tenant_user, caseworker_a):
    assert client.get(f"/balti/consultations/{consultation.pk}/").status_code == 404
    client.force_login(other_tenant_user)
    assert client.get(f"/portal/engage/consultations/{consultation.pk}/").status_code == 404
    client.force_login(caseworker_a)
    assert client.get(f"/portal/engage/consultations/{consultation.pk}/").status_code == 403


def test_the_public_consultation_list_counts_its_queries(client, baia_mare, coordinator, django_assert_max_num_queries):
    for i in range(8):
        c = services.consultation_create(actor=coordinator, municipality=baia_mare, title=f"C{i}", summary="S")
        services.consultation_comment_add(consultation=c, text="x")
    with django_assert_max_num_queries(6):
        assert client.get("/baia-mare/consultations/").status_code == 200


def test_public_session_counts_below_five_are_suppressed(client, baia_mare, consultation, coordinator):
    services.consultation_session_record(
        actor=coordinator,
        municipality=baia_mare,
        consultation=consultation,
        held_on="2026-04-01",
        topics="Parc",
        participants={"female": {"18-34": 7}, "male": {"65+": 2}},
    )
    html = client.get("/baia-mare/consultations/sessions/").content.decode()
    assert '<td data-label="Men" class="num">&lt; 5</td>' in html
    assert '<td data-label="Women" class="num">7</td>' in html
    detail = client.get(f"/baia-mare/consultations/{consultation.pk}/").content.decode()
    assert "&lt; 5" in detail and '<td class="num">2</td>' not in detail
