"""Units of sale and how they convert: the one table for catalogue, demands, quotes and sourcing.

Mass (g, kg, tạ, tấn) and volume (ml, lít) convert within their family. A product sold by the
container (hộp, chai, túi, gói, hũ, lọ, bình, can, thùng, bao) converts too once it declares its net
content ("hộp 500 g"): one hộp is then 0,5 kg. Every other unit (cái, bộ, quả, con, chậu, suất, phòng,
vé, đêm, m) is only ever equal to itself. Where no
conversion exists the callers say so ("không so sánh được giá") instead of inventing a ratio.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from matchmaking.places import fold

MASS, VOLUME = "mass", "volume"

# unit -> (family, size in the family's base: grams or millilitres)
MEASURES: dict[str, tuple[str, Decimal]] = {
    "g": (MASS, Decimal(1)), "kg": (MASS, Decimal(1_000)), "tạ": (MASS, Decimal(100_000)),
    "tấn": (MASS, Decimal(1_000_000)), "ml": (VOLUME, Decimal(1)), "lít": (VOLUME, Decimal(1_000)),
}
CONTAINERS: tuple[str, ...] = ("chai", "hộp", "túi", "gói", "hũ", "lọ", "bình", "can", "thùng", "bao")
COUNTS: tuple[str, ...] = ("cái", "bộ", "quả", "con", "chậu", "suất", "phòng", "đêm", "vé", "m")
UNITS: tuple[str, ...] = ("kg", "g", "tạ", "tấn", "lít", "ml", *CONTAINERS, *COUNTS)

# What people write for each unit (compared without accents, in lower case).
ALIASES: dict[str, tuple[str, ...]] = {
    "kg": ("kilogram", "kilo", "ki lo", "kí", "ký", "cân", "kgs"), "g": ("gram", "gam", "gr"),
    "tạ": ("ta",), "tấn": ("tonne", "ton", "tan", "t"), "lít": ("l", "litre", "liter", "lit"),
    "ml": ("mililit", "mililít", "millilitre"), "chai": ("bottle",), "hộp": ("box",),
    "túi": ("bag",), "gói": ("pack", "packet"), "hũ": ("jar",), "lọ": ("vial", "flask"),
    "bình": ("jug", "flagon"), "can": ("canister",), "thùng": ("carton", "crate", "case"),
    "bao": ("sack",), "cái": ("piece", "pcs", "chiếc"), "bộ": ("set",), "quả": ("fruit", "trái"),
    "con": ("head", "animal"), "chậu": ("pot",), "suất": ("portion", "serving"),
    "phòng": ("room",),
    "đêm": ("night",), "vé": ("ticket",), "m": ("mét", "metre", "meter"),
}


@dataclass(frozen=True)
class Net:
    """The declared content of one container: `quantity` of a mass or volume `unit`."""

    quantity: Decimal
    unit: str


@cache
def _named() -> dict[str, str]:
    found: dict[str, str] = {}
    for unit, names in ALIASES.items():
        for name in (unit, *names):
            found.setdefault(fold(name), unit)
    return found


@cache
def unit_named(text: str) -> str | None:
    """The unit code a word stands for ('Tấn', 'tan', 'kilo' -> 'tấn', 'tấn', 'kg'), or None."""
    return _named().get(fold(text).strip(". "))


def measure(unit: str, net: Net | None = None) -> tuple[str, Decimal] | None:
    """(family, size in grams or millilitres) of one `unit`, through `net` for a container."""
    if unit in MEASURES:
        return MEASURES[unit]
    if net is not None and unit in CONTAINERS and net.unit in MEASURES and net.quantity > 0:
        family, size = MEASURES[net.unit]
        return family, size * net.quantity
    return None


def factor(from_unit: str, to_unit: str, *, from_net: Net | None = None,
           to_net: Net | None = None) -> float | None:
    """How many `to_unit` one `from_unit` is (tấn -> kg: 1000; hộp of 500 g -> kg: 0,5), or None
    when they do not convert. A unit is always one of itself."""
    if from_unit == to_unit and (from_net is None or to_net is None or from_net == to_net):
        return 1.0
    a, b = measure(from_unit, from_net), measure(to_unit, to_net)
    if a is None or b is None or a[0] != b[0]:
        return None
    return float(a[1] / b[1])


def convert(quantity: float | Decimal, from_unit: str, to_unit: str, *, from_net: Net | None = None,
            to_net: Net | None = None) -> float | None:
    """`quantity` of `from_unit` in `to_unit`, or None when they do not convert."""
    ratio = factor(from_unit, to_unit, from_net=from_net, to_net=to_net)
    return None if ratio is None else float(quantity) * ratio


def price_in(price_vnd: float, unit: str, to_unit: str, *, net: Net | None = None,
             to_net: Net | None = None) -> float | None:
    """A price per `unit` as a price per `to_unit` (120.000 ₫/kg -> 120.000.000 ₫/tấn), or None."""
    ratio = factor(to_unit, unit, from_net=to_net, to_net=net)  # units of `unit` in one `to_unit`
    return None if ratio is None else price_vnd * ratio


def net_of(quantity: object, unit: object) -> Net | None:
    """A product's declared net content from its two columns, when both are set."""
    if quantity is None or not unit:
        return None
    return Net(Decimal(str(quantity)), str(unit))
