"""Certificates running out: reminders to producers, and the officer's list of them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from config.i18n import gettext as _
from config.i18n import speaking
from matchmaking.catalogue.products import add_months
from matchmaking.enums import ProductStatus, Verification
from matchmaking.models import Account, CertificateReminder, Product
from matchmaking.notifications import Message, notify_all
from matchmaking.permissions import officer_scope

REMINDER_MONTHS = (6, 3, 1)


def due_reminder(expiry: date, today: date) -> int | None:
    """The tightest reminder reached on `today` (1, 3 or 6 months before), None before or after."""
    if expiry < today:
        return None
    reached = [m for m in REMINDER_MONTHS if add_months(expiry, -m) <= today]
    return min(reached) if reached else None


def _message(account: Account, product: Product, months: int) -> Message:
    day = product.verified_expiry.strftime("%d/%m/%Y") if product.verified_expiry else ""
    with speaking(str(account.language)):
        title = _("Your OCOP certificate expires in %(n)s months") % {"n": months}
        body = _(
            "The certificate of “%(name)s” expires on %(day)s. Ask your province's OCOP office "
            "to re-assess the product in time: once it expires the product loses its stars."
        ) % {"name": product.name, "day": day}
    return Message(account, "certificate.expiry", title, body,
                   f"/producer/products/{product.id}/edit")


async def send_expiry_reminders(*, today: date, public_url: str = "") -> int:
    """Remind the producers of verified certificates expiring in 6, 3 or 1 months, once each.

    A product first seen closer to its expiry gets only the tightest reminder reached (the
    earlier ones count as sent). Idempotent. Side effects, in one transaction: an inbox entry
    and an email per reminder, CertificateReminder rows. Returns the reminders sent."""
    horizon = add_months(today, max(REMINDER_MONTHS))
    products = await Product.filter(
        verification=Verification.VERIFIED, verified_stars__gte=3, verified_expiry__gte=today,
        verified_expiry__lte=horizon,
    ).exclude(status=ProductStatus.ARCHIVED).select_related("producer__owner")
    if not products:
        return 0
    sent = {(r.product_id, r.expiry, r.months) for r in await CertificateReminder.filter(  # type: ignore[attr-defined]
        product_id__in=[p.id for p in products])}
    messages: list[Message] = []
    rows: list[CertificateReminder] = []
    for product in products:
        assert product.verified_expiry is not None
        months = due_reminder(product.verified_expiry, today)
        if months is None or (product.id, product.verified_expiry, months) in sent:
            continue
        for m in (m for m in REMINDER_MONTHS if m >= months):
            if (product.id, product.verified_expiry, m) not in sent:
                rows.append(CertificateReminder(product_id=product.id,
                                                expiry=product.verified_expiry, months=m))
        owner = product.producer.owner
        if owner is not None:
            messages.append(_message(owner, product, months))
    async with in_transaction():
        await CertificateReminder.bulk_create(rows)
        await notify_all(messages, public_url=public_url)
    return len(messages)


@dataclass(frozen=True)
class Expiring:
    """A verified product whose certificate expires soon."""

    product: Product
    expiry: date


def _expiring(officer: Account | None, today: date, months: int) -> QuerySet[Product]:
    query = Product.filter(verification=Verification.VERIFIED, verified_stars__gte=3,
                           verified_expiry__gte=today,
                           verified_expiry__lte=add_months(today, months))
    scope = officer_scope(officer)
    return query if scope is None else query.filter(producer__province_code=scope)


async def expiring_count(officer: Account | None, *, today: date, months: int = 6) -> int:
    """How many certificates expiring_certificates would list."""
    return await _expiring(officer, today, months).count()


async def expiring_certificates(officer: Account | None, *, today: date,
                                months: int = 6) -> list[Expiring]:
    """Verified products of the officer's province (all for a national officer) whose
    certificate expires within `months`, soonest first."""
    found = await _expiring(officer, today, months).select_related("producer") \
        .order_by("verified_expiry", "id")
    return [Expiring(p, p.verified_expiry) for p in found if p.verified_expiry]
