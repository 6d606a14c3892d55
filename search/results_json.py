"""The JSON shape of search results, as GET /api/products answers them."""

from __future__ import annotations

from typing import TypedDict


class HitProducerJson(TypedDict):
    id: int
    name: str
    kind: str
    province_code: int
    province: str


class HighlightJson(TypedDict):
    """HTML: escaped text with <mark> around matches."""

    name: str
    snippet: str


class HitJson(TypedDict):
    id: int
    name: str
    group: str
    subgroup: str
    stars: int | None
    certified: bool
    verification: str
    claimed_stars: int | None
    certificate_expiry: str | None
    price_vnd: int
    unit: str
    min_order: float
    quality_marks: list[str]
    producer: HitProducerJson
    highlight: HighlightJson


class ResultsJson(TypedDict):
    """Facets map group, province (code), stars, mark and producer_kind values to counts."""

    hits: list[HitJson]
    total: int
    facets: dict[str, dict[str, int]]
    page: int
    per_page: int
    degraded: bool
