"""Backups proven by restoring (issue 24): ``manage.py backup`` and ``manage.py restore``.

A backup is one file, ``carenet-<UTC time>.tar.gpg``: a tar encrypted with GnuPG to the municipality's
public key, holding

* the database: ``database.pgdump`` (``pg_dump -Fc``) or ``database.sqlite3`` (SQLite's backup API, never a
  copy of the live file);
* ``media/``: every uploaded file under ``MEDIA_ROOT``;
* ``manifest.json``: what the archive must restore to: the rows of every table, a SHA-256 of the rows of
  the personal-data tables (``people_person`` and every table of ``core.subject_data``, read in primary-key
  order), each uploaded file's SHA-256, and the audit chain's state when the backup was made.

On PostgreSQL the manifest is computed in the same snapshot ``pg_dump`` reads (``pg_export_snapshot``), on
SQLite from the copy itself, so a system in use while the backup runs still gets a manifest that matches
its dump. ``restore`` decrypts with the secret key, refuses a database that already has tables, restores
the dump and the files, recomputes the manifest's figures from the restored database and files, and
verifies the audit chain in a separate process pointed at the restored database; then it appends its own
event ("backup.restore", with the number of problems found) to the restored platform chain. The unencrypted tar,
the dump and the temporary GnuPG home live in one temporary directory removed in ``finally``.
"""

from __future__ import annotations

import copy
import datetime
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any
from urllib.parse import quote

import dj_database_url
from django.apps import apps
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.utils import ConnectionHandler
from django.utils import timezone

from carenet.audit.services import audit_export
from carenet.audit.verify import verify_chains
from carenet.core.subject_data import registered

from .models import BackupRecord

