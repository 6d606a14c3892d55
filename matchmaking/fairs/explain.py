"""Why an application is on the waitlist, in plain words for the organiser and the producer.

The optimiser gives each waitlisted application a reason code (specs/booth-allocation.md); the
run's instance holds the figures (sizes, priorities, the province cap) the words quote.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, cast

from config.i18n import gettext as _
from matchmaking.models import AllocationRun
from matchmaking.optim.booths_reasons import NO_ZONE, OUTRANKED, PROVINCE_CAP, TOO_BIG


@dataclass(frozen=True)
class Reason:
    """Why one application is on the waitlist: the optimiser's code and its figures."""

    code: str
    booths: int
    weight: float
    last_accepted: float | None
    cap: int | None

    @property
    def words(self) -> str:
        """The reason in the current language, as the organiser and the producer read it."""
        if self.code == NO_ZONE:
            return _("No booth of this fair lies in a zone for your product group, nor in a "
                     "mixed zone.")
        if self.code == TOO_BIG:
            return _("There is no group of {n} connected booths in your zones, even with every "
                     "booth free.").format(n=self.booths)
        if self.code == PROVINCE_CAP:
            return _("Exhibitors from your province already hold {cap} booths, the most the fair "
                     "allows one province.").format(cap=self.cap)
        if self.last_accepted is None:
            return _("Applications with a higher priority took the booths in your zones "
                     "(your priority: {weight}).").format(weight=f"{self.weight:g}")
        return _("Applications with a higher priority took the booths in your zones: your "
                 "priority is {weight}, the last accepted in your zones had {last}.").format(
            weight=f"{self.weight:g}", last=f"{self.last_accepted:g}")


def _app_key(application_id: int) -> str:
    return f"app-{application_id}"


def run_reasons(run: AllocationRun | None) -> dict[int, Reason]:
    """application id -> why it is waitlisted, from a booth run's instance and result."""
    if run is None:
        return {}
    instance = cast(dict[str, Any], run.instance)
    result = cast(dict[str, Any], run.result)
    codes: Mapping[str, str] = result.get("reasons") or {}
    apps = {a["id"]: a for a in instance.get("applications", [])}
    booths = instance.get("booths", [])
    zone_of = {b["id"]: b["zone"] for b in booths}
    cap = (instance.get("rules") or {}).get("province_cap")
    limit = None if cap is None else math.ceil(cap * len(booths) - 1e-9)
    accepted: Mapping[str, list[str]] = result.get("assignments") or {}
    reasons = {}
    for key, code in codes.items():
        app = apps.get(key)
        if app is None:
            continue
        zones = set(app["zones"])
        rivals = [apps[other]["weight"] for other, held in accepted.items()
                  if other in apps and any(zone_of.get(b) in zones for b in held)]
        reasons[int(key.removeprefix("app-"))] = Reason(
            code=code, booths=int(app["booths"]), weight=float(app["weight"]),
            last_accepted=float(min(rivals)) if code == OUTRANKED and rivals else None, cap=limit)
    return reasons


