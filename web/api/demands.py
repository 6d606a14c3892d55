"""The demands API: buyers post and manage demands, producers quote, buyers decide."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from matchmaking.clock import today_in_vietnam
from matchmaking.demands import demands, quotes
from matchmaking.enums import Role
from matchmaking.models import Buyer, Demand, Quote
from matchmaking.permissions import require_account, require_role
from matchmaking.places import short_province_name
from web.api.common import json_body
from web.auth import current_account, public_url


def buyer_json(buyer: Buyer) -> dict[str, Any]:
    return {
        "id": buyer.id, "name": buyer.name, "kind": str(buyer.kind), "tax_code": buyer.tax_code,
        "province_code": buyer.province_code, "province": short_province_name(buyer.province_code),
        "contact_name": buyer.contact_name, "phone": buyer.phone, "email": buyer.email,
        "description": buyer.description,
    }


def demand_json(demand: Demand) -> dict[str, Any]:
    return {
        "id": demand.id, "buyer_id": demand.buyer_id,
        "title": demand.title, "description": demand.description, "group": demand.group,
        "subgroup": demand.subgroup, "keywords": demand.keywords, "quantity": demand.quantity,
        "unit": demand.unit, "recurrence": str(demand.recurrence),
        "max_price_vnd": demand.max_price_vnd, "min_stars": demand.min_stars,
        "required_marks": list(demand.required_marks),
        "delivery_province_code": demand.delivery_province_code,
        "delivery_province": short_province_name(demand.delivery_province_code),
        "needed_by": demand.needed_by.isoformat(), "valid_until": demand.valid_until.isoformat(),
        "status": str(demand.status), "created_at": demand.created_at.isoformat(),
        "updated_at": demand.updated_at.isoformat(),
    }


def quote_json(quote: Quote) -> dict[str, Any]:
    return {
        "id": quote.id, "demand_id": quote.demand_id,
        "producer_id": quote.producer_id,
        "product_id": quote.product_id,
        "price_vnd": quote.price_vnd, "quantity": quote.quantity,
        "lead_time_days": quote.lead_time_days, "message": quote.message,
        "status": str(quote.status), "created_at": quote.created_at.isoformat(),
        "updated_at": quote.updated_at.isoformat(),
    }


def _id(request: Request, name: str) -> int:
    return int(request.path_params[name])


DEMAND_BODY = """
    requestBody:
      required: true
      content:
        application/json:
          schema:
            type: object
            required: [title, quantity, unit, delivery_province_code, needed_by]
            properties:
              title: {type: string, maxLength: 200}
              description: {type: string}
              group: {type: string, enum: [food, beverages, herbal, textiles, handicrafts, tourism]}
              subgroup: {type: string, description: "sub-group code, e.g. tea; implies its group"}
              keywords: {type: string, maxLength: 300}
              quantity: {type: integer, minimum: 1}
              unit: {type: string, description: "a sales unit: kg, g, tấn, lít, chai, hộp ..."}
              recurrence: {type: string, enum: [once, monthly], default: once}
              max_price_vnd: {type: integer, minimum: 1, description: "target price per unit, VND"}
              min_stars: {type: integer, enum: [3, 4, 5], nullable: true}
              required_marks:
                type: array
                items: {type: string, enum: [vietgap, globalgap, organic, haccp, iso22000, gi, traceability]}
              delivery_province_code: {type: string, description: "code, or a province name, old or new"}
              needed_by: {type: string, format: date, description: "today or later"}
              valid_until: {type: string, format: date, description: "today or later; default needed_by"}
"""


async def get_profile(request: Request) -> Response:
    """
    summary: The calling buyer's profile
    tags: [demands]
    responses:
      200: {description: the profile}
      401: {description: not authenticated}
      403: {description: not a buyer}
      404: {description: no profile yet}
    """
    return JSONResponse(buyer_json(await demands.own_buyer(current_account(request))))


async def put_profile(request: Request) -> Response:
    """
    summary: Create or replace the calling buyer's profile
    tags: [demands]
    requestBody:
      required: true
      content:
        application/json:
          schema:
            type: object
            required: [name, kind, province_code]
            properties:
              name: {type: string}
              kind:
                type: string
                enum: [distributor, wholesaler, supermarket, exporter, horeca, souvenir_shop]
              tax_code: {type: string}
              province_code: {type: string, description: "code, or a province name, old or new"}
              contact_name: {type: string}
              phone: {type: string}
              email: {type: string}
              description: {type: string}
    responses:
      200: {description: the saved profile}
      401: {description: not authenticated}
      403: {description: not a buyer}
      422: {description: "field errors: {error, errors}"}
    """
    account = require_role(current_account(request), Role.BUYER)
    buyer = await demands.save_buyer_profile(account, await json_body(request))
    return JSONResponse(buyer_json(buyer))


async def post_demand(request: Request) -> Response:
    account = require_role(current_account(request), Role.BUYER)
    demand = await demands.post_demand(account, await json_body(request), today=today_in_vietnam())
    return JSONResponse(demand_json(demand), status_code=201)


post_demand.__doc__ = """
    summary: Post a demand (it is open at once)
    tags: [demands]
