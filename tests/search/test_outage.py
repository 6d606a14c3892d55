"""Meilisearch really stopped while producers keep writing, then started again."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from matchmaking.catalogue import products as catalogue
from matchmaking.models import Product, SearchOutbox
from search import products
from search.client import SearchClient
from search.errors import SearchUnavailable
from search.indexer import reindex, sync_outbox
from tests.conftest import private_meili
from tests.factories import make_account, make_producer

NEW_PRODUCT = {"name": "Miến dong Bình Liêu", "group": "food", "subgroup": "processed_food",
               "price_vnd": "85.000", "unit": "kg", "monthly_capacity": "400"}


@pytest.mark.slow
async def test_writes_during_an_outage_reach_the_index_after_restart(db: str, tmp_path: Path) -> None:
    server = private_meili(tmp_path / "meili")
    client = SearchClient(server.url, server.master_key, prefix="outage", timeout=2)
    account = await make_account("producer")
    await make_producer(owner=account)
    try:
        await reindex(client, today=date.today())
        server.stop()

        created = await catalogue.create_product(account, NEW_PRODUCT)
        await catalogue.set_product_status(account, created.id, "published")  # type: ignore[arg-type]
        with pytest.raises(SearchUnavailable):
            await sync_outbox(client, today=date.today())
        assert await SearchOutbox.filter(entity_id=created.id).exists()

        server.start()
        while await sync_outbox(client, today=date.today()):
            pass
        index = client.raw.index(client.index_uid(products.INDEX))
        indexed = {int(d.id) for d in client.call(index.get_documents, {"limit": 1000}).results}
        published = set(await Product.filter(status="published").values_list("id", flat=True))
        assert indexed == published == {created.id}
        assert not await SearchOutbox.exists()
    finally:
        server.stop()
