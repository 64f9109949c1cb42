"""On a Citus cluster (issue 25): every table placed as declared, ``citus_distribute`` idempotent, and the
audit log append-only without a row trigger on its distributed table (decision 0011).

Runs where the database is a Citus coordinator (scripts/citus_ci.sh); not run elsewhere.
"""

import psycopg
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from carenet.audit.models import AuditEvent
from carenet.audit.services import audit_record
from carenet.audit.tests.app_role import as_the_application
from carenet.audit.verify import verify_chains
from carenet.core.db import citus

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _on_citus(on_citus):  # type: ignore[no-untyped-def]
    """Only on a Citus coordinator (carenet/core/tests/conftest.py)."""


def test_no_table_is_left_undistributed(capsys):
    assert citus.misplaced(connection) == []
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_dist_partition WHERE partmethod = 'h'")
        hashed = cursor.fetchone()[0]
    tenant = [p for p in citus.placements() if p.kind == "distributed"]
    assert hashed == len(tenant) >= 80
    call_command("citus_distribute", check=True)
    assert "0 left undistributed" in capsys.readouterr().out


def test_citus_distribute_runs_again_without_changing_anything(capsys):
    call_command("citus_distribute")
    assert "already distributed" in capsys.readouterr().out


def test_the_check_names_a_tenant_table_that_is_not_distributed():
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE cases_case_copy (LIKE cases_case)")
    from django.apps import apps

    model = apps.get_model("cases", "Case")
    table = model._meta.db_table
    model._meta.db_table = "cases_case_copy"
    try:
        assert "cases_case_copy: not distributed by municipality_id" in citus.misplaced(connection)
        with pytest.raises(CommandError):
            call_command("citus_distribute", check=True)
    finally:
        model._meta.db_table = table


def test_the_audit_table_is_distributed_without_row_triggers():
    assert citus.row_triggers(connection).get("audit_auditevent", []) == []
    with connection.cursor() as cursor:
        cursor.execute("SHOW citus.enable_unsafe_triggers")
        assert cursor.fetchone()[0] == "off"


def test_the_application_role_can_append_but_not_edit_delete_or_truncate(baia_mare, caseworker_a):
    with as_the_application() as app:
        event = audit_record(action="test.citus", actor=caseworker_a, municipality=baia_mare, purpose="test")
        app.execute("SELECT count(*) FROM audit_auditevent")
        for statement in (
            "UPDATE audit_auditevent SET purpose = 'changed' WHERE id = %s",
            "DELETE FROM audit_auditevent WHERE id = %s",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                app.execute(statement, [event.id])
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            app.execute("TRUNCATE audit_auditevent")
    assert AuditEvent.objects.get(pk=event.pk).purpose == "test"


def test_an_edit_or_delete_behind_the_applications_back_is_detected(baia_mare, caseworker_a):
    events = [audit_record(action=f"test.{i}", actor=caseworker_a, municipality=baia_mare) for i in range(3)]
    assert verify_chains()[1] == []
    with connection.cursor() as cursor:  # the superuser: no privilege stops it
        cursor.execute("UPDATE audit_auditevent SET purpose = 'nothing to see' WHERE id = %s", [events[1].id])
    assert [b.reason for b in verify_chains()[1]] == ["content does not match its hash"]
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [events[1].id])
    assert [b.reason for b in verify_chains()[1]] == ["event 2 of the chain is missing"]
