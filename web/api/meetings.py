"""The B2B meetings API: sessions, requests, agendas and the organiser's schedule."""

from __future__ import annotations

from typing import Any, TypedDict

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from config.i18n import gettext as _
from config.settings import Settings
from matchmaking.clock import now_utc
from matchmaking.enums import MeetingRequestStatus, Role
from matchmaking.errors import ValidationFailed
from matchmaking.meetings import agenda as meeting_agenda
from matchmaking.meetings import schedule as meeting_schedule
from matchmaking.meetings import sessions as meetings
from matchmaking.meetings.parties import Party
from matchmaking.meetings.sessions import SessionInput
from matchmaking.models import MeetingRequest, MeetingSession
from matchmaking.permissions import require_account, require_role
from web.api.common import json_body, text_field
from web.api.openapi import INVALID, UNAUTHENTICATED, Body, Media, operation
from web.auth import current_account, public_url


class PartyJson(TypedDict):
    account_id: int
    organisation: str
    contact: str
    side: str
    booth: str | None


class SessionJson(TypedDict):
    id: int
    fair_id: int
    name: str
    starts_at: str
    slot_minutes: int
    slots: int
    tables: int
    request_deadline: str
    slot_times: list[str]


class RequestJson(TypedDict):
    id: int
    session_id: int
    requester_id: int
    recipient_id: int
    message: str
    status: MeetingRequestStatus


class MyRequestJson(RequestJson):
    incoming: bool
    open: bool
    other: PartyJson | None


class AgendaJson(TypedDict):
    meeting_id: int
    session_id: int
    session: str
    fair: str
    venue: str
    starts_at: str
    ends_at: str
    table: int
    other: PartyJson | None
    message: str
    asked_by_me: bool
    my_outcome: str | None
    other_outcome: str | None


class ScheduleRunJson(TypedDict):
    run_id: int
    scheduled: int
    unscheduled: int
    objective: float
    bound: float
    published: bool


class PlacedJson(TypedDict):
    id: int
    request_id: int
    slot: int
    table: int
    starts_at: str
    requester: PartyJson | None
    recipient: PartyJson | None
    outcome_requester: str | None
    outcome_recipient: str | None


class LeftOutJson(TypedDict):
    request_id: int
    requester: PartyJson | None
    recipient: PartyJson | None


class ScheduleJson(TypedDict):
    session: SessionJson
    status: str
    objective: float | None
    bound: float | None
    meetings: list[PlacedJson]
    unscheduled: list[LeftOutJson]


class MeetingRequestBody(TypedDict):
    """Whom to meet, and a message."""

    recipient_id: int
    message: str


NOT_ORGANISER = "not an organiser"
NOT_PARTICIPANT = "not a buyer or producer"
NOT_MY_SESSION = "not a session of the caller's fairs"


def party_json(party: Party | None) -> PartyJson | None:
    if party is None:
        return None
    return {"account_id": party.account_id, "organisation": party.name, "contact": party.contact,
            "side": party.side, "booth": party.booth or None}


def session_json(session: MeetingSession) -> SessionJson:
    return {
        "id": session.id, "fair_id": session.fair_id, "name": session.name,
        "starts_at": session.starts_at.isoformat(), "slot_minutes": session.slot_minutes,
        "slots": session.slots, "tables": session.tables,
        "request_deadline": session.request_deadline.isoformat(),
        "slot_times": [t.isoformat() for t in meetings.slot_times(session)],
    }


def request_json(request: MeetingRequest) -> RequestJson:
    return {
        "id": request.id, "session_id": request.session_id,
        "requester_id": request.requester_id, "recipient_id": request.recipient_id,
        "message": request.message, "status": MeetingRequestStatus(request.status),
    }


def _int(data: dict[str, Any], name: str) -> int:
    value = data.get(name)
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationFailed({name: _("Enter a whole number.")})
    return value


