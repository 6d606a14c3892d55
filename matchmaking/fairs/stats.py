"""The organiser's dashboard of one fair: applications, occupancy, B2B meetings."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from matchmaking.enums import ApplicationStatus, MeetingOutcome, MeetingStatus
from matchmaking.fairs.plan import best_stars
from matchmaking.fairs.policy import main_group
from matchmaking.fairs.queries import ACTIVE, application_products, producer_of
from matchmaking.models import (
    Booth,
    BoothApplication,
    BoothAssignment,
    Fair,
    Meeting,
    MeetingRequest,
    MeetingSession,
)
from matchmaking.places import short_province_name

HELD = (MeetingOutcome.NO_INTEREST, MeetingOutcome.COOPERATION_POSSIBLE, MeetingOutcome.DEAL)


@dataclass(frozen=True)
class MeetingFigures:
    sessions: int
    requested: int
    accepted: int
    scheduled: int
    held: int
    deals: int


@dataclass(frozen=True)
class Dashboard:
    applications: int
    by_status: list[tuple[str, int]]
    by_group: list[tuple[str, int]]
    by_province: list[tuple[str, int]]
    by_stars: list[tuple[int | None, int]]
    first_timers: int
    booths: int
    assigned: int
    meetings: MeetingFigures | None

    @property
    def occupancy(self) -> float:
        return self.assigned / self.booths if self.booths else 0.0


def _ranked(counter: Counter[str]) -> list[tuple[str, int]]:
    return sorted(counter.items(), key=lambda item: (-item[1], item[0]))


async def meeting_figures(fair: Fair) -> MeetingFigures | None:
    """Read-only counts of the B2B meetings (written by the meetings module), None without any."""
    sessions = await MeetingSession.filter(fair=fair).count()
    if not sessions:
        return None
    requests = MeetingRequest.filter(session__fair=fair)
    meetings = await Meeting.filter(session__fair=fair, status=MeetingStatus.SCHEDULED)
    held = [m for m in meetings if m.outcome_requester in HELD or m.outcome_recipient in HELD]
    deals = [m for m in meetings if MeetingOutcome.DEAL in (m.outcome_requester, m.outcome_recipient)]
    return MeetingFigures(
        sessions=sessions, requested=await requests.count(),
        accepted=await requests.filter(status="accepted").count(), scheduled=len(meetings),
        held=len(held), deals=len(deals))


async def dashboard(fair: Fair) -> Dashboard:
    applications = await BoothApplication.filter(fair=fair).select_related("producer")
    active = [a for a in applications if a.status in ACTIVE]
    products = await application_products(active)
    groups: Counter[str] = Counter()
    provinces: Counter[str] = Counter()
    stars: Counter[int | None] = Counter()
    for application in active:
        items = products[application.id]
        if items:
            groups[main_group(items)[0]] += 1
        provinces[short_province_name(producer_of(application).province_code)] += 1
        stars[best_stars(fair, items)] += 1
    return Dashboard(
        applications=len(active),
        by_status=_ranked(Counter(str(a.status) for a in applications)),
        by_group=_ranked(groups), by_province=_ranked(provinces),
        by_stars=sorted(stars.items(), key=lambda item: -(item[0] or 0)),
        first_timers=sum(1 for a in active if a.first_time),
        booths=await Booth.filter(fair=fair).count(),
        assigned=await BoothAssignment.filter(
            fair=fair, application__status=ApplicationStatus.ACCEPTED).count(),
        meetings=await meeting_figures(fair),
    )
