"""Searching published products: a typed query, its Meilisearch request, safe highlights.

Certification depends on the day: the index stores each certificate's expiry as a number
(`certificate_expiry_day`), the `certified` filter compares it with today's date at query time,
and each hit's `certified` flag is recomputed the same way, so a certificate that lapses after
indexing is never shown as valid. Only the `certified:desc` ranking rule reads the flag stored at
indexing time; `enqueue_lapsed_certificates`, run daily, re-queues those products for the index.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from markupsafe import Markup, escape

from config.i18n import gettext as _
from matchmaking.catalogue.certification import counts_as_certified
from matchmaking.enums import ProducerKind, ProductGroup, QualityMark
from matchmaking.places import place_words, resolve_province, short_province_name
from matchmaking.taxonomy import SUBGROUPS
from search import products
from search.client import SearchClient
from search.place_match import place_match, search_placed
from search.products import expiry_day
from search.results_json import HitJson, ResultsJson

SORTS = ("relevance", "price_asc", "price_desc", "stars", "newest")
DEFAULT_PER_PAGE = 20
MAX_PER_PAGE = 100
MAX_PAGE = 1_000
MAX_QUERY_CHARS = 200
MAX_PRICE = 10**12

# Our name for each facet -> the attribute Meilisearch counts.
FACETS: dict[str, str] = {
    "group": "group",
    "province": "province_code",
    "stars": "stars",
    "mark": "quality_marks",
    "producer_kind": "producer.kind",
}

_SORT_RULES: dict[str, list[str]] = {
    "relevance": [],
    "price_asc": ["price_vnd:asc"],
    "price_desc": ["price_vnd:desc"],
    "stars": ["certified:desc", "stars:desc"],
    "newest": ["published_ts:desc"],
}

# What a hit shows (ProductHit), and nothing more: the description only comes cropped, in
# `_formatted`, so a page of 20 hits weighs a fraction of the full documents.
HIT_ATTRIBUTES = [
    "id", "name", "group", "subgroup", "stars", "certificate_expiry", "price_vnd", "unit",
    "min_order", "quality_marks", "province_code", "producer.id", "producer.name", "producer.kind",
    "verification", "claimed_stars",
]

# Private-use characters as highlight tags: they cannot be confused with markup in the text,
# so the text is escaped first and only these become <mark> tags.
HIGHLIGHT_PRE = "\ue000"
HIGHLIGHT_POST = "\ue001"

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


@dataclass(frozen=True)
class ProductQuery:
    """What a visitor asks the catalogue; every field is already checked."""

    q: str = ""
    group: ProductGroup | None = None
    subgroup: str | None = None
    province: int | None = None
    min_stars: int | None = None
    certified: bool | None = None
    marks: tuple[QualityMark, ...] = ()
    producer_kind: ProducerKind | None = None
    price_min: int | None = None
    price_max: int | None = None
    sort: str = "relevance"
    page: int = 1
    per_page: int = DEFAULT_PER_PAGE
    place: str | None = None  # the place words read from `q` as the `province` filter

    @property
    def has_filters(self) -> bool:
        return any(
            value not in (None, ())
            for value in (self.group, self.subgroup, self.province, self.min_stars, self.certified,
                          self.marks, self.producer_kind, self.price_min, self.price_max)
        )

    def to_params(self, **changes: Any) -> list[tuple[str, str]]:
        """Query-string pairs for this query with `changes` applied; the page resets to 1."""
        values = {"page": 1, **changes}
        return [pair for name in PARAM_FIELDS
                for pair in field_params(name, values[name] if name in values else getattr(self, name))]


# ProductQuery's fields in the order their parameters appear in a query string.
PARAM_FIELDS = ("q", "group", "subgroup", "province", "min_stars", "producer_kind", "price_min",
                "price_max", "certified", "marks", "sort", "per_page", "page")


def field_params(name: str, value: Any) -> list[tuple[str, str]]:
    """The query-string pairs of ProductQuery field `name` holding `value` (none for a default)."""
    if name == "certified":
        return [] if value is None else [("certified", "true" if value else "false")]
    if name == "marks":
        return [("mark", str(mark)) for mark in value]
    if name == "sort":
        return [] if value == "relevance" else [("sort", value)]
    if name == "per_page":
        return [] if value == DEFAULT_PER_PAGE else [("per_page", str(value))]
    if name == "page":
        return [] if value == 1 else [("page", str(value))]
    return [] if value in (None, "") else [(name, str(value))]


@dataclass(frozen=True)
class ProductHit:
    """One found product, with its name and snippet as safe HTML where matches are marked."""

    id: int
    name: str
    group: str
    subgroup: str
    stars: int | None
    certified: bool
    certificate_expiry: date | None
    price_vnd: int
    unit: str
    min_order: float
    quality_marks: tuple[str, ...]
    producer_id: int
    producer_name: str
    producer_kind: str
    province_code: int
    name_html: Markup
    snippet_html: Markup
    verification: str = "none"
    claimed_stars: int | None = None

    @property
    def state(self) -> str:
        """As matchmaking.catalogue.certification.certificate_state names it."""
        if self.certified:
            return "certified"
        if self.verification == "verified":
            return "expired" if self.stars is not None else "below"
        return self.verification if self.verification in ("pending", "rejected") else "unrated"

    @property
    def province(self) -> str:
        return short_province_name(self.province_code)

    def as_json(self) -> HitJson:
        return {
            "id": self.id,
            "name": self.name,
            "group": self.group,
            "subgroup": self.subgroup,
            "stars": self.stars,
            "certified": self.certified,
            "verification": self.verification,
            "claimed_stars": self.claimed_stars,
            "certificate_expiry": self.certificate_expiry.isoformat()
            if self.certificate_expiry else None,
            "price_vnd": self.price_vnd,
            "unit": self.unit,
            "min_order": self.min_order,
            "quality_marks": list(self.quality_marks),
            "producer": {
                "id": self.producer_id,
                "name": self.producer_name,
                "kind": self.producer_kind,
                "province_code": self.province_code,
                "province": self.province,
            },
            "highlight": {"name": str(self.name_html), "snippet": str(self.snippet_html)},
        }


@dataclass(frozen=True)
class ProductResults:
    """One page of results; `degraded` when they came from the database instead of the index."""

    hits: list[ProductHit]
    total: int
    facets: dict[str, dict[str, int]]
    page: int
    per_page: int
    degraded: bool = False
    notes: list[str] = field(default_factory=list)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    def as_json(self) -> ResultsJson:
        return {
            "hits": [hit.as_json() for hit in self.hits],
            "total": self.total,
            "facets": self.facets,
            "page": self.page,
            "per_page": self.per_page,
            "degraded": self.degraded,
        }


# -- parsing ------------------------------------------------------------------------------------

def _values(params: Mapping[str, Sequence[str]], name: str) -> list[str]:
    """Non-empty values of a parameter; 'a,b' counts as two (forms send empty selects)."""
    found: list[str] = []
    for value in params.get(name, ()):
        found += [part.strip() for part in value.split(",") if part.strip()]
    return found


def _one(params: Mapping[str, Sequence[str]], name: str) -> str | None:
    values = [v.strip() for v in params.get(name, ()) if v.strip()]
    return values[-1] if values else None


def _whole(text: str | None, low: int, high: int) -> int | None:
    if text is None or not re.fullmatch(r"\d{1,13}", text):
        return None
    number = int(text)
    return number if low <= number <= high else None


def _price(text: str) -> int | None:
    cleaned = text.lower().replace("₫", "").replace("vnd", "").replace("đ", "").strip()
    if re.fullmatch(r"\d{1,3}([.,\s]\d{3})+|\d{1,13}", cleaned):
        number = int(re.sub(r"[.,\s]", "", cleaned))
        return number if number <= MAX_PRICE else None
    return None


def parse_product_query(params: Mapping[str, Sequence[str]]) -> ProductQuery:
    """A ProductQuery from request parameters; ValidationFailed names every bad one."""
    from matchmaking.errors import ValidationFailed

    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    q = " ".join((_one(params, "q") or "").split())
    if len(q) > MAX_QUERY_CHARS:
        errors["q"] = _("The search text is too long.")
    values["q"], place = place_words(q)
    if place is not None and _one(params, "province") is None:
        values["province"], values["place"] = place[1], place[0]
    elif place is not None:
        values["q"] = q  # a province chosen as well: the words stay words

    group = _one(params, "group")
    if group is not None:
        if group in {g.value for g in ProductGroup}:
            values["group"] = ProductGroup(group)
        else:
            errors["group"] = _("Unknown product group.")
    subgroup = _one(params, "subgroup")
    if subgroup is not None:
        known = {code for codes in SUBGROUPS.values() for code in codes}
        if subgroup in known:
            values["subgroup"] = subgroup
        else:
            errors["subgroup"] = _("Unknown product sub-group.")

    province = _one(params, "province")
    if province is not None:
        code = resolve_province(province)
        if code is None:
            errors["province"] = _("Unknown province.")
        values["province"] = code

    min_stars = _one(params, "min_stars")
    if min_stars is not None:
        values["min_stars"] = _whole(min_stars, 1, 5)
        if values["min_stars"] is None:
            errors["min_stars"] = _("Stars go from 1 to 5.")

    certified = _one(params, "certified")
    if certified is not None:
        if certified.lower() in _TRUE | _FALSE:
            values["certified"] = certified.lower() in _TRUE
        else:
            errors["certified"] = _("Use true or false.")

    marks = _values(params, "mark")
    known_marks = {mark.value for mark in QualityMark}
    if any(mark not in known_marks for mark in marks):
        errors["mark"] = _("Unknown quality mark.")
    else:
        values["marks"] = tuple(dict.fromkeys(QualityMark(mark) for mark in marks))

    kind = _one(params, "producer_kind")
    if kind is not None:
        if kind in {k.value for k in ProducerKind}:
            values["producer_kind"] = ProducerKind(kind)
        else:
            errors["producer_kind"] = _("Unknown kind of producer.")

    for name in ("price_min", "price_max"):
        text = _one(params, name)
        if text is not None:
            values[name] = _price(text)
            if values[name] is None:
                errors[name] = _("Enter a whole amount in đồng, e.g. 120.000.")
    low, high = values.get("price_min"), values.get("price_max")
    if low is not None and high is not None and low > high:
        errors["price_max"] = _("The highest price is below the lowest.")

    sort = _one(params, "sort") or "relevance"
    if sort not in SORTS:
        errors["sort"] = _("Unknown sort order.")
    values["sort"] = sort

    page = _one(params, "page")
    values["page"] = 1 if page is None else _whole(page, 1, MAX_PAGE)
    if values["page"] is None:
        errors["page"] = _("The page is a number from 1 to 1000.")
    per_page = _one(params, "per_page")
    values["per_page"] = DEFAULT_PER_PAGE if per_page is None else _whole(per_page, 1, MAX_PER_PAGE)
    if values["per_page"] is None:
        errors["per_page"] = _("Results per page go from 1 to 100.")

    if errors:
        raise ValidationFailed(errors)
    return ProductQuery(**values)


# -- the Meilisearch request ----------------------------------------------------------------------

def certified_filter(certified: bool, today: date) -> str:
    """Valid on `today`: 3-5 stars and a certificate that has not expired."""
    day = expiry_day(today)
    if certified:
        return f"stars >= 3 AND certificate_expiry_day >= {day}"
    return (
        "stars NOT EXISTS OR stars IS NULL OR stars < 3 OR certificate_expiry_day NOT EXISTS "
        f"OR certificate_expiry_day IS NULL OR certificate_expiry_day < {day}"
    )


def meili_filters(query: ProductQuery, today: date) -> list[str]:
    """The filter expressions, ANDed; every value is an enum member or a number, never raw text."""
    filters: list[str] = []
    if query.group is not None:
        filters.append(f'group = "{query.group.value}"')
    if query.subgroup is not None:
        filters.append(f'subgroup = "{query.subgroup}"')
    if query.province is not None:
        filters.append(f"province_code = {int(query.province)}")
    if query.min_stars is not None:
        filters.append(f"stars >= {int(query.min_stars)}")
    if query.certified is not None:
        filters.append(f"({certified_filter(query.certified, today)})")
    filters += [f'quality_marks = "{mark.value}"' for mark in query.marks]
    if query.producer_kind is not None:
        filters.append(f'producer.kind = "{query.producer_kind.value}"')
    if query.price_min is not None:
        filters.append(f"price_vnd >= {int(query.price_min)}")
    if query.price_max is not None:
        filters.append(f"price_vnd <= {int(query.price_max)}")
    return filters


def search_request(query: ProductQuery, today: date) -> dict[str, Any]:
    """The body of Meilisearch's search call for `query`."""
    request: dict[str, Any] = {
        "filter": meili_filters(query, today),
        "facets": list(FACETS.values()),
        "page": query.page,
        "hitsPerPage": query.per_page,
        "attributesToRetrieve": HIT_ATTRIBUTES,
        "attributesToHighlight": ["name", "description"],
        "attributesToCrop": ["description"],
        "cropLength": 24,
        "cropMarker": "…",
        "highlightPreTag": HIGHLIGHT_PRE,
        "highlightPostTag": HIGHLIGHT_POST,
    }
    if _SORT_RULES[query.sort]:
        request["sort"] = _SORT_RULES[query.sort]
    return request


