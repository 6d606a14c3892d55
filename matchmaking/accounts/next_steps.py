"""What each role should do next after signing in: counts for the home page, one query each."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from tortoise.functions import Count
from tortoise.queryset import QuerySet

from matchmaking.certificates.expiry import expiring_count
from matchmaking.certificates.officer import pending_count
from matchmaking.enums import (
    ApplicationStatus,
    DemandStatus,
    FairStatus,
    ProductStatus,
    QuoteStatus,
    Role,
)
from matchmaking.models import (
    Account,
    BoothApplication,
    Buyer,
    Demand,
    Fair,
    Match,
    Producer,
    Product,
    Quote,
)

# A certificate that ends within this many days needs renewing now.
EXPIRING_DAYS = 60
OPEN_QUOTES = (QuoteStatus.SUBMITTED, QuoteStatus.SHORTLISTED)
LIVE_APPLICATIONS = (ApplicationStatus.SUBMITTED, ApplicationStatus.WAITLISTED, ApplicationStatus.ACCEPTED)


@dataclass(frozen=True, slots=True)
class NextSteps:
    """Counts of what is waiting (zero: nothing to do there). `missing`: empty profile fields."""

    role: str
    has_profile: bool = True
    missing: tuple[str, ...] = ()
    drafts: int = 0
    expiring: int = 0
    matched_demands: int = 0
    open_quotes: int = 0
    applications: int = 0
    open_demands: int = 0
    demands_with_matches: int = 0
    quotes_to_review: int = 0
    fairs_by_stage: dict[str, int] = field(default_factory=dict)
    accounts_by_role: dict[str, int] = field(default_factory=dict)
    claims_pending: int = 0  # an officer's: star claims of its province waiting for the register
    certificates_expiring: int = 0  # an officer's: verified certificates ending within 6 months


async def _producer(producer: Producer | None, today: date) -> NextSteps:
    if producer is None:
        return NextSteps(role=Role.PRODUCER, has_profile=False)
    missing = tuple(name for name in ("description", "phone", "address") if not getattr(producer, name))
    products = Product.filter(producer_id=producer.id)
    return NextSteps(
        role=Role.PRODUCER,
        missing=missing + (() if producer.ward_code else ("ward_code",)),
        drafts=await products.filter(status=ProductStatus.DRAFT).count(),
        expiring=await products.filter(
            status=ProductStatus.PUBLISHED, certificate_expiry__gte=today,
            certificate_expiry__lte=today + timedelta(days=EXPIRING_DAYS)).count(),
        matched_demands=len(set(await Match.filter(
            producer_id=producer.id, demand__status=DemandStatus.OPEN).values_list("demand_id", flat=True))),
        open_quotes=await Quote.filter(producer_id=producer.id, status__in=OPEN_QUOTES).count(),
        applications=await BoothApplication.filter(
            producer_id=producer.id, status__in=LIVE_APPLICATIONS, fair__ends_on__gte=today).count(),
    )


async def _buyer(buyer: Buyer | None) -> NextSteps:
    if buyer is None:
        return NextSteps(role=Role.BUYER, has_profile=False)
    open_demands = Demand.filter(buyer_id=buyer.id, status=DemandStatus.OPEN)
    return NextSteps(
        role=Role.BUYER,
        open_demands=await open_demands.count(),
        demands_with_matches=len(set(await Match.filter(
            demand__buyer_id=buyer.id, demand__status=DemandStatus.OPEN,
        ).values_list("demand_id", flat=True))),
        quotes_to_review=await Quote.filter(
            demand__buyer_id=buyer.id, demand__status=DemandStatus.OPEN,
            status=QuoteStatus.SUBMITTED).count(),
    )


async def _counted(query: QuerySet[Any], column: str) -> dict[str, int]:
    rows = await query.annotate(n=Count("id")).group_by(column).values(column, "n")
    return {str(row[column]): int(row["n"]) for row in rows}


async def next_steps(account: Account, *, today: date) -> NextSteps:
    """The account's to-do counts for its role (read only)."""
    if account.role == Role.PRODUCER:
        return await _producer(await Producer.get_or_none(owner_id=account.id), today)
    if account.role == Role.BUYER:
        return await _buyer(await Buyer.get_or_none(owner_id=account.id))
    if account.role == Role.ORGANISER:
        stages = await _counted(Fair.filter(organiser_id=account.id), "status")
        by_stage = {s.value: stages.get(s.value, 0) for s in FairStatus}
        return NextSteps(role=Role.ORGANISER, fairs_by_stage=by_stage)
    if account.role == Role.OFFICER:
        return NextSteps(role=Role.OFFICER, claims_pending=await pending_count(account),
                         certificates_expiring=await expiring_count(account, today=today))
    if account.role == Role.ADMIN:
        roles = await _counted(Account.all(), "role")
        by_role = {r.value: roles.get(r.value, 0) for r in Role}
        return NextSteps(role=Role.ADMIN, accounts_by_role=by_role)
    return NextSteps(role=str(account.role))
