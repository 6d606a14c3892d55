"""After the allocation: a producer withdraws, an organiser cancels; the freed booths go to the
waitlist in order.

Assignments are exclusive through the (fair, booth) unique constraint: every write here runs
in a transaction, and a concurrent write that took the same booth makes this one fail cleanly.
"""

from __future__ import annotations

import math
from datetime import datetime

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from config.i18n import gettext as _
from matchmaking import audit
from matchmaking.clock import today_in_vietnam
from matchmaking.enums import ApplicationStatus, FairStatus
from matchmaking.errors import NotFound, ValidationFailed
from matchmaking.fairs.applications import own_application
from matchmaking.fairs.fairs import own_fair
from matchmaking.fairs.grid import adjacency, connected_groups
from matchmaking.fairs.notify import Told, cancelled_message, refilled_message, tell_producers
from matchmaking.fairs.policy import preference_bonus, zones_for
from matchmaking.fairs.queries import ACTIVE, application_products, latest_run, producer_of
from matchmaking.models import Account, Booth, BoothApplication, BoothAssignment, Fair


def taken_error() -> ValidationFailed:
    return ValidationFailed({"booths": _("Another change took one of these booths; reload the "
                                         "page and choose again.")})


async def renumber_waitlist(fair: Fair) -> None:
    """Close the gaps in waitlist positions, keeping the order."""
    waiting = await BoothApplication.filter(fair=fair, status=ApplicationStatus.WAITLISTED) \
        .order_by("waitlist_position", "id")
    for position, application in enumerate(waiting, start=1):
        application.waitlist_position = position
    if waiting:
        await BoothApplication.bulk_update(waiting, fields=["waitlist_position"])


async def cancel(
    actor: Account | None, fair: Fair, application: BoothApplication, *, by_organiser: bool,
    public_url: str,
) -> BoothApplication:
    """Withdraw (producer) or cancel (organiser) an application; freed booths go to the waitlist.

    Side effects, in one transaction: its assignments deleted, status withdrawn or rejected,
    waitlist refilled and renumbered, producers notified when the allocation is published,
    audit entry.
    """
    try:
        async with in_transaction():
            freed = await BoothAssignment.filter(application=application).count()
            await BoothAssignment.filter(application=application).delete()
            application.status = ApplicationStatus.REJECTED if by_organiser else ApplicationStatus.WITHDRAWN
            application.waitlist_position = None
            await application.save(update_fields=["status", "waitlist_position"])
            refilled, told = await refill(fair) if freed else ([], [])
            await renumber_waitlist(fair)
            if by_organiser:
                told.append((application, "booths.cancelled", cancelled_message(fair)))
            if fair.status == FairStatus.PUBLISHED:
                await tell_producers(fair, told, public_url=public_url)
            await audit.record("application.cancel" if by_organiser else "application.withdraw",
                               actor=actor, target_type="booth_application", target_id=application.id,
                               detail={"freed": freed, "refilled": refilled})
    except IntegrityError:
        raise taken_error() from None
    return application


async def cancel_by_organiser(actor: Account | None, fair_id: int, application_id: int, *,
                              public_url: str) -> BoothApplication:
    fair = await own_fair(actor, fair_id)
    application = await BoothApplication.get_or_none(id=application_id, fair=fair)
    if application is None:
        raise NotFound("application")
    if application.status in (ApplicationStatus.WITHDRAWN, ApplicationStatus.REJECTED):
        raise ValidationFailed({"application": _("This application is already cancelled.")})
    return await cancel(actor, fair, application, by_organiser=True, public_url=public_url)


async def refill(fair: Fair) -> tuple[list[int], list[Told]]:
    """Offer free booths to the waitlist in order: each waitlisted application, first to last,
    gets the best connected group of free booths in its zones, within the province cap.

    Returns the ids of the applications accepted, and what to tell their producers. Call inside
    the cancelling transaction.
    """
    booths = await Booth.filter(fair=fair)
    assigned = await BoothAssignment.filter(fair=fair).values_list(
        "booth_id", "application__producer__province_code")
    taken = {booth_id for booth_id, _province in assigned}
    held: dict[int, int] = {}
    for _booth, province in assigned:
        held[province] = held.get(province, 0) + 1
    limit = math.ceil(fair.province_cap * len(booths) - 1e-9) if fair.province_cap else None
    free = {b.code: b for b in booths if b.id not in taken}
    neighbours = adjacency((b.code, b.hall_id, b.x, b.y, b.w, b.h) for b in booths)
    waiting = await BoothApplication.filter(fair=fair, status=ApplicationStatus.WAITLISTED) \
        .select_related("producer").order_by("waitlist_position", "id")
    products = await application_products(waiting)
    run = await latest_run(fair)
    accepted: list[int] = []
    told: list[Told] = []
    for application in waiting:
        size, province = application.booths_wanted, producer_of(application).province_code
        if not products[application.id] or not free:
            continue
        if limit is not None and held.get(province, 0) + size > limit:
            continue
        zones = zones_for(products[application.id])
        candidates = {code for code, b in free.items() if b.zone in zones}
        groups = connected_groups(candidates, neighbours, size)
        if not groups:
            continue
        bonus = preference_bonus(application.preferences)
        group = max(groups, key=lambda g: sum(bonus.get(code, 0) for code in g))
        codes = sorted(group)
        for code in codes:
            await BoothAssignment.create(fair=fair, booth=free.pop(code), application=application,
                                         run=run)
        held[province] = held.get(province, 0) + size
        application.status = ApplicationStatus.ACCEPTED
        application.waitlist_position = None
        await application.save(update_fields=["status", "waitlist_position"])
        told.append((application, "booths.refilled", refilled_message(fair, codes)))
        accepted.append(application.id)
    return accepted, told


async def withdraw_application(
    actor: Account | None, fair_id: int, *, now: datetime, public_url: str
) -> BoothApplication:
    """Withdraw before the close; after an allocation it is a cancellation whose freed booths
    go to the waitlist (`cancel`)."""
    application = await own_application(actor, fair_id)
    fair = await Fair.get(id=fair_id)
    if application.status not in ACTIVE:
        raise ValidationFailed({"fair": _("Your application is already withdrawn.")})
    if today_in_vietnam(now) > fair.ends_on:
        raise ValidationFailed({"fair": _("This fair is over.")})
    return await cancel(actor, fair, application, by_organiser=False, public_url=public_url)
