"""Fill plural entries of .po catalogues (po_fill.py fills singular ones): a TSV of
app<TAB>msgid<TAB>msgid_plural<TAB>lang<TAB>form0<TAB>form1[<TAB>form2…], one language per line.

Usage: python scripts/po_fill_plural.py <file.tsv>. The number of forms must match the catalogue's
Plural-Forms (nplurals); entries already translated are overwritten.
"""

import re
import sys
from pathlib import Path

import polib


def main(tsv: str) -> None:
    catalogues: dict[tuple[str, str], polib.POFile] = {}
    for line in Path(tsv).read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        app, msgid, plural, lang, *forms = line.split("\t")
        po = catalogues.get((app, lang))
        if po is None:
            po = catalogues[(app, lang)] = polib.pofile(f"carenet/{app}/locale/{lang}/LC_MESSAGES/django.po")
        match = re.search(r"nplurals=(\d+)", po.metadata.get("Plural-Forms", ""))
        if match and int(match.group(1)) != len(forms):
            raise SystemExit(f"{app}/{lang}: {msgid!r} has {len(forms)} forms, the catalogue wants {match.group(1)}")
        entry = po.find(msgid)
        if entry is None or entry.msgid_plural != plural:
            print(f"{app}/{lang}: not in the catalogue: {msgid!r}")
            continue
        entry.msgstr_plural = dict(enumerate(forms))
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
    for po in catalogues.values():
        po.save()


if __name__ == "__main__":
    main(sys.argv[1])
