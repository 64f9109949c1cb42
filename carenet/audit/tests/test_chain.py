import psycopg
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.db.utils import DatabaseError

from carenet.audit.models import GENESIS_HASH, AuditEvent
from carenet.audit.services import audit_record
from carenet.audit.tests.app_role import as_the_application
from carenet.audit.triggers import audit_triggers_lifted
from carenet.audit.verify import verify_chains
from carenet.core.db import citus


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
    """Edit a stored event behind the application's back, as an attacker with database access would (the
    triggers lifted; on Citus there are none, and the test connects as a superuser)."""
    with audit_triggers_lifted(connection), connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_audit_verify_reports_an_edited_event(baia_mare, caseworker_a, capsys):
    _, second, _ = _three_events(baia_mare, caseworker_a)
    call_command("audit_verify")
    stored_id = AuditEvent._meta.pk.get_db_prep_value(second.id, connection)
    _tamper("UPDATE audit_auditevent SET purpose = %s WHERE id = %s", ["nothing to see", stored_id])
    with pytest.raises(CommandError):
        call_command("audit_verify")
    err = capsys.readouterr().err
    assert f"event {second.id}: content does not match its hash" in err


def test_the_database_refuses_updates_and_deletes(baia_mare, caseworker_a):
    """On one node the triggers refuse every role. On Citus the distributed table has none: the refusal is the
    application role's privileges (carenet.audit.guard), so there the statements run as that role."""
    if citus.is_citus(connection):
        with as_the_application() as app:
            event = _three_events(baia_mare, caseworker_a)[0]
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                app.execute("UPDATE audit_auditevent SET purpose = 'changed' WHERE id = %s", [event.id])
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                app.execute("DELETE FROM audit_auditevent WHERE id = %s", [event.id])
    else:
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
