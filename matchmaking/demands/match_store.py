"""Storing the match job's plans: each demand's wanted matches against its stored ones.

Writes go in batches of whole buyers (a buyer's demands in one transaction), with one insert,
one update and one delete statement per few thousand rows (matchmaking.bulk: plain rows, no
model object each). A (demand, product) pair announced once (a MatchAnnouncement row) is stored
as already announced when it comes back, so it is never announced again.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from tortoise.expressions import Q, Subquery
from tortoise.transactions import in_transaction

from matchmaking.bulk import insert_rows, update_rows
from matchmaking.demands.match_plans import Planned, chunks, open_demands
from matchmaking.demands.sourcing import id_set
from matchmaking.models import Demand, Match, MatchAnnouncement

MATCH_FIELDS = ("id", "demand_id", "product_id", "producer_id", "score", "rank", "components", "reasons")
WRITE_BATCH = 2_000  # demands per transaction: a buyer's demands never straddle two


@dataclass
class Written:
    """What storing plans did: rows created, updated, deleted, and the demands whose rows changed."""

    created: int = 0
    updated: int = 0
    deleted: int = 0
    demands: set[int] = field(default_factory=set)


async def stored(demand_ids: Iterable[int], *, reasons: bool = True) -> dict[int, list[dict[str, Any]]]:
    """Stored matches per demand; without `reasons` (decoding JSON is the slow part of a full run)."""
    found: dict[int, list[dict[str, Any]]] = defaultdict(list)
    fields = MATCH_FIELDS if reasons else tuple(f for f in MATCH_FIELDS if f != "reasons")
    for chunk in chunks(demand_ids):
        for row in await Match.filter(demand_id__in=chunk).values(*fields):
            found[row["demand_id"]].append(row)
    return found


CREATE_COLUMNS = ("demand_id", "product_id", "producer_id", "score", "rank", "components", "reasons",
                  "notified_at", "updated_at")
UPDATE_COLUMNS = ("score", "rank", "components", "reasons", "updated_at")


@dataclass
class Change:
    """One demand's rows to write: new rows (CREATE_COLUMNS), changed ones (UPDATE_COLUMNS, then
    the id) and the ids of rows to delete."""

    demand_id: int
    creates: list[tuple[Any, ...]] = field(default_factory=list)
    updates: list[tuple[Any, ...]] = field(default_factory=list)
    deletes: list[int] = field(default_factory=list)


def _diff(demand_id: int, wanted: list[Planned], have_rows: list[dict[str, Any]], now: datetime,
          announced: set[tuple[int, int]]) -> Change:
    have = {row["product_id"]: row for row in have_rows}
    change = Change(demand_id)
    for position, item in enumerate(wanted, start=1):
        row = have.pop(item.product_id, None)
        if row is None:
            # A product announced for this demand before (it left the list and came back) is not
            # announced again.
            told = now if (demand_id, item.product_id) in announced else None
            change.creates.append((demand_id, item.product_id, item.producer_id, item.score, position,
                                   *(item.encoded or (item.components, item.reasons)), told, now))
        # The reasons are rendered from the codes in `components`: equal codes, equal reasons.
        elif (row["score"], row["rank"], row["components"]) != (item.score, position, item.components):
            change.updates.append((item.score, position, *(item.encoded or (item.components, item.reasons)),
                                   now, row["id"]))
    change.deletes = [row["id"] for row in have.values()]
    return change


async def _announced(demand_ids: Iterable[int]) -> set[tuple[int, int]]:
    """The (demand, product) pairs already announced, of these demands."""
    found: set[tuple[int, int]] = set()
    for chunk in chunks(demand_ids):
        found.update(await MatchAnnouncement.filter(demand_id__in=chunk).values_list(
            "demand_id", "product_id"))
    return found


async def write_plans(plans: dict[int, list[Planned]], buyers: dict[int, int], now: datetime) -> Written:
    """Store each demand's wanted matches, in batches of whole buyers, one transaction each."""
    have = await stored(plans, reasons=False)
    announced = await _announced(plans)
    by_buyer: dict[int, list[int]] = defaultdict(list)
    for demand_id in sorted(plans):
        by_buyer[buyers[demand_id]].append(demand_id)
    written = Written()
    batch: list[Change] = []
    for buyer_id in sorted(by_buyer):
        for d in by_buyer[buyer_id]:
            change = _diff(d, plans[d], have.get(d, []), now, announced)
            if change.creates or change.updates or change.deletes:
                batch.append(change)
        if len(batch) >= WRITE_BATCH:
            await _write_batch(batch, written)
            batch = []
    if batch:
        await _write_batch(batch, written)
    return written


async def _write_batch(batch: list[Change], written: Written) -> None:
    deletes = [i for change in batch for i in change.deletes]
    async with in_transaction():
        for chunk in chunks(deletes):
            await Match.filter(id__in=chunk).delete()
        written.created += await insert_rows(Match, CREATE_COLUMNS,
                                             [row for change in batch for row in change.creates])
        written.updated += await update_rows(Match, UPDATE_COLUMNS,
                                             [row for change in batch for row in change.updates])
    written.deleted += len(deletes)
    written.demands |= {change.demand_id for change in batch}


async def drop_closed(today: date, since: datetime | None, last_day: date | None) -> tuple[set[int], int]:
    """Delete the matches of demands no longer open; their ids and the rows deleted.

    With `since` (the demand cursor) and `last_day` (the previous run's day), only demands changed
    since then or whose validity ended since then are looked at; else every demand with matches.
    """
    if since is None or last_day is None:
        query = Demand.filter(~open_demands(today),
                              id__in=Subquery(Match.all().distinct().values("demand_id")))
    else:
        # A week of slack: callers' "today" may be a day apart (time zones), re-deleting is free.
        lapsed = Q(valid_until__gte=last_day - timedelta(days=7), valid_until__lt=today)
        query = Demand.filter(~open_demands(today)).filter(Q(updated_at__gt=since) | lapsed)
    closed = await id_set(query.values_list("id", flat=True))
    deleted = await Match.filter(demand_id__in=sorted(closed)).delete() if closed else 0
    return closed, deleted
