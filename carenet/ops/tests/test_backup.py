"""Backups proven by restoring (issue 24): a backup restored into an empty database is identical — every
table's rows, the personal data's checksum, the uploaded files, an intact audit chain. Runs on SQLite
(the restore target is a new file) and on PostgreSQL (a new database, dropped at the end)."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import tarfile
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from carenet.audit.services import audit_record
from carenet.audit.verify import verify_chains
from carenet.ops.backup import (
    audit_state_of,
    media_files,
    open_database,
    summarise_database,
    target_settings,
    url_of,
)
from carenet.ops.models import BackupRecord


@dataclass(frozen=True)
class KeyPair:
    public: Path
    secret: Path
    fingerprint: str


def _gpg(home: Path, *args: str) -> str:
    done = subprocess.run(  # noqa: S603
        ["gpg", "--batch", "--homedir", str(home), *args],  # noqa: S607
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
        env={**os.environ, "GNUPGHOME": str(home)},
    )
    return done.stdout


@pytest.fixture(scope="module")
def key_pair(tmp_path_factory: pytest.TempPathFactory) -> Iterator[KeyPair]:
    """A throwaway key pair standing for the municipality's: the public key encrypts, the secret one
    (no passphrase) restores."""
    home = tmp_path_factory.mktemp("gnupg")
    home.chmod(0o700)
    keys = tmp_path_factory.mktemp("keys")
    uid = "CareNet test <test@example.invalid>"
    try:
        _gpg(home, "--passphrase", "", "--quick-gen-key", uid, "default", "default", "never")
        public, secret = keys / "public.asc", keys / "secret.asc"
        public.write_text(_gpg(home, "--armor", "--export", "test@example.invalid"))
        secret.write_text(
            _gpg(home, "--pinentry-mode", "loopback", "--passphrase", "", "--armor", "--export-secret-keys", uid)
        )
        listing = _gpg(home, "--with-colons", "--list-keys", "test@example.invalid")
        fingerprint = next(line.split(":")[9] for line in listing.splitlines() if line.startswith("fpr:"))
        yield KeyPair(public, secret, fingerprint)
    finally:
        subprocess.run(
            ["gpgconf", "--kill", "all"],  # noqa: S607
            env={**os.environ, "GNUPGHOME": str(home)},
            timeout=30,
            check=False,
        )


@pytest.fixture
def empty_database(django_db_setup: Any, django_db_blocker: Any, tmp_path: Path) -> Iterator[str]:
    """The URL of a new, empty database of the test database's kind: a file on SQLite, a database created
    (and dropped at the end) on PostgreSQL."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    import psycopg
    from psycopg import sql

    source = connection.settings_dict
    name = f"{source['NAME']}_restore_{uuid.uuid4().hex[:8]}"
    admin = psycopg.connect(
        host=source["HOST"] or None,
        port=source["PORT"] or None,
        user=source["USER"] or None,
        password=source["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    )
    admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield url_of({**source, "NAME": name})
    finally:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        admin.close()


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    """MEDIA_ROOT with an uploaded document in a subfolder and one at the top."""
    root = tmp_path / "media"
    (root / "consents" / "2025").mkdir(parents=True)
    (root / "consents" / "2025" / "signed consent.pdf").write_bytes(b"%PDF-1.4 consent of the person\n" * 100)
    (root / "photo.jpg").write_bytes(bytes(range(256)) * 40)
    settings.MEDIA_ROOT = root
    return root


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.django_db(transaction=True)
def test_a_backup_restored_into_an_empty_database_is_identical(
    key_pair: KeyPair,
    empty_database: str,
    media: Path,
    settings: Any,
    tmp_path: Path,
    person_a: Any,
    person_b: Any,
    caseworker_a: Any,
    case_a: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    audit_record(action="person.view", actor=caseworker_a, obj=person_a, purpose="backup test")
    audit_record(action="person.view", actor=caseworker_a, obj=person_b, purpose="backup test")
    scratch: list[str] = []  # the temporary folders that held the dump and the unencrypted tar
    made = tempfile.TemporaryDirectory
    monkeypatch.setattr(tempfile, "TemporaryDirectory", lambda **kw: _noted(made(**kw), scratch))

    call_command("backup", recipient_key=str(key_pair.public), output=str(tmp_path / "backups"), verbosity=0)

    record = BackupRecord.objects.get()
    archive = Path(record.path)
    assert record.ok and record.finished_at is not None
    assert archive.parent == tmp_path / "backups" and archive.name.endswith(".tar.gpg")
    assert record.size_bytes == archive.stat().st_size and record.sha256 == _sha256(archive)
    assert record.recipient == key_pair.fingerprint
    assert not tarfile.is_tarfile(archive)  # encrypted: nothing readable without the key
    assert list(archive.parent.iterdir()) == [archive]  # no unencrypted tar or dump left beside it

    # What the backup must come back as (nothing is written to the database after it was taken).
    rows = summarise_database(connection)
    files = media_files(media)
    events, broken = verify_chains()
    assert rows.personal_data["people_person"]["rows"] == 2 and rows.row_counts["cases_case"] == 1
    assert len(files) == 2 and events >= 2 and broken == []

    # Restore elsewhere: a new database, a new MEDIA_ROOT.
    settings.MEDIA_ROOT = tmp_path / "restored-media"
    call_command("restore", str(archive), secret_key=str(key_pair.secret), database_url=empty_database, verbosity=0)

    with open_database(target_settings(empty_database)) as restored:
        restored_rows = summarise_database(restored)
        with restored.cursor() as cursor:
            cursor.execute("SELECT action, object_label, changes FROM audit_auditevent ORDER BY id DESC LIMIT 1")
            last_event = cursor.fetchone()
    # Every table's rows, and the restore's own event appended to the log once the checks were done.
    assert restored_rows.row_counts == {**rows.row_counts, "audit_auditevent": rows.row_counts["audit_auditevent"] + 1}
    # The personal data's checksums; the audit log's differs by that one event.
    restored_personal = dict(restored_rows.personal_data)
    assert restored_personal.pop("audit_auditevent")["rows"] == rows.personal_data["audit_auditevent"]["rows"] + 1
    assert restored_personal == {k: v for k, v in rows.personal_data.items() if k != "audit_auditevent"}
    assert media_files(tmp_path / "restored-media") == files  # the uploaded files
    assert audit_state_of(empty_database, timezone.now()) == {"events_checked": events + 1, "broken": []}
    details = last_event[2] if isinstance(last_event[2], dict) else json.loads(last_event[2])
    assert last_event[:2] == ("backup.restore", archive.name) and details["problems"] == 0
    # Nothing unencrypted is left behind, by the backup or by the restore.
    assert len(scratch) == 2 and not any(Path(folder).exists() for folder in scratch)


def _noted(folder: tempfile.TemporaryDirectory[str], names: list[str]) -> tempfile.TemporaryDirectory[str]:
    names.append(folder.name)
    return folder


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_database_that_is_not_empty(
    key_pair: KeyPair, tmp_path: Path, media: Path, person_a: Any
) -> None:
    call_command("backup", recipient_key=str(key_pair.public), output=str(tmp_path), verbosity=0)
    archive = BackupRecord.objects.get(ok=True).path
    rows = summarise_database(connection)

    # Into the database CareNet runs on (it has tables): refused, naming it, and nothing changed.
    with pytest.raises(CommandError, match="is not empty") as refused:
        call_command("restore", archive, secret_key=str(key_pair.secret), verbosity=0)
    assert str(connection.settings_dict["NAME"]) in str(refused.value)
    assert summarise_database(connection) == rows


@pytest.mark.django_db
def test_restore_refuses_to_write_uploaded_files_over_others_unless_forced(
    key_pair: KeyPair, empty_database: str, media: Path, tmp_path: Path
) -> None:
    archive = tmp_path / "carenet-20250101T000000Z.tar.gpg"  # refused before it is read
    archive.write_bytes(b"-")

    with pytest.raises(CommandError, match=r"MEDIA_ROOT .* is not empty.*--force-files"):
        call_command("restore", str(archive), secret_key=str(key_pair.secret), database_url=empty_database, verbosity=0)


@pytest.mark.django_db
def test_a_backup_without_a_recipient_key_is_refused_and_recorded_as_failed(settings: Any, tmp_path: Path) -> None:
    settings.CARENET_BACKUP_PUBLIC_KEY = ""

    with pytest.raises(CommandError, match="no recipient key"):
        call_command("backup", output=str(tmp_path / "backups"), verbosity=0)

    record = BackupRecord.objects.get()
    assert not record.ok and record.finished_at is not None
    assert record.note.startswith("no recipient key") and record.path == ""
    assert not (tmp_path / "backups").exists() or not any((tmp_path / "backups").iterdir())


@pytest.mark.django_db
def test_a_killed_backups_work_directory_is_removed_when_the_next_one_starts(settings: Any, tmp_path: Path) -> None:
    """A backup killed outright leaves its work directory (with an unencrypted dump) in the temporary folder;
    the next backup removes it once it is older than the longest a program may run."""
    import os
    import tempfile
    import time

    settings.CARENET_BACKUP_PUBLIC_KEY = ""
    settings.CARENET_BACKUP_TIMEOUT_SECONDS = 60
    stale = Path(tempfile.mkdtemp(prefix="carenet-backup-"))
    (stale / "carenet.dump").write_bytes(b"personal data")
    old = time.time() - 3600
    os.utime(stale, (old, old))
    fresh = Path(tempfile.mkdtemp(prefix="carenet-backup-"))  # a backup running now: kept
    try:
        with pytest.raises(CommandError):
            call_command("backup", output=str(tmp_path / "backups"), verbosity=0)
        assert not stale.exists()
        assert fresh.exists()
    finally:
        fresh.rmdir()
