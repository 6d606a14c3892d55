"""The demands API: buyers post and manage demands, producers quote, buyers decide."""

from __future__ import annotations

from typing import Any, TypedDict

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from matchmaking.clock import today_in_vietnam
from matchmaking.demands import demands, quotes
from matchmaking.demands.demands import BuyerProfileInput, DemandInput
from matchmaking.demands.quotes import QuoteInput
from matchmaking.enums import (
    BuyerKind,
    DemandStatus,
    ProductGroup,
    QualityMark,
    QuoteStatus,
    Recurrence,
    Role,
)
from matchmaking.models import Buyer, Demand, Quote
from matchmaking.permissions import require_account, require_role
from matchmaking.places import short_province_name
from web.api.common import json_body
from web.api.openapi import INVALID, PROVINCE, UNAUTHENTICATED, Body, operation
from web.auth import current_account, public_url


class BuyerJson(TypedDict):
    id: int
    name: str
    kind: BuyerKind
    tax_code: str | None
    province_code: int
    province: str
    contact_name: str
    phone: str
    email: str
    description: str


class DemandJson(TypedDict):
    id: int
    buyer_id: int
    title: str
    description: str
    group: str | None
    subgroup: str | None
    keywords: str
    quantity: float
    unit: str
    price_unit: str
    recurrence: Recurrence
    max_price_vnd: int | None
    min_stars: int | None
    required_marks: list[str]
    delivery_province_code: int
    delivery_province: str
    needed_by: str
    valid_until: str
    status: DemandStatus
    created_at: str
    updated_at: str


class BuyerDemandJson(DemandJson):
    """A demand with the number of its quotes submitted, shortlisted or accepted."""

    active_quotes: int


class QuoteJson(TypedDict):
    id: int
    demand_id: int
    producer_id: int
    product_id: int | None
    price_vnd: int
    quantity: float
    unit: str
    lead_time_days: int
    message: str
    status: QuoteStatus
    created_at: str
    updated_at: str


def buyer_json(buyer: Buyer) -> BuyerJson:
    return {
        "id": buyer.id, "name": buyer.name, "kind": BuyerKind(buyer.kind), "tax_code": buyer.tax_code,
        "province_code": buyer.province_code, "province": short_province_name(buyer.province_code),
        "contact_name": buyer.contact_name, "phone": buyer.phone, "email": buyer.email,
        "description": buyer.description,
    }


def demand_json(demand: Demand) -> DemandJson:
    return {
        "id": demand.id, "buyer_id": demand.buyer_id,
        "title": demand.title, "description": demand.description, "group": demand.group,
        "subgroup": demand.subgroup, "keywords": demand.keywords,
        "quantity": float(demand.quantity), "unit": demand.unit,
        "price_unit": demand.price_unit or demand.unit, "recurrence": Recurrence(demand.recurrence),
        "max_price_vnd": demand.max_price_vnd, "min_stars": demand.min_stars,
        "required_marks": list(demand.required_marks),
        "delivery_province_code": demand.delivery_province_code,
        "delivery_province": short_province_name(demand.delivery_province_code),
        "needed_by": demand.needed_by.isoformat(), "valid_until": demand.valid_until.isoformat(),
        "status": DemandStatus(demand.status), "created_at": demand.created_at.isoformat(),
        "updated_at": demand.updated_at.isoformat(),
    }


def quote_json(quote: Quote) -> QuoteJson:
    return {
        "id": quote.id, "demand_id": quote.demand_id,
        "producer_id": quote.producer_id,
        "product_id": quote.product_id,
        "price_vnd": quote.price_vnd, "quantity": float(quote.quantity), "unit": quote.unit,
        "lead_time_days": quote.lead_time_days, "message": quote.message,
        "status": QuoteStatus(quote.status), "created_at": quote.created_at.isoformat(),
        "updated_at": quote.updated_at.isoformat(),
    }


def _id(request: Request, name: str) -> int:
    return int(request.path_params[name])


NOT_BUYER = "not a buyer"
QUANTITY = {"anyOf": [{"type": "number"}, {"type": "string"}],
            "description": "a number, or text as a Vietnamese user types it: 1,5 (one and a "
            "half), 1.500 (fifteen hundred); 1,500 is ambiguous and refused; three decimals at most"}
