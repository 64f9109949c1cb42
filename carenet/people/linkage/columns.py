"""The batch path of the matcher: millions of candidate pairs compared and weighed in columns (numpy).

``model.compare`` and ``Scorer.weigh`` take one pair at a time, about 14 µs in Python: fine at intake (a few
candidates), ten times splink's time on a registry of 200,000 (7 million candidate pairs). Here the same
levels and weights are computed for all pairs at once:

* names: the given and family names of a registry repeat (78,000 distinct names for 200,000 records), so
  each distinct pair of name tuples is compared once, by ``model._best`` itself, and its level looked up
  for every record pair carrying it (other spellings are tried as ``compare_names`` tries them);
* dates, identifiers, sex and address: integer columns, compared as arrays.

The answer is the same as ``compare`` and ``weigh`` pair by pair (a test holds them equal on a synthetic
registry); only the speed differs.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from .model import (
    BIRTH_EXACT,
    DECISIVE_WEIGHT,
    DISTINCT_WEIGHT,
    FAR_YEARS,
    NAMES,
    RIVAL_FLOOR,
    Model,
    Prepared,
    Scored,
    Scorer,
    _best,
    _shipped,
    candidate_pair_arrays,
    estimate_prior,
    rule_out_far_births,
    untrained,
)
from .names import _equivalence_groups, is_known_name, readings

GIVEN, FAMILY, BIRTH, IDENTIFIER, SEX, ADDRESS = range(6)
_ID_WIDTH = 20  # identifiers longer than this are compared one pair at a time


def _factorize(values: Sequence[Any], missing: Any = None) -> tuple[np.ndarray, list[Any]]:
    """An integer code per value (-1 for ``missing``) and the distinct values by code."""
    codes: dict[Any, int] = {}
    out = np.full(len(values), -1, dtype=np.int64)
    for i, value in enumerate(values):
        if value != missing:
            out[i] = codes.setdefault(value, len(codes))
    return out, list(codes)


class Columns:
    """The records of a registry as columns, ready to compare pairs given as two index arrays."""

    def __init__(self, records: Sequence[Prepared]) -> None:
        self.records = records
        n = len(records)
        # One vocabulary of name tuples (given, family and the two parts of the other spellings).
        self.names: list[tuple[str, ...]] = []
        codes: dict[tuple[str, ...], int] = {}

        def code(value: tuple[str, ...]) -> int:
            if not value:
                return -1
            found = codes.get(value)
            if found is None:
                found = codes[value] = len(self.names)
                self.names.append(value)
            return found

        self.given = np.array([code(p.given) for p in records], dtype=np.int64)
        self.family = np.array([code(p.family) for p in records], dtype=np.int64)
        # ``compare_names`` tries the other spellings (two words or more) as a second variant.
        self.has_other = np.array([len(p.other) >= 2 for p in records], dtype=bool)
        self.other_given = np.array([code(p.other[:-1]) if len(p.other) >= 2 else -1 for p in records], dtype=np.int64)
        self.other_family = np.array([code(p.other[-1:]) if len(p.other) >= 2 else -1 for p in records], dtype=np.int64)
        # Per name tuple: the first letters of its words' readings (a bit each) and whether a word is in
        # the table of equivalent names; what ``word_similarity`` and ``equivalent`` need to find more than 0.
        groups = _equivalence_groups()
        self.initials = np.array(
            [sum({1 << (ord(r[0]) % 63) for w in name for r in readings(w) if r}) for name in self.names] or [0],
            dtype=np.int64,
        )
        self.in_groups = np.array(
            [any(r in groups for w in name for r in readings(w)) for name in self.names] or [False], dtype=bool
        )
        self.born = np.full(n, -1, dtype=np.int64)
        self.ymd = np.zeros((n, 3), dtype=np.int64)
        self.date_digits = np.zeros((n, 8), dtype=np.uint8)
        self.nid, _nids = _factorize([p.nid for p in records], missing="")
        self.nid_len = np.array([len(p.nid) for p in records], dtype=np.int64)
        self.nid_digits = np.zeros((n, _ID_WIDTH), dtype=np.uint8)
        self.nid_valid = np.array([p.nid_valid for p in records], dtype=bool)
        for i, p in enumerate(records):
            if p.birth is not None:
                self.born[i] = p.birth.toordinal()
                self.ymd[i] = (p.birth.year, p.birth.month, p.birth.day)
                self.date_digits[i] = np.frombuffer(
                    f"{p.birth.year:04d}{p.birth.month:02d}{p.birth.day:02d}".encode(), dtype=np.uint8
                )
            if p.nid and len(p.nid) <= _ID_WIDTH:
                self.nid_digits[i, : len(p.nid)] = np.frombuffer(p.nid.encode(), dtype=np.uint8)
        self.sex = np.array([{"M": 1, "F": 2}.get(p.sex, 0) for p in records], dtype=np.int64)
        self.address, _addresses = _factorize([p.address for p in records], missing="")
        self.street, _streets = _factorize([p.street if p.address else "" for p in records], missing="")
        self.term_values: list[str] = [""]  # code 0 is "no exact term"
        self._term_codes: dict[str, int] = {"": 0}
        self.given_term = np.array([self.term(p.given_term) for p in records], dtype=np.int64)
        self.family_term = np.array([self.term(p.family_term) for p in records], dtype=np.int64)

    def term(self, value: str) -> int:
        code = self._term_codes.get(value)
        if code is None:
            code = self._term_codes[value] = len(self.term_values)
            self.term_values.append(value)
        return code

    # ------------------------------------------------------------ names
    def _table(self, left_codes: np.ndarray, right_codes: np.ndarray, *, given: bool) -> tuple[np.ndarray, np.ndarray]:
        """``_best`` of each pair of name tuples, computed once per distinct pair: (levels, term codes)."""
        levels = np.full(len(left_codes), -1, dtype=np.int64)
        terms = np.zeros(len(left_codes), dtype=np.int64)
        present = (left_codes >= 0) & (right_codes >= 0)
        if not present.any():
            return levels, terms
        width = max(len(self.names), 1)
        keys = left_codes[present] * width + right_codes[present]
        distinct, inverse = np.unique(keys, return_inverse=True)
        found_levels = np.empty(len(distinct), dtype=np.int64)
        found_terms = np.empty(len(distinct), dtype=np.int64)
        for k, key in enumerate(distinct.tolist()):
            level, term = _best(self.names[key // width], self.names[key % width], given=given)
            found_levels[k] = level
            found_terms[k] = self.term(term)
        levels[present] = found_levels[inverse]
        terms[present] = found_terms[inverse]
        return levels, terms

    def _names(self, left: np.ndarray, right: np.ndarray) -> tuple[np.ndarray, ...]:
        """Given and family levels, their terms and swapped: ``compare_names`` in columns.

        The readings are tried in ``_compare_names``'s order (each variant of the left record with each of
        the right one, straight then swapped) and the first with the highest sum of the two levels wins.
        """
        count = len(left)
        # What ``_compare_names`` starts from: nothing compared, sum -2; a reading replaces it when higher.
        best_sum = np.full(count, -2, dtype=np.int64)
        best = [np.full(count, -1, dtype=np.int64), np.full(count, -1, dtype=np.int64)]
        best += [np.zeros(count, dtype=np.int64), np.zeros(count, dtype=np.int64), np.zeros(count, dtype=np.int64)]
        variants = ((self.given, self.family, None), (self.other_given, self.other_family, self.has_other))
        everyone = np.arange(count)
        for given_a, family_a, has_a in variants:
            for given_b, family_b, has_b in variants:
                rows = everyone
                if has_a is not None:
                    rows = rows[has_a[left[rows]]]
                if has_b is not None:
                    rows = rows[has_b[right[rows]]]
                ga, fa = given_a[left[rows]], family_a[left[rows]]
                gb, fb = given_b[right[rows]], family_b[right[rows]]
                g1, gt1 = self._table(ga, gb, given=True)
                f1, ft1 = self._table(fa, fb, given=False)
                # The swapped reading only where it could beat the straight one: two present names of the
                # swapped reading that share no first letter and no name group compare "different" (0), and
                # a swapped reading of 0 and 0 never beats a straight one of two present names.
                could = ((self.initials[np.maximum(ga, 0)] & self.initials[np.maximum(fb, 0)]) != 0) | (
                    (self.initials[np.maximum(fa, 0)] & self.initials[np.maximum(gb, 0)]) != 0
                )
                could |= self.in_groups[np.maximum(ga, 0)] & self.in_groups[np.maximum(fb, 0)]
                could |= (ga < 0) | (gb < 0) | (fa < 0) | (fb < 0)
                maybe = np.flatnonzero(~((g1 == 4) & (f1 == 3)) & could)
                g2, f2 = np.full(len(rows), -1, dtype=np.int64), np.full(len(rows), -1, dtype=np.int64)
                gt2, ft2 = np.zeros(len(rows), dtype=np.int64), np.zeros(len(rows), dtype=np.int64)
                if len(maybe):
                    g2[maybe], gt2[maybe] = self._table(ga[maybe], fb[maybe], given=True)
                    f2[maybe], ft2[maybe] = self._table(fa[maybe], gb[maybe], given=False)
                for g, f, gt, ft, flag in ((g1, f1, gt1, ft1, 0), (g2, f2, gt2, ft2, 1)):
                    higher = (g + f) > best_sum[rows]
                    where = rows[higher]
                    best_sum[where] = (g + f)[higher]
                    for column, values in zip(best, (g, f, gt, ft), strict=False):
                        column[where] = values[higher]
                    best[4][where] = flag
        return tuple(best)

    def compare(self, left: np.ndarray, right: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Levels (pairs × 6, -1 missing), the exact given and family term codes, and swapped, of every pair."""
        count = len(left)
        levels = np.full((count, len(NAMES)), -1, dtype=np.int64)
        levels[:, GIVEN], levels[:, FAMILY], given_terms, family_terms, swapped = self._names(left, right)
        given_l, given_r, family_l, family_r = (
            self.given[left],
            self.given[right],
            self.family[left],
            self.family[right],
        )
        nameless = ((given_l < 0) & (family_l < 0)) | ((given_r < 0) & (family_r < 0))
        levels[nameless, GIVEN] = -1
        levels[nameless, FAMILY] = -1
        given_terms[nameless] = 0
        family_terms[nameless] = 0
        swapped = swapped.astype(bool) & ~nameless

        levels[:, BIRTH] = self._birth(left, right)
        levels[:, IDENTIFIER] = self._identifier(left, right)
        sex_a, sex_b = self.sex[left], self.sex[right]
        levels[:, SEX] = np.where((sex_a > 0) & (sex_b > 0), (sex_a == sex_b).astype(np.int64), -1)
        addr_a, addr_b = self.address[left], self.address[right]
        address = np.where(addr_a == addr_b, 2, np.where(self.street[left] == self.street[right], 1, 0))
        levels[:, ADDRESS] = np.where((addr_a >= 0) & (addr_b >= 0), address, -1)

        return levels, given_terms, family_terms, swapped

    def _birth(self, left: np.ndarray, right: np.ndarray) -> np.ndarray:
        a, b = self.born[left], self.born[right]
        ya, yb = self.ymd[left], self.ymd[right]
        digits = (self.date_digits[left] != self.date_digits[right]).sum(axis=1)
        level = np.where(np.abs(a - b) >= FAR_YEARS * 365, 0, 1)
        level = np.where(digits == 1, 2, level)
        swapped = (ya[:, 0] == yb[:, 0]) & (ya[:, 1] == yb[:, 2]) & (ya[:, 2] == yb[:, 1])
        level = np.where(swapped, 3, level)
        level = np.where(a == b, BIRTH_EXACT, level)
        return np.where((a >= 0) & (b >= 0), level, -1)

    def _identifier(self, left: np.ndarray, right: np.ndarray) -> np.ndarray:
        a, b = self.nid[left], self.nid[right]
        same_length = self.nid_len[left] == self.nid_len[right]
        digits = (self.nid_digits[left] != self.nid_digits[right]).sum(axis=1)
        one_off = same_length & (digits == 1) & (self.nid_len[left] <= _ID_WIDTH)
        both_valid = self.nid_valid[left] & self.nid_valid[right]
        level = np.where(a == b, 3, np.where(one_off, 2, np.where(both_valid, 0, 1)))
        return np.where((a >= 0) & (b >= 0), level, -1)

    # ------------------------------------------------------------ weights
    def weigh(
        self,
        scorer: Scorer,
        left: np.ndarray,
        right: np.ndarray,
        levels: np.ndarray,
        given_terms: np.ndarray,
        family_terms: np.ndarray,
        swapped: np.ndarray,
    ) -> tuple[np.ndarray, np.ndarray]:
        """The contributions (pairs × 6) and the total weight, prior included, as ``Scorer.weigh``."""
        count = len(left)
        contributions = np.zeros((count, len(NAMES)), dtype=np.float64)
        for k, name in enumerate(NAMES):
            table = np.asarray(scorer.w[name], dtype=np.float64)
            level = levels[:, k]
            contributions[:, k] = np.where(level >= 0, table[np.clip(level, 0, None)], 0.0)
        if scorer.w_family_women is not None:
            women = (self.sex[left] == 2) & (self.sex[right] == 2) & (levels[:, FAMILY] >= 0)
            table = np.asarray(scorer.w_family_women, dtype=np.float64)
            contributions[women, FAMILY] = table[levels[women, FAMILY]]
        # The same identifier: a birth date that far off is a typo, not a parent.
        typo = (levels[:, BIRTH] == 0) & (levels[:, IDENTIFIER] == 3)
        contributions[typo, BIRTH] = scorer.w["birth"][1]
        # Two different given names that are not a typo of one another (``Scorer._known_names``): decisive.
        known_table = scorer.model.frequencies.get("given", {})
        known = np.array([v in known_table or is_known_name(v) for v in self.term_values], dtype=bool)
        initial = np.array([ord(v[0]) if v else 0 for v in self.term_values], dtype=np.int64)
        mine = self.given_term[left]
        other = np.where(swapped, self.family_term[right], self.given_term[right])
        known_a, known_b = known[mine], known[other]
        different_names = (known_a & known_b) | (
            (known_a | known_b) & (mine > 0) & (other > 0) & (initial[mine] != initial[other])
        )
        contributions[(levels[:, GIVEN] == 0) & different_names, GIVEN] = DECISIVE_WEIGHT
        # Exact names weigh by how rare they are (``Scorer._tf``; the level's weight where no table applies).
        for k, field_name, terms, exact, m in (
            (GIVEN, "given", given_terms, 4, scorer.m_exact_given),
            (FAMILY, "family", family_terms, 3, scorer.m_exact_family),
        ):
            frequencies = scorer.model.frequencies.get(field_name) or {}
            if not frequencies:
                continue
            floor = max(scorer.model.min_frequency, 1e-9)
            rare = np.array(
                [math.log2(m / max(frequencies.get(v, floor), floor)) if v else 0.0 for v in self.term_values]
            )
            # Swapped names: the word by its more common role of the two (``Scorer._tf``), so the pair weighs
            # the same whichever record comes first.
            other_role = scorer.model.frequencies.get("family" if field_name == "given" else "given") or {}
            either_role = np.array(
                [
                    math.log2(m / max(frequencies.get(v, floor), other_role.get(v, floor), floor)) if v else 0.0
                    for v in self.term_values
                ]
            )
            where = (levels[:, k] == exact) & (terms > 0)
            straight, crossed = where & ~swapped, where & swapped
            contributions[straight, k] = rare[terms[straight]]
            contributions[crossed, k] = either_role[terms[crossed]]
        total = scorer.prior_weight + contributions.sum(axis=1)
        return contributions, total


