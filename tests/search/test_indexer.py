"""The index follows the database: full rebuilds swap in, the outbox survives outages."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta

import pytest

from matchmaking.enums import OutboxOp, ProductStatus
from matchmaking.models import SearchOutbox
from search import products
from search.client import SearchClient
from search.errors import SearchUnavailable
from search.indexer import enqueue_product, reindex, sync_outbox
from tests.factories import make_producer, make_product


def _search(client: SearchClient, query: str, **params: object) -> dict:
    index = client.raw.index(client.index_uid(products.INDEX))
    return client.call(index.search, query, params or None)


async def test_reindex_holds_published_products_only(db: str, search: SearchClient) -> None:
    producer = await make_producer(name="HTX Chè Tân Cương")
    await make_product(producer, name="Trà xanh Tân Cương")
    await make_product(producer, name="Chè nháp", status=ProductStatus.DRAFT)

    report = await reindex(search, today=date.today())

    assert report.documents == 1
    hits = _search(search, "tra xanh")["hits"]
    assert [hit["name"] for hit in hits] == ["Trà xanh Tân Cương"]
    assert hits[0]["producer"]["name"] == "HTX Chè Tân Cương"


async def test_reindex_twice_leaves_one_live_index(db: str, search: SearchClient) -> None:
    await make_product()
    await reindex(search, today=date.today())
    await reindex(search, today=date.today())
    live = search.index_uid(products.INDEX)
    for _ in range(50):  # the replaced index is dropped in the background
        uids = {i.uid for i in search.call(search.raw.get_indexes, {"limit": 100})["results"]}
        if [uid for uid in uids if uid.startswith(live)] == [live]:
            break
        await asyncio.sleep(0.1)
    assert [uid for uid in uids if uid.startswith(live)] == [live]


async def test_expired_certificate_is_findable_but_not_certified(db: str, search: SearchClient) -> None:
    old = date.today() - timedelta(days=4 * 365)
    await make_product(name="Mật ong bạc hà Mèo Vạc", decision_date=old,
                       certificate_expiry=old + timedelta(days=3 * 365))
    await reindex(search, today=date.today())
    hits = _search(search, "mat ong bac ha")["hits"]
    assert len(hits) == 1 and hits[0]["certified"] is False


async def test_outbox_change_becomes_searchable(db: str, search: SearchClient) -> None:
    await reindex(search, today=date.today())
    product = await make_product(name="Nước mắm Phú Quốc")
    await enqueue_product(product.id)

    assert await sync_outbox(search, today=date.today()) == 1

    assert _search(search, "nuoc mam phu quoc")["hits"][0]["id"] == product.id
    assert await SearchOutbox.all().count() == 0


async def test_archived_product_leaves_the_index(db: str, search: SearchClient) -> None:
    product = await make_product(name="Gạo ST25 Sóc Trăng")
    await reindex(search, today=date.today())
    product.status = ProductStatus.ARCHIVED
    await product.save()
    await enqueue_product(product.id, OutboxOp.UPSERT)
    await sync_outbox(search, today=date.today())
    assert _search(search, "gao st25")["hits"] == []


async def test_outbox_kept_while_search_is_down(db: str, search: SearchClient, free_port: int) -> None:
    await reindex(search, today=date.today())
    product = await make_product(name="Cam Cao Phong")
    await enqueue_product(product.id)
    dead = SearchClient(f"http://127.0.0.1:{free_port}", "key", prefix=search.prefix, timeout=1)

    with pytest.raises(SearchUnavailable):
        await sync_outbox(dead, today=date.today())
    assert await SearchOutbox.filter(entity_id=product.id).count() == 1

    await sync_outbox(search, today=date.today())
    assert _search(search, "cam cao phong")["hits"][0]["id"] == product.id


async def test_rebuild_documents_equal_the_model_mapping(db: str, search: SearchClient) -> None:
    product = await make_product(name="Gạo ST25 Sóc Trăng", quality_marks=["vietgap", "gi"])
    await reindex(search, today=date.today())
    index = search.raw.index(search.index_uid(products.INDEX))
    stored = dict(search.call(index.get_document, product.id))
    await product.fetch_related("producer")
    expected = products.document(product, date.today())
    assert {k: stored[k] for k in expected} == expected
