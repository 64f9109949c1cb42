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


# Function words that would match almost every record (Romanian; the tenants' other languages
# rarely put such short words in a query). Dropped unless the query has nothing else.
STOPWORDS = frozenset(
    {"de", "la", "si", "in", "cu", "pe", "al", "ale", "din", "pentru", "sau", "care", "a", "az", "es"}
)


def tokens(query: str, *, limit: int = 8) -> list[str]:
    words = [t for t in normalise(query).split() if len(t) > 1]
    meaningful = [t for t in words if t not in STOPWORDS]
    return [stem(t) for t in (meaningful or words)][:limit]


_NEXT = {
    c: n for c, n in zip("0123456789abcdefghijklmnopqrstuvwxy", "123456789abcdefghijklmnopqrstuvwxyz", strict=True)
}


def prefix_upper_bound(prefix: str) -> str | None:
    """The smallest [a-z0-9] string greater than every string starting with ``prefix``.

    ``token >= prefix AND token < bound`` is then a prefix match that both SQLite (binary) and
    PostgreSQL (locale collations, where punctuation is ignored) order the same way, and that a
    plain b-tree index serves. None when there is no bound ("zz…").
    """
    chars = list(prefix)
    while chars:
        last = chars.pop()
        if last in _NEXT:
            return "".join(chars) + _NEXT[last]
    return None
