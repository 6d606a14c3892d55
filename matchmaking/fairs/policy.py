"""The fair's priority policy as numbers: what an application weighs, what a wished booth is
worth, which zones its products may use. The allocator and the waitlist refill both read it."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from matchmaking.catalogue.certification import is_certified
from matchmaking.fairs.grid import MIXED
from matchmaking.models import BoothApplication, Fair, Product

STAR_WEIGHT = {3: 300, 4: 400, 5: 500}
UNRATED_WEIGHT = 200
# Each 10 % of the share kept for first-time exhibitors is worth one star (100).
FIRST_TIMER_SCALE = 1000
PREFERENCE_BONUS = (60, 50, 40, 30, 20, 10)
COMPETITOR_PENALTY = 30


def weight(fair: Fair, application: BoothApplication, products: Sequence[Product]) -> int:
    """The best certified rating among its products (3★ 300, 4★ 400, 5★ 500, else 200), plus a
    first-time bonus sized by the fair's first_timer_share."""
    stars = max((p.verified_stars or 0 for p in products if is_certified(p, fair.ends_on)),
                default=0)
    value = STAR_WEIGHT.get(stars, UNRATED_WEIGHT)
    if application.first_time:
        value += round(FIRST_TIMER_SCALE * fair.first_timer_share)
    return value


def preference_bonus(codes: Sequence[str]) -> dict[str, int]:
    """What each wished booth is worth, by rank: the first 60, then 50, ... the sixth 10."""
    return dict(zip(codes, PREFERENCE_BONUS, strict=False))


def main_group(products: Sequence[Product]) -> tuple[str, str]:
    """The group and sub-group most of the products belong to (the first product breaks ties)."""
    # max() keeps the first of equal counts, and dict.fromkeys keeps the products' order.
    groups = Counter(str(p.group) for p in products)
    group = max(dict.fromkeys(str(p.group) for p in products), key=groups.__getitem__)
    in_group = [p.subgroup for p in products if str(p.group) == group]
    subgroups = Counter(in_group)
    subgroup = max(dict.fromkeys(in_group), key=subgroups.__getitem__)
    return group, subgroup


def zones_for(products: Sequence[Product]) -> list[str]:
    """The zones an application's booths may lie in: its main group's, or mixed."""
    return [main_group(products)[0], MIXED]