""" + DEMAND_BODY + """
    responses:
      201: {description: the demand}
      401: {description: not authenticated}
      403: {description: not a buyer}
      404: {description: the buyer has no profile yet}
      422: {description: "field errors: {error, errors}"}
"""


async def get_demand(request: Request) -> Response:
    """
    summary: One demand
    description: Its buyer sees it always; producers while it is open or when they quoted on it.
    tags: [demands]
    parameters:
      - {name: demand_id, in: path, required: true, schema: {type: integer}}
    responses:
      200: {description: the demand}
      401: {description: not authenticated}
      404: {description: no such demand the caller may see}
    """
    demand = await demands.get_demand_for(current_account(request), _id(request, "demand_id"))
    return JSONResponse(demand_json(demand))


async def put_demand(request: Request) -> Response:
    account = require_role(current_account(request), Role.BUYER)
    demand = await demands.update_demand(account, _id(request, "demand_id"),
                                         await json_body(request), today=today_in_vietnam())
    return JSONResponse(demand_json(demand))


put_demand.__doc__ = """
    summary: Replace one of the caller's open demands
    tags: [demands]
    parameters:
      - {name: demand_id, in: path, required: true, schema: {type: integer}}
""" + DEMAND_BODY + """
    responses:
      200: {description: the demand}
      404: {description: not one of the caller's demands}
      422: {description: "field errors, or the demand is not open (errors.status)"}
"""


async def close_demand(request: Request) -> Response:
    """
    summary: Close one of the caller's open demands
    description: Its submitted and shortlisted quotes are declined and their producers told.
    tags: [demands]
    parameters:
      - {name: demand_id, in: path, required: true, schema: {type: integer}}
    responses:
      200: {description: the closed demand (closing twice changes nothing)}
      404: {description: not one of the caller's demands}
      422: {description: the demand is fulfilled or expired}
    """
    account = require_role(current_account(request), Role.BUYER)
    demand = await demands.close_demand(account, _id(request, "demand_id"),
                                        public_url=public_url(request))
    return JSONResponse(demand_json(demand))


async def my_demands(request: Request) -> Response:
    """
    summary: The calling buyer's demands, newest first
    tags: [demands]
    responses:
      200: {description: "demands, each with active_quotes: quotes submitted, shortlisted or accepted"}
      401: {description: not authenticated}
      403: {description: not a buyer}
      404: {description: the buyer has no profile yet}
    """
    rows = await demands.buyer_demands(current_account(request))
    return JSONResponse([{**demand_json(d), "active_quotes": n} for d, n in rows])


async def post_quote(request: Request) -> Response:
    """
    summary: Quote on an open demand
    description: >
      Price and quantity are in the demand's unit. One quote in play per producer and demand:
      withdraw it to send another. The buyer is told in its inbox and by email.
    tags: [quotes]
    parameters:
      - {name: demand_id, in: path, required: true, schema: {type: integer}}
    requestBody:
      required: true
      content:
        application/json:
          schema:
            type: object
            required: [price_vnd, quantity, lead_time_days]
            properties:
              price_vnd: {type: integer, minimum: 1, description: per unit of the demand}
              quantity: {type: integer, minimum: 1}
              lead_time_days: {type: integer, minimum: 0, maximum: 730}
              message: {type: string, maxLength: 3000}
              product_id: {type: integer, description: one of the caller's products}
    responses:
      201: {description: the quote}
      401: {description: not authenticated}
      403: {description: not a producer}
      404: {description: no open demand with this id, or the producer has no profile}
      422: {description: "field errors; errors.demand: already quoted; errors.status: not open"}
    """
    account = require_role(current_account(request), Role.PRODUCER)
    quote = await quotes.submit_quote(account, _id(request, "demand_id"), await json_body(request),
                                      today=today_in_vietnam(), public_url=public_url(request))
    return JSONResponse(quote_json(quote), status_code=201)


async def list_quotes(request: Request) -> Response:
    """
    summary: A demand's quotes
    description: Its buyer sees all of them, cheapest first; a producer only its own.
    tags: [quotes]
    parameters:
      - {name: demand_id, in: path, required: true, schema: {type: integer}}
    responses:
      200: {description: quotes}
      401: {description: not authenticated}
      404: {description: no such demand the caller may see}
    """
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
    endpoint.__doc__ = f"""
    summary: {summary}
    tags: [quotes]
    parameters:
      - {{name: quote_id, in: path, required: true, schema: {{type: integer}}}}
    responses:
      200: {{description: the quote in its new state}}
      401: {{description: not authenticated}}
      403: {{description: not a {who}}}
      404: {{description: no such quote on the caller's {"quotes" if who == "producer" else "demands"}}}
      422: {{description: "the quote or demand is in a state that does not allow this (errors.status)"}}
    """
    return endpoint


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
