"""The products index: its settings and how a product becomes a search document."""

from __future__ import annotations

from datetime import date
from typing import Any

from matchmaking.enums import ProductStatus
from matchmaking.models import Product
from matchmaking.places import short_province_name, ward_name

INDEX = "products"

# Meilisearch folds accents and đ itself, in documents, queries and synonyms ("tra" finds "Trà",
# "dau" finds "Đậu", "che" finds "Trà"). Only exact equivalents and English names of Vietnamese
# products belong here: loose pairs (gạo/lúa) would hurt precision.
SYNONYMS: dict[str, list[str]] = {
    "chè": ["trà"],
    "trà": ["chè"],
    "che": ["tra"],
    "tra": ["che"],
    "mắm": ["nước mắm"],
    "thổ cẩm": ["dệt thổ cẩm"],
    "homestay": ["nhà nghỉ cộng đồng"],
    "cà phê": ["cafe"],
    "ca phe": ["cafe"],
    "cafe": ["cà phê"],
    "htx": ["hợp tác xã"],
    "hợp tác xã": ["htx"],
    "hop tac xa": ["htx"],
    "tea": ["trà", "chè"],
    "coffee": ["cà phê"],
    "honey": ["mật ong"],
    "rice": ["gạo"],
    "fish sauce": ["nước mắm"],
}

SETTINGS: dict[str, Any] = {
    "searchableAttributes": [
        "name", "subgroup_label", "producer.name", "description", "places",
    ],
    "filterableAttributes": [
        "id", "group", "subgroup", "province_code", "stars", "certified", "quality_marks",
        "producer.kind", "producer.id", "price_vnd", "monthly_capacity", "status",
        "certificate_expiry_day",
    ],
    "sortableAttributes": ["price_vnd", "stars", "published_ts", "certified"],
    # `certified` before `exactness`: among equally good matches a product with a valid
    # certificate comes first, yet an explicit `sort` (price, newest) still decides the order.
    "rankingRules": ["words", "typo", "proximity", "attribute", "sort", "certified:desc",
                     "exactness"],
    "synonyms": SYNONYMS,
    "pagination": {"maxTotalHits": 100_000},
    "faceting": {"maxValuesPerFacet": 100},
}


def is_certified(product: Product, today: date) -> bool:
    """3-5 stars with a certificate that has not expired."""
    return (
        product.stars is not None
        and product.stars >= 3
        and product.certificate_expiry is not None
        and product.certificate_expiry >= today
    )


def expiry_day(day: date | None) -> int | None:
    """A date as the number YYYYMMDD (None stays None), comparable inside Meilisearch filters."""
    return day.year * 10_000 + day.month * 100 + day.day if day else None


def document(product: Product, today: date) -> dict[str, Any]:
    """The search document of a product whose producer is loaded."""
    producer = product.producer
    places = [short_province_name(producer.province_code), ward_name(producer.ward_code)]
    published = product.published_at or product.updated_at
    return {
        "id": product.id,
        "name": product.name,
        "group": str(product.group),
        "subgroup": product.subgroup,
        "subgroup_label": product.subgroup.replace("_", " "),
        "description": product.description[:2000],
        "stars": product.stars,
        "certified": is_certified(product, today),
        "certificate_expiry": product.certificate_expiry.isoformat()
        if product.certificate_expiry
        else None,
        # YYYYMMDD as a number, so searches filter on validity at query time, not index time.
        "certificate_expiry_day": expiry_day(product.certificate_expiry),
        "price_vnd": product.price_vnd,
        "unit": product.unit,
        "min_order": product.min_order,
        "monthly_capacity": product.monthly_capacity,
        "quality_marks": list(product.quality_marks),
        "status": str(product.status),
        "province_code": producer.province_code,
        "places": [place for place in places if place],
        "published_ts": int(published.timestamp()) if published else 0,
        "producer": {
            "id": producer.id,
            "name": producer.name,
            "kind": str(producer.kind),
            "province_code": producer.province_code,
            "province": short_province_name(producer.province_code),
        },
    }


def indexable(product: Product) -> bool:
    """Only published products are in the public index."""
    return product.status == ProductStatus.PUBLISHED
