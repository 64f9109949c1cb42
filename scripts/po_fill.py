"""Fill .po catalogues from a TSV of translations: msgid<TAB>ro<TAB>ru<TAB>hu<TAB>uk (one per line).

Usage: python scripts/po_fill.py <app> <file.tsv>. Entries already translated are overwritten; the
TSV is a working file for translators, the .po files stay the source of truth.
"""

import sys
from pathlib import Path

import polib

LANGS = ["ro", "ru", "hu", "uk"]


def main(app: str, tsv: str) -> None:
    rows = {}
    for line in Path(tsv).read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) != 5:
            raise SystemExit(f"bad line ({len(parts)} columns): {line!r}")
        rows[parts[0].replace("\\n", "\n")] = dict(zip(LANGS, parts[1:], strict=True))
    for lang in LANGS:
        path = Path("carenet") / app / "locale" / lang / "LC_MESSAGES" / "django.po"
        po = polib.pofile(str(path))
        missing = []
        for entry in po:
            row = rows.get(entry.msgid)
            if row is None:
                missing.append(entry.msgid)
                continue
            entry.msgstr = row[lang]
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
        po.save()
        if missing:
            print(f"{app}/{lang}: {len(missing)} without translation: {missing[:8]}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
