"""The matching job: for each open demand, the best products with their scores and reasons.

A run is incremental unless told otherwise (or no full run happened for a day): it re-examines
  * demands changed since the last run (their whole candidate list is searched again);
  * demands a changed product may now enter: every open demand of the product's group is searched
    among the changed products alone (one multi-search), and the hits are merged into its stored
    top list. A changed product that was already listed and now scores lower, or is gone, makes the
    demand be searched again in full, since the next-best product was never stored.
Products still waiting in the search outbox are left for the next run, so the index has seen
every change a run acts on. Deleted products leave the next full run to refill their demands.

Open means status open and `valid_until` not passed. Matches and consortium shares of demands
that are no longer open are deleted, and so are matches of products no longer published.

Writes go in batches of whole buyers (a buyer's demands in one transaction); then the new matches
(`notified_at` null) are announced in one transaction: one inbox notification and one email per
producer account, one inbox notification per buyer account. The cursor in JobState "match" moves
only when the run completes: a crash leaves no half-written demand, and the next run redoes the
rest. Nothing changes when nothing changed: same rows, same ranks, no notification.

This module decides what a run looks at; matchmaking.demands.match_plans searches and scores,
matchmaking.demands.match_store stores the plans.
"""

from __future__ import annotations

import gc
import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, cast

from tortoise.expressions import Q

from matchmaking.clock import today_in_vietnam
from matchmaking.demands.match_plans import (
    DEMAND_FIELDS,
    PRODUCT_FIELDS,
    Planned,
    candidate_request,
    chunks,
    demand_facts,
    from_row,
    open_demands,
    planned,
    product_facts,
    ranked,
    score_hits,
    search_in_full,
)
from matchmaking.demands.match_store import drop_closed, stored, write_plans
from matchmaking.demands.sourcing import SourcingReport, id_set, update_sourcing
from matchmaking.enums import ProductStatus
from matchmaking.models import Demand, JobState, Match, Product, SearchOutbox
from matchmaking.notifications import announce_new_matches
from search.candidates import find_candidates
from search.client import SearchClient

log = logging.getLogger(__name__)

JOB_NAME = "match"
FULL_EVERY = timedelta(days=1)


@dataclass
class MatchReport:
    """What a run did."""

    full: bool
    demands_examined: int = 0
    products_examined: int = 0
    created: int = 0
    updated: int = 0
    deleted: int = 0
    notifications: int = 0
    emails: int = 0
    sourcing: SourcingReport | None = None
    seconds: float = 0.0
    # Per step, for benchmarks: wall seconds, and CPU seconds of this process (not Meilisearch's).
    phases: dict[str, float] = field(default_factory=dict)
    cpu_phases: dict[str, float] = field(default_factory=dict)
    _lap: tuple[float, float] = field(default=(0.0, 0.0), repr=False)

    def lap(self, phase: str) -> None:
        """End `phase` (the first call starts the clock)."""
        wall, cpu = time.perf_counter(), time.process_time()
        if phase:
            self.phases[phase] = wall - self._lap[0]
            self.cpu_phases[phase] = cpu - self._lap[1]
        self._lap = (wall, cpu)

    def summary(self) -> str:
        consortia = self.sourcing.demands if self.sourcing else 0
        return (
            f"{'full' if self.full else 'incremental'} run: {self.demands_examined} demands and "
            f"{self.products_examined} products examined; matches +{self.created} ~{self.updated} "
            f"-{self.deleted}; {self.notifications} notifications; {consortia} consortium demands; "
            f"{self.seconds:.2f} s"
        )


# -- incremental pieces ---------------------------------------------------------------------------------


async def _pending_products() -> set[int]:
    return await id_set(SearchOutbox.filter(entity="product").values_list("entity_id", flat=True))


