"""Placing a session's meeting requests into slots and tables, and the organiser's later changes.

The policy where the spec leaves a choice:

- One meeting per pair of participants. Requests both ways weigh 3, an accepted request 2, a
  pending one 1: an unanswered request may be scheduled, since its recipient could decline it
  until the deadline. Declined and cancelled requests are not placed, nor requests whose
  exhibitor no longer exhibits (its application was not accepted after all).
- Before the request deadline the organiser may run the scheduler for a draft that only the
  organiser sees. At the deadline the job (or the organiser) runs it again and publishes it:
  agendas appear and everyone with a meeting is told. A published schedule is never recomputed,
  only edited meeting by meeting (swap, move, unbook), so nobody's agenda reshuffles.
- The schedule is written in one transaction (old meetings out, new ones in, the run recorded),
  so a failure leaves the previous schedule exactly as it was.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, cast

from tortoise.transactions import in_transaction

from config.i18n import gettext as _
from matchmaking import audit
from matchmaking.clock import local_time
from matchmaking.enums import MeetingRequestStatus, MeetingStatus, RunStatus
from matchmaking.errors import NotFound, ValidationFailed
from matchmaking.meetings.parties import Party, eligible, profiles
from matchmaking.meetings.registration import declarations
from matchmaking.meetings.sessions import (
    LIVE,
    fair_of,
    organiser_session,
    session_end,
    slot_start,
    slot_times,
    speaking,
)
from matchmaking.models import (
    Account,
    AllocationRun,
    Meeting,
    MeetingParticipant,
    MeetingRequest,
    MeetingSession,
)
from matchmaking.notifications import Message, notify_all
from matchmaking.optim.meetings import schedule_meetings

KIND = "meetings"
PARKED_SLOT = 32000  # a slot number no session reaches: where a meeting waits during a swap


@dataclass(frozen=True)
class Pair:
    """Two participants to seat together: the request that stands for them and its weight."""

    request_id: int
    a: int
    b: int
    weight: int


def _weight(both: list[MeetingRequest]) -> int:
    if len(both) == 2:  # each side asked the other
        return 3
    return 2 if both[0].status == MeetingRequestStatus.ACCEPTED else 1


def pairs_of(requests: list[MeetingRequest], sides: dict[int, str]) -> list[Pair]:
    """The meetings to place, one per pair of participants, weighted by the platform's policy."""
    by_pair: dict[tuple[int, int], list[MeetingRequest]] = {}
    for request in requests:
        a, b = request.requester_id, request.recipient_id
        if request.status not in LIVE or a not in sides or b not in sides or sides[a] == sides[b]:
            continue
        by_pair.setdefault((min(a, b), max(a, b)), []).append(request)
    pairs = []
    for (a, b), both in sorted(by_pair.items()):
        chosen = min(both, key=lambda r: (r.status != MeetingRequestStatus.ACCEPTED, r.id))
        pairs.append(Pair(chosen.id, a, b, _weight(both)))
    return pairs


def _participant(account: int, declared: MeetingParticipant | None) -> dict[str, Any]:
    entry: dict[str, Any] = {"id": f"a-{account}"}
    if declared is not None and declared.unavailable:
        entry["unavailable"] = sorted(declared.unavailable)
    if declared is not None and declared.max_meetings is not None:
        entry["max_meetings"] = declared.max_meetings
    return entry


def build_instance(session: MeetingSession, pairs: list[Pair],
                   declared: Mapping[int, MeetingParticipant] | None = None) -> dict[str, Any]:
    """The optimiser's instance (specs/meeting-scheduling.md) for a session, with the slots each
    participant declared it cannot attend and its meeting limit."""
    accounts = sorted({p.a for p in pairs} | {p.b for p in pairs})
    declared = declared or {}
    return {
        "slots": [t.strftime("%Y-%m-%dT%H:%M") for t in slot_times(session)],
        "tables": session.tables,
        "participants": [_participant(account, declared.get(account)) for account in accounts],
        "requests": [{"id": f"r-{p.request_id}", "a": f"a-{p.a}", "b": f"a-{p.b}",
                      "weight": p.weight} for p in pairs],
    }


async def session_runs(session: MeetingSession) -> list[AllocationRun]:
    """The session's scheduling runs, newest first (runs belong to a fair; the instance names the session)."""
    runs = await AllocationRun.filter(fair_id=session.fair_id, kind=KIND).order_by("-id")
    return [r for r in runs if r.instance.get("session_id") == session.id]