def safe_highlight(text: str) -> Markup:
    """`text` HTML-escaped, with only the highlight tags turned into <mark> elements."""
    escaped = str(escape(text))
    if escaped.count(HIGHLIGHT_PRE) != escaped.count(HIGHLIGHT_POST):
        # The text itself held one of the private-use tags: show it without any highlight.
        return Markup(escaped.replace(HIGHLIGHT_PRE, "").replace(HIGHLIGHT_POST, ""))
    return Markup(escaped.replace(HIGHLIGHT_PRE, "<mark>").replace(HIGHLIGHT_POST, "</mark>"))


def _hit(raw: Mapping[str, Any], today: date) -> ProductHit:
    formatted = raw.get("_formatted") or {}
    producer = raw.get("producer") or {}
    expiry = date.fromisoformat(raw["certificate_expiry"]) if raw.get("certificate_expiry") else None
    return ProductHit(
        id=int(raw["id"]),
        name=raw["name"],
        group=raw["group"],
        subgroup=raw.get("subgroup") or "",
        stars=raw.get("stars"),
        certified=counts_as_certified(raw.get("stars"), expiry, today),
        certificate_expiry=expiry,
        price_vnd=int(raw["price_vnd"]),
        unit=raw.get("unit") or "",
        min_order=float(raw.get("min_order") or 1),
        quality_marks=tuple(raw.get("quality_marks") or ()),
        producer_id=int(producer.get("id", 0)),
        producer_name=producer.get("name", ""),
        producer_kind=producer.get("kind", ""),
        province_code=int(raw.get("province_code") or producer.get("province_code") or 0),
        name_html=safe_highlight(str(formatted.get("name", raw["name"]))),
        snippet_html=safe_highlight(str(formatted.get("description", ""))),
        verification=str(raw.get("verification") or "none"),
        claimed_stars=raw.get("claimed_stars"),
    )


def _facets(distribution: Mapping[str, Mapping[str, int]]) -> dict[str, dict[str, int]]:
    return {name: dict(distribution.get(attribute, {})) for name, attribute in FACETS.items()}


async def search_products(client: SearchClient, query: ProductQuery, *, today: date) -> ProductResults:
    """One page of published products from Meilisearch.

    Raises search.errors.SearchUnavailable (or another SearchError) when Meilisearch fails.
    """
    placed = place_match(query.q, query.place, query.province)
    request = search_request(query, today)
    answer = await (search_placed(client, placed.words, placed.keys, request) if placed.keys
                    else client.search(products.INDEX, query.q, request))
    notes = [_("“%(place)s” is a place: products from there, or named after it, come first.")
             % {"place": ward} for ward in placed.wards]
    return ProductResults(
        hits=[_hit(raw, today) for raw in answer.get("hits", [])],
        total=int(answer.get("totalHits", 0)),
        facets=_facets(answer.get("facetDistribution") or {}),
        page=query.page,
        per_page=query.per_page,
        notes=notes,
    )
