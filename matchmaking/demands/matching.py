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
"""

from __future__ import annotations

import logging
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any, cast

from tortoise.expressions import Q, Subquery
from tortoise.transactions import in_transaction

from matchmaking import units
from matchmaking.clock import today_in_vietnam
from matchmaking.demands.phrases import understand
from matchmaking.demands.scoring import (
    DemandFacts,
    ProductFacts,
    Scored,
    explain,
    rank,
    render_reasons,
    score_product,
)
from matchmaking.demands.sourcing import SourcingReport, id_set, update_sourcing
from matchmaking.enums import DemandStatus, ProductStatus, Recurrence
from matchmaking.models import Demand, JobState, Match, MatchAnnouncement, Product, SearchOutbox
from matchmaking.notifications import announce_new_matches
from search.candidates import Candidate, CandidateRequest, find_candidates
from search.client import SearchClient

log = logging.getLogger(__name__)

JOB_NAME = "match"
TOP_K = 10
FULL_EVERY = timedelta(days=1)
CHUNK = 5_000  # ids per IN (...) list

DEMAND_FIELDS = (
    "id", "buyer_id", "title", "keywords", "group", "subgroup", "quantity", "unit", "price_unit",
    "recurrence", "max_price_vnd", "min_stars", "required_marks", "delivery_province_code",
    "needed_by", "updated_at",
)
PRODUCT_FIELDS = (
    "id", "producer_id", "group", "subgroup", "price_vnd", "unit", "min_order", "monthly_capacity",
    "verified_stars", "verified_expiry", "quality_marks", "status", "updated_at",
    "producer__province_code", "net_quantity", "net_unit",
)
MATCH_FIELDS = ("id", "demand_id", "product_id", "producer_id", "score", "rank", "components", "reasons")


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
    phases: dict[str, float] = field(default_factory=dict)  # seconds per step, for benchmarks

    def summary(self) -> str:
        consortia = self.sourcing.demands if self.sourcing else 0
        return (
            f"{'full' if self.full else 'incremental'} run: {self.demands_examined} demands and "
            f"{self.products_examined} products examined; matches +{self.created} ~{self.updated} "
            f"-{self.deleted}; {self.notifications} notifications; {consortia} consortium demands; "
            f"{self.seconds:.2f} s"
        )


@dataclass(frozen=True)
class Planned:
    """A match as it should be stored (rank aside)."""

    product_id: int
    producer_id: int
    score: float
    components: dict[str, Any]
    reasons: list[str]


# -- loading ----------------------------------------------------------------------------------------


def _chunks(ids: Iterable[int]) -> list[list[int]]:
    ordered = sorted(set(ids))
    return [ordered[i:i + CHUNK] for i in range(0, len(ordered), CHUNK)]


def min_stars_of(row: dict[str, Any]) -> int | None:
    """The demand's minimum stars: its field, else the star phrase of its title ("loại 4 sao")."""
    stars = row["min_stars"] or understand(row["title"]).min_stars
    return stars if stars in (3, 4, 5) else None


def demand_facts(row: dict[str, Any]) -> DemandFacts:
    return DemandFacts(
        id=row["id"], quantity=float(row["quantity"]), unit=row["unit"],
        delivery_province_code=row["delivery_province_code"], needed_by=row["needed_by"],
        group=row["group"] or None, subgroup=row["subgroup"] or None,
        monthly=row["recurrence"] == Recurrence.MONTHLY, max_price_vnd=row["max_price_vnd"],
        min_stars=min_stars_of(row), required_marks=tuple(row["required_marks"] or ()),
        price_unit=row.get("price_unit"),
    )


def product_facts(row: dict[str, Any]) -> ProductFacts:
    return ProductFacts(
        id=row["id"], producer_id=row["producer_id"], group=str(row["group"]),
        subgroup=row["subgroup"], price_vnd=row["price_vnd"], unit=row["unit"],
        min_order=float(row["min_order"]), monthly_capacity=float(row["monthly_capacity"]),
        # Only stars verified against the register count (matchmaking.catalogue.certification).
        province_code=row["producer__province_code"], stars=row["verified_stars"],
        certificate_expiry=row["verified_expiry"], quality_marks=tuple(row["quality_marks"] or ()),
        net=units.net_of(row.get("net_quantity"), row.get("net_unit")),
    )


