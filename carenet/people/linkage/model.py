"""A Fellegi-Sunter matcher: comparison levels, m/u probabilities, match weights, EM training, blocking.

Each candidate pair is compared field by field; each comparison lands on one *level* (names equal,
similar, different …; birth dates equal, day and month swapped, one digit off, far apart …). Each
level has an *m* probability (how often true matches land there) and a *u* probability (how often
two different persons do). The pair's match weight is the prior log-odds plus the sum of
``log2(m/u)`` of its levels (a missing value adds nothing); the probability is ``2^w / (1 + 2^w)``.
An exact name weighs by how rare the name is (term frequency: "Popescu" counts less than "Szekeres").

*u* is measured on random pairs of the registry; *m* is estimated by expectation-maximisation on
the blocked candidate pairs (no labels needed), starting from the defaults below. Two levels are
decisive whatever EM says, because a registry's families break the independence the model
assumes (a father and his son share name, address and household): birth dates far apart
(``FAR_YEARS`` or more, and not one digit apart) and given names that are different names (not
similar, not equivalent, not swapped, and both names the registry or the curated table of names knows,
so not a typo) each carry
``DECISIVE_WEIGHT``.
"""

from __future__ import annotations

import datetime
import functools
import itertools
import json
import math
import random
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from carenet.core.identifiers import (
    cnp_birth_date,
    cnp_check_digit,
    is_valid,
    md_check_digit,
    validate_cnp,
    validate_idnp,
)

from .names import equivalent, is_known_name, primary, readings, word_similarity, words

FAR_YEARS = 15
DECISIVE_WEIGHT = -30.0
MIN_TRAIN_RECORDS = 1000  # below this a registry keeps the shipped u and prior (too few strangers to count)
MAX_BLOCK = 300  # a name block larger than this (the commonest names) is left to the other rules
SMALL_BLOCK = 60  # the same for the looser keys (given name and year, a name word and an initial)

COMPARISONS: dict[str, tuple[str, ...]] = {
    # level names, from the weakest (0) to the strongest agreement; -1 is "missing on one side".
    "given": ("different", "similar", "close", "equivalent", "exact"),
    "family": ("different", "similar", "close", "exact"),
    "birth": ("far apart", "different", "one digit", "day and month swapped", "exact"),
    "identifier": ("different", "different, one invalid", "one digit", "exact"),
    "sex": ("different", "same"),
    "address": ("different", "same street", "exact"),
}
NAMES = tuple(COMPARISONS)
DEFAULT_M: dict[str, tuple[float, ...]] = {
    "given": (0.002, 0.02, 0.08, 0.05, 0.848),
    "family": (0.04, 0.03, 0.08, 0.85),
    "birth": (0.0001, 0.005, 0.05, 0.03, 0.9149),
    "identifier": (0.001, 0.07, 0.01, 0.919),
    "sex": (0.01, 0.99),
    "address": (0.25, 0.05, 0.70),
}
SIMILAR, CLOSE = 0.80, 0.92  # Jaro-Winkler bands
RIVAL_FLOOR = 0.5  # a pair this probable competes with the record's other pairs (``share_rivals``)
# Evidence (the weight without the prior) this low says two records are certainly two persons: as strong
# as two different valid identifiers (``Scorer.distinct``).
DISTINCT_WEIGHT = -14.0


@dataclass(slots=True)
class Prepared:
    """One record reduced to what the comparisons read (computed once per record)."""

    key: Any
    given: tuple[str, ...]
    family: tuple[str, ...]
    other: tuple[str, ...]
    birth: datetime.date | None
    sex: str
    nid: str
    nid_valid: bool
    address: str
    street: str
    given_term: str = ""
    family_term: str = ""
    birth_digits: str = ""


_ADDRESS_NOISE = re.compile(r"\b(str|strada|bd|bulevardul|ul|ulita|nr|ap|bl|sc|et)\b\.?")


