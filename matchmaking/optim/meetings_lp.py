"""The slot-assignment MILP (x[r, s] binary), its LP relaxation bound and an exact HiGHS solve."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import Bounds, LinearConstraint, linprog, milp
from scipy.sparse import csr_matrix

from matchmaking.optim.budget import Budget
from matchmaking.optim.meetings_model import MeetingInstance

# HiGHS reports objectives to ~1e-7 relative; a bound must not be cut below the true optimum.
_TOL = 1e-6


@dataclass(frozen=True, slots=True)
class PackingModel:
    """Columns x[r, s] (request, slot; slot -1 in the pair model) and rows `A x <= ub`, x in [0, 1]."""

    col_request: NDArray[np.int64]
    col_slot: NDArray[np.int64]
    weight: NDArray[np.float64]
    matrix: csr_matrix
    upper: NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class MilpOutcome:
    """An exact or time-limited MILP solve: slot per request (-1 unscheduled) and a proven bound."""

    slot_of: list[int] | None
    bound: float
    optimal: bool


def build_slot_model(inst: MeetingInstance) -> PackingModel:
    """One column per (request, slot) both sides can attend; rows for every spec constraint."""
    n_slots = len(inst.slots)
    caps = [inst.capacity(p) for p in range(len(inst.participants))]
    avail = [set(inst.available_slots(p)) for p in range(len(inst.participants))]
    cols_r: list[int] = []
    cols_s: list[int] = []
    for r, req in enumerate(inst.requests):
        if caps[req.a] == 0 or caps[req.b] == 0:
            continue
        for s in sorted(avail[req.a] & avail[req.b]):
            cols_r.append(r)
            cols_s.append(s)
    col_r = np.asarray(cols_r, dtype=np.int64)
    col_s = np.asarray(cols_s, dtype=np.int64)
    a = np.asarray([req.a for req in inst.requests], dtype=np.int64)[col_r] if cols_r else col_r
    b = np.asarray([req.b for req in inst.requests], dtype=np.int64)[col_r] if cols_r else col_r
    n_req, n_part = len(inst.requests), len(inst.participants)
    # Row blocks: requests | (participant, slot) | participant limits | slots.
    rows_ps = n_req + a * n_slots + col_s
    rows_pb = n_req + b * n_slots + col_s
    base_cap = n_req + n_part * n_slots
    limited = [p for p in range(n_part) if inst.participants[p].max_meetings is not None]
    cap_row = np.full(n_part, -1, dtype=np.int64)
    cap_row[limited] = base_cap + np.arange(len(limited))
    base_slot = base_cap + len(limited)
    n_rows = base_slot + n_slots
    cols = np.arange(len(cols_r), dtype=np.int64)
    row_parts = [col_r, rows_ps, rows_pb, base_slot + col_s]
    col_parts = [cols, cols, cols, cols]
    for ends in (a, b):
        has = cap_row[ends] >= 0
        row_parts.append(cap_row[ends][has])
        col_parts.append(cols[has])
    rows = np.concatenate(row_parts)
    data = np.ones(len(rows))
    matrix = csr_matrix((data, (rows, np.concatenate(col_parts))), shape=(n_rows, len(cols_r)))
    upper = np.ones(n_rows)
    upper[base_cap:base_slot] = [caps[p] for p in limited]
    upper[base_slot:] = inst.tables
    weight = np.asarray([inst.requests[r].weight for r in cols_r], dtype=np.float64)
    return PackingModel(col_r, col_s, weight, matrix, upper)


def build_pair_model(inst: MeetingInstance) -> PackingModel:
    """One column per request with slots aggregated away: participant capacities and tables * slots."""
    # A relaxation of the slot model solved in milliseconds, and as tight on buyer/exhibitor
    # instances unless unavailability crowds demand into a few slots; its vertices are then
    # integral (bipartite incidence), a selection the local search only has to colour.
    caps = [inst.capacity(p) for p in range(len(inst.participants))]
    avail = [set(inst.available_slots(p)) for p in range(len(inst.participants))]
    usable = [
        r
        for r, req in enumerate(inst.requests)
        if caps[req.a] and caps[req.b] and avail[req.a] & avail[req.b]
    ]
    col_r = np.asarray(usable, dtype=np.int64)
    cols = np.arange(len(usable), dtype=np.int64)
    n_part = len(inst.participants)
    a = np.asarray([inst.requests[r].a for r in usable], dtype=np.int64)
    b = np.asarray([inst.requests[r].b for r in usable], dtype=np.int64)
    rows = np.concatenate([a, b, np.full(len(usable), n_part, dtype=np.int64)])
    matrix = csr_matrix(
        (np.ones(len(rows)), (rows, np.concatenate([cols, cols, cols]))), shape=(n_part + 1, len(usable))
    )
    upper = np.asarray([*caps, inst.tables * len(inst.slots)], dtype=np.float64)
    weight = np.asarray([inst.requests[r].weight for r in usable], dtype=np.float64)
    return PackingModel(col_r, np.full(len(usable), -1, dtype=np.int64), weight, matrix, upper)


def integral_weights(inst: MeetingInstance) -> bool:
    """Whether every weight is a whole number, so any bound may be rounded down."""
    return all(float(req.weight).is_integer() for req in inst.requests)


def round_bound(value: float, integral: bool) -> float:
    """Turn a solver's relaxation value into a safe bound (floored when weights are whole)."""
    if integral:
        return float(math.floor(value + _TOL * max(1.0, abs(value))))
    return value + _TOL * max(1.0, abs(value))


