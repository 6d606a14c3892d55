"""The figures a benchmark keeps in bench/results/<name>.json, one entry per label or database."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).parent / "results"


def keep(name: str, figures: dict[str, Any]) -> dict[str, Any]:
    """Write `figures` into <name>.json over the entries of the same keys, keeping the others
    (an earlier run's "before", say); the whole file's content is returned."""
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{name}.json"
    stored = json.loads(path.read_text()) if path.is_file() else {}
    stored.update(figures)
    path.write_text(json.dumps(stored, indent=2, ensure_ascii=False) + "\n")
    return stored
