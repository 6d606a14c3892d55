"""Registering for a B2B session: buyers sign up (approved by the organiser, or automatically as
the fair says), exhibitors state their availability; both declare the slots they cannot attend
and the most meetings they want.

Side rules: a buyer takes part in a session only once its registration is approved; an exhibitor
takes part through its accepted booth and registers only to state availability (approved at
once). Every registration carries a pass code for check-in.
"""

from __future__ import annotations

import csv
import io
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from config.i18n import gettext as _
from config.i18n import speaking
from matchmaking import audit
from matchmaking.enums import RegistrationStatus, Role
from matchmaking.errors import Forbidden, NotFound, ValidationFailed
from matchmaking.meetings.parties import BUYER, EXHIBITOR, exhibitor_producers
from matchmaking.meetings.sessions import (
    fair_of,
    notify,
    organiser_session,
    slot_times,
    visible_session,
)
from matchmaking.models import Account, Buyer, MeetingParticipant, MeetingSession, Producer
from matchmaking.parsing import parse_whole
from matchmaking.permissions import require_role

COMPANY_MAX = 200
SEEKING_MAX = 2000
PASS_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: typed from a printed pass


def new_pass_code() -> str:
    return "".join(secrets.choice(PASS_ALPHABET) for _ in range(8))


async def side_of(actor: Account, session: MeetingSession) -> tuple[str, str]:
    """(side, organisation name) of an account that may register for the session; Forbidden else."""
    if actor.role == Role.BUYER:
        buyer = await Buyer.get_or_none(owner=actor)
        if buyer is not None:
            return BUYER, buyer.name
    if actor.role == Role.PRODUCER:
        producer = await Producer.get_or_none(owner=actor)
        if producer is not None and producer.id in {
                p.id for p in await exhibitor_producers(fair_of(session))}:
            return EXHIBITOR, producer.name
    raise Forbidden("not a participant of this fair")


def validate_registration(data: Mapping[str, Any], session: MeetingSession) -> dict[str, Any]:
    """company, seeking, the slots the participant can attend (`available`: slot indexes) and
    max_meetings (blank: no limit); ValidationFailed names each wrong field."""
    errors: dict[str, str] = {}
    company = str(data.get("company") or "").strip()
    if not company:
        errors["company"] = _("Enter your company's name.")
    elif len(company) > COMPANY_MAX:
        errors["company"] = _("The name is too long (200 characters at most).")
    seeking = str(data.get("seeking") or "").strip()
    if len(seeking) > SEEKING_MAX:
        errors["seeking"] = _("Say it in 2,000 characters at most.")
    raw = data.get("available")
    chosen: Sequence[object] = raw if isinstance(raw, list | tuple) else ([] if raw is None else [raw])
    available: set[int] = set()
    for value in chosen:
        slot = parse_whole(value, max_digits=3)
        if slot is None or not 0 <= slot < session.slots:
            errors["available"] = _("Choose slots of this session.")
            break
        available.add(slot)
    if "available" not in errors and not available:
        errors["available"] = _("Tick at least one slot you can attend.")
    limit_text = str(data.get("max_meetings") or "").strip()
    limit = parse_whole(limit_text, max_digits=3) if limit_text else None
    if limit_text and (limit is None or not 1 <= limit <= session.slots):
        errors["max_meetings"] = _("Enter a number from 1 to %(slots)s, or leave it blank.") % {
            "slots": session.slots}
    if errors:
        raise ValidationFailed(errors)
    return {"company": company, "seeking": seeking, "max_meetings": limit,
            "unavailable": sorted(set(range(session.slots)) - available)}


async def register(actor: Account | None, session_id: int, data: Mapping[str, Any], *,
                   public_url: str) -> MeetingParticipant:
    """Register the actor for a session, or change its registration.

    Buyers are approved at once when the fair approves buyers automatically, else they wait for
    the organiser (told by inbox and email); exhibitors are approved at once. A rejected buyer
    stays rejected. Side effects: audit entry, and the organiser's notification.
    """
    account = require_role(actor, Role.BUYER, Role.PRODUCER)
    session = await visible_session(account, session_id)
    side, name = await side_of(account, session)
    values = validate_registration({"company": name, **data}, session)
    fair = fair_of(session)
    existing = await MeetingParticipant.get_or_none(session=session, account=account)
    try:
        async with in_transaction():
            if existing is not None:
                await existing.update_from_dict(values).save()
                participant = existing
            else:
                automatic = side == EXHIBITOR or fair.buyers_auto_approved
                status = RegistrationStatus.APPROVED if automatic else RegistrationStatus.PENDING
                participant = await MeetingParticipant.create(
                    session=session, account=account, side=side, status=status,
                    pass_code=new_pass_code(), **values)
                if status == RegistrationStatus.PENDING:
                    await _tell_organiser(session, values["company"], public_url)
            await audit.record("meetings.register", actor=account, target_type="meeting_session",
                               target_id=session.id, detail={"participant": participant.id})
    except IntegrityError:  # a double submit raced us to the unique row
        raise ValidationFailed({"company": _("You are already registered; reload.")}) from None
    return participant


