"""The fairs API: fairs, their booths, applications and the booth allocation."""

from __future__ import annotations

from typing import NotRequired, TypedDict

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from matchmaking.clock import now_utc, today_in_vietnam
from matchmaking.enums import ApplicationStatus, BoothKind, FairStatus, ProductGroup, Role, RunStatus
from matchmaking.errors import NotFound
from matchmaking.fairs import allocation as fairs_allocation
from matchmaking.fairs import applications as fairs_applications
from matchmaking.fairs import changes as fairs_changes
from matchmaking.fairs import fairs
from matchmaking.fairs import layout as fairs_layout
from matchmaking.fairs import pages as fairs_pages
from matchmaking.fairs import plan as fairs_plan
from matchmaking.fairs import queries as fairs_queries
from matchmaking.fairs.fairs import FairInput
from matchmaking.models import AllocationRun, BoothApplication, Fair
from matchmaking.permissions import require_role
from web.api.common import json_body
from web.api.openapi import INVALID, PROVINCE, UNAUTHENTICATED, Body, operation
from web.auth import current_account, public_url


class FairJson(TypedDict):
    id: int
    name: str
    venue: str
    province_code: int
    starts_on: str
    ends_on: str
    applications_open: str
    applications_close: str
    booth_fee_vnd: int
    min_stars: int
    certified_only: bool
    groups_admitted: list[str]
    province_cap: float | None
    first_timer_share: float
    buyers_auto_approved: bool
    status: FairStatus


class BoothJson(TypedDict):
    code: str
    zone: str
    kind: BoothKind
    price_vnd: int
    x: int
    y: int
    w: int
    h: int


class FairWithBoothsJson(FairJson):
    booths: list[BoothJson]


class HallJson(TypedDict):
    """A generated hall; booths is how many it has."""

    id: int
    name: str
    width: int
    height: int
    booths: int


class ApplicationJson(TypedDict):
    id: int
    fair_id: int
    booths_wanted: int
    preferences: list[str]
    first_time: bool
    status: ApplicationStatus
    waitlist_position: int | None


class RunJson(TypedDict):
    id: int
    status: RunStatus
    objective: float
    bound: float
    optimiser_status: str | None
    created_at: str


class HolderJson(TypedDict):
    exhibitor: str
    producer_id: int
    province: str


class WaitingJson(TypedDict):
    """A waitlisted application; reason is no_zone, too_big, province_cap or outranked, and
    reason_text the same in words for the producer."""

    application_id: int
    position: int | None
    producer: str
    reason: str | None
    reason_text: str | None


class AllocationJson(RunJson):
    """Booth code -> exhibitor; the waitlist only for the organiser."""

    booths: dict[str, HolderJson]
    waitlist: NotRequired[list[WaitingJson]]


class GridRequest(TypedDict):
    """A hall's grid: rows and columns of booths, aisles, zones in column bands, prices."""

    hall: str
    rows: int
    columns: int
    booth_w: int
    booth_h: int
    aisle_every_columns: int
    aisle_every_rows: int
    aisle_width: int
    zones: list[ProductGroup]
    island: bool
    price_standard: int
    price_corner: int
    price_island: int
    code_prefix: str


class ApplicationRequest(TypedDict):
    """The caller's products to show, how many booths and which ones, best first."""

    products: list[int]
    booths_wanted: int
    preferences: list[str]


class AllocationRequest(TypedDict):
    time_limit: float


NOT_ORGANISER = "not an organiser"
NOT_PRODUCER = "not a producer"
NOT_MINE = "not one of the caller's fairs"
NO_FAIR = "no such fair"


def fair_json(fair: Fair) -> FairJson:
    return {
        "id": fair.id, "name": fair.name, "venue": fair.venue, "province_code": fair.province_code,
        "starts_on": fair.starts_on.isoformat(), "ends_on": fair.ends_on.isoformat(),
        "applications_open": fair.applications_open.isoformat(),
        "applications_close": fair.applications_close.isoformat(),
        "booth_fee_vnd": fair.booth_fee_vnd, "min_stars": fair.min_stars,
        "certified_only": fair.certified_only, "groups_admitted": list(fair.groups_admitted),
        "province_cap": fair.province_cap, "first_timer_share": fair.first_timer_share,
        "buyers_auto_approved": fair.buyers_auto_approved,
        "status": FairStatus(fair.status),
    }


