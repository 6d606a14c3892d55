"""The fairs API: fairs, their booths, applications and the booth allocation."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from matchmaking.clock import now_utc, today_in_vietnam
from matchmaking.enums import Role
from matchmaking.errors import NotFound
from matchmaking.fairs import allocation as fairs_allocation
from matchmaking.fairs import applications as fairs_applications
from matchmaking.fairs import changes as fairs_changes
from matchmaking.fairs import fairs
from matchmaking.fairs import layout as fairs_layout
from matchmaking.fairs import pages as fairs_pages
from matchmaking.fairs import plan as fairs_plan
from matchmaking.fairs import queries as fairs_queries
from matchmaking.models import AllocationRun, BoothApplication, Fair
from matchmaking.permissions import require_role
from web.api.common import json_body
from web.auth import current_account, public_url


def fair_json(fair: Fair) -> dict[str, Any]:
    return {
        "id": fair.id, "name": fair.name, "venue": fair.venue, "province_code": fair.province_code,
        "starts_on": fair.starts_on.isoformat(), "ends_on": fair.ends_on.isoformat(),
        "applications_open": fair.applications_open.isoformat(),
        "applications_close": fair.applications_close.isoformat(),
        "booth_fee_vnd": fair.booth_fee_vnd, "min_stars": fair.min_stars,
        "certified_only": fair.certified_only, "groups_admitted": list(fair.groups_admitted),
        "province_cap": fair.province_cap, "first_timer_share": fair.first_timer_share,
        "status": str(fair.status),
    }


def application_json(application: BoothApplication) -> dict[str, Any]:
    return {
        "id": application.id, "fair_id": application.fair_id,
        "booths_wanted": application.booths_wanted, "preferences": list(application.preferences),
        "first_time": application.first_time, "status": str(application.status),
        "waitlist_position": application.waitlist_position,
    }


def _fair_id(request: Request) -> int:
    return int(request.path_params["fair_id"])


FAIR_ID = "      - {name: fair_id, in: path, required: true, schema: {type: integer}}"


async def list_fairs(request: Request) -> Response:
    """
    summary: Fairs open to the public, coming ones first
    tags: [fairs]
    security: []
    responses:
      200: {description: the fairs}
    """

    return JSONResponse([fair_json(f) for f in await fairs.list_fairs(today=today_in_vietnam())])


async def create_fair(request: Request) -> Response:
    """
    summary: Plan a fair (a draft until it is opened)
    tags: [fairs]
    requestBody:
      required: true
      content:
        application/json:
          schema:
            type: object
            required: [name, venue, province_code, starts_on, ends_on, applications_open, applications_close]
            properties:
              name: {type: string}
              venue: {type: string}
              province_code: {type: string, description: "code, or a province name, old or new"}
              starts_on: {type: string, format: date}
              ends_on: {type: string, format: date}
              applications_open: {type: string, format: date-time, description: "no zone: Vietnam time"}
              applications_close: {type: string, format: date-time}
              booth_fee_vnd: {type: integer, minimum: 0}
              min_stars: {type: integer, enum: [3, 4, 5]}
              certified_only: {type: boolean}
              groups_admitted: {type: array, items: {type: string}, description: "empty: all six"}
              province_cap: {type: number, description: "percent of the booths one province may hold"}
              first_timer_share: {type: number, description: "percent; each 10 is worth one star"}
    responses:
      201: {description: the fair}
      401: {description: not authenticated}
      403: {description: not an organiser}
      422: {description: "field errors: {error, errors}"}
    """
    actor = require_role(current_account(request), Role.ORGANISER)
    fair = await fairs.create_fair(actor, await json_body(request))
    return JSONResponse(fair_json(fair), status_code=201)


async def get_fair(request: Request) -> Response:
    """
    summary: One fair with its booths (drafts only for their organiser)
    tags: [fairs]
    security: []
    parameters:
{FAIR_ID}
    responses:
      200: {description: the fair and its booths}
      404: {description: no such fair}
    """
    fair = await fairs.visible_fair(current_account(request), _fair_id(request))
    booths = await fairs_layout.booths_of(fair)
    return JSONResponse({**fair_json(fair), "booths": [
        {"code": b.code, "zone": b.zone, "kind": str(b.kind), "price_vnd": b.price_vnd,
         "x": b.x, "y": b.y, "w": b.w, "h": b.h} for b in booths]})


async def generate_booths(request: Request) -> Response:
    """
    summary: Lay out a hall from a grid (replaces that hall's booths)
    tags: [fairs]
    parameters:
{FAIR_ID}
    requestBody:
      required: true
      content:
        application/json:
          schema:
            type: object
            required: [hall, rows, columns]
            properties:
              hall: {type: string}
              rows: {type: integer, minimum: 1, maximum: 60}
              columns: {type: integer, minimum: 1, maximum: 60}
              booth_w: {type: integer, default: 3}
              booth_h: {type: integer, default: 3}
              aisle_every_columns: {type: integer, default: 0}
              aisle_every_rows: {type: integer, default: 0}
              aisle_width: {type: integer, default: 2}
              zones: {type: array, items: {type: string}, description: "groups in column bands; empty: mixed"}
              island: {type: boolean}
              price_standard: {type: integer}
              price_corner: {type: integer}
              price_island: {type: integer}
              code_prefix: {type: string}
    responses:
      201: {description: "the hall: {id, name, width, height, booths}"}
      401: {description: not authenticated}
      403: {description: not an organiser}
      404: {description: not one of the caller's fairs}
      422: {description: field errors}
    """
    actor = require_role(current_account(request), Role.ORGANISER)
    fair = await fairs.own_fair(actor, _fair_id(request))
    hall = await fairs_layout.generate_booths(actor, fair.id, await json_body(request))
    return JSONResponse({"id": hall.id, "name": hall.name, "width": hall.width,
                         "height": hall.height, "booths": await fairs_layout.booth_count(hall)},
                        status_code=201)


async def apply(request: Request) -> Response:
    """
    summary: Apply for booths (again, to change the application) while the window is open
    tags: [fairs]
    parameters:
{FAIR_ID}
    requestBody:
      required: true
      content:
        application/json:
          schema:
            type: object
            required: [products]
            properties:
              products: {type: array, items: {type: integer}, description: "ids of the caller's products"}
              booths_wanted: {type: integer, minimum: 1, maximum: 4, default: 1}
              preferences: {type: array, items: {type: string}, description: "booth codes, best first"}
    responses:
      201: {description: the application}
      401: {description: not authenticated}
      403: {description: not a producer}
      404: {description: no such fair, or no producer profile}
      422: {description: "field errors; products[<id>] says why a product is refused"}
    """
    actor = require_role(current_account(request), Role.PRODUCER)
    application = await fairs_applications.apply_for_booths(
        actor, _fair_id(request), await json_body(request), now=now_utc())
    return JSONResponse(application_json(application), status_code=201)


async def withdraw(request: Request) -> Response:
    """
    summary: Withdraw the caller's application (after publication its booths go to the waitlist)
    tags: [fairs]
    parameters:
{FAIR_ID}
    responses:
      200: {description: the withdrawn application}
      401: {description: not authenticated}
      403: {description: not a producer}
      404: {description: no application to this fair}
      422: {description: already withdrawn, or the fair is over}
    """
    actor = require_role(current_account(request), Role.PRODUCER)
    application = await fairs_changes.withdraw_application(
        actor, _fair_id(request), now=now_utc(), public_url=public_url(request))
    return JSONResponse(application_json(application))


def run_json(run: AllocationRun) -> dict[str, Any]:
    return {"id": run.id, "status": str(run.status), "objective": run.objective,
            "bound": run.bound, "optimiser_status": run.result.get("status"),
            "created_at": run.created_at.isoformat()}


async def run_allocation(request: Request) -> Response:
    """
    summary: Allocate booths now (after the window closes); the result is a draft
    tags: [fairs]
    parameters:
{FAIR_ID}
    requestBody:
      required: false
      content:
        application/json:
          schema:
            type: object
            properties:
              time_limit: {type: number, minimum: 1, maximum: 60, default: 20}
    responses:
      201: {description: the draft run}
      401: {description: not authenticated}
      403: {description: not an organiser}
      404: {description: not one of the caller's fairs}
      422: {description: applications still open, no booths, or already published}
    """
    actor = require_role(current_account(request), Role.ORGANISER)
    fair = await fairs.own_fair(actor, _fair_id(request))
    body = await json_body(request) if await request.body() else {}
    limit = body.get("time_limit", 20)
    time_limit = float(limit) if isinstance(limit, int | float) and not isinstance(limit, bool) else 20.0
    run = await fairs_allocation.run_now(actor, fair.id, time_limit=min(max(time_limit, 1.0), 60.0))
    return JSONResponse(run_json(run), status_code=201)


async def get_allocation(request: Request) -> Response:
    """
    summary: The booth allocation (a draft only for the organiser)
    tags: [fairs]
    security: []
    parameters:
{FAIR_ID}
    responses:
      200: {description: "run, booth code -> exhibitor, and for the organiser the waitlist"}
      404: {description: no such fair, or nothing published yet}
    """
    actor = current_account(request)
    fair = await fairs.visible_fair(actor, _fair_id(request))
    run = await fairs_queries.latest_run(fair)
    if run is None or not fairs_plan.assignments_visible(fair, actor):
        raise NotFound("allocation")
    entries = await fairs_plan.directory(fair, actor)
    booths = {code: {"exhibitor": e.exhibitor, "producer_id": e.producer_id, "province": e.province}
              for e in entries for code in e.booths}
    body: dict[str, Any] = {**run_json(run), "booths": booths}
    if fairs.is_owner(actor, fair):
        review = await fairs_pages.allocation_review(actor, fair.id)
        body["waitlist"] = [{"application_id": w.application_id, "position": w.position,
                             "producer": w.producer} for w in review.waitlist]
    return JSONResponse(body)


async def publish(request: Request) -> Response:
    """
    summary: Publish the draft allocation and notify accepted and waitlisted producers
    tags: [fairs]
    parameters:
{FAIR_ID}
    responses:
      200: {description: the published run}
      401: {description: not authenticated}
      403: {description: not an organiser}
      404: {description: not one of the caller's fairs}
      422: {description: no draft to publish}
    """
    actor = require_role(current_account(request), Role.ORGANISER)
    run = await fairs_allocation.publish_allocation(actor, _fair_id(request), public_url=public_url(request))
    return JSONResponse(run_json(run))


for _view in (get_fair, generate_booths, apply, withdraw, run_allocation, get_allocation, publish):
    _view.__doc__ = (_view.__doc__ or "").replace("{FAIR_ID}", FAIR_ID)

FAIR = "/api/fairs/{fair_id:int}"
routes = [
    Route("/api/fairs", list_fairs, methods=["GET"]),
    Route("/api/fairs", create_fair, methods=["POST"]),
    Route(FAIR, get_fair, methods=["GET"]),
    Route(f"{FAIR}/booths/generate", generate_booths, methods=["POST"]),
    Route(f"{FAIR}/applications", apply, methods=["POST"]),
    Route(f"{FAIR}/application", withdraw, methods=["DELETE"]),
    Route(f"{FAIR}/allocation", get_allocation, methods=["GET"]),
    Route(f"{FAIR}/allocation", run_allocation, methods=["POST"]),
    Route(f"{FAIR}/allocation/publish", publish, methods=["POST"]),
]
