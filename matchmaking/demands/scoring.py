"""How well a product fits a buyer's demand: a weighted sum of named components, with reasons.

Pure: plain facts in, a score out; no database, no search. Every component lies in [0, 1] and the
score is their weighted sum (weights add up to 1), so a score reads as a percentage.

| component   | weight | 1.0 means                                   | 0.0 means                          |
|-------------|--------|---------------------------------------------|------------------------------------|
| relevance   | 0.20   | the search engine's best text match          | no word of the demand matched      |
| group       | 0.10   | same group and sub-group (others excluded)   | -                                  |
| stars       | 0.15   | two stars above the minimum, or 5 stars      | unrated                            |
| marks       | 0.10   | every required mark (a missing one excludes) | -                                  |
| price       | 0.15   | 30% or more below the buyer's maximum        | 50% or more above it               |
| capacity    | 0.10   | one month's output covers the quantity       | nothing usable (or units differ)   |
| distance    | 0.10   | same province                                | 1,500 km or more away              |
| certificate | 0.10   | valid on the needed-by date                  | no certificate                     |

Hard rules exclude a product (`score_product` returns None): another group, or another sub-group
when the demand names one (it is not what the buyer asked for), and the buyer's own rules
(`misses` says which): the minimum stars, certified on the needed-by date (unrated counts as
none), and every required quality mark. So a product that fails them never ranks above one that
meets them; `shortfalls` words the misses for the buyer's page of near misses
(matchmaking.demands.near_misses). Everything else only lowers the score: a price above the
target, a small capacity (a consortium can add up), distance.

Prices compare per the unit of the demand's target (`price_unit`), through matchmaking.units;
a product whose unit does not convert gets a neutral price component and the reason "price not
comparable", never a percentage.

Reasons are language-neutral codes with parameters (matchmaking.demands.reasons); the matching
job stores both the codes (in `Match.components["reasons"]`) and their Vietnamese text (in
`Match.reasons`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from matchmaking import units
from matchmaking.catalogue.certification import counts_as_certified
from matchmaking.demands.reasons import MARK_NAMES, Reason
from matchmaking.places import distance_km

WEIGHTS: dict[str, float] = {
    "relevance": 0.20,
    "group": 0.10,
    "stars": 0.15,
    "marks": 0.10,
    "price": 0.15,
    "capacity": 0.10,
    "distance": 0.10,
    "certificate": 0.10,
}
FAR_KM = 1_500.0  # about Hà Nội to TP Hồ Chí Minh: the far end of the distance scale
CHEAP_SHARE = 0.30  # this much below the buyer's maximum counts as the best price
DEAR_SHARE = 0.50  # this much above the maximum scores zero on price
STAR_VALUE = {3: 0.6, 4: 0.8, 5: 1.0}  # without a minimum: OCOP stars as a quality signal



def unit_factor(from_unit: str, to_unit: str, net: units.Net | None = None) -> float | None:
    """How many `to_unit` one `from_unit` is (tấn -> kg: 1000), or None if they do not convert;
    `net` is the content of one `from_unit` container."""
    return units.factor(from_unit, to_unit, from_net=net)


@dataclass(frozen=True)
class DemandFacts:
    """What scoring needs of a demand."""

    id: int
    quantity: float
    unit: str
    delivery_province_code: int
    needed_by: date
    group: str | None = None
    subgroup: str | None = None
    monthly: bool = False
    max_price_vnd: int | None = None
    min_stars: int | None = None
    required_marks: tuple[str, ...] = ()
    price_unit: str | None = None  # the unit the target price is per (None: `unit`)

    @property
    def target_unit(self) -> str:
        return self.price_unit or self.unit


@dataclass(frozen=True)
class ProductFacts:
    """What scoring (and sourcing) needs of a published product."""

    id: int
    producer_id: int
    group: str
    subgroup: str
    price_vnd: int
    unit: str
    min_order: float
    monthly_capacity: float
    province_code: int
    stars: int | None = None
    certificate_expiry: date | None = None
    quality_marks: tuple[str, ...] = ()
    net: units.Net | None = None  # a container's content


@dataclass(frozen=True)
class Scored:
    """A product's score for a demand, its components and its reasons."""

    product_id: int
    producer_id: int
    score: float
    components: dict[str, float]
    reasons: tuple[Reason, ...]


def excluded(demand: DemandFacts, product: ProductFacts) -> bool:
    """Not the product asked for: another group, or another sub-group when the demand names one."""
    if demand.group is not None and product.group != demand.group:
        return True
    return demand.subgroup is not None and product.subgroup != demand.subgroup


