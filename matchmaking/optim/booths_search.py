"""Primal heuristics: a density-ordered greedy and large-neighbourhood search with region MILPs."""

from __future__ import annotations

import math
import random
from collections import Counter
from collections.abc import Sequence

from matchmaking.optim.booths_core import Group, Problem, objective
from matchmaking.optim.booths_packing import Packing, solve_packing
from matchmaking.optim.budget import Budget

REGION_BOOTHS = 48
MAX_CANDIDATES = 90
SUB_TIME = 2.0


def greedy(problem: Problem, priority: Sequence[float]) -> dict[int, Group]:
    """Place applications by priority then value per booth, each where it costs least."""
    owner: list[int] = [-1] * problem.n_booths
    used: Counter[int] = Counter()
    limit = problem.province_limit
    free_in_zone = Counter(problem.zone)
    order = sorted(
        range(problem.n_apps),
        key=lambda a: (-round(priority[a], 3), -problem.best_value(a) / problem.size[a], a),
    )
    assignment: dict[int, Group] = {}
    for app in order:
        size = problem.size[app]
        if limit is not None and used[problem.province[app]] + size > limit:
            continue
        if sum(free_in_zone[z] for z in problem.allowed[app]) < size:
            continue
        best: Group | None = None
        best_score = -math.inf
        for g in problem.placements(app):
            if any(owner[b] >= 0 for b in g):
                continue
            score = _placement_score(problem, owner, app, g)
            if score > best_score:
                best, best_score = g, score
        if best is None or best_score - 0.5 < 0:
            continue
        assignment[app] = best
        used[problem.province[app]] += size
        for b in best:
            owner[b] = app
            free_in_zone[problem.zone[b]] -= 1
    return assignment


def _placement_score(problem: Problem, owner: list[int], app: int, group: Group) -> float:
    """Value minus penalty, with a small reward for hugging walls and neighbours (less fragmentation)."""
    cat = problem.category[app]
    clashes = 0
    open_sides = 0
    for b in group:
        for n in problem.neighbours[b]:
            if n in group:
                continue
            o = owner[n]
            if o < 0:
                open_sides += 1
            elif problem.category[o] == cat:
                clashes += 1
    return problem.value(app, group) - problem.penalty * clashes - 1e-3 * open_sides


def improve(
    problem: Problem,
    assignment: dict[int, Group],
    *,
    budget: Budget,
    seed: int,
    bound: float,
    priority: Sequence[float],
) -> dict[int, Group]:
    """Large-neighbourhood search: free a region, re-place it optimally with waitlisted rivals."""
    rng = random.Random(seed)
    current = dict(assignment)
    value = objective(problem, current)
    centres = _centres(problem)
    booths = list(range(problem.n_booths))
    if not booths:
        return current
    stale = rounds = 0
    while not budget.spent(rounds, reserve=0.05) and value < bound - 1e-6:
        rounds += 1
        size = REGION_BOOTHS if stale < 30 else REGION_BOOTHS * 2
        region = _region(problem, centres, booths, current, rng, size)
        packing = _packing(problem, current, region, rng, priority)
        if budget.expired(reserve=0.2):
            break
        if not packing.apps:
            stale += 1
            continue
        result = solve_packing(
            problem, packing, budget=budget.part(1.0, cap=SUB_TIME), seed=rng.randrange(1 << 30)
        )
        candidate = {a: g for a, g in current.items() if a not in packing.start}
        candidate.update(result.assignment)
        new_value = objective(problem, candidate)
        if new_value > value + 1e-9:
            current, value, stale = candidate, new_value, 0
        else:
            if new_value >= value - 1e-9:
                current = candidate
            stale += 1
    return current


def _centres(problem: Problem) -> list[tuple[float, float]]:
    return [(b.x + b.w / 2, b.y + b.h / 2) for b in problem.instance.booths]


def _region(
    problem: Problem,
    centres: list[tuple[float, float]],
    booths: list[int],
    current: dict[int, Group],
    rng: random.Random,
    size: int,
) -> frozenset[int]:
    """Nearest booths around one or two seeds, widened to whole placements.

    A second seed at a booth some application wishes for lets it move there in one step.
    """
    seeds = [rng.choice(booths)]
    if rng.random() < 0.5:
        wishes = [
            (a, b) for a in range(problem.n_apps) for b in problem.prefs[a] if b not in current.get(a, ())
        ]
        if wishes:
            app, wished = rng.choice(wishes)
            seeds = [current[app][0], wished] if app in current else [wished]
    chosen: set[int] = set()
    per_seed = size // len(seeds)
    for s in seeds:
        sx, sy = centres[s]
        near = sorted(booths, key=lambda b: (centres[b][0] - sx) ** 2 + (centres[b][1] - sy) ** 2)
        chosen.update(near[:per_seed])
    for g in current.values():
        if any(b in chosen for b in g):
            chosen.update(g)
    return frozenset(chosen)


def _packing(
    problem: Problem,
    current: dict[int, Group],
    region: frozenset[int],
    rng: random.Random,
    priority: Sequence[float],
) -> Packing:
    """Released applications plus the most promising waitlisted ones that could fit the region."""
    released = {a: g for a, g in current.items() if g[0] in region}
    outside = {b: a for a, g in current.items() if a not in released for b in g}
    limit = problem.province_limit
    residual: dict[int, int] | None = None
    if limit is not None:
        used = Counter(problem.province[a] for a, g in current.items() if a not in released for _ in g)
        residual = {p: limit - used[p] for p in set(problem.province)}
    zones = {problem.zone[b] for b in region}
    scored: list[tuple[float, int]] = []
    for app in range(problem.n_apps):
        if app in current or not (problem.allowed[app] & zones):
            continue
        size = problem.size[app]
        if residual is not None and residual[problem.province[app]] < size:
            continue
        bonus = sorted((v for b, v in problem.prefs[app].items() if b in region), reverse=True)
        value = problem.weight[app] + sum(bonus[:size])
        score = (value / size) * (1.0 + 0.1 * rng.random()) + 50.0 * priority[app]
        scored.append((score, app))
    scored.sort(reverse=True)
    extra = [a for _, a in scored[: max(0, MAX_CANDIDATES - len(released))]]
    return Packing(
        apps=[*released, *extra], region=region, residual=residual, outside=outside, start=released
    )
