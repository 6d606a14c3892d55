"""Read models of the fair pages: what the HTML views and the JSON API show, computed once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import cast

from matchmaking.catalogue.products import producer_profile
from matchmaking.enums import ApplicationStatus, ProductStatus, Role
from matchmaking.fairs.applications import product_problem
from matchmaking.fairs.diagnose import Warning, allocation_warnings, waitlist_reason
from matchmaking.fairs.explain import Reason, run_reasons
from matchmaking.fairs.fairs import Window, is_owner, own_fair, visible_fair, window
from matchmaking.fairs.layout import booths_of, halls_of
from matchmaking.fairs.plan import FloorPlan, assignments_visible, floor_plan
from matchmaking.fairs.queries import application_products, assigned_codes, latest_run, producer_of
from matchmaking.models import (
    Account,
    AllocationRun,
    Booth,
    BoothApplication,
    BoothAssignment,
    Fair,
    Hall,
    Product,
)


@dataclass(frozen=True)
class FairPage:
    """A fair as the actor sees it: its window, the actor's own application and booths."""

    fair: Fair
    window: Window
    application: BoothApplication | None
    my_booths: list[str]
    is_owner: bool
    plan: FloorPlan
    reason: Reason | None = None


async def my_application(actor: Account | None, fair: Fair) -> BoothApplication | None:
    """The actor's application to `fair`, if the actor is a producer with one."""
    if actor is None or actor.role != Role.PRODUCER:
        return None
    producer = await producer_profile(actor)
    if producer is None:
        return None
    return await BoothApplication.get_or_none(fair=fair, producer=producer)


async def fair_page(actor: Account | None, fair_id: int, *, now: datetime) -> FairPage:
    fair = await visible_fair(actor, fair_id)
    application = await my_application(actor, fair)
    codes: list[str] = []
    if application is not None and assignments_visible(fair, actor):
        codes = sorted(str(code) for code in await BoothAssignment.filter(
            application=application).values_list("booth__code", flat=True))
    return FairPage(fair, window(fair, now), application, codes, is_owner(actor, fair),
                    await floor_plan(fair, actor), await waitlist_reason(application))


@dataclass(frozen=True)
class ApplyForm:
    """What the application form offers: the producer's products (and why some may not be
    shown), what it chose before, the booths and the floor plan."""

    fair: Fair
    products: list[Product]
    problems: dict[int, str | None]
    application: BoothApplication | None
    chosen: list[str]
    booths: list[Booth]
    plan: FloorPlan
    window: Window


async def apply_form(actor: Account | None, fair: Fair, *, now: datetime) -> ApplyForm:
    producer = await producer_profile(actor)
    products = [] if producer is None else await Product.filter(producer=producer).exclude(
        status=ProductStatus.ARCHIVED).order_by("name")
    application = await my_application(actor, fair)
    chosen = [] if application is None else [
        str(i) for i in await application.products.all().values_list("id", flat=True)]
    return ApplyForm(fair, products, {p.id: product_problem(fair, p) for p in products},
                     application, chosen, await booths_of(fair), await floor_plan(fair, None),
                     window(fair, now))


@dataclass(frozen=True)
class FairOverview:
    """The organiser's page of a fair: halls with their booth counts, every application."""

    fair: Fair
    halls: list[Hall]
    booth_counts: dict[int, int]
    applications: list[BoothApplication]
    products: dict[int, list[Product]]
    codes: dict[int, list[str]]
    run: AllocationRun | None
    window: Window
    warnings: list[Warning]


async def fair_overview(actor: Account | None, fair_id: int, *, now: datetime) -> FairOverview:
    fair = await own_fair(actor, fair_id)
    counts: dict[int, int] = {}
    for hall_id in cast(list[int], await Booth.filter(fair=fair).values_list("hall_id", flat=True)):
        counts[hall_id] = counts.get(hall_id, 0) + 1
    applications = await BoothApplication.filter(fair=fair).select_related("producer") \
        .order_by("status", "waitlist_position", "id")
    return FairOverview(fair, await halls_of(fair), counts, applications,
                        await application_products(applications), await assigned_codes(fair),
                        await latest_run(fair), window(fair, now), await allocation_warnings(fair))


@dataclass(frozen=True)
class Waiting:
    application_id: int
    position: int | None
    producer: str
    reason: Reason | None


@dataclass(frozen=True)
class AllocationReview:
    """The organiser's review of the allocation: who got which booths (in booth order), the
    waitlist in order, the booths still free."""

    fair: Fair
    run: AllocationRun | None
    accepted: list[BoothApplication]
    waitlisted: list[BoothApplication]
    codes: dict[int, list[str]]
    free: list[Booth]
    products: dict[int, list[Product]]
    reasons: dict[int, Reason]

    @property
    def waitlist(self) -> list[Waiting]:
        return [Waiting(a.id, a.waitlist_position, producer_of(a).name, self.reasons.get(a.id))
                for a in self.waitlisted]


async def allocation_review(actor: Account | None, fair_id: int) -> AllocationReview:
    """The review of one of the actor's fairs; another's is NotFound."""
    fair = await own_fair(actor, fair_id)
    applications = await BoothApplication.filter(
        fair=fair, status__in=(ApplicationStatus.ACCEPTED, ApplicationStatus.WAITLISTED)
    ).select_related("producer").order_by("status", "waitlist_position", "id")
    codes = await assigned_codes(fair)
    accepted = sorted((a for a in applications if a.status == ApplicationStatus.ACCEPTED),
                      key=lambda a: codes.get(a.id, ["~"])[0])
    waitlisted = [a for a in applications if a.status == ApplicationStatus.WAITLISTED]
    taken = {code for items in codes.values() for code in items}
    free = [b for b in await booths_of(fair) if b.code not in taken]
    run = await latest_run(fair)
    return AllocationReview(fair, run, accepted, waitlisted, codes, free,
                            await application_products(applications), run_reasons(run))
