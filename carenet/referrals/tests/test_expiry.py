"""A referral not answered within the service's response time turns "expired" through the scheduled task."""

import datetime

from django.conf import settings
from django.utils import timezone

from carenet.audit.models import AuditEvent
from carenet.referrals import services
from carenet.referrals.models import Notification, Referral, ReferralStatus
from carenet.referrals.tasks import expire_unanswered_referrals


def test_the_task_is_scheduled():
    assert "carenet.referrals.tasks.expire_unanswered_referrals" in settings.CARENET_SCHEDULED_TASKS


def test_the_deadline_comes_from_the_network_default_when_the_service_has_none(sent_referral, settings):
    assert sent_referral.response_days == settings.CARENET_REFERRAL_RESPONSE_DAYS
    assert sent_referral.respond_by - sent_referral.sent_at == datetime.timedelta(days=sent_referral.response_days)


def test_an_unanswered_referral_expires_and_shows_on_the_overdue_list(
    client, caseworker_a, caseworker_b, sent_referral
):
    tenant = sent_referral.municipality_id
    client.force_login(caseworker_a)
    assert sent_referral.reference not in client.get("/referrals/?list=overdue").content.decode()

    past = timezone.now() - datetime.timedelta(hours=1)
    Referral.objects.for_tenant(tenant).filter(pk=sent_referral.pk).update(respond_by=past)
    # Past its deadline it is already overdue, before the task runs.
    assert sent_referral.reference in client.get("/referrals/?list=overdue").content.decode()

    expire_unanswered_referrals.enqueue()  # tests run tasks immediately
    sent_referral.refresh_from_db()
    assert sent_referral.status == ReferralStatus.EXPIRED
    assert sent_referral.reference in client.get("/referrals/?list=overdue").content.decode()
    client.force_login(caseworker_b)
    assert sent_referral.reference in client.get("/referrals/?list=overdue").content.decode()
    assert AuditEvent.objects.filter(action="referral.expire", object_id=str(sent_referral.pk)).exists()
    assert Notification.objects.for_tenant(tenant).filter(referral=sent_referral, kind="expire").count() == 2


def test_an_answered_or_not_yet_due_referral_does_not_expire(caseworker_b, sent_referral):
    assert services.referrals_expire_overdue() == 0
    services.referral_accept(actor=caseworker_b, referral=sent_referral)
    later = timezone.now() + datetime.timedelta(days=30)
    assert services.referrals_expire_overdue(now=later) == 0
    sent_referral.refresh_from_db()
    assert sent_referral.status == ReferralStatus.ACCEPTED


def test_the_expired_referral_no_longer_shows_the_shared_data(client, caseworker_b, sent_referral, person_a):
    services.referrals_expire_overdue(now=timezone.now() + datetime.timedelta(days=30))
    client.force_login(caseworker_b)
    assert "0722000111" not in client.get(f"/referrals/{sent_referral.pk}/").content.decode()
    assert client.get(f"/people/{person_a.pk}/").status_code == 404
