"""The solver never writes to stdout: a CLI's stdout is the answer and nothing else."""

from __future__ import annotations

import pytest

from matchmaking.optim.booths import allocate_booths
from matchmaking.optim.quiet import quiet_highs


def test_quiet_highs_prints_nothing_on_stdout(capfd: pytest.CaptureFixture[str]) -> None:
    model = quiet_highs()
    model.run()
    assert capfd.readouterr().out == ""


def test_large_hall_allocation_prints_nothing_on_stdout(capfd: pytest.CaptureFixture[str]) -> None:
    booths = [{"id": f"B-{i:03}", "zone": "food", "x": 3 * (i % 20), "y": 3 * (i // 20), "w": 3, "h": 3}
              for i in range(200)]
    applications = [{"id": f"a-{i}", "province": str(i % 7), "category": f"c{i % 5}", "zones": ["food"],
                     "booths": 1 + i % 2, "weight": 100 + i, "preferences": {}} for i in range(260)]
    result = allocate_booths({"booths": booths, "applications": applications,
                              "rules": {"province_cap": 0.3, "competitor_penalty": 10}}, time_limit=5)
    assert result["assignments"]
    assert capfd.readouterr().out == ""
