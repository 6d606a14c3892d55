"""The products index: its settings and how a product becomes a search document."""

from __future__ import annotations

from datetime import date
from typing import Any

from matchmaking.enums import ProductStatus
from matchmaking.models import Product
from matchmaking.places import short_province_name, ward_name

INDEX = "products"

SYNONYMS: dict[str, list[str]] = {
    "chè": ["trà"],
    "trà": ["chè"],
    "che": ["tra"],
    "tra": ["che"],
    "mắm": ["nước mắm"],
    "thổ cẩm": ["dệt thổ cẩm"],
    "homestay": ["nhà nghỉ cộng đồng"],
}

SETTINGS: dict[str, Any] = {
    "searchableAttributes": [
        "name", "subgroup_label", "producer.name", "description", "places",
    ],
    "filterableAttributes": [
        "id", "group", "subgroup", "province_code", "stars", "certified", "quality_marks",
        "producer.kind", "producer.id", "price_vnd", "monthly_capacity", "status",
    ],
    "sortableAttributes": ["price_vnd", "stars", "published_ts", "certified"],
    "rankingRules": ["words", "typo", "proximity", "attribute", "sort", "exactness",
                     "certified:desc"],
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
