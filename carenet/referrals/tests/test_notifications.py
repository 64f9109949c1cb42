"""In-app notifications: a list page, an unread counter in the navigation, e-mail after commit."""

from django.core import mail

from carenet.referrals import services
from carenet.referrals.models import Notification


def test_the_receiver_sees_the_unread_count_in_the_navigation_and_the_list(client, caseworker_b, sent_referral):
    client.force_login(caseworker_b)
    page = client.get("/referrals/notifications/").content.decode()
    assert sent_referral.reference in page
    assert 'class="badge badge--warn">1<span class="visually-hidden">' in page
    client.post("/referrals/notifications/read/")
    page = client.get("/referrals/notifications/").content.decode()
    assert 'badge--warn">1' not in page


def test_a_notification_is_only_its_recipients(client, caseworker_b, caseworker_c, sent_referral):
    client.force_login(caseworker_c)
    assert sent_referral.reference not in client.get("/referrals/notifications/").content.decode()
    client.post("/referrals/notifications/read/")
    tenant = sent_referral.municipality_id
    assert Notification.objects.for_tenant(tenant).filter(recipient=caseworker_b, read_at__isnull=True).count() == 1


def test_notifications_are_written_in_the_recipients_language(
    caseworker_a, caseworker_b, case_a, service_b, consent_for_b, django_capture_on_commit_callbacks
):
    caseworker_b.preferred_language = "hu"
    caseworker_b.save()
    with django_capture_on_commit_callbacks(execute=True):
        referral = services.referral_create(user=caseworker_a, case=case_a, service=service_b, reason="x", send=True)
    note = Notification.objects.for_tenant(referral.municipality_id).get(recipient=caseworker_b)
    assert note.message.startswith("Új beutalás")
    assert mail.outbox[0].subject.startswith("Új beutalás")


def test_no_mail_leaves_if_the_transaction_is_rolled_back(
    caseworker_a, case_a, service_b, consent_for_b, django_capture_on_commit_callbacks
):
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        try:
            with transaction.atomic():
                services.referral_create(user=caseworker_a, case=case_a, service=service_b, reason="x", send=True)
                raise RuntimeError
        except RuntimeError:
            pass
    assert callbacks == []
    assert mail.outbox == []
