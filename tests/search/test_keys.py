"""Meilisearch always has a key, and the web process reads with a search-only one."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import httpx
import pytest
from starlette.datastructures import Secret

from config.settings import Settings
from search.client import SearchClient
from search.errors import SearchError
from search.runtime import search_only_key, search_server


def test_embedded_development_meilisearch_refuses_anonymous_writes(
    settings: Settings, tmp_path: Path
) -> None:
    development = replace(settings, env="development", meili_url=None, meili_master_key=None,
                          var_dir=tmp_path / "var", meili_data_dir=tmp_path / "meili")
    with search_server(development) as live:
        assert live.meili_master_key
        planted = httpx.post(f"{live.meili_url}/indexes/ocop_products/documents",
                             json=[{"id": 1, "name": "Hàng giả"}])
        assert planted.status_code in (401, 403)


def test_search_only_key_searches_but_cannot_plant_products(search: SearchClient) -> None:
    key = search_only_key(search)
    assert key == search_only_key(search)  # found again, not a new key per start
    reader = SearchClient(search.url, key, prefix=search.prefix)
    uid = search.index_uid("keys_probe")
    search.wait(search.call(search.raw.create_index, uid, {"primaryKey": "id"}).task_uid)
    assert reader.call(reader.raw.index(uid).search, "chè")["hits"] == []
    with pytest.raises(SearchError):
        reader.call(reader.raw.index(uid).add_documents, [{"id": 1, "name": "Hàng giả"}])
    other = SearchClient(search.url, key, prefix="someone_else")
    with pytest.raises(SearchError):
        other.call(other.raw.index("someone_else_products").search, "chè")


async def test_web_process_reads_with_the_search_key(
    db: str, settings: Settings, search: SearchClient
) -> None:
    from web.app import create_app

    key = search_only_key(search)
    app = create_app(replace(settings, meili_search_key=Secret(key)), manage_database=False)
    assert app.state.search.api_key == key
