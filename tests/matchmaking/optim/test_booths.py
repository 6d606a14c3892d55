"""Booth allocation: every spec constraint on a small instance where the naive answer breaks it."""

from __future__ import annotations

import copy
import itertools
import math
import random
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import pytest

from bench.booth_instances import generate_instance
from matchmaking.errors import InvalidInstance
from matchmaking.optim import booths as booths_module
from matchmaking.optim.booths import allocate_booths, parse_booth_instance

Instance = dict[str, Any]


def booth(
    booth_id: str, x: float, y: float = 0, *, zone: str = "food", w: float = 1, h: float = 1
) -> dict[str, Any]:
    return {"id": booth_id, "zone": zone, "x": x, "y": y, "w": w, "h": h}


def app(
    app_id: str,
    *,
    size: int = 1,
    weight: float = 100,
    zones: Iterable[str] = ("food",),
    province: str = "01",
    category: str = "tea",
    prefs: Mapping[str, float] | None = None,
) -> dict[str, Any]:
    return {
        "id": app_id,
        "province": province,
        "category": category,
        "zones": list(zones),
        "booths": size,
        "weight": weight,
        "preferences": dict(prefs or {}),
    }


def row(n: int, *, zone: str = "food") -> list[dict[str, Any]]:
    """n unit booths side by side, so consecutive ones share a wall."""
    return [booth(f"B{i}", i, zone=zone) for i in range(n)]


def instance(booths: list[dict[str, Any]], apps: list[dict[str, Any]], **rules: Any) -> Instance:
    return {"booths": booths, "applications": apps, "rules": rules}


# --- an independent checker, written from the spec and not from the optimiser ---


def adjacency(inst: Instance) -> set[frozenset[str]]:
    if inst.get("adjacent") is not None:
        return {frozenset(p) for p in inst["adjacent"]}
    pairs = set()
    for a, b in itertools.combinations(inst["booths"], 2):
        overlap_y = min(a["y"] + a["h"], b["y"] + b["h"]) - max(a["y"], b["y"])
        overlap_x = min(a["x"] + a["w"], b["x"] + b["w"]) - max(a["x"], b["x"])
        side = (a["x"] + a["w"] == b["x"] or b["x"] + b["w"] == a["x"]) and overlap_y > 0
        stacked = (a["y"] + a["h"] == b["y"] or b["y"] + b["h"] == a["y"]) and overlap_x > 0
        if side or stacked:
            pairs.add(frozenset((a["id"], b["id"])))
    return pairs


def connected(group: Iterable[str], adj: set[frozenset[str]]) -> bool:
    group = list(group)
    seen, todo = {group[0]}, [group[0]]
    while todo:
        cur = todo.pop()
        for other in group:
            if other not in seen and frozenset((cur, other)) in adj:
                seen.add(other)
                todo.append(other)
    return len(seen) == len(group)


def score(inst: Instance, assignments: dict[str, list[str]]) -> float:
    apps = {a["id"]: a for a in inst["applications"]}
    owner = {b: a for a, bs in assignments.items() for b in bs}
    total = sum(
        apps[a]["weight"] + sum(apps[a]["preferences"].get(b, 0) for b in bs) for a, bs in assignments.items()
    )
    penalty = (inst.get("rules") or {}).get("competitor_penalty") or 0
    for pair in adjacency(inst):
        x, y = sorted(pair)
        ox, oy = owner.get(x), owner.get(y)
        if ox and oy and ox != oy and apps[ox]["category"] == apps[oy]["category"]:
            total -= penalty
    return float(total)


