"""Booth fees and the support policy, applied when booths are allocated; payment status and
reminders set by the organiser (there is no online payment).

A booth's fee is its price by type (standard, corner, island), or the fair's booth fee when the
booth has no price. The support policy pays a share of the fee, or a fixed amount (never more
than the fee), to accepted producers with an OCOP certificate valid through the fair's last day,
in the allocator's priority order until the budget runs out (the last one may get part).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from config.i18n import gettext as _
from matchmaking import audit
from matchmaking.catalogue.certification import is_certified
from matchmaking.enums import ApplicationStatus, PaymentStatus
from matchmaking.errors import NotFound, ValidationFailed
from matchmaking.fairs.fairs import own_fair
from matchmaking.fairs.notify import Told, invoice_text, tell_producers
from matchmaking.fairs.queries import application_products
from matchmaking.models import Account, Booth, BoothApplication, Fair


@dataclass(frozen=True)
class Due:
    """One accepted application's fee, its eligibility and its priority (the allocator's weight)."""

    application_id: int
    fee: int
    eligible: bool
    priority: float


def support_amounts(dues: Sequence[Due], *, share: float | None, amount: int | None,
                    budget: int | None) -> dict[int, int]:
    """application id -> support in đồng, by priority while the budget lasts."""
    if share is None and amount is None:
        return {}
    left = budget
    given: dict[int, int] = {}
    for due in sorted(dues, key=lambda d: (-d.priority, d.application_id)):
        if not due.eligible or due.fee <= 0:
            continue
        wanted = min(due.fee, round(due.fee * share) if share is not None else amount or 0)
        if left is not None:
            wanted = min(wanted, left)
            left -= wanted
        if wanted > 0:
            given[due.application_id] = wanted
    return given


def booth_fee(fair: Fair, prices: Sequence[int]) -> int:
    return sum(price or fair.booth_fee_vnd for price in prices)


async def price_allocation(fair: Fair, applications: Mapping[int, BoothApplication],
                           assignments: Mapping[int, list[str]], instance: Mapping[str, Any]) -> None:
    """Set fee_vnd and support_vnd on the accepted applications (and clear them on the others),
    in memory: the caller saves them with the allocation."""
    prices = dict(await Booth.filter(fair=fair).values_list("code", "price_vnd"))
    weights = {int(str(a["id"]).removeprefix("app-")): float(a["weight"])
               for a in instance.get("applications", [])}
    accepted = [applications[i] for i in assignments if i in applications]
    products = await application_products(accepted)
    dues = [Due(a.id, booth_fee(fair, [int(prices[c]) for c in assignments[a.id]]),
                any(is_certified(p, fair.ends_on) for p in products[a.id]), weights.get(a.id, 0.0))
            for a in accepted]
    support = support_amounts(dues, share=fair.support_share, amount=fair.support_amount_vnd,
                              budget=fair.support_budget_vnd)
    fees = {d.application_id: d.fee for d in dues}
    for application in applications.values():
        application.fee_vnd = fees.get(application.id)
        application.support_vnd = support.get(application.id, 0)


async def set_payment(actor: Account | None, fair_id: int, application_id: int,
                      status: str) -> BoothApplication:
    """The organiser records an accepted application's payment: due, paid or waived."""
    fair = await own_fair(actor, fair_id)
    if status not in {s.value for s in PaymentStatus}:
        raise ValidationFailed({"payment_status": _("Choose due, paid or waived.")})
    application = await BoothApplication.get_or_none(id=application_id, fair=fair,
                                                     status=ApplicationStatus.ACCEPTED)
    if application is None:
        raise NotFound("application")
    application.payment_status = PaymentStatus(status)
    await application.save(update_fields=["payment_status"])
    await audit.record("fair.payment", actor=actor, target_type="fair", target_id=fair.id,
                       detail={"application": application.id, "status": status})
    return application


def _reminder(fair: Fair, application: BoothApplication) -> Any:
    return lambda: (
        _("{fair}: your booth fee is due").format(fair=fair.name),
        invoice_text(application) + " " + _("Please pay the organiser before the fair opens."),
    )


async def remind_unpaid(actor: Account | None, fair_id: int, *, public_url: str) -> int:
    """Remind every accepted producer whose fee is still due; returns how many were told."""
    fair = await own_fair(actor, fair_id)
    unpaid = [a for a in await BoothApplication.filter(
        fair=fair, status=ApplicationStatus.ACCEPTED, payment_status=PaymentStatus.DUE
    ).order_by("id") if (a.fee_vnd or 0) > (a.support_vnd or 0)]
    told: list[Told] = [(a, "booths.fee_due", _reminder(fair, a)) for a in unpaid]
    await tell_producers(fair, told, public_url=public_url)
    await audit.record("fair.payment_reminders", actor=actor, target_type="fair",
                       target_id=fair.id, detail={"told": len(told)})
    return len(told)


def support_spent(applications: Sequence[BoothApplication]) -> int:
    """Support the programme pays: that of accepted applications whose fee was not waived."""
    return sum(a.support_vnd or 0 for a in applications
               if a.status == ApplicationStatus.ACCEPTED and a.payment_status != PaymentStatus.WAIVED)


__all__ = ["Due", "invoice_text", "price_allocation", "remind_unpaid", "set_payment",
           "support_amounts", "support_spent"]
