"""What the organiser and producers are told about an allocation: warnings before a run (what in
the halls will strand applicants) and, after it, why an application is on the waitlist."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from matchmaking.enums import ApplicationStatus
from matchmaking.fairs.allocation import build_instance, parse_app_id
from matchmaking.fairs.explain import Reason, run_reasons
from matchmaking.fairs.fairs import own_fair
from matchmaking.fairs.grid import MIXED
from matchmaking.fairs.queries import latest_run
from matchmaking.models import Account, Booth, BoothApplication, Fair
from matchmaking.optim.booths_reasons import TOO_BIG, empty_floor_reasons


@dataclass(frozen=True)
class Warning:
    """Something in the halls that will strand applicants: `kind` is what, the rest its figures.

    kinds: "no_zone" (an admitted group has no zone), "short" (a zone has fewer booths than its
    applications want), "too_big" (an application cannot fit anywhere).
    """

    kind: str
    group: str = ""
    booths: int = 0
    wanted: int = 0
    mixed: int = 0
    producer: str = ""


async def allocation_warnings(fair: Fair) -> list[Warning]:
    """What the organiser should fix before running: admitted groups with no zone, zones with
    fewer booths than their applications want, applications that cannot fit anywhere."""
    instance = await build_instance(fair)
    zones: Counter[str] = Counter(
        str(z) for z in await Booth.filter(fair=fair).values_list("zone", flat=True))
    mixed = zones.get(MIXED, 0)
    warnings: list[Warning] = []
    if not zones:
        return warnings
    for group in fair.groups_admitted:
        if not zones.get(group):
            warnings.append(Warning("no_zone", group=group, mixed=mixed))
    wanted: Counter[str] = Counter()
    for app in instance["applications"]:
        wanted[app["zones"][0]] += int(app["booths"])
    for group, count in sorted(wanted.items()):
        if zones.get(group) and count > zones[group]:
            warnings.append(Warning("short", group=group, booths=zones[group], wanted=count,
                                    mixed=mixed))
        elif not zones.get(group) and group not in fair.groups_admitted:
            warnings.append(Warning("no_zone", group=group, mixed=mixed))
    stuck = {parse_app_id(key) for key, code in empty_floor_reasons(instance).items()
             if code == TOO_BIG}
    apps = {parse_app_id(a["id"]): a for a in instance["applications"]}
    for application in await BoothApplication.filter(id__in=sorted(stuck)) \
            .select_related("producer").order_by("id"):
        app = apps[application.id]
        warnings.append(Warning("too_big", group=app["zones"][0], wanted=int(app["booths"]),
                                producer=application.producer.name))
    return warnings


async def organiser_warnings(actor: Account | None, fair_id: int) -> list[Warning]:
    """The organiser's pre-run warnings for one of its fairs."""
    return await allocation_warnings(await own_fair(actor, fair_id))


async def waitlist_reason(application: BoothApplication | None) -> Reason | None:
    """Why a waitlisted application got no booth in the fair's current run, or None."""
    if application is None or application.status != ApplicationStatus.WAITLISTED:
        return None
    fair = await Fair.get(id=application.fair_id)
    return run_reasons(await latest_run(fair)).get(application.id)
