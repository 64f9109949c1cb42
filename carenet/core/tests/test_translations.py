"""Romanian is the reference language: every message of every app has a Romanian translation."""

from pathlib import Path

import polib
import pytest

APPS_DIR = Path(__file__).resolve().parents[2]
RO_FILES = sorted(APPS_DIR.glob("*/locale/ro/LC_MESSAGES/django.po"))


def test_every_app_with_messages_has_a_romanian_catalogue():
    assert RO_FILES, "no Romanian catalogue found"


@pytest.mark.parametrize("po_path", RO_FILES, ids=lambda p: p.parts[-5])
def test_romanian_is_complete(po_path):
    po = polib.pofile(str(po_path))
    missing = [e.msgid for e in po if not e.obsolete and (not e.translated() or e.fuzzy)]
    assert not missing, f"{len(missing)} untranslated in {po_path}: {missing[:5]}"


@pytest.mark.parametrize("po_path", RO_FILES, ids=lambda p: p.parts[-5])
def test_placeholders_survive_translation(po_path):
    import re

    for lang in ("ro", "ru", "hu", "uk"):
        path = Path(str(po_path).replace("/ro/", f"/{lang}/"))
        if not path.exists():
            continue
        for entry in polib.pofile(str(path)):
            if entry.msgstr:
                wanted = sorted(re.findall(r"%\(\w+\)s|\{\{ ?\w+ ?\}\}|%s", entry.msgid))
                got = sorted(re.findall(r"%\(\w+\)s|\{\{ ?\w+ ?\}\}|%s", entry.msgstr))
                assert wanted == got, f"{path}: {entry.msgid!r} → {entry.msgstr!r}"