DEMAND_BODY = Body(
    DemandInput, required=["title", "quantity", "unit", "needed_by"],
    fields={"group": {"type": "string", "enum": [g.value for g in ProductGroup], "nullable": True},
            "subgroup": {"type": "string", "nullable": True,
                         "description": "sub-group code, e.g. tea; implies its group"},
            "min_stars": {"type": "integer", "enum": [3, 4, 5], "nullable": True,
                          "description": "left out: the stars the title says ('loại 4 sao'), if any"},
            "required_marks": {"type": "array", "items": {"type": "string", "enum": [
                m.value for m in QualityMark]}},
            "delivery_province_code": {**PROVINCE, "description": "code, or a province name, old "
                                       "or new; left out: the province the title names after "
                                       "'giao' ('giao Hà Nội'), else 422"},
            "quantity": QUANTITY,
            "price_unit": {"type": "string", "description": "the unit max_price_vnd is per "
                           "(default: unit); must convert to unit, e.g. kg for a demand in tấn"},
            "confirm_price": {"type": "boolean", "description": "keep a target about 1000 "
                              "times off the catalogue's prices for the sub-group (else 422)"},
            "valid_until": {"type": "string", "format": "date",
                            "description": "today or later; default needed_by"}})


@operation(summary="The calling buyer's profile", tags=["demands"],
           responses={200: ("the profile", BuyerJson), 401: UNAUTHENTICATED, 403: NOT_BUYER,
                      404: "no profile yet"})
async def get_profile(request: Request) -> Response:
    return JSONResponse(buyer_json(await demands.own_buyer(current_account(request))))


@operation(summary="Create or replace the calling buyer's profile", tags=["demands"],
           body=Body(BuyerProfileInput, required=["name", "kind", "province_code"],
                     fields={"province_code": PROVINCE}),
           responses={200: ("the saved profile", BuyerJson), 401: UNAUTHENTICATED,
                      403: NOT_BUYER, 422: INVALID})
async def put_profile(request: Request) -> Response:
    account = require_role(current_account(request), Role.BUYER)
    buyer = await demands.save_buyer_profile(account, await json_body(request))
    return JSONResponse(buyer_json(buyer))


@operation(summary="Post a demand (it is open at once)", tags=["demands"], body=DEMAND_BODY,
           responses={201: ("the demand", DemandJson), 401: UNAUTHENTICATED, 403: NOT_BUYER,
                      404: "the buyer has no profile yet", 422: INVALID})
async def post_demand(request: Request) -> Response:
    account = require_role(current_account(request), Role.BUYER)
    demand = await demands.post_demand(account, await json_body(request), today=today_in_vietnam())
    return JSONResponse(demand_json(demand), status_code=201)


@operation(summary="One demand", tags=["demands"],
           description="Its buyer sees it always; producers while it is open or when they quoted on it.",
           responses={200: ("the demand", DemandJson), 401: UNAUTHENTICATED,
                      404: "no such demand the caller may see"})
async def get_demand(request: Request) -> Response:
    demand = await demands.get_demand_for(current_account(request), _id(request, "demand_id"))
    return JSONResponse(demand_json(demand))


@operation(summary="Replace one of the caller's open demands", tags=["demands"], body=DEMAND_BODY,
           responses={200: ("the demand", DemandJson), 401: UNAUTHENTICATED, 403: NOT_BUYER,
                      404: "not one of the caller's demands",
                      422: "field errors, or the demand is not open (errors.status)"})
async def put_demand(request: Request) -> Response:
    account = require_role(current_account(request), Role.BUYER)
    demand = await demands.update_demand(account, _id(request, "demand_id"),
                                         await json_body(request), today=today_in_vietnam())
    return JSONResponse(demand_json(demand))


@operation(summary="Close one of the caller's open demands", tags=["demands"],
           description="Its submitted and shortlisted quotes are declined and their producers told.",
           responses={200: ("the closed demand (closing twice changes nothing)", DemandJson),
                      401: UNAUTHENTICATED, 403: NOT_BUYER, 404: "not one of the caller's demands",
                      422: "the demand is fulfilled or expired"})
async def close_demand(request: Request) -> Response:
    account = require_role(current_account(request), Role.BUYER)
    demand = await demands.close_demand(account, _id(request, "demand_id"),
                                        public_url=public_url(request))
    return JSONResponse(demand_json(demand))


@operation(summary="The calling buyer's demands, newest first", tags=["demands"],
           responses={200: ("demands, each with its number of active quotes", list[BuyerDemandJson]),
                      401: UNAUTHENTICATED, 403: NOT_BUYER, 404: "the buyer has no profile yet"})
