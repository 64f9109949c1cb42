"""Text normalisation shared by the search index and the search query (so both always agree)."""

import re

from anyascii import anyascii

_NON_WORD = re.compile(r"[^a-z0-9]+")


def normalise(text: str) -> str:
    """Lower case, diacritics removed, other scripts transliterated: "Bătrâni" → "batrani"."""
    return _NON_WORD.sub(" ", anyascii(text or "").lower()).strip()


def tokens(query: str, *, limit: int = 8) -> list[str]:
    return [t for t in normalise(query).split() if len(t) > 1][:limit]
