"""A fair's results: meetings held and no-shows, MOUs and contracts (counts and value, by product
group and province of the exhibitor), on-site sales and visitors; and the programme's sums across
fairs by province and year.

Each meeting counts once, as the furthest step either side reports (meetings/results.settled).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import cast

from config.i18n import gettext as _
from matchmaking import audit
from matchmaking.clock import today_in_vietnam
from matchmaking.enums import ApplicationStatus, MeetingStatus, ResultKind, Role
from matchmaking.errors import ValidationFailed
from matchmaking.fairs.fairs import own_fair
from matchmaking.fairs.fees import support_spent
from matchmaking.fairs.policy import main_group
from matchmaking.fairs.queries import application_products, producer_of
from matchmaking.meetings.checkin import is_no_show, present
from matchmaking.meetings.results import settled
from matchmaking.meetings.sessions import slot_start
from matchmaking.models import (
    Account,
    BoothApplication,
    Buyer,
    Fair,
    Meeting,
    MeetingRequest,
    MeetingResult,
    MeetingSession,
    Producer,
)
from matchmaking.parsing import parse_vnd, parse_whole
from matchmaking.permissions import require_role
from matchmaking.places import short_province_name

DEALS = (ResultKind.MOU, ResultKind.CONTRACT)


@dataclass
class Tally:
    """MOUs and contracts: how many and what they are worth (đồng)."""

    mous: int = 0
    mou_value: int = 0
    contracts: int = 0
    contract_value: int = 0

    def add(self, result: MeetingResult) -> None:
        if result.kind == ResultKind.MOU:
            self.mous += 1
            self.mou_value += result.value_vnd or 0
        elif result.kind == ResultKind.CONTRACT:
            self.contracts += 1
            self.contract_value += result.value_vnd or 0


@dataclass(frozen=True)
class Deal:
    """One MOU or contract as the report lists it."""

    session: str
    exhibitor: str
    buyer: str
    kind: str
    value_vnd: int | None
    product: str
    demand: str


@dataclass
class FairResults:
    fair: Fair
    scheduled: int = 0
    held: int = 0
    no_shows: int = 0
    upcoming: int = 0
    total: Tally = field(default_factory=Tally)
    by_group: dict[str, Tally] = field(default_factory=dict)
    by_province: dict[str, Tally] = field(default_factory=dict)
    deals: list[Deal] = field(default_factory=list)
    sales: list[tuple[str, int]] = field(default_factory=list)
    support_spent: int = 0

    @property
    def onsite_sales(self) -> int:
        return sum(value for _name, value in self.sales)

    @property
    def visitors(self) -> int | None:
        return self.fair.visitors


async def _exhibitors(fair: Fair) -> dict[int, tuple[str, str, str]]:
    """Exhibitor account -> (name, main product group, province) for the fair's applications."""
    applications = await BoothApplication.filter(fair=fair).select_related("producer")
    products = await application_products(applications)
    found = {}
    for application in applications:
        producer = producer_of(application)
        if producer.owner_id is None:
            continue
        items = products[application.id]
        group = main_group(items)[0] if items else ""
        found[int(producer.owner_id)] = (
            producer.name, group, short_province_name(producer.province_code))
    return found


async def fair_results(fair: Fair, *, now: datetime) -> FairResults:
    """The results of one fair at `now` (meetings that have not started are upcoming)."""
    results = FairResults(fair)
    exhibitors = await _exhibitors(fair)
    sessions = {s.id: s for s in await MeetingSession.filter(fair=fair)}
    meetings = await Meeting.filter(session_id__in=list(sessions), status=MeetingStatus.SCHEDULED
                                    ).select_related("request").order_by("session_id", "slot")
    reported: dict[int, list[MeetingResult]] = defaultdict(list)
    for row in await MeetingResult.filter(meeting_id__in=[m.id for m in meetings]
                                          ).select_related("demand"):
        reported[row.meeting_id].append(row)
    buyers = {b.owner_id: b.name for b in await Buyer.filter(owner_id__isnull=False)
              if b.owner_id is not None}
    here = {sid: await present(s) for sid, s in sessions.items()}
    for meeting in meetings:
        session = sessions[meeting.session_id]
        results.scheduled += 1
        request = cast(MeetingRequest, meeting.request)
        sides = (request.requester_id, request.recipient_id)
        if is_no_show(meeting, session, here[session.id], set(reported), now):
            results.no_shows += 1
            continue
        if now < slot_start(session, meeting.slot) and meeting.id not in reported:
            results.upcoming += 1
            continue
        results.held += 1
        result = settled(reported.get(meeting.id, []))
        if result is None or result.kind not in DEALS:
            continue
        exhibitor = next((exhibitors[a] for a in sides if a in exhibitors), ("", "", ""))
        buyer = next((buyers[a] for a in sides if a in buyers), "")
        results.total.add(result)
        results.by_group.setdefault(exhibitor[1], Tally()).add(result)
        results.by_province.setdefault(exhibitor[2], Tally()).add(result)
        demand = result.demand.title if result.demand else ""  # type: ignore[attr-defined]
        results.deals.append(Deal(session.name, exhibitor[0], buyer, str(result.kind),
                                  result.value_vnd, result.product, demand))
    rows = await BoothApplication.filter(fair=fair, onsite_sales_vnd__isnull=False
                                         ).order_by("producer__name").values_list(
        "producer__name", "onsite_sales_vnd")
    results.sales = [(str(name), int(value)) for name, value in rows]
    results.support_spent = support_spent(await BoothApplication.filter(fair=fair))
    return results