async def current_run(session: MeetingSession) -> AllocationRun | None:
    runs = [r for r in await session_runs(session) if r.status != RunStatus.SUPERSEDED]
    return runs[0] if runs else None


async def is_published(session: MeetingSession) -> bool:
    run = await current_run(session)
    return run is not None and run.status == RunStatus.PUBLISHED


async def published_session_ids(session_ids: set[int]) -> set[int]:
    sessions = await MeetingSession.filter(id__in=list(session_ids))
    return {s.id for s in sessions if await is_published(s)}


@dataclass(frozen=True)
class ScheduleOutcome:
    run: AllocationRun
    scheduled: int
    unscheduled: int
    published: bool


async def _record_run(session: MeetingSession, instance: dict[str, Any], result: dict[str, Any],
                      *, publish: bool, actor: Account | None) -> AllocationRun:
    ids = [r.id for r in await session_runs(session)]
    await AllocationRun.filter(id__in=ids).update(status=RunStatus.SUPERSEDED)
    run = await AllocationRun.create(
        fair_id=session.fair_id, kind=KIND,
        instance={**instance, "session_id": session.id}, result=result,
        objective=float(result["objective"]), bound=float(result["bound"]),
        status=RunStatus.PUBLISHED if publish else RunStatus.DRAFT, created_by=actor)
    await audit.record("meetings.schedule", actor=actor, target_type="meeting_session",
                       target_id=session.id, detail={"run": run.id, "published": publish,
                                                     "meetings": len(result["schedule"])})
    return run


async def _announce(session: MeetingSession, public_url: str) -> None:
    """Tell everyone with a meeting in the published schedule that their agenda is ready."""
    rows = await Meeting.filter(session=session).values_list(
        "request__requester_id", "request__recipient_id")
    counts: dict[int, int] = {}
    for pair in rows:
        for account_id in pair:
            counts[int(account_id)] = counts.get(int(account_id), 0) + 1
    messages = []
    for account in await Account.filter(id__in=list(counts)):
        with speaking(account.language):
            messages.append(Message(
                account, "meeting.agenda", _("Your B2B meeting agenda is ready"),
                _("%(session)s: %(count)s meetings.") % {
                    "session": session.name, "count": counts[account.id]},
                "/meetings/agenda"))
    await notify_all(messages, public_url=public_url)


async def write_schedule(session: MeetingSession, instance: dict[str, Any], result: dict[str, Any],
                         *, publish: bool, actor: Account | None, public_url: str) -> AllocationRun:
    """Replace the session's meetings with `result` in one transaction, and record the run."""
    async with in_transaction():
        await MeetingSession.select_for_update().filter(id=session.id).first()
        if await is_published(session):
            raise ValidationFailed({"session": _(
                "The schedule is already published; change it meeting by meeting.")})
        await Meeting.filter(session=session).delete()
        await Meeting.bulk_create([
            Meeting(session=session, request_id=int(request_id.removeprefix("r-")),
                    slot=int(place["slot"]), table_number=int(place["table"]))
            for request_id, place in result["schedule"].items()])
        run = await _record_run(session, instance, result, publish=publish, actor=actor)
        if publish:
            await _announce(session, public_url)
    return run


async def run_schedule(session: MeetingSession, *, now: datetime, public_url: str,
                       actor: Account | None = None, time_limit: float = 20.0,
                       seed: int = 0) -> ScheduleOutcome:
    """Schedule a session's requests: a draft before its deadline, published from the deadline on.

    Side effects: meetings replaced, an AllocationRun and an audit entry, and on publication a
    notification and email to everyone with a meeting.
    """
    if await is_published(session):
        raise ValidationFailed({"session": _(
            "The schedule is already published; change it meeting by meeting.")})
    if now >= session_end(session):
        raise ValidationFailed({"session": _("This session is over.")})
    requests = await MeetingRequest.filter(session=session, status__in=LIVE)
    pairs = pairs_of(requests, await eligible(session))
    instance = build_instance(session, pairs, await declarations(session))
    result = await asyncio.to_thread(schedule_meetings, instance, time_limit=time_limit, seed=seed)
    publish = now >= session.request_deadline
    run = await write_schedule(session, instance, result, publish=publish, actor=actor,
                               public_url=public_url)
    return ScheduleOutcome(run, len(result["schedule"]), len(result["unscheduled"]), publish)


