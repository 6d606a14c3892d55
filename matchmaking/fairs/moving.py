"""The organiser moves an exhibitor on the floor plan: pick the exhibitor (or its booth), tap
its new booths, then confirm. The move itself is fairs.adjust.move_exhibitor, with its checks."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from config.i18n import gettext as _
from matchmaking.enums import ApplicationStatus, RunStatus
from matchmaking.errors import NotFound, ValidationFailed
from matchmaking.fairs.pages import allocation_review
from matchmaking.fairs.plan import BoothCell, FloorPlan, floor_plan
from matchmaking.fairs.policy import zones_for
from matchmaking.fairs.queries import producer_of
from matchmaking.models import Account, Fair


@dataclass(frozen=True)
class Mover:
    """An exhibitor the organiser may move: accepted with booths, or waiting for some."""

    application_id: int
    exhibitor: str
    booths: list[str]
    booths_wanted: int
    waitlisted: bool
    zones: list[str]  # where its products may go


@dataclass(frozen=True)
class MovePlan:
    """The plan as the organiser moves `moving` (None until one is picked) to `picks`."""

    fair: Fair
    plan: FloorPlan
    draft: bool
    movers: list[Mover]
    moving: Mover | None
    picks: list[str]

    @property
    def complete(self) -> bool:
        return self.moving is not None and len(self.picks) == self.moving.booths_wanted

    def tap(self, cell: BoothCell) -> tuple[int, list[str]] | None:
        """What tapping `cell` picks: (exhibitor, new booths), or None when it does nothing.

        Another exhibitor's booth picks that exhibitor; a free booth (or one of the moving
        exhibitor's own) in an allowed zone is added to the new booths or taken out again,
        the oldest pick giving way once there are as many as the exhibitor asked for."""
        moving = self.moving
        if cell.holder_id is not None and (moving is None or cell.holder_id != moving.application_id):
            return cell.holder_id, []
        if moving is None or cell.mark == "closed":
            return None
        picks = [code for code in self.picks if code != cell.code]
        if len(picks) == len(self.picks):
            picks = [*picks, cell.code][-moving.booths_wanted:]
        return moving.application_id, picks


def _check_picks(plan: FloorPlan, moving: Mover, picks: list[str]) -> None:
    cells = {cell.code: cell for hall in plan.halls for cell in hall.cells}
    unknown = [code for code in picks if code not in cells]
    if unknown:
        raise ValidationFailed({"booths": _("This fair has no booth {codes}.").format(
            codes=", ".join(unknown))})
    taken = [code for code in picks
             if cells[code].holder_id not in (None, moving.application_id)]
    if taken:
        raise ValidationFailed({"booths": _("Booths {codes} are already assigned.").format(
            codes=", ".join(taken))})
    outside = [code for code in picks if cells[code].zone not in moving.zones]
    if outside:
        raise ValidationFailed({"booths": _(
            "Booths {codes} are in zones this exhibitor's products may not use.").format(
            codes=", ".join(outside))})
    if len(picks) > moving.booths_wanted:
        raise ValidationFailed({"booths": _(
            "Choose exactly {n} booths, as many as the exhibitor asked for.").format(
            n=moving.booths_wanted)})


async def move_plan(actor: Account | None, fair_id: int, *, application_id: int | None = None,
                    picks: Sequence[str] = ()) -> MovePlan:
    """The floor plan of one of the actor's fairs for moving an exhibitor (another organiser's
    fair, or an application not accepted or waitlisted there, is NotFound). Picks that could
    not be given (unknown, taken, in a closed zone, too many) raise ValidationFailed."""
    review = await allocation_review(actor, fair_id)
    movers = [
        Mover(a.id, producer_of(a).name, review.codes.get(a.id, []), a.booths_wanted,
              a.status == ApplicationStatus.WAITLISTED,
              zones_for(review.products[a.id]) if review.products[a.id] else [])
        for a in [*review.accepted, *review.waitlisted]
    ]
    plan = await floor_plan(review.fair, actor)
    draft = review.run is not None and review.run.status == RunStatus.DRAFT
    moving = None
    if application_id is not None:
        moving = next((m for m in movers if m.application_id == application_id), None)
        if moving is None:
            raise NotFound("application")
    chosen = list(dict.fromkeys(code.strip() for code in picks if code.strip()))
    if moving is None:
        return MovePlan(review.fair, plan, draft, movers, None, [])
    _check_picks(plan, moving, chosen)
    rank = {code: n for n, code in enumerate(chosen, start=1)}
    mover = moving

    def mark(cell: BoothCell) -> tuple[str, int] | None:
        if cell.code in rank:
            return "picked", rank[cell.code]
        if cell.holder_id == mover.application_id:
            return "moving", 0
        if cell.holder_id is None and cell.zone not in mover.zones:
            return "closed", 0
        return None

    return MovePlan(review.fair, plan.marked(mark), draft, movers, moving, chosen)