FORMAT = "carenet-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
MEDIA_DIR = "media"
DUMP_NAMES = {"postgresql": "database.pgdump", "sqlite": "database.sqlite3"}
CHUNK = 1 << 20
ROWS_PER_FETCH = 2000


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is for the IT officer."""


def _timeout() -> int:
    """Seconds any one outside program (pg_dump, pg_restore, gpg, the audit check) may take."""
    return int(getattr(settings, "CARENET_BACKUP_TIMEOUT_SECONDS", 6 * 3600))


def remove_stale_work_dirs(now: float | None = None) -> int:
    """Remove the work directories a killed backup or restore left behind (they may hold an unencrypted
    dump): any ``carenet-backup-*`` or ``carenet-restore-*`` in the temporary folder older than the longest a
    program may run. Called when a backup or a restore starts."""
    import shutil
    import time

    limit = (now or time.time()) - _timeout()
    removed = 0
    for pattern in ("carenet-backup-*", "carenet-restore-*"):
        for path in Path(tempfile.gettempdir()).glob(pattern):
            try:
                if path.is_dir() and path.stat().st_mtime < limit:
                    shutil.rmtree(path, ignore_errors=True)
                    removed += 1
            except OSError:
                continue
    return removed


# --- Outside programs ------------------------------------------------------------------------------------


def run_program(
    args: list[str],
    *,
    what: str,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
    timeout: int | None = None,
    package: str = "",
) -> subprocess.CompletedProcess[str]:
    """Run a program (an argument list, never a shell) and return it; a readable BackupError when it is
    missing, runs over its time or exits with an error (the last lines of its error output)."""
    timeout = timeout or _timeout()
    try:
        done = subprocess.run(  # noqa: S603 (an argument list of known programs, never a shell)
            args,
            capture_output=True,
            text=True,
            env=env,
            cwd=cwd,
            timeout=timeout,
            check=False,
            stdin=subprocess.DEVNULL,
        )
    except FileNotFoundError as exc:
        hint = f" (install the Debian package {package})" if package else ""
        raise BackupError(f"{what}: the program {args[0]} was not found{hint}") from exc
    except subprocess.TimeoutExpired as exc:
        raise BackupError(f"{what}: {args[0]} did not finish within {timeout} seconds") from exc
    if done.returncode != 0:
        lines = [line for line in (done.stderr or done.stdout or "").strip().splitlines() if line.strip()]
        detail = " / ".join(lines[-5:]) or "no error output"
        raise BackupError(f"{what} failed ({args[0]} exited with {done.returncode}): {detail}")
    return done


class GnuPG:
    """GnuPG in a temporary home of its own: the server's keyrings are never read or changed."""

    def __init__(self, home: Path) -> None:
        self.home = home
        home.mkdir(mode=0o700)
        self.env = {**os.environ, "GNUPGHOME": str(home)}

    def __enter__(self) -> GnuPG:
        return self

    def __exit__(self, *exc: object) -> None:
        # Decrypting starts a gpg-agent for this home: stop it before the home is removed.
        with suppress(OSError, subprocess.SubprocessError):
            subprocess.run(
                ["gpgconf", "--kill", "all"],  # noqa: S607 (found on PATH like gpg itself)
                env=self.env,
                capture_output=True,
                timeout=30,
                check=False,
            )

    def run(self, *args: str, what: str, passphrase_file: Path | None = None) -> subprocess.CompletedProcess[str]:
        options = ["gpg", "--batch", "--no-tty", "--quiet", "--homedir", str(self.home)]
        if passphrase_file is not None:
            options += ["--pinentry-mode", "loopback", "--passphrase-file", str(passphrase_file)]
        return run_program([*options, *args], what=what, env=self.env, package="gnupg")

    def import_key(self, path: Path, *, secret: bool, passphrase_file: Path | None = None) -> str:
        """Import the armored key file; return its key's fingerprint (the file must hold exactly one key)."""
        kind = "secret" if secret else "public"
        self.run("--import", str(path), what=f"importing the {kind} key {path}", passphrase_file=passphrase_file)
        listing = self.run(
            "--with-colons", "--list-secret-keys" if secret else "--list-keys", what=f"listing the {kind} key"
        ).stdout
        fingerprints: list[str] = []
        expect_primary = False
        for line in listing.splitlines():
            fields = line.split(":")
            if fields[0] in ("pub", "sec"):
                expect_primary = True
            elif fields[0] == "fpr" and expect_primary:
                fingerprints.append(fields[9])
                expect_primary = False
        if not fingerprints:
            raise BackupError(f"the file {path} holds no {kind} key (an armored OpenPGP key is expected)")
        if len(fingerprints) > 1:
            raise BackupError(f"the file {path} holds {len(fingerprints)} keys; give a file with exactly one")
        return fingerprints[0]

    def encrypt(self, source: Path, target: Path, *, recipient: str) -> None:
        self.run(
            "--trust-model", "always", "--recipient", recipient, "--output", str(target), "--encrypt", str(source),
            what=f"encrypting the backup to the key {recipient}",
        )  # fmt: skip

    def decrypt(self, source: Path, target: Path, *, passphrase_file: Path | None = None) -> None:
        self.run(
            "--output", str(target), "--decrypt", str(source),
            what=f"decrypting {source}", passphrase_file=passphrase_file,
        )  # fmt: skip


# --- Databases -------------------------------------------------------------------------------------------


def vendor_of(settings_dict: dict[str, Any]) -> str:
    engine = settings_dict.get("ENGINE", "")
    if engine.endswith("postgresql"):
        return "postgresql"
    if engine.endswith("sqlite3"):
        return "sqlite"
    raise BackupError(f"backups support PostgreSQL and SQLite; this database's engine is {engine!r}")


def database_label(settings_dict: dict[str, Any]) -> str:
    if vendor_of(settings_dict) == "sqlite":
        return f"SQLite file {settings_dict['NAME']}"
    host = settings_dict.get("HOST") or "local socket"
    return f"PostgreSQL database {settings_dict['NAME']!r} on {host}"


