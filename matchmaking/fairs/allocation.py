"""Booth allocation: the fair's policy as an optimiser instance, the run, the publication.

The optimiser (optim/booths.py) is pure; this module adapts models to its JSON and back.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from config.i18n import gettext as _
from matchmaking import audit
from matchmaking.clock import now_utc
from matchmaking.enums import ApplicationStatus, FairStatus, Role, RunStatus
from matchmaking.errors import InvalidInstance, NotFound, ValidationFailed
from matchmaking.fairs.explain import run_reasons
from matchmaking.fairs.fairs import is_owner, own_fair
from matchmaking.fairs.fees import price_allocation
from matchmaking.fairs.grid import MIXED, adjacency
from matchmaking.fairs.notify import Told, accepted_message, tell_producers, waitlisted_message
from matchmaking.fairs.policy import COMPETITOR_PENALTY, main_group, preference_bonus, weight
from matchmaking.fairs.queries import (
    ACTIVE,
    KIND,
    application_products,
    assigned_codes,
    latest_run,
    producer_of,
)
from matchmaking.models import (
    Account,
    AllocationRun,
    Booth,
    BoothApplication,
    BoothAssignment,
    Fair,
    Product,
)
from matchmaking.optim.booths import allocate_booths
from matchmaking.permissions import require_role

log = logging.getLogger(__name__)



def app_id(application_id: int) -> str:
    return f"app-{application_id}"


def parse_app_id(value: str) -> int:
    return int(value.removeprefix("app-"))


def application_entry(
    fair: Fair, application: BoothApplication, province_code: int, products: Sequence[Product],
    booth_codes: set[str],
) -> dict[str, Any]:
    """One application of the instance: the fair's priority policy as numbers.

    weight and preferences as fairs.policy says.
    """
    group, subgroup = main_group(products)
    wishes = [code for code in application.preferences if code in booth_codes]
    return {
        "id": app_id(application.id), "province": str(province_code), "category": subgroup,
        "zones": [group, MIXED], "booths": application.booths_wanted,
        "weight": weight(fair, application, products), "preferences": preference_bonus(wishes),
    }


async def build_instance(fair: Fair) -> dict[str, Any]:
    """The fair as the allocator's JSON (specs/booth-allocation.md), adjacency made explicit
    per hall so booths of two halls never count as neighbours."""
    booths = await Booth.filter(fair=fair).order_by("hall_id", "code")
    applications = await BoothApplication.filter(fair=fair, status__in=ACTIVE) \
        .select_related("producer").order_by("id")
    products = await application_products(applications)
    neighbours = adjacency((b.code, b.hall_id, b.x, b.y, b.w, b.h) for b in booths)
    pairs = sorted({(a, b) for a, others in neighbours.items() for b in others if a < b})
    codes = {b.code for b in booths}
    return {
        "booths": [{"id": b.code, "zone": b.zone, "x": b.x, "y": b.y, "w": b.w, "h": b.h}
                   for b in booths],
        "adjacent": [list(pair) for pair in pairs],
        "applications": [
            application_entry(fair, a, producer_of(a).province_code, products[a.id], codes)
            for a in applications if products[a.id]
        ],
        "rules": {"province_cap": fair.province_cap, "competitor_penalty": COMPETITOR_PENALTY},
    }




def _check_can_run(fair: Fair, now: datetime) -> None:
    if fair.status == FairStatus.PUBLISHED:
        raise ValidationFailed({"fair": _(
            "The allocation is published; move or cancel exhibitors instead.")})
    if fair.status == FairStatus.DRAFT:
        raise ValidationFailed({"fair": _("Open the fair for applications first.")})
    if now < fair.applications_close:
        raise ValidationFailed({"fair": _(
            "Applications are still open; allocate after they close.")})


async def run_allocation(
    actor: Account | None, fair: Fair, *, time_limit: float = 60.0, seed: int = 0,
    now: datetime | None = None,
) -> AllocationRun:
    """Allocate booths and save the result as the fair's draft.

    Side effects, in one transaction: the previous draft run is superseded, the fair's booth
    assignments replaced, applications accepted or waitlisted (with their position), the fair
    marked allocated, an audit entry. `actor` None is the scheduled job.
    """
    if actor is not None:
        require_role(actor, Role.ORGANISER)
        if not is_owner(actor, fair):
            raise NotFound("fair")
    await fair.refresh_from_db()
    _check_can_run(fair, now or now_utc())
    if not await Booth.filter(fair=fair).exists():
        raise ValidationFailed({"booths": _("This fair has no booths yet.")})
    instance = await build_instance(fair)
    try:
        result = await asyncio.to_thread(allocate_booths, instance, time_limit=time_limit, seed=seed)
    except InvalidInstance as exc:
        raise ValidationFailed({exc.field: exc.message}) from None
    try:
        return await _save_run(actor, fair, instance, result)
    except IntegrityError:
        raise ValidationFailed({"fair": _("Another allocation finished meanwhile; reload.")}) from None


async def _save_run(
    actor: Account | None, fair: Fair, instance: dict[str, Any], result: dict[str, Any]
) -> AllocationRun:
    booth_ids = dict(await Booth.filter(fair=fair).values_list("code", "id"))
    assignments: dict[int, list[str]] = {
        parse_app_id(key): codes for key, codes in result["assignments"].items()
    }
    waitlist = [parse_app_id(key) for key in result["waitlist"]]
    async with in_transaction():
        # The optimiser ran outside the transaction: the organiser may have published meanwhile.
        if await Fair.filter(id=fair.id, status=FairStatus.PUBLISHED).exists():
            raise ValidationFailed({"fair": _(
                "The allocation is published; move or cancel exhibitors instead.")})
        await AllocationRun.filter(fair=fair, kind=KIND, status=RunStatus.DRAFT).update(
            status=RunStatus.SUPERSEDED)
        run = await AllocationRun.create(
            fair=fair, kind=KIND, instance=instance, result=result,
            objective=result["objective"], bound=result["bound"], status=RunStatus.DRAFT,
            created_by=actor)
        await BoothAssignment.filter(fair=fair).delete()
        await BoothAssignment.bulk_create([
            BoothAssignment(fair=fair, booth_id=booth_ids[code], application_id=application, run=run)
            for application, codes in assignments.items() for code in codes
        ])
        applications = {a.id: a for a in await BoothApplication.filter(
            id__in=[*assignments, *waitlist])}
        for application_id in assignments:
            applications[application_id].status = ApplicationStatus.ACCEPTED
            applications[application_id].waitlist_position = None
        for position, application_id in enumerate(waitlist, start=1):
            applications[application_id].status = ApplicationStatus.WAITLISTED
            applications[application_id].waitlist_position = position
        await price_allocation(fair, applications, assignments, instance)
        if applications:
            await BoothApplication.bulk_update(
                list(applications.values()),
                fields=["status", "waitlist_position", "fee_vnd", "support_vnd"])
        fair.status = FairStatus.ALLOCATED
        await fair.save(update_fields=["status"])
        await audit.record("allocation.run", actor=actor, target_type="fair", target_id=fair.id,
                           detail={"run": run.id, "accepted": len(assignments),
                                   "waitlisted": len(waitlist), "objective": result["objective"],
                                   "bound": result["bound"], "status": result["status"]})
    return run


async def run_now(actor: Account | None, fair_id: int, *, time_limit: float) -> AllocationRun:
    """The organiser's "run now" button."""
    fair = await own_fair(actor, fair_id)
    return await run_allocation(actor, fair, time_limit=time_limit)