@functools.lru_cache(maxsize=100_000)
def _address_parts(address: str) -> tuple[str, str]:
    text = " ".join(primary(w) for w in words(_ADDRESS_NOISE.sub(" ", (address or "").lower())))
    numbers = re.findall(r"\d+", address or "")
    return (f"{text} {' '.join(numbers)}".strip() if text else ""), text


@functools.lru_cache(maxsize=100_000)
def _words(text: str) -> tuple[str, ...]:
    return tuple(words(text or ""))


def prepare(
    key: Any,
    *,
    first_name: str = "",
    last_name: str = "",
    other_spellings: str = "",
    sex: str = "",
    birth_date: datetime.date | None = None,
    national_id: str = "",
    identifier_kind: str = "",
    address: str = "",
) -> Prepared:
    nid = re.sub(r"\D", "", national_id or "")
    is_cnp = valid = False
    if len(nid) == 13:
        # The control digit first (cheap); the full validators only for codes that pass it.
        is_cnp = identifier_kind != "idnp" and cnp_check_digit(nid[:12]) == int(nid[12]) and is_valid(validate_cnp, nid)
        valid = is_cnp or (
            identifier_kind != "cnp" and md_check_digit(nid[:12]) == int(nid[12]) and is_valid(validate_idnp, nid)
        )
    sex = sex if sex in ("M", "F") else ""
    if is_cnp:
        # A valid CNP carries the birth date and the sex: they fill what the record lacks.
        birth_date = birth_date or cnp_birth_date(nid)
        sex = sex or ("M" if int(nid[0]) % 2 else "F")
    full, street = _address_parts(address)
    given, family = _words(first_name), _words(last_name)
    return Prepared(
        key,
        given,
        family,
        _words(other_spellings),
        birth_date,
        sex,
        nid,
        valid,
        full,
        street,
        primary(given[0]) if given else "",
        primary(family[0]) if family else "",
        _digits(birth_date) if birth_date else "",
    )


def prepare_person(person: Any) -> Prepared:
    return prepare(
        person.pk,
        first_name=person.first_name,
        last_name=person.last_name,
        other_spellings=person.other_spellings,
        sex=person.sex,
        birth_date=person.birth_date,
        national_id=person.national_id,
        identifier_kind=person.identifier_kind,
        address=person.address,
    )


# ---------------------------------------------------------------- comparisons
def _best(xs: Sequence[str], ys: Sequence[str], *, given: bool) -> tuple[int, str]:
    """The best level between any word of ``xs`` and any of ``ys`` (extra middle names cost nothing)."""
    best, term = -1, ""
    top = 4 if given else 3
    for x in xs:
        for y in ys:
            sim = word_similarity(x, y)
            if sim == 1.0:
                return top, primary(x)
            if given and equivalent(x, y):
                level = 3
            elif sim >= CLOSE:
                level = 2
            elif sim >= SIMILAR:
                level = 1
            else:
                level = 0
            if level > best:
                best = level
    return best, term


def compare_names(a: Prepared, b: Prepared) -> tuple[int, int, str, str, bool]:
    """(given level, family level, given term, family term, swapped): the best of the spellings and orders."""
    if not (a.given or a.family) or not (b.given or b.family):
        return -1, -1, "", "", False
    return _compare_names(a.given, a.family, a.other, b.given, b.family, b.other)