def target_settings(database_url: str | None = None) -> dict[str, Any]:
    """The connection settings of a database: the one CareNet uses, or the one a URL names (same engine and
    options as CareNet's own, another server, name or file)."""
    base = copy.deepcopy(connections[DEFAULT_DB_ALIAS].settings_dict)
    if not database_url:
        return base
    parsed = dict(dj_database_url.parse(database_url))
    if vendor_of(parsed) != vendor_of(base):
        raise BackupError(
            f"the database URL names a {vendor_of(parsed)} database, but CareNet is configured for {vendor_of(base)}"
        )
    for key in ("NAME", "USER", "PASSWORD", "HOST", "PORT"):
        base[key] = parsed.get(key) or ""
    return base


def url_of(settings_dict: dict[str, Any]) -> str:
    """The DATABASE_URL that makes CareNet's settings (config/settings/base.py) open this database."""
    if vendor_of(settings_dict) == "sqlite":
        return f"sqlite:///{settings_dict['NAME']}"
    user = quote(str(settings_dict.get("USER") or ""), safe="")
    password = settings_dict.get("PASSWORD")
    credentials = f"{user}:{quote(str(password), safe='')}@" if password else (f"{user}@" if user else "")
    host = quote(str(settings_dict.get("HOST") or ""), safe="")
    port = f":{settings_dict['PORT']}" if settings_dict.get("PORT") else ""
    return f"postgres://{credentials}{host}{port}/{quote(str(settings_dict['NAME']), safe='')}"


@contextmanager
def open_database(settings_dict: dict[str, Any]) -> Iterator[BaseDatabaseWrapper]:
    """A Django connection of its own (the same backend and converters as CareNet's), closed on leaving."""
    handler = ConnectionHandler({DEFAULT_DB_ALIAS: copy.deepcopy(settings_dict)})
    conn = handler[DEFAULT_DB_ALIAS]
    try:
        yield conn
    finally:
        conn.close()


def table_names(conn: BaseDatabaseWrapper) -> list[str]:
    with conn.cursor() as cursor:
        return sorted(conn.introspection.table_names(cursor))


def personal_tables() -> dict[str, str]:
    """The personal-data tables and their primary-key columns: ``people_person`` and every table of the
    subject-access registry (``core.subject_data``)."""
    models = []
    with suppress(LookupError):
        models.append(apps.get_model("people", "Person"))
    models += [table.model_class for table in registered()]
    return {m._meta.db_table: m._meta.pk.column for m in models if m._meta.pk is not None}


def _canonical(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, bytes | bytearray | memoryview):
        return {"bytes": bytes(value).hex()}
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return str(value)  # Decimal, UUID, timedelta, …


def table_checksum(conn: BaseDatabaseWrapper, table: str, pk_column: str) -> dict[str, Any]:
    """The SHA-256 of a table's columns and rows, read in primary-key order, and its number of rows."""
    digest = hashlib.sha256()
    rows = 0
    quote_name = conn.ops.quote_name
    with conn.chunked_cursor() as cursor:
        cursor.execute(f"SELECT * FROM {quote_name(table)} ORDER BY {quote_name(pk_column)}")  # noqa: S608
        columns = [c[0] for c in cursor.description]
        digest.update(json.dumps(columns).encode() + b"\n")
        while batch := cursor.fetchmany(ROWS_PER_FETCH):
            for row in batch:
                digest.update(json.dumps([_canonical(v) for v in row], ensure_ascii=False).encode() + b"\n")
                rows += 1
    return {"rows": rows, "sha256": digest.hexdigest()}


@dataclass
class DatabaseSummary:
    row_counts: dict[str, int]
    personal_data: dict[str, dict[str, Any]]


def summarise_database(conn: BaseDatabaseWrapper) -> DatabaseSummary:
    """Every table's number of rows and the personal-data tables' checksums, as this connection sees them."""
    tables = table_names(conn)
    counts: dict[str, int] = {}
    with conn.cursor() as cursor:
        for table in tables:
            cursor.execute(f"SELECT COUNT(*) FROM {conn.ops.quote_name(table)}")  # noqa: S608
            counts[table] = cursor.fetchone()[0]
    personal = {
        table: table_checksum(conn, table, pk) for table, pk in sorted(personal_tables().items()) if table in counts
    }
    return DatabaseSummary(counts, personal)


