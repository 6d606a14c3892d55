"""Closing applications before the deadline, and previewing an allocation at any time."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tortoise.transactions import in_transaction

from config.i18n import gettext as _
from matchmaking import audit
from matchmaking.enums import FairStatus
from matchmaking.errors import InvalidInstance, ValidationFailed
from matchmaking.fairs.allocation import build_instance, parse_app_id
from matchmaking.fairs.explain import Reason, run_reasons
from matchmaking.fairs.fairs import own_fair
from matchmaking.fairs.notify import Told, tell_producers
from matchmaking.fairs.queries import ACTIVE
from matchmaking.models import Account, AllocationRun, Booth, BoothApplication, Fair
from matchmaking.optim.booths import allocate_booths


def closed_early_message(fair: Fair) -> Callable[[], tuple[str, str]]:
    return lambda: (
        _("{fair}: applications closed early").format(fair=fair.name),
        _("The organiser closed applications before the deadline. Your application stands as "
          "sent; you will hear about your booths when the allocation is published."),
    )


async def close_applications(actor: Account | None, fair_id: int, *, now: datetime,
                             public_url: str) -> Fair:
    """Close an open fair's applications now, before its deadline, so it can be allocated at once.

    Side effects, in one transaction: the window ends now and the fair is closed, every active
    applicant is told (inbox and email), an audit entry.
    """
    fair = await own_fair(actor, fair_id)
    if fair.status != FairStatus.OPEN:
        raise ValidationFailed({"fair": _("Only a fair taking applications can be closed.")})
    if now >= fair.applications_close:
        raise ValidationFailed({"fair": _("Applications are already closed.")})
    if now <= fair.applications_open:
        raise ValidationFailed({"fair": _("Applications have not opened yet.")})
    async with in_transaction():
        fair.applications_close = now
        fair.status = FairStatus.CLOSED
        await fair.save(update_fields=["applications_close", "status"])
        applications = await BoothApplication.filter(fair=fair, status__in=ACTIVE).order_by("id")
        told: list[Told] = [(a, "fair.closed", closed_early_message(fair)) for a in applications]
        await tell_producers(fair, told, public_url=public_url)
        await audit.record("fair.close", actor=actor, target_type="fair", target_id=fair.id,
                           detail={"applicants": len(applications)})
    return fair


@dataclass(frozen=True)
class Preview:
    """An allocation computed on the applications as they stand: nothing saved, nobody told."""

    fair: Fair
    result: dict[str, Any]
    names: dict[int, str]
    reasons: dict[int, Reason]

    @property
    def accepted(self) -> list[tuple[str, list[str]]]:
        """(producer, booth codes), by first booth."""
        rows = [(self.names.get(parse_app_id(k), k), codes)
                for k, codes in self.result["assignments"].items()]
        return sorted(rows, key=lambda row: row[1][0] if row[1] else "")

    @property
    def waitlisted(self) -> list[tuple[str, Reason | None]]:
        """(producer, reason), best first."""
        ids = [parse_app_id(k) for k in self.result["waitlist"]]
        return [(self.names.get(i, str(i)), self.reasons.get(i)) for i in ids]


async def preview_allocation(actor: Account | None, fair_id: int, *,
                             time_limit: float = 10.0) -> Preview:
    """Run the allocator on the fair as it stands, at any time, and write nothing.

    No booth, application, run or notification changes: the organiser sees what a run would do.
    """
    fair = await own_fair(actor, fair_id)
    if not await Booth.filter(fair=fair).exists():
        raise ValidationFailed({"booths": _("This fair has no booths yet.")})
    instance = await build_instance(fair)
    try:
        result = await asyncio.to_thread(allocate_booths, instance, time_limit=time_limit)
    except InvalidInstance as exc:
        raise ValidationFailed({exc.field: exc.message}) from None
    rows = await BoothApplication.filter(fair=fair).values_list("id", "producer__name")
    run = AllocationRun(fair=fair, kind="booths", instance=instance, result=result,
                        objective=result["objective"], bound=result["bound"])
    return Preview(fair, result, {int(i): str(n) for i, n in rows}, run_reasons(run))
