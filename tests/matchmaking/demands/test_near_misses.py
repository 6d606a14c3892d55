"""Near misses: the product asked for, short of a rule the buyer set, shown apart with why."""

from __future__ import annotations

from datetime import date
from typing import Any

from matchmaking.demands.matching import match_demands
from matchmaking.demands.near_misses import near_misses
from matchmaking.models import Demand, Match, Notification
from search.client import SearchClient
from search.indexer import reindex
from tests.factories import make_account, make_producer, make_product
from tests.matchmaking.demands.test_matching import (
    HANOI,
    THAI_NGUYEN,
    make_buyer,
    make_demand,
    now,
    tea_market,
)


async def indexed_and_matched(search: SearchClient, **demand: Any) -> Demand:
    made = await make_demand(await make_buyer(), **demand)
    await reindex(search, today=date.today())
    await match_demands(search, now=now())
    return made


async def test_teas_short_of_the_minimum_stars_are_near_misses_with_the_reason(
    db: str, search: SearchClient
) -> None:
    teas = await tea_market()
    demand = await indexed_and_matched(search)

    found = await near_misses(search, demand, language="vi")

    reasons = {miss.product_id: miss.reasons for miss in found}
    assert reasons == {
        teas["three_stars"].id: ["3 sao, cần 4 sao"],
        teas["lapsing"].id: ["chứng nhận OCOP hết hạn trước ngày cần hàng"],
    }
    matched = set(await Match.filter(demand=demand).values_list("product_id", flat=True))
    assert matched.isdisjoint(reasons)  # never ranked with the matches


async def test_a_missing_mark_is_named_and_no_producer_is_told(db: str, search: SearchClient) -> None:
    producer = await make_producer(name="HTX Chè Khe Cốc", province_code=THAI_NGUYEN,
                                   owner=await make_account("producer"))
    vietgap = await make_product(producer, name="Chè xanh Khe Cốc", stars=4, quality_marks=["vietgap"])
    unrated = await make_product(producer, name="Chè xanh Phúc Xuân", stars=None,
                                 quality_marks=["organic"])
    demand = await indexed_and_matched(search, required_marks=["organic"],
                                       delivery_province_code=HANOI)
    told = await Notification.all().count()

    found = await near_misses(search, demand, language="vi")

    assert [(m.product_id, m.reasons) for m in found] == [
        (vietgap.id, ["chưa có chứng nhận hữu cơ"]),
        (unrated.id, ["chưa có sao OCOP, cần 4 sao"]),
    ]
    assert await Notification.all().count() == told
    english = await near_misses(search, demand, language="en")
    assert english[0].reasons == ["no organic certification"]


async def test_a_demand_without_stars_or_marks_has_no_near_misses(
    db: str, search: SearchClient
) -> None:
    await tea_market()
    demand = await indexed_and_matched(search, min_stars=None, title="Cần 2 tấn chè xanh")

    assert await near_misses(search, demand, language="vi") == []
    assert await near_misses(None, demand, language="vi") == []