def probabilities(total: np.ndarray) -> np.ndarray:
    """``2^w / (1 + 2^w)``, 0 far below (as ``Scorer.weigh``)."""
    return np.where(total > -60, 1.0 / (1.0 + np.exp2(-np.clip(total, -60, 60))), 0.0)


def deduplicate(
    records: Sequence[Prepared], *, threshold: float, model: Model | None = None, alone_threshold: float = 2.0
) -> tuple[Model, list[tuple[int, int, Scored]], int]:
    """Block, compare every candidate pair (in columns), train (unless ``model`` is given), score, share
    rivals: the linked pairs (indexes into ``records``) at or above ``threshold`` — and, when
    ``alone_threshold`` is given, the pairs with rivals that reach it on their own, before sharing (intake's
    "one of these persons" notice; above 1 by default, so the batch's clusters stay as they were) — and the
    number of candidate pairs the blocking rules gave."""
    left, right = candidate_pair_arrays(records)
    blocked = len(left)
    left, right = rule_out_far_births(records, left, right)
    columns = Columns(records)
    levels, given_terms, family_terms, swapped = columns.compare(left, right)
    if model is None:
        model = untrained(records)
        if not model.u:  # a small registry: the shipped u, the default prior
            model.u = _shipped("u")
        elif len(records) < 2 or not blocked:
            model.prior = 1.0 / max(len(records), 2)
        else:
            evidence = Scorer(model)
            evidence.prior_weight = 0.0
            _contributions, weights = columns.weigh(evidence, left, right, levels, given_terms, family_terms, swapped)
            model.prior = estimate_prior(weights, records=len(records), pairs=blocked)
    scorer = Scorer(model)
    contributions, total = columns.weigh(scorer, left, right, levels, given_terms, family_terms, swapped)
    probability = probabilities(total)
    near = np.flatnonzero(probability >= min(threshold, RIVAL_FLOOR))
    shared_probability, shared_weight, rivals, alone = share_rivals_in_columns(
        columns, scorer, left[near], right[near], total[near]
    )
    linked = [
        (
            int(left[k]),
            int(right[k]),
            Scored(
                float(shared_probability[n]),
                float(shared_weight[n]),
                tuple(int(x) for x in levels[k]),
                tuple(float(x) for x in contributions[k]),
                bool(swapped[k]),
                int(rivals[n]),
                float(alone[n]) if rivals[n] else None,
            ),
        )
        for n, k in enumerate(near.tolist())
        if shared_probability[n] >= threshold or (rivals[n] and alone[n] >= alone_threshold)
    ]
    return model, linked, blocked


