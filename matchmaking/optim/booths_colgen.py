"""LP relaxation of the placement model by column generation, with a Lagrangian bound each round."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import highspy
import numpy as np
import numpy.typing as npt

from matchmaking.optim.booths_core import Group, Problem
from matchmaking.optim.budget import Budget
from matchmaking.optim.quiet import quiet_highs

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
TOLERANCE = 1e-6


@dataclass(frozen=True, slots=True)
class LpResult:
    """Proven bound, the LP value of each generated (application, group) and whether it converged."""

    bound: float
    values: dict[tuple[int, Group], float]
    converged: bool


class _Columns:
    """Every placement of every application as flat arrays, grouped by application."""

    def __init__(self, problem: Problem) -> None:
        apps: list[int] = []
        booths: list[Group] = []
        values: list[float] = []
        for app in range(problem.n_apps):
            pool = problem.placements(app)
            apps.extend([app] * len(pool))
            booths.extend(pool)
            if problem.prefs[app]:
                values.extend(problem.value(app, g) for g in pool)
            else:
                values.extend([problem.weight[app]] * len(pool))
        pad = problem.n_booths  # a phantom booth whose dual is always 0
        self.groups = booths
        self.app: IntArray = np.asarray(apps, dtype=np.int64)
        self.value: FloatArray = np.asarray(values, dtype=np.float64)
        self.size: FloatArray = np.asarray([len(g) for g in booths], dtype=np.float64)
        self.booths: IntArray = np.full((len(booths), 4), pad, dtype=np.int64)
        for i, g in enumerate(booths):
            self.booths[i, : len(g)] = g
        self.province: IntArray = np.asarray(problem.province, dtype=np.int64)[self.app] if apps else self.app
        self.apps_present: IntArray = np.unique(self.app)
        self.starts: IntArray = np.searchsorted(self.app, self.apps_present)

    def __len__(self) -> int:
        return len(self.groups)

    def best_per_app(self, score: FloatArray) -> tuple[FloatArray, IntArray]:
        """Highest score of each present application and the column reaching it."""
        best = np.maximum.reduceat(score, self.starts)
        hit = score >= best[np.searchsorted(self.apps_present, self.app)]
        _, first = np.unique(self.app[hit], return_index=True)
        return best, np.flatnonzero(hit)[first]


def lp_bound(
    problem: Problem,
    *,
    budget: Budget,
    start: Mapping[int, Group],
) -> LpResult:
    """Column generation on the placement LP without penalties (they only lower the objective).

    For any booth and province prices v, pi >= 0 the Lagrangian value
    sum(v) + cap * sum(pi) + sum over applications of max(0, best priced placement)
    bounds the objective, so the bound stays proven even if the budget runs out before convergence.
    """
    cols = _Columns(problem)
    if len(cols) == 0:
        return LpResult(0.0, {}, True)
    n_apps, n_booths = problem.n_apps, problem.n_booths
    limit = problem.province_limit
    n_prov = max(problem.province) + 1
    h = _master(n_apps, n_booths, n_prov if limit is not None else 0, limit)
    in_master: dict[int, int] = {}
    # Columns of one application are contiguous and in `problem.placements` order.
    seed_cols = [
        int(cols.starts[np.searchsorted(cols.apps_present, a)]) + problem.placements(a).index(g)
        for a, g in start.items()
    ]
    _, best_cols = cols.best_per_app(cols.value)
    _add(h, cols, [*seed_cols, *best_cols.tolist()], in_master, n_apps, n_booths, limit is not None)
    bound = float(np.sum(np.maximum(cols.best_per_app(cols.value)[0], 0.0)))
    converged = False
    rounds = 0
    while not budget.spent(rounds):
        rounds += 1
        for option, value in budget.highs_options().items():
            h.setOptionValue(option, value)
        h.run()
        if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            break
        dual = np.maximum(np.asarray(h.getSolution().row_dual, dtype=np.float64), 0.0)
        u = dual[:n_apps]
        v = np.append(dual[n_apps : n_apps + n_booths], 0.0)
        pi = dual[n_apps + n_booths :] if limit is not None else np.zeros(n_prov)
        priced = cols.value - v[cols.booths].sum(axis=1) - cols.size * pi[cols.province]
        best, best_col = cols.best_per_app(priced)
        lagrangian = float(v.sum() + (limit or 0) * pi.sum() + np.maximum(best, 0.0).sum())
        bound = min(bound, lagrangian)
        reduced = best - u[cols.apps_present]
        new = [
            int(c)
            for c, r in zip(best_col, reduced, strict=True)
            if r > TOLERANCE and int(c) not in in_master
        ]
        if not new:
            converged = True
            bound = min(bound, float(h.getInfo().objective_function_value))
            break
        _add(h, cols, new, in_master, n_apps, n_booths, limit is not None)
    values: dict[tuple[int, Group], float] = {}
    if h.getModelStatus() == highspy.HighsModelStatus.kOptimal:
        x = h.getSolution().col_value
        for c, j in in_master.items():
            values[(int(cols.app[c]), cols.groups[c])] = float(x[j])
    else:
        values = {(int(cols.app[c]), cols.groups[c]): 0.0 for c in in_master}
    return LpResult(bound, values, converged)


def _master(n_apps: int, n_booths: int, n_prov: int, limit: int | None) -> highspy.Highs:
    """Empty master LP: one row per application, booth and (capped) province."""
    h = quiet_highs()
    h.changeObjectiveSense(highspy.ObjSense.kMaximize)
    inf = highspy.kHighsInf
    n_rows = n_apps + n_booths + n_prov
    upper = np.concatenate([np.ones(n_apps + n_booths), np.full(n_prov, float(limit or 0))])
    empty = np.zeros(n_rows, dtype=np.int32)
    h.addRows(n_rows, np.full(n_rows, -inf), upper, 0, empty, np.zeros(0, dtype=np.int32), np.zeros(0))
    return h


def _add(
    h: highspy.Highs,
    cols: _Columns,
    new: list[int],
    in_master: dict[int, int],
    n_apps: int,
    n_booths: int,
    capped: bool,
) -> None:
    fresh = [c for c in dict.fromkeys(new) if c not in in_master]
    if not fresh:
        return
    starts: list[int] = []
    index: list[int] = []
    value: list[float] = []
    for c in fresh:
        starts.append(len(index))
        g = cols.groups[c]
        index.append(int(cols.app[c]))
        value.append(1.0)
        for b in g:
            index.append(n_apps + b)
            value.append(1.0)
        if capped:
            index.append(n_apps + n_booths + int(cols.province[c]))
            value.append(float(len(g)))
    base = h.getNumCol()
    h.addCols(
        len(fresh),
        cols.value[fresh],
        np.zeros(len(fresh)),
        np.ones(len(fresh)),
        len(index),
        np.asarray(starts, dtype=np.int32),
        np.asarray(index, dtype=np.int32),
        np.asarray(value, dtype=np.float64),
    )
    for k, c in enumerate(fresh):
        in_master[c] = base + k
