"""Public catalogue pages: /search with facets, a product page with its QR code, a producer page."""

from __future__ import annotations

import functools
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field, replace
from urllib.parse import quote_plus, urlencode

import segno
from markupsafe import Markup
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from config.i18n import current_language
from config.i18n import gettext as _
from matchmaking.catalogue import pages as catalogue_pages
from matchmaking.catalogue import products as catalogue
from matchmaking.catalogue import qr_labels
from matchmaking.clock import today_in_vietnam
from matchmaking.enums import QualityMark
from matchmaking.errors import ValidationFailed
from matchmaking.models import Product
from matchmaking.offload import in_thread
from matchmaking.places import short_province_name, ward_name
from search.fallback import find_products
from search.query import (
    PARAM_FIELDS,
    ProductHit,
    ProductQuery,
    ProductResults,
    field_params,
    parse_product_query,
)
from web.auth import current_account, public_url
from web.csrf import csrf_token
from web.fragments import slot
from web.labels import per_language
from web.page_cache import PageCache
from web.render import render
from web.urls import site_base

SORT_CHOICES = ("relevance", "price_asc", "price_desc", "stars", "newest")

# Where a facet value goes in the query string, encoded once per facet for all its values.
_SLOT = "\x00"
_SLOT_ENCODED = quote_plus(_SLOT)
# The query field each facet chooses, and what choosing it also changes.
_FACET_FIELDS: dict[str, tuple[str, dict[str, object]]] = {
    "group": ("group", {"subgroup": None}),
    "province": ("province", {}),
    "stars": ("min_stars", {}),
    "producer_kind": ("producer_kind", {}),
}


@per_language
def sort_label() -> dict[str, str]:
    return {
        "relevance": _("Best match"),
        "price_asc": _("Price: low to high"),
        "price_desc": _("Price: high to low"),
        "stars": _("Stars"),
        "newest": _("Newest"),
    }


def province_label(code: str | int) -> str:
    return short_province_name(int(code)) or str(code)


@dataclass(frozen=True)
class Photo:
    """What a result card shows of a product's first photo; compares by value, so a card
    can be reused (web.fragments)."""

    path: str
    width: int
    height: int
    has_thumbnail: bool


@dataclass(frozen=True)
class FacetValue:
    """One value of a facet with its count: chosen or not, and the link that toggles it."""

    value: str | int
    count: int
    chosen: bool
    href: str


