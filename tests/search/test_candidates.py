"""Candidates for demands: a word typed with its diacritics is that word, not another with the
same letters."""

from __future__ import annotations

from datetime import date, timedelta

from matchmaking.demands.phrases import understand
from matchmaking.enums import ProductGroup
from search.candidates import CandidateRequest, find_candidates
from search.client import SearchClient
from search.indexer import reindex
from tests.factories import make_producer, make_product


def request(n: int, title: str) -> CandidateRequest:
    return CandidateRequest(demand_id=n, words=understand(title).words,
                            needed_by=date.today() + timedelta(days=30))


async def test_salmon_and_lamb_do_not_find_coffee_and_floss_that_share_their_letters(
    db: str, search: SearchClient
) -> None:
    plain = await make_producer(name="Cơ sở Bình Minh")
    coffee = await make_product(plain, name="Cà phê Culi Hội Sơn túi 500 g", subgroup="coffee")
    floss = await make_product(plain, name="Ruốc thịt Khả Cửu", group=ProductGroup.FOOD,
                               subgroup="processed_food")
    await reindex(search, today=date.today())

    found = await find_candidates(search, [
        request(1, "Cần 200 kg cá hồi"), request(2, "Cần 50 kg thịt cừu"),
        request(3, "Cần 200 kg cà phê"), request(4, "Cần 50 kg ruốc thịt"),
        request(5, "can 200 kg ca hoi"),
    ])

    assert [[c.product_id for c in found[n]] for n in (1, 2, 3, 4)] == [
        [], [], [coffee.id], [floss.id]]
    assert [c.product_id for c in found[5]] == [coffee.id]  # without diacritics: cannot tell


async def test_salmon_does_not_find_a_tea_whose_description_names_a_coffee_producer(
    db: str, search: SearchClient
) -> None:
    # The 100,000-product bench's one absent product that drew a match: "cá hồi" found an oolong
    # tea through "Cà" and "Hội" of its producer's name and ward, which its description repeats.
    coffee_house = await make_producer(name="HTX Cà phê Tân Hội")
    oolong = await make_product(coffee_house, name="Trà ô long gói 100 g", description=(
        "Trà ô long gói 100 g của HTX Cà phê Tân Hội, sản xuất tại Tân Hội, Lâm Đồng. Chè búp sao "
        "sấy theo kinh nghiệm làng nghề."))
    green = await make_product(await make_producer(name="HTX Tân Cương"), name="Trà xanh Tân Cương",
                               description="Trà xanh chế biến thủ công, cánh nhỏ xoăn.")
    await reindex(search, today=date.today())

    found = await find_candidates(search, [
        request(1, "Cần 200 kg cá hồi giao Hà Nội"), request(2, "Cần 200 kg trà ô long"),
        request(3, "Cần 200 kg chè xanh"),
    ])

    assert [c.product_id for c in found[1]] == []
    assert [c.product_id for c in found[2]] == [oolong.id]
    # "chè" is only "chế" in the description, but the name says "Trà", its synonym: kept.
    assert [c.product_id for c in found[3]] == [green.id]
