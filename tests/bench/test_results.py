"""`make bench` keeps every figure as JSON and compares it with the earlier runs (bench/results.py); `python -m
bench NAME` runs one module. No timing is asserted: the figures here are made up."""

from __future__ import annotations

import datetime
import json
import sys
import types

import pytest

import bench.__main__ as bench_main
from bench.results import Result, compare, earlier_runs, figure_key, print_comparison, run_record, write_run

T0 = datetime.datetime(2026, 12, 7, 9, 0, 0, tzinfo=datetime.UTC)


def _results(value: float = 20.0, vendor: str = "sqlite") -> list[Result]:
    return [
        Result(
            "API list page 200 by cursor [p50 9 ms] (10,000 deliveries, sqlite)",
            value,
            "ms",
            "< 50 ms",
            baseline_name="page 1 by cursor",
            baseline=10.0,
            passed=value < 50,
            module="api_throughput",
            load=(1.5, 1.2, 0.9),
            vendor=vendor,
        ),
        Result(
            "HSDS search under 32 clients", 500.0, "req/s", module="api_throughput", load=(1.5, 1.2, 0.9), vendor=vendor
        ),
    ]


def _record(results: list[Result], at: datetime.datetime = T0) -> dict:
    return run_record(
        results, started=at, finished=at + datetime.timedelta(seconds=90), modules=["api_throughput"], wall_seconds=90
    )


def test_a_figures_key_drops_what_changes_from_run_to_run():
    assert figure_key("HSDS search p95, 1 client, cached [p50 3.9 ms] (300 services, sqlite)") == (
        "HSDS search p95, 1 client, cached (300 services, sqlite)"
    )
    assert figure_key("duplicate check, median (worst 8 ms) (20k persons)") == figure_key(
        "duplicate check, median (worst 12 ms) (20k persons)"
    )
    assert figure_key("import, 100,000 rows in 22.0 s (sqlite)") == figure_key(
        "import, 100,000 rows in 31.4 s (sqlite)"
    )
    assert figure_key("search (10,000 services; load avg 1.0 on 2 cores)") == figure_key(
        "search (10,000 services; load avg 7.25 on 2 cores)"
    )
    assert figure_key("a (10,000 services)") != figure_key("a (20,000 services)")  # the scale is the figure's


def test_a_run_is_written_timestamped_and_as_latest_with_every_field(tmp_path):
    path = write_run(_record(_results()), tmp_path)
    assert path.name == "bench-20261207T090130Z.json"
    latest = json.loads((tmp_path / "latest.json").read_text())
    assert json.loads(path.read_text()) == latest
    assert latest["modules"] == ["api_throughput"] and latest["vendors"] == ["sqlite"]
    first = latest["figures"][0]
    assert first == {
        "name": "API list page 200 by cursor [p50 9 ms] (10,000 deliveries, sqlite)",
        "key": "API list page 200 by cursor (10,000 deliveries, sqlite)",
        "module": "api_throughput",
        "unit": "ms",
        "value": 20.0,
        "baseline": "page 1 by cursor",
        "baseline_value": 10.0,
        "ratio": 2.0,
        "target": "< 50 ms",
        "pass": True,
        "load": [1.5, 1.2, 0.9],
        "vendor": "sqlite",
    }
    second = latest["figures"][1]
    assert (second["ratio"], second["baseline_value"], second["pass"], second["target"]) == (None, None, None, "")


def test_two_runs_in_one_second_keep_both_files(tmp_path):
    one, two = write_run(_record(_results()), tmp_path), write_run(_record(_results(30)), tmp_path)
    assert one != two and one.exists() and two.exists()
    assert json.loads((tmp_path / "latest.json").read_text())["figures"][0]["value"] == 30


def test_each_figure_is_compared_with_the_newest_earlier_run_that_has_it(tmp_path):
    old = _results(40.0)
    old.append(Result("dropped later", 5.0, "s", vendor="sqlite"))
    write_run(_record(old, T0), tmp_path)
    write_run(_record(_results(25.0), T0 + datetime.timedelta(hours=1)), tmp_path)
    now = [
        *_results(20.0),
        Result("dropped later", 6.0, "s", vendor="sqlite"),
        Result("a new figure", 1.0, "ms", vendor="sqlite"),
    ]
    changes = {c.key: c for c in compare(_record(now, T0 + datetime.timedelta(hours=2)), earlier_runs(tmp_path))}
    page = changes["API list page 200 by cursor (10,000 deliveries, sqlite)"]
    assert (page.previous, page.now, page.percent) == (25.0, 20.0, -20.0)
    assert page.previous_run == "bench-20261207T100130Z.json" and page.verdict == "better"  # a time went down
    assert changes["HSDS search under 32 clients"].percent == 0.0
    assert changes["HSDS search under 32 clients"].verdict == ""
    dropped = changes["dropped later"]  # not in the newest run: from the one before it
    assert (dropped.previous, dropped.previous_run, round(dropped.percent, 1)) == (
        5.0,
        "bench-20261207T090130Z.json",
        20.0,
    )
    assert dropped.verdict == "worse"
    assert changes["a new figure"].previous is None and changes["a new figure"].percent is None


