import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.db.utils import DatabaseError

from carenet.audit.models import GENESIS_HASH, AuditEvent
from carenet.audit.services import audit_record
from carenet.audit.triggers import SQLITE_TRIGGERS
from carenet.audit.verify import verify_chains


def _three_events(baia_mare, actor):
    return [audit_record(action=f"test.{i}", actor=actor, municipality=baia_mare, purpose="test") for i in range(3)]


def test_events_form_a_chain_per_municipality(baia_mare, balti, caseworker_a):
    first, second, third = _three_events(baia_mare, caseworker_a)
    other = audit_record(action="test.other", municipality=balti)
    assert first.prev_hash == GENESIS_HASH
    assert second.prev_hash == first.hash and third.prev_hash == second.hash
    assert other.prev_hash == GENESIS_HASH
    assert verify_chains() == (4, [])


def _tamper(sql, params):
    """Edit a stored event behind the application's back, as an attacker with database access would."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_append_only")
            cursor.execute(sql, params)
            cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER audit_append_only")
        else:
            cursor.execute("DROP TRIGGER audit_no_update")
            cursor.execute(sql, params)
            cursor.execute(SQLITE_TRIGGERS[0])


def test_audit_verify_reports_an_edited_event(baia_mare, caseworker_a, capsys):
    _, second, _ = _three_events(baia_mare, caseworker_a)
    call_command("audit_verify")
    _tamper("UPDATE audit_auditevent SET purpose = %s WHERE id = %s", ["nothing to see", second.id])
    with pytest.raises(CommandError):
        call_command("audit_verify")
    err = capsys.readouterr().err
    assert f"event {second.id}: content does not match its hash" in err


def test_the_database_refuses_updates_and_deletes(baia_mare, caseworker_a):
    event = _three_events(baia_mare, caseworker_a)[0]
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(purpose="changed")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.get(pk=event.pk).purpose == "test"


def test_a_failed_login_is_audited_without_the_password(client, caseworker_a):
    client.post("/account/login/", {"username": "cw_a", "password": "wrong-password-123"})
    event = AuditEvent.objects.get(action="auth.login_failed")
    assert event.object_label == "cw_a"
    assert "wrong-password" not in event.canonical().decode()


def test_flush_is_refused_outside_tests(settings):
    settings.CARENET_ALLOW_AUDIT_PURGE = False
    with pytest.raises(CommandError):
        call_command("flush", interactive=False)
