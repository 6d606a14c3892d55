"""The matching API: a demand's matched products, its near misses and its consortium plan, for
the demand's buyer."""

from __future__ import annotations

from dataclasses import asdict
from typing import TypedDict

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from config.i18n import current_language
from matchmaking.demands.matches import MatchView, demand_matches, visible_demand
from matchmaking.demands.near_misses import NearMiss, near_misses
from matchmaking.demands.sourcing import demand_sourcing
from web.api.openapi import UNAUTHENTICATED, operation
from web.auth import current_account


class ShareJson(TypedDict):
    product_id: int
    producer_id: int
    quantity: float
    unit: str
    score: float


class SourcingJson(TypedDict):
    """Shares in each product's unit; covered and shortfall in the demand's unit."""

    demand_id: int
    quantity: float
    unit: str
    consortium: bool
    shares: list[ShareJson]
    covered: float
    shortfall: float


NOT_THEIRS = "no such demand of the caller's buyer"


@operation(summary="The products matched to one of the caller's demands, best first",
           tags=["matching"],
           responses={200: ("matches", list[MatchView]), 401: UNAUTHENTICATED, 404: NOT_THEIRS})
async def get_matches(request: Request) -> Response:
    demand = await visible_demand(current_account(request), int(request.path_params["demand_id"]))
    matches = await demand_matches(demand, language=current_language())
    return JSONResponse([asdict(m) for m in matches])


@operation(
    summary="How producers' capacity covers one of the caller's demands",
    tags=["matching"],
    description="Shares are in each product's unit; covered and shortfall in the demand's unit, "
    "always the sum of the shares shown (covered + shortfall = quantity). consortium is true when "
    "the shares are several producers together. Capacity is one month of each product's output, "
    "shared among all open demands oldest first (a one-off demand too draws on one month).",
    responses={200: ("the plan", SourcingJson), 401: UNAUTHENTICATED, 404: NOT_THEIRS})
async def get_sourcing(request: Request) -> Response:
    demand = await visible_demand(current_account(request), int(request.path_params["demand_id"]))
    plan = await demand_sourcing(demand)
    body: SourcingJson = {
        "demand_id": plan.demand_id, "quantity": plan.quantity, "unit": plan.unit,
        "consortium": plan.consortium,
        "shares": [
            {"product_id": s.product_id, "producer_id": s.producer_id, "quantity": s.quantity,
             "unit": s.unit, "score": s.score}
            for s in plan.shares
        ],
        "covered": plan.covered, "shortfall": plan.shortfall,
    }
    return JSONResponse(body)


@operation(
    summary="Near misses of one of the caller's demands: the product asked for, short of a rule",
    tags=["matching"],
    description="Products of the kind the demand asks for that fail its minimum stars "
    "(certified on the needed-by date) or a required mark, nearest first, each with what it "
    "lacks (reasons in the caller's language; codes: stars_short, uncertified, "
    "certificate_lapses, no_mark). Worked out when asked, never ranked with the matches, and "
    "their producers are not told. Empty when the demand sets no stars or marks, or when search "
    "is down.",
    responses={200: ("near misses", list[NearMiss]), 401: UNAUTHENTICATED, 404: NOT_THEIRS})
async def get_near_misses(request: Request) -> Response:
    demand = await visible_demand(current_account(request), int(request.path_params["demand_id"]))
    found = await near_misses(request.app.state.search, demand, language=current_language())
    return JSONResponse([asdict(m) for m in found])


routes = [
    Route("/api/demands/{demand_id:int}/matches", get_matches, methods=["GET"]),
    Route("/api/demands/{demand_id:int}/sourcing", get_sourcing, methods=["GET"]),
    Route("/api/demands/{demand_id:int}/near-misses", get_near_misses, methods=["GET"]),
]
