"""Typed booth-allocation instance and its validating parser (specs/booth-allocation.md)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from matchmaking.errors import InvalidInstance

MAX_GROUP = 4


@dataclass(frozen=True, slots=True)
class Booth:
    """One booth: its zone and its rectangle on the hall grid."""

    id: str
    zone: str
    x: float
    y: float
    w: float
    h: float


@dataclass(frozen=True, slots=True)
class Application:
    """One producer's request for a connected group of booths."""

    id: str
    province: str
    category: str
    zones: tuple[str, ...]
    booths: int
    weight: float
    preferences: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Rules:
    """Organiser rules: province cap (share of booths) and competitor penalty."""

    province_cap: float | None = None
    competitor_penalty: float = 0.0


@dataclass(frozen=True, slots=True)
class BoothInstance:
    """A validated instance; `adjacent` is derived from the rectangles when the JSON omits it."""

    booths: tuple[Booth, ...]
    adjacent: tuple[tuple[str, str], ...]
    applications: tuple[Application, ...]
    rules: Rules

    @property
    def province_limit(self) -> int | None:
        """Booths one province may hold, or None without a cap."""
        cap = self.rules.province_cap
        if cap is None:
            return None
        # The epsilon keeps 0.1 * 600 == 60.000000000000007 from rounding up to 61.
        return math.ceil(cap * len(self.booths) - 1e-9)


def parse_booth_instance(data: Mapping[str, Any]) -> BoothInstance:
    """Validate the JSON instance; raise InvalidInstance naming the offending path."""
    if not isinstance(data, Mapping):
        raise InvalidInstance("instance", "must be an object")
    booths = _parse_booths(_list(data, "booths", "booths"))
    ids = {b.id for b in booths}
    raw_adjacent = data.get("adjacent")
    adjacent = derive_adjacency(booths) if raw_adjacent is None else _parse_adjacent(raw_adjacent, ids)
    apps = _parse_applications(_list(data, "applications", "applications"), ids)
    rules = _parse_rules(data.get("rules"))
    return BoothInstance(booths, adjacent, apps, rules)


def derive_adjacency(booths: Sequence[Booth]) -> tuple[tuple[str, str], ...]:
    """Pairs of booths whose rectangles share an edge segment of positive length."""
    by_left: dict[float, list[Booth]] = {}
    by_bottom: dict[float, list[Booth]] = {}
    for b in booths:
        by_left.setdefault(b.x, []).append(b)
        by_bottom.setdefault(b.y, []).append(b)
    pairs: set[tuple[str, str]] = set()
    for b in booths:
        for o in by_left.get(b.x + b.w, []):
            if min(b.y + b.h, o.y + o.h) - max(b.y, o.y) > 0:
                pairs.add(_pair(b.id, o.id))
        for o in by_bottom.get(b.y + b.h, []):
            if min(b.x + b.w, o.x + o.w) - max(b.x, o.x) > 0:
                pairs.add(_pair(b.id, o.id))
    return tuple(sorted(pairs))


