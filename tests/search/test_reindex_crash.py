"""Meilisearch killed (SIGKILL) in the middle of a rebuild: the old index keeps serving once it is
back, and the next search-sync run finishes the rebuild, leaving no half-built index behind."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from jobs.registry import JobContext, search_sync
from matchmaking.models import Product
from search import indexer, products
from search.client import SearchClient
from search.errors import SearchError
from tests.conftest import private_meili
from tests.factories import make_product


def _indexed(client: SearchClient) -> set[int]:
    index = client.raw.index(client.index_uid(products.INDEX))
    return {int(d.id) for d in client.call(index.get_documents, {"limit": 1000}).results}


async def test_meilisearch_killed_mid_rebuild(db: str, tmp_path: Path, settings,  # type: ignore[no-untyped-def]
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    server = private_meili(tmp_path / "meili")
    client = SearchClient(server.url, server.master_key, prefix="crash", timeout=2)
    try:
        old = {(await make_product()).id for _ in range(3)}
        await indexer.reindex(client, today=date.today())
        new = {(await make_product()).id for _ in range(7)}
        monkeypatch.setattr(indexer, "BATCH", 2)

        def kill_after_first_batch(sent: int) -> None:
            if server.process is not None:
                server.process.kill()
                server.process.wait()

        with pytest.raises(SearchError):
            await indexer.reindex(client, today=date.today(), progress=kill_after_first_batch)
        server.stop()  # frees the data directory of the dead process
        server.start()
        assert _indexed(client) == old  # the old index serves as before the crash
        assert await indexer.reindex_pending()

        report = await search_sync(JobContext(settings=settings, search=client))
        assert "rebuild finished" in report
        published = set(await Product.filter(status="published").values_list("id", flat=True))
        assert _indexed(client) == published == old | new
        uids = {index.uid for index in client.call(client.raw.get_indexes, {"limit": 100})["results"]}
        assert uids == {client.index_uid(products.INDEX)}
        assert not await indexer.reindex_pending()
    finally:
        server.stop()
