"""Sourcing a buyer can trust: every open demand's shares of products' monthly capacity.

The plan itself is matchmaking.optim.sourcing (oldest demand first, one month of output each,
one product when one covers, else a split). This side takes each open demand's stored matches
(all of which meet its hard rules) as its options, re-plans the demands connected to a change,
and replaces their SourcingShare rows. What a demand's page and the API say is `demand_sourcing`:
`covered` and `shortfall` are the sums of the shares shown, never more.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from tortoise.transactions import in_transaction

from matchmaking import units
from matchmaking.enums import DemandStatus
from matchmaking.models import Demand, Match, Product, SourcingShare
from matchmaking.optim.sourcing import (
    NeedIn,
    OptionIn,
    ShareOut,
    SourcingPlan,
    SupplyIn,
    components,
    plan_sourcing,
)

__all__ = ["NeedIn", "OptionIn", "ShareOut", "SourcingPlan", "SupplyIn", "components",
           "demand_sourcing", "plan_sourcing", "update_sourcing"]


# -- the database side -----------------------------------------------------------------------------


@dataclass
class SourcingReport:
    demands: int = 0  # consortium demands solved
    shares_written: int = 0
    demands_changed: int = 0


async def id_set(query: Any) -> set[int]:
    """The values a flat `values_list` query returns, as a set of ints."""
    return {int(value) for value in await query}


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


async def _closure(seeds: set[int], known: dict[int, list[dict[str, object]]], *,
                   complete: bool = False) -> tuple[set[int], dict[int, list[dict[str, object]]]]:
    """The demands with matches whose plan a change of `seeds` may move, with their matches.

    Demands are served oldest first, so a change reaches, through a product, only the demands
    posted after the oldest changed demand that uses that product (or freed capacity of it); each
    demand reached is re-planned, and reaches on through its own products in turn. A new demand
    (the newest) reaches nothing but itself.

    `known` holds demands' current matches already in memory; `complete` says the seeds hold
    every demand with matches: nothing more to reach.
    """
    matches = {d: [row for row in rows if fits(row)] for d, rows in known.items() if d in seeds}
    matches.update(await _matches_of(seeds - set(matches)))
    for demand_id in seeds:
        matches.setdefault(demand_id, [])
    members = {d for d in seeds if matches[d]}
    if complete:
        return members, matches
    reach: dict[int, int] = {}  # product -> the oldest re-planned demand that uses or frees it
    pending: set[int] = set()  # products whose reach went down since their users were looked at

    def lower(product_id: int, demand_id: int) -> None:
        if demand_id < reach.get(product_id, demand_id + 1):
            reach[product_id] = demand_id
            pending.add(product_id)

    for demand_id in members:
        for row in matches[demand_id]:
            lower(int(str(row["product_id"])), demand_id)
    # Capacity a seed held (a closed demand's, or one whose matches changed) frees for others.
    for demand_id, product_id in await SourcingShare.filter(demand_id__in=sorted(seeds)).values_list(
            "demand_id", "product_id"):
        lower(int(product_id), int(demand_id))
    users: dict[int, set[int]] = {}  # product -> the demands with a match on it
    while pending:
        unseen = sorted(pending - set(users))
        for product_id in unseen:
            users[product_id] = set()
        for start in range(0, len(unseen), 5_000):
            for demand_id, product_id in await Match.filter(
                    product_id__in=unseen[start:start + 5_000]).values_list("demand_id", "product_id"):
                users[int(product_id)].add(int(demand_id))
        reached = {d for p in pending for d in users[p] if d > reach[p] and d not in members}
        pending = set()
        matches.update(await _matches_of(reached - set(matches)))
        for demand_id in sorted(reached):
            if matches.setdefault(demand_id, []):
                members.add(demand_id)
                for row in matches[demand_id]:
                    lower(int(str(row["product_id"])), demand_id)
    return members, matches


async def _held_elsewhere(product_ids: list[int], members: set[int]) -> dict[int, float]:
    """Per product, the capacity already promised to demands that are not re-planned (older)."""
    held: dict[int, float] = defaultdict(float)
    for start in range(0, len(product_ids), 5_000):
        for row in await SourcingShare.filter(product_id__in=product_ids[start:start + 5_000]).values(
                "demand_id", "product_id", "quantity"):
            if row["demand_id"] not in members:
                held[row["product_id"]] += float(row["quantity"])
    return held


async def update_sourcing(changed: set[int] | None, *, today: date,
                          known: dict[int, list[dict[str, object]]] | None = None) -> SourcingReport:
    """Re-plan the demands connected to the `changed` ones (None: every open demand).

    `known` may give demands' stored matches (demand_id, product_id, score, components) the
    caller holds already, to spare reading them again.

    Side effects: in one transaction, replaces the SourcingShare rows of each re-planned demand
    whose plan changed, and deletes those of demands without matches any more.
    """
    complete = changed is None
    if changed is None:
        changed = await id_set(Demand.filter(status=DemandStatus.OPEN, valid_until__gte=today)
                      .values_list("id", flat=True))
        changed |= await id_set(SourcingShare.all().distinct().values_list("demand_id", flat=True))
    report = SourcingReport()
    if not changed:
        return report
    members, matches = await _closure(changed, known or {}, complete=complete)
    demands = {
        row["id"]: NeedIn(row["id"], float(row["quantity"]), row["unit"])
        for row in await Demand.filter(id__in=sorted(members)).values("id", "quantity", "unit")
    }
    product_ids = sorted({int(str(r["product_id"])) for d in members for r in matches[d]})
    held = {} if complete else await _held_elsewhere(product_ids, members | changed)
    supplies = [
        SupplyIn(row["id"], row["unit"],
                 max(0.0, float(row["monthly_capacity"]) - held.get(row["id"], 0.0)),
                 float(row["min_order"]), units.net_of(row["net_quantity"], row["net_unit"]))
        for start in range(0, len(product_ids), 5_000)
        for row in await Product.filter(id__in=product_ids[start:start + 5_000])
        .values("id", "unit", "monthly_capacity", "min_order", "net_quantity", "net_unit")
    ]
    options = [
        OptionIn(d, int(str(r["product_id"])), float(str(r["score"])))
        for d in sorted(members) for r in matches[d]
    ]
    plan = plan_sourcing(list(demands.values()), supplies, options)
    report.demands = len(demands)
    touched = sorted(changed | members)
    existing: dict[int, set[tuple[int, float, float]]] = defaultdict(set)
    for start in range(0, len(touched), 5_000):
        for row in await SourcingShare.filter(demand_id__in=touched[start:start + 5_000]).values(
            "demand_id", "product_id", "quantity", "score"
        ):
            existing[row["demand_id"]].add(
                (row["product_id"], float(row["quantity"]), round(row["score"], 4)))
    rewrite: list[int] = []
    rows: list[SourcingShare] = []
    for demand_id in touched:
        wanted = {(s.product_id, s.quantity, round(s.score, 4)) for s in plan.shares.get(demand_id, [])}
        if wanted == existing.get(demand_id, set()):
            continue
        rewrite.append(demand_id)
        rows += [SourcingShare(demand_id=demand_id, product_id=p, quantity=Decimal(str(q)), score=s)
                 for p, q, s in sorted(wanted)]
    if rewrite:
        async with in_transaction():
            for start in range(0, len(rewrite), 5_000):
                await SourcingShare.filter(demand_id__in=rewrite[start:start + 5_000]).delete()
            await SourcingShare.bulk_create(rows, batch_size=2_000)
    report.shares_written, report.demands_changed = len(rows), len(rewrite)
    return report


# -- reading ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ShareView:
    product_id: int
    producer_id: int
    quantity: float  # in `unit`, the product's unit
    unit: str
    score: float


@dataclass(frozen=True)
class SourcingView:
    """How a demand is covered: the shares, and what they cover and leave missing (both in the
    demand's unit, both sums of the shares shown)."""

    demand_id: int
    quantity: float
    unit: str
    shares: list[ShareView]
    covered: float
    shortfall: float

    @property
    def producers(self) -> int:
        """How many producers the shares come from (one may take part with several products)."""
        return len({share.producer_id for share in self.shares})

    @property
    def consortium(self) -> bool:
        """Several producers together: no single one has the capacity."""
        return self.producers > 1


async def demand_sourcing(demand: Demand) -> SourcingView:
    """The stored plan of `demand`."""
    rows = await SourcingShare.filter(demand_id=demand.id).order_by("-quantity", "product_id").values(
        "product_id", "quantity", "score", "product__unit", "product__producer_id",
        "product__net_quantity", "product__net_unit")
    shares, covered = [], 0.0
    for r in rows:
        shares.append(ShareView(r["product_id"], r["product__producer_id"], float(r["quantity"]),
                                r["product__unit"], r["score"]))
        net = units.net_of(r["product__net_quantity"], r["product__net_unit"])
        covered += units.convert(r["quantity"], r["product__unit"], demand.unit, from_net=net) or 0.0
    quantity = float(demand.quantity)
    covered = round(min(covered, quantity), 3)
    return SourcingView(demand.id, quantity, demand.unit, shares, covered, round(quantity - covered, 3))
