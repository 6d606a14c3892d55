"""Personal agendas of published B2B schedules, their iCalendar file, and meeting outcomes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import cast
from urllib.parse import urlsplit

from tortoise.expressions import Q

from config.i18n import gettext as _
from matchmaking.clock import VIETNAM
from matchmaking.enums import MeetingOutcome, MeetingStatus, Role
from matchmaking.errors import NotFound, ValidationFailed
from matchmaking.meetings import ical
from matchmaking.meetings.parties import Party, profiles
from matchmaking.meetings.schedule import is_published, published_session_ids
from matchmaking.meetings.sessions import fair_of, slot_start
from matchmaking.models import Account, Fair, Meeting, MeetingRequest, MeetingSession
from matchmaking.permissions import require_account, require_role


@dataclass(frozen=True)
class AgendaItem:
    """One meeting as one of its participants sees it."""

    meeting: Meeting
    session: MeetingSession
    fair: Fair
    starts_at: datetime
    ends_at: datetime
    other: Party
    message: str
    asked_by_me: bool
    my_outcome: str | None
    other_outcome: str | None
    started: bool

    @property
    def table(self) -> int:
        return self.meeting.table_number


def _mine(meeting: Meeting, account_id: int) -> tuple[bool, str | None, str | None]:
    """Whether the account asked, its outcome and the other side's."""
    request = cast(MeetingRequest, meeting.request)
    asked = request.requester_id == account_id
    if asked:
        return True, meeting.outcome_requester, meeting.outcome_recipient
    return False, meeting.outcome_recipient, meeting.outcome_requester


async def my_agenda(actor: Account | None, *, now: datetime) -> list[AgendaItem]:
    """The actor's meetings in published schedules, in time order."""
    account = require_role(actor, Role.BUYER, Role.PRODUCER)
    rows = await Meeting.filter(
        Q(request__requester_id=account.id) | Q(request__recipient_id=account.id),
        status=MeetingStatus.SCHEDULED,
    ).select_related("request", "session", "session__fair")
    published = await published_session_ids({m.session_id for m in rows})
    rows = [m for m in rows if m.session_id in published]
    others = set()
    for m in rows:
        request = cast(MeetingRequest, m.request)
        others |= {request.requester_id, request.recipient_id}
    names = await profiles(others)
    items = []
    for m in rows:
        session = cast(MeetingSession, m.session)
        request = cast(MeetingRequest, m.request)
        asked, my_outcome, other_outcome = _mine(m, account.id)
        other_id = request.recipient_id if asked else request.requester_id
        starts_at = slot_start(session, m.slot).astimezone(VIETNAM)
        items.append(AgendaItem(
            m, session, fair_of(session), starts_at,
            starts_at + timedelta(minutes=session.slot_minutes), names[other_id], request.message,
            asked, my_outcome, other_outcome, now >= starts_at))
    return sorted(items, key=lambda item: (item.starts_at, item.meeting.id))


def agenda_calendar(items: list[AgendaItem], *, now: datetime, public_url: str) -> str:
    """The agenda as an iCalendar file; UIDs stay the same across downloads."""
    host = urlsplit(public_url).hostname or "ocop-connect"
    events = []
    for item in items:
        location = _("%(venue)s, table %(table)s") % {"venue": item.fair.venue, "table": item.table}
        lines = [item.session.name + " · " + item.fair.name,
                 _("With: %(name)s (%(contact)s)") % {"name": item.other.name,
                                                      "contact": item.other.contact}]
        if item.other.booth:
            lines.append(_("Booth: %(booth)s") % {"booth": item.other.booth})
        if item.message:
            lines += ["", item.message]
        events.append(ical.Event(
            uid=f"ocop-meeting-{item.meeting.id}@{host}", starts_at=item.starts_at,
            ends_at=item.ends_at,
            summary=_("B2B meeting: %(name)s") % {"name": item.other.name},
            location=location, description="\n".join(lines)))
    return ical.calendar(events, name=_("My B2B meetings"), stamp=now)


async def record_outcome(actor: Account | None, meeting_id: int, outcome: str, *,
                         now: datetime) -> Meeting:
    """One side says what came of the meeting, once it has started (it may change its answer)."""
    account = require_account(actor)
    meeting = await Meeting.get_or_none(id=meeting_id).select_related("request", "session")
    request = cast(MeetingRequest, meeting.request) if meeting else None
    if meeting is None or request is None or account.id not in (
            request.requester_id, request.recipient_id):
        raise NotFound("meeting")
    session = cast(MeetingSession, meeting.session)
    if not await is_published(session):
        raise NotFound("meeting")
    if outcome not in {o.value for o in MeetingOutcome}:
        raise ValidationFailed({"outcome": _("Choose what came of the meeting.")})
    if now < slot_start(session, meeting.slot):
        raise ValidationFailed({"outcome": _("You can record the outcome once the meeting has started.")})
    if request.requester_id == account.id:
        meeting.outcome_requester = outcome
        await meeting.save(update_fields=["outcome_requester"])
    else:
        meeting.outcome_recipient = outcome
        await meeting.save(update_fields=["outcome_recipient"])
    return meeting


async def agenda_item(actor: Account | None, meeting_id: int, *, now: datetime) -> AgendaItem:
    for item in await my_agenda(actor, now=now):
        if item.meeting.id == meeting_id:
            return item
    raise NotFound("meeting")


@dataclass(frozen=True)
class OutcomeSummary:
    meetings: int
    answered: int
    counts: dict[str, int]
    deals: int
    both_agree: int


async def outcome_summary(session: MeetingSession) -> OutcomeSummary:
    """What the participants said came of the session's meetings (each side counts once)."""
    rows = await Meeting.filter(session=session, status=MeetingStatus.SCHEDULED).values_list(
        "outcome_requester", "outcome_recipient")
    counts = {o.value: 0 for o in MeetingOutcome}
    answered = deals = agree = 0
    for pair in rows:
        given = [str(o) for o in pair if o]
        answered += bool(given)
        for outcome in given:
            counts[outcome] = counts.get(outcome, 0) + 1
        deals += MeetingOutcome.DEAL.value in given
        agree += len(given) == 2 and given[0] == given[1]
    return OutcomeSummary(len(rows), answered, counts, deals, agree)
