"""B2B meetings at a fair (gặp gỡ giao thương): sessions, who takes part, meeting requests.

Who takes part in a fair's sessions:

- exhibitors: producers with an accepted booth application at the fair; while the fair has no
  accepted application at all (booths not allocated yet), producers with a submitted one;
- buyers: buyer accounts with a buyer profile whose registration for the session is approved
  (meetings/registration.py); any buyer may see the sessions and register.

Requests go between a buyer and an exhibitor, either way. They are made, answered and cancelled
until the session's request deadline; then the scheduler (matchmaking/meeting_schedule.py) places
them, and only the organiser changes the schedule.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, TypedDict, cast

from tortoise.exceptions import IntegrityError
from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from config.i18n import gettext as _
from config.i18n import speaking
from matchmaking import audit
from matchmaking.clock import VIETNAM
from matchmaking.enums import FairStatus, MeetingRequestStatus, Role
from matchmaking.errors import Forbidden, NotFound, ValidationFailed
from matchmaking.fairs.fairs import is_owner, own_fair, owned_by
from matchmaking.meetings.parties import (
    BUYER,
    Party,
    buyers,
    exhibitors,
    party_of,
    profiles,
)
from matchmaking.models import (
    Account,
    BoothApplication,
    Buyer,
    Fair,
    MeetingRequest,
    MeetingSession,
    Producer,
)
from matchmaking.notifications import notify
from matchmaking.parsing import parse_moment, parse_whole
from matchmaking.permissions import require_account, require_role

MESSAGE_MAX = 1000
LIMITS = {"slot_minutes": (5, 240), "slots": (1, 100), "tables": (1, 500)}
LIVE = (MeetingRequestStatus.PENDING, MeetingRequestStatus.ACCEPTED)


# Sessions --------------------------------------------------------------------------------


def fair_of(session: MeetingSession) -> Fair:
    """The session's fair (loaded with select_related)."""
    return cast(Fair, session.fair)


def session_end(session: MeetingSession) -> datetime:
    return session.starts_at + timedelta(minutes=session.slot_minutes * session.slots)


def slot_start(session: MeetingSession, slot: int) -> datetime:
    return session.starts_at + timedelta(minutes=session.slot_minutes * slot)


def slot_times(session: MeetingSession) -> list[datetime]:
    return [slot_start(session, s).astimezone(VIETNAM) for s in range(session.slots)]




class SessionInput(TypedDict):
    """A session's fields after validation (times in UTC)."""

    name: str
    starts_at: datetime
    request_deadline: datetime
    slot_minutes: int
    slots: int
    tables: int


def validate_session(
    data: Mapping[str, Any], fair: Fair, others: list[MeetingSession], *, now: datetime
) -> SessionInput:
    """Check a session's fields against the fair and its other sessions; ValidationFailed names each."""
    errors: dict[str, str] = {}
    name = str(data.get("name") or "").strip()
    if not name:
        errors["name"] = _("Enter a name for the session.")
    elif len(name) > 120:
        errors["name"] = _("The name is too long (120 characters at most).")
    sizes: dict[str, int] = {}
    messages = {
        "slot_minutes": _("A slot lasts 5 to 240 minutes."),
        "slots": _("A session has 1 to 100 slots."),
        "tables": _("A session has 1 to 500 tables."),
    }
    for field, (low, high) in LIMITS.items():
        number = parse_whole(data.get(field), max_digits=6)
        if number is None or not low <= number <= high:
            errors[field] = messages[field]
        else:
            sizes[field] = number
    starts_at = parse_moment(data.get("starts_at"))
    if starts_at is None:
        errors["starts_at"] = _("Enter the start as a date and time.")
    deadline = parse_moment(data.get("request_deadline"))
    if deadline is None:
        errors["request_deadline"] = _("Enter the request deadline as a date and time.")
    if starts_at is not None:
        local = starts_at.astimezone(VIETNAM)
        if not fair.starts_on <= local.date() <= fair.ends_on:
            errors["starts_at"] = _("The session must take place during the fair.")
        elif starts_at <= now:
            errors["starts_at"] = _("The session must start in the future.")
    if deadline is not None and "request_deadline" not in errors:
        if starts_at is not None and deadline > starts_at:
            errors["request_deadline"] = _("The request deadline must be before the session starts.")
        elif deadline <= now:
            errors["request_deadline"] = _("The request deadline must be in the future.")
    if starts_at is not None and "starts_at" not in errors and len(sizes) == len(LIMITS):
        ends_at = starts_at + timedelta(minutes=sizes["slot_minutes"] * sizes["slots"])
        for other in others:
            if starts_at < session_end(other) and other.starts_at < ends_at:
                errors["starts_at"] = _("This overlaps the session “%(name)s” of the same fair.") % {
                    "name": other.name}
                break
    if errors:
        raise ValidationFailed(errors)
    assert starts_at is not None and deadline is not None
    return {"name": name, "starts_at": starts_at, "request_deadline": deadline,
            "slot_minutes": sizes["slot_minutes"], "slots": sizes["slots"], "tables": sizes["tables"]}


