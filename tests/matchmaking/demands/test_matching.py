"""The matching job against a real Meilisearch: what it finds, what it stores, what it leaves alone."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from matchmaking.demands.matching import match_demands
from matchmaking.demands.sourcing import demand_sourcing
from matchmaking.enums import BuyerKind, DemandStatus, ProductGroup, ProductStatus
from matchmaking.models import (
    Buyer,
    Demand,
    EmailMessage,
    Match,
    Notification,
    Product,
    SourcingShare,
)
from search.client import SearchClient
from search.indexer import enqueue_product, reindex, sync_outbox
from tests.factories import make_account, make_producer, make_product

HANOI, TUYEN_QUANG, THAI_NGUYEN, PHU_THO, LAM_DONG = 1, 8, 19, 25, 68


async def make_buyer(**overrides: Any) -> Buyer:
    values: dict[str, Any] = {"name": "Công ty CP Phân phối Nông sản Việt", "kind": BuyerKind.DISTRIBUTOR,
                              "province_code": HANOI}
    values.update(overrides)
    if "owner" not in values:
        values["owner"] = await make_account("buyer")
    return await Buyer.create(**values)


async def make_demand(buyer: Buyer, **overrides: Any) -> Demand:
    today = date.today()
    values: dict[str, Any] = {
        "buyer": buyer, "title": "Cần 2 tấn chè xanh 4 sao giao Hà Nội", "keywords": "chè xanh, trà xanh",
        "group": "beverages", "subgroup": "tea", "quantity": 2, "unit": "tấn", "min_stars": 4,
        "delivery_province_code": HANOI, "needed_by": today + timedelta(days=30),
        "valid_until": today + timedelta(days=20), "max_price_vnd": 400_000_000,
    }
    values.update(overrides)
    return await Demand.create(**values)


async def tea_market() -> dict[str, Product]:
    """Four- and five-star green teas none of which can supply two tonnes alone, and decoys."""
    soon = date.today() + timedelta(days=10)

    async def tea(key: str, province: int, **overrides: Any) -> tuple[str, Product]:
        producer = await make_producer(name=f"HTX Chè {key}", province_code=province,
                                       owner=await make_account("producer"))
        product = await make_product(producer, **overrides)
        return key, product

    made = [
        await tea("A", THAI_NGUYEN, name="Chè xanh Tân Cương", stars=5, monthly_capacity=800,
                  min_order=50, price_vnd=300_000, quality_marks=["vietgap"]),
        await tea("B", TUYEN_QUANG, name="Trà xanh Shan tuyết", stars=4, monthly_capacity=700,
                  min_order=50, price_vnd=350_000),
        await tea("C", PHU_THO, name="Chè xanh Thanh Ba", stars=4, monthly_capacity=600, min_order=100,
                  price_vnd=250_000),
        await tea("three_stars", THAI_NGUYEN, name="Chè xanh La Bằng", stars=3, monthly_capacity=5_000),
        await tea("lapsing", THAI_NGUYEN, name="Chè xanh Trại Cài", stars=5, monthly_capacity=5_000,
                  certificate_expiry=soon),
        await tea("draft", THAI_NGUYEN, name="Chè xanh nháp", stars=5, monthly_capacity=5_000,
                  status=ProductStatus.DRAFT),
        await tea("coffee", LAM_DONG, name="Cà phê Arabica Cầu Đất", stars=5, subgroup="coffee",
                  monthly_capacity=5_000),
        await tea("honey", TUYEN_QUANG, name="Mật ong bạc hà xanh", stars=5, group=ProductGroup.FOOD,
                  subgroup="processed_food", monthly_capacity=5_000),
    ]
    return dict(made)


def now() -> datetime:
    return datetime.now(UTC)


async def snapshot() -> list[tuple[Any, ...]]:
    rows = await Match.all().order_by("id").values_list(
        "id", "demand_id", "product_id", "rank", "score", "reasons", "notified_at", "updated_at")
    return [tuple(row) for row in rows]


async def test_green_tea_demand_finds_four_and_five_star_teas_with_reasons(
    db: str, search: SearchClient
) -> None:
    teas = await tea_market()
    demand = await make_demand(await make_buyer())
    await reindex(search, today=date.today())

    report = await match_demands(search, now=now())

    matches = await Match.filter(demand=demand).order_by("rank")
    found = [m.product_id for m in matches]
    assert report.full and report.demands_examined == 1
    assert set(found[:3]) == {teas["A"].id, teas["B"].id, teas["C"].id}
    assert teas["three_stars"].id not in found  # below the minimum stars
    assert teas["lapsing"].id not in found  # stars lapse before the needed-by date
    assert teas["draft"].id not in found and teas["honey"].id not in found
    assert [m.rank for m in matches] == list(range(1, len(matches) + 1))
    best = next(m for m in matches if m.product_id == teas["A"].id)
    assert best.reasons[:2] == ["5 sao", "VietGAP"]
    assert "đủ 40% số lượng" in best.reasons
    assert any(r.startswith("cách ") and r.endswith(" km") for r in best.reasons)
    assert "giá thấp hơn mức mục tiêu 25%" in best.reasons
    assert best.components["reasons"][0] == {"code": "stars", "params": {"stars": 5}}


async def test_bigger_than_any_one_producer_gets_a_consortium(db: str, search: SearchClient) -> None:
    teas = await tea_market()
    demand = await make_demand(await make_buyer())
    await reindex(search, today=date.today())

    await match_demands(search, now=now())

    shares = {s.product_id: s.quantity for s in await SourcingShare.filter(demand=demand)}
    assert sum(shares.values()) == 2_000  # kg: the two tonnes, covered
    assert set(shares) <= {teas["A"].id, teas["B"].id, teas["C"].id}
    capacity = {p.id: p.monthly_capacity for p in teas.values()}
    assert all(quantity <= capacity[pid] for pid, quantity in shares.items())


async def test_running_twice_changes_nothing(db: str, search: SearchClient) -> None:
    await tea_market()
    await make_demand(await make_buyer())
    await reindex(search, today=date.today())
    await match_demands(search, now=now())
    rows = await snapshot()
    notes, emails = await Notification.all().count(), await EmailMessage.all().count()
    shares = await SourcingShare.all().order_by("id").values_list("id", "product_id", "quantity")

    report = await match_demands(search, now=now(), full=True)

    assert (report.created, report.updated, report.deleted) == (0, 0, 0)
    assert await snapshot() == rows
    assert (await Notification.all().count(), await EmailMessage.all().count()) == (notes, emails)
    assert await SourcingShare.all().order_by("id").values_list("id", "product_id", "quantity") == shares


async def test_a_changed_demand_updates_its_matches_in_place(db: str, search: SearchClient) -> None:
    teas = await tea_market()
    demand = await make_demand(await make_buyer())
    await reindex(search, today=date.today())
    await match_demands(search, now=now())
    before = {m.product_id: m for m in await Match.filter(demand=demand)}

    demand.quantity = Decimal("0.5")  # 500 kg: one month of tea A (800 kg) covers it now
    await demand.save()
    report = await match_demands(search, now=now())
    after = {m.product_id: m for m in await Match.filter(demand=demand)}
    again = await match_demands(search, now=now(), full=True)

    assert (report.created, report.deleted) == (0, 0) and report.updated == len(before)
    assert {p: m.id for p, m in after.items()} == {p: m.id for p, m in before.items()}
    tea_a = after[teas["A"].id]
    assert tea_a.components["capacity"] == 1.0 and tea_a.score > before[teas["A"].id].score
    assert (again.created, again.updated, again.deleted) == (0, 0, 0)  # stored as computed


async def test_new_matches_notify_each_producer_and_the_buyer_once(db: str, search: SearchClient) -> None:
    teas = await tea_market()
    buyer = await make_buyer()
    await make_demand(buyer)
    await make_demand(buyer, title="Cần 500 kg trà xanh giao Hà Nội", quantity=500, unit="kg")
    await reindex(search, today=date.today())

    report = await match_demands(search, now=now())

    producer_a = await teas["A"].producer
    to_a = await Notification.filter(account_id=producer_a.owner_id)
    assert len(to_a) == 1 and to_a[0].kind == "match.producer"
    assert await EmailMessage.filter(to_address=(await producer_a.owner).email).count() == 1
    assert await Notification.filter(account_id=buyer.owner_id).count() == 1
    assert await Match.filter(notified_at=None).count() == 0
    assert report.notifications == await Notification.all().count()


async def test_incremental_run_touches_only_the_new_demand(db: str, search: SearchClient) -> None:
    await tea_market()
    buyer = await make_buyer()
    first = await make_demand(buyer)
    await reindex(search, today=date.today())
    await match_demands(search, now=now())
    before = {row[0]: row for row in await snapshot() if row[1] == first.id}

    second = await make_demand(buyer, title="Cần 300 kg trà xanh Shan tuyết", quantity=300, unit="kg",
                               min_stars=None)
    report = await match_demands(search, now=now())

    assert not report.full and report.demands_examined == 1 and report.products_examined == 0
    assert {row[0]: row for row in await snapshot() if row[1] == first.id} == before
    assert await Match.filter(demand=second).count() >= 3

    again = await match_demands(search, now=now())
    assert (again.demands_examined, again.created, again.updated, again.deleted) == (0, 0, 0, 0)


async def test_changed_product_enters_the_demands_it_now_fits(db: str, search: SearchClient) -> None:
    teas = await tea_market()
    demand = await make_demand(await make_buyer())
    await reindex(search, today=date.today())
    await match_demands(search, now=now())
    three = teas["three_stars"]
    assert not await Match.filter(demand=demand, product=three).exists()

    three.stars = three.verified_stars = 4  # re-rated, and the register has the decision
    await three.save()
    await enqueue_product(three.id)
    await sync_outbox(search, today=date.today())
    report = await match_demands(search, now=now())

    assert report.products_examined == 1 and report.demands_examined == 0
    assert await Match.filter(demand=demand, product=three).exists()
    again = await match_demands(search, now=now())
    assert (again.products_examined, again.created, again.updated) == (0, 0, 0)


async def test_product_waiting_in_the_outbox_is_left_for_the_next_run(
    db: str, search: SearchClient
) -> None:
    teas = await tea_market()
    demand = await make_demand(await make_buyer())
    await reindex(search, today=date.today())
    await match_demands(search, now=now())
    three = teas["three_stars"]
    three.stars = three.verified_stars = 5
    await three.save()
    await enqueue_product(three.id)

    waiting = await match_demands(search, now=now())
    await sync_outbox(search, today=date.today())
    synced = await match_demands(search, now=now())

    assert waiting.products_examined == 0 and synced.products_examined == 1
    assert await Match.filter(demand=demand, product=three).exists()


async def test_unpublished_product_leaves_its_demands(db: str, search: SearchClient) -> None:
    teas = await tea_market()
    demand = await make_demand(await make_buyer())
    await reindex(search, today=date.today())
    await match_demands(search, now=now())
    count = await Match.filter(demand=demand).count()

    product = teas["A"]
    product.status = ProductStatus.ARCHIVED
    await product.save()
    await enqueue_product(product.id)
    await sync_outbox(search, today=date.today())
    await match_demands(search, now=now())

    assert not await Match.filter(product=product).exists()
    assert not await SourcingShare.filter(product=product).exists()
    assert await Match.filter(demand=demand).count() == count - 1
    ranks = await Match.filter(demand=demand).order_by("rank").values_list("rank", flat=True)
    assert list(ranks) == list(range(1, count))


async def test_expired_and_closed_demands_lose_their_matches(db: str, search: SearchClient) -> None:
    await tea_market()
    buyer = await make_buyer()
    expired = await make_demand(buyer)
    closed = await make_demand(buyer)
    kept = await make_demand(buyer)
    await reindex(search, today=date.today())
    await match_demands(search, now=now())
    assert await SourcingShare.filter(demand=expired).exists()

    await Demand.filter(id=expired.id).update(valid_until=date.today() - timedelta(days=1))
    closed.status = DemandStatus.CLOSED
    await closed.save()
    await match_demands(search, now=now())

    assert not await Match.filter(demand_id__in=[expired.id, closed.id]).exists()
    assert not await SourcingShare.filter(demand_id__in=[expired.id, closed.id]).exists()
    assert await Match.filter(demand=kept).exists()


async def test_capacity_shared_by_two_consortia_is_never_promised_twice(
    db: str, search: SearchClient
) -> None:
    teas = await tea_market()
    buyer = await make_buyer()
    await make_demand(buyer)
    await make_demand(buyer, title="Cần 2 tấn chè xanh Thái Nguyên")
    await reindex(search, today=date.today())

    await match_demands(search, now=now())

    capacity = {p.id: p.monthly_capacity for p in teas.values()}
    promised: dict[int, int] = {}
    for share in await SourcingShare.all():
        promised[share.product_id] = promised.get(share.product_id, 0) + share.quantity
    assert promised and all(q <= capacity[pid] for pid, q in promised.items())
    assert sum(promised.values()) == 2_100  # every kilo of A, B and C; 1.9 t still missing


async def test_incremental_sourcing_replans_only_the_demands_a_change_can_move(
    db: str, search: SearchClient
) -> None:
    await tea_market()
    buyer = await make_buyer()
    # Lapsed yesterday: every run in the next days looks at it again, and it reaches nothing.
    await make_demand(buyer, valid_until=date.today() - timedelta(days=1))
    first = await make_demand(buyer)
    await make_demand(buyer, title="Cần 2 tấn chè xanh Thái Nguyên")
    await reindex(search, today=date.today())
    await match_demands(search, now=now())

    await make_demand(buyer, title="Cần 1 tấn chè xanh Phú Thọ", quantity=1)
    newest = await match_demands(search, now=now())
    first.quantity = Decimal("0.5")
    await first.save()
    oldest = await match_demands(search, now=now())
    joint = await match_demands(search, now=now(), full=True)

    assert newest.sourcing and newest.sourcing.demands == 1  # the newest demand takes what is left
    assert oldest.sourcing and oldest.sourcing.demands == 3  # the oldest frees capacity for both
    assert joint.sourcing and joint.sourcing.demands_changed == 0  # as a plan of them all


async def test_a_demand_typed_as_a_sentence_without_diacritics_finds_the_teas(
    db: str, search: SearchClient
) -> None:
    teas = await tea_market()
    sauce = await make_product(await make_producer(name="Cơ sở tương ớt Hà Giang",
                                                   owner=await make_account("producer")),
                               name="Tương ớt Mường Khương", group=ProductGroup.FOOD,
                               subgroup="condiments", stars=5, price_vnd=40_000)
    demand = await make_demand(await make_buyer(), title="can 1,5 tan che xanh loai 4 sao giao ha noi",
                               keywords="", group=None, subgroup=None, min_stars=None,
                               quantity=Decimal("1.5"), unit="tấn", max_price_vnd=300_000,
                               price_unit="kg")
    await reindex(search, today=date.today())

    await match_demands(search, now=now())

    matches = await Match.filter(demand=demand).order_by("rank")
    found = [m.product_id for m in matches]
    assert set(found) == {teas["A"].id, teas["B"].id, teas["C"].id}  # 4-5 stars, valid on delivery
    assert sauce.id not in found and teas["three_stars"].id not in found
    by_id = {m.product_id: m for m in matches}
    assert "giá bằng mức mục tiêu" in by_id[teas["A"].id].reasons  # 300.000 ₫/kg
    assert "giá thấp hơn mức mục tiêu 17%" in by_id[teas["C"].id].reasons  # 250.000 ₫/kg
    assert "giá cao hơn mức mục tiêu 17%" in by_id[teas["B"].id].reasons  # 350.000 ₫/kg


async def test_a_demand_for_what_nobody_sells_has_no_matches_and_tells_no_one(
    db: str, search: SearchClient
) -> None:
    await tea_market()
    demand = await make_demand(await make_buyer(), title="Cần 500 lít rượu vang nho", keywords="",
                               group=None, subgroup=None, min_stars=None, unit="lít")
    await reindex(search, today=date.today())

    await match_demands(search, now=now())

    assert not await Match.filter(demand=demand).exists()
    assert await Notification.all().count() == 0 and await EmailMessage.all().count() == 0


async def test_a_match_that_leaves_and_comes_back_is_announced_once(
    db: str, search: SearchClient
) -> None:
    teas = await tea_market()
    demand = await make_demand(await make_buyer())
    await reindex(search, today=date.today())
    await match_demands(search, now=now())
    producer = await teas["A"].producer
    told = await Notification.filter(account_id=producer.owner_id).count()  # type: ignore[attr-defined]
    product = teas["A"]

    for status in (ProductStatus.ARCHIVED, ProductStatus.PUBLISHED):
        product.status = status
        await product.save()
        await enqueue_product(product.id)
        await sync_outbox(search, today=date.today())
        await match_demands(search, now=now())

    assert await Match.filter(demand=demand, product=product).exists()  # back in the list
    assert await Notification.filter(
        account_id=producer.owner_id).count() == told  # type: ignore[attr-defined]


async def test_a_later_demand_gets_what_capacity_is_left_and_says_so(
    db: str, search: SearchClient
) -> None:
    producer = await make_producer(name="HTX Chè Tân Cương", province_code=THAI_NGUYEN,
                                   owner=await make_account("producer"))
    tea = await make_product(producer, name="Chè xanh Tân Cương", stars=5, monthly_capacity=3_000,
                             min_order=50, price_vnd=300_000)
    buyer = await make_buyer()
    first = await make_demand(buyer, title="Cần 2 tấn chè xanh", keywords="")
    second = await make_demand(buyer, title="Cần 2 tấn chè xanh Tân Cương", keywords="")
    await reindex(search, today=date.today())

    await match_demands(search, now=now())

    plans = [await demand_sourcing(d) for d in (first, second)]
    assert [[(s.product_id, s.quantity) for s in p.shares] for p in plans] == [
        [(tea.id, 2_000)], [(tea.id, 1_000)]]  # the older demand keeps its two tonnes
    for plan in plans:
        shown = sum(s.quantity / 1_000 for s in plan.shares)  # kg shares of a demand in tấn
        assert plan.covered == shown and plan.covered + plan.shortfall == 2
        assert not plan.consortium
    assert plans[1].shortfall == 1
