"""A buyer's own pages: its profile, its demands (forms), and each demand's matches and quotes."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from config.i18n import current_language
from matchmaking.clock import today_in_vietnam
from matchmaking.demands import demands, quotes
from matchmaking.demands.near_misses import near_misses
from matchmaking.enums import BuyerKind, ProductGroup, QualityMark, Recurrence, Role
from matchmaking.errors import NotFound, ValidationFailed
from matchmaking.models import Demand
from matchmaking.parsing import quantity_input, vnd_input
from matchmaking.permissions import require_role
from matchmaking.places import province_codes, short_province_name
from matchmaking.taxonomy import SUBGROUPS, UNITS
from web.auth import current_account, public_url
from web.forms import FormState, keep_typed, read_form
from web.labels import buyer_kind_label, recurrence_label
from web.render import render


def demand_choices() -> dict[str, Any]:
    return {
        "groups": [g.value for g in ProductGroup],
        "subgroups": {g.value: list(codes) for g, codes in SUBGROUPS.items()},
        "units": UNITS,
        "marks": [m.value for m in QualityMark],
        "recurrences": [(r.value, recurrence_label(r.value)) for r in Recurrence],
        "kind_options": [(k.value, buyer_kind_label(k.value)) for k in BuyerKind],
        "provinces": [(code, short_province_name(code)) for code in province_codes()],
    }


async def profile(request: Request) -> Response:
    account = require_role(current_account(request), Role.BUYER)
    if request.method == "GET":
        buyer = await demands.buyer_profile(account)
        values = {"name": account.display_name, "kind": "distributor", "email": account.email,
                  "phone": account.phone or ""} if buyer is None else {
            "name": buyer.name, "kind": str(buyer.kind), "tax_code": buyer.tax_code or "",
            "province_code": str(buyer.province_code), "contact_name": buyer.contact_name,
            "phone": buyer.phone, "email": buyer.email, "description": buyer.description,
        }
        return render(request, "buyer/profile.html",
                      {"form": FormState(values), **demand_choices()})
    values = await read_form(request)
    try:
        await demands.save_buyer_profile(account, values)
    except ValidationFailed as exc:
        return render(request, "buyer/profile.html",
                      {"form": keep_typed(values, exc.errors), **demand_choices()}, 422)
    return RedirectResponse("/buyer/demands?saved=profile", status_code=303)


async def my_demands(request: Request) -> Response:
    account = require_role(current_account(request), Role.BUYER)
    try:
        rows = await demands.buyer_demands(account)
    except NotFound:
        return RedirectResponse("/buyer/profile", status_code=303)
    return render(request, "buyer/demands.html", {"rows": rows})


def demand_values(demand: Demand) -> tuple[dict[str, str], list[str]]:
    """A saved demand as the form shows it."""
    def text(value: object) -> str:
        return "" if value is None else str(value)

    group_subgroup = f"{demand.group}/{demand.subgroup or ''}" if demand.group else ""
    return {
        "title": demand.title, "description": demand.description,
        "group_subgroup": group_subgroup, "keywords": demand.keywords,
        "quantity": quantity_input(demand.quantity), "unit": demand.unit,
        "price_unit": demand.price_unit or demand.unit,
        "recurrence": str(demand.recurrence), "max_price_vnd": vnd_input(demand.max_price_vnd),
        "min_stars": text(demand.min_stars),
        "delivery_province_code": text(demand.delivery_province_code),
        "needed_by": text(demand.needed_by), "valid_until": text(demand.valid_until),
    }, list(demand.required_marks)


async def submitted_demand(request: Request) -> tuple[dict[str, Any], list[str]]:
    """The demand form's fields, with the combined group/sub-group choice split in two."""
    form = await request.form()
    marks = [str(v) for v in form.getlist("required_marks")]
    values = {k: v.strip() for k, v in form.items()
              if isinstance(v, str) and k not in ("csrf_token", "required_marks")}
    group, _sep, subgroup = values.get("group_subgroup", "").partition("/")
    return {**values, "group": group, "subgroup": subgroup, "required_marks": marks}, marks


def _demand_form(request: Request, form: FormState, marks: list[str], demand: Demand | None = None,
                 status_code: int = 200) -> Response:
    return render(request, "buyer/demand_form.html", {
        "form": form, "selected_marks": marks, "demand": demand, **demand_choices(),
    }, status_code=status_code)


