"""Consortium sourcing: when no single product covers a demand, split it across several.

The core (`plan_sourcing`) is pure: one mixed-integer programme over every demand given, so no
product is promised more than one month of its output across all of them. Variables x[d,p] are
quantities in the product's unit; each demand row keeps the total at or below the demand's
quantity, each product row at or below its monthly capacity, and a share is either zero or at least
the product's minimum order. The objective maximises the sum of (COVERAGE + score) x quantity
(quantities in the base unit of their family: grams, litres, or the count unit itself): as much of
the demands covered as the capacities allow, and among such plans the best-scoring producers.
Shares are rounded down to whole units; what remains uncovered is the shortfall, reported and never invented.

Demands only connect through products they share, so the programme splits into independent
components (`components`), solved one by one: an incremental run re-solves only the components that
hold a changed demand and gets the answer a joint solve would.

The database side (`update_sourcing`) takes the stored matches of the demand's own sub-group (group
component 1): a demand needs a consortium when none of them can cover its quantity alone (every
`capacity` component below 1), and they are its options. It replaces the demand's SourcingShare
rows in one transaction.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_array
from tortoise.transactions import in_transaction

from matchmaking.demands.scoring import unit_factor
from matchmaking.enums import DemandStatus
from matchmaking.models import Demand, Match, Product, SourcingShare

_BASE = {"g": 1.0, "kg": 1_000.0, "tấn": 1_000_000.0, "lít": 1.0}
COVERAGE = 10.0  # worth of a unit covered, beside its score (0-1): coverage first, then score
TIME_LIMIT = 20.0  # seconds per component; HiGHS returns its best plan if it runs out


@dataclass(frozen=True)
class NeedIn:
    """A demand to split: its quantity in its own unit."""

    id: int
    quantity: int
    unit: str


@dataclass(frozen=True)
class SupplyIn:
    """A product that may take part: one month's output and its minimum order, in its unit."""

    id: int
    unit: str
    capacity: int
    min_order: int = 1


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
    quantity: int  # in the product's unit
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
        factor = unit_factor(supply.unit, need.unit)  # demand units per product unit
        if factor is None:
            continue
        upper = min(float(supply.capacity), math.floor(need.quantity / factor + 1e-9))
        if upper >= max(1, supply.min_order):
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
    binaries = [j for j, (o, _, _) in enumerate(usable) if supplies[o.product_id].min_order > 1]
    size = n + len(binaries)
    scale = max(_BASE.get(supplies[o.product_id].unit, 1.0) * up for o, _, up in usable)
    cost = np.zeros(size)
    rows, cols, vals, lower, upper = [], [], [], [], []

    def add(row: int, col: int, value: float) -> None:
        rows.append(row)
        cols.append(col)
        vals.append(value)

    for j, (option, factor, _) in enumerate(usable):
        value = COVERAGE + option.score
        cost[j] = -value * _BASE.get(supplies[option.product_id].unit, 1.0) / scale
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


def plan_sourcing(needs: Sequence[NeedIn], supplies: Sequence[SupplyIn],
                  options: Sequence[OptionIn]) -> SourcingPlan:
    """Split every demand across its options, jointly within each product's monthly capacity."""
    need_by_id = {n.id: n for n in needs}
    supply_by_id = {s.id: s for s in supplies}
    plan = SourcingPlan(shares={n.id: [] for n in needs},
                        shortfall={n.id: float(n.quantity) for n in needs})
    usable = _usable(options, need_by_id, supply_by_id)
    for group in components([u[0] for u in usable]):
        keys = {(o.demand_id, o.product_id) for o in group}
        part = [u for u in usable if (u[0].demand_id, u[0].product_id) in keys]
        amounts, optimal = _solve(part, need_by_id, supply_by_id)
        plan.optimal = plan.optimal and optimal
        for (option, factor, _), amount in zip(part, amounts, strict=True):
            quantity = math.floor(amount + 1e-6)
            supply = supply_by_id[option.product_id]
            if quantity <= 0 or quantity < supply.min_order:
                continue
            plan.shares[option.demand_id].append(
                ShareOut(option.demand_id, option.product_id, quantity, option.score))
            plan.shortfall[option.demand_id] -= quantity * factor
    for demand_id, left in plan.shortfall.items():
        plan.shortfall[demand_id] = max(0.0, round(left, 6))
        plan.shares[demand_id].sort(key=lambda s: (-s.quantity, s.product_id))
    return plan


