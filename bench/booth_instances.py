"""Deterministic generator of realistic booth-allocation instances (specs/booth-allocation.md)."""

from __future__ import annotations

import random
from typing import Any

BOOTH = 3  # a standard 3 m x 3 m shell-scheme booth
AISLE = 3
HALL_WIDTH = 96

ZONE_SHARES = {
    "food": 0.24,
    "beverages": 0.13,
    "herbal": 0.12,
    "mixed": 0.16,
    "ornamental": 0.10,
    "handicrafts": 0.17,
    "tourism": 0.08,
}
GROUP_SHARES = {
    "food": 0.29,
    "beverages": 0.16,
    "herbal": 0.14,
    "ornamental": 0.10,
    "handicrafts": 0.19,
    "tourism": 0.12,
}
CATEGORIES = {
    "food": ["rice", "confectionery", "dried-meat", "fish-sauce", "noodles", "fruit", "honey"],
    "beverages": ["tea", "coffee", "rice-wine", "juice"],
    "herbal": ["ginseng", "herbal-tea", "essential-oil", "medicinal-herbs"],
    "ornamental": ["flowers", "bonsai", "ornamental_animals"],
    "handicrafts": ["bamboo-rattan", "ceramics", "lacquer", "woodcraft", "sedge-mats"],
    "tourism": ["homestay", "eco-tourism", "craft-village-tour"],
}
# Vietnamese province codes; earlier ones (big producers) apply more often.
PROVINCES = [
    "01",
    "79",
    "22",
    "36",
    "40",
    "38",
    "27",
    "33",
    "30",
    "31",
    "26",
    "24",
    "25",
    "34",
    "35",
    "37",
    "42",
    "44",
    "45",
    "46",
    "48",
    "49",
    "51",
    "52",
    "54",
    "56",
    "58",
    "60",
    "62",
    "64",
    "66",
    "67",
    "68",
    "70",
    "72",
    "74",
    "75",
    "77",
    "80",
    "82",
    "83",
    "84",
    "86",
    "87",
    "89",
    "91",
    "92",
    "93",
    "94",
    "95",
    "96",
    "02",
    "04",
    "06",
    "08",
    "10",
    "11",
    "12",
    "14",
    "15",
    "17",
    "19",
    "20",
]
SIZES = [1, 2, 3, 4]
SIZE_SHARES = [0.48, 0.32, 0.12, 0.08]
STAR_WEIGHT = {3: 140, 4: 230, 5: 360}


def generate_instance(
    n_booths: int, n_applications: int, *, seed: int = 0, explicit_adjacency: bool = False
) -> dict[str, Any]:
    """A hall of island blocks zoned by OCOP group, and applications competing for it."""
    rng = random.Random(seed)
    booths = _hall(n_booths, rng)
    instance: dict[str, Any] = {
        "booths": booths,
        "applications": _applications(booths, n_applications, rng),
        "rules": {"province_cap": 0.08, "competitor_penalty": 30},
    }
    if explicit_adjacency:
        instance["adjacent"] = _adjacency(booths)
    return instance


def _hall(n_booths: int, rng: random.Random) -> list[dict[str, Any]]:
    """Rows of two-deep island blocks (plus small 2x2 islands) separated by aisles."""
    blocks: list[list[tuple[int, int]]] = []
    placed, y = 0, 0
    while placed < n_booths:
        x = 0
        while placed < n_booths:
            length = 2 if rng.random() < 0.15 else rng.randint(3, 8)
            if x + length * BOOTH > HALL_WIDTH:
                break
            cells = [(x + i * BOOTH, y + j * BOOTH) for j in range(2) for i in range(length)]
            cells = cells[: n_booths - placed]
            blocks.append(cells)
            placed += len(cells)
            x += length * BOOTH + AISLE
        y += 2 * BOOTH + AISLE
    zones = _zone_blocks([len(b) for b in blocks], n_booths)
    booths: list[dict[str, Any]] = []
    for k, (cells, zone) in enumerate(zip(blocks, zones, strict=True)):
        for i, (bx, by) in enumerate(cells):
            booths.append(
                {
                    "id": f"{chr(65 + k // 26)}{chr(65 + k % 26)}-{i + 1:02d}",
                    "zone": zone,
                    "x": bx,
                    "y": by,
                    "w": BOOTH,
                    "h": BOOTH,
                }
            )
    return booths


