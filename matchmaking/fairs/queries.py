"""Reads the fair modules share: applications in play, their products, the allocation run and
who holds which booth."""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

from matchmaking.enums import ApplicationStatus, RunStatus
from matchmaking.models import AllocationRun, BoothApplication, BoothAssignment, Fair, Producer, Product

KIND = "booths"
ACTIVE = (ApplicationStatus.SUBMITTED, ApplicationStatus.ACCEPTED, ApplicationStatus.WAITLISTED)


def producer_of(application: BoothApplication) -> Producer:
    """The application's producer, fetched beforehand with select_related."""
    return cast(Producer, application.producer)


async def application_products(applications: Sequence[BoothApplication]) -> dict[int, list[Product]]:
    """The products of each application, in one query."""
    through = await BoothApplication.filter(id__in=[a.id for a in applications]).values(
        "id", "products__id")
    product_ids = {row["products__id"] for row in through if row["products__id"]}
    products = {p.id: p for p in await Product.filter(id__in=product_ids)}
    result: dict[int, list[Product]] = {a.id: [] for a in applications}
    for row in through:
        if row["products__id"] in products:
            result[row["id"]].append(products[row["products__id"]])
    for items in result.values():
        items.sort(key=lambda p: p.id)
    return result




async def latest_run(fair: Fair) -> AllocationRun | None:
    """The draft or published booth allocation of the fair, if any."""
    return await AllocationRun.filter(fair=fair, kind=KIND).exclude(
        status=RunStatus.SUPERSEDED).order_by("-id").first()


async def assigned_codes(fair: Fair) -> dict[int, list[str]]:
    """Booth codes held by each application."""
    rows = await BoothAssignment.filter(fair=fair).values_list("application_id", "booth__code")
    codes: dict[int, list[str]] = {}
    for application_id, code in rows:
        codes.setdefault(application_id, []).append(code)
    return {key: sorted(value) for key, value in codes.items()}