async def publish_allocation(actor: Account | None, fair_id: int, *, public_url: str) -> AllocationRun:
    """Publish the draft. Side effects, in one transaction of a fixed number of statements: run
    and fair published, accepted and waitlisted producers notified (inbox and email, links under
    `public_url`), audit entry."""
    fair = await own_fair(actor, fair_id)
    run = await latest_run(fair)
    if run is None or run.status != RunStatus.DRAFT:
        raise ValidationFailed({"fair": _("There is no draft allocation to publish.")})
    codes = await assigned_codes(fair)
    reasons = run_reasons(run)
    async with in_transaction():
        run.status = RunStatus.PUBLISHED
        await run.save(update_fields=["status"])
        fair.status = FairStatus.PUBLISHED
        await fair.save(update_fields=["status"])
        applications = await BoothApplication.filter(
            fair=fair, status__in=(ApplicationStatus.ACCEPTED, ApplicationStatus.WAITLISTED)
        ).order_by("id")
        told: list[Told] = [
            (application, f"booths.{application.status}",
             accepted_message(fair, codes.get(application.id, []), application)
             if application.status == ApplicationStatus.ACCEPTED
             else waitlisted_message(fair, application.waitlist_position or 0,
                                     reasons.get(application.id)))
            for application in applications
        ]
        await tell_producers(fair, told, public_url=public_url)
        await audit.record("allocation.publish", actor=actor, target_type="fair",
                           target_id=fair.id, detail={"run": run.id})
    return run


async def due_fairs(now: datetime) -> list[Fair]:
    """Open fairs whose window has closed and that have no booth allocation yet."""
    fairs = await Fair.filter(status__in=(FairStatus.OPEN, FairStatus.CLOSED),
                              applications_close__lte=now).order_by("applications_close")
    ran = set(await AllocationRun.filter(fair_id__in=[f.id for f in fairs], kind=KIND)
              .values_list("fair_id", flat=True))
    return [f for f in fairs if f.id not in ran]


async def allocate_due_fairs(*, now: datetime, time_limit: float) -> list[int]:
    """The scheduled job's work: allocate every due fair; returns the ids of the fairs done."""
    done = []
    for fair in await due_fairs(now):
        try:
            await run_allocation(None, fair, time_limit=time_limit, now=now)
        except ValidationFailed as exc:
            log.warning("fair %s not allocated: %s", fair.id, exc)
            continue
        done.append(fair.id)
    return done
