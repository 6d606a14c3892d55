"""Matching benchmark: a full run over many open demands, an incremental run, and relevance.

Run from the repository root: `python -m bench.bench_matching [--products 100000 --demands 11000]`.
Seeds a temporary SQLite database with the demo generator (products, producers, buyers, demands;
about 8% of the demands come out already expired), indexes the published products in a private
Meilisearch, then measures:

* a full matching run (first: writes every match; second: nothing changed, nothing written);
* incremental runs, each after one new demand is posted (median and worst of several);
* for each, wall time and CPU time, of this process (the job) and of Meilisearch apart (read
  from /proc), since on a shared machine wall time mostly measures the neighbours; and each
  phase of a full run (load, search and score, write, notify, sourcing) in wall and job CPU;
* relevance on a labelled set from the generator's ground truth, each demand as posted, without
  diacritics and as a buyer's sentence, against Meilisearch with the same words and hard filters
  (bench/relevance.py).

Writes bench/results/matching.json and bench/results/matching.md.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import platform
import secrets
import shutil
import statistics
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from bench import relevance
from config.settings import load_settings
from matchmaking.database import close_database, migrate_database, open_database
from matchmaking.demands.matching import MatchReport, match_demands
from matchmaking.demo.seed import seed_demo
from matchmaking.enums import DemandStatus
from matchmaking.models import Demand, Match, SourcingShare
from search.binary import ensure_binary
from search.client import SearchClient
from search.indexer import reindex
from search.server import EmbeddedMeili

RESULTS = Path(__file__).parent / "results"
TOP = 5


def _cpu_of(pid: int) -> float:
    """User and system CPU seconds a process has used so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def _timed(client: SearchClient, meili_pid: int, **kwargs: Any) -> tuple[MatchReport, dict[str, float]]:
    """A match run, and its wall, job-CPU and Meilisearch-CPU seconds."""
    wall, cpu, meili = time.perf_counter(), time.process_time(), _cpu_of(meili_pid)
    report = await match_demands(client, now=datetime.now(UTC), **kwargs)
    return report, {"wall": time.perf_counter() - wall, "job_cpu": time.process_time() - cpu,
                    "meili_cpu": _cpu_of(meili_pid) - meili}


def _phases(report: MatchReport) -> dict[str, dict[str, float]]:
    return {name: {"wall": round(seconds, 2), "job_cpu": round(report.cpu_phases[name], 2)}
            for name, seconds in report.phases.items()}


def _rounded(times: dict[str, float], digits: int = 2) -> dict[str, float]:
    return {k: round(v, digits) for k, v in times.items()}


async def _new_demand(template: dict[str, Any], n: int) -> None:
    values = {k: v for k, v in template.items() if k not in ("id", "created_at", "updated_at")}
    values["title"] = f"{values['title']} (đợt {n})"
    await Demand.create(**values)


