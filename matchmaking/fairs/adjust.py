"""After the optimiser: the organiser moves an exhibitor to other booths (cancellations and
withdrawals are in fairs.changes).

Assignments are exclusive through the (fair, booth) unique constraint: every write here runs
in a transaction, and a concurrent write that took the same booth makes this one fail cleanly.
"""

from __future__ import annotations

from collections.abc import Sequence

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from config.i18n import gettext as _
from matchmaking import audit
from matchmaking.enums import ApplicationStatus, FairStatus
from matchmaking.errors import NotFound, ValidationFailed
from matchmaking.fairs.changes import renumber_waitlist, taken_error
from matchmaking.fairs.fairs import own_fair
from matchmaking.fairs.grid import adjacency, is_connected
from matchmaking.fairs.notify import (
    moved_message,
    tell_producers,
)
from matchmaking.fairs.policy import zones_for
from matchmaking.fairs.queries import application_products, latest_run
from matchmaking.models import Account, Booth, BoothApplication, BoothAssignment, Fair


async def move_exhibitor(
    actor: Account | None, fair_id: int, application_id: int, codes: Sequence[str], *,
    public_url: str,
) -> BoothApplication:
    """Give an accepted or waitlisted application these booths instead of its own.

    Checked: the booths are free, in a zone its products may use, connected, and as many as it
    asked for. A waitlisted application becomes accepted. Published fairs notify the producer.
    """
    fair = await own_fair(actor, fair_id)
    if fair.status not in (FairStatus.ALLOCATED, FairStatus.PUBLISHED):
        raise ValidationFailed({"fair": _("Run the allocation first.")})
    application = await BoothApplication.get_or_none(id=application_id, fair=fair)
    if application is None:
        raise NotFound("application")
    if application.status not in (ApplicationStatus.ACCEPTED, ApplicationStatus.WAITLISTED):
        raise ValidationFailed({"booths": _("Only accepted or waitlisted exhibitors can be moved.")})
    wanted = list(dict.fromkeys(c.strip() for c in codes if c.strip()))
    booths = await Booth.filter(fair=fair, code__in=wanted)
    products = (await application_products([application]))[application.id]
    _check_group(fair, application, wanted, booths, zones_for(products) if products else [],
                 await Booth.filter(fair=fair))
    run = await latest_run(fair)
    was_waitlisted = application.status == ApplicationStatus.WAITLISTED
    try:
        async with in_transaction():
            taken = await BoothAssignment.filter(fair=fair, booth_id__in=[b.id for b in booths]) \
                .exclude(application=application).values_list("booth__code", flat=True)
            if taken:
                raise ValidationFailed({"booths": _("Booths {codes} are already assigned.").format(
                    codes=", ".join(sorted(str(code) for code in taken)))})
            await BoothAssignment.filter(application=application).delete()
            for booth in booths:
                await BoothAssignment.create(fair=fair, booth=booth, application=application, run=run)
            application.status = ApplicationStatus.ACCEPTED
            application.waitlist_position = None
            await application.save(update_fields=["status", "waitlist_position"])
            if was_waitlisted:
                await renumber_waitlist(fair)
            if fair.status == FairStatus.PUBLISHED:
                await tell_producers(fair, [(application, "booths.moved",
                                             moved_message(fair, sorted(wanted)))],
                                     public_url=public_url)
            await audit.record("allocation.move", actor=actor, target_type="booth_application",
                               target_id=application.id, detail={"booths": sorted(wanted)})
    except IntegrityError:
        raise taken_error() from None
    return application


def _check_group(fair: Fair, application: BoothApplication, wanted: list[str],
                 booths: Sequence[Booth], zones: list[str], all_booths: Sequence[Booth]) -> None:
    found = {b.code for b in booths}
    problems: list[str] = []
    if len(wanted) != application.booths_wanted:
        problems.append(_("Choose exactly {n} booths, as many as the exhibitor asked for.").format(
            n=application.booths_wanted))
    unknown = [code for code in wanted if code not in found]
    if unknown:
        problems.append(_("This fair has no booth {codes}.").format(codes=", ".join(unknown)))
    outside = sorted(b.code for b in booths if b.zone not in zones)
    if outside:
        problems.append(_("Booths {codes} are in zones this exhibitor's products may not use.")
                        .format(codes=", ".join(outside)))
    neighbours = adjacency((b.code, b.hall_id, b.x, b.y, b.w, b.h) for b in all_booths)
    if found and not unknown and not is_connected(found, neighbours):
        problems.append(_("The booths must form one connected group."))
    if problems:
        raise ValidationFailed({"booths": " ".join(problems)})