async def schedule_session(actor: Account | None, session_id: int, *, now: datetime,
                           public_url: str, time_limit: float = 20.0) -> ScheduleOutcome:
    """The organiser's "run scheduling now"."""
    session = await organiser_session(actor, session_id)
    return await run_schedule(session, now=now, actor=actor, time_limit=time_limit,
                              public_url=public_url)


async def schedule_due_sessions(*, now: datetime, public_url: str,
                                time_limit: float = 60.0) -> list[ScheduleOutcome]:
    """Schedule and publish every session whose deadline has passed and that is not over or published.

    Running it twice does nothing more: a published session is skipped.
    """
    local = now.astimezone(UTC)  # SQLite compares the stored text, written in UTC
    due = await MeetingSession.filter(request_deadline__lte=local, starts_at__gt=local - timedelta(days=1)
                                      ).select_related("fair").order_by("request_deadline", "id")
    outcomes = []
    for session in due:
        if now >= session_end(session) or await is_published(session):
            continue
        try:
            outcomes.append(await run_schedule(session, now=now, time_limit=time_limit,
                                               public_url=public_url))
        except ValidationFailed:  # published meanwhile by the organiser: nothing left to do
            continue
    return outcomes


# The organiser's changes -----------------------------------------------------------------


async def _meeting(session: MeetingSession, meeting_id: int) -> Meeting:
    meeting = await Meeting.get_or_none(id=meeting_id, session=session).select_related("request")
    if meeting is None:
        raise NotFound("meeting")
    return meeting


def _sides(meeting: Meeting) -> set[int]:
    request = cast(MeetingRequest, meeting.request)
    return {request.requester_id, request.recipient_id}


def _slot_label(session: MeetingSession, slot: int) -> str:
    return local_time(slot_start(session, slot), "HH:mm")


async def _check_free(session: MeetingSession, meeting: Meeting, slot: int, ignore: set[int],
                      field: str) -> None:
    """Refuse if one of the meeting's participants has another meeting in `slot`."""
    others = await Meeting.filter(session=session, slot=slot, status=MeetingStatus.SCHEDULED
                                  ).exclude(id__in=list(ignore)).select_related("request")
    busy = {account for other in others for account in _sides(other)} & _sides(meeting)
    if busy:
        names = await profiles(busy)
        raise ValidationFailed({field: _(
            "%(name)s already has a meeting at %(time)s: one participant cannot be in two places "
            "at once.") % {"name": names[min(busy)].name, "time": _slot_label(session, slot)}})


def _check_open(session: MeetingSession, now: datetime) -> None:
    if now >= session_end(session):
        raise ValidationFailed({"session": _("This session is over.")})


async def _tell_moved(session: MeetingSession, meetings: list[Meeting], *, cancelled: bool,
                      public_url: str) -> None:
    if not await is_published(session):
        return
    accounts = {a for m in meetings for a in _sides(m)}
    messages = []
    for account in await Account.filter(id__in=list(accounts)):
        with speaking(account.language):
            title = (_("A B2B meeting was cancelled by the organiser") if cancelled
                     else _("A B2B meeting was moved by the organiser"))
            messages.append(Message(account, "meeting.changed", title,
                                    _("Session: %(session)s") % {"session": session.name},
                                    "/meetings/agenda"))
    await notify_all(messages, public_url=public_url)


async def swap_meetings(actor: Account | None, session_id: int, first_id: int, second_id: int,
                        *, now: datetime, public_url: str) -> tuple[Meeting, Meeting]:
    """Exchange the places (slot and table) of two meetings, if nobody ends up double-booked.

    Side effects: audit entry; once published, the four participants are told.
    """
    session = await organiser_session(actor, session_id)
    _check_open(session, now)
    if first_id == second_id:
        raise ValidationFailed({"second": _("Choose two different meetings.")})
    first, second = await _meeting(session, first_id), await _meeting(session, second_id)
    ignore = {first.id, second.id}
    if first.slot != second.slot:
        await _check_free(session, first, second.slot, ignore, "first")
        await _check_free(session, second, first.slot, ignore, "second")
    places = (first.slot, first.table_number), (second.slot, second.table_number)
    async with in_transaction():
        # The unique (session, slot, table) holds after every statement: park one meeting first.
        await Meeting.filter(id=first.id).update(slot=PARKED_SLOT)
        await Meeting.filter(id=second.id).update(slot=places[0][0], table_number=places[0][1])
        await Meeting.filter(id=first.id).update(slot=places[1][0], table_number=places[1][1])
        await audit.record("meetings.swap", actor=actor, target_type="meeting_session",
                           target_id=session.id, detail={"meetings": [first.id, second.id]})
        await _tell_moved(session, [first, second], cancelled=False, public_url=public_url)
    (first.slot, first.table_number), (second.slot, second.table_number) = places[1], places[0]
    return first, second