def _pg_program_args(settings_dict: dict[str, Any]) -> tuple[list[str], dict[str, str]]:
    """Connection arguments and environment for pg_dump/pg_restore (the password only in the environment)."""
    args = []
    if settings_dict.get("HOST"):
        args += ["--host", str(settings_dict["HOST"])]
    if settings_dict.get("PORT"):
        args += ["--port", str(settings_dict["PORT"])]
    if settings_dict.get("USER"):
        args += ["--username", str(settings_dict["USER"])]
    env = {**os.environ}
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    sslmode = (settings_dict.get("OPTIONS") or {}).get("sslmode")
    if sslmode:
        env["PGSSLMODE"] = str(sslmode)
    return [*args, "--no-password"], env


def dump_database(dump: Path) -> DatabaseSummary:
    """Write CareNet's database to ``dump`` and return the summary of exactly what the dump holds."""
    if connections[DEFAULT_DB_ALIAS].in_atomic_block:
        # pg_dump would miss what the transaction has not committed; SQLite's backup API would wait forever.
        raise BackupError("a backup must run outside a database transaction")
    source = copy.deepcopy(connections[DEFAULT_DB_ALIAS].settings_dict)
    if vendor_of(source) == "postgresql":
        with open_database(source) as conn:
            # One snapshot for pg_dump and for the manifest: rows written meanwhile are in neither.
            conn.set_autocommit(False)
            try:
                with conn.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                    cursor.execute("SELECT pg_export_snapshot()")
                    snapshot = cursor.fetchone()[0]
                args, env = _pg_program_args(source)
                run_program(
                    [
                        "pg_dump",
                        *args,
                        "--format=custom",
                        f"--snapshot={snapshot}",
                        "--file",
                        str(dump),
                        source["NAME"],
                    ],
                    what=f"dumping the {database_label(source)}",
                    env=env,
                    package="postgresql-client",
                )
                return summarise_database(conn)
            finally:
                conn.rollback()
    # SQLite: the backup API copies a consistent image, even of a database in use (never copy the file).
    live = connections[DEFAULT_DB_ALIAS]
    live.ensure_connection()
    copy_to = sqlite3.connect(dump)
    try:
        live.connection.backup(copy_to)
    finally:
        copy_to.close()
    with open_database({**source, "NAME": str(dump), "TEST": {}}) as conn:
        return summarise_database(conn)


def load_database(dump: Path, target: dict[str, Any]) -> None:
    """Restore a dump into the (empty) target database."""
    if vendor_of(target) == "postgresql":
        args, env = _pg_program_args(target)
        run_program(
            ["pg_restore", *args, "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction",
             "--dbname", target["NAME"], str(dump)],
            what=f"restoring the database dump into the {database_label(target)}",
            env=env,
            package="postgresql-client",
        )  # fmt: skip
        return
    source = sqlite3.connect(dump)
    destination = sqlite3.connect(target["NAME"])
    try:
        source.backup(destination)
    finally:
        destination.close()
        source.close()


# --- Uploaded files --------------------------------------------------------------------------------------


def _sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def media_files(root: Path) -> dict[str, dict[str, Any]]:
    """Every regular file under ``root`` (relative POSIX path → size and SHA-256); symbolic links are skipped."""
    found: dict[str, dict[str, Any]] = {}
    if not root.is_dir():
        return found
    for folder, dirs, files in os.walk(root):
        dirs.sort()
        for name in sorted(files):
            path = Path(folder) / name
            if path.is_symlink() or not path.is_file():
                continue
            found[path.relative_to(root).as_posix()] = {"size": path.stat().st_size, "sha256": _sha256_of(path)}
    return found


class _HashingReader:
    """Reads a file into the tar while hashing exactly the bytes the tar receives."""

    def __init__(self, f: IO[bytes]) -> None:
        self.f = f
        self.digest = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.f.read(size)
        self.digest.update(data)
        return data