def application_json(application: BoothApplication) -> ApplicationJson:
    return {
        "id": application.id, "fair_id": application.fair_id,
        "booths_wanted": application.booths_wanted, "preferences": list(application.preferences),
        "first_time": application.first_time, "status": ApplicationStatus(application.status),
        "waitlist_position": application.waitlist_position,
    }


def _fair_id(request: Request) -> int:
    return int(request.path_params["fair_id"])


@operation(summary="Fairs open to the public, coming ones first", tags=["fairs"], public=True,
           responses={200: ("the fairs", list[FairJson])})
async def list_fairs(request: Request) -> Response:
    return JSONResponse([fair_json(f) for f in await fairs.list_fairs(today=today_in_vietnam())])


@operation(summary="Plan a fair (a draft until it is opened)", tags=["fairs"],
           body=Body(FairInput, required=["name", "venue", "province_code", "starts_on", "ends_on",
                                          "applications_open", "applications_close"],
                     fields={"province_code": PROVINCE,
                             "applications_open": {"type": "string", "format": "date-time",
                                                   "description": "no zone: Vietnam time"},
                             "min_stars": {"type": "integer", "enum": [3, 4, 5]},
                             "groups_admitted": {"type": "array", "items": {
                                 "type": "string", "enum": [g.value for g in ProductGroup]},
                                 "description": "empty: all six"},
                             "province_cap": {"type": "number", "nullable": True, "description":
                                              "percent of the booths one province may hold"},
                             "first_timer_share": {"type": "number",
                                                   "description": "percent; each 10 is worth one star"}}),
           responses={201: ("the fair", FairJson), 401: UNAUTHENTICATED, 403: NOT_ORGANISER,
                      422: INVALID})
async def create_fair(request: Request) -> Response:
    actor = require_role(current_account(request), Role.ORGANISER)
    fair = await fairs.create_fair(actor, await json_body(request))
    return JSONResponse(fair_json(fair), status_code=201)


@operation(summary="One fair with its booths (drafts only for their organiser)", tags=["fairs"],
           public=True, responses={200: ("the fair and its booths", FairWithBoothsJson), 404: NO_FAIR})
async def get_fair(request: Request) -> Response:
    fair = await fairs.visible_fair(current_account(request), _fair_id(request))
    booths = await fairs_layout.booths_of(fair)
    body: FairWithBoothsJson = {**fair_json(fair), "booths": [
        {"code": b.code, "zone": b.zone, "kind": BoothKind(b.kind), "price_vnd": b.price_vnd,
         "x": b.x, "y": b.y, "w": b.w, "h": b.h} for b in booths]}
    return JSONResponse(body)


@operation(summary="Lay out a hall from a grid (replaces that hall's booths)", tags=["fairs"],
           body=Body(GridRequest, required=["hall", "rows", "columns"],
                     fields={"rows": {"type": "integer", "minimum": 1, "maximum": 60},
                             "columns": {"type": "integer", "minimum": 1, "maximum": 60}}),
           responses={201: ("the hall", HallJson), 401: UNAUTHENTICATED, 403: NOT_ORGANISER,
                      404: NOT_MINE, 422: INVALID})
async def generate_booths(request: Request) -> Response:
    actor = require_role(current_account(request), Role.ORGANISER)
    fair = await fairs.own_fair(actor, _fair_id(request))
    hall = await fairs_layout.generate_booths(actor, fair.id, await json_body(request))
    made: HallJson = {"id": hall.id, "name": hall.name, "width": hall.width,
                      "height": hall.height, "booths": await fairs_layout.booth_count(hall)}
    return JSONResponse(made, status_code=201)


@operation(summary="Apply for booths (again, to change the application) while the window is open",
           tags=["fairs"],
           body=Body(ApplicationRequest, required=["products"],
                     fields={"booths_wanted": {"type": "integer", "minimum": 1, "maximum": 4,
                                               "default": 1}}),
           responses={201: ("the application", ApplicationJson), 401: UNAUTHENTICATED,
                      403: NOT_PRODUCER, 404: "no such fair, or no producer profile",
                      422: "field errors; products[<id>] says why a product is refused"})
