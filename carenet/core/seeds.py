"""Access to the source data stored in the project (see seeds/README.md)."""

import json
from functools import cache
from pathlib import Path
from typing import Any

SEEDS_DIR = Path(__file__).resolve().parent / "seeds"


@cache
def load_seed(name: str) -> Any:
    """``load_seed("balti_action_plan")`` → the parsed JSON (cached; treat as read-only)."""
    with (SEEDS_DIR / f"{name}.json").open(encoding="utf-8") as fh:
        return json.load(fh)
