"""Premoderation of consultations: the municipality's rules on who may contribute (dated versions), the
author's view of a contribution waiting or refused, the moderator's queue, and the refusals of its pages."""

import datetime

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.test import Client

from carenet.audit.models import AuditEvent
from carenet.portal import services
from carenet.portal.antispam import HumanCheckedForm
from carenet.portal.models import ConsultationComment, ConsultationRules, Idea, ModerationState
from carenet.portal.selectors import contribution_policy

QUEUE = "/portal/engage/consultations/moderation/"
RULES = "/portal/engage/consultations/rules/"


def _human(**data):
    return {"form_started": HumanCheckedForm().initial["form_started"], "website": "", **data}


def _page(consultation, suffix=""):
    return f"/baia-mare/consultations/{consultation.pk}/{suffix}"


def _rules(municipality, coordinator, contributions, valid_from=datetime.date(2020, 1, 1)):
    return services.consultation_rules_set(
        actor=coordinator, municipality=municipality, contributions=contributions, valid_from=valid_from
    )


def _staff(consultation, kind, pk, action):
    return f"/portal/engage/consultations/{consultation.pk}/{kind}/{pk}/{action}/"


def test_with_no_rules_recorded_contributions_wait_for_a_moderator(baia_mare):
    assert contribution_policy(municipality=baia_mare, on=datetime.date.today()) == "premoderated"


def test_a_pending_comment_is_not_public_but_its_author_sees_it_waiting(client, consultation):
    response = client.post(_page(consultation, "comment/"), _human(text="Trotuare mai late", author_name="Ana"))
    assert response.status_code == 302
    comment = ConsultationComment.plain.get()
    assert comment.state == ModerationState.PENDING and comment.author_key
    mine = client.get(_page(consultation)).content.decode()
    assert "Trotuare mai late" in mine and "Waiting for moderation" in mine
    stranger = Client(HTTP_ACCEPT_LANGUAGE="en").get(_page(consultation)).content.decode()
    assert "Trotuare mai late" not in stranger and "Waiting for moderation" not in stranger
    assert AuditEvent.objects.filter(action="consultation.comment", changes__state="pending").exists()


def test_a_pending_idea_cannot_be_supported_before_it_is_published(client, consultation):
    idea = services.idea_add(consultation=consultation, title="Parc", text="Mai verde")
    assert client.post(f"/baia-mare/consultations/ideas/{idea.pk}/support/").status_code == 404


def test_approval_publishes_and_is_audited(client, consultation, coordinator):
    comment = services.consultation_comment_add(consultation=consultation, text="Bănci la stație")
    idea = services.idea_add(consultation=consultation, title="Grădină comunitară", text="În Ferneziu")
    client.force_login(coordinator)
    queue = client.get(QUEUE).content.decode()
    assert "Bănci la stație" in queue and "Grădină comunitară" in queue
    assert client.post(_staff(consultation, "comments", comment.pk, "approve")).status_code == 302
    assert client.post(_staff(consultation, "ideas", idea.pk, "approve")).status_code == 302
    comment.refresh_from_db()
    assert comment.state == ModerationState.PUBLISHED and comment.reviewed_by == coordinator
    assert AuditEvent.objects.filter(action="consultation.consultationcomment.approve").exists()
    assert AuditEvent.objects.filter(action="consultation.idea.approve").exists()
    assert "Bănci la stație" not in client.get(QUEUE).content.decode()
    client.logout()
    public = client.get(_page(consultation)).content.decode()
    assert "Bănci la stație" in public and "Grădină comunitară" in public
    # A second decision on the same contribution is refused, naming why.
    client.force_login(coordinator)
    again = client.post(_staff(consultation, "comments", comment.pk, "reject"), {"reason": "Târziu"})
    assert again.status_code == 400 and "already been moderated" in again.content.decode()


def test_rejection_keeps_it_hidden_and_shows_the_reason_to_its_author_only(client, consultation, coordinator):
    client.post(_page(consultation, "idea/"), _human(title="Cazinou în parc", text="Profit"))
    idea = Idea.plain.get()
    moderator = Client(HTTP_ACCEPT_LANGUAGE="en")
    moderator.force_login(coordinator)
    refused = moderator.post(_staff(consultation, "ideas", idea.pk, "reject"), {"reason": ""})
    assert refused.status_code == 400 and "Reason for not publishing it" in refused.content.decode()
    idea.refresh_from_db()
    assert idea.state == ModerationState.PENDING
    assert (
        moderator.post(_staff(consultation, "ideas", idea.pk, "reject"), {"reason": "În afara temei"}).status_code
        == 302
    )
    idea.refresh_from_db()
    assert idea.state == ModerationState.REJECTED and idea.rejection_reason == "În afara temei"
    assert AuditEvent.objects.filter(action="consultation.idea.reject", changes__reason="În afara temei").exists()
    mine = client.get(_page(consultation)).content.decode()
    assert "Not published" in mine and "În afara temei" in mine
    stranger = Client(HTTP_ACCEPT_LANGUAGE="en").get(_page(consultation)).content.decode()
    assert "Cazinou în parc" not in stranger and "În afara temei" not in stranger


