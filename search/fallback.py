"""Degraded mode: when Meilisearch fails, answer the same ProductQuery from the database.

No typo tolerance or relevance ranking here: every word of the query (or its synonym) must
start a word of the name, producer or description, compared without accents. The structured
filters run in SQL; the text match, facets and order run in Python over at most
MAX_CANDIDATES rows, which is enough while the index is down.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections import Counter
from datetime import date

from markupsafe import Markup, escape
from tortoise.expressions import Q

from matchmaking.catalogue.certification import is_certified
from matchmaking.enums import ProductStatus
from matchmaking.models import Product
from matchmaking.places import fold
from search.client import SearchClient
from search.errors import SearchError
from search.place_match import place_match
from search.products import folded_synonyms
from search.query import ProductHit, ProductQuery, ProductResults, search_products

log = logging.getLogger(__name__)

MAX_CANDIDATES = 5_000
SNIPPET_CHARS = 160


async def find_products(
    client: SearchClient | None, query: ProductQuery, *, today: date
) -> ProductResults:
    """Results from Meilisearch, or from the database (degraded=True) if it cannot answer."""
    if client is not None:
        try:
            return await search_products(client, query, today=today)
        except SearchError as exc:
            log.warning("search failed, answering from the database: %s", exc)
    return await database_search(query, today=today)


def _fold_each(text: str) -> str:
    """NFC `text` lower-cased without accents, one character for one, so positions still match."""
    out = []
    for char in text:
        base = "".join(c for c in unicodedata.normalize("NFD", char) if not unicodedata.combining(c))
        base = "d" if char in "đĐ" else base.lower()
        out.append(base if len(base) == 1 else char)
    return "".join(out)


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _patterns(q: str) -> list[re.Pattern[str]]:
    """A pattern per query word: the word, or one of its synonyms, at the start of a word."""
    patterns = []
    for word in fold(q).split():
        choices = (word, *folded_synonyms().get(word, ()))
        alternation = "|".join(re.escape(choice) for choice in choices)
        patterns.append(re.compile(rf"(?<!\w)(?:{alternation})"))
    return patterns


def _matches(product: Product, patterns: list[re.Pattern[str]]) -> bool:
    text = _fold_each(_nfc(f"{product.name} {product.producer.name} {product.description}"))
    return all(pattern.search(text) for pattern in patterns)


def _highlight(text: str, patterns: list[re.Pattern[str]]) -> Markup:
    """`text` escaped, with the matched word starts wrapped in <mark>."""
    text = _nfc(text)
    folded = _fold_each(text)
    marked = [False] * len(text)
    for pattern in patterns:
        for found in pattern.finditer(folded):
            for position in range(found.start(), found.end()):
                marked[position] = True
    parts: list[str] = []
    for position, char in enumerate(text):
        starts = marked[position] and (position == 0 or not marked[position - 1])
        ends = marked[position] and (position + 1 == len(text) or not marked[position + 1])
        parts.append(("<mark>" if starts else "") + str(escape(char)) + ("</mark>" if ends else ""))
    return Markup("".join(parts))


def _sql_filters(query: ProductQuery, today: date) -> Q:
    conditions = [Q(status=ProductStatus.PUBLISHED)]
    if query.group is not None:
        conditions.append(Q(group=query.group))
    if query.subgroup is not None:
        conditions.append(Q(subgroup=query.subgroup))
    if query.province is not None:
        conditions.append(Q(producer__province_code=query.province))
    if query.min_stars is not None:
        conditions.append(Q(verified_stars__gte=query.min_stars))
    if query.certified is True:
        conditions.append(Q(verified_stars__gte=3, verified_expiry__gte=today))
    elif query.certified is False:
        conditions.append(
            Q(verified_stars__isnull=True) | Q(verified_stars__lt=3)
            | Q(verified_expiry__isnull=True) | Q(verified_expiry__lt=today)
        )
    if query.producer_kind is not None:
        conditions.append(Q(producer__kind=query.producer_kind))
    if query.price_min is not None:
        conditions.append(Q(price_vnd__gte=query.price_min))
    if query.price_max is not None:
        conditions.append(Q(price_vnd__lte=query.price_max))
    return Q(*conditions)


def _order(found: list[Product], query: ProductQuery, today: date) -> list[Product]:
    def newest(product: Product) -> float:
        stamp = product.published_at or product.updated_at
        return stamp.timestamp() if stamp else 0.0

    if query.sort == "price_asc":
        return sorted(found, key=lambda p: (p.price_vnd, p.id))
    if query.sort == "price_desc":
        return sorted(found, key=lambda p: (-p.price_vnd, p.id))
    if query.sort == "stars":
        return sorted(found, key=lambda p: (not is_certified(p, today), -(p.verified_stars or 0), p.id))
    if query.sort == "newest":
        return sorted(found, key=lambda p: (-newest(p), p.id))
    return sorted(found, key=lambda p: (not is_certified(p, today), -newest(p), p.id))


def _facets(found: list[Product]) -> dict[str, dict[str, int]]:
    counts: dict[str, Counter[str]] = {
        name: Counter() for name in ("group", "province", "stars", "mark", "producer_kind")
    }
    for product in found:
        counts["group"][str(product.group)] += 1
        counts["province"][str(product.producer.province_code)] += 1
        if product.verified_stars is not None:
            counts["stars"][str(product.verified_stars)] += 1
        counts["mark"].update(str(mark) for mark in set(product.quality_marks))
        counts["producer_kind"][str(product.producer.kind)] += 1
    return {name: dict(counter) for name, counter in counts.items()}


def _snippet(description: str, patterns: list[re.Pattern[str]]) -> Markup:
    text = " ".join(description.split())
    if len(text) > SNIPPET_CHARS:
        text = text[:SNIPPET_CHARS].rsplit(" ", 1)[0] + "…"
    return _highlight(text, patterns)


def _hit(product: Product, patterns: list[re.Pattern[str]], today: date) -> ProductHit:
    producer = product.producer
    return ProductHit(
        id=product.id, name=product.name, group=str(product.group), subgroup=product.subgroup,
        stars=product.verified_stars, certified=is_certified(product, today),
        certificate_expiry=product.verified_expiry, price_vnd=product.price_vnd,
        unit=product.unit, min_order=float(product.min_order),
        quality_marks=tuple(product.quality_marks), producer_id=producer.id,
        producer_name=producer.name, producer_kind=str(producer.kind),
        province_code=producer.province_code, name_html=_highlight(product.name, patterns),
        snippet_html=_snippet(product.description, patterns),
        verification=str(product.verification), claimed_stars=product.stars,
    )


async def database_search(query: ProductQuery, *, today: date) -> ProductResults:
    """The degraded answer: published products from the database, flagged `degraded`."""
    candidates = await (
        Product.filter(_sql_filters(query, today))
        .select_related("producer")
        .order_by("-id")
        .limit(MAX_CANDIDATES)
    )
    # A ward's name is no product word here either; the place match is the index's alone.
    patterns = _patterns(place_match(query.q, query.place, query.province).words)
    wanted = {mark.value for mark in query.marks}
    found = [
        product for product in candidates
        if wanted.issubset(product.quality_marks) and _matches(product, patterns)
    ]
    ordered = _order(found, query, today)
    start = (query.page - 1) * query.per_page
    return ProductResults(
        hits=[_hit(p, patterns, today) for p in ordered[start:start + query.per_page]],
        total=len(found),
        facets=_facets(found),
        page=query.page,
        per_page=query.per_page,
        degraded=True,
    )
