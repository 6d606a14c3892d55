"""Near misses: products of the kind a demand asks for that fail the buyer's own hard rules.

A read model for the demand's buyer, worked out when the page is read and never stored, ranked
with the matches or announced: the demand's search again (search.candidates, the same product
words, group and sub-group) with its minimum stars and required marks left out, keeping the
products that `scoring.misses` rejects, each with what it lacks in the buyer's words ("3 sao,
cần 4 sao", "chưa có chứng nhận hữu cơ", "chứng nhận OCOP hết hạn trước ngày cần hàng"). The
nearest come first: fewest rules missed, then the score they would have without those rules.
A demand without minimum stars or required marks has none; so has one when search is down.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace

from matchmaking.demands.matching import (
    DEMAND_FIELDS,
    PRODUCT_FIELDS,
    candidate_request,
    demand_facts,
    product_facts,
)
from matchmaking.demands.reasons import render_reasons
from matchmaking.demands.scoring import score_product, shortfalls
from matchmaking.enums import ProductStatus
from matchmaking.models import Demand, Product
from search.candidates import find_candidates
from search.client import SearchClient
from search.errors import SearchError

log = logging.getLogger(__name__)

LIMIT = 5


@dataclass(frozen=True)
class NearMiss:
    """A product the buyer may still want to look at, and why it is not a match."""

    product_id: int
    product_name: str
    producer_id: int
    producer_name: str
    province_code: int
    stars: int | None  # verified stars, whatever the certificate's date
    price_vnd: int
    unit: str
    reasons: list[str]  # what it lacks, in the reader's language
    codes: list[str]  # the same as codes: stars_short, uncertified, certificate_lapses, no_mark


async def near_misses(search: SearchClient | None, demand: Demand, *, language: str,
                      limit: int = LIMIT) -> list[NearMiss]:
    """The demand's near misses, nearest first (at most `limit`)."""
    row = (await Demand.filter(id=demand.id).values(*DEMAND_FIELDS))[0]
    facts = demand_facts(row)
    if search is None or (facts.min_stars is None and not facts.required_marks):
        return []
    relaxed = replace(candidate_request(row), min_stars=None, required_marks=())
    try:
        hits = (await find_candidates(search, [relaxed]))[demand.id]
    except SearchError as exc:
        log.warning("near misses of demand %s left out: %s", demand.id, exc)
        return []
    rows = {r["id"]: r for r in await Product.filter(
        id__in=[c.product_id for c in hits], status=ProductStatus.PUBLISHED,
    ).values(*PRODUCT_FIELDS, "name", "producer__name")}
    loose = replace(facts, min_stars=None, required_marks=())
    found: list[tuple[int, float, int, NearMiss]] = []
    for candidate in hits:
        product_row = rows.get(candidate.product_id)
        if product_row is None:
            continue
        product = product_facts(product_row)
        lacking = shortfalls(facts, product)
        scored = score_product(loose, product, candidate.relevance, reasons=False)
        if not lacking or scored is None:  # a match, or not the product asked for
            continue
        found.append((len(lacking), -scored.score, product.id, NearMiss(
            product_id=product.id, product_name=product_row["name"],
            producer_id=product.producer_id, producer_name=product_row["producer__name"],
            province_code=product.province_code, stars=product.stars,
            price_vnd=product.price_vnd, unit=product.unit,
            reasons=render_reasons(lacking, language), codes=[r.code for r in lacking],
        )))
    found.sort(key=lambda item: item[:3])
    return [miss for *_, miss in found[:limit]]
