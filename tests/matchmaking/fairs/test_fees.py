"""Booth fees by booth type, the budget-capped support policy, payment status and reminders."""

from __future__ import annotations

import pytest

from config.i18n import format_vnd, speaking
from matchmaking.errors import ValidationFailed
from matchmaking.fairs.allocation import assigned_codes, publish_allocation
from matchmaking.fairs.fees import Due, remind_unpaid, set_payment, support_amounts, support_spent
from matchmaking.fairs.notify import invoice_text
from matchmaking.models import BoothApplication, Notification
from tests.factories import PUBLIC_URL
from tests.matchmaking.fairs.test_allocation import allocate, organiser_of, owner_of
from tests.matchmaking.fairs.test_fairs import lay_out, make_applicant, make_fair


def test_support_follows_priority_until_the_budget_runs_out() -> None:
    dues = [Due(1, 2_000_000, True, 300), Due(2, 4_000_000, True, 500), Due(3, 2_000_000, False, 900),
            Due(4, 2_000_000, True, 400)]
    assert support_amounts(dues, share=0.5, amount=None, budget=3_500_000) == {
        2: 2_000_000, 4: 1_000_000, 1: 500_000}
    assert support_amounts(dues, share=None, amount=3_000_000, budget=None) == {
        2: 3_000_000, 4: 2_000_000, 1: 2_000_000}  # never more than the fee
    assert support_amounts(dues, share=None, amount=None, budget=10**9) == {}


async def test_allocation_prices_booths_applies_support_and_tells_the_fee(db: str) -> None:
    fair = await make_fair(booth_fee_vnd=1_000_000, support_share=0.5, support_budget_vnd=3_000_000,
                           certified_only=False)
    await lay_out(fair, rows=1, columns=4, zones=["beverages"], price_standard="2.000.000",
                  price_corner="3.000.000")
    five = await make_applicant(fair, stars=5, booths=2)
    four = await make_applicant(fair, stars=4, subgroup="coffee")
    unrated = await make_applicant(fair, stars=None, subgroup="alcoholic", certificate_number=None,
                                   decision_date=None)
    await allocate(fair)
    rows = {a.id: a for a in await BoothApplication.filter(fair=fair)}
    assert {a.status for a in rows.values()} == {"accepted"}
    prices = {"A-01": 3_000_000, "A-02": 2_000_000, "A-03": 2_000_000, "A-04": 3_000_000}
    codes = await assigned_codes(fair)
    fee_five = sum(prices[c] for c in codes[five.id])
    assert rows[five.id].fee_vnd == fee_five
    assert rows[four.id].fee_vnd == sum(prices[c] for c in codes[four.id])
    # half of each certified fee, highest priority first, until the 3.000.000 đồng budget is spent
    assert rows[five.id].support_vnd == fee_five // 2
    assert rows[four.id].support_vnd == min(3_000_000 - fee_five // 2, (rows[four.id].fee_vnd or 0) // 2)
    assert rows[unrated.id].support_vnd == 0 and rows[unrated.id].fee_vnd
    await publish_allocation(await organiser_of(fair), fair.id, public_url=PUBLIC_URL)
    note = await Notification.get(account=await owner_of(five), kind="booths.accepted")
    assert format_vnd(fee_five) in note.body and format_vnd(fee_five // 2) in note.body
    organiser = await organiser_of(fair)
    await set_payment(organiser, fair.id, four.id, "paid")
    with pytest.raises(ValidationFailed):
        await set_payment(organiser, fair.id, four.id, "later")
    await set_payment(organiser, fair.id, unrated.id, "waived")
    assert await remind_unpaid(organiser, fair.id, public_url=PUBLIC_URL) == 1  # five still owes
    reminder = await Notification.get(kind="booths.fee_due")
    assert reminder.account_id == (await owner_of(five)).id  # type: ignore[attr-defined]
    spent = (rows[five.id].support_vnd or 0) + (rows[four.id].support_vnd or 0)
    assert support_spent(list(await BoothApplication.filter(fair=fair))) == spent == 3_000_000
    with speaking("en"):
        assert invoice_text(await BoothApplication.get(id=five.id)).startswith("Booth fee: ")
