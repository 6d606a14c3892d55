"""Set-packing MILP over booth placements, for the whole hall or one region of it."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from matchmaking.optim.booths_core import Group, Problem
from matchmaking.optim.booths_highs import Milp, solve_milp
from matchmaking.optim.budget import Budget


@dataclass(slots=True)
class Packing:
    """Candidate applications to place inside `region`; booths outside it keep their owners."""

    apps: Sequence[int]
    region: frozenset[int]
    residual: Mapping[int, int] | None = None
    outside: Mapping[int, int] = field(default_factory=dict)
    start: Mapping[int, Group] = field(default_factory=dict)
    only: Mapping[int, Sequence[Group]] | None = None  # restrict each application to these groups


@dataclass(slots=True)
class PackingModel:
    """The MILP of a packing and the (application, group) behind each placement column."""

    milp: Milp
    columns: list[tuple[int, Group]]
    penalty_rows: list[list[int]]
    penalty_cols: list[int]


@dataclass(frozen=True, slots=True)
class PackingResult:
    """Placements chosen, their sub-objective and HiGHS's bound on it."""

    assignment: dict[int, Group]
    value: float
    bound: float
    optimal: bool


def region_groups(problem: Problem, region: frozenset[int]) -> dict[int, list[Group]]:
    """Connected groups by size lying wholly inside `region`."""
    if len(region) == problem.n_booths:
        return {k: problem.groups[k] for k in range(1, len(problem.groups))}
    found: dict[int, set[Group]] = defaultdict(set)
    # Grow from region booths only, so the cost follows the region, not the hall.
    level: set[Group] = {(b,) for b in region}
    found[1] = level
    for k in range(2, len(problem.groups)):
        grown: set[Group] = set()
        for g in level:
            for b in g:
                for n in problem.neighbours[b]:
                    if n in region and n not in g:
                        grown.add(tuple(sorted((*g, n))))
        found[k] = grown
        level = grown
    return {k: sorted(v) for k, v in found.items()}


def build_packing(problem: Problem, packing: Packing) -> PackingModel:
    """Placement columns, one-per-application, one-per-booth, province and penalty rows."""
    milp = Milp()
    region = packing.region
    inside = region_groups(problem, region) if packing.only is None else {}
    by_key: dict[tuple[int, frozenset[int]], list[Group]] = {}
    columns: list[tuple[int, Group]] = []
    touching: dict[int, list[int]] = defaultdict(list)
    cat = problem.category
    for app in packing.apps:
        if packing.only is not None:
            pool = [g for g in packing.only.get(app, ()) if region.issuperset(g)]
        else:
            key = (problem.size[app], problem.allowed[app])
            cached = by_key.get(key)
            if cached is None:
                zone, allowed = problem.zone, problem.allowed[app]
                cached = [g for g in inside.get(key[0], []) if all(zone[b] in allowed for b in g)]
                by_key[key] = cached
            pool = cached
        entries = []
        for g in pool:
            cost = problem.value(app, g) - problem.penalty * _boundary(problem, packing, app, g)
            col = milp.add_col(cost)
            columns.append((app, g))
            entries.append((col, 1.0))
            for b in g:
                touching[b].append(col)
        if entries:
            milp.add_row(entries, 0.0, 1.0)
    for b in sorted(touching):
        if len(touching[b]) > 1:
            milp.add_row([(c, 1.0) for c in touching[b]], 0.0, 1.0)
    if packing.residual is not None:
        _province_rows(problem, milp, columns, packing.residual)
    rows: list[list[int]] = []
    qcols: list[int] = []
    if problem.penalty > 0:
        for a, b in problem.edges:
            if a not in touching or b not in touching:
                continue
            per_cat: dict[int, set[int]] = defaultdict(set)
            for c in {*touching[a], *touching[b]}:
                per_cat[cat[columns[c][0]]].add(c)
            for cols in per_cat.values():
                if len({columns[c][0] for c in cols}) < 2:
                    continue
                # q >= (columns of one category touching the pair) - 1: one owner costs nothing.
                q = milp.add_col(-problem.penalty, integer=False)
                milp.add_row([(q, 1.0), *((c, -1.0) for c in sorted(cols))], -1.0, float("inf"))
                rows.append(sorted(cols))
                qcols.append(q)
    return PackingModel(milp, columns, rows, qcols)


def solve_packing(
    problem: Problem,
    packing: Packing,
    *,
    budget: Budget,
    seed: int = 0,
    exact: bool = False,
) -> PackingResult:
    """Solve the packing MILP from the packing's start; `exact` closes the gap completely."""
    model = build_packing(problem, packing)
    start = _start_vector(model, packing.start)
    integral = integral_data(problem)
    # With integral data any better solution beats the incumbent by 1, so a gap below 1 is closed.
    result = solve_milp(
        model.milp,
        budget=budget,
        seed=seed,
        start=start,
        abs_gap=0.99 if integral else 1e-6,
        rel_gap=0.0 if exact else 1e-4,
    )
    if result.values is None:
        return PackingResult(dict(packing.start), _start_value(model, start), result.bound, False)
    chosen = {
        model.columns[c][0]: model.columns[c][1] for c in range(len(model.columns)) if result.values[c] > 0.5
    }
    return PackingResult(chosen, result.objective, result.bound, result.optimal)


def integral_data(problem: Problem) -> bool:
    """Whether weights, bonuses and penalty are whole numbers (so objectives are too)."""
    numbers = [*problem.weight, problem.penalty, *(v for p in problem.prefs for v in p.values())]
    return all(float(v).is_integer() for v in numbers)


def _boundary(problem: Problem, packing: Packing, app: int, group: Group) -> int:
    """Adjacent pairs between the group and fixed booths outside held by the same category."""
    if not packing.outside:
        return 0
    cat = problem.category[app]
    count = 0
    for b in group:
        for n in problem.neighbours[b]:
            owner = packing.outside.get(n)
            if owner is not None and n not in packing.region and problem.category[owner] == cat:
                count += 1
    return count


def _province_rows(
    problem: Problem, milp: Milp, columns: list[tuple[int, Group]], residual: Mapping[int, int]
) -> None:
    demand: dict[int, dict[int, int]] = defaultdict(dict)
    entries: dict[int, list[tuple[int, float]]] = defaultdict(list)
    for col, (app, g) in enumerate(columns):
        p = problem.province[app]
        demand[p][app] = len(g)
        entries[p].append((col, float(len(g))))
    for p, sizes in demand.items():
        if sum(sizes.values()) > residual.get(p, 0):
            milp.add_row(entries[p], 0.0, float(residual.get(p, 0)))


def _start_vector(model: PackingModel, start: Mapping[int, Group]) -> list[float] | None:
    if not start:
        return None
    values = [0.0] * model.milp.n_cols
    wanted = {(app, g) for app, g in start.items()}
    for c, column in enumerate(model.columns):
        if column in wanted:
            values[c] = 1.0
    for cols, q in zip(model.penalty_rows, model.penalty_cols, strict=True):
        values[q] = max(0.0, sum(values[c] for c in cols) - 1.0)
    return values


def _start_value(model: PackingModel, start: list[float] | None) -> float:
    if start is None:
        return 0.0
    return sum(c * v for c, v in zip(model.milp.cost, start, strict=True))
