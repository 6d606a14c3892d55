"""The platform's jobs by name: each takes its dependencies, calls the domain, logs, returns."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date

from search.client import SearchClient
from search.errors import SearchError
from search.indexer import sync_outbox

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class JobContext:
    """What jobs may use: the search client (None when search is not configured)."""

    search: SearchClient | None


JobFunction = Callable[[JobContext], Awaitable[str]]


async def search_sync(context: JobContext) -> str:
    """Drain the search outbox into Meilisearch."""
    if context.search is None:
        return "search not configured; outbox kept"
    total = 0
    try:
        while (sent := await sync_outbox(context.search, today=date.today())) > 0:
            total += sent
    except SearchError as exc:
        log.warning("search sync paused: %s", exc)
        return f"search unavailable after {total} changes; will retry"
    return f"{total} changes indexed"


@dataclass(frozen=True)
class JobSpec:
    function: JobFunction
    seconds: int
    description: str


JOBS: dict[str, JobSpec] = {
    "search-sync": JobSpec(search_sync, 1, "send product changes to the search index"),
}
