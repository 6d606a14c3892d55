"""Covering demands from products' monthly capacity: pure, plain data in, shares out.

Demands are served oldest first (the lower id was posted first): each takes what it needs from
the capacity the older demands left, so a demand posted later never takes capacity promised to an
earlier one, and no product is promised more than one month of its output across all of them.
A demand takes the best-scoring product that covers it alone if there is one (one share, the
whole quantity); else the best split, a mixed-integer programme over its options: variables
x[p] are quantities in the product's unit, the total at most the demand's quantity, each at most
what is left of the product's capacity, each either zero or at least the product's minimum
order, maximising the sum of (COVERAGE + score) x quantity (quantities in the base unit of their
family: grams, millilitres, or the count unit itself), so as much as possible is covered and, among
such splits, by the best-scoring producers. Shares are rounded down to 0,001 of a unit; what
remains uncovered is the shortfall, reported and never invented.

What a demand may draw on is one month of a product's output, whether it is one-off or monthly:
a monthly demand needs its quantity every month; a one-off demand is delivered in one lot, which
one month's output must make (output is not stockpiled over months: OCOP goods are often fresh
and their producers small). A one-off demand of 3 tấn is therefore not covered by a producer of
2 tấn a month even when it is needed in a year.

Demands only connect through products they share, so the plan splits into independent
components (`components`): an incremental run re-plans only the components that hold a changed
demand and gets the answer a joint plan would.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_array

from matchmaking import units

COVERAGE = 10.0  # worth of a unit covered, beside its score (0-1): coverage first, then score
TIME_LIMIT = 20.0  # seconds per component; HiGHS returns its best plan if it runs out
STEP = 0.001  # shares are in thousandths of a unit


def floor3(value: float) -> float:
    return math.floor(value * 1000 + 1e-6) / 1000


def ceil3(value: float) -> float:
    return math.ceil(value * 1000 - 1e-6) / 1000


def _base(supply: SupplyIn) -> float:
    found = units.measure(supply.unit, supply.net)
    return float(found[1]) if found else 1.0


@dataclass(frozen=True)
class NeedIn:
    """A demand to cover: its quantity in its own unit. Lower ids were posted first."""

    id: int
    quantity: float
    unit: str


@dataclass(frozen=True)
class SupplyIn:
    """A product that may take part: one month's output and its minimum order, in its unit."""

    id: int
    unit: str
    capacity: float
    min_order: float = 1
    net: units.Net | None = None  # a container's content, so it converts


@dataclass(frozen=True)
class OptionIn:
    """Product `product_id` may supply demand `demand_id`; `score` is the match score."""

    demand_id: int
    product_id: int
    score: float


@dataclass(frozen=True)
class ShareOut:
    demand_id: int
    product_id: int
    quantity: float  # in the product's unit, three decimals at most
    score: float


@dataclass
class SourcingPlan:
    """Shares per demand, and each demand's uncovered quantity in its own unit."""

    shares: dict[int, list[ShareOut]] = field(default_factory=dict)
    shortfall: dict[int, float] = field(default_factory=dict)
    optimal: bool = True


def _usable(options: Iterable[OptionIn], needs: dict[int, NeedIn],
            supplies: dict[int, SupplyIn]) -> list[tuple[OptionIn, float, float]]:
    """Options whose units convert and whose minimum order fits: (option, factor, upper bound)."""
    usable = []
    for option in options:
        need, supply = needs.get(option.demand_id), supplies.get(option.product_id)
        if need is None or supply is None or option.score <= 0:
            continue
        factor = units.factor(supply.unit, need.unit, from_net=supply.net)  # demand units per one
        if factor is None:
            continue
        upper = min(float(supply.capacity), floor3(need.quantity / factor))
        if upper >= max(STEP, supply.min_order):
            usable.append((option, factor, upper))
    return sorted(usable, key=lambda u: (u[0].demand_id, u[0].product_id))


def components(options: Sequence[OptionIn]) -> list[list[OptionIn]]:
    """The options grouped by connected demands and products, each group sorted, in a stable order."""
    parent: dict[tuple[str, int], tuple[str, int]] = {}

    def find(node: tuple[str, int]) -> tuple[str, int]:
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for option in options:
        a, b = find(("d", option.demand_id)), find(("p", option.product_id))
        if a != b:
            parent[max(a, b)] = min(a, b)
    groups: dict[tuple[str, int], list[OptionIn]] = defaultdict(list)
    for option in options:
        groups[find(("d", option.demand_id))].append(option)
    ordered = [sorted(g, key=lambda o: (o.demand_id, o.product_id)) for g in groups.values()]
    return sorted(ordered, key=lambda g: (g[0].demand_id, g[0].product_id))