async def _newest_product_change() -> datetime | None:
    """The cursor after a full run: the newest product change the index has seen."""
    newest: Any = await Product.all().order_by("-updated_at").first().values_list("updated_at", flat=True)
    pending = await _pending_products()
    if pending and newest is not None:
        waiting: Any = await Product.filter(id__in=sorted(pending)).order_by("updated_at").first() \
            .values_list("updated_at", flat=True)
        if waiting is not None:
            newest = min(newest, waiting - timedelta(microseconds=1))
    return cast(datetime | None, newest)


async def _changed_products(since: datetime | None) -> tuple[list[dict[str, Any]], datetime | None]:
    """Products changed after `since` that the index has already seen, and the next cursor."""
    query = Product.all() if since is None else Product.filter(updated_at__gt=since)
    rows = await query.values(*PRODUCT_FIELDS)
    pending = await _pending_products()
    ready = [row for row in rows if row["id"] not in pending]
    waiting = [row["updated_at"] for row in rows if row["id"] in pending]
    newest = max((row["updated_at"] for row in ready), default=since)
    if waiting and newest is not None:
        newest = min(newest, min(waiting) - timedelta(microseconds=1))
    return ready, newest


async def _merge_changed_products(search: SearchClient, products: list[dict[str, Any]], today: date,
                                  skip: set[int], report: MatchReport,
                                  ) -> tuple[dict[int, list[Planned]], set[int], dict[int, int]]:
    """Merge changed products into stored lists: (plans, demands to search again, buyer per demand)."""
    gone = [row["id"] for row in products if row["status"] != ProductStatus.PUBLISHED]
    live = {row["id"]: product_facts(row) for row in products if row["status"] == ProductStatus.PUBLISHED}
    again: set[int] = set()
    if gone:
        for chunk in chunks(gone):
            again |= await id_set(Match.filter(product_id__in=chunk).values_list("demand_id", flat=True))
            report.deleted += await Match.filter(product_id__in=chunk).delete()
    if not live:
        return {}, again, {}
    groups = {facts.group for facts in live.values()}
    best_stars = max((facts.stars or 0) for facts in live.values())
    rows = await Demand.filter(open_demands(today)).filter(
        Q(group__in=sorted(groups)) | Q(group=None)).values(*DEMAND_FIELDS)
    rows = [r for r in rows if r["id"] not in skip and (r["min_stars"] or 0) <= best_stars]
    hits = await find_candidates(search, [candidate_request(r) for r in rows], only_ids=sorted(live))
    listed: set[int] = set()
    for chunk in chunks(live):
        listed |= await id_set(Match.filter(product_id__in=chunk).values_list("demand_id", flat=True))
    touched = {d for d, found in hits.items() if found} | listed
    have_rows = await stored(touched)
    by_id = {r["id"]: r for r in rows}
    plans: dict[int, list[Planned]] = {}
    buyers: dict[int, int] = {}
    for demand_id in sorted(touched - skip):
        row = by_id.get(demand_id)
        if row is None:  # listed for a demand outside the searched set (e.g. group changed)
            again.add(demand_id)
            continue
        fresh = {s.product_id: s for s in score_hits(demand_facts(row), hits.get(demand_id, []), live)}
        have = {m["product_id"]: m for m in have_rows.get(demand_id, [])}
        if any(pid in have and (pid not in fresh or fresh[pid].score < have[pid]["score"]) for pid in live):
            again.add(demand_id)
            continue
        kept = [from_row(m) for pid, m in have.items() if pid not in live]
        plans[demand_id] = ranked(kept + [planned(s) for s in fresh.values()])
        buyers[demand_id] = row["buyer_id"]
    report.products_examined = len(products)
    return plans, again - skip, buyers


# -- the run ------------------------------------------------------------------------------------------