@dataclass(frozen=True)
class SearchPage:
    """What search/results.html shows: the query, its results and how to change them."""

    query: ProductQuery
    results: ProductResults
    errors: dict[str, str]
    popular_groups: list[tuple[str, int]]
    photos: dict[int, Photo] = field(default_factory=dict)

    def link(self, **changes: object) -> str:
        """This search with `changes` (page back to 1 unless given), as
        `urlencode(query.to_params(**changes))` spells it, re-encoding only the changed fields."""
        values = {"page": 1, **changes}
        encoded = self._encoded
        parts = [urlencode(field_params(name, values[name])) if name in values else encoded[name]
                 for name in PARAM_FIELDS]
        query = "&".join(part for part in parts if part)
        return f"/search?{query}" if query else "/search"

    @functools.cached_property
    def _encoded(self) -> dict[str, str]:
        """Each field of this search as it appears in the query string ("" when left out)."""
        return {name: urlencode(field_params(name, getattr(self.query, name))) for name in PARAM_FIELDS}

    def without_filters(self) -> str:
        """The same words with every filter removed."""
        return self.link(**{name: None for name in (
            "group", "subgroup", "province", "min_stars", "certified", "producer_kind",
            "price_min", "price_max")}, marks=())

    def mark_link(self, mark: str) -> str:
        """This search with `mark` added, or removed if it is already chosen."""
        chosen = tuple(m for m in self.query.marks if m != mark)
        if len(chosen) == len(self.query.marks):
            chosen += (QualityMark(mark),)
        return self.link(marks=chosen)

    def links(self, values: list[object], **changes: object) -> list[str]:
        """`link(**changes)` for each value put in the one change that holds `_SLOT`.

        The query string is encoded once instead of once per value (a page draws dozens of
        facet links). Only for values that always appear in the query string.
        """
        pattern = self.link(**changes)
        if pattern.count(_SLOT_ENCODED) != 1:  # the visitor's own words hold the slot's code
            return [self.link(**{name: _filled(change, value) for name, change in changes.items()})
                    for value in values]
        head, tail = pattern.split(_SLOT_ENCODED)
        return [f"{head}{quote_plus(str(value))}{tail}" for value in values]

    def facet_values(self, name: str) -> list[FacetValue]:
        """A facet's values, most frequent first (stars from 5 down), each with its link."""
        marks = self.query.marks
        if name == "mark":
            counts = self.facet("mark")
            adding = self.links([value for value, _count in counts], marks=(*marks, _SLOT))
            return [FacetValue(value, count, value in marks,
                               self.mark_link(value) if value in marks else href)
                    for (value, count), href in zip(counts, adding, strict=True)]
        field_name, also = _FACET_FIELDS[name]
        counted: Sequence[tuple[str | int, int]] = (
            self.stars_facet() if name == "stars" else self.facet(name))
        choosing = self.links([int(v) if name == "province" else v for v, _count in counted],
                              **{field_name: _SLOT, **also})
        current = getattr(self.query, field_name)
        dropping = self.link(**{field_name: None, **also}) if current is not None else ""
        found = []
        for (value, count), href in zip(counted, choosing, strict=True):
            chosen = current is not None and str(current) == str(value)
            found.append(FacetValue(value, count, chosen, dropping if chosen else href))
        return found

    def cards(self) -> list[tuple[ProductHit, ProductHit]]:
        """Each hit beside what its card is drawn from: the same hit with slots for its
        highlights (web.fragments), which differ from one search to the next."""
        name, snippet, empty = slot("name"), slot("snippet"), Markup()
        return [(hit, replace(hit, name_html=name, snippet_html=snippet if hit.snippet_html else empty))
                for hit in self.results.hits]

    def page_numbers(self) -> list[int]:
        last, here = self.results.pages, self.query.page
        return [n for n in range(1, last + 1) if n in (1, last) or abs(n - here) <= 2]

    def stars_facet(self) -> list[tuple[int, int]]:
        """(n, products with n stars or more) from 5 down, for the "n stars and up" links."""
        counts = {int(value): count for value, count in self.results.facets.get("stars", {}).items()}
        running, found = 0, []
        for stars in range(5, 0, -1):
            running += counts.get(stars, 0)
            if counts.get(stars):
                found.append((stars, running))
        return found

    def facet(self, name: str) -> list[tuple[str, int]]:
        """A facet's values with counts, most frequent first."""
        counts = self.results.facets.get(name, {})
        return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def _filled(change: object, value: object) -> object:
    if change == _SLOT:
        return value
    if isinstance(change, tuple) and _SLOT in change:
        return tuple(value if part == _SLOT else part for part in change)
    return change


def _params(request: Request) -> dict[str, list[str]]:
    return {key: request.query_params.getlist(key) for key in request.query_params}


def _parsed(params: dict[str, list[str]]) -> tuple[ProductQuery, dict[str, str]]:
    try:
        return parse_product_query(params), {}
    except ValidationFailed as exc:
        # Search anyway without the broken parameters, and say which ones were left out.
        kept = {name: values for name, values in params.items() if name not in exc.errors}
        try:
            return parse_product_query(kept), exc.errors
        except ValidationFailed:
            return ProductQuery(), exc.errors


async def search(request: Request) -> Response:
    """The results page; anonymous visitors' pages are reused while the index holds."""
    query, errors = _parsed(_params(request))
    today = today_in_vietnam()
    pages: PageCache = request.app.state.search_pages
    key: Hashable | None = None
    if current_account(request) is None:
        key = (query, tuple(errors.items()), current_language(), site_base(request), today,
               await request.app.state.index_version.get())
        if (cached := pages.get(key)) is not None:
            return cached
    results = await find_products(request.app.state.search, query, today=today)
    popular: list[tuple[str, int]] = []
    if results.total == 0 and (query.q or query.has_filters):
        facets = await request.app.state.catalogue_facets.get(request.app.state.search, today=today)
        popular = sorted(facets.get("group", {}).items(), key=lambda item: -item[1])
    photos = {product_id: Photo(image.path, image.width, image.height, image.has_thumbnail)
              for product_id, image
              in (await catalogue_pages.first_photos([hit.id for hit in results.hits])).items()}
    page = SearchPage(query, results, errors, popular, photos)
    context = {"page": page, "sort_choices": SORT_CHOICES, "sort_label": sort_label,
               "province_label": province_label, "marks": [m.value for m in QualityMark]}
    response = render(request, "search/results.html", context, 422 if errors else 200)
    if key is not None and not results.degraded:
        pages.put(key, response, secret=csrf_token(request))
    return response


