"""A proven upper bound from a compact relaxation: zone capacities instead of exact placements."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from matchmaking.optim.booths_core import Problem
from matchmaking.optim.booths_highs import Milp, solve_milp
from matchmaking.optim.budget import Budget


@dataclass(frozen=True, slots=True)
class Relaxation:
    """Upper bound on the objective and how much of each application the relaxation accepts."""

    bound: float
    accept: list[float]


def compact_bound(problem: Problem, *, budget: Budget, seed: int = 0) -> Relaxation:
    """Bound the objective by a relaxation that forgets connectivity and penalties.

    Any feasible allocation maps to a solution of this model with the same weight and bonus
    (and the penalty only lowers the real objective), so HiGHS's dual bound on it bounds ours.
    """
    milp = Milp()
    n_zone = max(problem.zone, default=-1) + 1
    zone_size = [0] * n_zone
    for z in problem.zone:
        zone_size[z] += 1
    zone_entries: list[list[tuple[int, float]]] = [[] for _ in range(n_zone)]
    booth_entries: dict[int, list[tuple[int, float]]] = defaultdict(list)
    province_entries: dict[int, list[tuple[int, float]]] = defaultdict(list)
    x_cols: dict[int, int] = {}
    for app in range(problem.n_apps):
        placements = problem.placements(app)
        if not placements:
            continue
        size = problem.size[app]
        x = milp.add_col(problem.weight[app])
        x_cols[app] = x
        link: list[tuple[int, float]] = [(x, -float(size))]
        reachable = {b for g in placements for b in g}
        bonus_entries: list[tuple[int, float]] = []
        for b, bonus in sorted(problem.prefs[app].items()):
            if b in reachable:
                y = milp.add_col(bonus)
                link.append((y, 1.0))
                milp.add_row([(y, 1.0), (x, -1.0)], -float("inf"), 0.0)
                zone_entries[problem.zone[b]].append((y, 1.0))
                booth_entries[b].append((y, 1.0))
                bonus_entries.append((y, bonus))
        for z in sorted({problem.zone[b] for b in reachable}):
            g = milp.add_col(0.0, 0.0, float(size))
            link.append((g, 1.0))
            zone_entries[z].append((g, 1.0))
        milp.add_row(link, 0.0, 0.0)
        if bonus_entries:
            # No single placement earns more bonus than its best one.
            best_bonus = problem.best_value(app) - problem.weight[app]
            milp.add_row([*bonus_entries, (x, -best_bonus)], -float("inf"), 0.0)
        province_entries[problem.province[app]].append((x, float(size)))
    for z, entries in enumerate(zone_entries):
        if entries:
            milp.add_row(entries, 0.0, float(zone_size[z]))
    for entries in booth_entries.values():
        if len(entries) > 1:
            milp.add_row(entries, 0.0, 1.0)
    limit = problem.province_limit
    if limit is not None:
        for entries in province_entries.values():
            if sum(v for _, v in entries) > limit:
                milp.add_row(entries, 0.0, float(limit))
    result = solve_milp(milp, budget=budget, seed=seed, abs_gap=0.99, rel_gap=1e-6)
    accept = [0.0] * problem.n_apps
    if result.values is not None:
        for app, x in x_cols.items():
            accept[app] = result.values[x]
    bound = result.bound
    if bound == float("inf"):
        bound = sum(problem.best_value(a) for a in x_cols)
    return Relaxation(bound, accept)
