"""The products index's version: a new one whenever its documents change.

Pages drawn from search results may be reused while the version holds (web.page_cache). The
web processes search with a search-only key, which cannot ask Meilisearch when an index last
changed, so the writers (the outbox sync and the rebuild) record each change in the database.
"""

from __future__ import annotations

import asyncio
import secrets
import time
from collections.abc import Callable

from tortoise.exceptions import IntegrityError

from matchmaking.models import JobState

VERSION_STATE = "search-index-version"

# Bumped when this process changes the index, so its own changes show at once; other
# processes' changes show within IndexVersion's max age.
_local_changes = 0


async def mark_index_changed() -> None:
    """Record that the products index changed. Side effect: writes one JobState row."""
    global _local_changes
    _local_changes += 1
    cursor = {"version": secrets.token_hex(8)}
    if not await JobState.filter(name=VERSION_STATE).update(cursor=cursor):
        try:
            await JobState.create(name=VERSION_STATE, cursor=cursor)
        except IntegrityError:  # another process created it first
            await JobState.filter(name=VERSION_STATE).update(cursor=cursor)


async def index_version() -> str:
    """The recorded version ("" before the index ever changed)."""
    state = await JobState.get_or_none(name=VERSION_STATE)
    return str(state.cursor.get("version", "")) if state else ""


class IndexVersion:
    """`index_version` and this process's own changes, read from the database at most once
    per `max_age` seconds; concurrent callers of an expired value share one read."""

    def __init__(self, max_age: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.max_age = max_age
        self.clock = clock
        self.reads = 0  # how many times the database was asked (for tests)
        self._entry: tuple[float, asyncio.Future[str]] | None = None

    async def get(self) -> tuple[str, int]:
        entry, now = self._entry, self.clock()
        if entry is None or now - entry[0] >= self.max_age or _failed(entry[1]):
            entry = self._entry = (now, asyncio.ensure_future(self._read()))
        return await asyncio.shield(entry[1]), _local_changes

    async def _read(self) -> str:
        self.reads += 1
        return await index_version()


def _failed(future: asyncio.Future[str]) -> bool:
    return future.done() and (future.cancelled() or future.exception() is not None)