async def apply(request: Request) -> Response:
    actor = require_role(current_account(request), Role.PRODUCER)
    application = await fairs_applications.apply_for_booths(
        actor, _fair_id(request), await json_body(request), now=now_utc())
    return JSONResponse(application_json(application), status_code=201)


@operation(summary="Withdraw the caller's application (after publication its booths go to the "
           "waitlist)", tags=["fairs"],
           responses={200: ("the withdrawn application", ApplicationJson), 401: UNAUTHENTICATED,
                      403: NOT_PRODUCER, 404: "no application to this fair",
                      422: "already withdrawn, or the fair is over"})
async def withdraw(request: Request) -> Response:
    actor = require_role(current_account(request), Role.PRODUCER)
    application = await fairs_changes.withdraw_application(
        actor, _fair_id(request), now=now_utc(), public_url=public_url(request))
    return JSONResponse(application_json(application))


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def run_json(run: AllocationRun) -> RunJson:
    return {"id": run.id, "status": RunStatus(run.status), "objective": run.objective,
            "bound": run.bound, "optimiser_status": _text(run.result.get("status")),
            "created_at": run.created_at.isoformat()}


@operation(summary="Allocate booths now (after the window closes); the result is a draft",
           tags=["fairs"],
           body=Body(AllocationRequest, optional_body=True,
                     fields={"time_limit": {"type": "number", "minimum": 1, "maximum": 60,
                                            "default": 20}}),
           responses={201: ("the draft run", RunJson), 401: UNAUTHENTICATED, 403: NOT_ORGANISER,
                      404: NOT_MINE, 422: "applications still open, no booths, or already published"})
async def run_allocation(request: Request) -> Response:
    actor = require_role(current_account(request), Role.ORGANISER)
    fair = await fairs.own_fair(actor, _fair_id(request))
    body = await json_body(request) if await request.body() else {}
    limit = body.get("time_limit", 20)
    time_limit = float(limit) if isinstance(limit, int | float) and not isinstance(limit, bool) else 20.0
    run = await fairs_allocation.run_now(actor, fair.id, time_limit=min(max(time_limit, 1.0), 60.0))
    return JSONResponse(run_json(run), status_code=201)


@operation(summary="The booth allocation (a draft only for the organiser)", tags=["fairs"],
           public=True,
           responses={200: ("the run, booth code -> exhibitor, and for the organiser the waitlist",
                            AllocationJson),
                      404: "no such fair, or nothing published yet"})
async def get_allocation(request: Request) -> Response:
    actor = current_account(request)
    fair = await fairs.visible_fair(actor, _fair_id(request))
    run = await fairs_queries.latest_run(fair)
    if run is None or not fairs_plan.assignments_visible(fair, actor):
        raise NotFound("allocation")
    entries = await fairs_plan.directory(fair, actor)
    booths: dict[str, HolderJson] = {
        code: {"exhibitor": e.exhibitor, "producer_id": e.producer_id, "province": e.province}
        for e in entries for code in e.booths}
    body: AllocationJson = {**run_json(run), "booths": booths}
    if fairs.is_owner(actor, fair):
        review = await fairs_pages.allocation_review(actor, fair.id)
        body["waitlist"] = [{"application_id": w.application_id, "position": w.position,
                             "producer": w.producer,
                             "reason": w.reason.code if w.reason else None,
                             "reason_text": w.reason.words if w.reason else None}
                            for w in review.waitlist]
    return JSONResponse(body)


@operation(summary="Publish the draft allocation and notify accepted and waitlisted producers",
           tags=["fairs"],
           responses={200: ("the published run", RunJson), 401: UNAUTHENTICATED, 403: NOT_ORGANISER,
                      404: NOT_MINE, 422: "no draft to publish"})
async def publish(request: Request) -> Response:
    actor = require_role(current_account(request), Role.ORGANISER)
    run = await fairs_allocation.publish_allocation(actor, _fair_id(request), public_url=public_url(request))
    return JSONResponse(run_json(run))



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