# -- the database side -----------------------------------------------------------------------------


@dataclass
class SourcingReport:
    demands: int = 0  # consortium demands solved
    shares_written: int = 0
    demands_changed: int = 0


async def id_set(query: Any) -> set[int]:
    """The values a flat `values_list` query returns, as a set of ints."""
    return {int(value) for value in await query}


def needs_consortium(capacities: Iterable[float]) -> bool:
    """Whether no single match covers the demand: every `capacity` component below 1."""
    return all(value < 1.0 for value in capacities)


async def _matches_of(demand_ids: Iterable[int]) -> dict[int, list[dict[str, object]]]:
    found: dict[int, list[dict[str, object]]] = defaultdict(list)
    ids = sorted(set(demand_ids))
    for start in range(0, len(ids), 5_000):
        chunk = ids[start:start + 5_000]
        rows = await Match.filter(demand_id__in=chunk).values(
            "demand_id", "product_id", "score", "components")
        for row in rows:
            if fits(row):
                found[int(row["demand_id"])].append(row)
    return found


def fits(row: dict[str, object]) -> bool:
    """Whether a stored match is the kind of product the demand asks for (its sub-group), so it
    may take part in a consortium: a coffee does not make up for missing tea."""
    components = row["components"]
    return isinstance(components, dict) and components.get("group") == 1.0


def _capacity_of(row: dict[str, object]) -> float:
    components = row["components"]
    value = components.get("capacity", 0.0) if isinstance(components, dict) else 0.0
    return float(value) if isinstance(value, int | float) else 0.0


async def _consortium_closure(seeds: set[int], known: dict[int, list[dict[str, object]]], *,
                              complete: bool = False,
                              ) -> tuple[set[int], dict[int, list[dict[str, object]]]]:
    """Consortium demands reachable from `seeds` through shared products, with their matches.

    `known` holds demands' current matches already in memory; `complete` says the seeds hold
    every demand with matches: nothing more to reach.
    """
    matches = {d: [row for row in rows if fits(row)] for d, rows in known.items() if d in seeds}
    matches.update(await _matches_of(seeds - set(matches)))
    for demand_id in seeds:
        matches.setdefault(demand_id, [])
    members = {d for d in seeds if matches[d] and needs_consortium(map(_capacity_of, matches[d]))}
    frontier = set() if complete else set(members)
    seen_products: set[int] = set()
    while frontier:
        products = {int(str(r["product_id"])) for d in frontier for r in matches[d]} - seen_products
        seen_products |= products
        if not products:
            break
        linked: set[int] = set()
        product_list = sorted(products)
        for start in range(0, len(product_list), 5_000):
            chunk = product_list[start:start + 5_000]
            linked |= await id_set(Match.filter(product_id__in=chunk).values_list("demand_id", flat=True))
        new = linked - set(matches)
        matches.update(await _matches_of(new))
        frontier = {d for d in new if needs_consortium(map(_capacity_of, matches.get(d, [])))}
        members |= frontier
    return members, matches


