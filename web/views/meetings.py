"""B2B meeting pages: participants ask, answer and read their agenda; organisers run sessions."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from config.i18n import current_language
from config.i18n import gettext as _
from config.settings import Settings
from matchmaking.clock import now_utc
from matchmaking.enums import MeetingOutcome, Role
from matchmaking.errors import Forbidden, NotFound, ValidationFailed
from matchmaking.fairs import fairs
from matchmaking.meetings import agenda as meeting_agenda
from matchmaking.meetings import closing as meeting_closing
from matchmaking.meetings import schedule as meeting_schedule
from matchmaking.meetings import sessions as meetings
from matchmaking.meetings import suggestions as meeting_suggestions
from matchmaking.meetings import unscheduled as meeting_unscheduled
from matchmaking.meetings.parties import eligible, profiles
from matchmaking.permissions import require_account, require_role
from web.auth import current_account, public_url
from web.forms import FormState, keep_typed, read_form
from web.render import render

SESSION_FIELDS = ("name", "starts_at", "slot_minutes", "slots", "tables", "request_deadline")


def _page(request: Request, template: str, context: dict[str, Any], status_code: int = 200) -> Response:
    return render(request, f"meetings/{template}", context, status_code=status_code)


def _id(request: Request, name: str) -> int:
    return int(request.path_params[name])


def _back(url: str, **query: str) -> RedirectResponse:
    suffix = "&".join(f"{k}={v}" for k, v in query.items())
    return RedirectResponse(f"{url}?{suffix}" if suffix else url, status_code=303)


# Everyone --------------------------------------------------------------------------------


async def home(request: Request) -> Response:
    account = require_account(current_account(request))
    sessions = await meetings.sessions_for(account, now=now_utc())
    return _page(request, "home.html", {"sessions": sessions, "account": account})


async def _fair_page(request: Request, form: FormState, status_code: int = 200) -> Response:
    actor = current_account(request)
    fair = await fairs.visible_fair(actor, _id(request, "fair_id"))
    return _page(request, "fair.html", {
        "fair": fair, "sessions": await meetings.fair_sessions(fair), "form": form,
        "organiser": fairs.is_owner(actor, fair)}, status_code)


async def fair_sessions(request: Request) -> Response:
    """The fair's sessions; its organiser adds sessions here."""
    if request.method == "GET":
        return await _fair_page(request, FormState({"slot_minutes": "20", "slots": "12",
                                                    "tables": "20"}))
    actor = require_role(current_account(request), Role.ORGANISER)
    values = await read_form(request)
    try:
        session = await meetings.create_session(actor, _id(request, "fair_id"), values, now=now_utc())
    except ValidationFailed as exc:
        return await _fair_page(request, keep_typed(values, exc.errors), 422)
    return _back(f"/meetings/sessions/{session.id}/manage", saved="1")


# Participants ----------------------------------------------------------------------------


async def session_directory(request: Request) -> Response:
    """Who the participant may ask to meet; the organiser is sent to its own page."""
    actor = current_account(request)
    session = await meetings.visible_session(actor, _id(request, "session_id"))
    if fairs.is_owner(actor, meetings.fair_of(session)):
        return _back(f"/meetings/sessions/{session.id}/manage")
    query = request.query_params.get("q", "")[:100]
    try:
        people = await meetings.directory(actor, session.id, query=query)
    except Forbidden:
        if actor is not None and actor.role == Role.BUYER:  # not registered (yet): register first
            return _back(f"/meetings/sessions/{session.id}/register")
        raise
    suggestions = await meeting_suggestions.suggested_meetings(actor, session.id,
                                                               language=current_language())
    return _page(request, "directory.html", {
        "session": session, "people": people, "query": query, "suggestions": suggestions,
        "open": now_utc() < session.request_deadline})


async def _ask_page(request: Request, form: FormState, status_code: int = 200) -> Response:
    """The form; on GET only for a counterpart (a refused POST shows why it was refused)."""
    actor = current_account(request)
    session = await meetings.visible_session(actor, _id(request, "session_id"))
    me = await meetings.participant(actor, session)
    other_id, fair = _id(request, "account_id"), meetings.fair_of(session)
    if not form.errors and (await eligible(session)).get(other_id, me.side) == me.side:
        raise NotFound("participant")
    other = (await profiles({other_id}, fair)).get(other_id)
    return _page(request, "ask.html", {"session": session, "other": other, "form": form},
                 status_code)


