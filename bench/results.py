from dataclasses import dataclass


@dataclass
class Result:
    name: str
    figure: float
    unit: str
    target: str = ""
    baseline_name: str = ""
    baseline: float | None = None
    passed: bool | None = None

    @property
    def ratio(self) -> str:
        if not self.baseline:
            return ""
        return f"{self.figure / self.baseline:.2f}×"


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
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows, strict=False)]
    line = "  ".join(f"{{:<{w}}}" for w in widths)
    print()
    print(line.format(*header))
    print(line.format(*("-" * w for w in widths)))
    for row in rows:
        print(line.format(*row))
