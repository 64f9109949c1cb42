"""The rows of `make bench`: the table it prints, the JSON of every figure it keeps, and the comparison with
the previous run.

Every run of ``python -m bench`` writes ``var/bench/bench-<UTC time>.json`` and a copy as
``var/bench/latest.json`` (``BENCH_RESULTS_DIR`` elsewhere): for each figure its name, key, unit, value,
baseline and baseline value, ratio, target, pass, the machine's load (``os.getloadavg()`` when its module
finished) and the database vendor. Before writing, it prints each figure beside the newest earlier run
that holds the same figure (same key, same database vendor): previous, now, change in %, and the machine's
load then and now (a figure measured at load 8 is not comparable with one at load 1: the load says so).

A figure's ``key`` is its name without what changes from run to run — the bracketed latencies
(``[p50 52 ms, …]``), times (``(min 35 ms)``, ``in 22.0 s``) and the load (``load avg 1.0``) — unless the
module gives one.
"""

from __future__ import annotations

import datetime
import json
import os
import platform
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
FORMAT = 1


@dataclass
class Result:
    name: str
    figure: float
    unit: str
    target: str = ""
    baseline_name: str = ""
    baseline: float | None = None
    passed: bool | None = None
    key: str = ""  # stable across runs; from the name when empty (figure_key)
    # Stamped by bench/__main__.py when the module has run:
    module: str = ""
    load: tuple[float, float, float] | None = None
    vendor: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def ratio_value(self) -> float | None:
        if not self.baseline:
            return None
        return self.figure / self.baseline

    @property
    def ratio(self) -> str:
        value = self.ratio_value
        return "" if value is None else f"{value:.2f}×"


def print_table(results: list[Result]) -> None:
    header = ("benchmark", "figure", "target", "baseline", "ratio", "ok")
    rows = [
        (
            r.name,
            f"{r.figure:,.2f} {r.unit}",
            r.target,
            f"{r.baseline_name} {r.baseline:,.2f} {r.unit}" if r.baseline is not None else "",
            r.ratio,
            {True: "yes", False: "NO", None: ""}[r.passed],
        )
        for r in results
    ]
    _print(header, rows)


def _print(header: tuple[str, ...], rows: Sequence[tuple[str, ...]]) -> None:
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows, strict=False)]
    line = "  ".join(f"{{:<{w}}}" for w in widths)
    print()
    print(line.format(*header))
    print(line.format(*("-" * w for w in widths)))
    for row in rows:
        print(line.format(*row))


# --- the JSON of a run ------------------------------------------------------------------------------------

_BRACKETS = re.compile(r"\s*\[[^\]]*\]")
_TIMES = re.compile(r"\d[\d,]*(?:\.\d+)?\s*(?:µs|ms|s|min)\b")
_LOAD = re.compile(r"load avg \d+(?:\.\d+)?")


def figure_key(name: str) -> str:
    """``name`` without what changes between runs of the same figure (see the module's docstring)."""
    key = _BRACKETS.sub("", name)
    key = _LOAD.sub("load avg #", key)
    key = _TIMES.sub(lambda m: "#" + re.sub(r"[\d,.\s]", "", m.group(0)), key)
    return " ".join(key.split())


def result_record(result: Result) -> dict[str, Any]:
    """One figure as the JSON keeps it."""
    ratio = result.ratio_value
    return {
        "name": result.name,
        "key": result.key or figure_key(result.name),
        "module": result.module,
        "unit": result.unit,
        "value": result.figure,
        "baseline": result.baseline_name,
        "baseline_value": result.baseline,
        "ratio": round(ratio, 6) if ratio is not None else None,
        "target": result.target,
        "pass": result.passed,
        "load": list(result.load) if result.load is not None else None,
        "vendor": result.vendor,
        **({"extra": result.extra} if result.extra else {}),
    }


def results_dir() -> Path:
    return Path(os.environ.get("BENCH_RESULTS_DIR") or ROOT / "var" / "bench")


def run_record(
    results: Iterable[Result],
    *,
    started: datetime.datetime,
    finished: datetime.datetime,
    modules: list[str],
    wall_seconds: float,
) -> dict[str, Any]:
    figures = [result_record(r) for r in results]
    return {
        "format": FORMAT,
        "started_at": started.isoformat(timespec="seconds"),
        "finished_at": finished.isoformat(timespec="seconds"),
        "wall_seconds": round(wall_seconds, 1),
        "modules": modules,
        "vendors": sorted({f["vendor"] for f in figures if f["vendor"]}),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "node": platform.node()},
        "figures": figures,
    }