@operation(summary="Add a B2B meeting session to one of the caller's fairs (organisers)",
           tags=["meetings"],
           body=Body(SessionInput, required=["name", "starts_at", "slot_minutes", "slots", "tables",
                                             "request_deadline"],
                     fields={"starts_at": {"type": "string",
                                           "description": "Vietnam time (2026-06-12T09:00) or ISO 8601"},
                             "request_deadline": {"type": "string", "description": "before starts_at"},
                             "slot_minutes": {"type": "integer", "minimum": 5, "maximum": 240},
                             "slots": {"type": "integer", "minimum": 1, "maximum": 100},
                             "tables": {"type": "integer", "minimum": 1, "maximum": 500}}),
           responses={201: ("the session", SessionJson), 401: UNAUTHENTICATED, 403: NOT_ORGANISER,
                      404: "not one of the caller's fairs", 422: INVALID})
async def create_session(request: Request) -> Response:
    actor = require_role(current_account(request), Role.ORGANISER)
    session = await meetings.create_session(actor, int(request.path_params["fair_id"]),
                                            await json_body(request), now=now_utc())
    return JSONResponse(session_json(session), status_code=201)


@operation(summary="Ask a participant on the other side of a session to meet", tags=["meetings"],
           description="Buyers ask exhibitors and exhibitors ask buyers, until the request deadline.",
           body=Body(MeetingRequestBody, required=["recipient_id"],
                     fields={"message": {"type": "string", "maxLength": 1000}}),
           responses={201: ("the request", RequestJson), 401: UNAUTHENTICATED,
                      403: "not a participant of this fair", 404: "no such session",
                      422: "self-meeting, duplicate, not a participant, same side or past the deadline"})
async def create_request(request: Request) -> Response:
    actor = require_role(current_account(request), Role.BUYER, Role.PRODUCER)
    data = await json_body(request)
    created = await meetings.request_meeting(
        actor, int(request.path_params["session_id"]), _int(data, "recipient_id"),
        text_field(data, "message"), now=now_utc(), public_url=public_url(request))
    return JSONResponse(request_json(created), status_code=201)


@operation(summary="Accept or decline (the recipient) or cancel (the requester) a meeting request",
           tags=["meetings"],
           path={"action": {"type": "string", "enum": ["accept", "decline", "cancel"]}},
           responses={200: ("the request", RequestJson), 401: UNAUTHENTICATED,
                      403: "the wrong side for this action", 404: "not one of the caller's requests",
                      422: "not allowed from its status, or past the deadline"})
async def change_request(request: Request) -> Response:
    actor = require_account(current_account(request))
    changed = await meetings.change_request(actor, int(request.path_params["request_id"]),
                                            request.path_params["action"], now=now_utc(),
                                            public_url=public_url(request))
    return JSONResponse(request_json(changed))


@operation(summary="The caller's sent and received meeting requests", tags=["meetings"],
           responses={200: ("requests, newest first, each with the other party", list[MyRequestJson]),
                      401: UNAUTHENTICATED, 403: NOT_PARTICIPANT})
async def my_requests(request: Request) -> Response:
    views = await meetings.my_requests(current_account(request), now=now_utc())
    listed: list[MyRequestJson] = [{**request_json(v.request), "incoming": v.incoming,
                                    "open": v.open, "other": party_json(v.other)} for v in views]
    return JSONResponse(listed)


@operation(summary="The caller's meetings in published schedules", tags=["meetings"],
           responses={200: ("meetings in time order", list[AgendaJson]), 401: UNAUTHENTICATED,
                      403: NOT_PARTICIPANT})
async def agenda(request: Request) -> Response:
    items = await meeting_agenda.my_agenda(current_account(request), now=now_utc())
    listed: list[AgendaJson] = [{
        "meeting_id": i.meeting.id, "session_id": i.session.id, "session": i.session.name,
        "fair": i.fair.name, "venue": i.fair.venue, "starts_at": i.starts_at.isoformat(),
        "ends_at": i.ends_at.isoformat(), "table": i.table, "other": party_json(i.other),
        "message": i.message, "asked_by_me": i.asked_by_me, "my_outcome": i.my_outcome,
        "other_outcome": i.other_outcome} for i in items]
    return JSONResponse(listed)


