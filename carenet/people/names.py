"""Name keys for finding the same person under different spellings.

People in Bălți and Baia Mare are written with Romanian diacritics (Ștefan / Stefan / Ştefan),
in Cyrillic (Штефан Мунтяну), with Hungarian letters (Kovács), and with first and last names
swapped. A *skeleton* of each name word survives all of these: transliterate to ASCII, fold the
digraphs that differ between Latin and Cyrillic spellings, keep the first letter and the
consonants. The skeletons of all name words, sorted, form the person's ``name_key`` (indexed),
so word order does not matter either.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from anyascii import anyascii

# Order matters: longer digraphs first. Each pair maps spellings of one sound to one letter.
_FOLDS = (
    ("shch", "s"),
    ("sch", "s"),
    ("sh", "s"),
    ("sz", "s"),
    ("zs", "j"),
    ("zh", "j"),
    ("cs", "c"),
    ("ch", "c"),
    ("tch", "c"),
    ("ts", "t"),
    ("tz", "t"),
    ("kh", "h"),
    ("ph", "f"),
    ("th", "t"),
    ("gh", "g"),
    ("ck", "c"),
    ("q", "c"),
    ("k", "c"),
    ("w", "v"),
    ("x", "ks"),
    ("y", "i"),
)
_WORD = re.compile(r"[a-z]+")


def ascii_words(text: str) -> list[str]:
    """Lower-case ASCII words of a name: ``"Ștefan-Mihai  Munteanu"`` → ``["stefan", "mihai", "munteanu"]``."""
    return _WORD.findall(anyascii(text or "").lower())


def skeleton(word: str) -> str:
    """First letter + consonants, digraphs folded, doubled letters collapsed: munteanu / muntyanu → mntn."""
    for src, dst in _FOLDS:
        word = word.replace(src, dst)
    if not word:
        return ""
    out = word[0]
    for ch in word[1:]:
        if ch in "aeiou":
            continue
        if out[-1] != ch:
            out += ch
    return out


def name_key(*parts: str) -> str:
    """Order-free key of a full name; equal for spellings of the same name."""
    words = [w for part in parts for w in ascii_words(part)]
    return " ".join(sorted(skeleton(w) for w in words if w))


def search_text(*parts: str) -> str:
    """ASCII words and skeletons, for a plain ``contains`` search box."""
    words = [w for part in parts for w in ascii_words(part)]
    return " ".join(words + [skeleton(w) for w in words])


def name_similarity(a: str, b: str) -> float:
    """0…1 similarity of two name keys (typos leave most of the skeleton in place)."""
    if not a or not b:
        return 0.0
    return SequenceMatcher(None, a, b).ratio()
