"""GET /api/products: the public catalogue search, with facets, as JSON."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from matchmaking.clock import today_in_vietnam
from matchmaking.enums import ProducerKind, ProductGroup, QualityMark
from search.fallback import find_products
from search.query import parse_product_query
from search.results_json import ResultsJson
from web.api.openapi import Param, Schema, operation


def _enum(values: type[ProductGroup] | type[QualityMark] | type[ProducerKind]) -> Schema:
    return {"type": "string", "enum": [v.value for v in values]}


QUERY = [
    Param("q", {"type": "string", "maxLength": 200}, "search text"),
    Param("group", _enum(ProductGroup)),
    Param("subgroup", {"type": "string"}, "sub-group code, e.g. tea"),
    Param("province", {"type": "string"},
          "a province code or name, old or new, accents optional (Hà Giang = Tuyên Quang)"),
    Param("min_stars", {"type": "integer", "minimum": 1, "maximum": 5}),
    Param("certified", {"type": "boolean"},
          "true: 3-5 stars and a certificate valid today; false: all the others"),
    Param("mark", _enum(QualityMark),
          "quality marks the product must all have (repeat the parameter or use commas)", array=True),
    Param("producer_kind", _enum(ProducerKind)),
    Param("price_min", {"type": "integer", "minimum": 0}, "VND"),
    Param("price_max", {"type": "integer", "minimum": 0}, "VND"),
    Param("sort", {"type": "string", "enum": ["relevance", "price_asc", "price_desc", "stars", "newest"],
                   "default": "relevance"}),
    Param("page", {"type": "integer", "minimum": 1, "maximum": 1000, "default": 1}),
    Param("per_page", {"type": "integer", "minimum": 1, "maximum": 100, "default": 20}),
]


@operation(
    summary="Search published OCOP products", tags=["products"], public=True, query=QUERY,
    description="Full-text search (accents optional, typos tolerated, chè = trà) with filters and "
    "facet counts. When the search engine is down the answer comes from the database, with fewer "
    "features, and `degraded` is true.",
    responses={200: ("one page of hits, the total and the facet counts", ResultsJson),
               422: "a parameter is invalid; `errors` maps each one to a message"})
async def search_products(request: Request) -> Response:
    params = {key: request.query_params.getlist(key) for key in request.query_params}
    query = parse_product_query(params)
    results = await find_products(request.app.state.search, query, today=today_in_vietnam())
    return JSONResponse(results.as_json())


routes = [Route("/api/products", search_products, methods=["GET"])]