def misses(demand: DemandFacts, product: ProductFacts) -> tuple[Reason, ...]:
    """The buyer's hard rules the product fails: stars certified on the needed-by date, marks."""
    found: list[Reason] = []
    if not _holds_stars(demand, product):
        found.append(Reason("stars_below", {"stars": demand.min_stars}))
    found += [Reason("mark_missing", {"mark": m}) for m in demand.required_marks
              if m not in product.quality_marks]
    return tuple(found)


def shortfalls(demand: DemandFacts, product: ProductFacts) -> tuple[Reason, ...]:
    """`misses` as a buyer reads them: the stars held against the minimum ("3 sao, cần 4 sao"),
    a certificate that lapses before the needed-by date, each missing mark by name."""
    found: list[Reason] = []
    for miss in misses(demand, product):
        if miss.code == "mark_missing":
            found.append(Reason("no_mark", miss.params))
        elif _rated(product) is None or product.certificate_expiry is None:
            found.append(Reason("uncertified", {"needed": demand.min_stars}))
        elif product.stars is not None and demand.min_stars is not None \
                and product.stars < demand.min_stars:
            found.append(Reason("stars_short", {"stars": product.stars, "needed": demand.min_stars}))
        else:
            found.append(Reason("certificate_lapses"))
    return tuple(found)


def _group(demand: DemandFacts, product: ProductFacts) -> float:
    if demand.subgroup is None:
        return 1.0 if demand.group is None or product.group == demand.group else 0.0
    return 1.0 if product.subgroup == demand.subgroup else 0.5


def _rated(product: ProductFacts) -> int | None:
    return product.stars if product.stars is not None and product.stars >= 3 else None


def _stars(demand: DemandFacts, product: ProductFacts) -> float:
    stars = _rated(product)
    if stars is None:
        return 0.0
    if demand.min_stars is None:
        return STAR_VALUE[stars]
    return min(1.0, 0.7 + 0.15 * (stars - demand.min_stars))


def _marks(demand: DemandFacts, product: ProductFacts) -> float:
    if not demand.required_marks:
        return 1.0
    held = product.quality_marks
    return sum(mark in held for mark in demand.required_marks) / len(demand.required_marks)


def _price_gap(demand: DemandFacts, product: ProductFacts) -> float | None:
    """(price - maximum) / maximum, per the target's unit; None without a maximum or units."""
    if demand.max_price_vnd is None:
        return None
    price = units.price_in(product.price_vnd, product.unit, demand.target_unit, net=product.net)
    return None if price is None else (price - demand.max_price_vnd) / demand.max_price_vnd


def _price(demand: DemandFacts, product: ProductFacts) -> float:
    gap = _price_gap(demand, product)
    if gap is None:
        return 0.5
    if gap <= 0:
        return 0.8 + 0.2 * min(1.0, -gap / CHEAP_SHARE)
    return max(0.0, 0.6 * (1 - gap / DEAR_SHARE))


def capacity_share(demand: DemandFacts, product: ProductFacts) -> float | None:
    """The share of the demand's quantity one month of the product's output covers (at most 1)."""
    factor = unit_factor(product.unit, demand.unit, product.net)
    if factor is None:
        return None
    if product.min_order * factor > demand.quantity + 1e-9:
        return 0.0
    return min(1.0, product.monthly_capacity * factor / demand.quantity)


def _capacity(demand: DemandFacts, product: ProductFacts) -> float:
    return capacity_share(demand, product) or 0.0


@lru_cache(maxsize=4_096)
def _km(province_a: int, province_b: int) -> float | None:
    return distance_km(province_a, province_b)


def _distance(demand: DemandFacts, product: ProductFacts) -> float:
    if product.province_code == demand.delivery_province_code:
        return 1.0
    km = _km(product.province_code, demand.delivery_province_code)
    return 0.5 if km is None else max(0.0, 1 - km / FAR_KM)


def _certificate(demand: DemandFacts, product: ProductFacts) -> float:
    expiry = product.certificate_expiry
    if _rated(product) is None or expiry is None:
        return 0.0
    return 0.3 if expiry < demand.needed_by else 1.0


