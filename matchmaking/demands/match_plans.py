"""What a demand should be matched with: its search, its candidates' facts, and their scores.

The read side of the match job: demands and products as the plain facts scoring needs
(matchmaking.demands.scoring), one multi-search for many demands (search.candidates), and each
demand's best `TOP_K` as `Planned` matches, ready to be stored by matchmaking.demands.match_store.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from tortoise.expressions import Q

from matchmaking import units
from matchmaking.bulk import JsonText, compact_json
from matchmaking.demands.phrases import understand
from matchmaking.demands.reasons import Reason, render_reasons
from matchmaking.demands.scoring import (
    DemandFacts,
    ProductFacts,
    Scored,
    best,
    score_product,
)
from matchmaking.enums import DemandStatus, ProductStatus, Recurrence
from matchmaking.models import Product
from search.candidates import BATCH, PARALLEL, Candidate, CandidateRequest, find_candidates
from search.client import SearchClient

TOP_K = 10
CHUNK = 5_000  # ids per IN (...) list
SLICE = BATCH * PARALLEL  # demands searched while the slices before are scored
AHEAD = 2  # slices searched ahead: Meilisearch answers unevenly, a slice a little slow waits less

DEMAND_FIELDS = (
    "id", "buyer_id", "title", "keywords", "group", "subgroup", "quantity", "unit", "price_unit",
    "recurrence", "max_price_vnd", "min_stars", "required_marks", "delivery_province_code",
    "needed_by", "updated_at",
)
FACT_FIELDS = (  # what `product_facts` reads
    "id", "producer_id", "group", "subgroup", "price_vnd", "unit", "min_order", "monthly_capacity",
    "verified_stars", "verified_expiry", "quality_marks", "producer__province_code", "net_quantity",
    "net_unit",
)
PRODUCT_FIELDS = (*FACT_FIELDS, "status", "updated_at")


@dataclass(frozen=True)
class Planned:
    """A match as it should be stored (rank aside)."""

    product_id: int
    producer_id: int
    score: float
    components: dict[str, Any]
    reasons: list[str]
    # Components and reasons as stored, when planned here from scores (else encoded on writing).
    encoded: tuple[JsonText, JsonText] | None = None


def chunks(ids: Iterable[int]) -> list[list[int]]:
    """The ids, sorted and unique, in lists short enough for one IN (...) each."""
    ordered = sorted(set(ids))
    return [ordered[i:i + CHUNK] for i in range(0, len(ordered), CHUNK)]


def open_demands(today: date) -> Q:
    """Open means status open and `valid_until` not passed."""
    return Q(status=DemandStatus.OPEN, valid_until__gte=today)


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


async def published_facts(ids: Iterable[int]) -> dict[int, ProductFacts]:
    found: dict[int, ProductFacts] = {}
    for chunk in chunks(ids):
        # Not the update times: parsing 30,000 of them was a tenth of reading the facts.
        rows = await Product.filter(id__in=chunk, status=ProductStatus.PUBLISHED).values(*FACT_FIELDS)
        found.update((row["id"], product_facts(row)) for row in rows)
    return found


_REASONS: dict[tuple[Any, ...], tuple[dict[str, Any], str, str, str]] = {}


def _reason_parts(reason: Reason) -> tuple[dict[str, Any], str, str, str]:
    """A reason as stored, its Vietnamese text, and both as JSON text. A full run stores a few
    thousand distinct reasons half a million times: each is rendered and encoded once (the
    stored forms are shared by the matches that give the same reason; nothing changes them).
    Parameters are whole numbers and codes (`scoring.explain`), so equal keys mean equal JSON."""
    key = (reason.code, *reason.params.items())
    try:
        return _REASONS[key]
    except KeyError:
        remember = len(_REASONS) < 50_000
    except TypeError:  # a parameter that is no plain value
        remember = False
    stored = reason.as_json()
    text = render_reasons([reason])[0]
    parts = (stored, text, compact_json(stored), compact_json(text))
    if remember:
        _REASONS[key] = parts
    return parts


def planned(scored: Scored) -> Planned:
    stored, texts, stored_json, texts_json = zip(*map(_reason_parts, scored.reasons), strict=True) \
        if scored.reasons else ((), (), (), ())
    components: dict[str, Any] = dict(scored.components)
    components["reasons"] = list(stored)
    # The same text as encoding `components` whole: the scores' object, then the reasons.
    head = compact_json(scored.components)[:-1]
    encoded = (JsonText(f'{head}{"," if len(head) > 1 else ""}"reasons":[{",".join(stored_json)}]}}'),
               JsonText(f'[{",".join(texts_json)}]'))
    return Planned(scored.product_id, scored.producer_id, scored.score, components, list(texts), encoded)


def from_row(row: dict[str, Any]) -> Planned:
    """A stored match (a row of match_store.MATCH_FIELDS) as planned."""
    return Planned(row["product_id"], row["producer_id"], row["score"], row["components"], row["reasons"])


def ranked(items: Sequence[Planned]) -> list[Planned]:
    """The best `TOP_K`, best first; ties go to the lower product id."""
    return sorted(items, key=lambda p: (-p.score, p.product_id))[:TOP_K]


def score_hits(demand: DemandFacts, hits: Sequence[Candidate],
               facts: dict[int, ProductFacts], limit: int | None = None) -> list[Scored]:
    """The hits of the product asked for that meet the buyer's hard rules, scored; with `limit`,
    only the best that many, best first (reasons are worked out for those alone)."""
    if limit is not None:
        return best(demand, ((facts[c.product_id], c.relevance) for c in hits if c.product_id in facts),
                    limit)
    scored = (score_product(demand, facts[c.product_id], c.relevance) for c in hits if c.product_id in facts)
    return [s for s in scored if s is not None]


async def search_in_full(search: SearchClient, rows: Sequence[dict[str, Any]]) -> dict[int, list[Planned]]:
    """Each demand's best TOP_K from a fresh search.

    Demands go in slices of what Meilisearch answers in one round (search.candidates.BATCH times
    PARALLEL queries): while this process scores one slice, Meilisearch already searches the next
    two, so the two share the machine's cores instead of taking turns. Demands asking alike are
    sorted next to each other, so that their identical queries fall in one slice, sent once.
    """
    if not rows:
        return {}
    by_id = {row["id"]: row for row in rows}
    requests = sorted((candidate_request(row) for row in rows), key=_alike)
    slices = [requests[i:i + SLICE] for i in range(0, len(requests), SLICE)]
    plans: dict[int, list[Planned]] = {}
    facts: dict[int, ProductFacts] = {}
    asked: set[int] = set()  # products read already, over all slices (published or not)
    ahead = deque(asyncio.ensure_future(find_candidates(search, part)) for part in slices[:AHEAD])
    try:
        for position in range(len(slices)):
            found = await ahead.popleft()
            if position + AHEAD < len(slices):
                ahead.append(asyncio.ensure_future(find_candidates(search, slices[position + AHEAD])))
            wanted = {c.product_id for hits in found.values() for c in hits} - asked
            asked |= wanted
            facts.update(await published_facts(wanted))
            for demand_id, hits in found.items():
                plans[demand_id] = [planned(s) for s in score_hits(
                    demand_facts(by_id[demand_id]), hits, facts, TOP_K)]
    finally:
        for searching in ahead:  # slices searched for a run that failed: nobody waits for them
            searching.cancel()
    return plans


def _alike(request: CandidateRequest) -> tuple[Any, ...]:
    return (request.group or "", request.subgroup or "", request.words, request.places,
            request.min_stars or 0, request.required_marks, request.needed_by, request.demand_id)
