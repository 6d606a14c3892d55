"""Figures the platform shows about itself, and a short-lived cache of them for the home page."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from tortoise.signals import post_delete, post_save

from matchmaking.enums import DemandStatus, FairStatus, ProductStatus
from matchmaking.models import Demand, Fair, Producer, Product

# Bumped whenever this process saves or deletes a row the counts depend on, so its own writes
# show at once. Bulk updates and other processes' writes show within the cache's max age.
_changes = 0


@post_save(Product, Producer, Demand, Fair)
async def _saved(*args: Any) -> None:
    global _changes
    _changes += 1


@post_delete(Product, Producer, Demand, Fair)
async def _deleted(*args: Any) -> None:
    global _changes
    _changes += 1


@dataclass(frozen=True)
class PlatformCounts:
    certified_products: int
    producers: int
    open_demands: int
    upcoming_fairs: int


async def platform_counts(*, today: date) -> PlatformCounts:
    """Live counts; certified means 3-5 verified stars and an unexpired certificate.

    The certified count reads only the (status, verified_expiry, verified_stars) index.
    """
    return PlatformCounts(
        certified_products=await Product.filter(
            status=ProductStatus.PUBLISHED, verified_expiry__gte=today, verified_stars__gte=3
        ).count(),
        producers=await Producer.all().count(),
        open_demands=await Demand.filter(status=DemandStatus.OPEN, valid_until__gte=today).count(),
        upcoming_fairs=await Fair.filter(ends_on__gte=today)
        .exclude(status=FairStatus.DRAFT)
        .count(),
    )


class CachedCounts:
    """`platform_counts`, counted at most once per `max_age` seconds, per day and per change
    this process made.

    Concurrent callers of an expired entry share one count instead of each running four queries.
    """

    def __init__(self, max_age: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.max_age = max_age
        self.clock = clock
        self.computed = 0  # how many times the database was asked (for tests and metrics)
        self._entry: tuple[tuple[date, int], float, asyncio.Future[PlatformCounts]] | None = None

    async def get(self, *, today: date) -> PlatformCounts:
        entry, key, now = self._entry, (today, _changes), self.clock()
        if entry is None or entry[0] != key or now - entry[1] >= self.max_age or _failed(entry[2]):
            future: asyncio.Future[PlatformCounts] = asyncio.ensure_future(self._count(today))
            self._entry = entry = (key, now, future)
        return await asyncio.shield(entry[2])

    async def _count(self, today: date) -> PlatformCounts:
        self.computed += 1
        return await platform_counts(today=today)


def _failed(future: asyncio.Future[PlatformCounts]) -> bool:
    return future.done() and (future.cancelled() or future.exception() is not None)
