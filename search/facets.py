"""Facet counts of the whole catalogue (the empty query), asked at most once per max age.

A search that finds nothing shows the most popular groups instead; under load that second
query would double the work of every miss, and its answer barely changes.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date

from search.client import SearchClient
from search.fallback import find_products
from search.query import ProductQuery


class CatalogueFacets:
    """The empty query's facets, cached for `max_age` seconds (never a degraded answer)."""

    def __init__(self, max_age: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.max_age = max_age
        self.clock = clock
        self.asked = 0
        self._cached: tuple[date, float, dict[str, dict[str, int]]] | None = None

    async def get(self, client: SearchClient | None, *, today: date) -> dict[str, dict[str, int]]:
        cached, now = self._cached, self.clock()
        if cached is not None and cached[0] == today and now - cached[1] < self.max_age:
            return cached[2]
        self.asked += 1
        results = await find_products(client, ProductQuery(per_page=1), today=today)
        if not results.degraded:
            self._cached = (today, now, results.facets)
        return results.facets
