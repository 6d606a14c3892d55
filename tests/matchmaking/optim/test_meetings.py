"""Tests for the B2B meeting scheduler: every spec constraint, the bound, optimality, validation."""

from __future__ import annotations

import copy
import itertools
import random
from collections import Counter
from typing import Any

import pytest

from matchmaking.errors import InvalidInstance
from matchmaking.optim.budget import Budget
from matchmaking.optim.meetings import MeetingInstance, parse_meeting_instance, schedule_meetings
from matchmaking.optim.meetings_lp import (
    build_pair_model,
    build_slot_model,
    combinatorial_bound,
    lp_relaxation,
    round_bound,
)
from matchmaking.optim.meetings_model import MeetingRequest, Participant
from matchmaking.optim.meetings_search import improve


def _instance(
    n_slots: int,
    tables: int,
    requests: list[tuple[str, str, float]],
    participants: dict[str, dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """A JSON instance from (a, b, weight) triples; participants are inferred, extras merged in."""
    extra = participants or {}
    ids = sorted({p for a, b, _ in requests for p in (a, b)} | set(extra))
    return {
        "slots": [f"2026-06-12T{9 + i // 3:02d}:{20 * (i % 3):02d}" for i in range(n_slots)],
        "tables": tables,
        "participants": [{"id": pid, **extra.get(pid, {})} for pid in ids],
        "requests": [{"id": f"r-{i}", "a": a, "b": b, "weight": w} for i, (a, b, w) in enumerate(requests)],
    }


def _check_feasible(data: dict[str, Any], result: dict[str, Any]) -> None:
    """Assert every spec constraint on the raw JSON, independently of the library's own model."""
    people = {p["id"]: p for p in data["participants"]}
    requests = {r["id"]: r for r in data["requests"]}
    # Every request exactly once: scheduled (once, being a key) or unscheduled, never both.
    assert sorted([*result["schedule"], *result["unscheduled"]]) == sorted(requests)
    in_slot: Counter[tuple[str, int]] = Counter()
    held: Counter[str] = Counter()
    tables_used: dict[int, list[int]] = {}
    for rid, place in result["schedule"].items():
        slot, table = place["slot"], place["table"]
        assert 0 <= slot < len(data["slots"])
        assert 1 <= table <= data["tables"]
        tables_used.setdefault(slot, []).append(table)
        for pid in (requests[rid]["a"], requests[rid]["b"]):
            assert slot not in people[pid].get("unavailable", [])
            in_slot[pid, slot] += 1
            held[pid] += 1
    assert all(n == 1 for n in in_slot.values())
    for pid, person in people.items():
        if person.get("max_meetings") is not None:
            assert held[pid] <= person["max_meetings"]
    for used in tables_used.values():
        assert len(used) == len(set(used)) <= data["tables"]


def _objective(data: dict[str, Any], result: dict[str, Any]) -> float:
    weights = {r["id"]: float(r["weight"]) for r in data["requests"]}
    return sum(weights[rid] for rid in result["schedule"])


# Branch-and-bound nodes and search rounds: the same answer however loaded the machine is.
WORK = 200


def _solve(data: dict[str, Any], seed: int = 0, work_limit: int = WORK) -> dict[str, Any]:
    result = schedule_meetings(data, seed=seed, work_limit=work_limit)
    _check_feasible(data, result)
    assert result["objective"] == pytest.approx(_objective(data, result))
    assert result["bound"] >= result["objective"] - 1e-9
    return result


def _brute_force(data: dict[str, Any]) -> float:
    """Best objective over every slot-or-nothing choice per request (tiny instances only)."""
    people = {p["id"]: p for p in data["participants"]}
    reqs = data["requests"]
    best = 0.0
    for choice in itertools.product(range(-1, len(data["slots"])), repeat=len(reqs)):
        busy: set[tuple[str, int]] = set()
        held: Counter[str] = Counter()
        used: Counter[int] = Counter()
        ok = True
        for req, s in zip(reqs, choice, strict=True):
            if s < 0:
                continue
            used[s] += 1
            for pid in (req["a"], req["b"]):
                held[pid] += 1
                limit = people[pid].get("max_meetings")
                if (
                    (pid, s) in busy
                    or s in people[pid].get("unavailable", [])
                    or (limit is not None and held[pid] > limit)
                ):
                    ok = False
                busy.add((pid, s))
        if ok and all(n <= data["tables"] for n in used.values()):
            best = max(best, sum(float(req["weight"]) for req, s in zip(reqs, choice, strict=True) if s >= 0))
    return best


def _random_instance(rng: random.Random, n_people: int, n_requests: int, n_slots: int) -> dict[str, Any]:
    ids = [f"u-{i}" for i in range(n_people)]
    every_pair = list(itertools.combinations(ids, 2))
    pairs = rng.sample(every_pair, min(n_requests, len(every_pair)))
    extra: dict[str, dict[str, Any]] = {}
    for pid in ids:
        spec: dict[str, Any] = {}
        if rng.random() < 0.3:
            spec["unavailable"] = [rng.randrange(n_slots)]
        if rng.random() < 0.3:
            spec["max_meetings"] = rng.randint(0, 2)
        extra[pid] = spec
    triples = [(a, b, float(rng.choice([1, 2, 3]))) for a, b in pairs]
    return _instance(n_slots, rng.randint(1, 2), triples, extra)


def test_schedule_request_held_once_and_partition_of_requests() -> None:
    data = _instance(4, 5, [("a", "b", 3.0), ("a", "b", 2.0), ("c", "d", 1.0)])
    result = _solve(data)
    assert sorted(result["schedule"]) == ["r-0", "r-1", "r-2"]
    assert result["unscheduled"] == []
    # Two requests for the same pair are two meetings, so they must land in different slots.
    assert result["schedule"]["r-0"]["slot"] != result["schedule"]["r-1"]["slot"]


def test_schedule_participant_in_one_meeting_per_slot() -> None:
    # One slot and plenty of tables: a naive answer seats the hub three times at once.
    data = _instance(1, 3, [("hub", "x", 1.0), ("hub", "y", 3.0), ("hub", "z", 2.0)])
    result = _solve(data)
    assert result["schedule"] == {"r-1": {"slot": 0, "table": 1}}
    assert sorted(result["unscheduled"]) == ["r-0", "r-2"]
    assert (result["objective"], result["bound"], result["status"]) == (3.0, 3.0, "optimal")


def test_schedule_never_uses_unavailable_slot() -> None:
    # The earliest slot is free for the tables but not for `a`; `c` can never meet.
    data = _instance(
        3,
        5,
        [("a", "b", 1.0), ("c", "b", 2.0)],
        {"a": {"unavailable": [0, 1]}, "c": {"unavailable": [0, 1, 2]}},
    )
    result = _solve(data)
    assert result["schedule"] == {"r-0": {"slot": 2, "table": 1}}
    assert result["unscheduled"] == ["r-1"]
    assert result["bound"] == 1.0


def test_schedule_respects_max_meetings() -> None:
    data = _instance(
        3, 5, [("hub", "x", 1.0), ("hub", "y", 3.0), ("hub", "z", 2.0)], {"hub": {"max_meetings": 2}}
    )
    result = _solve(data)
    assert sorted(result["schedule"]) == ["r-1", "r-2"]
    assert (result["objective"], result["bound"]) == (5.0, 5.0)


def test_schedule_zero_max_meetings_holds_nothing() -> None:
    data = _instance(2, 2, [("a", "b", 3.0)], {"a": {"max_meetings": 0}})
    result = _solve(data)
    assert (result["schedule"], result["unscheduled"], result["bound"]) == ({}, ["r-0"], 0.0)


def test_schedule_respects_tables_per_slot() -> None:
    # Four disjoint pairs fit one slot by participants but only two tables exist.
    data = _instance(1, 2, [("a", "b", 1.0), ("c", "d", 3.0), ("e", "f", 2.0), ("g", "h", 1.0)])
    result = _solve(data)
    assert sorted(result["schedule"]) == ["r-1", "r-2"]
    assert sorted(place["table"] for place in result["schedule"].values()) == [1, 2]
    assert (result["objective"], result["bound"], result["status"]) == (5.0, 5.0, "optimal")


def test_schedule_tables_distinct_and_numbered_within_slot() -> None:
    rng = random.Random(7)
    data = _random_instance(rng, 14, 40, 4)
    data["tables"] = 3
    result = _solve(data)
    by_slot: dict[int, list[int]] = {}
    for place in result["schedule"].values():
        by_slot.setdefault(place["slot"], []).append(place["table"])
    assert by_slot
    for tables in by_slot.values():
        assert sorted(tables) == list(range(1, len(tables) + 1))


def test_schedule_odd_cycle_bound_is_integral() -> None:
    # A triangle in one slot: the LP relaxation says 1.5, but only one meeting can be held.
    data = _instance(1, 3, [("a", "b", 1.0), ("b", "c", 1.0), ("a", "c", 1.0)])
    result = _solve(data)
    assert (result["objective"], result["bound"], result["status"]) == (1.0, 1.0, "optimal")


def test_schedule_fractional_weights_reach_optimum() -> None:
    data = _instance(2, 1, [("a", "b", 0.5), ("a", "c", 1.25), ("b", "c", 0.75)])
    result = _solve(data)
    assert result["objective"] == pytest.approx(2.0)
    assert result["status"] == "optimal"
    assert result["bound"] == result["objective"]


def test_schedule_empty_requests_is_optimal_zero() -> None:
    data = _instance(2, 1, [], {"a": {}})
    result = _solve(data)
    expected = {"schedule": {}, "unscheduled": [], "objective": 0.0, "bound": 0.0, "status": "optimal"}
    assert {k: v for k, v in result.items() if k != "seconds"} == expected
    assert result["seconds"] >= 0


def test_schedule_matches_brute_force_on_tiny_random_instances() -> None:
    rng = random.Random(2026)
    for _ in range(40):
        data = _random_instance(rng, rng.randint(3, 5), rng.randint(1, 6), rng.randint(1, 3))
        result = _solve(data)
        best = _brute_force(data)
        assert result["objective"] == pytest.approx(best), data
        assert (result["status"], result["bound"]) == ("optimal", result["objective"]), data


def test_every_bound_is_at_least_brute_force_optimum() -> None:
    rng = random.Random(99)
    for _ in range(25):
        data = _random_instance(rng, rng.randint(3, 5), rng.randint(1, 6), rng.randint(1, 3))
        inst = parse_meeting_instance(data)
        best = _brute_force(data)
        assert combinatorial_bound(inst) >= best
        for model in (build_pair_model(inst), build_slot_model(inst)):
            relaxed = lp_relaxation(model, len(inst.requests), Budget.of(0, work_limit=WORK))
            assert relaxed is not None
            assert round_bound(relaxed[0], integral=True) >= best, data


def test_schedule_small_instances_proved_optimal() -> None:
    rng = random.Random(11)
    for _ in range(5):
        data = _random_instance(rng, 16, 45, 5)
        result = _solve(data)
        assert result["status"] == "optimal"
        assert result["bound"] == result["objective"]


def test_schedule_medium_instance_bound_and_objective() -> None:
    rng = random.Random(3)
    data = _random_instance(rng, 40, 300, 8)
    data["tables"] = 12
    result = _solve(data)
    assert result["objective"] >= 0.97 * result["bound"]
    assert result["status"] in ("optimal", "feasible")


def test_schedule_time_limit_is_honoured() -> None:
    rng = random.Random(3)
    data = _random_instance(rng, 40, 300, 8)
    data["tables"] = 12
    result = schedule_meetings(data, time_limit=8.0)
    _check_feasible(data, result)
    assert result["seconds"] <= 20.0  # the limit is honoured (with slack for a loaded machine)


def test_schedule_is_deterministic_for_a_seed() -> None:
    rng = random.Random(5)
    data = _random_instance(rng, 20, 80, 6)
    first, second = _solve(data, seed=4), _solve(data, seed=4)
    assert first["schedule"] == second["schedule"]
    assert first["objective"] == second["objective"]


def _as_result(data: dict[str, Any], slot_of: list[int]) -> dict[str, Any]:
    """A spec result for a bare slot assignment, tables numbered in request order."""
    schedule: dict[str, dict[str, int]] = {}
    for req, s in zip(data["requests"], slot_of, strict=True):
        if s >= 0:
            schedule[req["id"]] = {"slot": s, "table": 1 + sum(p["slot"] == s for p in schedule.values())}
    unscheduled = [req["id"] for req, s in zip(data["requests"], slot_of, strict=True) if s < 0]
    return {"schedule": schedule, "unscheduled": unscheduled}


def test_local_search_kempe_swap_completes_four_cycle() -> None:
    # Greedy seats a-b in slot 0 and c-d in slot 1; a-d and b-c then need c-d moved to slot 0.
    data = _instance(2, 4, [("a", "b", 3.0), ("c", "d", 3.0), ("a", "d", 2.0), ("b", "c", 1.0)])
    inst = parse_meeting_instance(data)
    slot_of, value = improve(inst, [0.0] * 4, seed=0, budget=Budget.of(0, work_limit=WORK), target=9.0)
    assert value == 9.0
    _check_feasible(data, _as_result(data, slot_of))


def test_local_search_without_lp_guidance_stays_feasible() -> None:
    rng = random.Random(19)
    for _ in range(5):
        data = _random_instance(rng, 25, 120, 5)
        inst = parse_meeting_instance(data)
        n = len(data["requests"])
        slot_of, value = improve(inst, [0.0] * n, seed=1, budget=Budget.of(0, work_limit=WORK), target=1e9)
        result = _as_result(data, slot_of)
        _check_feasible(data, result)
        assert value == pytest.approx(_objective(data, result))
        assert value <= schedule_meetings(data, work_limit=WORK)["bound"]


def test_parse_returns_typed_instance() -> None:
    data = _instance(3, 2, [("a", "b", 2)], {"a": {"unavailable": [1, 2], "max_meetings": 4}})
    inst = parse_meeting_instance(data)
    assert isinstance(inst, MeetingInstance)
    assert inst.tables == 2
    assert inst.participants[0] == Participant("a", frozenset({1, 2}), 4)
    assert inst.requests == (MeetingRequest("r-0", 0, 1, 2.0),)
    assert inst.capacity(0) == 1


def _valid() -> dict[str, Any]:
    return _instance(3, 2, [("a", "b", 1.0), ("b", "c", 2.0)], {"a": {"unavailable": [0], "max_meetings": 2}})


def _set(path: list[Any], value: Any) -> Any:
    def mutate(data: dict[str, Any]) -> None:
        target: Any = data
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return mutate


def _drop(path: list[Any]) -> Any:
    def mutate(data: dict[str, Any]) -> None:
        target: Any = data
        for key in path[:-1]:
            target = target[key]
        del target[path[-1]]

    return mutate


@pytest.mark.parametrize(
    ("mutate", "field"),
    [
        (_drop(["slots"]), "slots"),
        (_set(["slots"], "09:00"), "slots"),
        (_set(["slots"], []), "slots"),
        (_set(["slots", 1], 5), "slots[1]"),
        (_set(["slots", 2], "2026-06-12T09:00"), "slots[2]"),
        (_drop(["tables"]), "tables"),
        (_set(["tables"], 0), "tables"),
        (_set(["tables"], "40"), "tables"),
        (_set(["tables"], True), "tables"),
        (_drop(["participants"]), "participants"),
        (_set(["participants", 1], "b"), "participants[1]"),
        (_drop(["participants", 1, "id"]), "participants[1].id"),
        (_set(["participants", 2, "id"], "a"), "participants[2].id"),
        (_set(["participants", 0, "unavailable"], 0), "participants[0].unavailable"),
        (_set(["participants", 0, "unavailable", 0], 3), "participants[0].unavailable[0]"),
        (_set(["participants", 0, "unavailable", 0], -1), "participants[0].unavailable[0]"),
        (_set(["participants", 0, "max_meetings"], -1), "participants[0].max_meetings"),
        (_set(["participants", 0, "max_meetings"], 2.5), "participants[0].max_meetings"),
        (_drop(["requests"]), "requests"),
        (_set(["requests", 1], None), "requests[1]"),
        (_drop(["requests", 1, "id"]), "requests[1].id"),
        (_set(["requests", 1, "id"], "r-0"), "requests[1].id"),
        (_drop(["requests", 0, "a"]), "requests[0].a"),
        (_set(["requests", 1, "b"], "nobody"), "requests[1].b"),
        (_set(["requests", 1, "b"], "b"), "requests[1].b"),
        (_drop(["requests", 0, "weight"]), "requests[0].weight"),
        (_set(["requests", 0, "weight"], "3"), "requests[0].weight"),
        (_set(["requests", 0, "weight"], -1), "requests[0].weight"),
        (_set(["requests", 0, "weight"], float("nan")), "requests[0].weight"),
        (_set(["requests", 0, "weight"], False), "requests[0].weight"),
    ],
)
def test_parse_malformed_instance_names_field(mutate: Any, field: str) -> None:
    data = copy.deepcopy(_valid())
    mutate(data)
    with pytest.raises(InvalidInstance) as caught:
        parse_meeting_instance(data)
    assert caught.value.field == field
    with pytest.raises(InvalidInstance):
        schedule_meetings(data, time_limit=1.0)


def test_parse_rejects_non_object_instance() -> None:
    with pytest.raises(InvalidInstance) as caught:
        parse_meeting_instance([])  # type: ignore[arg-type]
    assert caught.value.field == "instance"