def combinatorial_bound(inst: MeetingInstance) -> float:
    """Cheap bound: best weights within tables*slots, and within half the participants' capacities."""
    caps = [inst.capacity(p) for p in range(len(inst.participants))]
    usable = sorted(
        (
            req.weight
            for req in inst.requests
            if caps[req.a]
            and caps[req.b]
            and set(inst.available_slots(req.a)) & set(inst.available_slots(req.b))
        ),
        reverse=True,
    )
    by_table = sum(usable[: inst.tables * len(inst.slots)])
    per_person: list[list[float]] = [[] for _ in inst.participants]
    for req in inst.requests:
        per_person[req.a].append(req.weight)
        per_person[req.b].append(req.weight)
    # Each meeting is counted at both participants, hence the half.
    by_person = 0.5 * sum(sum(sorted(ws, reverse=True)[: caps[p]]) for p, ws in enumerate(per_person))
    return min(sum(usable), by_table, by_person)


def _options(budget: Budget, floor: float) -> dict[str, float | int]:
    """scipy's HiGHS options for the budget: a time limit, or a node limit and no clock."""
    if budget.work is not None:
        return {"node_limit": budget.work}
    return {"time_limit": max(budget.seconds_left(), floor)}


def lp_relaxation(
    model: PackingModel, n_requests: int, budget: Budget
) -> tuple[float, NDArray[np.float64]] | None:
    """Certified LP bound of a model and each request's LP value; None if not solved in time."""
    if len(model.weight) == 0:
        return 0.0, np.zeros(n_requests)
    # Interior point: dual simplex stalls for minutes on the slot symmetry of the slot model.
    res = linprog(
        -model.weight,
        A_ub=model.matrix,
        b_ub=model.upper,
        bounds=(0.0, 1.0),
        method="highs-ipm",
        options={k: v for k, v in _options(budget, 0.1).items() if k != "node_limit"},
    )
    if res.status != 0 or res.x is None:
        return None
    # Any duals u >= 0 give the bound u.ub + sum(max(0, w - A^T u)) by weak duality, so the
    # bound does not rest on the solver's optimality tolerances.
    duals = np.maximum(-np.asarray(res.ineqlin.marginals, dtype=np.float64), 0.0)
    slack = np.maximum(model.weight - model.matrix.T @ duals, 0.0)
    held = np.zeros(n_requests)
    np.add.at(held, model.col_request, np.clip(res.x, 0.0, 1.0))
    return float(duals @ model.upper + slack.sum()), held


def solve_milp(model: PackingModel, n_requests: int, budget: Budget) -> MilpOutcome:
    """Solve the slot model with HiGHS branch and bound within the budget."""
    if len(model.weight) == 0:
        return MilpOutcome([-1] * n_requests, 0.0, True)
    res = milp(
        -model.weight,
        constraints=LinearConstraint(model.matrix, -np.inf, model.upper),
        integrality=np.ones(len(model.weight)),
        bounds=Bounds(0.0, 1.0),
        options={**_options(budget, 0.1), "disp": False, "mip_rel_gap": 0.0},
    )
    dual = getattr(res, "mip_dual_bound", None)
    bound = math.inf if dual is None or not math.isfinite(dual) else float(-dual)
    if res.x is None:
        return MilpOutcome(None, bound, False)
    slot_of = [-1] * n_requests
    for k in np.flatnonzero(res.x > 0.5):
        slot_of[int(model.col_request[k])] = int(model.col_slot[k])
    optimal = res.status == 0
    if optimal:
        bound = min(bound, float(-res.fun))
    return MilpOutcome(slot_of, bound, optimal)
