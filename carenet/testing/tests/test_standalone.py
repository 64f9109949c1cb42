"""The repository stands alone: what the tests need is inside the clone, unchanged, with its licence;
nothing reads the shared folder beside it (``../shared``); no static file names a file that is not shipped
(production ``collectstatic`` refuses those; ``make check`` runs it)."""

import hashlib
import os
import re
from pathlib import Path

from carenet.testing import HSDS_SCHEMAS, ROOT

HSDS = HSDS_SCHEMAS.parent
SKIP_DIRS = {".git", ".venv", "var", "node_modules", "__pycache__", ".mypy_cache", ".ruff_cache", ".hypothesis"}
CODE = {".py", ".sh", ".toml", ".cfg", ".ini", ".txt", ".html", ".js", ".json", ".yml", ".yaml"}
# Only the Citus scale-out tests may use the shared folder, for its Citus build (../shared/vendor/citus).
SHARED = re.compile(r"""(\.\./shared|/work/shared|/\s*["']shared["'])(?!/vendor/citus)""")


def _files(suffixes):
    for folder, dirs, names in os.walk(ROOT):
        dirs[:] = [d for d in dirs if d not in SKIP_DIRS]
        for name in names:
            path = Path(folder) / name
            if path.suffix in suffixes or name in {"Makefile", "run"}:
                yield path


def test_the_vendored_hsds_schemas_are_the_published_ones_with_their_licence():
    readme = (HSDS / "README.md").read_text(encoding="utf-8")
    sums = dict(reversed(line.split("  ", 1)) for line in readme.splitlines() if re.match(r"^[0-9a-f]{64}  ", line))
    on_disk = {p.relative_to(HSDS).as_posix() for p in HSDS.rglob("*") if p.is_file() and p.name != "README.md"}
    assert set(sums) == on_disk
    assert "LICENSE" in sums and "Creative Commons Attribution Share-Alike 4.0" in (HSDS / "LICENSE").read_text()
    for name, digest in sums.items():
        assert hashlib.sha256((HSDS / name).read_bytes()).hexdigest() == digest, name


def test_the_hsds_schemas_the_feed_test_loads_are_vendored():
    for name in ("service", "service_list", "organization", "organization_list", "service_at_location_list"):
        assert (HSDS_SCHEMAS / "compiled" / f"{name}.json").is_file()
    assert (HSDS_SCHEMAS / "taxonomy.json").is_file() and (HSDS_SCHEMAS / "metadata.json").is_file()


def test_no_code_or_test_reads_the_shared_folder_beside_the_repository():
    readers = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in _files(CODE)
        if path != ROOT / "carenet" / "testing" / "tests" / "test_standalone.py"
        for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1)
        if SHARED.search(line)
    ]
    assert readers == []


def test_every_source_map_a_static_file_names_is_shipped():
    missing = []
    for static in ROOT.glob("carenet/*/static"):
        for path in _files({".js", ".css"}):
            if not path.is_relative_to(static):
                continue
            text = path.read_text(encoding="utf-8", errors="replace")
            for name in re.findall(r"sourceMappingURL=([^\s*]+)", text):
                if not name.startswith("data:") and not (path.parent / name).exists():
                    missing.append(f"{path.relative_to(ROOT)} → {name}")
    assert missing == []
