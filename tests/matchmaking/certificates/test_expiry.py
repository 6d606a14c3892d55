"""Expiry reminders 6, 3 and 1 months before, once each; the officer's expiring list."""

from __future__ import annotations

from datetime import date

from matchmaking.certificates.expiry import (
    due_reminder,
    expiring_certificates,
    send_expiry_reminders,
)
from matchmaking.models import EmailMessage, Notification
from tests.factories import make_account, make_producer, make_product

EXPIRY = date(2027, 6, 30)


def test_due_reminder_is_the_tightest_reached() -> None:
    assert due_reminder(EXPIRY, date(2026, 12, 29)) is None
    assert due_reminder(EXPIRY, date(2026, 12, 30)) == 6
    assert due_reminder(EXPIRY, date(2027, 4, 1)) == 3
    assert due_reminder(EXPIRY, date(2027, 6, 1)) == 1
    assert due_reminder(EXPIRY, date(2027, 7, 1)) is None


async def test_reminders_are_sent_once_each_in_the_inbox_and_by_email(db: str) -> None:
    owner = await make_account("producer")
    product = await make_product(await make_producer(owner=owner), decision_date=date(2024, 6, 30),
                                 certificate_expiry=EXPIRY)
    await make_product(certificate_expiry=EXPIRY)  # no owner to tell
    assert await send_expiry_reminders(today=date(2026, 12, 1)) == 0
    assert await send_expiry_reminders(today=date(2027, 1, 2)) == 1
    assert await send_expiry_reminders(today=date(2027, 1, 3)) == 0
    assert await send_expiry_reminders(today=date(2027, 4, 2)) == 1
    assert await send_expiry_reminders(today=date(2027, 6, 2)) == 1
    assert await send_expiry_reminders(today=date(2027, 6, 3)) == 0
    notes = await Notification.filter(account=owner).order_by("id")
    assert [n.kind for n in notes] == ["certificate.expiry"] * 3
    assert [n.title[-8:] for n in notes] != []
    assert notes[0].link == f"/producer/products/{product.id}/edit"
    assert await EmailMessage.filter(to_address=owner.email).count() == 3


async def test_a_late_first_run_sends_only_the_tightest_reminder(db: str) -> None:
    owner = await make_account("producer")
    await make_product(await make_producer(owner=owner), certificate_expiry=EXPIRY)
    assert await send_expiry_reminders(today=date(2027, 6, 10)) == 1
    assert await send_expiry_reminders(today=date(2027, 6, 11)) == 0


async def test_officer_lists_only_its_provinces_expiring_certificates(db: str) -> None:
    soon = await make_product(await make_producer(province_code=4), certificate_expiry=EXPIRY)
    await make_product(await make_producer(province_code=4), certificate_expiry=date(2029, 1, 1))
    await make_product(await make_producer(province_code=1), certificate_expiry=EXPIRY)
    officer = await make_account("officer", province_code=4)
    listed = await expiring_certificates(officer, today=date(2027, 1, 1))
    assert [item.product.id for item in listed] == [soon.id]
    national = await expiring_certificates(await make_account("officer"), today=date(2027, 1, 1))
    assert len(national) == 2