def check(inst: Instance, result: dict[str, Any]) -> None:
    """Assert every hard constraint and the result format of the spec."""
    assert set(result) == {"assignments", "waitlist", "reasons", "objective", "bound", "status",
                           "seconds"}
    apps = {a["id"]: a for a in inst["applications"]}
    zones = {b["id"]: b["zone"] for b in inst["booths"]}
    adj = adjacency(inst)
    held = [b for bs in result["assignments"].values() for b in bs]
    assert len(held) == len(set(held))
    for app_id, bs in result["assignments"].items():
        assert len(bs) == apps[app_id]["booths"]
        assert all(zones[b] in apps[app_id]["zones"] for b in bs)
        assert connected(bs, adj)
    cap = (inst.get("rules") or {}).get("province_cap")
    if cap is not None:
        per_province: dict[str, int] = {}
        for app_id, bs in result["assignments"].items():
            province = apps[app_id]["province"]
            per_province[province] = per_province.get(province, 0) + len(bs)
        assert max(per_province.values(), default=0) <= math.ceil(cap * len(inst["booths"]) - 1e-9)
    rest = [a for a in apps if a not in result["assignments"]]
    assert sorted(result["waitlist"]) == sorted(rest)
    assert sorted(result["reasons"]) == sorted(rest)
    assert set(result["reasons"].values()) <= {"no_zone", "too_big", "province_cap", "outranked"}
    weights = [apps[a]["weight"] for a in result["waitlist"]]
    assert weights == sorted(weights, reverse=True)
    assert result["objective"] == pytest.approx(score(inst, result["assignments"]))
    assert result["bound"] >= result["objective"] - 1e-9
    assert result["status"] in ("optimal", "feasible")
    if result["status"] == "optimal":
        assert result["bound"] == result["objective"]


# Branch-and-bound nodes per MILP and rounds per loop: the same answer however loaded the machine is.
WORK = 5000


def solve(inst: Instance, **kw: Any) -> dict[str, Any]:
    result = allocate_booths(inst, **{"work_limit": WORK, **kw})
    check(inst, result)
    return result


# --- one test per constraint ---


def test_allocate_booths_gives_exactly_k_booths_or_none() -> None:
    # Two free booths: the big application would only get part of its three.
    inst = instance(row(2), [app("big", size=3, weight=1000), app("small", weight=10)])
    result = solve(inst)
    assert result["assignments"] == {"small": ["B0"]}
    assert result["waitlist"] == ["big"]
    assert result["objective"] == 10.0


def test_allocate_booths_group_is_connected_in_given_adjacency() -> None:
    # B0 and B2 carry the bonuses but do not share a wall; only B0-B1 is listed.
    booths = row(3)
    inst = instance(booths, [app("a", size=2, prefs={"B0": 50, "B2": 50})])
    inst["adjacent"] = [["B0", "B1"]]
    result = solve(inst)
    assert result["assignments"] == {"a": ["B0", "B1"]}
    assert result["objective"] == 150.0


def test_allocate_booths_derives_adjacency_from_shared_edge_of_positive_length() -> None:
    # Offset rectangles still share a wall segment of length 1.
    booths = [booth("L", 0, 0, w=2, h=2), booth("R", 2, 1, w=2, h=2)]
    result = solve(instance(booths, [app("a", size=2)]))
    assert result["assignments"] == {"a": ["L", "R"]}
    assert parse_booth_instance(instance(booths, [])).adjacent == (("L", "R"),)


def test_allocate_booths_corner_touch_is_not_adjacent() -> None:
    booths = [booth("L", 0, 0), booth("R", 1, 1)]
    result = solve(instance(booths, [app("a", size=2)]))
    assert result["assignments"] == {}
    assert result["waitlist"] == ["a"]
    assert parse_booth_instance(instance(booths, [])).adjacent == ()


def test_allocate_booths_respects_zones() -> None:
    booths = [booth("F", 0, zone="food"), booth("C", 1, zone="crafts")]
    apps = [
        app("a", zones=["food"], prefs={"C": 500}),
        app("b", zones=["tourism"], weight=900),
    ]
    result = solve(instance(booths, apps))
    assert result["assignments"] == {"a": ["F"]}
    assert result["waitlist"] == ["b"]


def test_allocate_booths_province_cap_rounds_up() -> None:
    # ceil(0.3 * 5) = 2 booths for province 01; a floor would allow only 1.
    apps = [app(f"p{i}", weight=100, category=f"c{i}") for i in range(3)]
    apps.append(app("other", weight=1, province="02", category="x"))
    result = solve(instance(row(5), apps, province_cap=0.3))
    held = [a for a in result["assignments"] if a.startswith("p")]
    assert len(held) == 2
    assert "other" in result["assignments"]
    assert result["objective"] == 201.0