async def new_demand(request: Request) -> Response:
    account = require_role(current_account(request), Role.BUYER)
    if await demands.buyer_profile(account) is None:
        return RedirectResponse("/buyer/profile", status_code=303)
    if request.method == "GET":
        return _demand_form(request, FormState({"unit": "kg", "recurrence": "once"}), [])
    data, marks = await submitted_demand(request)
    try:
        demand = await demands.post_demand(account, data, today=today_in_vietnam())
    except ValidationFailed as exc:
        return _demand_form(request, keep_typed(_shown(data), exc.errors), marks, None, 422)
    return RedirectResponse(f"/buyer/demands/{demand.id}?saved=1", status_code=303)


def _shown(data: dict[str, Any]) -> dict[str, str]:
    return {k: v for k, v in data.items() if isinstance(v, str)}


async def edit_demand(request: Request) -> Response:
    account = require_role(current_account(request), Role.BUYER)
    demand = await demands.own_demand(account, int(request.path_params["demand_id"]))
    if request.method == "GET":
        values, marks = demand_values(demand)
        return _demand_form(request, FormState(values), marks, demand)
    data, marks = await submitted_demand(request)
    try:
        await demands.update_demand(account, demand.id, data, today=today_in_vietnam())
    except ValidationFailed as exc:
        return _demand_form(request, keep_typed(_shown(data), exc.errors), marks, demand, 422)
    return RedirectResponse(f"/buyer/demands/{demand.id}?saved=1", status_code=303)


async def _page(request: Request, demand_id: int, problem: str = "",
                status_code: int = 200) -> Response:
    overview = await quotes.demand_overview(current_account(request), demand_id)
    # Apart from the matches: products of the kind asked for that miss a rule the buyer set.
    near = await near_misses(request.app.state.search, overview.demand, language=current_language())
    return render(request, "buyer/demand.html", {"overview": overview, "demand": overview.demand,
                                                 "near_misses": near, "problem": problem},
                  status_code=status_code)


async def demand_page(request: Request) -> Response:
    require_role(current_account(request), Role.BUYER)
    return await _page(request, int(request.path_params["demand_id"]))


async def close_demand(request: Request) -> Response:
    account = require_role(current_account(request), Role.BUYER)
    demand_id = int(request.path_params["demand_id"])
    try:
        await demands.close_demand(account, demand_id, public_url=public_url(request))
    except ValidationFailed as exc:
        return await _page(request, demand_id, " ".join(exc.errors.values()), 422)
    return RedirectResponse(f"/buyer/demands/{demand_id}", status_code=303)


DECISIONS = {"shortlist": quotes.shortlist_quote, "accept": quotes.accept_quote,
             "decline": quotes.decline_quote}


async def decide_quote(request: Request) -> Response:
    """Shortlist, accept or decline a quote from the comparison table."""
    account = require_role(current_account(request), Role.BUYER)
    verb = DECISIONS.get(request.path_params["action"])
    if verb is None:
        raise NotFound("action")
    quote_id = int(request.path_params["quote_id"])
    try:
        quote = await verb(account, quote_id, public_url=public_url(request))
    except ValidationFailed as exc:
        # The verb found the quote on one of the actor's demands; the page checks it again.
        demand_id = await quotes.demand_id_of(quote_id)
        return await _page(request, demand_id, " ".join(exc.errors.values()), 422)
    return RedirectResponse(f"/buyer/demands/{quote.demand_id}#quotes",
                            status_code=303)


routes = [
    Route("/buyer/profile", profile, methods=["GET", "POST"], name="buyer_profile"),
    Route("/buyer/demands", my_demands, name="buyer_demands"),
    Route("/buyer/demands/new", new_demand, methods=["GET", "POST"], name="new_demand"),
    Route("/buyer/demands/{demand_id:int}", demand_page, name="buyer_demand"),
    Route("/buyer/demands/{demand_id:int}/edit", edit_demand, methods=["GET", "POST"],
          name="edit_demand"),
    Route("/buyer/demands/{demand_id:int}/close", close_demand, methods=["POST"],
          name="close_demand"),
    Route("/buyer/quotes/{quote_id:int}/{action}", decide_quote, methods=["POST"],
          name="decide_quote"),
]