async def _tell_organiser(session: MeetingSession, company: str, public_url: str) -> None:
    organiser = await Account.get(id=fair_of(session).organiser_id)
    with speaking(organiser.language):
        await notify(organiser, kind="meeting.registration",
                     title=_("%(company)s registers for %(session)s") % {
                         "company": company, "session": session.name},
                     body=_("Approve or reject the registration on the session's page."),
                     link=f"/meetings/sessions/{session.id}/participants", public_url=public_url)


async def decide(actor: Account | None, session_id: int, participant_id: int, *,
                 approve: bool, public_url: str) -> MeetingParticipant:
    """The organiser approves or rejects a buyer's registration. Side effects: the buyer is told,
    audit entry."""
    session = await organiser_session(actor, session_id)
    participant = await MeetingParticipant.get_or_none(id=participant_id, session=session)
    if participant is None:
        raise NotFound("participant")
    status = RegistrationStatus.APPROVED if approve else RegistrationStatus.REJECTED
    async with in_transaction():
        participant.status = status
        await participant.save(update_fields=["status"])
        account = await Account.get(id=participant.account_id)
        with speaking(account.language):
            title = (_("Your registration for %(session)s is approved") if approve
                     else _("Your registration for %(session)s was not accepted"))
            await notify(account, kind=f"meeting.registration.{status}",
                         title=title % {"session": session.name},
                         body=_("Fair: %(fair)s") % {"fair": fair_of(session).name},
                         link=f"/meetings/sessions/{session.id}", public_url=public_url)
        await audit.record(f"meetings.registration.{status}", actor=actor,
                           target_type="meeting_session", target_id=session.id,
                           detail={"participant": participant.id})
    return participant


async def my_registration(actor: Account | None, session: MeetingSession) -> MeetingParticipant | None:
    if actor is None:
        return None
    return await MeetingParticipant.get_or_none(session=session, account=actor)


async def declarations(session: MeetingSession) -> dict[int, MeetingParticipant]:
    """What each registered participant declared (unavailable slots, meeting limit), by account."""
    return {p.account_id: p for p in await MeetingParticipant.filter(session=session)}


async def approved(session: MeetingSession, side: str | None = None) -> list[MeetingParticipant]:
    """The session's approved registrations (one side, or both)."""
    query = MeetingParticipant.filter(session=session, status=RegistrationStatus.APPROVED)
    if side is not None:
        query = query.filter(side=side)
    return await query.order_by("company", "id")


@dataclass(frozen=True)
class Registrations:
    session: MeetingSession
    rows: list[MeetingParticipant]
    emails: dict[int, str]

    def slots_text(self, row: MeetingParticipant) -> str:
        """The slots the participant cannot attend, as Vietnam's times."""
        times = slot_times(self.session)
        return ", ".join(times[s].strftime("%H:%M") for s in row.unavailable if s < len(times))


async def session_registrations(actor: Account | None, session_id: int) -> Registrations:
    """Every registration of one of the organiser's sessions, buyers first."""
    session = await organiser_session(actor, session_id)
    rows = await MeetingParticipant.filter(session=session).order_by("side", "status", "company")
    ids = [r.account_id for r in rows]
    pairs = await Account.filter(id__in=ids).values_list("id", "email")
    return Registrations(session, rows, {int(k): str(v) for k, v in pairs})


def registrations_csv(registrations: Registrations) -> str:
    """The registration list as CSV (UTF-8 with BOM, so spreadsheet programs read the accents)."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow([_("Company"), _("Side"), _("Status"), _("Email"), _("Seeking"),
                     _("Unavailable slots"), _("Max meetings"), _("Pass code")])
    for row in registrations.rows:
        writer.writerow([row.company, row.side, str(row.status),
                         registrations.emails.get(row.account_id, ""),
                         row.seeking, registrations.slots_text(row),
                         "" if row.max_meetings is None else row.max_meetings, row.pass_code])
    return out.getvalue()


@dataclass(frozen=True)
class RegistrationPage:
    """What the registration form shows: the session, the actor's side, organisation and
    registration, and the slots as Vietnam's times."""

    session: MeetingSession
    side: str
    organisation: str
    mine: MeetingParticipant | None
    slots: list[tuple[int, str]]

    @property
    def values(self) -> dict[str, str]:
        """The form's starting values."""
        if self.mine is None:
            return {"company": self.organisation, "seeking": "", "max_meetings": ""}
        limit = self.mine.max_meetings
        return {"company": self.mine.company, "seeking": self.mine.seeking,
                "max_meetings": "" if limit is None else str(limit)}

    @property
    def available(self) -> list[str]:
        """The slots ticked at first: all, or those the registration did not rule out."""
        blocked = set(self.mine.unavailable) if self.mine else set()
        return [str(s) for s, _label in self.slots if s not in blocked]


async def registration_page(actor: Account | None, session_id: int) -> RegistrationPage:
    """The registration form of one session for a buyer or an exhibitor of its fair."""
    account = require_role(actor, Role.BUYER, Role.PRODUCER)
    session = await visible_session(account, session_id)
    side, name = await side_of(account, session)
    times = slot_times(session)
    return RegistrationPage(session, side, name, await my_registration(account, session),
                            [(i, t.strftime("%H:%M")) for i, t in enumerate(times)])