def share_rivals_in_columns(
    columns: Columns, scorer: Scorer, left: np.ndarray, right: np.ndarray, weight: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """``model.share_rivals`` for the batch: the pairs' probability, weight and rivals after sharing, and
    their probability alone (before sharing).

    Each pair is two directed edges (a→b, b→a). For every record and two of its partners y and z that are
    certainly two persons (``Scorer.distinct``, computed once per pair of partners), the edge x→y gains z's
    odds as a rival, and x→z gains y's. A pair takes the side with the larger sum of rivals' odds."""
    count = len(left)
    odds = np.exp2(np.minimum(weight, 60.0))
    source = np.concatenate([left, right])
    target = np.concatenate([right, left])
    edge_odds = np.concatenate([odds, odds])
    order = np.argsort(source, kind="stable")
    starts = np.flatnonzero(np.concatenate(([True], source[order][1:] != source[order][:-1])))
    ends = np.append(starts[1:], len(order))
    first_edges, second_edges = [], []
    for start, end in zip(starts.tolist(), ends.tolist(), strict=True):
        size = end - start
        if size < 2:
            continue
        i, j = np.triu_indices(size, 1)
        edges = order[start:end]
        first_edges.append(edges[i])
        second_edges.append(edges[j])
    rival_odds = np.zeros(2 * count)
    rival_count = np.zeros(2 * count, dtype=np.int64)
    if first_edges:
        e1, e2 = np.concatenate(first_edges), np.concatenate(second_edges)
        y, z = target[e1], target[e2]
        low, high = np.minimum(y, z), np.maximum(y, z)
        width = int(max(source.max(), target.max())) + 1
        distinct_pairs, inverse = np.unique(low * width + high, return_inverse=True)
        pair_left, pair_right = distinct_pairs // width, distinct_pairs % width
        levels, given_terms, family_terms, swapped = columns.compare(pair_left, pair_right)
        contributions, total = columns.weigh(scorer, pair_left, pair_right, levels, given_terms, family_terms, swapped)
        certain = ((contributions[:, BIRTH] <= DECISIVE_WEIGHT) | (total - scorer.prior_weight <= DISTINCT_WEIGHT))[
            inverse
        ]
        e1, e2 = e1[certain], e2[certain]
        rival_odds += np.bincount(e1, weights=edge_odds[e2], minlength=2 * count)
        rival_odds += np.bincount(e2, weights=edge_odds[e1], minlength=2 * count)
        rival_count += np.bincount(e1, minlength=2 * count) + np.bincount(e2, minlength=2 * count)
    forward, backward = rival_odds[:count], rival_odds[count:]
    take_backward = backward > forward  # ``share_rivals`` keeps the first side on a tie
    comp = np.where(take_backward, backward, forward)
    rivals = np.where(take_backward, rival_count[count:], rival_count[:count])
    probability = np.where(rivals > 0, odds / (1.0 + odds + comp), probabilities(weight))
    alone = probabilities(weight)
    inside = (probability > 0) & (probability < 1)
    shared_weight = np.where(
        (rivals > 0) & inside,
        np.log2(np.clip(probability, 1e-300, None) / np.clip(1 - probability, 1e-300, None)),
        weight,
    )
    return probability, shared_weight, rivals, alone