async def my_demands(request: Request) -> Response:
    rows = await demands.buyer_demands(current_account(request))
    listed: list[BuyerDemandJson] = [{**demand_json(d), "active_quotes": n} for d, n in rows]
    return JSONResponse(listed)


@operation(
    summary="Quote on an open demand", tags=["quotes"],
    description="Price and quantity are in the demand's unit. One quote in play per producer and "
    "demand: withdraw it to send another. The buyer is told in its inbox and by email.",
    body=Body(QuoteInput, required=["price_vnd", "quantity", "lead_time_days"],
              fields={"product_id": {"type": "integer", "nullable": True,
                                     "description": "one of the caller's products"},
                      "quantity": QUANTITY,
                      "unit": {"type": "string", "description": "the producer's own unit for "
                               "price and quantity (default: the demand's); it must convert to "
                               "the demand's, a container through the product's net content"}}),
    responses={201: ("the quote", QuoteJson), 401: UNAUTHENTICATED, 403: "not a producer",
               404: "no open demand with this id, or the producer has no profile",
               422: "field errors; errors.demand: already quoted; errors.status: not open"})
async def post_quote(request: Request) -> Response:
    account = require_role(current_account(request), Role.PRODUCER)
    quote = await quotes.submit_quote(account, _id(request, "demand_id"), await json_body(request),
                                      today=today_in_vietnam(), public_url=public_url(request))
    return JSONResponse(quote_json(quote), status_code=201)


@operation(summary="A demand's quotes", tags=["quotes"],
           description="Its buyer sees all of them, cheapest first; a producer only its own.",
           responses={200: ("quotes", list[QuoteJson]), 401: UNAUTHENTICATED,
                      404: "no such demand the caller may see"})
async def list_quotes(request: Request) -> Response:
    account = require_account(current_account(request))
    items = await quotes.quotes_for(account, _id(request, "demand_id"))
    return JSONResponse([quote_json(q) for q in items])


ACTIONS = {
    "shortlist": quotes.shortlist_quote,
    "accept": quotes.accept_quote,
    "decline": quotes.decline_quote,
    "withdraw": quotes.withdraw_quote,
}


def _quote_action(action: str, summary: str, who: str) -> Any:
    async def endpoint(request: Request) -> Response:
        require_role(current_account(request), Role.PRODUCER if action == "withdraw" else Role.BUYER)
        quote = await ACTIONS[action](current_account(request), _id(request, "quote_id"),
                                      public_url=public_url(request))
        return JSONResponse(quote_json(quote))

    endpoint.__name__ = f"{action}_quote"
    mine = "quotes" if who == "producer" else "demands"
    return operation(summary=summary, tags=["quotes"], responses={
        200: ("the quote in its new state", QuoteJson), 401: UNAUTHENTICATED, 403: f"not a {who}",
        404: f"no such quote on the caller's {mine}",
        422: "the quote or demand is in a state that does not allow this (errors.status)"})(endpoint)


routes = [
    Route("/api/buyer/profile", get_profile, methods=["GET"]),
    Route("/api/buyer/profile", put_profile, methods=["PUT"]),
    Route("/api/buyer/demands", my_demands, methods=["GET"]),
    Route("/api/demands", post_demand, methods=["POST"]),
    Route("/api/demands/{demand_id:int}", get_demand, methods=["GET"]),
    Route("/api/demands/{demand_id:int}", put_demand, methods=["PUT"]),
    Route("/api/demands/{demand_id:int}/close", close_demand, methods=["POST"]),
    Route("/api/demands/{demand_id:int}/quotes", post_quote, methods=["POST"]),
    Route("/api/demands/{demand_id:int}/quotes", list_quotes, methods=["GET"]),
    Route("/api/quotes/{quote_id:int}/shortlist", _quote_action(
        "shortlist", "Shortlist a submitted quote on the caller's open demand", "buyer"),
        methods=["POST"]),
    Route("/api/quotes/{quote_id:int}/accept", _quote_action(
        "accept", "Accept a quote; the demand is fulfilled when accepted quotes cover it",
        "buyer"), methods=["POST"]),
    Route("/api/quotes/{quote_id:int}/decline", _quote_action(
        "decline", "Decline a submitted or shortlisted quote", "buyer"), methods=["POST"]),
    Route("/api/quotes/{quote_id:int}/withdraw", _quote_action(
        "withdraw", "Withdraw the caller's submitted or shortlisted quote", "producer"),
        methods=["POST"]),
]
