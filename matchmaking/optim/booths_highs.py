"""A small maximisation-MILP builder solved with HiGHS (highspy)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import highspy
import numpy as np
from scipy import sparse

from matchmaking.optim.budget import Budget
from matchmaking.optim.quiet import quiet_highs

INF = math.inf


@dataclass(slots=True)
class Milp:
    """Columns and rows of a maximisation problem, collected as sparse triplets."""

    cost: list[float] = field(default_factory=list)
    lower: list[float] = field(default_factory=list)
    upper: list[float] = field(default_factory=list)
    integer: list[bool] = field(default_factory=list)
    row_lower: list[float] = field(default_factory=list)
    row_upper: list[float] = field(default_factory=list)
    rows: list[int] = field(default_factory=list)
    cols: list[int] = field(default_factory=list)
    vals: list[float] = field(default_factory=list)

    @property
    def n_cols(self) -> int:
        """Number of columns."""
        return len(self.cost)

    def add_col(self, cost: float, lower: float = 0.0, upper: float = 1.0, *, integer: bool = True) -> int:
        """Add a column and return its index."""
        self.cost.append(cost)
        self.lower.append(lower)
        self.upper.append(upper)
        self.integer.append(integer)
        return len(self.cost) - 1

    def add_row(self, entries: Sequence[tuple[int, float]], lower: float, upper: float) -> int:
        """Add the row lower <= sum(coef * col) <= upper and return its index."""
        row = len(self.row_lower)
        self.row_lower.append(lower)
        self.row_upper.append(upper)
        for col, coef in entries:
            self.rows.append(row)
            self.cols.append(col)
            self.vals.append(coef)
        return row

    def matrix(self) -> sparse.csc_matrix:
        """The constraint matrix in compressed-column form."""
        shape = (len(self.row_lower), len(self.cost))
        return sparse.csc_matrix((self.vals, (self.rows, self.cols)), shape=shape)


@dataclass(frozen=True, slots=True)
class MilpResult:
    """Best solution found (None when none), its objective and HiGHS's proven upper bound."""

    values: list[float] | None
    objective: float
    bound: float
    optimal: bool


def solve_milp(
    milp: Milp,
    *,
    budget: Budget,
    seed: int = 0,
    start: Sequence[float] | None = None,
    abs_gap: float = 1e-6,
    rel_gap: float = 1e-4,
    relax: bool = False,
) -> MilpResult:
    """Maximise with HiGHS within the budget, optionally from a feasible start."""
    if milp.n_cols == 0:
        return MilpResult([], 0.0, 0.0, True)
    h = quiet_highs()
    for option, value in budget.highs_options().items():
        h.setOptionValue(option, value)
    h.setOptionValue("random_seed", int(seed))
    h.setOptionValue("mip_abs_gap", abs_gap)
    h.setOptionValue("mip_rel_gap", rel_gap)
    h.passModel(_lp(milp, relax=relax))
    if start is not None and not relax:
        sol = highspy.HighsSolution()
        sol.col_value = list(start)
        sol.value_valid = True
        h.setSolution(sol)
    h.run()
    status = h.getModelStatus()
    info = h.getInfo()
    has_solution = info.primal_solution_status == 2  # kSolutionStatusFeasible
    values = list(h.getSolution().col_value) if has_solution else None
    objective = float(info.objective_function_value) if has_solution else -INF
    if relax:
        optimal = status == highspy.HighsModelStatus.kOptimal
        bound = objective if optimal else INF
    else:
        optimal = status == highspy.HighsModelStatus.kOptimal
        bound = float(info.mip_dual_bound)
        if math.isnan(bound):
            bound = INF
    return MilpResult(values, objective, bound, optimal)


def _lp(milp: Milp, *, relax: bool) -> highspy.HighsLp:
    lp = highspy.HighsLp()
    a = milp.matrix()
    lp.num_col_ = milp.n_cols
    lp.num_row_ = len(milp.row_lower)
    lp.sense_ = highspy.ObjSense.kMaximize
    lp.col_cost_ = np.asarray(milp.cost, dtype=np.float64)
    lp.col_lower_ = np.asarray(milp.lower, dtype=np.float64)
    lp.col_upper_ = np.asarray(milp.upper, dtype=np.float64)
    lp.row_lower_ = np.asarray(milp.row_lower, dtype=np.float64)
    lp.row_upper_ = np.asarray(milp.row_upper, dtype=np.float64)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = a.indptr.astype(np.int32)
    lp.a_matrix_.index_ = a.indices.astype(np.int32)
    lp.a_matrix_.value_ = a.data.astype(np.float64)
    lp.a_matrix_.num_col_ = milp.n_cols
    lp.a_matrix_.num_row_ = len(milp.row_lower)
    if not relax:
        lp.integrality_ = [
            highspy.HighsVarType.kInteger if i else highspy.HighsVarType.kContinuous for i in milp.integer
        ]
    return lp
