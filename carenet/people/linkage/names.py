"""Name comparison for record linkage: one Latin form per reading, vowels kept, Jaro-Winkler.

A name word is turned into its *readings*: the canonical Latin spellings it may stand for.
Cyrillic has one reading (two with г, which Ukrainian writes h) (a fixed scheme close to the Moldovan/Romanian and the ICAO passport
transliterations, so "Чебан", "Ceban" and "Cheban" meet at ``cheban``). A Latin word has up to two:
read as Romanian orthography (``ce``/``ci`` sound "ch", ``che``/``chi`` sound "k", ``ea`` → ``ia``,
ș → sh, ț → ts) and read as an English-style transliteration of Cyrillic (ICAO, Ukrainian official:
``zh``, ``kh``, ``ch``, ``y``). Both use the same letters for the same sounds, so a Romanian spelling and
a Russian passport spelling of one name share a reading. Vowels are kept: Ion/Ioan/Ioana, Pop/Popa/Papp,
Olga/Oleg stay different words (the old name key dropped them and merged them).

Given names that are the same name (Ion/Ionel/Иван, Mária/Marika, Александр/Саша …) come from the
curated table ``people/data/name_equivalents.txt``.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from pathlib import Path

_CYR = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюяіїєґ",
        [
            "a",
            "b",
            "v",
            "g",
            "d",
            "e",
            "e",
            "j",
            "z",
            "i",
            "i",
            "k",
            "l",
            "m",
            "n",
            "o",
            "p",
            "r",
            "s",
            "t",
            "u",
            "f",
            "h",
            "ts",
            "ch",
            "sh",
            "shch",
            "-",
            "i",
            "-",
            "e",
            "iu",
            "ia",
            "i",
            "i",
            "ie",
            "g",
        ],
        strict=True,
    )
)
_SPECIAL = str.maketrans({"ş": "ș", "ţ": "ț", "Ş": "ș", "Ţ": "ț"})
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")


def words(text: str) -> list[str]:
    """Lower-case words of a name, hyphenated parts apart: ``"Pop-Mureșan  IOAN"`` → pop, mureșan, ioan."""
    return [w.replace("'", "").replace("’", "") for w in _WORD.findall((text or "").lower().translate(_SPECIAL))]


def _strip_marks(text: str) -> str:
    text = text.translate(_SPECIAL)
    for src, dst in (("sz", "s"), ("cs", "ch"), ("zs", "j")):  # Hungarian digraphs, before any c → k
        text = text.replace(src, dst)
    text = text.replace("ș", "sh").replace("ț", "ts").replace("ă", "a").replace("â", "i").replace("î", "i")
    return "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))


def _finish(text: str) -> str:
    """Folds shared by every reading: y as i, Hungarian digraphs, ea → ia, doubled letters once."""
    for src, dst in (("w", "v"), ("q", "k"), ("x", "ks"), ("ph", "f")):
        text = text.replace(src, dst)
    for src, dst in (("yu", "iu"), ("ya", "ia"), ("ye", "ie"), ("yi", "i"), ("y", "i"), ("ea", "ia")):
        text = text.replace(src, dst)
    out: list[str] = []
    for ch in text:
        if not out or out[-1] != ch:
            out.append(ch)
    return "".join(out)


def _romanian(text: str) -> str:
    # Hard k and g before e/i are marked upper-case while the soft ones are rewritten.
    for src, dst in (("chi", "Ki"), ("che", "Ke"), ("ghi", "Gi"), ("ghe", "Ge")):
        text = text.replace(src, dst)
    # ce/ci sound "ch"; ge/gi sound "dj"; a silent i after them before a vowel (Ciobanu, Giurgiu) goes.
    text = re.sub(r"c(?=[ei])", "ch", text)
    text = re.sub(r"(?<![dk])g(?=[ei])", "dj", text)
    text = re.sub(r"(ch|dj)i(?=[aou])", r"\1", text)
    text = re.sub(r"c(?!h)", "k", text)
    return _finish(text.lower())


def _english(text: str) -> str:
    for src, dst in (("shch", "shch"), ("zh", "j"), ("kh", "h"), ("tch", "ch")):
        text = text.replace(src, dst)
    text = re.sub(r"c(?!h)", "k", text)
    return _finish(text)


def is_cyrillic(text: str) -> bool:
    return any("\u0400" <= ch <= "\u04ff" for ch in text)


@functools.lru_cache(maxsize=100_000)
def readings(word: str) -> tuple[str, ...]:
    """Canonical Latin forms of one lower-case name word (one for Cyrillic, up to two for Latin)."""
    if not word:
        return ()
    if is_cyrillic(word):
        latin = _finish(_strip_marks("".join((_CYR.get(ch, ch)).replace("-", "") for ch in word)))
        if "г" in word:  # Ukrainian г is h in its official Latin (Гнатюк → Hnatiuk)
            ukrainian = _finish(
                _strip_marks("".join(("h" if ch == "г" else _CYR.get(ch, ch)).replace("-", "") for ch in word))
            )
            return (latin, ukrainian)
        return (latin,)
    plain = _strip_marks(word)
    first, second = _romanian(plain), _english(plain)
    return (first,) if first == second else (first, second)


def jaro_winkler(a: str, b: str, prefix_scale: float = 0.1) -> float:
    """Jaro-Winkler similarity, 0…1 (1 = equal)."""
    if a == b:
        return 1.0
    la, lb = len(a), len(b)
    if not la or not lb:
        return 0.0
    window = (la if la > lb else lb) // 2 - 1
    if window < 0:
        window = 0
    matched_b = [False] * lb
    matches_a = []
    for i, ch in enumerate(a):
        lo = i - window if i > window else 0
        hi = i + window + 1
        if hi > lb:
            hi = lb
        for j in range(lo, hi):
            if not matched_b[j] and b[j] == ch:
                matched_b[j] = True
                matches_a.append(ch)
                break
    m = len(matches_a)
    if not m:
        return 0.0
    matches_b = [b[j] for j in range(lb) if matched_b[j]]
    transpositions = sum(x != y for x, y in zip(matches_a, matches_b, strict=True)) / 2
    jaro = (m / la + m / lb + (m - transpositions) / m) / 3
    prefix = 0
    for x, y in zip(a[:4], b[:4], strict=False):
        if x != y:
            break
        prefix += 1
    return jaro + prefix * prefix_scale * (1 - jaro)


@functools.lru_cache(maxsize=500_000)
def word_similarity(a: str, b: str) -> float:
    """Best Jaro-Winkler over the readings of two words (1.0 when they share a reading).

    Readings that start with different letters are not compared (0.0): registries mistype the middle
    of a name, rarely its first letter, and the first letters are what blocking keys on anyway. This
    skips most of the Jaro-Winkler work on pairs of unrelated names.
    """
    ra, rb = readings(a), readings(b)
    best = 0.0
    for x in ra:
        for y in rb:
            if x == y:
                return 1.0
            if x[0] != y[0]:
                continue
            sim = jaro_winkler(x, y)
            if sim > best:
                best = sim
    return best


_EQUIVALENTS_FILE = Path(__file__).resolve().parent.parent / "data" / "name_equivalents.txt"


@functools.lru_cache(maxsize=1)
def _equivalence_groups() -> dict[str, frozenset[int]]:
    groups: dict[str, set[int]] = {}
    for number, line in enumerate(_EQUIVALENTS_FILE.read_text(encoding="utf-8").splitlines()):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        for name in line.split():
            for word in words(name):
                for reading in readings(word):
                    groups.setdefault(reading, set()).add(number)
    return {k: frozenset(v) for k, v in groups.items()}


@functools.lru_cache(maxsize=200_000)
def equivalent(a: str, b: str) -> bool:
    """Two given-name words are forms of one name (table ``name_equivalents.txt``)."""
    table = _equivalence_groups()
    ga = set().union(*(table.get(r, frozenset()) for r in readings(a)))
    return bool(ga) and any(ga & table.get(r, frozenset()) for r in readings(b))


def is_known_name(reading: str) -> bool:
    """A reading that is a given name of the curated table (so not a typo)."""
    return bool(reading) and reading in _equivalence_groups()


def primary(word: str) -> str:
    """The first reading of a word ('' for none): the form blocking keys and frequencies use."""
    found = readings(word)
    return found[0] if found else ""
