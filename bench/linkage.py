"""Record linkage on a labelled synthetic registry: today's duplicate check, CareNet's linkage engine, splink.

``python -m bench.linkage`` (or ``make bench linkage``) generates the registry of bench/linkage_synth.py
(BENCH_LINKAGE_PERSONS true persons, BENCH_LINKAGE_RECORDS records; defaults 20,000 / 31,000), then for
each matcher prints the pairs it links, precision, recall, F1, the false-warning rate for new persons
(records of a person registered once that any warning would show a match for), recall per corruption
type on single-corruption pairs, and its time. All figures of one run come from the same records on
the same machine.

splink is not a dependency of CareNet: set BENCH_SPLINK_PYTHON to an interpreter that has splink
(``python -m venv /tmp/splinkenv && /tmp/splinkenv/bin/pip install splink``) and the same records are
linked by ``bench/linkage_splink.py`` in that interpreter (DuckDB backend, configured by hand).
"""

from __future__ import annotations

import csv
import itertools
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from bench.linkage_synth import CORRUPTIONS, MOVED, Record, registry
from bench.results import Result

PERSONS = int(os.environ.get("BENCH_LINKAGE_PERSONS", "20000"))
RECORDS = int(os.environ.get("BENCH_LINKAGE_RECORDS", "31000"))
SPLINK_PYTHON = os.environ.get("BENCH_SPLINK_PYTHON", "")

Pair = tuple[int, int]


def _pair(a: int, b: int) -> Pair:
    return (a, b) if a < b else (b, a)


def true_pairs(records: list[Record]) -> set[Pair]:
    by_entity: dict[int, list[int]] = defaultdict(list)
    for r in records:
        by_entity[r.entity].append(r.rid)
    return {_pair(a, b) for rids in by_entity.values() for a, b in itertools.combinations(rids, 2)}


@dataclass
class Scores:
    name: str
    found: int
    precision: float
    recall: float
    f1: float
    false_warning_rate: float
    seconds: float
    recall_by_corruption: dict[str, float]
    recall_by_corruption_moved: dict[str, float]
    # CPU time of every thread (a shared machine's load changes wall time, not this): splink's DuckDB uses
    # every core, CareNet's batch one.
    cpu_seconds: float | None = None

    def line(self) -> str:
        return (
            f"{self.name:<28} pairs {self.found:>6}  precision {self.precision:.3f}  recall {self.recall:.3f}  "
            f"F1 {self.f1:.3f}  false warnings {self.false_warning_rate:.1%}  time {self.seconds:.1f} s"
            + (f" (CPU {self.cpu_seconds:.1f} s)" if self.cpu_seconds is not None else "")
        )


def evaluate(
    name: str, found: set[Pair], records: list[Record], seconds: float, warned: set[Pair] | None = None
) -> Scores:
    """Pairwise precision / recall / F1 of ``found``; false warnings from ``warned`` (the lower band) or ``found``."""
    truth = true_pairs(records)
    hits = len(found & truth)
    precision = hits / len(found) if found else 0.0
    recall = hits / len(truth) if truth else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    counts: dict[int, int] = defaultdict(int)
    for r in records:
        counts[r.entity] += 1
    singletons = {r.rid for r in records if counts[r.entity] == 1}
    warned_rids = {rid for pair in (warned if warned is not None else found) for rid in pair}
    false_warning_rate = len(singletons & warned_rids) / len(singletons) if singletons else 0.0
    # Recall per corruption: pairs of an uncorrupted record and a record that differs from it in exactly
    # one way (a move of address counts as one, MOVED). Beside it, the same for a named corruption whose
    # record also moved: two differences, reported so the harder pairs are seen too.
    by_id = {r.rid: r for r in records}
    per: dict[str, list[int]] = {c: [0, 0] for c in (*CORRUPTIONS, MOVED)}
    per_moved: dict[str, list[int]] = {c: [0, 0] for c in CORRUPTIONS}
    for a, b in truth:
        ra, rb = by_id[a], by_id[b]
        if ra.corruptions:
            continue
        if len(rb.corruptions) == 1:
            tally = per[rb.corruptions[0]]
        elif len(rb.corruptions) == 2 and rb.corruptions[1] == MOVED:
            tally = per_moved[rb.corruptions[0]]
        else:
            continue
        tally[1] += 1
        tally[0] += (a, b) in found
    return Scores(
        name,
        len(found),
        precision,
        recall,
        f1,
        false_warning_rate,
        seconds,
        {k: v[0] / v[1] for k, v in per.items() if v[1]},
        {k: v[0] / v[1] for k, v in per_moved.items() if v[1]},
    )