async def move_meeting(actor: Account | None, session_id: int, meeting_id: int, slot: int,
                       table: int, *, now: datetime, public_url: str) -> Meeting:
    """Put a meeting at another slot and table; onto another meeting's place, the two swap."""
    session = await organiser_session(actor, session_id)
    _check_open(session, now)
    errors = {}
    if not 0 <= slot < session.slots:
        errors["slot"] = _("Choose a slot of this session.")
    if not 1 <= table <= session.tables:
        errors["table"] = _("Choose a table from 1 to %(tables)s.") % {"tables": session.tables}
    if errors:
        raise ValidationFailed(errors)
    meeting = await _meeting(session, meeting_id)
    there = await Meeting.get_or_none(session=session, slot=slot, table_number=table)
    if there is not None and there.id != meeting.id:
        return (await swap_meetings(actor, session_id, meeting.id, there.id, now=now,
                                    public_url=public_url))[0]
    await _check_free(session, meeting, slot, {meeting.id}, "slot")
    async with in_transaction():
        await Meeting.filter(id=meeting.id).update(slot=slot, table_number=table)
        await audit.record("meetings.move", actor=actor, target_type="meeting_session",
                           target_id=session.id, detail={"meeting": meeting.id, "slot": slot,
                                                         "table": table})
        await _tell_moved(session, [meeting], cancelled=False, public_url=public_url)
    meeting.slot, meeting.table_number = slot, table
    return meeting


async def unbook_meeting(actor: Account | None, session_id: int, meeting_id: int,
                         *, now: datetime, public_url: str) -> None:
    """Take a meeting off the schedule (its table is free again; the request stays as it was).

    Side effects: audit entry; once published, both participants are told.
    """
    session = await organiser_session(actor, session_id)
    _check_open(session, now)
    meeting = await _meeting(session, meeting_id)
    async with in_transaction():
        await audit.record("meetings.unbook", actor=actor, target_type="meeting_session",
                           target_id=session.id, detail={"meeting": meeting.id,
                                                         "request": meeting.request_id})
        await _tell_moved(session, [meeting], cancelled=True, public_url=public_url)
        await meeting.delete()


# Reading the schedule --------------------------------------------------------------------


@dataclass(frozen=True)
class Placed:
    meeting: Meeting
    requester: Party
    recipient: Party


@dataclass(frozen=True)
class Schedule:
    """A session's schedule as the organiser sees it: a slots × tables grid and what is left out."""

    session: MeetingSession
    run: AllocationRun | None
    times: list[datetime]
    grid: list[list[Placed | None]]
    unplaced: list[tuple[MeetingRequest, Party, Party]]

    @property
    def status(self) -> str:
        return "none" if self.run is None else str(self.run.status)

    @property
    def meetings(self) -> list[Placed]:
        return [cell for row in self.grid for cell in row if cell is not None]


async def session_schedule(session: MeetingSession) -> Schedule:
    meetings = await Meeting.filter(session=session).select_related("request").order_by(
        "slot", "table_number")
    requests = await MeetingRequest.filter(session=session, status__in=LIVE)
    pairs = pairs_of(requests, await eligible(session))
    placed_ids = {m.request_id for m in meetings}
    ids = {r.requester_id for r in requests} | {r.recipient_id for r in requests}
    ids |= {a for m in meetings for a in _sides(m)}
    names = await profiles(ids, fair_of(session))
    grid: list[list[Placed | None]] = [[None] * session.tables for _slot in range(session.slots)]
    for m in meetings:
        request = cast(MeetingRequest, m.request)
        if m.slot < session.slots and m.table_number <= session.tables:
            grid[m.slot][m.table_number - 1] = Placed(
                m, names[request.requester_id], names[request.recipient_id])
    by_id = {r.id: r for r in requests}
    unplaced = [(by_id[p.request_id], names[by_id[p.request_id].requester_id],
                 names[by_id[p.request_id].recipient_id])
                for p in pairs if p.request_id not in placed_ids]
    return Schedule(session, await current_run(session), slot_times(session), grid, unplaced)


async def organiser_schedule(actor: Account | None, session_id: int) -> Schedule:
    return await session_schedule(await organiser_session(actor, session_id))