async def organiser_session(actor: Account | None, session_id: int) -> MeetingSession:
    """A session of one of the actor's fairs, with its fair loaded."""
    account = require_role(actor, Role.ORGANISER)
    session = await MeetingSession.filter(id=session_id, **owned_by(account, "fair__")) \
        .select_related("fair").first()
    if session is None:
        raise NotFound("meeting session")
    return session


async def visible_session(actor: Account | None, session_id: int) -> MeetingSession:
    session = await MeetingSession.get_or_none(id=session_id).select_related("fair")
    if session is None or (fair_of(session).status == FairStatus.DRAFT
                           and not is_owner(actor, fair_of(session))):
        raise NotFound("meeting session")
    return session


async def fair_sessions(fair: Fair) -> list[MeetingSession]:
    return await MeetingSession.filter(fair=fair).order_by("starts_at", "id")


async def create_session(
    actor: Account | None, fair_id: int, data: Mapping[str, Any], *, now: datetime
) -> MeetingSession:
    """Add a meeting session to one of the actor's fairs. Side effects: audit entry."""
    fair = await own_fair(actor, fair_id)
    values = validate_session(data, fair, await fair_sessions(fair), now=now)
    async with in_transaction():
        session = await MeetingSession.create(fair=fair, **values)
        await audit.record("meetings.session_create", actor=actor, target_type="meeting_session",
                           target_id=session.id, detail={"fair": fair.id})
    session.fair = fair
    return session


# Participants ----------------------------------------------------------------------------


async def participant(actor: Account | None, session: MeetingSession) -> Party:
    """The actor as a participant of the session's fair; Forbidden if it is not one."""
    account = require_role(actor, Role.BUYER, Role.PRODUCER)
    party = await party_of(account, fair_of(session), session)
    if party is None:
        raise Forbidden("not a participant of this session")
    return party


@dataclass(frozen=True)
class Counterpart:
    party: Party
    sent: MeetingRequest | None
    received: MeetingRequest | None


async def directory(actor: Account | None, session_id: int, *, query: str = "") -> list[Counterpart]:
    """Who the actor may ask to meet: buyers see exhibitors, exhibitors see buyers."""
    session = await visible_session(actor, session_id)
    me = await participant(actor, session)
    others = await exhibitors(fair_of(session)) if me.side == BUYER else await buyers(session)
    words = query.strip().lower()
    if words:
        others = [p for p in others if words in p.name.lower() or words in p.contact.lower()]
    mine = await MeetingRequest.filter(
        Q(requester_id=me.account_id) | Q(recipient_id=me.account_id), session=session)
    sent = {r.recipient_id: r for r in mine if r.requester_id == me.account_id}
    received = {r.requester_id: r for r in mine if r.recipient_id == me.account_id}
    return [Counterpart(p, sent.get(p.account_id), received.get(p.account_id)) for p in others]


# Requests --------------------------------------------------------------------------------




def _before_deadline(session: MeetingSession, now: datetime) -> None:
    if now >= session.request_deadline:
        raise ValidationFailed({"session": _("The request deadline of this session has passed.")})


async def request_meeting(
    actor: Account | None, session_id: int, recipient_id: int, message: str, *, now: datetime,
    public_url: str,
) -> MeetingRequest:
    """Ask a participant on the other side to meet. Side effects: notification and email."""
    session = await visible_session(actor, session_id)
    me = await participant(actor, session)
    _before_deadline(session, now)
    message = (message or "").strip()
    if recipient_id == me.account_id:
        raise ValidationFailed({"recipient": _("You cannot ask to meet yourself.")})
    recipient = await Account.get_or_none(id=recipient_id, is_active=True)
    other = await party_of(recipient, fair_of(session), session) if recipient else None
    if recipient is None or other is None:
        raise ValidationFailed({"recipient": _("This account does not take part in this fair.")})
    if other.side == me.side:
        raise ValidationFailed({"recipient": _("Buyers meet exhibitors, and exhibitors meet buyers.")})
    if len(message) > MESSAGE_MAX:
        raise ValidationFailed({"message": _("The message is too long (1,000 characters at most).")})
    existing = await MeetingRequest.get_or_none(session=session, requester_id=me.account_id,
                                                recipient_id=recipient_id)
    if existing is not None and existing.status != MeetingRequestStatus.CANCELLED:
        raise ValidationFailed({"recipient": _("You have already asked to meet them in this session.")})
    try:
        async with in_transaction():
            if existing is not None:
                existing.status, existing.message = MeetingRequestStatus.PENDING, message
                await existing.save(update_fields=["status", "message"])
                request = existing
            else:
                request = await MeetingRequest.create(
                    session=session, requester_id=me.account_id, recipient=recipient,
                    message=message)
            with speaking(recipient.language):
                await notify(recipient, kind="meeting.request",
                             title=_("%(name)s asks to meet you") % {"name": me.name},
                             body=_("Session: %(session)s\n\n%(message)s") % {
                                 "session": session.name, "message": message},
                             link="/meetings/requests", public_url=public_url)
    except IntegrityError:  # a double submit raced us to the unique row
        raise ValidationFailed(
            {"recipient": _("You have already asked to meet them in this session.")}) from None
    return request


