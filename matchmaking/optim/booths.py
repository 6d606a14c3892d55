"""Booth allocation: who gets which connected booth group (specs/booth-allocation.md)."""

from __future__ import annotations

import math
import time
from collections.abc import Mapping
from typing import Any

from matchmaking.optim.booths_bound import compact_bound
from matchmaking.optim.booths_colgen import lp_bound
from matchmaking.optim.booths_core import Group, Problem, build_problem, objective
from matchmaking.optim.booths_model import BoothInstance, parse_booth_instance
from matchmaking.optim.booths_packing import Packing, integral_data, solve_packing
from matchmaking.optim.booths_reasons import waitlist_reasons
from matchmaking.optim.booths_search import greedy, improve
from matchmaking.optim.budget import Budget

__all__ = ["BoothInstance", "allocate_booths", "parse_booth_instance"]

# Up to this many placement columns the whole hall is one MILP that HiGHS can close.
EXACT_COLUMNS = 60_000
EXACT_BOOTHS = 60


def allocate_booths(
    instance: Mapping[str, Any],
    *,
    time_limit: float = 60.0,
    seed: int = 0,
    work_limit: int | None = None,
) -> dict[str, Any]:
    """Allocate booths to applications; return the spec's result dict.

    Small halls are solved whole by HiGHS. Large ones get the placement LP by column generation
    (the bound), a MILP over the generated columns, then large-neighbourhood search. A
    `work_limit` (branch-and-bound nodes per MILP, rounds per loop) replaces the time limit and
    makes the answer independent of the machine's speed.
    """
    started = time.perf_counter()
    # Keep a little time back for building the result, so `seconds` stays within the limit.
    budget = Budget.of(time_limit - min(0.5, 0.02 * time_limit), work_limit)
    lp_budget = budget.part(0.4)
    problem = build_problem(parse_booth_instance(instance))
    relaxation = compact_bound(problem, budget=budget.part(0.1, floor=0.5), seed=seed)
    bound = relaxation.bound
    assignment = greedy(problem, relaxation.accept)
    columns = sum(len(problem.placements(a)) for a in range(problem.n_apps))
    if problem.n_booths <= EXACT_BOOTHS or columns <= EXACT_COLUMNS:
        assignment, exact_bound = _solve_exact(problem, assignment, budget, seed)
        bound = min(bound, exact_bound)
    else:
        assignment, lp, priority = _solve_large(problem, assignment, lp_budget, budget, seed)
        bound = min(bound, lp)
        assignment = improve(
            problem, assignment, budget=budget, seed=seed, bound=bound, priority=priority
        )
    value = objective(problem, assignment)
    if integral_data(problem):
        bound = math.floor(bound + 1e-6)
    # HiGHS works to a 1e-6 tolerance; never report a bound below the solution in hand.
    bound = max(bound, value)
    apps = problem.instance.applications
    return {
        "assignments": _assignments(problem, assignment),
        "waitlist": _waitlist(problem, assignment),
        "reasons": {apps[a].id: why for a, why in sorted(waitlist_reasons(problem, assignment).items())},
        "objective": float(value),
        "bound": float(bound),
        "status": "optimal" if bound - value <= 1e-6 * max(1.0, abs(value)) else "feasible",
        "seconds": round(time.perf_counter() - started, 3),
    }


def _solve_exact(
    problem: Problem, start: dict[int, Group], budget: Budget, seed: int
) -> tuple[dict[int, Group], float]:
    """The whole-hall placement MILP from the greedy start: best allocation and its bound."""
    limit = problem.province_limit
    residual = None if limit is None else dict.fromkeys(set(problem.province), limit)
    packing = Packing(
        apps=range(problem.n_apps),
        region=frozenset(range(problem.n_booths)),
        residual=residual,
        start=start,
    )
    result = solve_packing(problem, packing, budget=budget.part(1.0, floor=0.1), seed=seed, exact=True)
    best = result.assignment
    if objective(problem, best) < objective(problem, start):
        best = start
    return best, result.bound


def _solve_large(
    problem: Problem, start: dict[int, Group], lp_budget: Budget, budget: Budget, seed: int
) -> tuple[dict[int, Group], float, list[float]]:
    """Placement LP by column generation, then the MILP restricted to the columns it generated.

    Returns the best allocation, the LP's proven bound and each application's LP acceptance.
    """
    lp = lp_bound(problem, budget=lp_budget, start=start)
    only: dict[int, list[Group]] = {}
    priority = [0.0] * problem.n_apps
    for (app, group), x in lp.values.items():
        only.setdefault(app, []).append(group)
        priority[app] += x
    for app, group in start.items():
        if group not in only.setdefault(app, []):
            only[app].append(group)
    limit = problem.province_limit
    packing = Packing(
        apps=sorted(only),
        region=frozenset(range(problem.n_booths)),
        residual=None if limit is None else dict.fromkeys(set(problem.province), limit),
        start=start,
        only=only,
    )
    # The restricted MILP's own bound is not one for the full problem: only its solution is kept.
    result = solve_packing(problem, packing, budget=budget.part(0.6), seed=seed, exact=True)
    best = result.assignment if objective(problem, result.assignment) > objective(problem, start) else start
    return best, lp.bound, priority


def _assignments(problem: Problem, assignment: Mapping[int, Group]) -> dict[str, list[str]]:
    booths = problem.instance.booths
    apps = problem.instance.applications
    return {apps[a].id: [booths[b].id for b in assignment[a]] for a in sorted(assignment)}


def _waitlist(problem: Problem, assignment: Mapping[int, Group]) -> list[str]:
    """Applications not accepted, by weight, then best attainable value, then input order."""
    apps = problem.instance.applications
    rest = [a for a in range(problem.n_apps) if a not in assignment]
    rest.sort(key=lambda a: (-problem.weight[a], -problem.best_value(a), a))
    return [apps[a].id for a in rest]
