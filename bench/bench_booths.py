"""Booth allocation benchmark: our optimiser vs a plain HiGHS MILP vs first-come-first-served.

Run from the repository root: `python -m bench.bench_booths [--time-limit 60]`.
Writes bench/results/booths.json and bench/results/booths.md.
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp

from bench.booth_instances import generate_instance
from matchmaking.optim.booths import allocate_booths
from matchmaking.optim.booths_core import Group, Problem, build_problem, objective
from matchmaking.optim.booths_model import parse_booth_instance
from matchmaking.optim.booths_packing import Packing, build_packing

RESULTS = Path(__file__).parent / "results"
CASES = [(600, 900, 1), (60, 90, 1)]


def plain_milp(instance: dict[str, Any], time_limit: float) -> dict[str, Any]:
    """Every (application, connected group) as a binary column, solved whole by scipy's HiGHS."""
    started = time.perf_counter()
    problem = build_problem(parse_booth_instance(instance))
    limit = problem.province_limit
    residual = None if limit is None else dict.fromkeys(set(problem.province), limit)
    packing = Packing(
        apps=range(problem.n_apps), region=frozenset(range(problem.n_booths)), residual=residual
    )
    model = build_packing(problem, packing)
    m = model.milp
    res = milp(
        c=-np.asarray(m.cost),
        constraints=LinearConstraint(m.matrix(), m.row_lower, m.row_upper),
        integrality=np.asarray(m.integer, dtype=int),
        bounds=Bounds(m.lower, m.upper),
        options={"time_limit": max(1.0, time_limit - (time.perf_counter() - started)), "disp": False},
    )
    value: float | None = None
    if res.x is not None:
        chosen = {
            model.columns[c][0]: model.columns[c][1] for c in range(len(model.columns)) if res.x[c] > 0.5
        }
        value = objective(problem, chosen)
    dual = getattr(res, "mip_dual_bound", None)
    bound = None if dual is None or not np.isfinite(dual) else -float(dual)
    return _row(value, bound, time.perf_counter() - started, columns=m.n_cols, status=res.message)


def first_come_first_served(instance: dict[str, Any]) -> dict[str, Any]:
    """Applications in arrival order, each given the first free connected group that fits."""
    started = time.perf_counter()
    problem = build_problem(parse_booth_instance(instance))
    assignment = fcfs_assignment(problem)
    return _row(objective(problem, assignment), None, time.perf_counter() - started)


def fcfs_assignment(problem: Problem) -> dict[int, Group]:
    """The first-come-first-served allocation (zones, connectivity and province cap respected)."""
    taken: set[int] = set()
    used: Counter[int] = Counter()
    assignment: dict[int, Group] = {}
    for app in range(problem.n_apps):
        p, size = problem.province[app], problem.size[app]
        if problem.province_limit is not None and used[p] + size > problem.province_limit:
            continue
        group = next((g for g in problem.placements(app) if taken.isdisjoint(g)), None)
        if group is not None:
            assignment[app] = group
            taken.update(group)
            used[p] += size
    return assignment


def ours(instance: dict[str, Any], time_limit: float) -> dict[str, Any]:
    """Our optimiser as the platform calls it."""
    result = allocate_booths(instance, time_limit=time_limit, seed=0)
    return _row(result["objective"], result["bound"], result["seconds"], status=result["status"])


def _row(value: float | None, bound: float | None, seconds: float, **extra: Any) -> dict[str, Any]:
    return {"objective": value, "bound": bound, "seconds": round(seconds, 2), **extra}


def _gap(value: float | None, bound: float | None) -> float | None:
    if value is None or bound is None or bound <= 0:
        return None
    return round(100.0 * (bound - value) / bound, 3)


def run(time_limit: float) -> list[dict[str, Any]]:
    """Every case, the three methods one after the other (never in parallel: 2 cores)."""
    report = []
    for n_booths, n_apps, seed in CASES:
        instance = generate_instance(n_booths, n_apps, seed=seed)
        methods = {
            "ours": ours(instance, time_limit),
            "highs_milp": plain_milp(instance, time_limit),
            "fcfs": first_come_first_served(instance),
        }
        bounds = [m["bound"] for m in methods.values() if m["bound"] is not None]
        best_bound = min(bounds) if bounds else None
        for m in methods.values():
            m["gap_pct"] = _gap(m["objective"], m["bound"])
            m["gap_to_best_bound_pct"] = _gap(m["objective"], best_bound)
        report.append(
            {
                "booths": n_booths,
                "applications": n_apps,
                "seed": seed,
                "time_limit": time_limit,
                "best_bound": best_bound,
                "methods": methods,
            }
        )
    return report


def markdown(report: list[dict[str, Any]]) -> str:
    """A short table per instance."""
    lines = ["# Booth allocation benchmark", ""]
    for case in report:
        lines += [
            f"## {case['booths']} booths / {case['applications']} applications "
            f"(seed {case['seed']}, time limit {case['time_limit']:g} s)",
            "",
            "| method | objective | bound | gap to own bound % | gap to best bound % | seconds |",
            "|---|---:|---:|---:|---:|---:|",
        ]
        for name, m in case["methods"].items():
            cells = [m["objective"], m["bound"], m["gap_pct"], m["gap_to_best_bound_pct"], m["seconds"]]
            lines.append(f"| {name} | " + " | ".join("—" if c is None else f"{c:g}" for c in cells) + " |")
        lines.append("")
    lines.append("FCFS proves no bound; its gap is measured against the best bound of the two optimisers.")
    return "\n".join(lines) + "\n"


def main() -> None:
    """Run the benchmark and write the JSON and Markdown reports."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--time-limit", type=float, default=60.0)
    args = parser.parse_args()
    report = run(args.time_limit)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "booths.json").write_text(json.dumps(report, indent=2) + "\n")
    (RESULTS / "booths.md").write_text(markdown(report))
    print(markdown(report))


if __name__ == "__main__":
    main()