def _add_media(archive: tarfile.TarFile, root: Path) -> dict[str, dict[str, Any]]:
    files: dict[str, dict[str, Any]] = {}
    if not root.is_dir():
        return files
    for folder, dirs, names in os.walk(root):
        dirs.sort()
        for name in sorted(names):
            path = Path(folder) / name
            if path.is_symlink() or not path.is_file():
                continue
            relative = path.relative_to(root).as_posix()
            with path.open("rb") as f:
                info = archive.gettarinfo(arcname=f"{MEDIA_DIR}/{relative}", fileobj=f)
                info.uid = info.gid = 0
                info.uname = info.gname = ""
                reader = _HashingReader(f)
                archive.addfile(info, reader)
            files[relative] = {"size": info.size, "sha256": reader.digest.hexdigest()}
    return files


# --- The audit chain -------------------------------------------------------------------------------------


def _audit_state(checked: int, broken: list[Any]) -> dict[str, Any]:
    return {
        "events_checked": checked,
        "broken": sorted(
            ({"chain": str(b.municipality_id or "platform"), "reason": b.reason} for b in broken),
            key=lambda b: b["chain"],
        ),
    }


def audit_state_here(now: datetime.datetime) -> dict[str, Any]:
    """The audit chains of CareNet's own database, verified as of ``now``."""
    checked, broken = verify_chains(now=now)
    return _audit_state(checked, broken)


_VERIFY_SCRIPT = """\
import datetime, json, sys
import django
django.setup()
from carenet.audit.verify import verify_chains
checked, broken = verify_chains(now=datetime.datetime.fromisoformat(sys.argv[1]))
print(json.dumps({"events_checked": checked, "broken": sorted(
    ({"chain": str(b.municipality_id or "platform"), "reason": b.reason} for b in broken),
    key=lambda b: b["chain"])}))
"""


_RECORD_RESTORE_SCRIPT = """\
import json, sys
import django
django.setup()
from django.db import transaction
from carenet.audit.services import audit_record
facts = json.loads(sys.argv[1])
with transaction.atomic():
    audit_record(action="backup.restore", object_type="ops.backuprecord", object_id=facts.pop("backup_id"),
                 object_label=facts.pop("archive"), changes=facts)
"""


def _in_database(url: str, script: str, *args: str, what: str) -> subprocess.CompletedProcess[str]:
    """Run ``script`` in a process of its own whose DATABASE_URL names ``url`` (CareNet's settings and audit
    keys otherwise)."""
    env = {**os.environ, "DATABASE_URL": url}
    env["DJANGO_SETTINGS_MODULE"] = os.environ.get("DJANGO_SETTINGS_MODULE") or settings.SETTINGS_MODULE
    return run_program([sys.executable, "-c", script, *args], what=what, env=env, cwd=Path(settings.BASE_DIR))


def record_restore(url: str, *, archive: Path, manifest: dict[str, Any], problems: int) -> None:
    """The restore's own event, appended to the restored database's platform chain once the checks are done
    (an event written before them would be one the backup does not hold)."""
    facts = {
        "backup_id": manifest.get("backup_id", ""),
        "archive": archive.name,
        "backup_created_at": manifest["created_at"],
        "problems": problems,
    }
    _in_database(url, _RECORD_RESTORE_SCRIPT, json.dumps(facts), what="recording the restore in the audit log")


def audit_state_of(url: str, now: datetime.datetime) -> dict[str, Any]:
    """The audit chains of another database, verified as of ``now`` by ``carenet.audit.verify`` in a process
    of its own whose DATABASE_URL names that database (CareNet's settings and audit keys otherwise)."""
    done = _in_database(url, _VERIFY_SCRIPT, now.isoformat(), what="verifying the restored audit chain")
    try:
        return dict(json.loads(done.stdout.strip().splitlines()[-1]))
    except (IndexError, ValueError) as exc:
        raise BackupError(f"verifying the restored audit chain gave no result: {done.stdout[-500:]!r}") from exc


# --- Backup ----------------------------------------------------------------------------------------------


def default_output_dir() -> Path:
    return Path(getattr(settings, "CARENET_BACKUP_DIR", "") or Path(settings.BASE_DIR) / "var" / "backups")


