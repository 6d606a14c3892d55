"""Suggested meetings for a registered buyer: the fair's exhibitors whose products the match job
ranked for the buyer's open demands, with the matching's reasons, best first."""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

from matchmaking.demands.reasons import reasons_from_json, render_reasons
from matchmaking.enums import DemandStatus
from matchmaking.meetings.parties import BUYER, exhibitors
from matchmaking.meetings.sessions import fair_of, participant, visible_session
from matchmaking.models import Account, Buyer, Demand, Match, MeetingRequest, Producer, Product


@dataclass(frozen=True)
class Suggestion:
    """One exhibitor to meet, for one of the buyer's demands."""

    account_id: int
    exhibitor: str
    booth: str
    demand: str
    product: str
    score: float
    reasons: list[str]


async def suggested_meetings(actor: Account | None, session_id: int, *,
                             language: str) -> list[Suggestion]:
    """For a buyer taking part in the session: one suggestion per exhibitor it has not asked
    yet, from its best match over the buyer's open demands. Others get none."""
    session = await visible_session(actor, session_id)
    me = await participant(actor, session)
    if me.side != BUYER:
        return []
    buyer = await Buyer.get(owner_id=me.account_id)
    demands = {d.id: d for d in await Demand.filter(buyer=buyer, status=DemandStatus.OPEN)}
    here = {p.account_id: p for p in await exhibitors(fair_of(session))}
    owners = {p.id: p.owner_id for p in await Producer.filter(owner_id__in=list(here))
              if p.owner_id is not None}
    asked = set(await MeetingRequest.filter(session=session, requester_id=me.account_id)
                .values_list("recipient_id", flat=True))
    matches = await Match.filter(demand_id__in=list(demands), producer_id__in=list(owners)
                                 ).select_related("product").order_by("-score", "rank", "id")
    best: dict[int, Suggestion] = {}
    for match in matches:
        account_id = owners[match.producer_id]
        if account_id in best or account_id in asked:
            continue
        components = match.components if isinstance(match.components, dict) else {}
        codes = reasons_from_json(components.get("reasons"))
        party = here[account_id]
        best[account_id] = Suggestion(
            account_id, party.name, party.booth, demands[match.demand_id].title,
            cast(Product, match.product).name, match.score,
            render_reasons(codes, language) if codes else list(match.reasons))
    return sorted(best.values(), key=lambda s: (-s.score, s.exhibitor))
