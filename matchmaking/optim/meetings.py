"""B2B meeting scheduler: requested meetings into slots and tables (specs/meeting-scheduling.md)."""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from matchmaking.optim.budget import Budget
from matchmaking.optim.meetings_lp import (
    build_pair_model,
    build_slot_model,
    combinatorial_bound,
    integral_weights,
    lp_relaxation,
    round_bound,
    solve_milp,
)
from matchmaking.optim.meetings_model import MeetingInstance, parse_meeting_instance
from matchmaking.optim.meetings_search import improve

__all__ = ["MeetingInstance", "parse_meeting_instance", "schedule_meetings"]

# Above this many (request, slot) columns branch and bound rarely closes the gap in time;
# the local search and the LP bound carry the answer alone.
_EXACT_COLUMNS = 6000
_REL_TOL = 1e-6


def _objective(inst: MeetingInstance, slot_of: Sequence[int]) -> float:
    return float(sum(req.weight for req, s in zip(inst.requests, slot_of, strict=True) if s >= 0))


def _result(inst: MeetingInstance, slot_of: Sequence[int], bound: float, seconds: float) -> dict[str, Any]:
    value = _objective(inst, slot_of)
    optimal = _closed(value, bound)
    next_table = [1] * len(inst.slots)
    schedule: dict[str, dict[str, int]] = {}
    unscheduled: list[str] = []
    for req, s in zip(inst.requests, slot_of, strict=True):
        if s < 0:
            unscheduled.append(req.id)
            continue
        # Tables are interchangeable, so numbering them in request order within a slot is enough.
        schedule[req.id] = {"slot": s, "table": next_table[s]}
        next_table[s] += 1
    return {
        "schedule": schedule,
        "unscheduled": unscheduled,
        "objective": value,
        "bound": value if optimal else bound,
        "status": "optimal" if optimal else "feasible",
        "seconds": round(seconds, 3),
    }


def _closed(value: float, bound: float) -> bool:
    return value >= bound - _REL_TOL * max(1.0, abs(bound))


def schedule_meetings(
    instance: Mapping[str, Any],
    *,
    time_limit: float = 60.0,
    seed: int = 0,
    work_limit: int | None = None,
) -> dict[str, Any]:
    """Schedule meetings maximising held weight; return the spec's result with a proven bound.

    A `work_limit` (branch-and-bound nodes, search rounds) replaces the time limit and makes the
    answer independent of the machine's speed.
    """
    started = time.monotonic()
    budget = Budget.of(time_limit, work_limit)
    # Half the time for the first search leaves room for the slot LP and an exact or second pass.
    half = budget.part(0.5)
    inst = parse_meeting_instance(instance)
    n_req = len(inst.requests)
    integral = integral_weights(inst)
    bound = round_bound(combinatorial_bound(inst), integral)
    priority: Sequence[float] = [0.0] * n_req
    pair = lp_relaxation(build_pair_model(inst), n_req, budget.part(0.25))
    if pair is not None:
        bound = min(bound, round_bound(pair[0], integral))
        priority = np.asarray(pair[1]).tolist()
    slot_of, value = improve(inst, priority, seed=seed, budget=half, target=bound)
    if _closed(value, bound):
        return _result(inst, slot_of, bound, time.monotonic() - started)
    model = build_slot_model(inst)
    relaxed = lp_relaxation(model, n_req, budget.part(0.6))
    if relaxed is not None:
        bound = min(bound, round_bound(relaxed[0], integral))
    if not _closed(value, bound) and not budget.expired(reserve=0.05):
        if len(model.weight) <= _EXACT_COLUMNS:
            exact = solve_milp(model, n_req, budget)
            if exact.slot_of is not None and _objective(inst, exact.slot_of) > value:
                slot_of, value = exact.slot_of, _objective(inst, exact.slot_of)
            bound = min(bound, round_bound(exact.bound, integral))
        else:
            if relaxed is not None:
                priority = np.asarray(relaxed[1]).tolist()
            slot_of, value = improve(
                inst, priority, seed=seed + 1, budget=budget, target=bound, start=slot_of
            )
    return _result(inst, slot_of, bound, time.monotonic() - started)