@functools.lru_cache(maxsize=200_000)
def _compare_names(
    a_given: tuple[str, ...],
    a_family: tuple[str, ...],
    a_other: tuple[str, ...],
    b_given: tuple[str, ...],
    b_family: tuple[str, ...],
    b_other: tuple[str, ...],
) -> tuple[int, int, str, str, bool]:
    # Names repeat across a registry (families, common names): each pair of spellings is compared once.
    best: tuple[int, int, str, str, bool] = (-1, -1, "", "", False)
    variants_a = [(a_given, a_family)] + ([(a_other[:-1], a_other[-1:])] if len(a_other) >= 2 else [])
    variants_b = [(b_given, b_family)] + ([(b_other[:-1], b_other[-1:])] if len(b_other) >= 2 else [])
    for ga, fa in variants_a:
        for gb, fb in variants_b:
            g1, gt1 = _best(ga, gb, given=True) if ga and gb else (-1, "")
            f1, ft1 = _best(fa, fb, given=False) if fa and fb else (-1, "")
            if g1 + f1 > best[0] + best[1]:
                best = (g1, f1, gt1, ft1, False)
            if g1 == 4 and f1 == 3:
                return best
            g2, gt2 = _best(ga, fb, given=True) if ga and fb else (-1, "")
            f2, ft2 = _best(fa, gb, given=False) if fa and gb else (-1, "")
            if g2 + f2 > best[0] + best[1]:
                best = (g2, f2, gt2, ft2, True)
    return best


def _digits(d: datetime.date) -> str:
    return f"{d.year:04d}{d.month:02d}{d.day:02d}"


BIRTH_EXACT = 4


def compare_birth(a: datetime.date | None, b: datetime.date | None, da: str = "", db: str = "") -> int:
    if a is None or b is None:
        return -1
    if a == b:
        return BIRTH_EXACT
    if a.year == b.year and a.month == b.day and a.day == b.month:
        return 3
    if sum(x != y for x, y in zip(da or _digits(a), db or _digits(b), strict=True)) == 1:
        return 2
    if abs((a - b).days) >= FAR_YEARS * 365:
        return 0
    return 1


def compare_identifier(a: Prepared, b: Prepared) -> int:
    if not a.nid or not b.nid:
        return -1
    if a.nid == b.nid:
        return 3
    if len(a.nid) == len(b.nid) and sum(x != y for x, y in zip(a.nid, b.nid, strict=True)) == 1:
        return 2
    return 0 if a.nid_valid and b.nid_valid else 1


def compare(a: Prepared, b: Prepared) -> tuple[tuple[int, ...], str, str, bool]:
    """The comparison vector (one level per comparison, -1 missing), the exact name terms, swapped."""
    g, f, gt, ft, swapped = compare_names(a, b)
    sex = -1 if not a.sex or not b.sex else int(a.sex == b.sex)
    if not a.address or not b.address:
        address = -1
    else:
        address = 2 if a.address == b.address else 1 if a.street == b.street else 0
    return (
        (g, f, compare_birth(a.birth, b.birth, a.birth_digits, b.birth_digits), compare_identifier(a, b), sex, address),
        gt,
        ft,
        swapped,
    )


# ---------------------------------------------------------------- blocking
def block_keys(p: Prepared) -> list[str]:
    """Keys of the blocking rules; two records are compared when they share one.

    Several rules joined, so one error in any field leaves another rule to bring the pair together:
    the identifier; the birth date; the first four letters of the family and the given name in
    either order (each reading, then the other spellings); the family name with the birth year; the
    given name with the birth year; one whole name word with the other's first letter (either order).
    """
    keys = []
    if p.nid:
        keys.append("i" + p.nid)
    if p.birth:
        keys.append("b" + p.birth.isoformat())
    keys.extend(k for k in db_keys(p) if k)
    return list(dict.fromkeys(keys))  # once each: a record is never its own candidate


def name_keys(p: Prepared) -> list[str]:
    """At most two name keys: one per reading of the main given and family words (then the other spellings)."""
    keys: list[str] = []
    if p.given and p.family:
        rg, rf = readings(p.given[0]), readings(p.family[0])
        for i in range(max(len(rg), len(rf))):
            pair = sorted((rf[min(i, len(rf) - 1)][:4], rg[min(i, len(rg) - 1)][:4]))
            key = "n" + "|".join(pair)
            if key not in keys:
                keys.append(key)
    if len(p.other) >= 2 and len(keys) < 2:
        key = "n" + "|".join(sorted((primary(p.other[0])[:4], primary(p.other[1])[:4])))
        if key not in keys:
            keys.append(key)
    return keys[:2]


