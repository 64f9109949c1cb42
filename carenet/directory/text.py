"""Text normalisation shared by the search index and the search query (so both always agree)."""

import re

from anyascii import anyascii

_NON_WORD = re.compile(r"[^a-z0-9]+")


def normalise(text: str) -> str:
    """Lower case, diacritics removed, other scripts transliterated: "Bătrâni" → "batrani"."""
    return _NON_WORD.sub(" ", anyascii(text or "").lower()).strip()


def stem(word: str) -> str:
    """A deliberately crude suffix trim, so inflected forms meet ("ingrijire" / "ingrijiri" /
    "ingrijirea", "batrani" / "batranilor", "gondozas" / "gondozast"). Matching is by substring,
    so a shorter stem only widens recall; the ranking puts exact name matches first."""
    if len(word) >= 7:
        return word[:-2]
    if len(word) >= 5:
        return word[:-1]
    return word


def tokens(query: str, *, limit: int = 8) -> list[str]:
    return [stem(t) for t in normalise(query).split() if len(t) > 1][:limit]
