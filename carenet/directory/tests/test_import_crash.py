"""Nothing half-saved when a process dies in the middle of the heaviest write (issue 24): an HSDS import killed
after writing every row, before its commit, leaves the directory as it was. The web request and the command
run the same service, in one transaction.

A real process, killed with ``kill -9`` while its transaction is open: PostgreSQL only (SQLite's test
database lives in the test process's memory).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection

from carenet.directory.datapackage.export import export_tables, tables_to_zip
from carenet.directory.models import Service
from carenet.ops.backup import url_of

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="another process needs the test database"),
]

_IMPORT = """\
import sys
import django
django.setup()
from carenet.core.models import Municipality
from carenet.directory.datapackage.load import import_file
municipality = Municipality.objects.get(slug=sys.argv[1])
with open(sys.argv[2], "rb") as package:
    import_file(actor=None, municipality=municipality, content=package.read(), filename="directory.zip")
"""


def _open_transactions() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND state = 'idle in transaction' AND pid <> pg_backend_pid()"
        )
        return int(cursor.fetchone()[0])


def test_an_import_killed_before_its_commit_leaves_nothing(
    baia_mare: Any, service_a: Any, service_b: Any, tmp_path: Path
) -> None:
    package = tmp_path / "directory.zip"
    package.write_bytes(tables_to_zip(export_tables(municipality=baia_mare), name="directory"))
    Service.objects.for_tenant(baia_mare).all().delete()  # the import would bring them back
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": url_of(connection.settings_dict),
        "CARENET_FAILPOINTS": "hsds.import.written=sleep:600",
    }
    command = [sys.executable, "-c", _IMPORT, baia_mare.slug, str(package)]
    process = subprocess.Popen(command, env=env, cwd=Path(settings.BASE_DIR))  # noqa: S603  (fixed arguments)
    try:
        deadline = time.monotonic() + 300
        while _open_transactions() == 0:  # the import holds its written rows, uncommitted, at the failpoint
            assert process.poll() is None, "the import ended before the failpoint"
            assert time.monotonic() < deadline, "the import never reached the failpoint"
            time.sleep(0.5)
    finally:
        process.kill()
        process.wait(timeout=30)

    assert Service.objects.for_tenant(baia_mare).count() == 0
    deadline = time.monotonic() + 60
    while _open_transactions() and time.monotonic() < deadline:  # the server ends the dead client's session
        time.sleep(0.2)
    assert _open_transactions() == 0


def test_the_same_import_left_alone_writes_the_services(baia_mare: Any, service_a: Any, service_b: Any) -> None:
    """The control: the package the crash test kills does bring the services back when it runs to its end."""
    from carenet.directory.datapackage.load import import_file

    content = tables_to_zip(export_tables(municipality=baia_mare), name="directory")
    Service.objects.for_tenant(baia_mare).all().delete()
    report = import_file(actor=None, municipality=baia_mare, content=content, filename="directory.zip")
    assert not report.errors and Service.objects.for_tenant(baia_mare).count() == 2
