"""The matching API: a demand's matched products and its consortium plan, for the demand's buyer."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from config.i18n import current_language
from matchmaking.demands.matches import demand_matches, visible_demand
from matchmaking.demands.sourcing import demand_sourcing
from web.auth import current_account


async def get_matches(request: Request) -> Response:
    """
    summary: The products matched to one of the caller's demands, best first
    tags: [matching]
    parameters:
      - {name: demand_id, in: path, required: true, schema: {type: integer}}
    responses:
      200:
        description: "matches: [{product_id, producer_id, rank, score, components, reasons}]"
      401: {description: not authenticated}
      404: {description: no such demand of the caller's buyer}
    """
    demand = await visible_demand(current_account(request), int(request.path_params["demand_id"]))
    matches = await demand_matches(demand, language=current_language())
    return JSONResponse([
        {"product_id": m.product_id, "producer_id": m.producer_id, "rank": m.rank, "score": m.score,
         "components": m.components, "reasons": m.reasons}
        for m in matches
    ])


async def get_sourcing(request: Request) -> Response:
    """
    summary: How several producers could cover one of the caller's demands together
    description: >-
      Shares are in each product's unit; covered and shortfall in the demand's unit. consortium is
      false when a single matched product covers the demand (or nothing matches).
    tags: [matching]
    parameters:
      - {name: demand_id, in: path, required: true, schema: {type: integer}}
    responses:
      200:
        description: "{demand_id, quantity, unit, consortium, shares: [{product_id, producer_id,
          quantity, unit, score}], covered, shortfall}"
      401: {description: not authenticated}
      404: {description: no such demand of the caller's buyer}
    """
    demand = await visible_demand(current_account(request), int(request.path_params["demand_id"]))
    plan = await demand_sourcing(demand)
    return JSONResponse({
        "demand_id": plan.demand_id, "quantity": plan.quantity, "unit": plan.unit,
        "consortium": plan.consortium,
        "shares": [
            {"product_id": s.product_id, "producer_id": s.producer_id, "quantity": s.quantity,
             "unit": s.unit, "score": s.score}
            for s in plan.shares
        ],
        "covered": plan.covered, "shortfall": plan.shortfall,
    })


routes = [
    Route("/api/demands/{demand_id:int}/matches", get_matches, methods=["GET"]),
    Route("/api/demands/{demand_id:int}/sourcing", get_sourcing, methods=["GET"]),
]