DB_KEY_FIELDS = (
    "link_names",
    "link_names_alt",
    "link_family_year",
    "link_given_year",
    "link_word_initial",
    "link_word_initial_alt",
)


def db_keys(p: Prepared) -> tuple[str, ...]:
    """The stored blocking keys of a person, one per field of ``DB_KEY_FIELDS`` ('' when not known).

    The two "word and initial" keys are a set (the whole given name with the family name's initial, the
    whole family name with the given name's initial): compared as a set, they survive swapped names.
    """
    names = [*name_keys(p), "", ""]
    given, family = (primary(p.given[0]) if p.given else ""), (primary(p.family[0]) if p.family else "")
    family_year = f"y{family[:5]}{p.birth.year}" if family and p.birth else ""
    given_year = f"g{given[:5]}{p.birth.year}" if given and p.birth else ""
    initials = sorted(f"w{word[:12]}|{other[:2]}" for word, other in ((given, family), (family, given)))
    if not (given and family):
        initials = ["", ""]
    keys = (names[0], names[1], family_year, given_year, initials[0], initials[1])
    return tuple(k[:20] for k in keys)


def candidate_pairs(records: Sequence[Prepared], max_block: int = MAX_BLOCK) -> set[tuple[int, int]]:
    """Index pairs (i < j) of records sharing a blocking key."""
    blocks: dict[str, list[int]] = defaultdict(list)
    for i, p in enumerate(records):
        for key in block_keys(p):
            blocks[key].append(i)
    pairs: set[tuple[int, int]] = set()
    for key, members in blocks.items():
        if len(members) < 2 or (key[0] in "nygw" and len(members) > (max_block if key[0] in "ny" else SMALL_BLOCK)):
            continue  # the commonest names: left to the other rules
        pairs.update(itertools.combinations(members, 2))  # members are in index order: (i, j) with i < j
    return pairs


def candidate_pair_arrays(records: Sequence[Prepared], max_block: int = MAX_BLOCK) -> tuple[Any, Any]:
    """``candidate_pairs`` as two numpy arrays (i < j), built without a Python tuple per pair (batch size)."""
    import numpy as np

    blocks: dict[str, list[int]] = defaultdict(list)
    for i, p in enumerate(records):
        for key in block_keys(p):
            blocks[key].append(i)
    codes = []
    n = len(records)
    triangles: dict[int, tuple[Any, Any]] = {}
    for key, members in blocks.items():
        size = len(members)
        if size < 2 or (key[0] in "nygw" and size > (max_block if key[0] in "ny" else SMALL_BLOCK)):
            continue
        if size not in triangles:
            triangles[size] = np.triu_indices(size, 1)
        left, right = triangles[size]
        block = np.asarray(members, dtype=np.int64)
        codes.append(block[left] * n + block[right])  # members are in index order: i < j
    if not codes:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    every = np.concatenate(codes)
    every.sort()  # a sort and a comparison of neighbours: faster than a hash of ten million codes
    unique = every[np.concatenate(([True], every[1:] != every[:-1]))]
    return unique // n, unique % n