async def update_sourcing(changed: set[int] | None, *, today: date,
                          known: dict[int, list[dict[str, object]]] | None = None) -> SourcingReport:
    """Re-plan consortia touching the `changed` demands (None: every open demand).

    `known` may give demands' stored matches (demand_id, product_id, score, components) the
    caller holds already, to spare reading them again.

    Side effects: replaces the SourcingShare rows of each re-planned demand whose plan changed,
    one transaction per demand; deletes the shares of demands that no longer need a consortium.
    """
    complete = changed is None
    if changed is None:
        changed = await id_set(Demand.filter(status=DemandStatus.OPEN, valid_until__gte=today)
                      .values_list("id", flat=True))
        changed |= await id_set(SourcingShare.all().distinct().values_list("demand_id", flat=True))
    report = SourcingReport()
    if not changed:
        return report
    members, matches = await _consortium_closure(changed, known or {}, complete=complete)
    demands = {
        row["id"]: NeedIn(row["id"], row["quantity"], row["unit"])
        for row in await Demand.filter(id__in=sorted(members)).values("id", "quantity", "unit")
    }
    product_ids = sorted({int(str(r["product_id"])) for d in members for r in matches[d]})
    supplies = [
        SupplyIn(row["id"], row["unit"], row["monthly_capacity"], row["min_order"])
        for start in range(0, len(product_ids), 5_000)
        for row in await Product.filter(id__in=product_ids[start:start + 5_000])
        .values("id", "unit", "monthly_capacity", "min_order")
    ]
    options = [
        OptionIn(d, int(str(r["product_id"])), float(str(r["score"])))
        for d in sorted(members) for r in matches[d]
    ]
    plan = plan_sourcing(list(demands.values()), supplies, options)
    report.demands = len(demands)
    touched = sorted(changed | members)
    existing: dict[int, set[tuple[int, int, float]]] = defaultdict(set)
    for start in range(0, len(touched), 5_000):
        for row in await SourcingShare.filter(demand_id__in=touched[start:start + 5_000]).values(
            "demand_id", "product_id", "quantity", "score"
        ):
            existing[row["demand_id"]].add((row["product_id"], row["quantity"], round(row["score"], 4)))
    for demand_id in touched:
        wanted = {(s.product_id, s.quantity, round(s.score, 4)) for s in plan.shares.get(demand_id, [])}
        if wanted == existing.get(demand_id, set()):
            continue
        async with in_transaction():
            await SourcingShare.filter(demand_id=demand_id).delete()
            await SourcingShare.bulk_create([
                SourcingShare(demand_id=demand_id, product_id=p, quantity=q, score=s)
                for p, q, s in sorted(wanted)
            ])
        report.shares_written += len(wanted)
        report.demands_changed += 1
    return report


# -- reading ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ShareView:
    product_id: int
    producer_id: int
    quantity: int  # in `unit`, the product's unit
    unit: str
    score: float


@dataclass(frozen=True)
class SourcingView:
    """A demand's consortium: the shares, how much they cover and what is still missing."""

    demand_id: int
    quantity: int
    unit: str
    consortium: bool  # False when one matched product covers the demand alone (or none matches)
    shares: list[ShareView]
    covered: float  # in the demand's unit
    shortfall: float  # in the demand's unit


async def demand_sourcing(demand: Demand) -> SourcingView:
    """The stored consortium plan of `demand`."""
    capacities = [
        _capacity_of(row)
        for row in await Match.filter(demand_id=demand.id).values("components")
        if fits(row)
    ]
    rows = await SourcingShare.filter(demand_id=demand.id).order_by("-quantity", "product_id").values(
        "product_id", "quantity", "score", "product__unit", "product__producer_id")
    shares = [
        ShareView(r["product_id"], r["product__producer_id"], r["quantity"], r["product__unit"], r["score"])
        for r in rows
    ]
    covered = sum(s.quantity * (unit_factor(s.unit, demand.unit) or 0.0) for s in shares)
    consortium = bool(capacities) and needs_consortium(capacities)
    if capacities and not consortium:
        covered = float(demand.quantity)
    covered = round(min(covered, float(demand.quantity)), 6)
    return SourcingView(demand.id, demand.quantity, demand.unit, consortium, shares, covered,
                        round(demand.quantity - covered, 6))