def test_allocate_booths_competitor_penalty_counts_each_adjacent_pair() -> None:
    # Two tea stands of two booths in a 2x2 block face each other along two walls.
    booths = [booth("a", 0, 0), booth("b", 1, 0), booth("c", 0, 1), booth("d", 1, 1)]
    apps = [app("t1", size=2), app("t2", size=2)]
    result = solve(instance(booths, apps, competitor_penalty=60))
    assert len(result["assignments"]) == 1
    assert result["objective"] == 100.0
    result = solve(instance(booths, apps, competitor_penalty=40))
    assert len(result["assignments"]) == 2
    assert result["objective"] == 120.0


def test_allocate_booths_competitor_penalty_spares_own_booths_and_other_categories() -> None:
    apps = [app("t", size=2, category="tea"), app("c", category="coffee")]
    result = solve(instance(row(3), apps, competitor_penalty=1000))
    assert result["objective"] == 200.0


def test_allocate_booths_separates_competitors_when_possible() -> None:
    # Naively the two tea stands take the bonus booths B0 and B1, which share a wall.
    apps = [
        app("t1", category="tea", prefs={"B0": 20}),
        app("t2", category="tea", prefs={"B1": 20}),
        app("c", category="coffee", weight=50),
    ]
    result = solve(instance(row(3), apps, competitor_penalty=30))
    assert result["assignments"]["c"] == ["B1"]
    assert result["objective"] == 270.0


def test_allocate_booths_gives_a_booth_to_one_application() -> None:
    apps = [app("a", weight=100, prefs={"B0": 10}), app("b", weight=120)]
    result = solve(instance(row(1), apps))
    assert result["assignments"] == {"b": ["B0"]}
    assert result["waitlist"] == ["a"]


def test_allocate_booths_waitlist_holds_everyone_else_best_first() -> None:
    apps = [app(f"a{i}", weight=w, category=f"c{i}") for i, w in enumerate([5, 50, 20, 40, 10])]
    result = solve(instance(row(2), apps))
    assert result["assignments"] == {"a1": ["B0"], "a3": ["B1"]} or result["assignments"] == {
        "a1": ["B1"],
        "a3": ["B0"],
    }
    assert result["waitlist"] == ["a2", "a4", "a0"]


def test_allocate_booths_reason_no_zone_when_the_hall_has_none_of_its_zones() -> None:
    apps = [app("craft", zones=["craft"]), app("tea")]
    result = solve(instance(row(3), apps))
    assert sorted(result["assignments"]) == ["tea"]
    assert result["reasons"] == {"craft": "no_zone"}


def test_allocate_booths_reason_too_big_when_no_connected_group_fits_even_empty() -> None:
    # Two food booths, but not side by side: a two-booth application can never fit.
    booths = [booth("F0", 0), booth("M1", 1, zone="mixed"), booth("F2", 2)]
    apps = [app("pair", size=2), app("one", zones=["mixed"])]
    result = solve(instance(booths, apps))
    assert result["assignments"] == {"one": ["M1"]}
    assert result["reasons"] == {"pair": "too_big"}


def test_allocate_booths_reason_province_cap_when_its_province_is_full() -> None:
    apps = [app("a", weight=300, category="x"), app("b", weight=200, category="y"),
            app("c", weight=100, province="02", category="z")]
    result = solve(instance(row(4), apps, province_cap=0.25))
    assert sorted(result["assignments"]) == ["a", "c"]
    assert result["reasons"] == {"b": "province_cap"}


def test_allocate_booths_reason_outranked_when_better_applications_took_the_space() -> None:
    apps = [app("a", weight=300, category="x"), app("b", weight=200, category="y"),
            app("c", weight=100, category="z")]
    result = solve(instance(row(2), apps))
    assert sorted(result["assignments"]) == ["a", "b"]
    assert result["reasons"] == {"c": "outranked"}


def test_allocate_booths_nothing_feasible_waitlists_everyone() -> None:
    apps = [app("a", size=3, weight=300), app("b", zones=["herbal"], weight=200)]
    result = solve(instance(row(2), apps))
    assert result["assignments"] == {}
    assert result["waitlist"] == ["a", "b"]
    assert result["reasons"] == {"a": "too_big", "b": "no_zone"}
    assert result["objective"] == 0.0
    assert result["bound"] == 0.0
    assert result["status"] == "optimal"


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_allocate_booths_proves_optimality_on_60_booths(seed: int) -> None:
    inst = generate_instance(60, 90, seed=seed)
    result = solve(inst)
    assert result["status"] == "optimal"
    assert result["bound"] == result["objective"]
    assert result["assignments"]


