"""Issue 26, Low 9: what an attacker with write access to the database can do to the audit log, and how
``audit_verify`` catches it (decision 0015): every stored field is hashed, and a daily checkpoint signed
with a key kept outside the database anchors each chain, so truncating or rewriting a chain shows."""

import datetime

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import RequestFactory
from django.utils import timezone

from carenet.audit.models import AuditCheckpoint, AuditEvent
from carenet.audit.services import audit_checkpoint_make, audit_record
from carenet.audit.triggers import audit_triggers_lifted
from carenet.audit.verify import verify_chains
from carenet.core.middleware import client_ip
from carenet.core.request_context import RequestMeta, reset_request_meta, set_request_meta


def _events(municipality, actor, n=5):
    token = set_request_meta(RequestMeta(ip="10.0.0.7", user_agent="Firefox/140"))
    try:
        return [audit_record(action=f"test.{i}", actor=actor, municipality=municipality) for i in range(n)]
    finally:
        reset_request_meta(token)


def _db_id(event):
    return AuditEvent._meta.pk.get_db_prep_value(event.id, connection)


def _sql(sql, params=()):
    """Behind the application's back, as an attacker with database access would (triggers lifted)."""
    with audit_triggers_lifted(connection), connection.cursor() as cursor:
        cursor.execute(sql, params)


def _reasons():
    return [link.reason for link in verify_chains()[1]]


def test_editing_the_user_agent_breaks_the_hash(baia_mare, caseworker_a):
    events = _events(baia_mare, caseworker_a)
    _sql("UPDATE audit_auditevent SET user_agent = %s WHERE id = %s", ["curl/8", _db_id(events[2])])
    assert _reasons() == ["content does not match its hash"]


def test_every_stored_field_is_hashed(baia_mare, caseworker_a):
    """Changing any stored column of an event (but the hash itself) changes its hash."""
    event = _events(baia_mare, caseworker_a, n=1)[0]
    event = AuditEvent.objects.get(pk=event.pk)
    original = event.compute_hash()
    assert original == event.hash
    other = {
        "id": AuditEvent().id,
        "chain": AuditEvent().id,
        "seq": 99,
        "created_at": event.created_at + datetime.timedelta(seconds=1),
        "actor_id": event.actor_id + 1,
        "actor_label": "someone",
        "municipality_id": AuditEvent().id,
        "action": "other",
        "object_type": "x",
        "object_id": "1",
        "object_label": "y",
        "purpose": "z",
        "ip": "10.0.0.8",
        "user_agent": "curl/8",
        "changes": {"a": 1},
        "prev_hash": "1" * 64,
        "hash_version": 1,
    }
    stored = {f.attname for f in AuditEvent._meta.concrete_fields} - {"hash"}
    assert stored == set(other), "a new column of AuditEvent must enter the hash (a new hash_version)"
    for attname, value in other.items():
        changed = AuditEvent.objects.get(pk=event.pk)
        setattr(changed, attname, value)
        assert changed.compute_hash() != original, f"{attname} is not covered by the hash"


def test_deleting_the_last_events_is_detected(baia_mare, caseworker_a):
    events = _events(baia_mare, caseworker_a)
    audit_checkpoint_make()
    assert verify_chains() == (5, [])
    _sql("DELETE FROM audit_auditevent WHERE id IN (%s, %s)", [_db_id(events[3]), _db_id(events[4])])
    assert _reasons() == ["events 4 to 5 are missing: checkpoint 1 anchored 5 events"]


def test_rewriting_a_row_and_every_later_hash_is_detected(baia_mare, caseworker_a):
    events = _events(baia_mare, caseworker_a)
    audit_checkpoint_make()
    prev = events[0].hash
    for event in events[1:]:  # the attacker edits event 2 and recomputes the chain from there on
        event = AuditEvent.objects.get(pk=event.pk)
        if event.seq == 2:
            event.purpose = "nothing to see"
        event.prev_hash = prev
        event.hash = event.compute_hash()
        prev = event.hash
        _sql(
            "UPDATE audit_auditevent SET purpose = %s, prev_hash = %s, hash = %s WHERE id = %s",
            [event.purpose, event.prev_hash, event.hash, _db_id(event)],
        )
    assert _reasons() == ["event 5 differs from checkpoint 1: the chain was rewritten"]