def candidate_request(row: dict[str, Any]) -> CandidateRequest:
    """The demand's search: the product words of its title (else of its keywords), its places."""
    title = understand(row["title"])
    words = title.words or understand(row["keywords"] or "").words
    return CandidateRequest(
        demand_id=row["id"], words=words, places=title.places, needed_by=row["needed_by"],
        group=row["group"] or None, subgroup=row["subgroup"] or None, min_stars=min_stars_of(row),
        required_marks=tuple(row["required_marks"] or ()),
    )


def _open(today: date) -> Q:
    return Q(status=DemandStatus.OPEN, valid_until__gte=today)


async def _published_facts(ids: Iterable[int]) -> dict[int, ProductFacts]:
    found: dict[int, ProductFacts] = {}
    for chunk in _chunks(ids):
        rows = await Product.filter(id__in=chunk, status=ProductStatus.PUBLISHED).values(*PRODUCT_FIELDS)
        found.update((row["id"], product_facts(row)) for row in rows)
    return found


async def _stored(demand_ids: Iterable[int], *, reasons: bool = True) -> dict[int, list[dict[str, Any]]]:
    """Stored matches per demand; without `reasons` (decoding JSON is the slow part of a full run)."""
    found: dict[int, list[dict[str, Any]]] = defaultdict(list)
    fields = MATCH_FIELDS if reasons else tuple(f for f in MATCH_FIELDS if f != "reasons")
    for chunk in _chunks(demand_ids):
        for row in await Match.filter(demand_id__in=chunk).values(*fields):
            found[row["demand_id"]].append(row)
    return found


# -- scoring ------------------------------------------------------------------------------------------


def planned(scored: Scored) -> Planned:
    components: dict[str, Any] = dict(scored.components)
    components["reasons"] = [reason.as_json() for reason in scored.reasons]
    return Planned(scored.product_id, scored.producer_id, scored.score, components,
                   render_reasons(scored.reasons))


def _from_row(row: dict[str, Any]) -> Planned:
    return Planned(row["product_id"], row["producer_id"], row["score"], row["components"], row["reasons"])


def _ranked(items: Sequence[Planned]) -> list[Planned]:
    return sorted(items, key=lambda p: (-p.score, p.product_id))[:TOP_K]


def _score_hits(demand: DemandFacts, hits: Sequence[Candidate],
                facts: dict[int, ProductFacts], limit: int | None = None) -> list[Scored]:
    """The hits of the product asked for that meet the buyer's hard rules, scored; with `limit`,
    only the best that many, best first (reasons are worked out for those alone)."""
    scored = (score_product(demand, facts[c.product_id], c.relevance, reasons=limit is None)
              for c in hits if c.product_id in facts)
    kept = [s for s in scored if s is not None]
    if limit is None:
        return kept
    return [replace(s, reasons=explain(demand, facts[s.product_id])) for s in rank(kept, limit)]


async def _search_in_full(search: SearchClient, rows: Sequence[dict[str, Any]]) -> dict[int, list[Planned]]:
    """Each demand's best TOP_K from a fresh search."""
    if not rows:
        return {}
    found = await find_candidates(search, [candidate_request(r) for r in rows])
    facts = await _published_facts(c.product_id for hits in found.values() for c in hits)
    return {
        row["id"]: [planned(s) for s in _score_hits(demand_facts(row), found[row["id"]], facts, TOP_K)]
        for row in rows
    }


# -- writing ------------------------------------------------------------------------------------------


def _diff(demand_id: int, wanted: list[Planned], stored: list[dict[str, Any]], now: datetime,
          announced: set[tuple[int, int]],
          ) -> tuple[list[Match], list[tuple[int, dict[str, Any]]], list[int]]:
    have = {row["product_id"]: row for row in stored}
    creates: list[Match] = []
    updates: list[tuple[int, dict[str, Any]]] = []
    for position, item in enumerate(wanted, start=1):
        values = {"score": item.score, "rank": position, "components": item.components,
                  "reasons": item.reasons}
        row = have.pop(item.product_id, None)
        if row is None:
            # A product announced for this demand before (it left the list and came back) is not
            # announced again.
            told = now if (demand_id, item.product_id) in announced else None
            creates.append(Match(demand_id=demand_id, product_id=item.product_id,
                                 producer_id=item.producer_id, notified_at=told, **values))
        # The reasons are rendered from the codes in `components`: equal codes, equal reasons.
        elif any(row[key] != values[key] for key in ("score", "rank", "components")):
            updates.append((row["id"], {**values, "updated_at": now}))
    return creates, updates, [row["id"] for row in have.values()]