# ---------------------------------------------------------------- today's matcher, as shipped
def today_matcher(records: list[Record]) -> set[Pair]:
    """``people.selectors.person_duplicates`` before issue 14, applied to every record against all the others.

    Candidates: equal name key, equal identifier, equal birth date (each lookup capped at 200 rows, as
    the selector's queries are); a pair is reported when its score reaches 0.5 (the selector's bar).
    """
    from carenet.people.names import name_key, name_similarity

    keys = {r.rid: name_key(r.first_name, r.last_name) for r in records}
    by_key: dict[str, list[int]] = defaultdict(list)
    by_id: dict[str, list[int]] = defaultdict(list)
    by_birth: dict[object, list[int]] = defaultdict(list)
    for r in records:
        if keys[r.rid]:
            by_key[keys[r.rid]].append(r.rid)
        if r.national_id:
            by_id[r.national_id].append(r.rid)
        if r.birth_date:
            by_birth[r.birth_date].append(r.rid)
    found: set[Pair] = set()
    rec = {r.rid: r for r in records}
    for r in records:
        key = keys[r.rid]
        candidates: set[int] = set()
        if key:
            candidates.update(by_key[key][:200])
        if r.national_id:
            candidates.update(by_id[r.national_id][:200])
        if r.birth_date:
            candidates.update(by_birth[r.birth_date][:200])
        candidates.discard(r.rid)
        for c in candidates:
            other = rec[c]
            score = 0.0
            if r.national_id and other.national_id == r.national_id:
                score = 1.0
            same_birth = r.birth_date is not None and other.birth_date == r.birth_date
            if keys[c] == key:
                score = max(score, 0.9 if same_birth else 0.5)
            elif same_birth and name_similarity(key, keys[c]) >= 0.75:
                score = max(score, 0.6 + 0.3 * name_similarity(key, keys[c]))
            if score >= 0.5:
                found.add(_pair(r.rid, c))
    return found


# ---------------------------------------------------------------- CareNet's engine
def prepared(records: list[Record]) -> list:  # type: ignore[type-arg]
    from carenet.people.linkage.model import prepare

    return [
        prepare(
            r.rid,
            first_name=r.first_name,
            last_name=r.last_name,
            other_spellings=r.other_spellings,
            sex=r.sex,
            birth_date=r.birth_date,
            national_id=r.national_id,
            identifier_kind=r.identifier_kind,
            address=r.address,
        )
        for r in records
    ]


def train_m(*, persons: int = PERSONS, records: int = RECORDS, seed: int = 99) -> dict[str, list[float]]:
    """m from labels: the levels of every true pair of a registry generated with ANOTHER seed than the test's."""
    from carenet.people.linkage.model import compare, level_counts

    _people, recs = registry(persons, records, seed=seed)
    prep = prepared(recs)
    vectors = [(compare(prep[a], prep[b])[0], prep[a].sex == prep[b].sex == "F") for a, b in true_pairs(recs)]
    m = level_counts(v for v, _women in vectors)
    m["family_women"] = level_counts(v for v, women in vectors if women)["family"]
    return m


def write_shipped(path: Path, *, seed: int = 99) -> None:
    """Write people/data/linkage_m.json: m from the labels, u from random pairs, of a registry of ``seed``."""
    from carenet.people.linkage.model import registry_u

    _people, recs = registry(PERSONS, RECORDS, seed=seed)
    data = {
        "source": (
            f"bench/linkage.py write_shipped(seed={seed}): m = level shares of the true pairs (family_women: of "
            f"pairs of two women), u = level shares of random pairs (exact levels from value frequencies), of the "
            f"synthetic registry generated with seed {seed}; the evaluation uses seed 14"
        ),
        "m": train_m(seed=seed),
        "u": registry_u(prepared(recs)),
    }
    path.write_text(json.dumps(data, indent=1) + "\n")