def test_a_forged_or_deleted_checkpoint_is_detected(baia_mare, caseworker_a):
    _events(baia_mare, caseworker_a, n=2)
    first = audit_checkpoint_make()[0]
    _events(baia_mare, caseworker_a, n=2)
    second = audit_checkpoint_make(now=timezone.now() + datetime.timedelta(days=1))[0]
    assert (second.number, second.seq, second.prev_signature) == (2, 4, first.signature)
    stored = AuditCheckpoint._meta.pk.get_db_prep_value(second.id, connection)
    _sql("UPDATE audit_auditcheckpoint SET seq = 2, head_hash = %s WHERE id = %s", [first.head_hash, stored])
    assert _reasons() == ["checkpoint 2: the signature does not match (forged or edited)"]
    _sql(
        "DELETE FROM audit_auditcheckpoint WHERE id = %s",
        [AuditCheckpoint._meta.pk.get_db_prep_value(first.id, connection)],
    )
    assert _reasons() == ["checkpoint 1 is missing"]


def test_a_chain_not_anchored_for_a_day_is_reported(baia_mare, caseworker_a, settings):
    """Deleting today's checkpoint with the events it anchored leaves yesterday's as the last one."""
    _events(baia_mare, caseworker_a, n=2)
    audit_checkpoint_make()
    later = timezone.now() + datetime.timedelta(hours=settings.CARENET_AUDIT_CHECKPOINT_MAX_AGE_HOURS + 1)
    _checked, broken = verify_chains(now=later)
    assert [link.reason[:30] for link in broken] == ["not anchored by a checkpoint s"]


def test_one_checkpoint_a_day_per_chain(baia_mare, balti, caseworker_a):
    _events(baia_mare, caseworker_a, n=2)
    audit_record(action="test.other", municipality=balti)
    made = audit_checkpoint_make()
    assert sorted((c.number, c.seq) for c in made) == [(1, 1), (1, 2)]
    assert audit_checkpoint_make() == []  # already anchored today
    assert AuditCheckpoint.objects.count() == 2


def test_checkpoints_need_the_key_and_a_key_in_the_database_is_not_one(baia_mare, caseworker_a, settings):
    _events(baia_mare, caseworker_a, n=1)
    audit_checkpoint_make()
    settings.CARENET_AUDIT_KEY = "another key the attacker chose"
    settings.CARENET_AUDIT_OLD_KEYS = []
    assert _reasons() == ["checkpoint 1: signed with a key this server does not hold"]


def test_audit_verify_command_reports_truncation(baia_mare, caseworker_a, capsys):
    events = _events(baia_mare, caseworker_a, n=3)
    call_command("audit_checkpoint")
    call_command("audit_verify")
    _sql("DELETE FROM audit_auditevent WHERE id = %s", [_db_id(events[2])])
    with pytest.raises(CommandError):
        call_command("audit_verify")
    assert "events 3 to 3 are missing" in capsys.readouterr().err


# --- The recorded client address ------------------------------------------------------------------------


def test_x_real_ip_from_anywhere_is_not_recorded(settings):
    settings.CARENET_TRUSTED_PROXIES = ["127.0.0.1"]
    request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.9", HTTP_X_REAL_IP="198.51.100.1")
    assert client_ip(request) == "203.0.113.9"


def test_x_real_ip_from_the_configured_proxy_is_the_client(settings):
    settings.CARENET_TRUSTED_PROXIES = ["10.1.0.0/16"]
    request = RequestFactory().get("/", REMOTE_ADDR="10.1.2.3", HTTP_X_REAL_IP="198.51.100.1")
    assert client_ip(request) == "198.51.100.1"
    garbage = RequestFactory().get("/", REMOTE_ADDR="10.1.2.3", HTTP_X_REAL_IP="not an address")
    assert client_ip(garbage) == "10.1.2.3"


def test_the_audited_address_is_the_real_client(client, caseworker_a, settings):
    settings.CARENET_TRUSTED_PROXIES = []
    client.post(
        "/account/login/",
        {"username": "cw_a", "password": "wrong-password-123"},
        REMOTE_ADDR="203.0.113.9",
        HTTP_X_REAL_IP="198.51.100.1",
    )
    assert AuditEvent.objects.get(action="auth.login_failed").ip == "203.0.113.9"
