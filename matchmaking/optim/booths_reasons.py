"""Why each waitlisted application was left out (specs/booth-allocation.md, `reasons`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from matchmaking.optim.booths_core import Group, Problem, build_problem
from matchmaking.optim.booths_model import parse_booth_instance

NO_ZONE = "no_zone"
TOO_BIG = "too_big"
PROVINCE_CAP = "province_cap"
OUTRANKED = "outranked"
REASONS = (NO_ZONE, TOO_BIG, PROVINCE_CAP, OUTRANKED)


def waitlist_reasons(problem: Problem, assignment: Mapping[int, Group]) -> dict[int, str]:
    """The first reason that applies to each application not in `assignment`.

    no_zone: no booth lies in any of its zones; too_big: no connected group of its size lies in
    its zones even on an empty floor; province_cap: its province's accepted booths plus its own
    would pass the cap; outranked: it would fit, but applications worth more took the space.
    """
    zones_present = set(problem.zone)
    held: dict[int, int] = {}
    for app, group in assignment.items():
        held[problem.province[app]] = held.get(problem.province[app], 0) + len(group)
    limit = problem.province_limit
    reasons: dict[int, str] = {}
    for app in range(problem.n_apps):
        if app in assignment:
            continue
        if not problem.allowed[app] & zones_present:
            reasons[app] = NO_ZONE
        elif not problem.placements(app):
            reasons[app] = TOO_BIG
        elif limit is not None and held.get(problem.province[app], 0) + problem.size[app] > limit:
            reasons[app] = PROVINCE_CAP
        else:
            reasons[app] = OUTRANKED
    return reasons


def empty_floor_reasons(instance: Mapping[str, Any]) -> dict[str, str]:
    """Applications that cannot get a booth whatever the others do: id -> no_zone or too_big."""
    problem = build_problem(parse_booth_instance(instance))
    apps = problem.instance.applications
    return {apps[a].id: why for a, why in sorted(waitlist_reasons(problem, {}).items())
            if why in (NO_ZONE, TOO_BIG)}
