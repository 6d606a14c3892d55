"""Figures the platform shows about itself."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from matchmaking.enums import DemandStatus, FairStatus, ProductStatus
from matchmaking.models import Demand, Fair, Producer, Product


@dataclass(frozen=True)
class PlatformCounts:
    certified_products: int
    producers: int
    open_demands: int
    upcoming_fairs: int


async def platform_counts(*, today: date) -> PlatformCounts:
    """Live counts for the home page; certified means 3-5 stars and an unexpired certificate."""
    return PlatformCounts(
        certified_products=await Product.filter(
            status=ProductStatus.PUBLISHED, stars__gte=3, certificate_expiry__gte=today
        ).count(),
        producers=await Producer.all().count(),
        open_demands=await Demand.filter(status=DemandStatus.OPEN, valid_until__gte=today).count(),
        upcoming_fairs=await Fair.filter(ends_on__gte=today)
        .exclude(status=FairStatus.DRAFT)
        .count(),
    )