async def _announced(demand_ids: Iterable[int]) -> set[tuple[int, int]]:
    """The (demand, product) pairs already announced, of these demands."""
    found: set[tuple[int, int]] = set()
    for chunk in _chunks(demand_ids):
        found.update(await MatchAnnouncement.filter(demand_id__in=chunk).values_list(
            "demand_id", "product_id"))
    return found


async def _record_announced(now: datetime) -> None:
    """Remember the pairs announced in this run, so they are never announced again."""
    rows = await Match.filter(notified_at=now).values_list("demand_id", "product_id")
    await MatchAnnouncement.bulk_create(
        [MatchAnnouncement(demand_id=d, product_id=p, announced_at=now) for d, p in rows],
        ignore_conflicts=True, batch_size=2_000)


WRITE_BATCH = 2_000  # demands per transaction: a buyer's demands never straddle two


async def _write(plans: dict[int, list[Planned]], buyers: dict[int, int], now: datetime,
                 report: MatchReport) -> set[int]:
    """Store each demand's wanted matches, in batches of whole buyers, one transaction each, with
    one insert, one update and one delete statement per few thousand rows; the demands that
    changed."""
    stored = await _stored(plans, reasons=False)
    announced = await _announced(plans)
    by_buyer: dict[int, list[int]] = defaultdict(list)
    for demand_id in sorted(plans):
        by_buyer[buyers[demand_id]].append(demand_id)
    changed: set[int] = set()
    batch: list[tuple[int, list[Match], list[tuple[int, dict[str, Any]]], list[int]]] = []
    for buyer_id in sorted(by_buyer):
        for d in by_buyer[buyer_id]:
            creates, updates, deletes = _diff(d, plans[d], stored.get(d, []), now, announced)
            if creates or updates or deletes:
                batch.append((d, creates, updates, deletes))
        if len(batch) >= WRITE_BATCH:
            changed |= await _write_batch(batch, report)
            batch = []
    if batch:
        changed |= await _write_batch(batch, report)
    return changed


async def _write_batch(batch: list[tuple[int, list[Match], list[tuple[int, dict[str, Any]]], list[int]]],
                       report: MatchReport) -> set[int]:
    deletes = [i for _, _, _, ids in batch for i in ids]
    creates = [m for _, made, _, _ in batch for m in made]
    updates = []
    for _, _, changes, _ in batch:
        for match_id, values in changes:
            match = Match(id=match_id, **values)
            match._saved_in_db = True
            updates.append(match)
    async with in_transaction():
        for chunk in _chunks(deletes):
            await Match.filter(id__in=chunk).delete()
        if creates:
            await Match.bulk_create(creates, batch_size=1_000)
        if updates:
            await Match.bulk_update(updates, fields=["score", "rank", "components", "reasons",
                                                     "updated_at"], batch_size=500)
    report.created += len(creates)
    report.updated += len(updates)
    report.deleted += len(deletes)
    return {d for d, _, _, _ in batch}


