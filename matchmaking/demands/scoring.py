"""How well a product fits a buyer's demand: a weighted sum of named components, with reasons.

Pure: plain facts in, a score out; no database, no search. Every component lies in [0, 1] and the
score is their weighted sum (weights add up to 1), so a score reads as a percentage.

| component   | weight | 1.0 means                                   | 0.0 means                          |
|-------------|--------|---------------------------------------------|------------------------------------|
| relevance   | 0.20   | the search engine's best text match          | no word of the demand matched      |
| group       | 0.10   | same sub-group (or the demand names none)    | -                                  |
| stars       | 0.15   | two stars above the minimum, or 5 stars      | unrated                            |
| marks       | 0.10   | every required quality mark held             | none of them                       |
| price       | 0.15   | 30% or more below the buyer's maximum        | 50% or more above it               |
| capacity    | 0.10   | one month's output covers the quantity       | nothing usable (or units differ)   |
| distance    | 0.10   | same province                                | 1,500 km or more away              |
| certificate | 0.10   | valid on the needed-by date                  | no certificate                     |

Hard filters exclude a product (`score_product` returns None) where the buyer stated a rule:
a group other than the demand's; fewer stars than the demand's minimum (unrated counts as none);
with a minimum star rating, a certificate that is missing or lapses before the needed-by date
(the stars must still be valid on delivery). Everything else only lowers the score: a missing
quality mark, a price above the target, a small capacity (a consortium can add up), distance.

Reasons are language-neutral codes with parameters (`Reason`), rendered through gettext by
`render_reasons`; the matching job stores both (codes in `Match.components["reasons"]`, the
Vietnamese text in `Match.reasons`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from config import i18n
from matchmaking.places import distance_km, short_province_name

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

# Mass and volume convert (g, kg, tấn; lít); every other unit only to itself.
_UNIT_BASE: dict[str, tuple[str, float]] = {
    "g": ("mass", 1.0), "kg": ("mass", 1_000.0), "tấn": ("mass", 1_000_000.0), "lít": ("volume", 1.0),
}


def N_(message: str) -> str:
    """Mark a message for translation without translating it now (babel extracts N_)."""
    return message


MARK_NAMES: dict[str, str] = {
    "vietgap": "VietGAP", "globalgap": "GlobalGAP", "organic": N_("Organic"), "haccp": "HACCP",
    "iso22000": "ISO 22000", "gi": N_("Geographical indication"),
    "traceability": N_("Traceability stamp"),
}

# Reason code -> English message with %(name)s parameters.
MESSAGES: dict[str, str] = {
    "stars": N_("%(stars)d stars"),
    "mark_missing": N_("no %(mark)s"),
    "same_province": N_("in %(province)s"),
    "distance": N_("%(km)d km away"),
    "covers_all": N_("covers the whole quantity"),
    "covers_all_monthly": N_("covers the whole monthly quantity"),
    "covers_share": N_("covers %(percent)d%% of the quantity"),
    "covers_share_monthly": N_("covers %(percent)d%% of the monthly quantity"),
    "min_order_above": N_("minimum order above the quantity"),
    "price_below": N_("price %(percent)d%% below the target"),
    "price_at": N_("price at the target"),
    "price_above": N_("price %(percent)d%% above the target"),
    "certificate_lapses": N_("certificate lapses before the needed-by date"),
    "no_certificate": N_("no valid OCOP certificate"),
}


def unit_factor(from_unit: str, to_unit: str) -> float | None:
    """How many `to_unit` one `from_unit` is (tấn -> kg: 1000), or None if they do not convert."""
    if from_unit == to_unit:
        return 1.0
    a, b = _UNIT_BASE.get(from_unit), _UNIT_BASE.get(to_unit)
    if a is None or b is None or a[0] != b[0]:
        return None
    return a[1] / b[1]


@dataclass(frozen=True)
class DemandFacts:
    """What scoring needs of a demand."""

    id: int
    quantity: int
    unit: str
    delivery_province_code: int
    needed_by: date
    group: str | None = None
    subgroup: str | None = None
    monthly: bool = False
    max_price_vnd: int | None = None
    min_stars: int | None = None
    required_marks: tuple[str, ...] = ()


@dataclass(frozen=True)
class ProductFacts:
    """What scoring (and sourcing) needs of a published product."""

    id: int
    producer_id: int
    group: str
    subgroup: str
    price_vnd: int
    unit: str
    min_order: int
    monthly_capacity: int
    province_code: int
    stars: int | None = None
    certificate_expiry: date | None = None
    quality_marks: tuple[str, ...] = ()


@dataclass(frozen=True)
class Reason:
    """One plain-language reason, as a code and its parameters."""

    code: str
    params: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {"code": self.code, "params": self.params}


@dataclass(frozen=True)
class Scored:
    """A product's score for a demand, its components and its reasons."""

    product_id: int
    producer_id: int
    score: float
    components: dict[str, float]
    reasons: tuple[Reason, ...]


