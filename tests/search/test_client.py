"""Queries go through a pool of keep-alive connections and fetch only what a hit shows."""

from __future__ import annotations

import asyncio
from datetime import date

import pytest

from search import products
from search.client import SearchClient
from search.errors import SearchAuthError, SearchUnavailable
from search.indexer import reindex
from search.query import HIT_ATTRIBUTES, ProductQuery, search_products, search_request
from tests.factories import make_producer, make_product

TODAY = date.today()


def fresh(search: SearchClient) -> SearchClient:
    """A client of its own on the tests' Meilisearch, so its connection count starts at 0."""
    return SearchClient(search.url, search.api_key, prefix=search.prefix, pool_size=8)


async def test_queries_reuse_one_connection_instead_of_opening_one_each(
    db: str, search: SearchClient
) -> None:
    await make_product(await make_producer(), name="Trà shan tuyết")
    await reindex(search, today=TODAY)
    client = fresh(search)

    for _ in range(30):
        results = await search_products(client, ProductQuery(q="tra"), today=TODAY)
        assert results.total == 1

    assert client.connections_opened == 1
    await client.aclose()


async def test_concurrent_queries_open_no_more_connections_than_the_pool(
    db: str, search: SearchClient
) -> None:
    await reindex(search, today=TODAY)
    client = fresh(search)

    for _ in range(5):
        await asyncio.gather(*(search_products(client, ProductQuery(q="tra"), today=TODAY)
                               for _ in range(20)))

    assert 1 <= client.connections_opened <= client.pool_size
    await client.aclose()


async def test_hits_carry_only_what_a_page_shows(db: str, search: SearchClient) -> None:
    await make_product(await make_producer(), name="Trà shan tuyết", description="Trà cổ thụ " * 200)
    await reindex(search, today=TODAY)
    query = ProductQuery(q="tra")

    answer = await search.search(products.INDEX, query.q, search_request(query, TODAY))

    hit = answer["hits"][0]
    assert set(hit) - {"_formatted"} == {"id", "name", "group", "subgroup", "stars",
                                         "certificate_expiry", "price_vnd", "unit", "min_order",
                                         "quality_marks", "province_code", "producer",
                                         "verification", "claimed_stars"}
    assert set(hit["producer"]) == {"id", "name", "kind"}
    assert len(hit["_formatted"]["description"]) < 300  # cropped, never the whole text
    assert len(HIT_ATTRIBUTES) == 16


async def test_a_wrong_key_and_a_dead_server_become_search_errors(search: SearchClient,
                                                                  free_port: int) -> None:
    wrong = SearchClient(search.url, "not-the-key", prefix=search.prefix)
    with pytest.raises(SearchAuthError):
        await wrong.search(products.INDEX, "tra", {})
    dead = SearchClient(f"http://127.0.0.1:{free_port}", None, timeout=1)
    with pytest.raises(SearchUnavailable):
        await dead.search(products.INDEX, "tra", {})
    assert await dead.ahealthy() is False
    assert await search.ahealthy() is True