def _pair(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a < b else (b, a)


def _list(data: Mapping[str, Any], key: str, path: str) -> list[Any]:
    if key not in data:
        raise InvalidInstance(path, "is required")
    value = data[key]
    if not isinstance(value, list):
        raise InvalidInstance(path, "must be a list")
    return value


def _obj(value: Any, path: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise InvalidInstance(path, "must be an object")
    return value


def _str(obj: Mapping[str, Any], key: str, path: str) -> str:
    if key not in obj:
        raise InvalidInstance(f"{path}.{key}", "is required")
    value = obj[key]
    if not isinstance(value, str) or not value:
        raise InvalidInstance(f"{path}.{key}", "must be a non-empty string")
    return value


def _num(value: Any, path: str, *, minimum: float | None = None, positive: bool = False) -> float:
    # bool is an int subclass; `true` is never a meaningful size or weight.
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise InvalidInstance(path, "must be a finite number")
    if positive and value <= 0:
        raise InvalidInstance(path, "must be positive")
    if minimum is not None and value < minimum:
        raise InvalidInstance(path, f"must be at least {minimum:g}")
    return float(value)


def _key_num(obj: Mapping[str, Any], key: str, path: str, **kw: Any) -> float:
    if key not in obj:
        raise InvalidInstance(f"{path}.{key}", "is required")
    return _num(obj[key], f"{path}.{key}", **kw)


def _parse_booths(raw: list[Any]) -> tuple[Booth, ...]:
    booths: list[Booth] = []
    seen: set[str] = set()
    for i, item in enumerate(raw):
        path = f"booths[{i}]"
        obj = _obj(item, path)
        booth_id = _str(obj, "id", path)
        if booth_id in seen:
            raise InvalidInstance(f"{path}.id", f"duplicate booth id {booth_id!r}")
        seen.add(booth_id)
        booths.append(
            Booth(
                id=booth_id,
                zone=_str(obj, "zone", path),
                x=_key_num(obj, "x", path),
                y=_key_num(obj, "y", path),
                w=_key_num(obj, "w", path, positive=True),
                h=_key_num(obj, "h", path, positive=True),
            )
        )
    return tuple(booths)


def _parse_adjacent(raw: Any, ids: set[str]) -> tuple[tuple[str, str], ...]:
    if not isinstance(raw, list):
        raise InvalidInstance("adjacent", "must be a list of booth id pairs")
    pairs: set[tuple[str, str]] = set()
    for i, item in enumerate(raw):
        path = f"adjacent[{i}]"
        if not isinstance(item, list) or len(item) != 2:
            raise InvalidInstance(path, "must be a pair of booth ids")
        for j, booth_id in enumerate(item):
            if not isinstance(booth_id, str) or booth_id not in ids:
                raise InvalidInstance(f"{path}[{j}]", f"unknown booth {booth_id!r}")
        if item[0] == item[1]:
            raise InvalidInstance(path, "a booth cannot be adjacent to itself")
        pairs.add(_pair(item[0], item[1]))
    return tuple(sorted(pairs))


def _parse_applications(raw: list[Any], ids: set[str]) -> tuple[Application, ...]:
    apps: list[Application] = []
    seen: set[str] = set()
    for i, item in enumerate(raw):
        path = f"applications[{i}]"
        obj = _obj(item, path)
        app_id = _str(obj, "id", path)
        if app_id in seen:
            raise InvalidInstance(f"{path}.id", f"duplicate application id {app_id!r}")
        seen.add(app_id)
        apps.append(
            Application(
                id=app_id,
                province=_str(obj, "province", path),
                category=_str(obj, "category", path),
                zones=_parse_zones(obj, path),
                booths=_parse_size(obj, path),
                weight=_key_num(obj, "weight", path, minimum=0),
                preferences=_parse_preferences(obj.get("preferences"), f"{path}.preferences", ids),
            )
        )
    return tuple(apps)


def _parse_zones(obj: Mapping[str, Any], path: str) -> tuple[str, ...]:
    if "zones" not in obj:
        raise InvalidInstance(f"{path}.zones", "is required")
    zones = obj["zones"]
    if not isinstance(zones, list) or not zones:
        raise InvalidInstance(f"{path}.zones", "must be a non-empty list of zones")
    for j, zone in enumerate(zones):
        if not isinstance(zone, str) or not zone:
            raise InvalidInstance(f"{path}.zones[{j}]", "must be a non-empty string")
    return tuple(dict.fromkeys(zones))


def _parse_size(obj: Mapping[str, Any], path: str) -> int:
    if "booths" not in obj:
        raise InvalidInstance(f"{path}.booths", "is required")
    size = obj["booths"]
    if isinstance(size, bool) or not isinstance(size, int) or not 1 <= size <= MAX_GROUP:
        raise InvalidInstance(f"{path}.booths", f"must be an integer from 1 to {MAX_GROUP}")
    return size


def _parse_preferences(raw: Any, path: str, ids: set[str]) -> dict[str, float]:
    if raw is None:
        return {}
    obj = _obj(raw, path)
    prefs: dict[str, float] = {}
    for booth_id, bonus in obj.items():
        if booth_id not in ids:
            raise InvalidInstance(f"{path}.{booth_id}", f"unknown booth {booth_id!r}")
        prefs[booth_id] = _num(bonus, f"{path}.{booth_id}", minimum=0)
    return prefs


def _parse_rules(raw: Any) -> Rules:
    if raw is None:
        return Rules()
    obj = _obj(raw, "rules")
    cap_raw = obj.get("province_cap")
    cap = None
    if cap_raw is not None:
        cap = _num(cap_raw, "rules.province_cap")
        if not 0 < cap <= 1:
            raise InvalidInstance("rules.province_cap", "must be in (0, 1]")
    penalty_raw = obj.get("competitor_penalty")
    penalty = 0.0
    if penalty_raw is not None:
        penalty = _num(penalty_raw, "rules.competitor_penalty", minimum=0)
    return Rules(province_cap=cap, competitor_penalty=penalty)
