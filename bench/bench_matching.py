"""Matching benchmark: a full run over many open demands, an incremental run, and relevance.

Run from the repository root: `python -m bench.bench_matching [--products 100000 --demands 11000]`.
Seeds a temporary SQLite database with the demo generator (products, producers, buyers, demands;
about 8% of the demands come out already expired), indexes the published products in a private
Meilisearch, then measures:

* a full matching run (first: writes every match; second: nothing changed, nothing written);
* incremental runs, each after one new demand is posted (median and worst of several);
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
from matchmaking.demands.matching import match_demands
from matchmaking.demo.seed import seed_demo
from matchmaking.enums import DemandStatus
from matchmaking.models import Demand, Match, SourcingShare
from search.binary import ensure_binary
from search.client import SearchClient
from search.indexer import reindex
from search.server import EmbeddedMeili

RESULTS = Path(__file__).parent / "results"
TOP = 5


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
    figures: dict[str, Any] = {"machine": f"{platform.machine()}, {platform.python_version()}"}
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

        started = time.perf_counter()
        first = await match_demands(client, now=datetime.now(UTC), full=True)
        figures["full_run_seconds"] = round(time.perf_counter() - started, 2)
        figures["full_run"] = first.summary()
        started = time.perf_counter()
        second = await match_demands(client, now=datetime.now(UTC), full=True)
        figures["full_rerun_seconds"] = round(time.perf_counter() - started, 2)
        figures["full_rerun"] = second.summary()
        figures["matches"] = await Match.all().count()
        figures["consortium_demands"] = len(
            set(await SourcingShare.all().distinct().values_list("demand_id", flat=True)))

        sample = await Demand.filter(status=DemandStatus.OPEN).order_by("id").limit(50).values()
        times = []
        for n in range(args.incremental_runs):
            await _new_demand(sample[n % len(sample)], n + 1)
            started = time.perf_counter()
            report = await match_demands(client, now=datetime.now(UTC))
            times.append((time.perf_counter() - started) * 1000)
            assert report.demands_examined == 1, report.summary()
        figures["incremental_ms"] = {"median": round(statistics.median(times), 1),
                                     "max": round(max(times), 1), "runs": len(times)}
        figures["incremental_last_phases_ms"] = {k: round(v * 1000, 1) for k, v in report.phases.items()}
        figures["full_phases_s"] = {k: round(v, 2) for k, v in first.phases.items()}

        figures["relevance"] = await relevance.measure(client, today=today, labelled=args.labelled,
                                                       seed=args.seed)
        figures["targets"] = {"full_run_seconds": 10, "incremental_ms": 50}
        return figures
    finally:
        await close_database()
        server.stop()
        shutil.rmtree(workdir, ignore_errors=True)


def markdown(figures: dict[str, Any]) -> str:
    data = figures["data"]
    phases = ", ".join(f"{k} {v} s" for k, v in figures["full_phases_s"].items())
    return "\n".join([
        "# Matching benchmark",
        "",
        f"Data: {data['open_demands']:,} open demands ({data['demands']:,} seeded), "
        f"{data['published_products']:,} published products ({data['products']:,} seeded), "
        f"{data['producers']:,} producers, {data['buyers']:,} buyers; {figures['machine']}.",
        f"Seeding took {figures['seed_seconds']} s and indexing {figures['index_seconds']} s "
        "(not part of the runs).",
        "",
        "| run | time | target |",
        "|---|---|---|",
        f"| full, first (writes {figures['matches']:,} matches) | {figures['full_run_seconds']} s | ≤ 10 s |",
        f"| full, again (nothing to write) | {figures['full_rerun_seconds']} s | |",
        f"| incremental after one new demand (median of {figures['incremental_ms']['runs']}) | "
        f"{figures['incremental_ms']['median']} ms (max {figures['incremental_ms']['max']} ms) | ≤ 50 ms |",
        "",
        f"Full run phases: {phases}.",
        f"Sourcing: {figures['consortium_demands']:,} demands with shares of capacity.",
        "",
        *relevance.markdown(figures["relevance"]),
        "",
        f"Full run: {figures['full_run']}",
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