def _archive_path(output_dir: Path, at: datetime.datetime) -> Path:
    stem = f"carenet-{at:%Y%m%dT%H%M%SZ}"
    path = output_dir / f"{stem}.tar.gpg"
    n = 1
    while path.exists():
        n += 1
        path = output_dir / f"{stem}-{n}.tar.gpg"
    return path


def make_backup(
    *,
    recipient_key: str | Path | None = None,
    output_dir: str | Path | None = None,
    log: Callable[[str], None] = lambda line: None,
) -> BackupRecord:
    """Back up the database and the uploaded files into one archive encrypted to ``recipient_key`` (an
    armored public key file; ``settings.CARENET_BACKUP_PUBLIC_KEY`` when not given). Records the attempt in
    ``BackupRecord``, failed or not; raises BackupError when it fails."""
    started = timezone.now()
    remove_stale_work_dirs()
    record = BackupRecord.objects.create(started_at=started)
    partial: Path | None = None
    try:
        key_file = recipient_key or getattr(settings, "CARENET_BACKUP_PUBLIC_KEY", "")
        if not key_file:
            raise BackupError(
                "no recipient key: give --recipient-key PATH or set CARENET_BACKUP_PUBLIC_KEY to the "
                "municipality's armored public key (a backup is never written unencrypted)"
            )
        key_path = Path(key_file)
        if not key_path.is_file():
            raise BackupError(f"the recipient key file {key_path} does not exist")
        out_dir = Path(output_dir) if output_dir else default_output_dir()
        out_dir.mkdir(parents=True, exist_ok=True)
        media_root = Path(settings.MEDIA_ROOT)
        with tempfile.TemporaryDirectory(prefix="carenet-backup-") as tmp_name:
            tmp = Path(tmp_name)
            with GnuPG(tmp / "gnupg") as gpg:
                fingerprint = gpg.import_key(key_path, secret=False)
                record.recipient = fingerprint
                log(f"Encrypting to the key {fingerprint}.")
                # Every person's data leaves in the archive: the export is audited, before the snapshot so
                # that the archive holds its own event and the restored log verifies.
                audit_export(
                    actor=None,
                    municipality=None,
                    what="ops.backup",
                    rows=0,
                    purpose=f"backup encrypted to {fingerprint}",
                )
                vendor = vendor_of(connections[DEFAULT_DB_ALIAS].settings_dict)
                dump_name = DUMP_NAMES[vendor]
                log(f"Dumping the {database_label(connections[DEFAULT_DB_ALIAS].settings_dict)}…")
                summary = dump_database(tmp / dump_name)
                audit = audit_state_here(started)
                tar_path = tmp / "backup.tar"
                with tarfile.open(tar_path, "w", format=tarfile.PAX_FORMAT) as archive:
                    archive.add(tmp / dump_name, arcname=dump_name)
                    log(f"Adding the uploaded files of {media_root}…")
                    files = _add_media(archive, media_root)
                    manifest = {
                        "format": FORMAT,
                        "format_version": FORMAT_VERSION,
                        "backup_id": str(record.pk),
                        "created_at": started.astimezone(datetime.UTC).isoformat(),
                        "database": {"vendor": vendor, "dump": dump_name},
                        "row_counts": summary.row_counts,
                        "personal_data": summary.personal_data,
                        "files": files,
                        "audit": audit,
                        "recipient": fingerprint,
                    }
                    (tmp / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True), encoding="utf-8")
                    archive.add(tmp / MANIFEST, arcname=MANIFEST)
                target = _archive_path(out_dir, started)
                partial = target.with_name(target.name + ".partial")
                gpg.encrypt(tar_path, partial, recipient=fingerprint)
                os.replace(partial, target)
                partial = None
        record.ok = True
        record.finished_at = timezone.now()
        record.path = str(target)
        record.size_bytes = target.stat().st_size
        record.sha256 = _sha256_of(target)
        record.note = f"{len(summary.row_counts)} tables, {sum(summary.row_counts.values())} rows, {len(files)} files"
        if audit["broken"]:
            record.note += f"; the audit chain was already broken ({len(audit['broken'])} chains)"
        record.save()
        return record
    except BaseException as exc:
        if partial is not None:
            partial.unlink(missing_ok=True)
        reason = str(exc) if isinstance(exc, BackupError) else f"unexpected error: {type(exc).__name__}: {exc}"
        record.ok = False
        record.finished_at = timezone.now()
        record.note = reason[:500]
        record.save()
        if isinstance(exc, Exception) and not isinstance(exc, BackupError):
            raise BackupError(reason) from exc
        raise