def write_run(record: dict[str, Any], directory: Path | None = None) -> Path:
    """``bench-<UTC time>.json`` and ``latest.json`` in ``directory``; the timestamped file's path."""
    directory = directory or results_dir()
    directory.mkdir(parents=True, exist_ok=True)
    stamp = datetime.datetime.fromisoformat(record["finished_at"]).astimezone(datetime.UTC)
    path = directory / f"bench-{stamp:%Y%m%dT%H%M%SZ}.json"
    n = 1
    while path.exists():  # two runs in one second
        n += 1
        path = directory / f"bench-{stamp:%Y%m%dT%H%M%SZ}-{n}.json"
    text = json.dumps(record, ensure_ascii=False, indent=1) + "\n"
    path.write_text(text, encoding="utf-8")
    latest = directory / "latest.json"
    tmp = directory / ".latest.json.tmp"
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(latest)
    return path


def earlier_runs(directory: Path | None = None) -> list[dict[str, Any]]:
    """The runs kept in ``directory``, newest first (unreadable files skipped)."""
    directory = directory or results_dir()
    runs = []
    for path in sorted(directory.glob("bench-*.json"), reverse=True):
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(record, dict) and isinstance(record.get("figures"), list):
            record["_file"] = path.name
            runs.append(record)
    runs.sort(key=lambda r: str(r.get("finished_at", "")), reverse=True)
    return runs


@dataclass(frozen=True)
class Change:
    key: str
    unit: str
    now: float
    previous: float | None  # None: the figure is new (no earlier run holds it)
    previous_run: str = ""  # the file the previous value comes from
    load: float | None = None  # the 1-minute load average when the figure was measured
    previous_load: float | None = None

    @property
    def percent(self) -> float | None:
        if self.previous is None or self.previous == 0:
            return None
        return (self.now - self.previous) / abs(self.previous) * 100

    @property
    def verdict(self) -> str:
        """better/worse beyond 10 % (a rate is better higher, a time or a size lower); '' within the noise."""
        percent = self.percent
        if percent is None or abs(percent) < 10:
            return ""
        higher_is_better = self.unit.endswith("/s") or self.unit in ("×", "x")
        return "better" if (percent > 0) == higher_is_better else "worse"


def compare(current: dict[str, Any], earlier: list[dict[str, Any]]) -> list[Change]:
    """Each figure of ``current`` beside its value in the newest earlier run that has the same key and
    database vendor (``earlier`` newest first)."""
    index: dict[tuple[str, str], tuple[float, str, float | None]] = {}
    for run in reversed(earlier):  # newest last: it wins
        for fig in run.get("figures", []):
            if isinstance(fig, dict) and isinstance(fig.get("value"), int | float):
                key = (str(fig.get("key")), str(fig.get("vendor", "")))
                index[key] = (fig["value"], run.get("_file", ""), _load1(fig))
    changes = []
    for fig in current["figures"]:
        found = index.get((fig["key"], fig["vendor"]))
        changes.append(
            Change(
                key=fig["key"],
                unit=fig["unit"],
                now=fig["value"],
                previous=found[0] if found else None,
                previous_run=found[1] if found else "",
                load=_load1(fig),
                previous_load=found[2] if found else None,
            )
        )
    return changes


def _load1(fig: dict[str, Any]) -> float | None:
    load = fig.get("load")
    return float(load[0]) if isinstance(load, list) and load and isinstance(load[0], int | float) else None


def _loads(change: Change) -> str:
    def one(value: float | None) -> str:
        return "?" if value is None else f"{value:.1f}"

    if change.previous is None:
        return one(change.load)
    return f"{one(change.previous_load)} → {one(change.load)}"


def print_comparison(changes: list[Change]) -> None:
    if not changes:
        return
    runs = sorted({c.previous_run for c in changes if c.previous_run})
    print(f"\ncompared with: {', '.join(runs) if runs else 'no earlier run'}")
    rows = [
        (
            c.key,
            f"{c.previous:,.2f} {c.unit}" if c.previous is not None else "new",
            f"{c.now:,.2f} {c.unit}",
            f"{c.percent:+.1f} %" if c.percent is not None else "",
            c.verdict,
            _loads(c),
        )
        for c in changes
    ]
    _print(("benchmark", "previous", "now", "change", "", "load (1 min)"), rows)
