"""GET /api/products: the public catalogue search, with facets, as JSON."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from matchmaking.clock import today_in_vietnam
from search.fallback import find_products
from search.query import parse_product_query


async def search_products(request: Request) -> Response:
    """
    summary: Search published OCOP products
    description: >
      Full-text search (accents optional, typos tolerated, chè = trà) with filters and facet
      counts. When the search engine is down the answer comes from the database, with fewer
      features, and `degraded` is true.
    tags: [products]
    security: []
    parameters:
      - {name: q, in: query, schema: {type: string, maxLength: 200}, description: search text}
      - name: group
        in: query
        schema: {type: string, enum: [food, beverages, herbal, textiles, handicrafts, tourism]}
      - {name: subgroup, in: query, schema: {type: string}, description: "sub-group code, e.g. tea"}
      - name: province
        in: query
        schema: {type: string}
        description: a province code or name, old or new, accents optional (Hà Giang = Tuyên Quang)
      - {name: min_stars, in: query, schema: {type: integer, minimum: 1, maximum: 5}}
      - name: certified
        in: query
        schema: {type: boolean}
        description: "true: 3-5 stars and a certificate valid today; false: all the others"
      - name: mark
        in: query
        style: form
        explode: true
        description: quality marks the product must all have (repeat the parameter or use commas)
        schema:
          type: array
          items:
            type: string
            enum: [vietgap, globalgap, organic, haccp, iso22000, gi, traceability]
      - name: producer_kind
        in: query
        schema: {type: string, enum: [cooperative, cooperative_group, enterprise, household]}
      - {name: price_min, in: query, schema: {type: integer, minimum: 0}, description: VND}
      - {name: price_max, in: query, schema: {type: integer, minimum: 0}, description: VND}
      - name: sort
        in: query
        schema:
          type: string
          enum: [relevance, price_asc, price_desc, stars, newest]
          default: relevance
      - {name: page, in: query, schema: {type: integer, minimum: 1, maximum: 1000, default: 1}}
      - {name: per_page, in: query, schema: {type: integer, minimum: 1, maximum: 100, default: 20}}
    responses:
      200:
        description: >
          {hits, total, facets, page, per_page, degraded}. Each hit has id, name, group,
          subgroup, stars, certified, certificate_expiry, price_vnd, unit, min_order,
          quality_marks, producer {id, name, kind, province_code, province} and highlight
          {name, snippet} (HTML: escaped text with <mark> around matches). Facets map group,
          province (code), stars, mark and producer_kind values to counts.
      422: {description: "a parameter is invalid; `errors` maps each one to a message"}
    """
    params = {key: request.query_params.getlist(key) for key in request.query_params}
    query = parse_product_query(params)
    results = await find_products(request.app.state.search, query, today=today_in_vietnam())
    return JSONResponse(results.as_json())


routes = [Route("/api/products", search_products, methods=["GET"])]