def explain(demand: DemandFacts, product: ProductFacts) -> tuple[Reason, ...]:
    """The plain-language reasons for a product's components, most telling first."""
    reasons: list[Reason] = list(misses(demand, product))
    stars = _rated(product)
    if stars is not None:
        reasons.append(Reason("stars", {"stars": stars}))
    if demand.required_marks:
        reasons += [Reason("mark", {"mark": m}) for m in demand.required_marks
                    if m in product.quality_marks]
    else:
        reasons += [Reason("mark", {"mark": m}) for m in product.quality_marks if m in MARK_NAMES][:2]
    if product.province_code == demand.delivery_province_code:
        reasons.append(Reason("same_province", {"province_code": product.province_code}))
    elif (km := _km(product.province_code, demand.delivery_province_code)) is not None:
        reasons.append(Reason("distance", {"km": round(km)}))
    share = capacity_share(demand, product)
    suffix = "_monthly" if demand.monthly else ""
    if share == 0.0:
        reasons.append(Reason("min_order_above"))
    elif share is not None and share >= 1.0:
        reasons.append(Reason("covers_all" + suffix))
    elif share is not None:
        reasons.append(Reason("covers_share" + suffix, {"percent": max(1, int(share * 100))}))
    gap = _price_gap(demand, product)
    if gap is None and demand.max_price_vnd is not None:
        reasons.append(Reason("price_incomparable", {"unit": product.unit,
                                                     "target_unit": demand.target_unit}))
    if gap is not None:
        percent = round(abs(gap) * 100)
        if gap > 0:
            reasons.append(Reason("price_above", {"percent": max(1, percent)}))
        else:
            reasons.append(Reason("price_below", {"percent": percent}) if percent else Reason("price_at"))
    if stars is None or product.certificate_expiry is None:
        reasons.append(Reason("no_certificate"))
    elif product.certificate_expiry < demand.needed_by and demand.min_stars is None:
        reasons.append(Reason("certificate_lapses"))
    return tuple(reasons)


_NAMES = tuple(WEIGHTS)
_ROUNDED: dict[float, float] = {}


def _round4(value: float) -> float:
    """round(value, 4), remembered: rounding to digits is slow, and a full run rounds a few
    thousand distinct component values (of prices, distances, capacities) a million times."""
    rounded = _ROUNDED.get(value)
    if rounded is None:
        if len(_ROUNDED) >= 100_000:
            _ROUNDED.clear()
        rounded = _ROUNDED[value] = round(value, 4)
    return rounded


def _holds_stars(demand: DemandFacts, product: ProductFacts) -> bool:
    """Whether the product has the demand's minimum stars, certified on the needed-by date."""
    return demand.min_stars is None or (
        product.stars is not None and product.stars >= demand.min_stars
        and counts_as_certified(product.stars, product.certificate_expiry, demand.needed_by))


def _meets_rules(demand: DemandFacts, product: ProductFacts) -> bool:
    """Whether `misses` finds nothing (without wording what it finds)."""
    return _holds_stars(demand, product) and all(
        mark in product.quality_marks for mark in demand.required_marks)


def weighed(demand: DemandFacts, product: ProductFacts,
            relevance: float) -> tuple[float, tuple[float, ...]] | None:
    """The product's score for the demand and its components (in the order of WEIGHTS), or None
    when a hard filter excludes it. `score_product` names the components; this is for ranking
    many candidates before the few that are kept."""
    if excluded(demand, product) or not _meets_rules(demand, product):
        return None
    values = (
        _round4(min(1.0, max(0.0, relevance))), _round4(_group(demand, product)),
        _round4(_stars(demand, product)), _round4(_marks(demand, product)),
        _round4(_price(demand, product)), _round4(_capacity(demand, product)),
        _round4(_distance(demand, product)), _round4(_certificate(demand, product)),
    )
    return round(sum([weight * value for weight, value in zip(WEIGHTS.values(), values, strict=True)]),
                 4), values


def score_product(demand: DemandFacts, product: ProductFacts, relevance: float, *,
                  reasons: bool = True) -> Scored | None:
    """The product's score for the demand, or None when a hard filter excludes it.

    `reasons=False` leaves the reasons out (the score is the same).
    """
    found = weighed(demand, product, relevance)
    if found is None:
        return None
    why = explain(demand, product) if reasons else ()
    return Scored(product.id, product.producer_id, found[0], dict(zip(_NAMES, found[1], strict=True)), why)


def best(demand: DemandFacts, candidates: Iterable[tuple[ProductFacts, float]], limit: int) -> list[Scored]:
    """The best `limit` of the (product, relevance) candidates that meet the demand's hard rules,
    scored and explained, best first; ties go to the lower product id, as in `rank`. Only the
    kept few are named and explained."""
    found = []
    for product, relevance in candidates:
        weight = weighed(demand, product, relevance)
        if weight is not None:
            found.append((weight[0], product, weight[1]))
    found.sort(key=lambda item: (-item[0], item[1].id))
    return [Scored(product.id, product.producer_id, score, dict(zip(_NAMES, values, strict=True)),
                   explain(demand, product)) for score, product, values in found[:limit]]
