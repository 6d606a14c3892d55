"""Meeting scheduler vs a plain HiGHS MILP vs first come, first served (`python -m bench.bench_meetings`)."""

from __future__ import annotations

import argparse
import json
import math
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from bench.meeting_instances import generate_meeting_instance
from matchmaking.optim.budget import Budget
from matchmaking.optim.meetings import schedule_meetings
from matchmaking.optim.meetings_lp import build_slot_model, solve_milp
from matchmaking.optim.meetings_model import MeetingInstance, parse_meeting_instance

RESULTS = Path(__file__).parent / "results"


def first_come_first_served(inst: MeetingInstance) -> list[int]:
    """Requests in input order, each into the earliest slot where it still fits."""
    n_slots = len(inst.slots)
    busy = [[False] * n_slots for _ in inst.participants]
    held = [0] * len(inst.participants)
    used = [0] * n_slots
    slot_of = [-1] * len(inst.requests)
    for r, req in enumerate(inst.requests):
        a, b = req.a, req.b
        if held[a] >= inst.capacity(a) or held[b] >= inst.capacity(b):
            continue
        for s in range(n_slots):
            if used[s] >= inst.tables or busy[a][s] or busy[b][s]:
                continue
            if s in inst.participants[a].unavailable or s in inst.participants[b].unavailable:
                continue
            busy[a][s] = busy[b][s] = True
            held[a] += 1
            held[b] += 1
            used[s] += 1
            slot_of[r] = s
            break
    return slot_of


def violations(inst: MeetingInstance, slot_of: Sequence[int]) -> int:
    """Count broken constraints in a slot assignment, so every row of the table is checked."""
    bad = 0
    seen: set[tuple[int, int]] = set()
    held = [0] * len(inst.participants)
    used = [0] * len(inst.slots)
    for req, s in zip(inst.requests, slot_of, strict=True):
        if s < 0:
            continue
        used[s] += 1
        for p in (req.a, req.b):
            held[p] += 1
            bad += (p, s) in seen or s in inst.participants[p].unavailable
            seen.add((p, s))
    bad += sum(u > inst.tables for u in used)
    limits = [person.max_meetings for person in inst.participants]
    return bad + sum(lim is not None and h > lim for h, lim in zip(held, limits, strict=True))


def _row(
    method: str, inst: MeetingInstance, slot_of: Sequence[int] | None, bound: float, seconds: float
) -> dict[str, Any]:
    value = (
        None
        if slot_of is None
        else sum(r.weight for r, s in zip(inst.requests, slot_of, strict=True) if s >= 0)
    )
    return {
        "method": method,
        "objective": value,
        "held": None if slot_of is None else sum(s >= 0 for s in slot_of),
        "bound": bound if math.isfinite(bound) else None,
        "seconds": round(seconds, 3),
        "violations": None if slot_of is None else violations(inst, slot_of),
    }


def _timed(fn: Callable[[], Any]) -> tuple[Any, float]:
    started = time.monotonic()
    out = fn()
    return out, time.monotonic() - started


def run_instance(name: str, data: dict[str, Any], time_limit: float, seed: int) -> dict[str, Any]:
    """Run the three methods on one instance and return its part of the report."""
    inst = parse_meeting_instance(data)
    ours, t_ours = _timed(lambda: schedule_meetings(data, time_limit=time_limit, seed=seed))
    index = {req.id: r for r, req in enumerate(inst.requests)}
    our_slots = [-1] * len(inst.requests)
    for rid, place in ours["schedule"].items():
        our_slots[index[rid]] = place["slot"]
    budget = Budget.of(time_limit)
    milp, t_milp = _timed(lambda: solve_milp(build_slot_model(inst), len(inst.requests), budget))
    fcfs, t_fcfs = _timed(lambda: first_come_first_served(inst))
    rows = [
        _row("ours (LP bound + local search)", inst, our_slots, float(ours["bound"]), t_ours),
        _row("HiGHS MILP x[r,s]", inst, milp.slot_of, milp.bound, t_milp),
        _row("first come, first served", inst, fcfs, math.inf, t_fcfs),
    ]
    best = min(r["bound"] for r in rows if r["bound"] is not None)
    for row in rows:
        obj, own = row["objective"], row["bound"]
        row["gap_pct"] = None if obj is None or own is None else round(100 * (own - obj) / max(own, 1e-9), 2)
        row["pct_of_best_bound"] = None if obj is None else round(100 * obj / max(best, 1e-9), 2)
    return {
        "name": name,
        "requests": len(inst.requests),
        "participants": len(inst.participants),
        "slots": len(inst.slots),
        "tables": inst.tables,
        "time_limit": time_limit,
        "status": ours["status"],
        "results": rows,
    }


def _cell(value: Any) -> str:
    return "—" if value is None else f"{value:g}" if isinstance(value, float) else str(value)


def to_markdown(report: list[dict[str, Any]]) -> str:
    """A short Markdown table per instance."""
    lines = ["# Meeting scheduling benchmark", ""]
    for part in report:
        lines += [
            f"## {part['name']}: {part['requests']} requests, {part['participants']} participants, "
            f"{part['slots']} slots, {part['tables']} tables, {part['time_limit']:g} s limit",
            "",
            "| method | objective | held | bound | gap % | % of best bound | seconds | violations |",
            "|---|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for row in part["results"]:
            keys = ("objective", "held", "bound", "gap_pct", "pct_of_best_bound", "seconds", "violations")
            lines.append(f"| {row['method']} | " + " | ".join(_cell(row[k]) for k in keys) + " |")
        lines.append("")
    return "\n".join(lines)


def main() -> None:
    """Generate the instances, run every method, write bench/results/meetings.{json,md}."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    cases = [
        ("table-bound (60 tables)", generate_meeting_instance(tables=60, seed=args.seed)),
        ("participant-bound (160 tables)", generate_meeting_instance(tables=160, seed=args.seed)),
        (
            "stress: 30% exhibitor-exhibitor requests, 80% of people away some slots (160 tables)",
            generate_meeting_instance(tables=160, peer_share=0.3, away=0.8, seed=args.seed),
        ),
    ]
    report = [run_instance(name, data, args.time_limit, args.seed) for name, data in cases]
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "meetings.json").write_text(json.dumps(report, indent=2) + "\n")
    markdown = to_markdown(report)
    (RESULTS / "meetings.md").write_text(markdown)
    print(markdown)


if __name__ == "__main__":
    main()
