"""The batch path (comparisons in columns) gives the same levels, weights and links as the pair-by-pair one."""

import numpy as np
import pytest

from bench.linkage import prepared
from bench.linkage_synth import registry
from carenet.people.linkage.columns import Columns, deduplicate, probabilities
from carenet.people.linkage.model import (
    Scorer,
    candidate_pair_arrays,
    candidate_pairs,
    compare,
    estimate_prior,
    rule_out_far_births,
    untrained,
)


@pytest.fixture(scope="module")
def records():
    _people, recs = registry(1300, 2000, seed=5)
    return prepared(recs)


def test_the_column_blocking_gives_the_same_candidate_pairs(records):
    left, right = candidate_pair_arrays(records)
    assert set(zip(left.tolist(), right.tolist(), strict=True)) == candidate_pairs(records)


def test_every_pair_gets_the_same_levels_and_weight_in_columns_as_one_by_one(records):
    model = untrained(records)
    left, right = candidate_pair_arrays(records)
    scorer = Scorer(model)
    columns = Columns(records)
    levels, given_terms, family_terms, swapped = columns.compare(left, right)
    contributions, total = columns.weigh(scorer, left, right, levels, given_terms, family_terms, swapped)
    model.prior = estimate_prior(total - scorer.prior_weight, records=len(records), pairs=len(left))
    assert len(left) > 1000
    for k, (i, j) in enumerate(zip(left.tolist(), right.tolist(), strict=True)):
        vector, gt, ft, was_swapped = compare(records[i], records[j])
        assert tuple(levels[k]) == vector, (records[i], records[j])
        assert bool(swapped[k]) == was_swapped
        one = scorer.weigh(records[i], records[j], vector, gt, ft, was_swapped)
        assert total[k] == pytest.approx(one.weight, abs=1e-9)
        assert np.allclose(contributions[k], one.contributions)
        assert probabilities(total[k : k + 1])[0] == pytest.approx(one.probability, abs=1e-12)


def test_pairs_ruled_out_for_far_births_could_never_be_linked(records):
    left, right = candidate_pair_arrays(records)
    kept_left, kept_right = rule_out_far_births(records, left, right)
    kept = set(zip(kept_left.tolist(), kept_right.tolist(), strict=True))
    scorer = Scorer(untrained(records))
    dropped = [(i, j) for i, j in zip(left.tolist(), right.tolist(), strict=True) if (i, j) not in kept]
    assert dropped
    assert all(scorer.score(records[i], records[j]).probability < 0.5 for i, j in dropped)


def test_the_batch_links_the_same_pairs_as_scoring_each_blocked_pair(records):
    model, linked, _blocked = deduplicate(records, threshold=0.8)
    scorer = Scorer(model)
    one_by_one = {
        (i, j) for i, j in candidate_pairs(records) if scorer.score(records[i], records[j]).probability >= 0.8
    }
    found = {(i, j) for i, j, _s in linked}
    assert found <= one_by_one  # sharing with rivals only ever lowers a pair
    assert len(found) >= 0.9 * len(one_by_one)


def test_rivals_share_a_record_in_columns_as_one_by_one(records):
    from carenet.people.linkage.columns import share_rivals_in_columns
    from carenet.people.linkage.model import share_rivals

    model = untrained(records)
    scorer = Scorer(model)
    left, right = candidate_pair_arrays(records)
    columns = Columns(records)
    levels, given_terms, family_terms, swapped = columns.compare(left, right)
    _contributions, total = columns.weigh(scorer, left, right, levels, given_terms, family_terms, swapped)
    near = np.flatnonzero(probabilities(total) >= 0.01)  # a low floor: many records with several partners
    linked = [(int(left[k]), int(right[k]), scorer.score(records[left[k]], records[right[k]])) for k in near]
    one_by_one = share_rivals(linked, lambda y, z: scorer.distinct(records[y], records[z]))
    probability, weight, rivals, alone = share_rivals_in_columns(columns, scorer, left[near], right[near], total[near])
    assert sum(s.rivals > 0 for _a, _b, s in one_by_one) > 10
    for n, (_a, _b, shared) in enumerate(one_by_one):
        assert probability[n] == pytest.approx(shared.probability, rel=1e-9, abs=1e-12)
        assert rivals[n] == shared.rivals
        assert weight[n] == pytest.approx(shared.weight, rel=1e-9, abs=1e-9)
        assert alone[n] == pytest.approx(shared.probability_alone, rel=1e-9, abs=1e-12)
