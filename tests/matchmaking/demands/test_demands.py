"""Buyer profiles and demands: validation before anything is written, edits, closing, expiry."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest

from matchmaking import notifications
from matchmaking.demands import demands
from matchmaking.enums import BuyerKind, DemandStatus, QuoteStatus
from matchmaking.errors import Forbidden, NotAuthenticated, NotFound, ValidationFailed
from matchmaking.models import Buyer, Demand, EmailMessage, Notification, Quote
from tests.factories import make_account, make_buyer, make_demand, make_producer, make_product, owner

TODAY = date(2026, 3, 2)
LANG_SON = 20  # province code of Lạng Sơn (unchanged by the 2025 merger)

GOOD: dict[str, Any] = {
    "title": "Cần 2 tấn trà Shan tuyết", "description": "Đóng gói 500 g", "group": "beverages",
    "subgroup": "tea", "keywords": "shan tuyết, chè", "quantity": "2", "unit": "tấn",
    "recurrence": "monthly", "max_price_vnd": "400.000", "min_stars": "4",
    "required_marks": ["vietgap", "organic"], "delivery_province_code": "Hà Giang",
    "needed_by": "2026-04-01", "valid_until": "15/03/2026",
}


def errors_of(**changes: object) -> dict[str, str]:
    with pytest.raises(ValidationFailed) as caught:
        demands.validate_demand({**GOOD, **changes}, today=TODAY)
    return caught.value.errors


def test_good_demand_converts_old_province_and_parses_everything() -> None:
    values = demands.validate_demand(GOOD, today=TODAY)
    assert values.delivery_province_code == 8  # Hà Giang is part of Tuyên Quang since 2025
    assert values.max_price_vnd == 400_000 and values.quantity == 2 and values.unit == "tấn"
    assert values.required_marks == ["organic", "vietgap"]
    assert values.valid_until == date(2026, 3, 15) and values.min_stars == 4


def test_every_wrong_field_is_named_at_once() -> None:
    errors = errors_of(title="", quantity="0", unit="xe tải", min_stars="2", max_price_vnd="rẻ",
                       delivery_province_code="Atlantis", needed_by="2026-02-01",
                       valid_until="hôm qua", required_marks=["iso9001"], recurrence="weekly",
                       group="cars")
    assert set(errors) == {"title", "quantity", "unit", "min_stars", "max_price_vnd",
                           "delivery_province_code", "needed_by", "valid_until",
                           "required_marks", "recurrence", "group"}


def test_valid_until_in_the_past_is_refused() -> None:
    assert set(errors_of(valid_until="2026-03-01")) == {"valid_until"}


def test_valid_until_defaults_to_needed_by() -> None:
    assert demands.validate_demand({**GOOD, "valid_until": ""}, today=TODAY).valid_until == \
        date(2026, 4, 1)


def test_group_and_subgroup_are_optional_but_checked() -> None:
    values = demands.validate_demand({**GOOD, "group": "", "subgroup": ""}, today=TODAY)
    assert values.group is None and values.subgroup is None
    assert demands.validate_demand({**GOOD, "group": ""}, today=TODAY).group == "beverages"
    assert set(errors_of(group="food", subgroup="tea")) == {"subgroup"}


def test_delivery_province_accepts_a_code() -> None:
    assert demands.validate_demand({**GOOD, "delivery_province_code": LANG_SON},
                                   today=TODAY).delivery_province_code == LANG_SON


async def test_post_demand_needs_a_buyer_profile(db: str) -> None:
    account = await make_account("buyer")
    with pytest.raises(NotFound):
        await demands.post_demand(account, GOOD, today=TODAY)
    with pytest.raises(Forbidden):
        await demands.post_demand(await make_account("producer"), GOOD, today=TODAY)
    with pytest.raises(NotAuthenticated):
        await demands.post_demand(None, GOOD, today=TODAY)


async def test_invalid_demand_saves_nothing(db: str) -> None:
    buyer = await make_buyer()
    with pytest.raises(ValidationFailed):
        await demands.post_demand(owner(buyer), {**GOOD, "quantity": "-3"}, today=TODAY)
    assert await Demand.all().count() == 0


async def test_post_demand_is_open(db: str) -> None:
    buyer = await make_buyer()
    demand = await demands.post_demand(owner(buyer), GOOD, today=TODAY)
    assert demand.status == DemandStatus.OPEN and demand.buyer_id == buyer.id


async def test_update_touches_updated_at(db: str) -> None:
    buyer = await make_buyer()
    demand = await make_demand(buyer)
    before = demand.updated_at
    await Demand.filter(id=demand.id).update(updated_at=before - timedelta(days=2))
    data = {**GOOD, "quantity": "3", "needed_by": date.today() + timedelta(days=9),
            "valid_until": ""}
    await demands.update_demand(owner(buyer), demand.id, data, today=date.today())
    saved = await Demand.get(id=demand.id)
    assert saved.quantity == 3 and saved.updated_at > before - timedelta(days=1)


async def test_another_buyers_demand_is_not_found(db: str) -> None:
    demand = await make_demand()
    intruder = await make_buyer()
    with pytest.raises(NotFound):
        await demands.update_demand(owner(intruder), demand.id, GOOD, today=TODAY)
    with pytest.raises(NotFound):
        await demands.close_demand(owner(intruder), demand.id)
    with pytest.raises(NotFound):
        await demands.get_demand_for(owner(intruder), demand.id)


async def test_unit_is_fixed_once_quoted(db: str) -> None:
    buyer = await make_buyer()
    demand = await make_demand(buyer, unit="kg")
    await Quote.create(demand=demand, producer=await make_producer(), price_vnd=1000,
                       quantity=5, lead_time_days=3)
    data = {**GOOD, "unit": "tấn", "needed_by": date.today() + timedelta(days=9), "valid_until": ""}
    with pytest.raises(ValidationFailed) as caught:
        await demands.update_demand(owner(buyer), demand.id, data, today=date.today())
    assert set(caught.value.errors) == {"unit"}
    assert (await Demand.get(id=demand.id)).unit == "kg"


async def test_closed_demand_cannot_be_edited(db: str) -> None:
    buyer = await make_buyer()
    demand = await make_demand(buyer, status=DemandStatus.CLOSED)
    data = {**GOOD, "needed_by": date.today() + timedelta(days=9), "valid_until": ""}
    with pytest.raises(ValidationFailed) as caught:
        await demands.update_demand(owner(buyer), demand.id, data, today=date.today())
    assert set(caught.value.errors) == {"status"}


async def test_close_declines_pending_quotes_and_tells_producers(db: str) -> None:
    buyer = await make_buyer()
    demand = await make_demand(buyer)
    seller = await make_account("producer")
    pending = await Quote.create(demand=demand, producer=await make_producer(owner=seller),
                                 price_vnd=1000, quantity=5, lead_time_days=3)
    withdrawn = await Quote.create(demand=demand, producer=await make_producer(), price_vnd=900,
                                   quantity=5, lead_time_days=3, status=QuoteStatus.WITHDRAWN)
    closed = await demands.close_demand(owner(buyer), demand.id)
    assert closed.status == DemandStatus.CLOSED
    assert (await Quote.get(id=pending.id)).status == QuoteStatus.DECLINED
    assert (await Quote.get(id=withdrawn.id)).status == QuoteStatus.WITHDRAWN
    assert await Notification.filter(account=seller, kind="quote.declined").count() == 1
    assert await EmailMessage.filter(to_address=seller.email).count() == 1
    again = await demands.close_demand(owner(buyer), demand.id)
    assert again.status == DemandStatus.CLOSED
    assert await Notification.all().count() == 1


async def test_expire_demands_is_idempotent(db: str) -> None:
    today = date.today()
    old = await make_demand(valid_until=today - timedelta(days=1), needed_by=today)
    current = await make_demand(valid_until=today)
    closed = await make_demand(valid_until=today - timedelta(days=5), status=DemandStatus.CLOSED)
    assert await demands.expire_demands(today=today) == 1
    assert await demands.expire_demands(today=today) == 0
    statuses = {d.id: d.status for d in await Demand.all()}
    assert statuses == {old.id: DemandStatus.EXPIRED, current.id: DemandStatus.OPEN,
                        closed.id: DemandStatus.CLOSED}


async def test_open_demands_are_visible_to_producers_only(db: str) -> None:
    demand = await make_demand()
    producer = await make_account("producer")
    assert (await demands.get_demand_for(producer, demand.id)).id == demand.id
    with pytest.raises(NotFound):
        await demands.get_demand_for(await make_account("organiser"), demand.id)
    await Demand.filter(id=demand.id).update(status=DemandStatus.CLOSED)
    with pytest.raises(NotFound):
        await demands.get_demand_for(producer, demand.id)


async def test_open_demands_filter_by_group_and_province(db: str) -> None:
    tea = await make_demand(delivery_province_code=LANG_SON)
    await make_demand(group="food", subgroup="condiments")
    await make_demand(valid_until=date.today() - timedelta(days=1))
    producer = await make_account("producer")
    found = await demands.open_demands(producer, today=date.today(), group="beverages",
                                       province_code=LANG_SON)
    assert [d.id for d in found] == [tea.id]
    assert len(await demands.open_demands(producer, today=date.today())) == 2


async def test_buyer_profile_is_validated_and_saved(db: str) -> None:
    account = await make_account("buyer")
    with pytest.raises(ValidationFailed) as caught:
        await demands.save_buyer_profile(account, {"name": "", "kind": "bank", "tax_code": "12"})
    assert set(caught.value.errors) == {"name", "kind", "tax_code", "province_code"}
    buyer = await demands.save_buyer_profile(account, {
        "name": "Công ty Xuất khẩu Nông sản Việt", "kind": "exporter", "tax_code": "0101234567",
        "province_code": "Sài Gòn"})
    assert buyer.province_code == 79 and buyer.kind == BuyerKind.EXPORTER
    again = await demands.save_buyer_profile(account, {
        "name": "Công ty XK Nông sản Việt", "kind": "exporter", "province_code": "79"})
    assert again.id == buyer.id and await Buyer.all().count() == 1


async def test_buyer_tax_code_is_unique(db: str) -> None:
    await make_buyer(tax_code="0101234567")
    with pytest.raises(ValidationFailed) as caught:
        await demands.save_buyer_profile(await make_account("buyer"), {
            "name": "B", "kind": "horeca", "tax_code": "0101234567", "province_code": "1"})
    assert set(caught.value.errors) == {"tax_code"}


async def test_inbox_marks_only_own_notifications_read(db: str) -> None:
    from datetime import UTC, datetime

    me, other = await make_account("buyer"), await make_account("producer")
    mine = await Notification.create(account=me, kind="x", title="a")
    theirs = await Notification.create(account=other, kind="x", title="b")
    with pytest.raises(NotFound):
        await notifications.mark_read(me, theirs.id, now=datetime.now(UTC))
    assert await notifications.mark_read(me, mine.id, now=datetime.now(UTC)) == 1
    assert [n.id for n in await notifications.inbox(me)] == [mine.id]
    assert (await Notification.get(id=theirs.id)).read_at is None


async def test_expire_job_is_registered_and_thin(db: str, settings: Any) -> None:
    from jobs.registry import JOBS, JobContext

    await make_demand(valid_until=date.today() - timedelta(days=1), needed_by=date.today())
    job = JOBS["expire-demands"]
    assert job.seconds == 3600
    assert await job.function(JobContext(settings=settings, search=None)) == "1 demands expired"
    assert await job.function(JobContext(settings=settings, search=None)) == "0 demands expired"


def test_a_quantity_of_1_5_tan_is_one_and_a_half() -> None:
    assert demands.validate_demand({**GOOD, "quantity": "1,5"}, today=TODAY).quantity == \
        Decimal("1.5")
    assert demands.validate_demand({**GOOD, "quantity": "1.500"}, today=TODAY).quantity == 1500
    assert set(errors_of(quantity="1,500")) == {"quantity"}


def test_the_target_price_is_per_its_own_unit() -> None:
    values = demands.validate_demand({**GOOD, "price_unit": "kg"}, today=TODAY)
    assert values.unit == "tấn" and values.price_unit == "kg"
    assert demands.validate_demand(GOOD, today=TODAY).price_unit == "tấn"
    assert set(errors_of(price_unit="hộp")) == {"price_unit"}


async def test_a_target_1000_times_off_the_catalogue_is_questioned(db: str) -> None:
    buyer = await make_buyer()
    for price in (300_000, 350_000, 400_000):
        await make_product(price_vnd=price)  # tea, per kg
    data = {**GOOD, "unit": "tấn", "max_price_vnd": "400.000", "required_marks": [],
            "min_stars": ""}
    with pytest.raises(ValidationFailed) as caught:
        await demands.post_demand(owner(buyer), data, today=TODAY)  # 400.000 ₫ per tấn?
    assert set(caught.value.errors) == {"max_price_vnd", "confirm_price"}
    assert "350.000" in caught.value.errors["max_price_vnd"]
    per_kg = await demands.post_demand(owner(buyer), {**data, "price_unit": "kg"}, today=TODAY)
    assert per_kg.price_unit == "kg"
    kept = await demands.post_demand(owner(buyer), {**data, "confirm_price": "1"}, today=TODAY)
    assert kept.max_price_vnd == 400_000 and kept.price_unit == "tấn"


def test_the_delivery_province_said_in_the_title_is_taken_when_the_field_is_left_empty() -> None:
    sentence = {**GOOD, "title": "can 1,5 tan che xanh loai 4 sao giao ha noi",
                "delivery_province_code": ""}
    assert demands.validate_demand(sentence, today=TODAY).delivery_province_code == 1
    chosen = {**sentence, "delivery_province_code": "79"}
    assert demands.validate_demand(chosen, today=TODAY).delivery_province_code == 79
    with pytest.raises(ValidationFailed) as refused:
        demands.validate_demand({**sentence, "delivery_province_code": "Atlantis"}, today=TODAY)
    assert "delivery_province_code" in refused.value.errors
    with pytest.raises(ValidationFailed) as unsaid:
        demands.validate_demand({**GOOD, "delivery_province_code": ""}, today=TODAY)
    assert "delivery_province_code" in unsaid.value.errors


def test_stars_said_in_the_title_are_the_minimum_when_the_field_is_left_empty() -> None:
    sentence = {**GOOD, "title": "can 1,5 tan che xanh loai 4 sao giao ha noi", "min_stars": ""}
    assert demands.validate_demand(sentence, today=TODAY).min_stars == 4
    assert demands.validate_demand({**sentence, "min_stars": "5"}, today=TODAY).min_stars == 5
    assert demands.validate_demand({**GOOD, "min_stars": ""}, today=TODAY).min_stars is None