def test_open_rules_publish_at_once(client, baia_mare, coordinator, consultation):
    _rules(baia_mare, coordinator, "open")
    client.post(_page(consultation, "comment/"), _human(text="Direct publicat"))
    assert ConsultationComment.plain.get().state == ModerationState.PUBLISHED
    assert "Direct publicat" in Client().get(_page(consultation)).content.decode()


def test_identified_only_asks_an_anonymous_visitor_to_sign_in(client, baia_mare, coordinator, consultation, citizen):
    _rules(baia_mare, coordinator, "identified_only")
    html = client.get(_page(consultation)).content.decode()
    assert "Sign in to comment" in html and 'action="/baia-mare/consultations/' not in html.split("comments-title")[1]
    for suffix, data in (("comment/", {"text": "Anonim"}), ("idea/", {"title": "Anonim", "text": "x"})):
        response = client.post(_page(consultation, suffix), _human(**data))
        assert response.status_code == 302
        assert response["Location"].startswith(resolve_url(settings.LOGIN_URL) + "?next=")
    assert not ConsultationComment.plain.exists() and not Idea.plain.exists()
    client.force_login(citizen)
    assert client.post(_page(consultation, "comment/"), _human(text="Cu cont")).status_code == 302
    comment = ConsultationComment.plain.get()
    assert comment.state == ModerationState.PUBLISHED and comment.author == citizen
    assert "Cu cont" in Client().get(_page(consultation)).content.decode()


def test_the_consultation_page_links_its_draft_next_to_the_comment_form(client, consultation, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    consultation.draft_text = "Art. 1"
    consultation.save(update_fields=["draft_text"])
    document = consultation.documents.create(
        municipality=consultation.municipality, title="Proiectul strategiei", file=SimpleUploadedFile("p.txt", b"x")
    )
    comments = client.get(_page(consultation)).content.decode().split('id="comments-title"')[1]
    assert 'href="#draft-title"' in comments
    assert f'href="/baia-mare/consultations/documents/{document.pk}/"' in comments


def test_the_coordinator_sets_the_rules_from_a_date(client, baia_mare, coordinator):
    client.force_login(coordinator)
    assert client.get(RULES).status_code == 200
    response = client.post(RULES, {"valid_from": "2026-01-01", "contributions": "identified_only"})
    assert response.status_code == 302
    assert contribution_policy(municipality=baia_mare, on=datetime.date(2026, 6, 1)) == "identified_only"
    assert contribution_policy(municipality=baia_mare, on=datetime.date(2025, 6, 1)) == "premoderated"
    client.post(RULES, {"valid_from": "2026-07-01", "contributions": "open"})
    first = ConsultationRules.objects.for_tenant(baia_mare).get(valid_from=datetime.date(2026, 1, 1))
    assert first.valid_to == datetime.date(2026, 6, 30)
    assert AuditEvent.objects.filter(action="consultation.rules.set").count() == 2


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"valid_from": "2025-12-31", "contributions": "open"}, "valid_from", "The latest rules start on 2026-07-01"),
        ({"valid_from": "", "contributions": "open"}, "valid_from", "This field is required"),
        ({"valid_from": "2027-01-01", "contributions": "everyone"}, "contributions", "Select a valid choice"),
    ],
)
def test_bad_rules_are_refused_naming_the_field(client, baia_mare, coordinator, data, field, message):
    _rules(baia_mare, coordinator, "open", valid_from=datetime.date(2026, 7, 1))
    client.force_login(coordinator)
    response = client.post(RULES, data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert field in response.context["form"].errors
    assert ConsultationRules.objects.for_tenant(baia_mare).count() == 1


def test_the_other_municipalitys_coordinator_reaches_only_its_own_rules_and_queue(
    client, baia_mare, balti, other_tenant_user, consultation
):
    comment = services.consultation_comment_add(consultation=consultation, text="Doar la Baia Mare")
    client.force_login(other_tenant_user)
    assert "Doar la Baia Mare" not in client.get(QUEUE).content.decode()
    assert client.post(RULES, {"valid_from": "2026-01-01", "contributions": "open"}).status_code == 302
    assert ConsultationRules.objects.for_tenant(balti).get().contributions == "open"
    assert not ConsultationRules.objects.for_tenant(baia_mare).exists()
    assert client.post(_staff(consultation, "comments", comment.pk, "approve")).status_code == 404
    assert client.post(_staff(consultation, "comments", comment.pk, "reject"), {"reason": "x"}).status_code == 404
    comment.refresh_from_db()
    assert comment.state == ModerationState.PENDING