def rule_out_far_births(records: Sequence[Prepared], left: Any, right: Any) -> tuple[Any, Any]:
    """The pairs worth comparing: drop those whose birth dates are decisively far apart (15 years or more, not
    one digit apart) and whose identifiers neither agree nor differ by one digit. Such a pair's decisive
    weight (−30) keeps it far under any threshold whatever its names say, so the batch need not compare it;
    most pairs of a common-name block are of this kind (a name shared across generations)."""
    import numpy as np

    n = len(records)
    born = np.full(n, -1, dtype=np.int64)
    digits = np.zeros((n, 8), dtype=np.uint8)
    nid_code = np.full(n, -1, dtype=np.int64)
    nid_len = np.zeros(n, dtype=np.int64)
    nid_digits = np.zeros((n, 13), dtype=np.uint8)
    codes: dict[str, int] = {}
    for i, p in enumerate(records):
        if p.birth is not None:
            born[i] = p.birth.toordinal()
            digits[i] = np.frombuffer((p.birth_digits or _digits(p.birth)).encode(), dtype=np.uint8)
        if p.nid:
            nid_code[i] = codes.setdefault(p.nid, len(codes))
            nid_len[i] = len(p.nid)
            if len(p.nid) == 13:
                nid_digits[i] = np.frombuffer(p.nid.encode(), dtype=np.uint8)
    far = (born[left] >= 0) & (born[right] >= 0) & (np.abs(born[left] - born[right]) >= FAR_YEARS * 365)
    far &= (digits[left] != digits[right]).sum(axis=1) != 1
    both_ids = (nid_code[left] >= 0) & (nid_code[right] >= 0) & (nid_len[left] == nid_len[right])
    # Same-length identifiers other than 13 digits are kept (compared one by one); 13 digits: equal or one off.
    id_close = both_ids & ((nid_len[left] != 13) | ((nid_digits[left] != nid_digits[right]).sum(axis=1) <= 1))
    keep = ~(far & ~id_close)
    return left[keep], right[keep]


# ---------------------------------------------------------------- the model
@dataclass
class Model:
    """Trained parameters: m and u per level, the prior, name frequencies. Stored as JSON per tenant."""

    m: dict[str, list[float]] = field(default_factory=lambda: {k: list(v) for k, v in DEFAULT_M.items()})
    u: dict[str, list[float]] = field(default_factory=dict)
    prior: float = 1e-4  # probability that two random records are the same person
    frequencies: dict[str, dict[str, float]] = field(default_factory=lambda: {"given": {}, "family": {}})
    min_frequency: float = 1e-4
    records: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "m": self.m,
            "u": self.u,
            "prior": self.prior,
            "frequencies": self.frequencies,
            "min_frequency": self.min_frequency,
            "records": self.records,
        }

    @staticmethod
    def fits(data: dict[str, Any]) -> bool:
        """Whether stored parameters have today's levels (a model trained before a level was added does not)."""
        try:
            return all(
                len(data["m"][name]) == len(levels) and len(data["u"][name]) == len(levels)
                for name, levels in COMPARISONS.items()
            )
        except (KeyError, TypeError):
            return False

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Model:
        return cls(
            m=data["m"],
            u=data["u"],
            prior=data["prior"],
            frequencies=data.get("frequencies") or {"given": {}, "family": {}},
            min_frequency=data.get("min_frequency", 1e-4),
            records=data.get("records", 0),
        )

    def weights(self) -> dict[str, list[float]]:
        out = {}
        for name in NAMES:
            out[name] = [
                math.log2(max(m, 1e-9) / max(u, 1e-9)) for m, u in zip(self.m[name], self.u[name], strict=True)
            ]
        out["birth"][0] = DECISIVE_WEIGHT
        return out


@dataclass(frozen=True)
class Scored:
    probability: float
    weight: float
    levels: tuple[int, ...]
    contributions: tuple[float, ...]
    swapped: bool
    rivals: int = 0  # persons, certainly not this one, that the record resembles as well (see ``share_rivals``)
    # With rivals: the probability of this pair on its own, before sharing. When it reaches the probable
    # threshold for two persons who are certainly two, the record is one of them and cannot tell which: intake
    # shows each as a possible duplicate rather than nothing.
    alone: float | None = None

    @property
    def probability_alone(self) -> float:
        return self.probability if self.alone is None else self.alone

    def agreeing(self) -> list[tuple[str, str]]:
        """(comparison, level name) of the comparisons that count for the match."""
        return [
            (NAMES[i], COMPARISONS[NAMES[i]][lvl])
            for i, lvl in enumerate(self.levels)
            if lvl >= 0 and self.contributions[i] > 0
        ]

    def disagreeing(self) -> list[tuple[str, str]]:
        return [
            (NAMES[i], COMPARISONS[NAMES[i]][lvl])
            for i, lvl in enumerate(self.levels)
            if lvl >= 0 and self.contributions[i] <= 0
        ]


