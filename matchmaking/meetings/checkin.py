"""Check-in at a B2B session: a QR pass per participant, the organiser's check-in by scanned or
typed code, and no-shows.

A meeting that has started counts as a no-show when one of its parties has not checked in,
unless either party has recorded a result for it (the party reports otherwise).
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import cast

import segno
from tortoise.exceptions import IntegrityError

from config.i18n import gettext as _
from matchmaking import audit
from matchmaking.enums import MeetingStatus, RegistrationStatus, Role
from matchmaking.errors import NotFound, ValidationFailed
from matchmaking.meetings.parties import EXHIBITOR
from matchmaking.meetings.registration import new_pass_code, side_of
from matchmaking.meetings.sessions import organiser_session, slot_start, visible_session
from matchmaking.models import (
    Account,
    Meeting,
    MeetingParticipant,
    MeetingRequest,
    MeetingResult,
    MeetingSession,
)
from matchmaking.permissions import require_role

PREFIX = "OCOP-PASS:"


async def my_pass(actor: Account | None, session_id: int) -> MeetingParticipant:
    """The actor's pass for a session: a buyer's approved registration, or an exhibitor's (made
    on first asking). NotFound for a buyer not approved."""
    account = require_role(actor, Role.BUYER, Role.PRODUCER)
    session = await visible_session(account, session_id)
    side, name = await side_of(account, session)
    found = await MeetingParticipant.get_or_none(session=session, account=account)
    if found is None and side == EXHIBITOR:
        try:
            found = await MeetingParticipant.create(
                session=session, account=account, side=side, company=name,
                status=RegistrationStatus.APPROVED, pass_code=new_pass_code())
        except IntegrityError:  # made meanwhile by a second request
            found = await MeetingParticipant.get(session=session, account=account)
    if found is None or found.status != RegistrationStatus.APPROVED:
        raise NotFound("pass")
    return found


def pass_image(participant: MeetingParticipant, kind: str) -> bytes:
    """The pass's QR code as PNG or PDF bytes (`kind` "png" or "pdf")."""
    out = io.BytesIO()
    segno.make(PREFIX + participant.pass_code, error="m", micro=False).save(
        out, kind=kind, scale=10, border=4)
    return out.getvalue()


def read_code(text: str) -> str:
    """The pass code from what a scanner or a person typed (prefix, spaces, case forgiven)."""
    code = text.strip().upper().replace(" ", "")
    return code.removeprefix(PREFIX)


@dataclass(frozen=True)
class CheckIn:
    participant: MeetingParticipant
    already: bool


async def check_in(actor: Account | None, session_id: int, text: str, *, now: datetime) -> CheckIn:
    """Mark the pass's holder present. Side effects: checked_in_at on first check-in, audit."""
    session = await organiser_session(actor, session_id)
    code = read_code(text)
    if not code:
        raise ValidationFailed({"code": _("Scan or type the code on the pass.")})
    participant = await MeetingParticipant.get_or_none(session=session, pass_code=code)
    if participant is None or participant.status != RegistrationStatus.APPROVED:
        raise ValidationFailed({"code": _("No approved participant of this session has the "
                                          "code %(code)s.") % {"code": code}})
    if participant.checked_in_at is not None:
        return CheckIn(participant, already=True)
    participant.checked_in_at = now
    await participant.save(update_fields=["checked_in_at"])
    await audit.record("meetings.check_in", actor=actor, target_type="meeting_session",
                       target_id=session.id, detail={"participant": participant.id})
    return CheckIn(participant, already=False)


async def present(session: MeetingSession) -> set[int]:
    """Accounts checked in at the session."""
    rows = await MeetingParticipant.filter(session=session, checked_in_at__isnull=False
                                           ).values_list("account_id", flat=True)
    return {int(a) for a in cast(list[int], rows)}


def is_no_show(meeting: Meeting, session: MeetingSession, present: set[int],
               reported: set[int], now: datetime) -> bool:
    """The rule of the module docstring, for one meeting (its request loaded)."""
    request = cast(MeetingRequest, meeting.request)
    parties = {request.requester_id, request.recipient_id}
    started = now >= slot_start(session, meeting.slot)
    return started and meeting.id not in reported and not parties <= present


async def no_shows(session: MeetingSession, *, now: datetime,
                   meetings: Iterable[Meeting] | None = None) -> set[int]:
    """Ids of the session's meetings that are no-shows at `now`."""
    rows = list(meetings) if meetings is not None else await Meeting.filter(
        session=session, status=MeetingStatus.SCHEDULED).select_related("request")
    reported = set(await MeetingResult.filter(meeting_id__in=[m.id for m in rows]).values_list(
        "meeting_id", flat=True))
    here = await present(session)
    return {m.id for m in rows if is_no_show(m, session, here, reported, now)}  # type: ignore[arg-type]


@dataclass(frozen=True)
class CheckInPage:
    session: MeetingSession
    participants: list[MeetingParticipant]

    @property
    def checked_in(self) -> int:
        return sum(p.checked_in_at is not None for p in self.participants)


async def check_in_page(actor: Account | None, session_id: int) -> CheckInPage:
    """The organiser's check-in list: approved participants, present ones marked."""
    session = await organiser_session(actor, session_id)
    rows = await MeetingParticipant.filter(session=session, status=RegistrationStatus.APPROVED
                                           ).order_by("company", "id")
    return CheckInPage(session, rows)