# --- Restore ---------------------------------------------------------------------------------------------


@dataclass
class RestoreReport:
    archive: Path
    manifest: dict[str, Any]
    target: str
    lines: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _extract(tar_path: Path, into: Path) -> None:
    with tarfile.open(tar_path, "r:") as archive:
        for member in archive.getmembers():
            name = member.name
            if not (name in (MANIFEST, *DUMP_NAMES.values()) or name.startswith(f"{MEDIA_DIR}/")):
                raise BackupError(f"the archive holds an unexpected entry {name!r}: is it a CareNet backup?")
        archive.extractall(into, filter="data")


def _compare_database(report: RestoreReport, manifest: dict[str, Any], found: DatabaseSummary) -> None:
    expected: dict[str, int] = manifest["row_counts"]
    for table in sorted(set(expected) | set(found.row_counts)):
        want, got = expected.get(table), found.row_counts.get(table)
        if want != got:
            report.problems.append(f"table {table}: {want} rows in the backup, {got} restored")
    same = sum(1 for t in expected if expected[t] == found.row_counts.get(t))
    report.lines.append(f"tables: {same} of {len(expected)} with the same number of rows")
    expected_personal: dict[str, dict[str, Any]] = manifest["personal_data"]
    for table in sorted(set(expected_personal) | set(found.personal_data)):
        if expected_personal.get(table) != found.personal_data.get(table):
            report.problems.append(f"personal data in {table}: the restored rows' checksum differs from the backup's")
    same = sum(1 for t in expected_personal if expected_personal[t] == found.personal_data.get(t))
    report.lines.append(f"personal data: {same} of {len(expected_personal)} tables with the same checksum")


def _compare_files(report: RestoreReport, manifest: dict[str, Any], media_root: Path, *, exact: bool) -> None:
    expected: dict[str, dict[str, Any]] = manifest["files"]
    found = media_files(media_root)
    for name in sorted(expected):
        if name not in found:
            report.problems.append(f"file {name}: missing from {media_root}")
        elif found[name] != expected[name]:
            report.problems.append(f"file {name}: its content differs from the backup's")
    if exact:
        for name in sorted(set(found) - set(expected)):
            report.problems.append(f"file {name}: in {media_root} but not in the backup")
    same = sum(1 for n in expected if found.get(n) == expected[n])
    report.lines.append(f"uploaded files: {same} of {len(expected)} identical in {media_root}")


def _compare_audit(report: RestoreReport, manifest: dict[str, Any], found: dict[str, Any]) -> None:
    expected = manifest["audit"]
    events = manifest["row_counts"].get("audit_auditevent")
    if found["broken"]:
        for link in found["broken"]:
            message = f"audit chain {link['chain']}: {link['reason']}"
            if link in expected["broken"]:
                report.warnings.append(f"{message} (already so when the backup was made)")
            else:
                report.problems.append(message)
    elif events is not None and found["events_checked"] != events:
        report.problems.append(f"audit chain: {found['events_checked']} events verified, the backup holds {events}")
    state = "intact" if not found["broken"] else f"{len(found['broken'])} broken chain(s)"
    report.lines.append(f"audit chain: {state}, {found['events_checked']} events verified")


