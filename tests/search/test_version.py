"""The index version: new after every change the writers make, read once per max age."""

from __future__ import annotations

import asyncio
from datetime import date

from matchmaking.catalogue.products import enqueue
from search.client import SearchClient
from search.indexer import reindex, sync_outbox
from search.version import IndexVersion, index_version
from tests.factories import make_product

TODAY = date.today()


async def test_each_rebuild_and_outbox_sync_records_a_new_version(db: str, search: SearchClient) -> None:
    product = await make_product()
    before = await index_version()

    await reindex(search, today=TODAY)
    rebuilt = await index_version()
    await enqueue(product.id)
    await sync_outbox(search, today=TODAY)
    synced = await index_version()
    await sync_outbox(search, today=TODAY)  # nothing queued: nothing changed

    assert len({before, rebuilt, synced}) == 3
    assert await index_version() == synced


async def test_version_is_read_once_per_max_age_by_concurrent_callers(db: str, search: SearchClient) -> None:
    now = [50.0]
    version = IndexVersion(max_age=1.0, clock=lambda: now[0])

    first = await asyncio.gather(*(version.get() for _ in range(10)))
    now[0] += 0.9
    await version.get()
    assert version.reads == 1
    await reindex(search, today=TODAY)  # this process's change shows before the next read
    assert (await version.get())[1] == first[0][1] + 1
    now[0] += 0.1
    (latest, _changes) = await version.get()

    assert version.reads == 2
    assert latest == await index_version() != first[0][0]
