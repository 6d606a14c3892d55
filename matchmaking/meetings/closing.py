"""Closing a session's requests before their deadline, so the schedule is published at once."""

from __future__ import annotations

from datetime import datetime

from tortoise.transactions import in_transaction

from config.i18n import gettext as _
from config.i18n import speaking
from matchmaking import audit
from matchmaking.errors import ValidationFailed
from matchmaking.meetings.schedule import ScheduleOutcome, run_schedule
from matchmaking.meetings.sessions import LIVE, notify, organiser_session
from matchmaking.models import Account, MeetingRequest, MeetingSession


async def close_requests(actor: Account | None, session_id: int, *, now: datetime,
                         public_url: str, time_limit: float = 20.0) -> ScheduleOutcome:
    """End the session's request window now, then schedule and publish it.

    Side effects: the request deadline moves to now, everyone with a live request is told (inbox
    and email), an audit entry; then those of run_schedule on publication (agendas announced).
    """
    session = await organiser_session(actor, session_id)
    if now >= session.request_deadline:
        raise ValidationFailed({"session": _("Requests for this session are already closed.")})
    if now >= session.starts_at:
        raise ValidationFailed({"session": _("This session has started.")})
    async with in_transaction():
        await MeetingSession.filter(id=session.id).update(request_deadline=now)
        session.request_deadline = now
        rows = await MeetingRequest.filter(session=session, status__in=LIVE).values_list(
            "requester_id", "recipient_id")
        accounts = {int(a) for pair in rows for a in pair}
        for account in await Account.filter(id__in=sorted(accounts)):
            with speaking(account.language):
                await notify(account, kind="meeting.closed",
                             title=_("Meeting requests closed early"),
                             body=_("%(session)s: the organiser closed requests before the "
                                    "deadline; your agenda follows.") % {"session": session.name},
                             link="/meetings/agenda", public_url=public_url)
        await audit.record("meetings.close", actor=actor, target_type="meeting_session",
                           target_id=session.id, detail={"participants": len(accounts)})
    return await run_schedule(session, now=now, actor=actor, time_limit=time_limit,
                              public_url=public_url)
