"""The whole catalogue's facets, for searches that find nothing: asked once, then reused."""

from __future__ import annotations

from datetime import date

from search.client import SearchClient
from search.facets import CatalogueFacets
from search.indexer import reindex
from tests.factories import make_producer, make_product

TODAY = date.today()


async def test_empty_query_facets_are_asked_once_within_the_max_age(
    db: str, search: SearchClient
) -> None:
    producer = await make_producer()
    await make_product(producer)
    await make_product(producer)
    await reindex(search, today=TODAY)
    clock = [0.0]
    facets = CatalogueFacets(max_age=30.0, clock=lambda: clock[0])

    first = await facets.get(search, today=TODAY)
    second = await facets.get(search, today=TODAY)
    clock[0] = 30.0
    third = await facets.get(search, today=TODAY)

    assert first["group"] == {"beverages": 2}
    assert first == second == third
    assert facets.asked == 2


async def test_a_degraded_answer_is_not_kept(db: str, free_port: int) -> None:
    await make_product()
    dead = SearchClient(f"http://127.0.0.1:{free_port}", None, timeout=1)
    facets = CatalogueFacets(max_age=30.0)

    await facets.get(dead, today=TODAY)
    await facets.get(dead, today=TODAY)

    assert facets.asked == 2
