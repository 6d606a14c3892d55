"""Reading a demand's stored matches, as its buyer sees them (the match job writes them)."""

from __future__ import annotations

from dataclasses import dataclass

from matchmaking.demands.match_store import MATCH_FIELDS
from matchmaking.demands.reasons import reasons_from_json, render_reasons
from matchmaking.enums import Role
from matchmaking.errors import NotFound
from matchmaking.models import Account, Demand, Match
from matchmaking.permissions import require_account


@dataclass(frozen=True)
class MatchView:
    """A stored match as its buyer sees it, reasons in the reader's language."""

    product_id: int
    producer_id: int
    rank: int
    score: float
    components: dict[str, float]
    reasons: list[str]


async def visible_demand(actor: Account | None, demand_id: int) -> Demand:
    """The demand if `actor` owns its buyer or is an admin; NotFound for everyone else."""
    account = require_account(actor)
    demand = await Demand.get_or_none(id=demand_id).select_related("buyer")
    if demand is None or (account.role != Role.ADMIN and demand.buyer.owner_id != account.id):
        raise NotFound("demand")
    return demand


async def demand_matches(demand: Demand, *, language: str) -> list[MatchView]:
    """The demand's matches, best first; reasons rendered from their stored codes."""
    views = []
    for row in await Match.filter(demand_id=demand.id).order_by("rank", "product_id").values(*MATCH_FIELDS):
        components = row["components"] if isinstance(row["components"], dict) else {}
        codes = reasons_from_json(components.get("reasons"))
        views.append(MatchView(
            product_id=row["product_id"], producer_id=row["producer_id"], rank=row["rank"],
            score=row["score"],
            components={k: float(v) for k, v in components.items() if isinstance(v, int | float)},
            reasons=render_reasons(codes, language) if codes else list(row["reasons"]),
        ))
    return views