async def organiser_results(actor: Account | None, fair_id: int, *, now: datetime) -> FairResults:
    return await fair_results(await own_fair(actor, fair_id), now=now)


async def report_sales(actor: Account | None, fair_id: int, value: object, *,
                       now: datetime) -> BoothApplication:
    """An exhibitor reports its on-site sales at the fair (from the fair's first day)."""
    account = require_role(actor, Role.PRODUCER)
    producer = await Producer.get_or_none(owner=account)
    application = None if producer is None else await BoothApplication.get_or_none(
        fair_id=fair_id, producer=producer, status=ApplicationStatus.ACCEPTED).select_related("fair")
    if application is None:
        raise ValidationFailed({"onsite_sales_vnd": _("Only the fair's exhibitors report sales.")})
    amount = parse_vnd(value)
    if amount is None or amount < 0:
        raise ValidationFailed({"onsite_sales_vnd": _("Enter the sales in đồng, e.g. 25.000.000.")})
    if today_in_vietnam(now) < cast(Fair, application.fair).starts_on:
        raise ValidationFailed({"onsite_sales_vnd": _("Report sales once the fair has opened.")})
    application.onsite_sales_vnd = amount
    await application.save(update_fields=["onsite_sales_vnd"])
    await audit.record("fair.sales", actor=account, target_type="fair", target_id=fair_id,
                       detail={"onsite_sales_vnd": amount})
    return application


async def set_visitors(actor: Account | None, fair_id: int, value: object) -> Fair:
    """The organiser records how many visitors came."""
    fair = await own_fair(actor, fair_id)
    count = parse_whole(value, max_digits=9)
    if count is None or count < 0:
        raise ValidationFailed({"visitors": _("Enter the number of visitors.")})
    fair.visitors = count
    await fair.save(update_fields=["visitors"])
    return fair


@dataclass
class ProgrammeRow:
    year: int
    province: str
    fairs: int = 0
    held: int = 0
    no_shows: int = 0
    tally: Tally = field(default_factory=Tally)
    onsite_sales: int = 0
    visitors: int = 0
    support_spent: int = 0


async def programme_results(actor: Account | None, *, now: datetime) -> list[ProgrammeRow]:
    """Results summed across the organiser's fairs (an admin's: all fairs), by year and the
    fair's province."""
    account = require_role(actor, Role.ORGANISER)
    query = Fair.all() if account.role == Role.ADMIN else Fair.filter(organiser_id=account.id)
    rows: dict[tuple[int, str], ProgrammeRow] = {}
    for fair in await query.order_by("starts_on"):
        key = (fair.starts_on.year, short_province_name(fair.province_code))
        row = rows.setdefault(key, ProgrammeRow(*key))
        results = await fair_results(fair, now=now)
        row.fairs += 1
        row.held += results.held
        row.no_shows += results.no_shows
        for name in ("mous", "mou_value", "contracts", "contract_value"):
            setattr(row.tally, name, getattr(row.tally, name) + getattr(results.total, name))
        row.onsite_sales += results.onsite_sales
        row.visitors += fair.visitors or 0
        row.support_spent += results.support_spent
    return sorted(rows.values(), key=lambda r: (-r.year, r.province))


def ranked(tallies: Mapping[str, Tally]) -> list[tuple[str, Tally]]:
    """Tallies by contract value, then MOU value, then name."""
    return sorted(tallies.items(), key=lambda kv: (-kv[1].contract_value, -kv[1].mou_value, kv[0]))