async def _drop_closed(today: date, report: MatchReport, since: datetime | None,
                       last_day: date | None) -> set[int]:
    """Delete the matches of demands no longer open; their ids.

    With `since` (the demand cursor) and `last_day` (the previous run's day), only demands changed
    since then or whose validity ended since then are looked at; else every demand with matches.
    """
    if since is None or last_day is None:
        query = Demand.filter(~_open(today), id__in=Subquery(Match.all().distinct().values("demand_id")))
    else:
        # A week of slack: callers' "today" may be a day apart (time zones), re-deleting is free.
        lapsed = Q(valid_until__gte=last_day - timedelta(days=7), valid_until__lt=today)
        query = Demand.filter(~_open(today)).filter(Q(updated_at__gt=since) | lapsed)
    closed = await id_set(query.values_list("id", flat=True))
    if closed:
        report.deleted += await Match.filter(demand_id__in=sorted(closed)).delete()
    return closed


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
        for chunk in _chunks(gone):
            again |= await id_set(Match.filter(product_id__in=chunk).values_list("demand_id", flat=True))
            report.deleted += await Match.filter(product_id__in=chunk).delete()
    if not live:
        return {}, again, {}
    groups = {facts.group for facts in live.values()}
    best_stars = max((facts.stars or 0) for facts in live.values())
    rows = await Demand.filter(_open(today)).filter(Q(group__in=sorted(groups)) | Q(group=None)).values(
        *DEMAND_FIELDS)
    rows = [r for r in rows if r["id"] not in skip and (r["min_stars"] or 0) <= best_stars]
    hits = await find_candidates(search, [candidate_request(r) for r in rows], only_ids=sorted(live))
    listed: set[int] = set()
    for chunk in _chunks(live):
        listed |= await id_set(Match.filter(product_id__in=chunk).values_list("demand_id", flat=True))
    touched = {d for d, found in hits.items() if found} | listed
    stored = await _stored(touched)
    by_id = {r["id"]: r for r in rows}
    plans: dict[int, list[Planned]] = {}
    buyers: dict[int, int] = {}
    for demand_id in sorted(touched - skip):
        row = by_id.get(demand_id)
        if row is None:  # listed for a demand outside the searched set (e.g. group changed)
            again.add(demand_id)
            continue
        fresh = {s.product_id: s for s in _score_hits(demand_facts(row), hits.get(demand_id, []), live)}
        have = {m["product_id"]: m for m in stored.get(demand_id, [])}
        if any(pid in have and (pid not in fresh or fresh[pid].score < have[pid]["score"]) for pid in live):
            again.add(demand_id)
            continue
        kept = [_from_row(m) for pid, m in have.items() if pid not in live]
        plans[demand_id] = _ranked(kept + [planned(s) for s in fresh.values()])
        buyers[demand_id] = row["buyer_id"]
    report.products_examined = len(products)
    return plans, again - skip, buyers


# -- the run ------------------------------------------------------------------------------------------


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
    started = time.perf_counter()
    today = today_in_vietnam(now)
    state, _ = await JobState.get_or_create(name=JOB_NAME)
    cursor = dict(state.cursor or {})
    last_full = _when(cursor.get("full"))
    full = full or last_full is None or now - last_full >= FULL_EVERY
    await JobState.filter(id=state.id).update(last_started_at=now)
    report = MatchReport(full=full)

    demand_since = None if full else _when(cursor.get("demands"))
    product_since = None if full else _when(cursor.get("products"))
    day = cursor.get("day")
    last_day = date.fromisoformat(day) if isinstance(day, str) else None
    changed = await _drop_closed(today, report, demand_since, last_day)
    query = Demand.filter(_open(today))
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
            extra = await Demand.filter(_open(today), id__in=sorted(again)).values(*DEMAND_FIELDS)
            rows += extra
            buyers.update((r["id"], r["buyer_id"]) for r in extra)
            changed |= again - {r["id"] for r in extra}  # closed meanwhile: shares to drop
    report.demands_examined = len(rows)
    report.phases["load"] = time.perf_counter() - started
    plans.update(await _search_in_full(search, rows))
    report.phases["search_score"] = time.perf_counter() - started - sum(report.phases.values())
    changed |= await _write(plans, buyers, now, report)
    report.phases["write"] = time.perf_counter() - started - sum(report.phases.values())
    report.notifications, report.emails = await announce_new_matches(
        now=now, public_url=public_url, demand_ids=None if full else set(plans))
    await _record_announced(now)
    report.phases["notify"] = time.perf_counter() - started - sum(report.phases.values())
    known = {
        demand_id: [{"demand_id": demand_id, "product_id": m.product_id, "score": m.score,
                     "components": m.components} for m in items]
        for demand_id, items in plans.items()
    }
    report.sourcing = await update_sourcing(None if full else changed, today=today, known=known)
    report.phases["sourcing"] = time.perf_counter() - started - sum(report.phases.values())

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