ANSWERS: dict[str, tuple[MeetingRequestStatus, tuple[MeetingRequestStatus, ...]]] = {
    "accept": (MeetingRequestStatus.ACCEPTED, (MeetingRequestStatus.PENDING,)),
    "decline": (MeetingRequestStatus.DECLINED, LIVE),
    "cancel": (MeetingRequestStatus.CANCELLED, LIVE),
}


def status_text(status: str) -> str:
    return {
        "pending": _("pending"), "accepted": _("accepted"), "declined": _("declined"),
        "cancelled": _("cancelled"),
    }.get(str(status), str(status))


async def change_request(
    actor: Account | None, request_id: int, action: str, *, now: datetime, public_url: str
) -> MeetingRequest:
    """The recipient accepts or declines, the requester cancels, before the deadline.

    Side effects: the other side is notified (inbox and email).
    """
    account = require_account(actor)
    request = await MeetingRequest.get_or_none(id=request_id).select_related(
        "session", "session__fair", "requester", "recipient")
    if request is None or account.id not in (request.requester_id,
                                             request.recipient_id):
        raise NotFound("meeting request")
    if action not in ANSWERS:
        raise ValidationFailed({"action": _("Unknown action.")})
    requester, recipient = cast(Account, request.requester), cast(Account, request.recipient)
    mine = requester if action == "cancel" else recipient
    if mine.id != account.id:
        raise Forbidden("only the recipient answers, only the requester cancels")
    _before_deadline(request.session, now)
    target, sources = ANSWERS[action]
    if request.status not in sources:
        raise ValidationFailed({"status": _("This request is already %(status)s.") % {
            "status": status_text(request.status)}})
    other = recipient if action == "cancel" else requester
    async with in_transaction():
        request.status = target
        await request.save(update_fields=["status"])
        with speaking(other.language):
            titles = {
                "accept": _("%(name)s accepted your meeting request"),
                "decline": _("%(name)s declined your meeting request"),
                "cancel": _("%(name)s cancelled their meeting request"),
            }
            await notify(other, kind=f"meeting.{action}",
                         title=titles[action] % {"name": account.display_name},
                         body=_("Session: %(session)s") % {"session": request.session.name},
                         link="/meetings/requests", public_url=public_url)
    return request


@dataclass(frozen=True)
class RequestView:
    request: MeetingRequest
    session: MeetingSession
    other: Party | None
    incoming: bool
    open: bool


async def my_requests(actor: Account | None, *, now: datetime) -> list[RequestView]:
    """The actor's sent and received requests, newest first, with the other party."""
    account = require_role(actor, Role.BUYER, Role.PRODUCER)
    rows = await MeetingRequest.filter(
        Q(requester_id=account.id) | Q(recipient_id=account.id)
    ).select_related("session", "session__fair").order_by("-created_at", "-id")
    ids = {r.requester_id for r in rows} | {r.recipient_id for r in rows}
    found = await profiles(ids)
    views: list[RequestView] = []
    for row in rows:
        incoming = row.recipient_id == account.id
        other_id = row.requester_id if incoming else row.recipient_id
        views.append(RequestView(row, row.session, found.get(other_id), incoming,
                                 now < row.session.request_deadline))
    return views


async def session_requests(session: MeetingSession) -> tuple[list[MeetingRequest], dict[int, Party]]:
    """Every request of a session, oldest first, and the parties they name (organiser's view)."""
    rows = await MeetingRequest.filter(session=session).order_by("created_at", "id")
    ids = {r.requester_id for r in rows} | {r.recipient_id for r in rows}
    return rows, await profiles(ids, fair_of(session))


async def sessions_for(actor: Account | None, *, now: datetime) -> list[MeetingSession]:
    """Sessions not yet over that the actor organises or may take part in, soonest first."""
    account = require_account(actor)
    # In UTC, the zone the database stores: SQLite compares the stored text.
    since = now.astimezone(UTC) - timedelta(days=1)
    query = MeetingSession.filter(starts_at__gt=since).select_related("fair")
    if account.role == Role.ORGANISER:
        query = query.filter(**owned_by(account, "fair__"))
    elif account.role != Role.ADMIN:
        query = query.exclude(fair__status=FairStatus.DRAFT)
    if account.role == Role.PRODUCER:
        producer = await Producer.get_or_none(owner=account)
        fair_ids = [] if producer is None else await BoothApplication.filter(
            producer=producer).values_list("fair_id", flat=True)
        query = query.filter(fair_id__in=list(fair_ids))
    elif account.role == Role.BUYER and not await Buyer.exists(owner=account):
        return []
    sessions = [s for s in await query.order_by("starts_at", "id") if session_end(s) > now]
    if account.role != Role.PRODUCER:
        return sessions
    allowed: dict[int, bool] = {}
    for session in sessions:
        fair = fair_of(session)
        if fair.id not in allowed:
            allowed[fair.id] = await party_of(account, fair) is not None
    return [s for s in sessions if allowed[fair_of(s).id]]