def test_allocate_booths_large_hall_path_keeps_a_valid_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    # Force column generation + restricted MILP + neighbourhood search onto a hall we can solve exactly.
    inst = generate_instance(60, 90, seed=5)
    optimum = solve(inst)
    assert optimum["status"] == "optimal"
    monkeypatch.setattr(booths_module, "EXACT_BOOTHS", 0)
    monkeypatch.setattr(booths_module, "EXACT_COLUMNS", 0)
    # Two rounds of each loop and two nodes per MILP: each region MILP's root alone takes seconds.
    result = solve(inst, work_limit=2)
    assert result["bound"] >= optimum["objective"]
    assert result["objective"] <= optimum["objective"]
    # The 97%-of-bound target is measured by bench/bench_booths.py (with a time limit); this
    # floor only guards against a broken search (which lands far below it).
    assert result["objective"] >= 0.9 * result["bound"]


def test_allocate_booths_is_deterministic_for_a_seed() -> None:
    inst = generate_instance(40, 60, seed=7)
    first = allocate_booths(inst, seed=3, work_limit=WORK)
    second = allocate_booths(inst, seed=3, work_limit=WORK)
    assert first["assignments"] == second["assignments"]
    assert first["objective"] == second["objective"]


# --- brute force on tiny random instances ---


def brute_force(inst: Instance) -> float:
    """Best objective by trying every combination of placements (or none) per application."""
    adj = adjacency(inst)
    zones = {b["id"]: b["zone"] for b in inst["booths"]}
    ids = list(zones)
    cap_share = inst["rules"].get("province_cap")
    cap = math.ceil(cap_share * len(ids) - 1e-9) if cap_share else None
    options: list[list[tuple[str, ...] | None]] = []
    for a in inst["applications"]:
        groups = [
            g
            for g in itertools.combinations(ids, a["booths"])
            if all(zones[b] in a["zones"] for b in g) and connected(g, adj)
        ]
        options.append([None, *groups])
    best = 0.0
    for choice in itertools.product(*options):
        taken = [b for g in choice if g for b in g]
        if len(taken) != len(set(taken)):
            continue
        assignments = {a["id"]: list(g) for a, g in zip(inst["applications"], choice, strict=True) if g}
        if cap is not None:
            per: dict[str, int] = {}
            for a, g in zip(inst["applications"], choice, strict=True):
                if g:
                    per[a["province"]] = per.get(a["province"], 0) + len(g)
            if max(per.values(), default=0) > cap:
                continue
        best = max(best, score(inst, assignments))
    return best


def random_tiny(rng: random.Random) -> Instance:
    cells = rng.sample([(x, y) for x in range(3) for y in range(2)], rng.randint(3, 6))
    booths = [booth(f"B{i}", x, y, zone=rng.choice(["food", "mixed"])) for i, (x, y) in enumerate(cells)]
    apps = []
    for i in range(rng.randint(2, 4)):
        prefs = {b["id"]: rng.randint(1, 40) for b in rng.sample(booths, rng.randint(0, 2))}
        apps.append(
            app(
                f"a{i}",
                size=rng.choice([1, 1, 2, 2, 3, 4]),
                weight=rng.randint(10, 100),
                zones=rng.choice([["food"], ["food", "mixed"], ["mixed"]]),
                province=rng.choice(["01", "02"]),
                category=rng.choice(["tea", "rice"]),
                prefs=prefs,
            )
        )
    rules = {"competitor_penalty": rng.choice([0, 15, 60]), "province_cap": rng.choice([None, 0.5, 0.7])}
    return {"booths": booths, "applications": apps, "rules": rules}


def test_allocate_booths_matches_brute_force_on_tiny_random_instances() -> None:
    rng = random.Random(2024)
    for _ in range(40):
        inst = random_tiny(rng)
        result = solve(inst)
        assert result["status"] == "optimal"
        assert result["objective"] == pytest.approx(brute_force(inst)), inst


# --- malformed instances ---


