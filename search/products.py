"""The products index: its settings and how a product becomes a search document."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import date, datetime
from functools import cache
from typing import Any, cast

from matchmaking.catalogue.certification import counts_as_certified
from matchmaking.enums import ProductStatus
from matchmaking.models import Product
from matchmaking.places import WARD_PREFIXES, fold, named_places, short_province_name, ward_name

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

@cache
def folded_synonyms() -> dict[str, tuple[str, ...]]:
    """One-word synonyms, folded: 'che' -> ('tra',)."""
    table: dict[str, tuple[str, ...]] = {}
    for word, others in SYNONYMS.items():
        key = fold(word)
        if " " not in key:
            table[key] = tuple(dict.fromkeys(fold(other) for other in others))
    return table


SETTINGS: dict[str, Any] = {
    "searchableAttributes": [
        "name", "subgroup_label", "producer.name", "description", "places",
    ],
    "filterableAttributes": [
        "id", "group", "subgroup", "province_code", "stars", "certified", "quality_marks",
        "producer.kind", "producer.id", "price_vnd", "monthly_capacity", "status",
        "certificate_expiry_day", "verification", "place_keys",
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


def expiry_day(day: date | None) -> int | None:
    """A date as the number YYYYMMDD (None stays None), comparable inside Meilisearch filters."""
    return day.year * 10_000 + day.month * 100 + day.day if day else None


# The columns a document is built from, as `Product.values(*ROW_FIELDS)` returns them: a full
# rebuild reads plain rows, which is several times faster than building model instances.
ROW_FIELDS = (
    "id", "name", "group", "subgroup", "description", "stars", "verification", "verified_stars",
    "verified_expiry", "price_vnd",
    "unit", "min_order", "monthly_capacity", "quality_marks", "status", "published_at",
    "updated_at", "producer_id", "producer__name", "producer__kind", "producer__province_code",
    "producer__ward_code",
)


def document(product: Product, today: date) -> dict[str, Any]:
    """The search document of a product whose producer is loaded."""
    producer = product.producer
    row = {name: getattr(product, name) for name in ROW_FIELDS if "__" not in name}
    row.update({
        "producer_id": producer.id, "producer__name": producer.name, "producer__kind": producer.kind,
        "producer__province_code": producer.province_code,
        "producer__ward_code": producer.ward_code,
    })
    return document_from_row(row, today)


_WORD = re.compile(r"[^\W_]+")


def place_keys(name: str, province_code: int, ward_code: int | None) -> list[str]:
    """The places a product is from or named after, folded, for the place match of a search
    (search.places): its producer's province and ward, and a place its name carries ("Nước mắm
    Phú Quốc" from elsewhere in An Giang). Never the producer's name: a person named Phú Quốc is
    no place."""
    ward = ward_name(ward_code)
    for prefix in WARD_PREFIXES:
        ward = ward.removeprefix(prefix)
    keys = [fold(short_province_name(province_code)), fold(ward)]
    keys += [key for *_, key, _ in named_places(_WORD.findall(name))]
    return list(dict.fromkeys(key for key in keys if key))


def _day(value: object) -> date | None:
    return date.fromisoformat(value[:10]) if isinstance(value, str) else cast(date | None, value)


def _moment(value: object) -> datetime | None:
    return datetime.fromisoformat(value) if isinstance(value, str) else cast(datetime | None, value)


def document_from_row(row: Mapping[str, Any], today: date) -> dict[str, Any]:
    """The search document of one row of ROW_FIELDS, decoded or as the driver returns it
    (SQLite gives dates and JSON as text)."""
    province = row["producer__province_code"]
    places = [short_province_name(province), ward_name(row["producer__ward_code"])]
    published = _moment(row["published_at"] or row["updated_at"])
    # Only stars verified against the register count (filters, facets, ranking); a producer's
    # unverified claim is shown as such ("chờ xác minh") but filters as unrated.
    stars, expiry = row["verified_stars"], _day(row["verified_expiry"])
    marks = row["quality_marks"]
    if isinstance(marks, str):
        marks = json.loads(marks)
    return {
        "id": row["id"],
        "name": row["name"],
        "group": str(row["group"]),
        "subgroup": row["subgroup"],
        "subgroup_label": row["subgroup"].replace("_", " "),
        "description": row["description"][:2000],
        "stars": stars,
        "claimed_stars": row["stars"],
        "verification": str(row["verification"]),
        "certified": counts_as_certified(stars, expiry, today),
        "certificate_expiry": expiry.isoformat() if expiry else None,
        # YYYYMMDD as a number, so searches filter on validity at query time, not index time.
        "certificate_expiry_day": expiry_day(expiry),
        "price_vnd": row["price_vnd"],
        "unit": row["unit"],
        "min_order": float(row["min_order"]),
        "monthly_capacity": float(row["monthly_capacity"]),
        "quality_marks": list(marks or []),
        "status": str(row["status"]),
        "province_code": province,
        "places": [place for place in places if place],
        "place_keys": place_keys(row["name"], province, row["producer__ward_code"]),
        "published_ts": int(published.timestamp()) if published else 0,
        "producer": {
            "id": row["producer_id"],
            "name": row["producer__name"],
            "kind": str(row["producer__kind"]),
            "province_code": province,
            "province": short_province_name(province),
        },
    }


def indexable(product: Product) -> bool:
    """Only published products are in the public index."""
    return product.status == ProductStatus.PUBLISHED
