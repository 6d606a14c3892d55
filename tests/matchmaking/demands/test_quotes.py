"""Quotes: every transition allowed and refused, fulfilment, notifications, the comparison."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest

from matchmaking.demands import quotes
from matchmaking.enums import DemandStatus, ProductStatus, QuoteStatus
from matchmaking.errors import Forbidden, NotFound, ValidationFailed
from matchmaking.models import (
    Account,
    AuditLog,
    Demand,
    EmailMessage,
    Match,
    Notification,
    Producer,
    Quote,
    SourcingShare,
)
from tests.factories import (
    buyer_of,
    make_account,
    make_buyer,
    make_demand,
    make_producer,
    make_product,
    owner,
)

OFFER: dict[str, Any] = {"price_vnd": "380.000", "quantity": "60", "lead_time_days": "7",
                         "message": "Giao tại kho Hà Nội"}
TODAY = date.today()


async def seller() -> tuple[Account, Producer]:
    account = await make_account("producer")
    return account, await make_producer(owner=account, province_code=20)


async def quoted(demand: Demand, status: QuoteStatus = QuoteStatus.SUBMITTED,
                 quantity: int = 60) -> tuple[Account, Quote]:
    account, producer = await seller()
    quote = await Quote.create(demand=demand, producer=producer, price_vnd=380_000,
                               quantity=quantity, lead_time_days=7, status=status)
    return account, quote


async def test_submit_quote_tells_the_buyer(db: str) -> None:
    demand = await make_demand()
    account, producer = await seller()
    product = await make_product(producer)
    quote = await quotes.submit_quote(account, demand.id, {**OFFER, "product_id": product.id},
                                      today=TODAY, public_url="https://ocop.test")
    assert quote.status == QuoteStatus.SUBMITTED and quote.price_vnd == 380_000
    buyer_account = await buyer_of(demand)
    note = await Notification.get(kind="quote.submitted")
    assert note.account_id == buyer_account.id and note.link == f"/buyer/demands/{demand.id}#quotes"
    mail = await EmailMessage.get()
    assert "https://ocop.test/buyer/demands/" in mail.body and "380.000" in mail.body


async def test_invalid_quote_names_every_field_and_saves_nothing(db: str) -> None:
    demand = await make_demand()
    account, _ = await seller()
    with pytest.raises(ValidationFailed) as caught:
        await quotes.submit_quote(account, demand.id, {"price_vnd": "0", "quantity": "nhiều",
                                                       "lead_time_days": "-1"}, today=TODAY)
    assert set(caught.value.errors) == {"price_vnd", "quantity", "lead_time_days"}
    assert await Quote.all().count() == 0 and await Notification.all().count() == 0


async def test_quote_with_another_producers_product_is_refused(db: str) -> None:
    demand = await make_demand()
    account, _ = await seller()
    theirs = await make_product()
    with pytest.raises(ValidationFailed) as caught:
        await quotes.submit_quote(account, demand.id, {**OFFER, "product_id": theirs.id},
                                  today=TODAY)
    assert set(caught.value.errors) == {"product_id"}


async def test_quote_with_archived_product_is_refused(db: str) -> None:
    demand = await make_demand()
    account, producer = await seller()
    archived = await make_product(producer, status=ProductStatus.ARCHIVED)
    with pytest.raises(ValidationFailed):
        await quotes.submit_quote(account, demand.id, {**OFFER, "product_id": archived.id},
                                  today=TODAY)


async def test_second_active_quote_is_refused_until_withdrawn(db: str) -> None:
    demand = await make_demand()
    account, _ = await seller()
    first = await quotes.submit_quote(account, demand.id, OFFER, today=TODAY)
    with pytest.raises(ValidationFailed) as caught:
        await quotes.submit_quote(account, demand.id, OFFER, today=TODAY)
    assert set(caught.value.errors) == {"demand"}
    await quotes.withdraw_quote(account, first.id)
    second = await quotes.submit_quote(account, demand.id, {**OFFER, "price_vnd": "360000"},
                                       today=TODAY)
    assert second.price_vnd == 360_000


@pytest.mark.parametrize("status", [DemandStatus.CLOSED, DemandStatus.EXPIRED,
                                    DemandStatus.FULFILLED])
async def test_no_quote_on_a_demand_that_is_not_open(db: str, status: DemandStatus) -> None:
    demand = await make_demand(status=status)
    account, _ = await seller()
    with pytest.raises(NotFound):  # producers cannot even see it
        await quotes.submit_quote(account, demand.id, OFFER, today=TODAY)


async def test_no_quote_after_valid_until_even_before_the_expiry_job(db: str) -> None:
    demand = await make_demand(valid_until=TODAY - timedelta(days=1))
    account, _ = await seller()
    with pytest.raises(ValidationFailed) as caught:
        await quotes.submit_quote(account, demand.id, OFFER, today=TODAY)
    assert set(caught.value.errors) == {"status"}


@pytest.mark.parametrize("role", ["buyer", "organiser"])
async def test_only_producers_quote(db: str, role: str) -> None:
    demand = await make_demand()
    with pytest.raises(Forbidden):
        await quotes.submit_quote(await make_account(role), demand.id, OFFER, today=TODAY)


ALLOWED = [
    ("shortlist", QuoteStatus.SUBMITTED, QuoteStatus.SHORTLISTED),
    ("accept", QuoteStatus.SUBMITTED, QuoteStatus.ACCEPTED),
    ("accept", QuoteStatus.SHORTLISTED, QuoteStatus.ACCEPTED),
    ("decline", QuoteStatus.SUBMITTED, QuoteStatus.DECLINED),
    ("decline", QuoteStatus.SHORTLISTED, QuoteStatus.DECLINED),
    ("withdraw", QuoteStatus.SUBMITTED, QuoteStatus.WITHDRAWN),
    ("withdraw", QuoteStatus.SHORTLISTED, QuoteStatus.WITHDRAWN),
]
REFUSED = [
    (action, status)
    for action, allowed in quotes.ALLOWED_FROM.items()
    for status in QuoteStatus
    if status not in allowed
]


async def act(action: str, demand: Demand, producer_account: Account, quote: Quote) -> Quote:
    buyer_account = await buyer_of(demand)
    if action == "withdraw":
        return await quotes.withdraw_quote(producer_account, quote.id)
    verb = {"shortlist": quotes.shortlist_quote, "accept": quotes.accept_quote,
            "decline": quotes.decline_quote}[action]
    return await verb(buyer_account, quote.id)


@pytest.mark.parametrize(("action", "start", "end"), ALLOWED)
async def test_allowed_transitions_notify_the_other_side(
    db: str, action: str, start: QuoteStatus, end: QuoteStatus
) -> None:
    demand = await make_demand(quantity=1000)
    producer_account, quote = await quoted(demand, start)
    changed = await act(action, demand, producer_account, quote)
    assert changed.status == end == (await Quote.get(id=quote.id)).status
    told = await buyer_of(demand) if action == "withdraw" else producer_account
    note = await Notification.get()
    assert note.account_id == told.id and note.kind == f"quote.{end.value}"
    assert await EmailMessage.filter(to_address=told.email).count() == 1


@pytest.mark.parametrize(("action", "start"), REFUSED)
async def test_refused_transitions_change_nothing(
    db: str, action: str, start: QuoteStatus
) -> None:
    demand = await make_demand()
    producer_account, quote = await quoted(demand, start)
    with pytest.raises(ValidationFailed) as caught:
        await act(action, demand, producer_account, quote)
    assert set(caught.value.errors) == {"status"}
    assert (await Quote.get(id=quote.id)).status == start
    assert await Notification.all().count() == 0


@pytest.mark.parametrize("action", ["shortlist", "accept"])
async def test_buyer_cannot_shortlist_or_accept_on_a_closed_demand(db: str, action: str) -> None:
    demand = await make_demand()
    producer_account, quote = await quoted(demand)
    await Demand.filter(id=demand.id).update(status=DemandStatus.EXPIRED)
    with pytest.raises(ValidationFailed):
        await act(action, demand, producer_account, quote)
    assert (await Quote.get(id=quote.id)).status == QuoteStatus.SUBMITTED


async def test_quotes_of_another_side_are_not_found(db: str) -> None:
    demand = await make_demand()
    _, quote = await quoted(demand)
    other_buyer = await make_buyer()
    other_producer, _ = await seller()
    with pytest.raises(NotFound):
        await quotes.accept_quote(owner(other_buyer), quote.id)
    with pytest.raises(NotFound):
        await quotes.withdraw_quote(other_producer, quote.id)
    with pytest.raises(Forbidden):
        await quotes.accept_quote(other_producer, quote.id)
    assert (await Quote.get(id=quote.id)).status == QuoteStatus.SUBMITTED


async def test_accepted_quotes_covering_the_quantity_fulfil_the_demand(db: str) -> None:
    demand = await make_demand(quantity=100)
    buyer_account = await buyer_of(demand)
    _, first = await quoted(demand, quantity=60)
    _, second = await quoted(demand, quantity=40)
    late_account, late = await quoted(demand, QuoteStatus.SHORTLISTED, quantity=100)
    await quotes.accept_quote(buyer_account, first.id)
    assert (await Demand.get(id=demand.id)).status == DemandStatus.OPEN
    await quotes.accept_quote(buyer_account, second.id)
    assert (await Demand.get(id=demand.id)).status == DemandStatus.FULFILLED
    assert (await Quote.get(id=late.id)).status == QuoteStatus.DECLINED
    assert await Notification.filter(account=late_account, kind="quote.declined").count() == 1
    entries = await AuditLog.filter(action="quote.accept").order_by("id")
    assert [e.detail["fulfilled"] for e in entries] == [False, True]
    assert entries[1].detail["covered"] == 100


async def test_producer_sees_only_its_own_quotes(db: str) -> None:
    demand = await make_demand()
    mine_account, mine = await quoted(demand)
    await quoted(demand)
    assert [q.id for q in await quotes.quotes_for(mine_account, demand.id)] == [mine.id]
    assert len(await quotes.quotes_for(await buyer_of(demand), demand.id)) == 2
    with pytest.raises(NotFound):
        await quotes.quotes_for(await make_account("organiser"), demand.id)


async def test_producer_still_sees_a_fulfilled_demand_it_quoted_on(db: str) -> None:
    demand = await make_demand(quantity=60)
    producer_account, quote = await quoted(demand)
    await quotes.accept_quote(await buyer_of(demand), quote.id)
    assert [q.status for q in await quotes.quotes_for(producer_account, demand.id)] == [
        QuoteStatus.ACCEPTED]


async def test_comparison_orders_and_judges_quotes(db: str) -> None:
    demand = await make_demand(max_price_vnd=370_000)
    _, dear = await quoted(demand)
    _, cheap_producer = await seller()
    product = await make_product(cheap_producer, stars=5)
    cheap = await Quote.create(demand=demand, producer=cheap_producer, product=product,
                               price_vnd=300_000, quantity=50, lead_time_days=3)
    _, gone = await quoted(demand, QuoteStatus.WITHDRAWN)
    rows = await quotes.compare_quotes(await buyer_of(demand), demand.id)
    assert [r.quote.id for r in rows] == [cheap.id, dear.id, gone.id]
    assert [r.above_target for r in rows] == [False, True, True]
    assert rows[0].stars == 5 and rows[0].province == "Lạng Sơn"
    assert rows[0].total_vnd == 15_000_000 and rows[1].stars is None


async def test_overview_reads_matches_in_rank_order_and_the_shortfall(db: str) -> None:
    demand = await make_demand(quantity=500)
    first, second = await make_product(), await make_product()
    await Match.create(demand=demand, product=second, producer_id=second.producer_id,
                       score=0.7, rank=2, reasons=["Cùng tỉnh"])
    await Match.create(demand=demand, product=first, producer_id=first.producer_id,
                       score=0.9, rank=1, reasons=["Đủ 4 sao"])
    await SourcingShare.create(demand=demand, product=first, quantity=300, score=0.9)
    overview = await quotes.demand_overview(await buyer_of(demand), demand.id)
    assert [m.rank for m in overview.matches] == [1, 2]
    assert overview.matches[0].reasons == ["Đủ 4 sao"]
    assert overview.sourcing.shortfall == 200 and overview.accepted == 0
    assert overview.sourcing.covered == 300  # the sum of the shares shown


async def test_a_quote_of_1_5_tan_is_one_and_a_half_tonnes(db: str) -> None:
    demand = await make_demand(quantity=2, unit="tấn", price_unit="kg", max_price_vnd=400_000)
    account, _producer = await seller()
    quote = await quotes.submit_quote(account, demand.id, {**OFFER, "quantity": "1.5",
                                                           "price_vnd": "380.000.000"}, today=TODAY)
    await quote.refresh_from_db()
    assert quote.quantity == Decimal("1.5") and quote.unit == "tấn"
    [row] = await quotes.compare_quotes(await buyer_of(demand), demand.id)
    assert row.total_vnd == 570_000_000  # not 15 tấn: 5.700.000.000
    assert row.price_in_target_unit == 380_000 and not row.above_target


async def test_a_producer_quotes_in_its_own_unit_and_the_buyer_sees_both(db: str) -> None:
    demand = await make_demand(quantity=2, unit="tấn", price_unit="kg", max_price_vnd=300_000)
    account, _producer = await seller()
    await quotes.submit_quote(account, demand.id, {**OFFER, "unit": "kg", "quantity": "2.500",
                                                   "price_vnd": "320.000"}, today=TODAY)
    [row] = await quotes.compare_quotes(await buyer_of(demand), demand.id)
    assert row.unit == "kg" and row.quantity_in_demand_unit == 2.5
    assert row.over_quantity  # 2.500 kg is more than the 2 tấn asked
    assert row.above_target and row.price_in_target_unit == 320_000


async def test_a_box_quotes_through_its_net_content_or_not_at_all(db: str) -> None:
    demand = await make_demand(quantity=100, unit="kg", max_price_vnd=400_000)
    account, producer = await seller()
    bare = await make_product(producer, unit="hộp", code="BARE")
    with pytest.raises(ValidationFailed) as caught:
        await quotes.submit_quote(account, demand.id, {**OFFER, "unit": "hộp",
                                                       "product_id": bare.id}, today=TODAY)
    assert set(caught.value.errors) == {"unit"}
    boxed = await make_product(producer, unit="hộp", code="BOX", net_quantity=200, net_unit="g")
    await quotes.submit_quote(account, demand.id, {**OFFER, "unit": "hộp", "quantity": "100",
                                                   "price_vnd": "90.000", "product_id": boxed.id},
                              today=TODAY)
    [row] = await quotes.compare_quotes(await buyer_of(demand), demand.id)
    assert row.quantity_in_demand_unit == 20.0 and row.price_in_target_unit == 450_000
    assert row.above_target and not row.over_quantity


async def test_accepted_quotes_add_up_in_the_demands_unit(db: str) -> None:
    demand = await make_demand(quantity=1, unit="tấn")
    _account, producer = await seller()
    quote = await Quote.create(demand=demand, producer=producer, price_vnd=300_000, unit="kg",
                               quantity=Decimal(1000), lead_time_days=3)
    await quotes.accept_quote(await buyer_of(demand), quote.id)
    await demand.refresh_from_db()
    assert demand.status == DemandStatus.FULFILLED


async def test_similar_groups_come_from_what_products_are_not_how_they_are_graded(db: str) -> None:
    await make_product(name="Mắm tôm Hậu Lộc", group="food", subgroup="condiments")
    await make_product(name="Chè Bát Tiên tôm nõn")  # tea graded "tôm nõn": no shrimp
    demand = await make_demand(await make_buyer(), title="Cần 200 kg tôm hùm", group=None,
                               subgroup=None)

    assert await quotes.similar_subgroups(demand) == ["condiments"]