def restore_backup(
    *,
    archive: str | Path,
    secret_key: str | Path,
    passphrase_file: str | Path | None = None,
    database_url: str | None = None,
    force_files: bool = False,
    log: Callable[[str], None] = lambda line: None,
) -> RestoreReport:
    """Restore an archive of ``make_backup`` into an empty database (CareNet's own, or the one
    ``database_url`` names) and MEDIA_ROOT, then check the result against the archive's manifest and verify
    the audit chain. Raises BackupError before touching anything when a precondition fails; returns the
    report (its ``problems`` say what differs) once restored."""
    remove_stale_work_dirs()
    archive = Path(archive)
    secret_key = Path(secret_key)
    passphrase = Path(passphrase_file) if passphrase_file else None
    for path, what in ((archive, "archive"), (secret_key, "secret key file"), (passphrase, "passphrase file")):
        if path is not None and not path.is_file():
            raise BackupError(f"the {what} {path} does not exist")
    target = target_settings(database_url)
    label = database_label(target)
    media_root = Path(settings.MEDIA_ROOT)

    # Refuse before decrypting anything.
    try:
        with open_database(target) as conn:
            existing = table_names(conn)
    except DatabaseError as exc:
        raise BackupError(f"cannot open the {label}: {exc}") from exc
    if existing:
        raise BackupError(
            f"the {label} is not empty ({len(existing)} tables, e.g. {existing[0]}): restore only into an "
            "empty database (create a new one, or drop this one if you are sure)"
        )
    if target["NAME"] in ("", ":memory:") or "mode=memory" in str(target["NAME"]):
        raise BackupError("restore needs a database that outlives this command, not an in-memory database")
    if media_root.is_dir() and any(media_root.iterdir()) and not force_files:
        raise BackupError(
            f"MEDIA_ROOT ({media_root}) is not empty: restore the uploaded files into an empty folder, "
            "or give --force-files to write over the files there"
        )

    with tempfile.TemporaryDirectory(prefix="carenet-restore-") as tmp_name:
        tmp = Path(tmp_name)
        with GnuPG(tmp / "gnupg") as gpg:
            gpg.import_key(secret_key, secret=True, passphrase_file=passphrase)
            log(f"Decrypting {archive}…")
            gpg.decrypt(archive, tmp / "backup.tar", passphrase_file=passphrase)
        contents = tmp / "contents"
        contents.mkdir()
        _extract(tmp / "backup.tar", contents)
        (tmp / "backup.tar").unlink()
        try:
            manifest = json.loads((contents / MANIFEST).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise BackupError(f"the archive {archive} has no readable {MANIFEST}: is it a CareNet backup?") from exc
        if manifest.get("format") != FORMAT or manifest.get("format_version") != FORMAT_VERSION:
            raise BackupError(
                f"the archive's format is {manifest.get('format')} {manifest.get('format_version')}; "
                f"this CareNet restores {FORMAT} {FORMAT_VERSION}"
            )
        vendor = manifest["database"]["vendor"]
        if vendor != vendor_of(target):
            raise BackupError(f"the archive holds a {vendor} database; the target is a {label}")
        dump = contents / manifest["database"]["dump"]
        if not dump.is_file():
            raise BackupError(f"the archive has no database dump ({dump.name})")

        log(f"Restoring the database into the {label}…")
        load_database(dump, target)
        media_source = contents / MEDIA_DIR
        if media_source.is_dir():
            log(f"Restoring the uploaded files into {media_root}…")
            shutil.copytree(media_source, media_root, dirs_exist_ok=True)
        else:
            media_root.mkdir(parents=True, exist_ok=True)

    report = RestoreReport(archive=archive, manifest=manifest, target=label)
    log("Checking the restored database and files against the backup's manifest…")
    with open_database(target) as conn:
        _compare_database(report, manifest, summarise_database(conn))
    _compare_files(report, manifest, media_root, exact=not force_files)
    created = datetime.datetime.fromisoformat(manifest["created_at"])
    _compare_audit(report, manifest, audit_state_of(url_of(target), created))
    record_restore(url_of(target), archive=archive, manifest=manifest, problems=len(report.problems))
    report.lines.append("the restore is recorded in the restored database's audit log")
    return report