@operation(summary="The caller's agenda as an iCalendar file", tags=["meetings"],
           responses={200: ("one VEVENT per meeting, times in UTC", Media("text/calendar")),
                      401: UNAUTHENTICATED, 403: NOT_PARTICIPANT})
async def agenda_ics(request: Request) -> Response:
    settings: Settings = request.app.state.settings
    items = await meeting_agenda.my_agenda(current_account(request), now=now_utc())
    text = meeting_agenda.agenda_calendar(items, now=now_utc(), public_url=settings.public_url)
    return Response(text, media_type="text/calendar; charset=utf-8")


@operation(summary="Run the scheduler for a session now (organisers)", tags=["meetings"],
           description="Before the request deadline the result is a draft only the organiser sees; "
           "from the deadline on it is published. A published schedule is refused (422): edit it "
           "meeting by meeting.",
           responses={200: ("the run", ScheduleRunJson), 401: UNAUTHENTICATED, 403: NOT_ORGANISER,
                      404: NOT_MY_SESSION, 422: "already published, or the session is over"})
async def run_schedule(request: Request) -> Response:
    actor = require_role(current_account(request), Role.ORGANISER)
    outcome = await meeting_schedule.schedule_session(
        actor, int(request.path_params["session_id"]), now=now_utc(), public_url=public_url(request))
    run: ScheduleRunJson = {
        "run_id": outcome.run.id, "scheduled": outcome.scheduled,
        "unscheduled": outcome.unscheduled, "objective": outcome.run.objective,
        "bound": outcome.run.bound, "published": outcome.published}
    return JSONResponse(run)


@operation(summary="A session's schedule (organisers)", tags=["meetings"],
           responses={200: ("the schedule, its meetings and the requests left out", ScheduleJson),
                      401: UNAUTHENTICATED, 403: NOT_ORGANISER, 404: NOT_MY_SESSION})
async def get_schedule(request: Request) -> Response:
    schedule = await meeting_schedule.organiser_schedule(
        current_account(request), int(request.path_params["session_id"]))
    body: ScheduleJson = {
        "session": session_json(schedule.session), "status": schedule.status,
        "objective": schedule.run.objective if schedule.run else None,
        "bound": schedule.run.bound if schedule.run else None,
        "meetings": [{
            "id": p.meeting.id, "request_id": p.meeting.request_id,
            "slot": p.meeting.slot, "table": p.meeting.table_number,
            "starts_at": schedule.times[p.meeting.slot].isoformat(),
            "requester": party_json(p.requester), "recipient": party_json(p.recipient),
            "outcome_requester": p.meeting.outcome_requester,
            "outcome_recipient": p.meeting.outcome_recipient} for p in schedule.meetings],
        "unscheduled": [{"request_id": r.id, "requester": party_json(a), "recipient": party_json(b)}
                        for r, a, b in schedule.unplaced],
    }
    return JSONResponse(body)


routes = [
    Route("/api/meetings/fairs/{fair_id:int}/sessions", create_session, methods=["POST"]),
    Route("/api/meetings/sessions/{session_id:int}/requests", create_request, methods=["POST"]),
    Route("/api/meetings/requests", my_requests, methods=["GET"]),
    Route("/api/meetings/requests/{request_id:int}/{action}", change_request, methods=["POST"]),
    Route("/api/meetings/agenda", agenda, methods=["GET"]),
    Route("/api/meetings/agenda.ics", agenda_ics, methods=["GET"]),
    Route("/api/meetings/sessions/{session_id:int}/schedule", run_schedule, methods=["POST"]),
    Route("/api/meetings/sessions/{session_id:int}/schedule", get_schedule, methods=["GET"]),
]
