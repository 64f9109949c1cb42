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
        referral = services.referral_create(actor=caseworker_a, case=case_a, service=service_b, reason="x", send=True)
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
                services.referral_create(actor=caseworker_a, case=case_a, service=service_b, reason="x", send=True)
                raise RuntimeError
        except RuntimeError:
            pass
    assert callbacks == []
    assert mail.outbox == []


def _badge(page: str) -> str | None:
    marker = 'class="badge badge--warn">'
    if marker not in page:
        return None
    return page.split(marker, 1)[1].split("<", 1)[0]


def test_the_badge_comes_with_the_signed_in_user_and_follows_new_and_read_notifications(
    client, caseworker_b, sent_referral
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from carenet.core.db import citus

    client.force_login(caseworker_b)
    with CaptureQueriesContext(connection) as page_queries:
        page = client.get("/cases/").content.decode()
    assert _badge(page) == "1"
    # No query of its own: the count is part of the query that loads the user. On Citus (which cannot
    # correlate the notifications with the user row, a reference table) one count of the user's own.
    counting = [q["sql"] for q in page_queries if "referrals_notification" in q["sql"]]
    assert len(counting) == 1
    assert ("accounts_user" in counting[0]) != citus.is_citus(connection)

    Notification.objects.create(
        municipality_id=sent_referral.municipality_id, recipient=caseworker_b, kind="send", message="another"
    )
    assert _badge(client.get("/cases/").content.decode()) == "2"
    client.post("/referrals/notifications/read/")
    assert _badge(client.get("/cases/").content.decode()) is None


def test_the_badge_counts_only_the_users_own_notifications_of_their_municipality(
    client, caseworker_b, caseworker_c, other_tenant_user, balti, sent_referral
):
    # A row addressed to B under another municipality is not B's to see (as the notification list rules).
    Notification.objects.create(municipality=balti, recipient=caseworker_b, kind="send", message="elsewhere")
    client.force_login(caseworker_b)
    assert _badge(client.get("/cases/").content.decode()) == "1"
    for other in (caseworker_c, other_tenant_user):
        client.force_login(other)
        assert _badge(client.get("/cases/").content.decode()) is None