async def ask(request: Request) -> Response:
    """The request form: a message to the other side."""
    actor = require_role(current_account(request), Role.BUYER, Role.PRODUCER)
    if request.method == "GET":
        return await _ask_page(request, FormState())
    values = await read_form(request)
    try:
        await meetings.request_meeting(actor, _id(request, "session_id"),
                                       _id(request, "account_id"), values.get("message", ""),
                                       now=now_utc(), public_url=public_url(request))
    except ValidationFailed as exc:
        errors = dict(exc.errors)
        if "recipient" in errors or "session" in errors:
            errors["message"] = errors.pop("recipient", "") or errors.pop("session", "")
        return await _ask_page(request, keep_typed(values, errors), 422)
    return _back("/meetings/requests", sent="1")


async def my_requests(request: Request) -> Response:
    mine = await meeting_unscheduled.my_requests_explained(current_account(request), now=now_utc())
    return _page(request, "requests.html", {
        "incoming": mine.incoming, "outgoing": mine.outgoing, "not_scheduled": mine.not_scheduled,
        "error": request.query_params.get("error", "")})


async def change_request(request: Request) -> Response:
    """Accept, decline (the recipient) or cancel (the requester)."""
    actor = require_account(current_account(request))
    try:
        await meetings.change_request(actor, _id(request, "request_id"),
                                      request.path_params["action"], now=now_utc(),
                                      public_url=public_url(request))
    except ValidationFailed as exc:
        views = await meetings.my_requests(actor, now=now_utc())
        return _page(request, "requests.html", {
            "incoming": [v for v in views if v.incoming],
            "outgoing": [v for v in views if not v.incoming],
            "error": " ".join(exc.errors.values())}, 422)
    return _back("/meetings/requests", done=request.path_params["action"])


async def agenda(request: Request) -> Response:
    items = await meeting_agenda.my_agenda(current_account(request), now=now_utc())
    return _page(request, "agenda.html", {"items": items})


async def agenda_ics(request: Request) -> Response:
    settings: Settings = request.app.state.settings
    items = await meeting_agenda.my_agenda(current_account(request), now=now_utc())
    text = meeting_agenda.agenda_calendar(items, now=now_utc(), public_url=settings.public_url)
    return Response(text, media_type="text/calendar; charset=utf-8", headers={
        "Content-Disposition": 'attachment; filename="ocop-b2b-meetings.ics"'})


def _outcome_options() -> list[tuple[str, str]]:
    from web.labels import outcome_label

    return [(o.value, outcome_label(o.value)) for o in MeetingOutcome]


async def outcome(request: Request) -> Response:
    """One side records what came of a meeting."""
    actor = current_account(request)
    item = await meeting_agenda.agenda_item(actor, _id(request, "meeting_id"), now=now_utc())
    form = FormState({"outcome": item.my_outcome or ""})
    status_code = 200
    if request.method == "POST":
        values = await read_form(request)
        try:
            await meeting_agenda.record_outcome(actor, item.meeting.id, values.get("outcome", ""),
                                                now=now_utc())
        except ValidationFailed as exc:
            form, status_code = keep_typed(values, exc.errors), 422
        else:
            return _back("/meetings/agenda", recorded="1")
    return _page(request, "outcome.html", {"item": item, "form": form,
                                           "options": _outcome_options()}, status_code)


# Organisers ------------------------------------------------------------------------------


async def manage(request: Request) -> Response:
    """The organiser's view of a session: requests, participants, scheduling, outcomes."""
    session = await meetings.organiser_session(current_account(request), _id(request, "session_id"))
    rows, names = await meetings.session_requests(session)
    schedule = await meeting_schedule.session_schedule(session)
    counts: dict[str, int] = {}
    for row in rows:
        counts[str(row.status)] = counts.get(str(row.status), 0) + 1
    involved = sorted({names[r.requester_id] for r in rows} | {names[r.recipient_id] for r in rows},
                      key=lambda p: (p.side, p.name))
    return _page(request, "manage.html", {
        "session": session, "fair": meetings.fair_of(session), "requests": rows, "names": names,
        "counts": counts, "participants": involved, "schedule": schedule,
        "summary": await meeting_agenda.outcome_summary(session),
        "outcome_options": _outcome_options(), "error": request.query_params.get("error", ""),
        "deadline_passed": now_utc() >= session.request_deadline})