class Scorer:
    """Scores pairs with a model's weights (computed once)."""

    def __init__(self, model: Model) -> None:
        self.model = model
        self.w = model.weights()
        self.prior_weight = math.log2(model.prior / (1 - model.prior))
        self.m_exact_given = model.m["given"][4]
        self.m_exact_family = model.m["family"][3]
        women = model.m.get("family_women")
        self.w_family_women = (
            [math.log2(max(m, 1e-9) / max(u, 1e-9)) for m, u in zip(women, model.u["family"], strict=True)]
            if women
            else None
        )

    def _tf(self, field_name: str, term: str, m: float, default: float, swapped: bool = False) -> float:
        table = self.model.frequencies.get(field_name) or {}
        if not table:  # a model without a name-frequency table (the shipped default): the level's own weight
            return default
        freq = table.get(term)
        if swapped:
            # Given and family names swapped: the agreed word is a given name in one record and a family name
            # in the other. It weighs by its more common role, so that the pair weighs the same whichever
            # record comes first ("Morozov" is rare as a given name, common as a family name).
            other = self.model.frequencies.get("family" if field_name == "given" else "given") or {}
            alt = other.get(term)
            if alt is not None and (freq is None or alt > freq):
                freq = alt
        if freq is None:
            return default if not term else math.log2(m / max(self.model.min_frequency, 1e-9))
        return math.log2(m / max(freq, self.model.min_frequency))

    def _known_names(self, a: Prepared, b: Prepared, swapped: bool) -> bool:
        """Different given names that are not a typo of one another: different persons."""
        known = self.model.frequencies.get("given", {})
        other = b.family_term if swapped else b.given_term
        known_a = a.given_term in known or is_known_name(a.given_term)
        known_b = other in known or is_known_name(other)
        if known_a and known_b:
            return True
        # One known name and another that does not even start with its letter: not a typo of it.
        return (known_a or known_b) and bool(a.given_term) and bool(other) and a.given_term[0] != other[0]

    def distinct(self, a: Prepared, b: Prepared) -> bool:
        """Certainly two persons: born many years apart (a father and his son of the same name), or evidence
        against as strong as two different valid identifiers. (Two different given names are not enough
        here: the records of one person can carry a nickname the table does not know.)"""
        scored = self.score(a, b)
        return scored.contributions[2] <= DECISIVE_WEIGHT or scored.weight - self.prior_weight <= DISTINCT_WEIGHT

    def score(self, a: Prepared, b: Prepared) -> Scored:
        levels, gt, ft, swapped = compare(a, b)
        return self.weigh(a, b, levels, gt, ft, swapped)

    def weigh(self, a: Prepared, b: Prepared, levels: tuple[int, ...], gt: str, ft: str, swapped: bool) -> Scored:
        """The match weight and probability of a pair already compared (``compare``)."""
        contributions = []
        for i, level in enumerate(levels):
            if level < 0:
                contributions.append(0.0)
                continue
            weight = self.w[NAMES[i]][level]
            if i == 1 and self.w_family_women is not None and a.sex == "F" and b.sex == "F":
                weight = self.w_family_women[level]  # women change family names when they marry
            if i == 2 and level == 0 and levels[3] == 3:
                weight = self.w["birth"][1]  # the same identifier: a date that far off is a typo, not a parent
            elif i == 0 and level == 0 and self._known_names(a, b, swapped):
                weight = DECISIVE_WEIGHT
            elif i == 0 and level == 4:
                weight = self._tf("given", gt, self.m_exact_given, weight, swapped)
            elif i == 1 and level == 3:
                weight = self._tf("family", ft, self.m_exact_family, weight, swapped)
            contributions.append(weight)
        total = self.prior_weight + sum(contributions)
        probability = 1.0 / (1.0 + 2.0 ** (-total)) if total > -60 else 0.0
        return Scored(probability, total, levels, tuple(contributions), swapped)