def test_a_rate_going_down_is_worse_and_another_database_is_not_compared(tmp_path):
    write_run(_record(_results(vendor="sqlite")), tmp_path)
    slower = _results(vendor="sqlite")
    slower[1].figure = 400.0
    [_, rate] = compare(_record(slower), earlier_runs(tmp_path))
    assert (rate.percent, rate.verdict) == (-20.0, "worse")
    on_postgres = compare(_record(_results(vendor="postgresql")), earlier_runs(tmp_path))
    assert all(c.previous is None for c in on_postgres)


def test_an_unreadable_run_file_is_skipped(tmp_path):
    (tmp_path / "bench-20260101T000000Z.json").write_text("{not json")
    write_run(_record(_results()), tmp_path)
    assert len(earlier_runs(tmp_path)) == 1


def test_the_comparison_prints_previous_now_and_the_change(tmp_path, capsys):
    write_run(_record(_results(40.0)), tmp_path)
    print_comparison(compare(_record(_results(20.0)), earlier_runs(tmp_path)))
    out = capsys.readouterr().out
    assert "compared with: bench-20261207T090130Z.json" in out
    assert "40.00 ms" in out and "20.00 ms" in out and "-50.0 %" in out and "better" in out
    assert "1.5 → 1.5" in out  # the load then and now


def test_a_module_is_chosen_by_its_name_and_an_unknown_name_is_refused():
    modules = ["bench.cases", "bench.linkage", "bench.linkage_intake", "bench.api_throughput"]
    assert bench_main.selected(["linkage"], modules) == ["bench.linkage"]  # its own name: that one only
    assert bench_main.selected(["link"], modules) == ["bench.linkage", "bench.linkage_intake"]
    assert bench_main.selected(["api_throughput", "cases"], modules) == ["bench.cases", "bench.api_throughput"]
    assert bench_main.selected([], modules) == modules
    with pytest.raises(ValueError):
        bench_main.selected(["nothing"], modules)
    assert set(bench_main.selected(["api_throughput"])) == {"bench.api_throughput"}


def test_python_m_bench_name_runs_one_module_writes_its_json_and_compares(tmp_path, monkeypatch, capsys):
    calls = []

    def run() -> list[Result]:
        calls.append(1)
        return [Result("fake figure", 10.0 * len(calls), "ms", "< 50 ms", passed=True)]

    monkeypatch.setitem(sys.modules, "bench.fake", types.SimpleNamespace(run=run))
    monkeypatch.setattr(bench_main, "BENCHMARKS", ["bench.cases", "bench.fake"])
    monkeypatch.setenv("BENCH_RESULTS_DIR", str(tmp_path))
    monkeypatch.delenv("DATABASE_URL", raising=False)  # main() sets its default; restored after the test
    assert bench_main.main(["fake"]) == 0
    assert bench_main.main(["fake"]) == 0
    assert len(calls) == 2  # bench.cases never ran
    latest = json.loads((tmp_path / "latest.json").read_text())
    [figure] = latest["figures"]
    assert figure["module"] == "fake" and figure["value"] == 20.0 and len(figure["load"]) == 3
    assert figure["vendor"] in ("sqlite", "postgresql")
    assert len(list(tmp_path.glob("bench-*.json"))) == 2
    out = capsys.readouterr().out
    assert "+100.0 %" in out and "worse" in out
    assert bench_main.main(["no_such_module"]) == 2


def test_a_module_that_breaks_is_a_failed_row_and_the_others_figures_are_kept(tmp_path, monkeypatch, capsys):
    def broken() -> list[Result]:
        raise TypeError("persons_import_csv() got an unexpected keyword argument 'user'")

    def fine() -> list[Result]:
        return [Result("fine figure", 5.0, "ms", "< 50 ms", passed=True)]

    monkeypatch.setitem(sys.modules, "bench.broken", types.SimpleNamespace(run=broken))
    monkeypatch.setitem(sys.modules, "bench.fine", types.SimpleNamespace(run=fine))
    monkeypatch.setattr(bench_main, "BENCHMARKS", ["bench.broken", "bench.fine"])
    monkeypatch.setenv("BENCH_RESULTS_DIR", str(tmp_path))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert bench_main.main([]) == 1  # a failed row fails the run
    figures = {f["name"]: f for f in json.loads((tmp_path / "latest.json").read_text())["figures"]}
    assert figures["fine figure"]["value"] == 5.0
    [failed] = [f for name, f in figures.items() if name.startswith("bench.broken failed: TypeError")]
    assert failed["pass"] is False
    assert "Traceback" in capsys.readouterr().err
