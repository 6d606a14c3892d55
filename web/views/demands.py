"""Producers and demands: the open demands, a demand with its quote form, and their quotes."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from matchmaking.catalogue import products as catalogue
from matchmaking.clock import today_in_vietnam
from matchmaking.demands import demands, quotes
from matchmaking.enums import ProductGroup, ProductStatus, Role
from matchmaking.errors import ValidationFailed
from matchmaking.models import Demand
from matchmaking.parsing import quantity_input
from matchmaking.permissions import require_account, require_role
from matchmaking.places import province_codes, resolve_province, short_province_name
from matchmaking.taxonomy import UNITS
from web.auth import current_account, public_url
from web.forms import FormState, keep_typed, read_form
from web.render import render


async def open_demands(request: Request) -> Response:
    """Open demands a producer can answer, filtered by group and delivery province."""
    account = require_role(current_account(request), Role.PRODUCER)
    group = request.query_params.get("group", "")
    group = group if group in {g.value for g in ProductGroup} else ""
    province_text = request.query_params.get("province", "").strip()
    province = resolve_province(province_text) if province_text else None
    items = await demands.open_demands(account, today=today_in_vietnam(), group=group or None,
                                       province_code=province)
    return render(request, "demands/list.html", {
        "demands": items, "group": group, "province": province,
        "groups": [g.value for g in ProductGroup],
        "provinces": [(code, short_province_name(code)) for code in province_codes()],
    })


async def _demand_page(request: Request, demand: Demand, form: FormState,
                       status_code: int = 200) -> Response:
    account = current_account(request)
    mine = await quotes.quotes_for(account, demand.id)
    producer = await catalogue.own_producer(account)
    products = [p for p in await catalogue.producer_products(producer, include_unpublished=True)
                if p.status != ProductStatus.ARCHIVED]
    return render(request, "demands/demand.html", {
        "demand": demand, "form": form, "my_quotes": mine, "products": products, "units": UNITS,
        "can_quote": demand.status == "open" and not any(
            q.status in demands.ACTIVE_QUOTES for q in mine),
    }, status_code=status_code)


async def demand_page(request: Request) -> Response:
    """A demand as a producer sees it; its buyer is sent to its own page of the demand."""
    account = require_account(current_account(request))
    demand = await demands.get_demand_for(account, int(request.path_params["demand_id"]))
    if account.role == Role.BUYER:
        return RedirectResponse(f"/buyer/demands/{demand.id}", status_code=303)
    require_role(account, Role.PRODUCER)
    if await catalogue.producer_profile(account) is None:
        return RedirectResponse("/producer/profile", status_code=303)
    form = FormState({"quantity": quantity_input(demand.quantity), "unit": demand.unit})
    return await _demand_page(request, demand, form)


async def submit_quote(request: Request) -> Response:
    account = require_role(current_account(request), Role.PRODUCER)
    demand_id = int(request.path_params["demand_id"])
    values = await read_form(request)
    try:
        await quotes.submit_quote(account, demand_id, values, today=today_in_vietnam(),
                                  public_url=public_url(request))
    except ValidationFailed as exc:
        demand = await demands.get_demand_for(account, demand_id)
        return await _demand_page(request, demand, keep_typed(values, exc.errors), 422)
    return RedirectResponse(f"/demands/{demand_id}?sent=1", status_code=303)


async def my_quotes(request: Request) -> Response:
    account = require_role(current_account(request), Role.PRODUCER)
    if await catalogue.producer_profile(account) is None:
        return RedirectResponse("/producer/profile", status_code=303)
    items = await quotes.producer_quotes(account)
    return render(request, "demands/my_quotes.html", {"quotes": items, "problem": ""})


async def withdraw_quote(request: Request) -> Response:
    account = require_role(current_account(request), Role.PRODUCER)
    try:
        await quotes.withdraw_quote(account, int(request.path_params["quote_id"]),
                                    public_url=public_url(request))
    except ValidationFailed as exc:
        items = await quotes.producer_quotes(account)
        return render(request, "demands/my_quotes.html",
                      {"quotes": items, "problem": " ".join(exc.errors.values())}, 422)
    return RedirectResponse("/producer/quotes?withdrawn=1", status_code=303)


routes = [
    Route("/demands", open_demands, name="open_demands"),
    Route("/demands/{demand_id:int}", demand_page, name="demand"),
    Route("/demands/{demand_id:int}/quotes", submit_quote, methods=["POST"], name="submit_quote"),
    Route("/producer/quotes", my_quotes, name="producer_quotes"),
    Route("/producer/quotes/{quote_id:int}/withdraw", withdraw_quote, methods=["POST"],
          name="withdraw_quote"),
]