async def run(args: argparse.Namespace) -> dict[str, Any]:
    settings = load_settings()
    workdir = Path(tempfile.mkdtemp(prefix="ocop-bench-matching-"))
    server = EmbeddedMeili(
        binary=ensure_binary(settings.meili_cache_dir, settings.meili_bin),
        data_dir=workdir / "meili", master_key=secrets.token_urlsafe(24), production=False,
    )
    server.start()
    database_url = f"sqlite://{workdir / 'bench.sqlite3'}"
    figures: dict[str, Any] = {"machine": f"{platform.machine()}, {platform.python_version()}",
                               "load_average": {"start": [round(x, 2) for x in os.getloadavg()]}}
    try:
        client = SearchClient(server.url, server.master_key, prefix="bench", timeout=120)
        await migrate_database(database_url)
        await open_database(database_url)
        today = date.today()
        started = time.perf_counter()
        seeded = await seed_demo(
            seed=args.seed, producers=max(400, args.products // 20), products=args.products,
            buyers=max(60, args.demands // 10), demands=args.demands, today=today,
            password_hash="bench-not-a-hash",
        )
        figures["seed_seconds"] = round(time.perf_counter() - started, 1)
        indexed = await reindex(client, today=today)
        figures["index_seconds"] = round(indexed.seconds, 1)
        open_demands = await Demand.filter(status=DemandStatus.OPEN, valid_until__gte=today).count()
        figures["data"] = {
            "products": seeded.products, "published_products": indexed.documents,
            "demands": seeded.demands, "open_demands": open_demands, "producers": seeded.producers,
            "buyers": seeded.buyers,
        }

        assert server.process is not None
        meili_pid = server.process.pid
        first, times = await _timed(client, meili_pid, full=True)
        figures["full_run"] = {**_rounded(times), "summary": first.summary(), "phases": _phases(first)}
        second, times = await _timed(client, meili_pid, full=True)
        figures["full_rerun"] = {**_rounded(times), "summary": second.summary(), "phases": _phases(second)}
        figures["matches"] = await Match.all().count()
        figures["consortium_demands"] = len(
            set(await SourcingShare.all().distinct().values_list("demand_id", flat=True)))

        sample = await Demand.filter(status=DemandStatus.OPEN).order_by("id").limit(50).values()
        runs = []
        for n in range(args.incremental_runs):
            await _new_demand(sample[n % len(sample)], n + 1)
            report, times = await _timed(client, meili_pid)
            runs.append({k: v * 1000 for k, v in times.items()})
            assert report.demands_examined == 1, report.summary()
        figures["incremental_ms"] = {
            **{k: round(statistics.median(r[k] for r in runs), 1) for k in ("wall", "job_cpu", "meili_cpu")},
            "max_wall": round(max(r["wall"] for r in runs), 1), "runs": len(runs)}
        figures["incremental_last_phases_ms"] = {k: round(v * 1000, 1) for k, v in report.phases.items()}

        figures["relevance"] = await relevance.measure(client, today=today, labelled=args.labelled,
                                                       seed=args.seed)
        figures["targets"] = {"full_run_seconds": 10, "incremental_ms": 50}
        figures["load_average"]["end"] = [round(x, 2) for x in os.getloadavg()]
        return figures
    finally:
        await close_database()
        server.stop()
        shutil.rmtree(workdir, ignore_errors=True)


def _phase_line(run: dict[str, Any]) -> str:
    return ", ".join(f"{name} {p['wall']} s ({p['job_cpu']} s CPU)" for name, p in run["phases"].items())


def _load(figures: dict[str, Any], when: str) -> str:
    return " / ".join(str(x) for x in figures.get("load_average", {}).get(when, [])) or "?"


def markdown(figures: dict[str, Any]) -> str:
    data = figures["data"]
    first, again, incremental = figures["full_run"], figures["full_rerun"], figures["incremental_ms"]
    return "\n".join([
        "# Matching benchmark",
        "",
        f"Data: {data['open_demands']:,} open demands ({data['demands']:,} seeded), "
        f"{data['published_products']:,} published products ({data['products']:,} seeded), "
        f"{data['producers']:,} producers, {data['buyers']:,} buyers; {figures['machine']}.",
        f"Seeding took {figures['seed_seconds']} s and indexing {figures['index_seconds']} s "
        "(not part of the runs).",
        "",
        "Wall time is what a user waits; CPU time is what the job process and Meilisearch each "
        "spent, which a shared machine does not inflate as much. Load average (1, 5, 15 min) at "
        f"the start {_load(figures, 'start')}, at the end {_load(figures, 'end')}.",
        "",
        "| run | wall | job CPU | Meilisearch CPU | target (wall) |",
        "|---|---|---|---|---|",
        f"| full, first (writes {figures['matches']:,} matches) | {first['wall']} s | "
        f"{first['job_cpu']} s | {first['meili_cpu']} s | ≤ 10 s |",
        f"| full, again (nothing to write) | {again['wall']} s | {again['job_cpu']} s | "
        f"{again['meili_cpu']} s | |",
        f"| incremental after one new demand (median of {incremental['runs']}) | "
        f"{incremental['wall']} ms (max {incremental['max_wall']} ms) | {incremental['job_cpu']} ms | "
        f"{incremental['meili_cpu']} ms | ≤ 50 ms |",
        "",
        f"Phases of the first full run: {_phase_line(first)}.",
        f"Phases of the second: {_phase_line(again)}.",
        f"Sourcing: {figures['consortium_demands']:,} demands with shares of capacity.",
        "",
        *relevance.markdown(figures["relevance"]),
        "",
        f"Full run: {first['summary']}",
        "",
    ])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=100_000)
    parser.add_argument("--demands", type=int, default=11_000, help="seeded; about 92%% come out open")
    parser.add_argument("--incremental-runs", type=int, default=7)
    parser.add_argument("--labelled", type=int, default=300)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    figures = asyncio.run(run(args))
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "matching.json").write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n",
                                            encoding="utf-8")
    (args.out / "matching.md").write_text(markdown(figures), encoding="utf-8")
    print(markdown(figures))


if __name__ == "__main__":
    main()