def _zone_blocks(sizes: list[int], total: int) -> list[str]:
    """Give consecutive blocks to one zone until its share of the hall is used."""
    names = list(ZONE_SHARES)
    ends, acc = [], 0.0
    for name in names:
        acc += ZONE_SHARES[name] * total
        ends.append(acc)
    zones, done, k = [], 0, 0
    for size in sizes:
        while k < len(names) - 1 and done + size / 2 > ends[k]:
            k += 1
        zones.append(names[k])
        done += size
    return zones


def _applications(booths: list[dict[str, Any]], n: int, rng: random.Random) -> list[dict[str, Any]]:
    by_zone: dict[str, list[str]] = {}
    for b in booths:
        by_zone.setdefault(b["zone"], []).append(b["id"])
    corners = _corner_ids(booths)
    groups = list(GROUP_SHARES)
    province_w = [1.0 / (i + 3) for i in range(len(PROVINCES))]
    apps: list[dict[str, Any]] = []
    for i in range(n):
        group = rng.choices(groups, weights=[GROUP_SHARES[g] for g in groups])[0]
        roll = rng.random()
        if roll < 0.25:
            zones = [group]
        elif roll < 0.95:
            zones = [group, "mixed"]
        else:
            zones = [group, "mixed", rng.choice([g for g in groups if g != group])]
        size = rng.choices(SIZES, weights=SIZE_SHARES)[0]
        stars = rng.choices([3, 4, 5], weights=[0.45, 0.40, 0.15])[0]
        first_timer = rng.random() < 0.3
        weight = STAR_WEIGHT[stars] + (70 if first_timer else 0) + 30 * (size - 1) + rng.randint(-20, 20)
        apps.append(
            {
                "id": f"app-{i + 1}",
                "province": rng.choices(PROVINCES, weights=province_w)[0],
                "category": rng.choice(CATEGORIES[group]),
                "zones": zones,
                "booths": size,
                "weight": max(100, min(500, weight)),
                "preferences": _preferences(zones, by_zone, corners, rng),
            }
        )
    return apps


def _preferences(
    zones: list[str], by_zone: dict[str, list[str]], corners: set[str], rng: random.Random
) -> dict[str, int]:
    """A few wished-for booths in the allowed zones, corner booths the most popular."""
    pool = [b for z in zones for b in by_zone.get(z, [])]
    if not pool or rng.random() < 0.45:
        return {}
    popular = [b for b in pool if b in corners] or pool
    prefs: dict[str, int] = {}
    for _ in range(rng.randint(1, 3)):
        booth = rng.choice(popular if rng.random() < 0.6 else pool)
        prefs[booth] = 5 * rng.randint(2, 12)
    return prefs


def _corner_ids(booths: list[dict[str, Any]]) -> set[str]:
    """Booths at the end of a block (open on two aisles)."""
    pairs = _adjacency(booths)
    degree: dict[str, int] = dict.fromkeys((b["id"] for b in booths), 0)
    for a, b in pairs:
        degree[a] += 1
        degree[b] += 1
    return {b for b, d in degree.items() if d <= 2}


def _adjacency(booths: list[dict[str, Any]]) -> list[list[str]]:
    at = {(b["x"], b["y"]): b["id"] for b in booths}
    pairs = []
    for (x, y), booth_id in at.items():
        for nx, ny in ((x + BOOTH, y), (x, y + BOOTH)):
            other = at.get((nx, ny))
            if other is not None:
                pairs.append([booth_id, other])
    return pairs
