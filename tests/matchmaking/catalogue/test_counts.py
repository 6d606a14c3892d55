"""The home page's counters: counted from the index, cached briefly, fresh after own writes."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta

from tortoise import connections

from matchmaking.catalogue.counts import CachedCounts, platform_counts
from tests.factories import make_producer, make_product

TODAY = date.today()


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


async def test_certified_count_leaves_out_expired_and_low_rated_products(db: str) -> None:
    producer = await make_producer()
    await make_product(producer, stars=4)
    await make_product(producer, stars=2)
    await make_product(producer, stars=5, certificate_expiry=TODAY - timedelta(days=1))

    counts = await platform_counts(today=TODAY)

    assert (counts.certified_products, counts.producers) == (1, 1)


async def test_repeated_and_concurrent_reads_count_once_within_the_max_age(db: str) -> None:
    clock = Clock()
    cache = CachedCounts(max_age=5.0, clock=clock)

    first = await asyncio.gather(*(cache.get(today=TODAY) for _ in range(20)))
    clock.now += 4.9
    again = await cache.get(today=TODAY)

    assert cache.computed == 1
    assert set(first) == {again}


async def test_counts_are_fresh_after_this_process_writes_or_the_max_age(db: str) -> None:
    clock = Clock()
    cache = CachedCounts(max_age=5.0, clock=clock)
    assert (await cache.get(today=TODAY)).certified_products == 0

    await make_product()  # a write through the models: seen at once
    assert (await cache.get(today=TODAY)).certified_products == 1

    await connections.get("default").execute_query(  # a write the models do not see
        "UPDATE product SET stars = 1, verified_stars = 1"
    )
    assert (await cache.get(today=TODAY)).certified_products == 1
    clock.now += 5.0
    assert (await cache.get(today=TODAY)).certified_products == 0
    assert cache.computed == 3


async def test_a_new_day_counts_again(db: str) -> None:
    await make_product(certificate_expiry=TODAY)
    cache = CachedCounts(max_age=60.0, clock=Clock())

    assert (await cache.get(today=TODAY)).certified_products == 1
    assert (await cache.get(today=TODAY + timedelta(days=1))).certified_products == 0


async def test_the_certified_count_reads_the_index(db: str) -> None:
    connection = connections.get("default")
    if connection.capabilities.dialect != "sqlite":
        plan = await connection.execute_query_dict(
            "EXPLAIN SELECT COUNT(*) FROM product WHERE status = 'published' "
            "AND certificate_expiry >= '2026-01-01' AND stars >= 3")
        text = " ".join(str(row) for row in plan)
        # A tiny table may be scanned by choice; the index must at least exist.
        indexes = await connection.execute_query_dict(
            "SELECT indexdef FROM pg_indexes WHERE tablename = 'product'")
        assert any("certificate_expiry" in row["indexdef"] for row in indexes), text
        return
    plan = await connection.execute_query_dict(
        "EXPLAIN QUERY PLAN SELECT COUNT(*) FROM product WHERE status = 'published' "
        "AND certificate_expiry >= '2026-01-01' AND stars >= 3")
    detail = " ".join(row["detail"] for row in plan)
    assert "COVERING INDEX" in detail and "certificate_expiry" in detail, detail
