"""Integrity lives in the database too: these inserts bypass Python checks and must fail."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from tortoise.exceptions import IntegrityError, ValidationError
from tortoise.transactions import in_transaction

from matchmaking.enums import Role
from matchmaking.models import (
    Account,
    Booth,
    BoothApplication,
    BoothAssignment,
    Fair,
    Hall,
    MeetingRequest,
    MeetingSession,
    Product,
)
from tests.factories import make_producer, make_product


async def _raw_insert_fails(sql: str, values: list[object]) -> None:
    from tortoise import connections

    with pytest.raises(IntegrityError):
        async with in_transaction() as connection:
            await connection.execute_query(sql, values)
    assert connections.get("default") is not None


def _product_sql(placeholders: int, postgres: bool) -> str:
    marks = ", ".join(f"${i}" if postgres else "?" for i in range(1, placeholders + 1))
    return (
        'INSERT INTO product (producer_id, code, name, "group", subgroup, description, stars, '
        "certificate_number, decision_date, price_vnd, unit, min_order, monthly_capacity, "
        f"quality_marks, status, created_at, updated_at) VALUES ({marks})"
    )


@pytest.mark.parametrize(
    ("column", "value", "reason"),
    [
        ("price_vnd", 0, "price must be positive"),
        ("stars", 6, "stars 1-5"),
        ("certificate_number", None, "3-5 stars need a certificate"),
        ("monthly_capacity", 5, "capacity at least the minimum order"),
        ("group", "weapons", "one of the six OCOP groups"),
    ],
)
async def test_product_check_constraints(db: str, column: str, value: object, reason: str) -> None:
    producer = await make_producer()
    row: dict[str, object] = {
        "producer_id": producer.id, "code": "X1", "name": "Mật ong bạc hà", "group": "food",
        "subgroup": "processed_food", "description": "", "stars": 4, "certificate_number": "12/QĐ",
        "decision_date": date(2025, 1, 2), "price_vnd": 250_000, "unit": "chai", "min_order": 10,
        "monthly_capacity": 100, "quality_marks": "[]", "status": "published",
        "created_at": datetime.now(UTC), "updated_at": datetime.now(UTC),
    }
    row[column] = value
    await _raw_insert_fails(_product_sql(len(row), db.startswith("postgres")), list(row.values()))
    assert await Product.all().count() == 0, reason


async def test_one_assignment_per_booth_per_fair(db: str) -> None:
    organiser = await Account.create(
        email="btc@x.vn", password_hash="x", display_name="BTC", role=Role.ORGANISER
    )
    now = datetime.now(UTC)
    fair = await Fair.create(
        organiser=organiser, name="Hội chợ OCOP", venue="Cung Văn hoá", province_code=1,
        starts_on=date.today() + timedelta(days=40), ends_on=date.today() + timedelta(days=43),
        applications_open=now, applications_close=now + timedelta(days=20),
    )
    hall = await Hall.create(fair=fair, name="A", width=30, height=36)
    booth = await Booth.create(fair=fair, hall=hall, code="A-01", zone="food", x=0, y=0, w=3, h=3)
    first = await BoothApplication.create(fair=fair, producer=await make_producer())
    second = await BoothApplication.create(fair=fair, producer=await make_producer())
    await BoothAssignment.create(fair=fair, booth=booth, application=first)
    with pytest.raises(IntegrityError):
        await BoothAssignment.create(fair=fair, booth=booth, application=second)
    assert await BoothAssignment.filter(booth=booth).count() == 1


async def test_booth_application_size_is_one_to_four(db: str) -> None:
    organiser = await Account.create(email="b@x.vn", password_hash="x", display_name="B", role=Role.ORGANISER)
    now = datetime.now(UTC)
    fair = await Fair.create(
        organiser=organiser, name="H", venue="V", province_code=1, starts_on=date.today(),
        ends_on=date.today(), applications_open=now, applications_close=now + timedelta(days=1),
    )
    with pytest.raises((IntegrityError, ValidationError)):
        await BoothApplication.create(fair=fair, producer=await make_producer(), booths_wanted=5)


async def test_meeting_request_needs_two_sides(db: str) -> None:
    account = await Account.create(email="m@x.vn", password_hash="x", display_name="M", role=Role.BUYER)
    organiser = await Account.create(email="o@x.vn", password_hash="x", display_name="O", role=Role.ORGANISER)
    now = datetime.now(UTC)
    fair = await Fair.create(
        organiser=organiser, name="H", venue="V", province_code=1, starts_on=date.today(),
        ends_on=date.today(), applications_open=now, applications_close=now + timedelta(days=1),
    )
    session = await MeetingSession.create(
        fair=fair, name="B2B", starts_at=now, slots=16, tables=40, request_deadline=now
    )
    with pytest.raises(IntegrityError):
        await MeetingRequest.create(session=session, requester=account, recipient=account)


async def test_product_codes_unique_per_producer(db: str) -> None:
    producer = await make_producer()
    await make_product(producer, code="CHE-01")
    with pytest.raises(IntegrityError):
        await make_product(producer, code="CHE-01")
    await make_product(await make_producer(), code="CHE-01")
    assert await Product.filter(code="CHE-01").count() == 2