# ---------------------------------------------------------------- training
def _frequencies(records: Sequence[Prepared]) -> tuple[dict[str, dict[str, float]], float]:
    n = max(len(records), 1)
    given = Counter(p.given_term for p in records if p.given_term)
    family = Counter(p.family_term for p in records if p.family_term)
    keep = {
        "given": {k: v / n for k, v in given.items() if v >= 3},
        "family": {k: v / n for k, v in family.items() if v >= 3},
    }
    return keep, 2 / n


def estimate_u(records: Sequence[Prepared], *, samples: int = 12_000, seed: int = 7) -> dict[str, list[float]]:
    """u: level frequencies among random pairs of the registry (Laplace-smoothed)."""
    rng = random.Random(seed)
    counts = {name: [1.0] * len(levels) for name, levels in COMPARISONS.items()}
    n = len(records)
    for _ in range(samples if n > 1 else 0):
        i, j = rng.randrange(n), rng.randrange(n)
        if i == j:
            continue
        levels, *_rest = compare(records[i], records[j])
        for name, level in zip(NAMES, levels, strict=True):
            if level >= 0:
                counts[name][level] += 1
    return {name: [c / sum(values) for c in values] for name, values in counts.items()}


def level_counts(vectors: Iterable[Sequence[int]]) -> dict[str, list[float]]:
    """Share of each level per comparison among ``vectors`` (missing values left out, Laplace-smoothed)."""
    counts = {name: [0.5] * len(levels) for name, levels in COMPARISONS.items()}
    for vector in vectors:
        for name, level in zip(NAMES, vector, strict=True):
            if level >= 0:
                counts[name][level] += 1
    return {name: [c / sum(values) for c in values] for name, values in counts.items()}


def _exact_u(records: Sequence[Prepared]) -> dict[str, tuple[int, float]]:
    """u of the exact levels, exactly: the chance two random records share a value is the sum of its squared shares."""

    def collision(values: list[Any]) -> float:
        n = len(values)
        if n < 2:
            return 0.0
        return sum(c * (c - 1) for c in Counter(values).values()) / (n * (n - 1))

    return {
        "given": (4, collision([p.given_term for p in records if p.given_term])),
        "family": (3, collision([p.family_term for p in records if p.family_term])),
        "birth": (BIRTH_EXACT, collision([p.birth for p in records if p.birth])),
        "identifier": (3, collision([p.nid for p in records if p.nid])),
        "address": (2, collision([p.address for p in records if p.address])),
    }


def registry_u(records: Sequence[Prepared]) -> dict[str, list[float]]:
    """u of every level: random pairs of the registry, the exact levels from the values' frequencies."""
    u = estimate_u(records)
    for name, (level, value) in _exact_u(records).items():
        if value > 0:
            values = u[name]
            rest = sum(values) - values[level]
            values[level] = value
            scale = (1 - value) / rest if rest else 1.0
            u[name] = [v if i == level else v * scale for i, v in enumerate(values)]
    return u


def untrained(records: Sequence[Prepared], *, m: dict[str, list[float]] | None = None) -> Model:
    """A model with this registry's u and name frequencies and the shipped m; the prior still to estimate.

    Below ``MIN_TRAIN_RECORDS`` u is left empty: too few records to say how often strangers share a name
    (the caller keeps the shipped u and the default prior).
    """
    model = Model(m={k: list(v) for k, v in (m or shipped_m()).items()})
    model.records = len(records)
    if len(records) >= MIN_TRAIN_RECORDS:
        model.frequencies, model.min_frequency = _frequencies(records)
        model.u = registry_u(records)
    return model