@contextmanager
def _no_collections() -> Iterator[None]:
    """A full run allocates millions of objects (rows, facts, scores) that live for the whole run
    and makes almost no cyclic garbage (10 objects in a 100,000-product run): the collector only
    rescans that heap. At Python's default thresholds that was a quarter of the run's CPU; at
    rarer ones still 0.2-0.6 s, and a larger peak (450 MB, not 360 MB). It is off during a run,
    for the whole process, and back on after."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _when(value: object) -> datetime | None:
    return datetime.fromisoformat(value) if isinstance(value, str) else None


async def match_demands(search: SearchClient, *, now: datetime, full: bool = False,
                        public_url: str = "") -> MatchReport:
    """Find, score and store the best products for open demands; then plan consortia.

    Side effects: writes Match rows (and deletes those of closed demands and unpublished
    products), Notification and EmailMessage rows for new matches, SourcingShare rows, and the
    JobState "match" cursor. Raises search.errors.SearchError when Meilisearch fails; nothing
    already committed is wrong then, and the next run picks up where this one stopped.
    """
    with _no_collections():
        return await _match_demands(search, now=now, full=full, public_url=public_url)


async def _match_demands(search: SearchClient, *, now: datetime, full: bool,
                         public_url: str) -> MatchReport:
    started = time.perf_counter()
    today = today_in_vietnam(now)
    state, _ = await JobState.get_or_create(name=JOB_NAME)
    cursor = dict(state.cursor or {})
    last_full = _when(cursor.get("full"))
    full = full or last_full is None or now - last_full >= FULL_EVERY
    await JobState.filter(id=state.id).update(last_started_at=now)
    report = MatchReport(full=full)
    report.lap("")

    demand_since = None if full else _when(cursor.get("demands"))
    product_since = None if full else _when(cursor.get("products"))
    day = cursor.get("day")
    last_day = date.fromisoformat(day) if isinstance(day, str) else None
    changed, report.deleted = await drop_closed(today, demand_since, last_day)
    query = Demand.filter(open_demands(today))
    if demand_since is not None:
        query = query.filter(updated_at__gt=demand_since)
    rows = await query.values(*DEMAND_FIELDS)
    demand_cursor = max((r["updated_at"] for r in rows), default=demand_since)

    products: list[dict[str, Any]] = []
    if full:
        product_cursor = await _newest_product_change()
    else:
        products, product_cursor = await _changed_products(product_since)
    plans: dict[int, list[Planned]] = {}
    buyers = {r["id"]: r["buyer_id"] for r in rows}
    if products:
        merged, again, merged_buyers = await _merge_changed_products(
            search, products, today, {r["id"] for r in rows}, report)
        plans.update(merged)
        buyers.update(merged_buyers)
        if again:
            extra = await Demand.filter(open_demands(today), id__in=sorted(again)).values(*DEMAND_FIELDS)
            rows += extra
            buyers.update((r["id"], r["buyer_id"]) for r in extra)
            changed |= again - {r["id"] for r in extra}  # closed meanwhile: shares to drop
    report.demands_examined = len(rows)
    report.lap("load")
    plans.update(await search_in_full(search, rows))
    report.lap("search_score")
    written = await write_plans(plans, buyers, now)
    report.created, report.updated = written.created, written.updated
    report.deleted += written.deleted
    changed |= written.demands
    report.lap("write")
    report.notifications, report.emails = await announce_new_matches(
        now=now, public_url=public_url, demand_ids=None if full else set(plans))
    report.lap("notify")
    known = {
        demand_id: [{"demand_id": demand_id, "product_id": m.product_id, "score": m.score,
                     "components": m.components} for m in items]
        for demand_id, items in plans.items()
    }
    report.sourcing = await update_sourcing(None if full else changed, today=today, known=known)
    report.lap("sourcing")

    cursor.update({
        "day": today.isoformat(),
        "demands": demand_cursor.isoformat() if demand_cursor else None,
        "products": product_cursor.isoformat() if product_cursor else None,
    })
    if full:
        cursor["full"] = now.isoformat()
    await JobState.filter(id=state.id).update(cursor=cursor, last_finished_at=now, last_error="")
    report.seconds = time.perf_counter() - started
    log.info("match: %s", report.summary())
    return report
