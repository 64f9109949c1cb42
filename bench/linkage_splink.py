"""splink (DuckDB backend) on the records of bench/linkage.py, configured by hand the way a linkage expert would.

Runs in its OWN interpreter (splink is not a CareNet dependency):
``/tmp/splinkenv/bin/python bench/linkage_splink.py records.csv pairs.json``. It reads the CSV written
by bench/linkage.py, links it, and writes the pairs at match probability ≥ 0.9 and the seconds it took
(preparation, training and prediction; not the CSV read).

The preparation an expert does before splink: every name to one Latin form (anyascii transliterates
Cyrillic and drops diacritics), lower case, first word of the given name apart from the others,
the name's first letters and the birth year for blocking. Comparisons: forename and surname
(Jaro-Winkler bands, term-frequency adjusted; one comparison each, as splink's own examples), date of
birth (exact, within a month, a year, ten years), identifier (exact, Levenshtein 1), sex, address.
Training: the share of matches from the identifier, u by random sampling, m by EM on two blocks
that leave out the compared fields.
"""

from __future__ import annotations

import json
import re
import sys
import time

import pandas as pd
import splink.comparison_library as cl
from anyascii import anyascii
from splink import DuckDBAPI, Linker, SettingsCreator, block_on

THRESHOLD = 0.9


def _clean(text: str) -> str:
    return re.sub(r"[^a-z ]", " ", anyascii(str(text or "")).lower()).strip()


def prepare(df: pd.DataFrame) -> pd.DataFrame:
    df = df.fillna("")
    first = df["first_name"].map(_clean)
    last = df["last_name"].map(_clean)
    out = pd.DataFrame({"unique_id": df["unique_id"]})
    out["first_name"] = first.map(lambda s: s.split()[0] if s.split() else None)
    out["surname"] = last.map(lambda s: s.split()[0] if s.split() else None)
    out["dob"] = df["birth_date"].replace("", None)
    out["national_id"] = df["national_id"].astype(str).replace("", None)
    out["sex"] = df["sex"].replace("", None)
    out["address"] = df["address"].map(_clean).replace("", None)
    out["first_name_surname_concat"] = out["first_name"].fillna("") + " " + out["surname"].fillna("")
    out["f3"] = out["first_name"].str[:3]
    out["s3"] = out["surname"].str[:3]
    out["year"] = out["dob"].str[:4]
    return out


def main(src: str, dst: str) -> None:
    raw = pd.read_csv(src, dtype=str, keep_default_na=False)
    started, cpu_started = time.perf_counter(), time.process_time()
    df = prepare(raw)
    settings = SettingsCreator(
        link_type="dedupe_only",
        comparisons=[
            cl.NameComparison("first_name").configure(term_frequency_adjustments=True),
            cl.NameComparison("surname").configure(term_frequency_adjustments=True),
            cl.DateOfBirthComparison(
                "dob", input_is_string=True, datetime_metrics=["month", "year", "year"], datetime_thresholds=[1, 1, 10]
            ),
            cl.LevenshteinAtThresholds("national_id", 1),
            cl.ExactMatch("sex"),
            cl.LevenshteinAtThresholds("address", [1, 3]),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("national_id"),
            block_on("dob"),
            block_on("first_name", "surname"),
            block_on("f3", "s3"),
            block_on("surname", "year"),
            block_on("first_name", "year"),
        ],
        retain_intermediate_calculation_columns=False,
    )
    db_api = DuckDBAPI()
    linker = Linker(db_api.register(df), settings)
    linker.training.estimate_probability_two_random_records_match([block_on("national_id")], recall=0.7)
    linker.training.estimate_u_using_random_sampling(max_pairs=2e6, seed=1)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("dob"), record_sample_proportion=1.0)
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("surname", "first_name"), record_sample_proportion=1.0
    )
    pairs = linker.inference.predict(threshold_match_probability=THRESHOLD).as_pandas_dataframe()
    seconds = time.perf_counter() - started
    cpu_seconds = time.process_time() - cpu_started  # every thread of the process (DuckDB uses all cores)
    result = {
        "seconds": seconds,
        "cpu_seconds": cpu_seconds,
        "pairs": [[int(a), int(b)] for a, b in zip(pairs["unique_id_l"], pairs["unique_id_r"], strict=True)],
    }
    with open(dst, "w", encoding="utf-8") as fh:
        json.dump(result, fh)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