async def _visible_product(request: Request) -> Product:
    return await catalogue.visible_product(current_account(request),
                                           int(request.path_params["product_id"]))


def product_url(request: Request, product: Product) -> str:
    return f"{public_url(request)}/products/{product.id}"


# A product's QR code depends only on its URL (which holds its id): drawn once, then served
# from memory. Bounded, so a crawler walking every product cannot grow it without limit.
QR_CACHE_SIZE = 4096


@functools.lru_cache(maxsize=QR_CACHE_SIZE)
def qr_svg(url: str) -> Markup:
    """The QR code of `url` as inline SVG (no style attributes, so the CSP holds)."""
    code = segno.make(url, error="m", micro=False)
    return Markup(code.svg_inline(scale=4, border=2, title=url, svgclass="qr", lineclass="qr-line",
                                  omitsize=True))


@functools.lru_cache(maxsize=QR_CACHE_SIZE)
def qr_file(url: str) -> str:
    """The QR code of `url` as a standalone SVG document."""
    body = segno.make(url, error="m", micro=False).svg_inline(scale=8, border=4)
    return f'<?xml version="1.0" encoding="utf-8"?>\n{_with_namespace(body)}'


async def product_page(request: Request) -> Response:
    page = await catalogue_pages.product_page(
        current_account(request), int(request.path_params["product_id"]), today=today_in_vietnam())
    producer = page.producer
    url = product_url(request, page.product)
    context = {
        "product": page.product,
        "producer": producer,
        "province": province_label(producer.province_code),
        "ward": ward_name(producer.ward_code),
        "certificate": page.certificate,
        "rating": page.rating,
        "product_url": url,
        "qr": qr_svg(url),
        "images": page.images,
    }
    return render(request, "search/product.html", context)


async def product_qr(request: Request) -> Response:
    product = await _visible_product(request)
    headers = {"Content-Disposition": f'inline; filename="ocop-product-{product.id}.svg"'}
    return Response(qr_file(product_url(request, product)), media_type="image/svg+xml",
                    headers=headers)


async def product_label(request: Request) -> Response:
    """A printable QR label (PNG or PDF) of 2 or 4 cm with the product's name."""
    product = await _visible_product(request)
    size, kind = int(request.path_params["size"]), request.path_params["kind"]
    if size not in qr_labels.LABEL_SIZES_CM or kind not in qr_labels.KINDS:
        raise HTTPException(404)
    body = await in_thread(qr_labels.qr_label, product_url(request, product), product.name,
                           size_cm=size, kind=kind)
    headers = {"Content-Disposition": f'attachment; filename="ocop-product-{product.id}-{size}cm.{kind}"'}
    return Response(body, media_type="image/png" if kind == "png" else "application/pdf", headers=headers)


def _with_namespace(svg: str) -> str:
    # Inline SVG needs no namespace, a standalone file does.
    return svg.replace("<svg ", '<svg xmlns="http://www.w3.org/2000/svg" ', 1)


async def producer_page(request: Request) -> Response:
    page = await catalogue_pages.producer_page(int(request.path_params["producer_id"]),
                                               today=today_in_vietnam())
    producer = page.producer
    context = {
        "producer": producer,
        "province": province_label(producer.province_code),
        "ward": ward_name(producer.ward_code),
        "products": page.products,
        "show_contact": current_account(request) is not None,
    }
    return render(request, "search/producer.html", context)


routes = [
    Route("/search", search, name="search"),
    Route("/products/{product_id:int}", product_page, name="product"),
    Route("/products/{product_id:int}/qr.svg", product_qr, name="product_qr"),
    Route("/products/{product_id:int}/label-{size:int}cm.{kind}", product_label, name="product_label"),
    Route("/producers/{producer_id:int}", producer_page, name="producer"),
]