def excluded(demand: DemandFacts, product: ProductFacts) -> bool:
    """The hard filters: the buyer's group, minimum stars, and stars still valid on delivery."""
    if demand.group is not None and product.group != demand.group:
        return True
    if demand.min_stars is not None:
        if product.stars is None or product.stars < demand.min_stars:
            return True
        if product.certificate_expiry is None or product.certificate_expiry < demand.needed_by:
            return True
    return False


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
    """(price - maximum) / maximum, per the demand's unit; None without a maximum or units."""
    factor = unit_factor(demand.unit, product.unit)  # product units per demand unit
    if demand.max_price_vnd is None or factor is None:
        return None
    return (product.price_vnd * factor - demand.max_price_vnd) / demand.max_price_vnd


def _price(demand: DemandFacts, product: ProductFacts) -> float:
    gap = _price_gap(demand, product)
    if gap is None:
        return 0.5
    if gap <= 0:
        return 0.8 + 0.2 * min(1.0, -gap / CHEAP_SHARE)
    return max(0.0, 0.6 * (1 - gap / DEAR_SHARE))


def capacity_share(demand: DemandFacts, product: ProductFacts) -> float | None:
    """The share of the demand's quantity one month of the product's output covers (at most 1)."""
    factor = unit_factor(product.unit, demand.unit)
    if factor is None:
        return None
    if product.min_order * factor > demand.quantity:
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
    reasons: list[Reason] = []
    stars = _rated(product)
    if stars is not None:
        reasons.append(Reason("stars", {"stars": stars}))
    if demand.required_marks:
        reasons += [Reason("mark" if m in product.quality_marks else "mark_missing", {"mark": m})
                    for m in demand.required_marks]
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
    if gap is not None:
        percent = round(abs(gap) * 100)
        if gap > 0:
            reasons.append(Reason("price_above", {"percent": max(1, percent)}))
        else:
            reasons.append(Reason("price_below", {"percent": percent}) if percent else Reason("price_at"))
    if stars is None or product.certificate_expiry is None:
        reasons.append(Reason("no_certificate"))
    elif product.certificate_expiry < demand.needed_by:
        reasons.append(Reason("certificate_lapses"))
    return tuple(reasons)


def score_product(demand: DemandFacts, product: ProductFacts, relevance: float, *,
                  reasons: bool = True) -> Scored | None:
    """The product's score for the demand, or None when a hard filter excludes it.

    `reasons=False` leaves the reasons out (the score is the same): for ranking many candidates
    before explaining the few that are kept.
    """
    if excluded(demand, product):
        return None
    components = {
        "relevance": round(min(1.0, max(0.0, relevance)), 4),
        "group": round(_group(demand, product), 4),
        "stars": round(_stars(demand, product), 4),
        "marks": round(_marks(demand, product), 4),
        "price": round(_price(demand, product), 4),
        "capacity": round(_capacity(demand, product), 4),
        "distance": round(_distance(demand, product), 4),
        "certificate": round(_certificate(demand, product), 4),
    }
    total = round(sum(WEIGHTS[name] * value for name, value in components.items()), 4)
    why = explain(demand, product) if reasons else ()
    return Scored(product.id, product.producer_id, total, components, why)


def rank(scored: Sequence[Scored], limit: int) -> list[Scored]:
    """The best `limit`, best first; ties go to the lower product id, so ranks are stable."""
    return sorted(scored, key=lambda s: (-s.score, s.product_id))[:limit]


def render_reason(reason: Reason, gettext: Callable[[str], str]) -> str:
    """One reason in the language of `gettext`."""
    params = dict(reason.params)
    if "mark" in params:
        name = MARK_NAMES.get(str(params["mark"]), str(params["mark"]))
        params["mark"] = gettext(name)
    if "province_code" in params:
        params["province"] = short_province_name(int(params["province_code"]))
    if reason.code == "mark":
        return str(params["mark"])
    message = MESSAGES.get(reason.code)
    if message is None:
        return reason.code
    return gettext(message) % params


def render_reasons(reasons: Sequence[Reason], language: str = "vi") -> list[str]:
    """The reasons as text in `language` (Vietnamese unless told)."""
    catalogue = i18n.translations(language)
    return [render_reason(reason, catalogue.gettext) for reason in reasons]


def reasons_from_json(data: object) -> list[Reason]:
    """Reasons back from their stored form (`Reason.as_json`); anything malformed is skipped."""
    if not isinstance(data, list):
        return []
    return [
        Reason(str(item["code"]), dict(item.get("params") or {}))
        for item in data
        if isinstance(item, dict) and "code" in item
    ]