async def _schedule_and_show(request: Request, verb: Callable[..., Awaitable[object]]) -> Response:
    """Run a scheduling verb of the organiser, then show the grid (or the error on the session)."""
    actor = current_account(request)
    session_id = _id(request, "session_id")
    try:
        await verb(actor, session_id, now=now_utc(), public_url=public_url(request))
    except ValidationFailed as exc:
        await meetings.organiser_session(actor, session_id)
        return _back(f"/meetings/sessions/{session_id}/manage", error=" ".join(exc.errors.values()))
    return _back(f"/meetings/sessions/{session_id}/grid", scheduled="1")


async def run_scheduling(request: Request) -> Response:
    return await _schedule_and_show(request, meeting_schedule.schedule_session)


async def close_requests(request: Request) -> Response:
    """The organiser ends the request window early: the schedule is published at once."""
    return await _schedule_and_show(request, meeting_closing.close_requests)


async def _grid_page(request: Request, form: FormState, status_code: int = 200) -> Response:
    schedule = await meeting_schedule.organiser_schedule(current_account(request),
                                                         _id(request, "session_id"))
    return _page(request, "grid.html", {"schedule": schedule, "session": schedule.session,
                                        "form": form}, status_code)


async def grid(request: Request) -> Response:
    return await _grid_page(request, FormState())


def _number(values: dict[str, str], name: str) -> int:
    text = values.get(name, "")
    if not text.isdigit():
        raise ValidationFailed({name: _("Enter a number.")})
    return int(text)


async def swap(request: Request) -> Response:
    """Swap two meetings' places, or move one to a slot and table (swapping if taken)."""
    actor = require_role(current_account(request), Role.ORGANISER)
    values = await read_form(request)
    session_id = _id(request, "session_id")
    try:
        if values.get("second"):
            await meeting_schedule.swap_meetings(actor, session_id, _number(values, "first"),
                                                 _number(values, "second"), now=now_utc(),
                                                 public_url=public_url(request))
        else:
            await meeting_schedule.move_meeting(actor, session_id, _number(values, "first"),
                                                _number(values, "slot"), _number(values, "table"),
                                                now=now_utc(), public_url=public_url(request))
    except ValidationFailed as exc:
        return await _grid_page(request, keep_typed(values, exc.errors), 422)
    return _back(f"/meetings/sessions/{session_id}/grid", changed="1")


async def unbook(request: Request) -> Response:
    actor = require_role(current_account(request), Role.ORGANISER)
    session_id = _id(request, "session_id")
    try:
        await meeting_schedule.unbook_meeting(actor, session_id, _id(request, "meeting_id"),
                                              now=now_utc(), public_url=public_url(request))
    except ValidationFailed as exc:
        return await _grid_page(request, FormState({}, exc.errors), 422)
    return _back(f"/meetings/sessions/{session_id}/grid", unbooked="1")


routes = [
    Route("/meetings", home, name="meetings_home"),
    Route("/meetings/fairs/{fair_id:int}", fair_sessions, methods=["GET", "POST"],
          name="meetings_fair"),
    Route("/meetings/sessions/{session_id:int}", session_directory, name="meetings_directory"),
    Route("/meetings/sessions/{session_id:int}/ask/{account_id:int}", ask, methods=["GET", "POST"],
          name="meetings_ask"),
    Route("/meetings/requests", my_requests, name="meetings_requests"),
    Route("/meetings/requests/{request_id:int}/{action}", change_request, methods=["POST"],
          name="meetings_request_change"),
    Route("/meetings/agenda", agenda, name="meetings_agenda"),
    Route("/meetings/agenda.ics", agenda_ics, name="meetings_agenda_ics"),
    Route("/meetings/{meeting_id:int}/outcome", outcome, methods=["GET", "POST"],
          name="meetings_outcome"),
    Route("/meetings/sessions/{session_id:int}/manage", manage, name="meetings_manage"),
    Route("/meetings/sessions/{session_id:int}/schedule", run_scheduling, methods=["POST"],
          name="meetings_schedule"),
    Route("/meetings/sessions/{session_id:int}/close", close_requests, methods=["POST"],
          name="meetings_close"),
    Route("/meetings/sessions/{session_id:int}/grid", grid, name="meetings_grid"),
    Route("/meetings/sessions/{session_id:int}/swap", swap, methods=["POST"], name="meetings_swap"),
    Route("/meetings/sessions/{session_id:int}/meetings/{meeting_id:int}/unbook", unbook,
          methods=["POST"], name="meetings_unbook"),
]
