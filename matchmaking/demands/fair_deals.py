"""Where a demand's fair contracts and MOUs came from: the B2B meetings whose results name it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

from matchmaking.enums import ResultKind
from matchmaking.models import Demand, Meeting, MeetingResult, MeetingSession, Producer


@dataclass(frozen=True)
class FairDeal:
    """One meeting's MOU or contract against the demand."""

    fair: str
    session: str
    exhibitor: str
    kind: str
    value_vnd: int | None
    quantity: int | None
    product: str


async def fair_deals(demand: Demand) -> list[FairDeal]:
    """The MOUs and contracts recorded against the demand, one per meeting (the furthest step
    either side reports, then the larger quantity)."""
    rows = await MeetingResult.filter(demand=demand, kind__in=(ResultKind.MOU, ResultKind.CONTRACT)
                                      ).select_related("meeting__request", "meeting__session__fair")
    best: dict[int, MeetingResult] = {}
    for row in rows:
        mid = row.meeting_id
        key = (row.kind == ResultKind.CONTRACT, row.quantity or 0, row.value_vnd or 0)
        held = best.get(mid)
        if held is None or key > (held.kind == ResultKind.CONTRACT, held.quantity or 0,
                                  held.value_vnd or 0):
            best[mid] = row
    sides = set()
    for row in best.values():
        request = cast(Meeting, row.meeting).request
        sides |= {request.requester_id, request.recipient_id}
    producers = {p.owner_id: p.name for p in await Producer.filter(owner_id__in=sides)
                 if p.owner_id is not None}
    deals = []
    for row in best.values():
        meeting = cast(Meeting, row.meeting)
        session = cast(MeetingSession, meeting.session)
        request = meeting.request
        ids = (request.requester_id, request.recipient_id)
        exhibitor = next((producers[a] for a in ids if a in producers), "")
        deals.append(FairDeal(session.fair.name, session.name, exhibitor, str(row.kind),
                              row.value_vnd, row.quantity, row.product))
    return sorted(deals, key=lambda d: (d.fair, d.session, d.exhibitor))


def contracted(deals: list[FairDeal]) -> int:
    """The quantity the fair contracts cover, in the demand's unit."""
    return sum(d.quantity or 0 for d in deals if d.kind == ResultKind.CONTRACT)
