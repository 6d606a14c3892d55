"""The home page's to-do counts for each role, straight from the database."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from matchmaking.accounts.next_steps import next_steps
from matchmaking.enums import FairStatus, ProductStatus, QuoteStatus
from matchmaking.models import Fair, Match, Quote
from tests.factories import make_account, make_buyer, make_demand, make_producer, make_product, owner

pytestmark = pytest.mark.db
TODAY = date.today()
NOW = datetime.now(UTC)


async def test_producer_sees_drafts_expiring_certificates_matches_and_quotes(db: str) -> None:
    account = await make_account("producer")
    producer = await make_producer(owner=account, phone="0912 000 111", address="Thôn 3",
                                   description="Chè Shan tuyết")
    await make_product(producer, status=ProductStatus.DRAFT)
    ending = await make_product(producer, certificate_expiry=TODAY + timedelta(days=30))
    await make_product(producer)  # a certificate valid for years: nothing to do
    await make_product(status=ProductStatus.DRAFT)  # another producer's draft
    first, second = await make_demand(), await make_demand()
    for demand in (first, first, second):
        product = ending if demand is second else await make_product(producer)
        await Match.create(demand=demand, product=product, producer=producer, score=0.8, rank=1)
    await Quote.create(demand=first, producer=producer, price_vnd=1000, quantity=5, lead_time_days=1)
    await Quote.create(demand=second, producer=producer, price_vnd=1000, quantity=5, lead_time_days=1,
                       status=QuoteStatus.DECLINED)

    steps = await next_steps(account, today=TODAY)

    assert (steps.missing, steps.drafts, steps.expiring) == ((), 1, 1)
    assert (steps.matched_demands, steps.open_quotes, steps.applications) == (2, 1, 0)


async def test_producer_without_a_profile_is_asked_to_make_one_and_names_empty_fields(db: str) -> None:
    account = await make_account("producer")
    assert not (await next_steps(account, today=TODAY)).has_profile
    await make_producer(owner=account, ward_code=None)
    steps = await next_steps(account, today=TODAY)
    assert steps.has_profile and steps.missing == ("description", "phone", "address", "ward_code")


async def test_buyer_sees_open_demands_matched_ones_and_new_quotes(db: str) -> None:
    buyer = await make_buyer()
    matched, _quiet = await make_demand(buyer), await make_demand(buyer)
    product = await make_product()
    await Match.create(demand=matched, product=product, producer_id=product.producer_id, score=0.9, rank=1)
    await Quote.create(demand=matched, producer_id=product.producer_id, price_vnd=900, quantity=5,
                       lead_time_days=3)

    steps = await next_steps(owner(buyer), today=TODAY)

    assert (steps.open_demands, steps.demands_with_matches, steps.quotes_to_review) == (2, 1, 1)


async def test_organiser_sees_its_fairs_by_stage_and_admin_sees_accounts_by_role(db: str) -> None:
    organiser, other = await make_account("organiser"), await make_account("organiser")
    for organiser_of, status in ((organiser, FairStatus.DRAFT), (organiser, FairStatus.OPEN),
                          (organiser, FairStatus.OPEN), (other, FairStatus.DRAFT)):
        await Fair.create(organiser=organiser_of, name="Hội chợ OCOP", status=status, venue="Giảng Võ",
                          province_code=1, starts_on=TODAY + timedelta(days=40),
                          ends_on=TODAY + timedelta(days=43), applications_open=NOW,
                          applications_close=NOW + timedelta(days=20))
    steps = await next_steps(organiser, today=TODAY)
    assert steps.fairs_by_stage == {"draft": 1, "open": 2, "closed": 0, "allocated": 0, "published": 0}

    admin = await make_account("admin")
    counts = (await next_steps(admin, today=TODAY)).accounts_by_role
    assert (counts["organiser"], counts["admin"], counts["producer"], counts["buyer"]) == (2, 1, 0, 0)


async def test_officer_sees_its_provinces_pending_claims_and_expiring_certificates(db: str) -> None:
    officer = await make_account("officer", province_code=8)
    here, elsewhere = await make_producer(province_code=8), await make_producer(province_code=20)
    await make_product(here, verification="pending")
    await make_product(elsewhere, verification="pending")  # another province's officer's
    for producer, months in ((here, 3), (here, 30), (elsewhere, 3)):
        await make_product(producer, verification="verified", verified_stars=4,
                           verified_expiry=TODAY + timedelta(days=30 * months))

    steps = await next_steps(officer, today=TODAY)

    assert (steps.role, steps.claims_pending, steps.certificates_expiring) == ("officer", 1, 1)
    national = await next_steps(await make_account("officer"), today=TODAY)
    assert (national.claims_pending, national.certificates_expiring) == (2, 2)
