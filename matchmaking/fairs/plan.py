"""What a fair's floor plan, booth panels and exhibitor directory show, and to whom.

Assignments are public once the allocation is published; a draft is the organiser's alone.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import cast

from config.i18n import gettext as _
from matchmaking.catalogue.certification import is_certified
from matchmaking.catalogue.pages import first_photos
from matchmaking.enums import ApplicationStatus, FairStatus, ProductStatus
from matchmaking.errors import NotFound
from matchmaking.fairs.fairs import is_owner
from matchmaking.fairs.queries import application_products, producer_of
from matchmaking.models import (
    Account,
    Booth,
    BoothApplication,
    BoothAssignment,
    Fair,
    Hall,
    Producer,
    Product,
    ProductImage,
)
from matchmaking.places import short_province_name
from matchmaking.spreadsheets import safe_row

SCALE = 16  # SVG pixels per grid unit
MARGIN = 4


def assignments_visible(fair: Fair, actor: Account | None) -> bool:
    return fair.status == FairStatus.PUBLISHED or is_owner(actor, fair)


@dataclass(frozen=True)
class BoothCell:
    """One booth as drawn: its rectangle in SVG pixels and what colours it."""

    code: str
    zone: str
    kind: str
    state: str  # free, assigned, wanted (free but preferred by a waiting applicant), yours
    x: int
    y: int
    w: int
    h: int
    exhibitor: str = ""
    holder_id: int | None = None  # the application holding it, when assignments are visible
    # What the page marks on top of the state: chosen (a preference in the producer's draft),
    # moving (the exhibitor the organiser moves), picked (its new booths), closed (a zone its
    # products may not use); `rank` numbers chosen and picked booths.
    mark: str = ""
    rank: int = 0

    @property
    def label_x(self) -> int:
        return self.x + self.w // 2

    @property
    def label_y(self) -> int:
        return self.y + self.h // 2 + 4

    @property
    def taken(self) -> bool:
        return self.state in ("assigned", "yours")


@dataclass(frozen=True)
class HallPlan:
    name: str
    width: int
    height: int
    cells: list[BoothCell]


@dataclass(frozen=True)
class FloorPlan:
    halls: list[HallPlan]
    shows_assignments: bool
    draft: bool
    zones: list[str] = field(default_factory=list)

    @property
    def shown(self) -> set[str]:
        """The states and marks some booth of the plan has, for the legend."""
        return {item for hall in self.halls for cell in hall.cells for item in (cell.state, cell.mark)}

    def marked(self, mark: Callable[[BoothCell], tuple[str, int] | None]) -> FloorPlan:
        """The same plan with `mark(cell)` = (mark, rank) put on the cells it names."""
        halls = []
        for hall in self.halls:
            cells = []
            for cell in hall.cells:
                found = mark(cell)
                cells.append(cell if found is None else replace(cell, mark=found[0], rank=found[1]))
            halls.append(replace(hall, cells=cells))
        return replace(self, halls=halls)


def mark_preferences(plan: FloorPlan, preferences: Sequence[str],
                     zones: Sequence[str] | None = None) -> FloorPlan:
    """The plan with the producer's preferred booths marked `chosen`, numbered in order, and,
    given the `zones` its products may use, the free booths elsewhere marked `closed`."""
    rank = {code: n for n, code in enumerate(preferences, start=1)}

    def mark(cell: BoothCell) -> tuple[str, int] | None:
        if cell.code in rank:
            return "chosen", rank[cell.code]
        if zones is not None and not cell.taken and cell.zone not in zones:
            return "closed", 0
        return None

    return plan.marked(mark)


async def _holders(fair: Fair) -> dict[int, BoothApplication]:
    """The application holding each booth id, with its producer."""
    rows = await BoothAssignment.filter(fair=fair).select_related("application__producer")
    return {row.booth_id: row.application for row in rows}


async def floor_plan(fair: Fair, actor: Account | None) -> FloorPlan:
    visible = assignments_visible(fair, actor)
    organiser = is_owner(actor, fair)
    halls = await Hall.filter(fair=fair).order_by("name")
    booths = await Booth.filter(fair=fair).order_by("y", "x")
    holders = await _holders(fair) if visible else {}
    wanted: set[str] = set()
    if organiser:
        waiting = cast(list[list[str]], await BoothApplication.filter(
            fair=fair, status__in=(ApplicationStatus.SUBMITTED, ApplicationStatus.WAITLISTED)
        ).values_list("preferences", flat=True))
        wanted = {code for preferences in waiting for code in preferences}
    own = await Producer.get_or_none(owner=actor) if actor is not None else None
    plans = []
    for hall in halls:
        cells = []
        for booth in (b for b in booths if b.hall_id == hall.id):
            holder = holders.get(booth.id)
            if holder is not None:
                mine = own is not None and holder.producer_id == own.id
                state, exhibitor = ("yours" if mine else "assigned"), producer_of(holder).name
            else:
                state, exhibitor = ("wanted" if booth.code in wanted else "free"), ""
            cells.append(BoothCell(
                code=booth.code, zone=booth.zone, kind=str(booth.kind), state=state,
                x=MARGIN + booth.x * SCALE, y=MARGIN + booth.y * SCALE,
                w=booth.w * SCALE, h=booth.h * SCALE, exhibitor=exhibitor,
                holder_id=holder.id if holder is not None else None))
        plans.append(HallPlan(hall.name, hall.width * SCALE + 2 * MARGIN,
                              hall.height * SCALE + 2 * MARGIN, cells))
    zones = sorted({b.zone for b in booths})
    return FloorPlan(plans, visible, visible and fair.status != FairStatus.PUBLISHED, zones)


@dataclass(frozen=True)
class BoothPanel:
    booth: Booth
    hall: str
    exhibitor: Producer | None
    products: list[Product]
    stars: int | None
    application: BoothApplication | None
    wanted_by: int
    photos: dict[int, ProductImage] = field(default_factory=dict)  # of published products


def best_stars(fair: Fair, products: list[Product]) -> int | None:
    rated = [p.verified_stars for p in products if p.verified_stars and is_certified(p, fair.ends_on)]
    return max(rated) if rated else None


async def booth_panel(fair: Fair, code: str, actor: Account | None) -> BoothPanel:
    booth = await Booth.get_or_none(fair=fair, code=code).select_related("hall")
    if booth is None:
        raise NotFound("booth")
    holder = None
    if assignments_visible(fair, actor):
        assignment = await BoothAssignment.get_or_none(fair=fair, booth=booth) \
            .select_related("application__producer")
        holder = assignment.application if assignment else None
    products = (await application_products([holder]))[holder.id] if holder else []
    wanted_by = 0
    if is_owner(actor, fair):
        preferences = cast(list[list[str]], await BoothApplication.filter(fair=fair).exclude(
            status__in=(ApplicationStatus.WITHDRAWN, ApplicationStatus.REJECTED)
        ).values_list("preferences", flat=True))
        wanted_by = sum(1 for p in preferences if code in p)
    return BoothPanel(booth=booth, hall=booth.hall.name,
                      exhibitor=producer_of(holder) if holder else None, products=products,
                      stars=best_stars(fair, products), application=holder, wanted_by=wanted_by,
                      photos=await first_photos(
                          [p.id for p in products if p.status == ProductStatus.PUBLISHED]))


@dataclass(frozen=True)
class DirectoryEntry:
    exhibitor: str
    province: str
    booths: list[str]
    zone: str
    products: list[Product]
    stars: int | None
    producer_id: int
    # The first photo of each published product that has one (each links to its product page).
    photos: list[tuple[Product, ProductImage]] = field(default_factory=list)


async def directory(fair: Fair, actor: Account | None) -> list[DirectoryEntry]:
    """Exhibitors in booth order; empty until the actor may see the assignments."""
    if not assignments_visible(fair, actor):
        return []
    rows = await BoothAssignment.filter(fair=fair).select_related("booth", "application__producer")
    by_application: dict[int, list[BoothAssignment]] = {}
    for row in rows:
        by_application.setdefault(row.application_id, []).append(row)
    applications = [items[0].application for items in by_application.values()]
    products = await application_products(applications)
    photos = await first_photos([p.id for listed in products.values() for p in listed])
    entries = []
    for application in applications:
        held = sorted(by_application[application.id], key=lambda r: r.booth.code)
        producer = producer_of(application)
        entries.append(DirectoryEntry(
            exhibitor=producer.name, province=short_province_name(producer.province_code),
            booths=[r.booth.code for r in held], zone=held[0].booth.zone,
            products=products[application.id],
            stars=best_stars(fair, products[application.id]), producer_id=producer.id,
            photos=[(p, photos[p.id]) for p in products[application.id]
                    if p.id in photos and p.status == ProductStatus.PUBLISHED]))
    return sorted(entries, key=lambda e: e.booths[0])


def directory_csv(entries: list[DirectoryEntry], *, zone_label: Callable[[str], str] = str) -> str:
    """The directory as CSV (UTF-8 with a BOM, so spreadsheet programs read the accents), zones
    named by `zone_label` in the reader's language."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow([_("Booths"), _("Exhibitor"), _("Province"), _("Zone"), _("Stars"),
                     _("Products")])
    for entry in entries:
        writer.writerow(safe_row([" ".join(entry.booths), entry.exhibitor, entry.province,
                                  zone_label(entry.zone), entry.stars or "",
                                  "; ".join(p.name for p in entry.products)]))
    return out.getvalue()