def _solve(usable: list[tuple[OptionIn, float, float]], needs: dict[int, NeedIn],
           supplies: dict[int, SupplyIn]) -> tuple[list[float], bool]:
    n = len(usable)
    demand_rows = {d: i for i, d in enumerate(sorted({u[0].demand_id for u in usable}))}
    product_rows = {p: i for i, p in enumerate(sorted({u[0].product_id for u in usable}))}
    binaries = [j for j, (o, _, _) in enumerate(usable) if supplies[o.product_id].min_order > STEP]
    size = n + len(binaries)
    scale = max(_base(supplies[o.product_id]) * up for o, _, up in usable)
    cost = np.zeros(size)
    rows, cols, vals, lower, upper = [], [], [], [], []

    def add(row: int, col: int, value: float) -> None:
        rows.append(row)
        cols.append(col)
        vals.append(value)

    for j, (option, factor, _) in enumerate(usable):
        value = COVERAGE + option.score
        cost[j] = -value * _base(supplies[option.product_id]) / scale
        add(demand_rows[option.demand_id], j, factor)
        add(len(demand_rows) + product_rows[option.product_id], j, 1.0)
    for d in demand_rows:
        lower.append(-np.inf)
        upper.append(float(needs[d].quantity))
    for p in product_rows:
        lower.append(-np.inf)
        upper.append(float(supplies[p].capacity))
    row = len(lower)
    for k, j in enumerate(binaries):
        option, _, up = usable[j]
        y = n + k
        add(row, j, 1.0)  # x - up*y <= 0
        add(row, y, -up)
        lower.append(-np.inf)
        upper.append(0.0)
        add(row + 1, j, 1.0)  # x - min_order*y >= 0
        add(row + 1, y, -float(supplies[option.product_id].min_order))
        lower.append(0.0)
        upper.append(np.inf)
        row += 2
    matrix = coo_array((vals, (rows, cols)), shape=(row, size)).tocsr()
    integrality = np.zeros(size)
    integrality[n:] = 1
    bounds = Bounds(np.zeros(size), np.array([u for _, _, u in usable] + [1.0] * len(binaries)))
    result = milp(cost, constraints=LinearConstraint(matrix, lower, upper), integrality=integrality,
                  bounds=bounds, options={"time_limit": TIME_LIMIT, "mip_rel_gap": 1e-6})
    if result.x is None:
        return [0.0] * n, False
    return [float(v) for v in result.x[:n]], bool(result.status == 0)


def _alone(usable: list[tuple[OptionIn, float, float]], need: NeedIn,
           supplies: dict[int, SupplyIn]) -> tuple[OptionIn, float, float] | None:
    """The best-scoring option that covers the whole need alone, with its quantity."""
    for option, factor, upper in sorted(usable, key=lambda u: (-u[0].score, u[0].product_id)):
        amount = ceil3(need.quantity / factor)
        if amount <= upper + 1e-9 and amount <= supplies[option.product_id].capacity + 1e-9:
            return option, factor, amount
    return None


def plan_sourcing(needs: Sequence[NeedIn], supplies: Sequence[SupplyIn],
                  options: Sequence[OptionIn]) -> SourcingPlan:
    """Cover every demand from its options, oldest first, within each product's monthly capacity.

    Each demand in turn (lowest id first) takes what it needs from the capacity the older ones
    left: the best-scoring product that covers it alone, else the best split (a consortium).
    """
    need_by_id = {n.id: n for n in needs}
    left = {s.id: s for s in supplies}
    plan = SourcingPlan(shares={n.id: [] for n in needs},
                        shortfall={n.id: float(n.quantity) for n in needs})
    by_demand: dict[int, list[OptionIn]] = defaultdict(list)
    for option in options:
        by_demand[option.demand_id].append(option)
    for demand_id in sorted(set(by_demand) & set(need_by_id)):
        need = need_by_id[demand_id]
        usable = _usable(by_demand[demand_id], {demand_id: need}, left)
        alone = _alone(usable, need, left)
        if alone is not None:
            taken = [(alone[0], alone[1], alone[2])]
        else:
            amounts, optimal = _solve(usable, {demand_id: need}, left) if usable else ([], True)
            plan.optimal = plan.optimal and optimal
            taken = [(o, f, floor3(a)) for (o, f, _), a in zip(usable, amounts, strict=True)]
        for option, factor, quantity in taken:
            supply = left[option.product_id]
            if quantity <= 0 or quantity < supply.min_order - 1e-9:
                continue
            plan.shares[demand_id].append(ShareOut(demand_id, option.product_id, quantity, option.score))
            plan.shortfall[demand_id] -= quantity * factor
            left[option.product_id] = replace(supply, capacity=max(0.0, supply.capacity - quantity))
    for demand_id, remaining in plan.shortfall.items():
        plan.shortfall[demand_id] = max(0.0, round(remaining, 6))
        plan.shares[demand_id].sort(key=lambda s: (-s.quantity, s.product_id))
    return plan