def engine_scores(records: list[Record]) -> list[Scores]:
    """Train on the records (EM, no labels), then link: at the probable and at the possible threshold."""
    from carenet.people.linkage.columns import deduplicate
    from carenet.people.linkage.settings import DEFAULT_POSSIBLE, DEFAULT_PROBABLE

    started, cpu_started = time.perf_counter(), time.process_time()
    recs = prepared(records)
    model, linked, candidates = deduplicate(recs, threshold=DEFAULT_POSSIBLE, alone_threshold=DEFAULT_PROBABLE)
    probable: set[Pair] = set()
    possible: set[Pair] = set()  # what intake shows: a notice at the possible band, or "one of these persons"
    for i, j, scored in linked:
        possible.add(_pair(recs[i].key, recs[j].key))
        if scored.probability >= DEFAULT_PROBABLE:
            probable.add(_pair(recs[i].key, recs[j].key))
    seconds = time.perf_counter() - started
    cpu_seconds = time.process_time() - cpu_started
    trained = seconds
    print(f"  engine: {candidates} candidate pairs, prior {model.prior:.2e}, {trained:.1f} s")
    scored = [
        evaluate("CareNet linkage (probable)", probable, records, seconds, warned=possible),
        evaluate("CareNet linkage (possible)", possible, records, seconds),
    ]
    for s in scored:
        s.cpu_seconds = cpu_seconds
    return scored


# ---------------------------------------------------------------- splink, in its own interpreter
def write_csv(records: Iterable[Record], path: Path) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(
            ["unique_id", "first_name", "last_name", "sex", "birth_date", "national_id", "address", "other_spellings"]
        )
        for r in records:
            w.writerow(
                [
                    r.rid,
                    r.first_name,
                    r.last_name,
                    r.sex,
                    r.birth_date.isoformat() if r.birth_date else "",
                    r.national_id,
                    r.address,
                    r.other_spellings,
                ]
            )


def splink_matcher(records: list[Record], python: str) -> tuple[set[Pair], float, float | None]:
    with tempfile.TemporaryDirectory() as tmp:
        src, out = Path(tmp) / "records.csv", Path(tmp) / "pairs.json"
        write_csv(records, src)
        script = Path(__file__).with_name("linkage_splink.py")
        subprocess.run([python, str(script), str(src), str(out)], check=True)
        data = json.loads(out.read_text())
    return {_pair(a, b) for a, b in data["pairs"]}, float(data["seconds"]), data.get("cpu_seconds")


def scores(*, persons: int = PERSONS, records: int = RECORDS, splink: str = SPLINK_PYTHON) -> list[Scores]:
    _people, recs = registry(persons, records)
    out: list[Scores] = []
    if records <= 50_000:  # the old check compares each record with up to 600 others: minutes past this size
        started = time.perf_counter()
        found = today_matcher(recs)
        out.append(evaluate("today's duplicate check", found, recs, time.perf_counter() - started))
    out.extend(engine_scores(recs))
    if splink:
        pairs, seconds, cpu_seconds = splink_matcher(recs, splink)
        out.append(evaluate("splink (DuckDB, by hand)", pairs, recs, seconds))
        out[-1].cpu_seconds = cpu_seconds
    return out


def run() -> list[Result]:
    results = []
    measured = scores()
    for s in measured:
        print(s.line(), flush=True)
        print("  recall by corruption:", ", ".join(f"{k} {v:.2f}" for k, v in s.recall_by_corruption.items()))
        print(
            "  the same, the person also moved:",
            ", ".join(f"{k} {v:.2f}" for k, v in s.recall_by_corruption_moved.items()),
        )
        worst = min(s.recall_by_corruption.values(), default=0.0)
        results.append(Result(f"linkage lowest single-corruption recall: {s.name}", worst, "recall"))
        results.append(Result(f"linkage F1: {s.name}", s.f1, "F1"))
        results.append(Result(f"linkage false warnings: {s.name}", 100 * s.false_warning_rate, "%"))
        results.append(Result(f"linkage time: {s.name}", s.seconds, "s"))
        if s.cpu_seconds is not None:
            results.append(Result(f"linkage CPU time, every thread: {s.name}", s.cpu_seconds, "s"))
    return results


if __name__ == "__main__":
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    django.setup()
    if sys.argv[1:] == ["--write-shipped"]:  # after a change of the comparison levels
        import carenet.people.linkage.model as linkage_model

        write_shipped(Path(linkage_model.__file__).resolve().parent.parent / "data" / "linkage_m.json")
        sys.exit(0)
    from bench.results import print_table

    print_table(run())
    sys.exit(0)