def valid() -> Instance:
    inst = instance(
        row(3), [app("a", size=2, prefs={"B0": 5}), app("b")], province_cap=0.5, competitor_penalty=10
    )
    inst["adjacent"] = [["B0", "B1"], ["B1", "B2"]]
    return inst


def _set(path: list[Any], value: Any) -> Callable[[Instance], None]:
    def mutate(inst: Instance) -> None:
        target: Any = inst
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return mutate


def _drop(path: list[Any]) -> Callable[[Instance], None]:
    def mutate(inst: Instance) -> None:
        target: Any = inst
        for key in path[:-1]:
            target = target[key]
        del target[path[-1]]

    return mutate


MALFORMED = [
    (_drop(["booths"]), "booths"),
    (_set(["booths"], {"B0": {}}), "booths"),
    (_set(["booths", 1, "id"], "B0"), "booths[1].id"),
    (_drop(["booths", 2, "zone"]), "booths[2].zone"),
    (_set(["booths", 0, "w"], -3), "booths[0].w"),
    (_set(["booths", 0, "h"], 0), "booths[0].h"),
    (_set(["booths", 1, "x"], "left"), "booths[1].x"),
    (_set(["adjacent", 1, 1], "B9"), "adjacent[1][1]"),
    (_set(["adjacent", 0], ["B0"]), "adjacent[0]"),
    (_drop(["applications"]), "applications"),
    (_set(["applications", 1, "id"], "a"), "applications[1].id"),
    (_set(["applications", 0, "booths"], 5), "applications[0].booths"),
    (_set(["applications", 0, "booths"], 0), "applications[0].booths"),
    (_set(["applications", 0, "booths"], True), "applications[0].booths"),
    (_set(["applications", 0, "booths"], 1.5), "applications[0].booths"),
    (_drop(["applications", 1, "category"]), "applications[1].category"),
    (_set(["applications", 1, "province"], 20), "applications[1].province"),
    (_set(["applications", 1, "zones"], "food"), "applications[1].zones"),
    (_set(["applications", 1, "weight"], "high"), "applications[1].weight"),
    (_set(["applications", 1, "weight"], -1), "applications[1].weight"),
    (_set(["applications", 0, "preferences"], {"Z9": 5}), "applications[0].preferences.Z9"),
    (_set(["applications", 0, "preferences"], {"B0": "x"}), "applications[0].preferences.B0"),
    (_set(["rules", "province_cap"], 0), "rules.province_cap"),
    (_set(["rules", "province_cap"], 1.5), "rules.province_cap"),
    (_set(["rules", "competitor_penalty"], -5), "rules.competitor_penalty"),
    (_set(["rules"], [1]), "rules"),
]


@pytest.mark.parametrize(("mutate", "field"), MALFORMED)
def test_parse_booth_instance_names_the_offending_field(
    mutate: Callable[[Instance], None], field: str
) -> None:
    inst = copy.deepcopy(valid())
    mutate(inst)
    with pytest.raises(InvalidInstance) as parsed:
        parse_booth_instance(inst)
    assert parsed.value.field == field
    with pytest.raises(InvalidInstance) as allocated:
        allocate_booths(inst)
    assert allocated.value.field == field


def test_parse_booth_instance_accepts_the_spec_example() -> None:
    inst = {
        "booths": [
            {"id": "A-01", "zone": "food", "x": 0, "y": 0, "w": 3, "h": 3},
            {"id": "A-02", "zone": "mixed", "x": 3, "y": 0, "w": 3, "h": 3},
        ],
        "adjacent": [["A-01", "A-02"]],
        "applications": [
            {
                "id": "app-17",
                "province": "20",
                "category": "tea",
                "zones": ["food", "mixed"],
                "booths": 1,
                "weight": 400,
                "preferences": {"A-01": 20, "A-02": 5},
            }
        ],
        "rules": {"province_cap": 0.25, "competitor_penalty": 30},
    }
    parsed = parse_booth_instance(inst)
    assert parsed.applications[0].preferences == {"A-01": 20.0, "A-02": 5.0}
    assert parsed.province_limit == 1
    result = solve(inst)
    assert result["assignments"] == {"app-17": ["A-01"]}
    assert result["objective"] == 420.0
    assert result["status"] == "optimal"