def estimate_prior(evidence: Sequence[float] | Any, *, records: int, pairs: int, iterations: int = 20) -> float:
    """The probability that two random records are one person, by EM of the share of matches among the
    blocked candidate pairs. ``evidence`` is each compared pair's weight without the prior; ``pairs`` counts
    all candidate pairs, those ruled out without comparing (no share of matches) included."""
    import numpy as np

    llr = np.asarray(evidence, dtype=np.float64) * math.log(2)
    share = 0.1
    for _ in range(iterations):
        post = 1.0 / (1.0 + np.exp(np.clip(-(math.log(share / (1 - share)) + llr), -500, 500)))
        share = float(min(max(post.sum() / max(pairs, 1), 1e-6), 1 - 1e-6))
    return float(min(max(share * pairs / (records * (records - 1) / 2), 1e-9), 0.5))


def _odds(weight: float) -> float:
    return 2.0 ** min(weight, 60.0)


def share_rivals(linked: Sequence[tuple[Any, Any, Scored]], distinct: Any) -> list[tuple[Any, Any, Scored]]:
    """One record cannot be two persons: share its probability among rivals that are certainly two persons.

    The model scores each pair on its own, so a record without a birth date named like a father and like his
    son (same name, same address) scores high against both. When a record ``x`` resembles ``y`` and ``z``
    and ``distinct(y, z)`` (the two are certainly different persons), "x is y", "x is z" and "x is neither"
    exclude one another: each keeps its share, odds / (1 + the odds of all of them). ``linked`` are pairs
    (a, b, scored) at or above ``RIVAL_FLOOR``; the answer is the same pairs, re-weighed where rivals exist.
    """
    partners: dict[Any, list[tuple[Any, float]]] = defaultdict(list)
    for a, b, scored in linked:
        partners[a].append((b, scored.weight))
        partners[b].append((a, scored.weight))
    known: dict[tuple[Any, Any], bool] = {}

    def apart(y: Any, z: Any) -> bool:
        try:
            key = (y, z) if y < z else (z, y)
        except TypeError:  # keys of mixed kinds
            key = (y, z) if str(y) < str(z) else (z, y)
        if key not in known:
            known[key] = distinct(y, z)
        return known[key]

    out = []
    for a, b, scored in linked:
        rival_odds, rivals = 0.0, 0
        for record, partner in ((a, b), (b, a)):
            others = [(z, w) for z, w in partners[record] if z != partner]
            if not others:
                continue
            found = [w for z, w in others if apart(partner, z)]
            if sum(map(_odds, found)) > rival_odds:
                rival_odds, rivals = sum(map(_odds, found)), len(found)
        if rivals:
            odds = _odds(scored.weight)
            probability = odds / (1.0 + odds + rival_odds)
            weight = math.log2(probability / (1 - probability)) if 0 < probability < 1 else scored.weight
            scored = Scored(
                probability, weight, scored.levels, scored.contributions, scored.swapped, rivals, scored.probability
            )
        out.append((a, b, scored))
    return out


_M_FILE = Path(__file__).resolve().parent.parent / "data" / "linkage_m.json"


def _shipped(key: str) -> dict[str, list[float]]:
    return {k: list(v) for k, v in json.loads(_M_FILE.read_text())[key].items()}


def shipped_m() -> dict[str, list[float]]:
    """m of every level, trained on the labelled synthetic registry (bench/linkage.py)."""
    return _shipped("m")


def default_model() -> Model:
    """The model of a tenant that has not trained its own: shipped m and u, a prior for a small registry."""
    return Model(m=shipped_m(), u=_shipped("u"), prior=1e-4)


# ---------------------------------------------------------------- batch
def clusters(pairs: Iterable[tuple[int, int]]) -> list[list[int]]:
    """Connected components of the linked pairs (union-find), each sorted, largest first."""
    parent: dict[int, int] = {}

    def find(x: int) -> int:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in pairs:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    groups: dict[int, list[int]] = defaultdict(list)
    for x in list(parent):
        groups[find(x)].append(x)
    return sorted((sorted(g) for g in groups.values() if len(g) > 1), key=lambda g: (-len(g), g[0]))
