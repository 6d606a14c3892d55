"""Who takes part in a fair's B2B sessions, and the organisations behind their accounts.

Exhibitors are producers with an accepted booth application at the fair; while the fair has no
accepted application at all (booths not allocated yet), producers with a submitted one. Buyers are
active buyer accounts with a buyer profile whose registration for the session is approved
(meetings/registration.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

from matchmaking.enums import ApplicationStatus, RegistrationStatus, Role
from matchmaking.models import (
    Account,
    BoothApplication,
    BoothAssignment,
    Buyer,
    Fair,
    MeetingParticipant,
    MeetingSession,
    Producer,
)

BUYER, EXHIBITOR = "buyer", "exhibitor"


@dataclass(frozen=True)
class Party:
    """One side of a meeting: the account, its organisation and which side it is on."""

    account_id: int
    name: str
    contact: str
    side: str
    province_code: int | None = None
    email: str = ""
    phone: str = ""
    booth: str = ""


async def exhibitor_producers(fair: Fair) -> list[Producer]:
    """Producers exhibiting at the fair: accepted applications, or submitted ones before allocation."""
    accepted = BoothApplication.filter(fair=fair, status=ApplicationStatus.ACCEPTED)
    statuses = [ApplicationStatus.ACCEPTED]
    if not await accepted.exists():
        statuses.append(ApplicationStatus.SUBMITTED)
    ids = await BoothApplication.filter(fair=fair, status__in=statuses).values_list(
        "producer_id", flat=True)
    return await Producer.filter(id__in=list(ids), owner_id__isnull=False).order_by("name")


async def _booth_codes(fair: Fair) -> dict[int, str]:
    rows = await BoothAssignment.filter(fair=fair).values_list(
        "application__producer_id", "booth__code")
    codes: dict[int, list[str]] = {}
    for producer_id, code in rows:
        codes.setdefault(int(producer_id), []).append(str(code))
    return {pid: ", ".join(sorted(c)) for pid, c in codes.items()}


def _producer_party(producer: Producer, account: Account, booth: str = "") -> Party:
    return Party(account.id, producer.name, account.display_name, EXHIBITOR,
                 producer.province_code, producer.email or account.email, producer.phone, booth)


def _buyer_party(buyer: Buyer, account: Account) -> Party:
    return Party(account.id, buyer.name, account.display_name, BUYER, buyer.province_code,
                 buyer.email or account.email, buyer.phone)


async def exhibitors(fair: Fair) -> list[Party]:
    producers = await exhibitor_producers(fair)
    accounts = {a.id: a for a in await Account.filter(
        id__in=[p.owner_id for p in producers], is_active=True)}
    booths = await _booth_codes(fair)
    return [_producer_party(p, accounts[p.owner_id], booths.get(p.id, ""))
            for p in producers if p.owner_id in accounts]


async def registered_buyer_ids(session: MeetingSession) -> list[int]:
    """Accounts of the buyers approved for the session."""
    rows = await MeetingParticipant.filter(session=session, side=BUYER,
                                           status=RegistrationStatus.APPROVED
                                           ).values_list("account_id", flat=True)
    return [int(r) for r in cast(list[int], rows)]


async def buyers(session: MeetingSession) -> list[Party]:
    """The session's buyers: approved registrations of active buyer accounts."""
    rows = await Buyer.filter(owner_id__in=await registered_buyer_ids(session), owner__is_active=True,
                              owner__role=Role.BUYER).select_related("owner").order_by("name")
    return [_buyer_party(b, cast(Account, b.owner)) for b in rows]


async def eligible(session: MeetingSession) -> dict[int, str]:
    """The side of every account that may take part in the session, by account id."""
    producers = await exhibitor_producers(cast(Fair, session.fair))
    sides = {p.owner_id: EXHIBITOR for p in producers if p.owner_id is not None}
    for party in await buyers(session):
        sides[party.account_id] = BUYER
    return sides


async def profiles(account_ids: set[int], fair: Fair | None = None) -> dict[int, Party]:
    """The organisation behind each account (whether or not it still takes part), by account id."""
    ids = list(account_ids)
    accounts = {a.id: a for a in await Account.filter(id__in=ids)}
    booths = await _booth_codes(fair) if fair is not None else {}
    found: dict[int, Party] = {}
    for producer in await Producer.filter(owner_id__in=ids):
        if producer.owner_id is not None:
            owner = accounts[producer.owner_id]
            found[owner.id] = _producer_party(producer, owner, booths.get(producer.id, ""))
    for buyer in await Buyer.filter(owner_id__in=ids):
        if buyer.owner_id is not None:
            owner = accounts[buyer.owner_id]
            found[owner.id] = _buyer_party(buyer, owner)
    for account in accounts.values():
        side = BUYER if account.role == Role.BUYER else EXHIBITOR
        found.setdefault(account.id, Party(account.id, account.display_name, account.display_name,
                                           side, email=account.email))
    return found


async def party_of(actor: Account, fair: Fair, session: MeetingSession | None = None
                   ) -> Party | None:
    """The actor as a participant of the fair (of the session, when given: a buyer needs its
    approved registration), or None if it may not take part."""
    if actor.role == Role.BUYER:
        buyer = await Buyer.get_or_none(owner=actor)
        if buyer is None or (session is not None
                             and actor.id not in await registered_buyer_ids(session)):
            return None
        return _buyer_party(buyer, actor)
    if actor.role == Role.PRODUCER:
        producer = await Producer.get_or_none(owner=actor)
        if producer and producer.id in {p.id for p in await exhibitor_producers(fair)}:
            return _producer_party(producer, actor, (await _booth_codes(fair)).get(producer.id, ""))
    return None
