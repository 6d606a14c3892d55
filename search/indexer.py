"""Keeps the products index equal to the database: full rebuilds and outbox draining."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from tortoise import connections
from tortoise.transactions import in_transaction

from matchmaking.enums import OutboxOp, ProductStatus
from matchmaking.models import JobState, Product, SearchOutbox
from search import products
from search.client import SearchClient, acall
from search.errors import SearchError
from search.version import mark_index_changed

log = logging.getLogger(__name__)

BATCH = 5_000


@dataclass(frozen=True)
class ReindexReport:
    documents: int
    seconds: float
    index_uid: str


async def _product_documents(today: date, after_id: int, limit: int) -> list[dict[str, Any]]:
    # The ORM's SQL, run without building result objects: the rebuild's hot path. The inlined
    # parameters are an int and a constant.
    query = (
        Product.filter(id__gt=int(after_id), status="published")
        .order_by("id")
        .limit(limit)
        .values(*products.ROW_FIELDS)
    )
    rows = await connections.get("default").execute_query_dict(query.sql(params_inline=True))
    return [products.document_from_row(row, today) for row in rows]


SETTINGS_STATE = "search-settings"
REINDEX_STATE = "search-reindex"
BUILD_SUFFIX = "_build_"


def settings_fingerprint() -> str:
    """A digest of the index settings: a change means the live index must be rebuilt."""
    import hashlib
    import json

    return hashlib.sha256(json.dumps(products.SETTINGS, sort_keys=True).encode()).hexdigest()[:16]


async def indexed_fingerprint() -> str | None:
    state = await JobState.get_or_none(name=SETTINGS_STATE)
    return str(state.cursor.get("fingerprint")) if state else None


async def _create_index(client: SearchClient, uid: str) -> None:
    task = await acall(client, client.raw.create_index, uid, {"primaryKey": "id"})
    await acall(client, client.wait, task.task_uid)
    task = await acall(client, client.raw.index(uid).update_settings, products.SETTINGS)
    await acall(client, client.wait, task.task_uid)


async def ensure_index(client: SearchClient) -> str:
    """Create the products index with its settings if it does not exist yet."""
    uid = client.index_uid(products.INDEX)
    existing = await acall(client, client.raw.get_indexes, {"limit": 1000})
    if uid not in {index.uid for index in existing["results"]}:
        await _create_index(client, uid)
    return uid


async def reindex(
    client: SearchClient, *, today: date, progress: Callable[[int], None] | None = None
) -> ReindexReport:
    """Build a fresh index from the database, then swap it in: searches never see a gap."""
    started = time.perf_counter()
    live_uid = await ensure_index(client)
    # Marked first: if Meilisearch or this process dies before the swap, the next search-sync
    # run rebuilds again (and the live index serves meanwhile, untouched).
    await JobState.update_or_create(name=REINDEX_STATE, defaults={"cursor": {"pending": True}})
    await _drop_unfinished_builds(client, live_uid)
    fresh_uid = f"{live_uid}{BUILD_SUFFIX}{int(time.time() * 1000)}"
    await _create_index(client, fresh_uid)
    fresh = client.raw.index(fresh_uid)
    # Outbox rows written before the read are covered by the rebuild; later ones stay queued.
    newest = await SearchOutbox.all().order_by("-id").limit(1).values_list("id", flat=True)
    high_water = newest[0] if newest else 0
    count, after_id, pending = 0, 0, []
    while True:
        docs = await _product_documents(today, after_id, BATCH)
        if not docs:
            break
        after_id = docs[-1]["id"]
        pending.append(await acall(client, fresh.add_documents, docs, "id"))
        count += len(docs)
        if progress is not None:
            progress(len(docs))
    for info in pending:
        await acall(client, client.wait, info.task_uid, 600_000)
    task = await acall(client, client.raw.swap_indexes, [{"indexes": [live_uid, fresh_uid]}])
    await acall(client, client.wait, task.task_uid)
    await mark_index_changed()
    # After the swap `fresh_uid` names the old index: Meilisearch drops it in the background.
    await acall(client, client.raw.delete_index, fresh_uid)
    if high_water:
        await SearchOutbox.filter(id__lte=high_water).delete()
    await JobState.update_or_create(
        name=SETTINGS_STATE, defaults={"cursor": {"fingerprint": settings_fingerprint()}}
    )
    await JobState.filter(name=REINDEX_STATE).delete()
    return ReindexReport(count, time.perf_counter() - started, live_uid)


async def reindex_pending() -> bool:
    """Whether a rebuild was started and never swapped in (Meilisearch or the process died)."""
    return await JobState.exists(name=REINDEX_STATE)


async def _drop_unfinished_builds(client: SearchClient, live_uid: str) -> None:
    existing = await acall(client, client.raw.get_indexes, {"limit": 1000})
    for index in existing["results"]:
        if index.uid.startswith(live_uid + BUILD_SUFFIX):
            task = await acall(client, client.raw.delete_index, index.uid)
            await acall(client, client.wait, task.task_uid)


async def sync_outbox(client: SearchClient, *, today: date, limit: int = 1_000) -> int:
    """Send queued product changes to the index; rows are deleted only once applied, then the
    index's new version is recorded (search.version)."""
    rows = await SearchOutbox.filter(entity="product").order_by("id").limit(limit)
    if not rows:
        return 0
    ids = sorted({row.entity_id for row in rows})
    current = {
        product.id: product
        for product in await Product.filter(id__in=ids).select_related("producer")
    }
    upserts = [products.document(p, today) for p in current.values() if products.indexable(p)]
    deletions = [i for i in ids if i not in current or not products.indexable(current[i])]
    index = client.raw.index(client.index_uid(products.INDEX))
    try:
        if upserts:
            task = await acall(client, index.add_documents, upserts, "id")
            await acall(client, client.wait, task.task_uid)
        if deletions:
            id_list = ", ".join(str(i) for i in deletions)
            task = await acall(client, index.delete_documents, filter=f"id IN [{id_list}]")
            await acall(client, client.wait, task.task_uid)
    except SearchError as exc:
        await SearchOutbox.filter(id__in=[r.id for r in rows]).update(last_error=str(exc)[:500])
        raise
    async with in_transaction():
        await SearchOutbox.filter(id__in=[r.id for r in rows]).delete()
    await mark_index_changed()
    log.info("search sync: %d upserted, %d removed", len(upserts), len(deletions))
    return len(rows)


async def enqueue_product(product_id: int, op: OutboxOp = OutboxOp.UPSERT) -> None:
    """Record a product change for the index; call inside the change's transaction."""
    await SearchOutbox.create(entity="product", entity_id=product_id, op=op)


async def enqueue_lapsed_certificates(*, today: date, lookback_days: int = 7) -> int:
    """Queue for re-indexing the published products whose certificate expired recently.

    Their stored `certified` flag still ranks them as certified; the outbox sync refreshes it.
    Idempotent (re-indexing a product twice does no harm); the look-back covers missed days.
    Side effects: writes SearchOutbox rows. Returns how many products were queued.
    """
    ids = await Product.filter(
        status=ProductStatus.PUBLISHED,
        verified_expiry__lt=today,
        verified_expiry__gte=today - timedelta(days=lookback_days),
    ).values_list("id", flat=True)
    await SearchOutbox.bulk_create(
        [SearchOutbox(entity="product", entity_id=i, op=OutboxOp.UPSERT) for i in ids]
    )
    return len(ids)
