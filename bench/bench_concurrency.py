"""Writes under concurrency: 20 producers updating their products and 20 buyers posting demands at
once, through the JSON API with tokens, on `ocop serve` (production settings, 2 web workers) with
`ocop worker` draining the search outbox; then whether the index equals the database.

Runs on SQLite, and on PostgreSQL too when BENCH_CONCURRENCY_DATABASE_URL names a database
(dropped and recreated). BENCH_CONCURRENCY_SECONDS (30) sets how long the clients write,
BENCH_CONCURRENCY_CLIENTS (20) how many producers and as many buyers, BENCH_CONCURRENCY_PRODUCTS
(5000) the catalogue. Afterwards: acknowledged writes the database lost, then, once the outbox is
drained and Meilisearch idle (at most SETTLE_SECONDS), published products missing from the
index, documents of products not published, and documents that differ from the database.
Figures go to bench/results/concurrency.json and concurrency.md, one entry per database.
"""

from __future__ import annotations

import asyncio
import os
import time
from pathlib import Path
from typing import Any

from bench import results_file, servers
from bench.concurrency import (
    Budget,
    index_difference,
    index_equals_database,
    lost_writes,
    run_clients,
    settled,
)
from matchmaking.clock import today_in_vietnam
from matchmaking.database import close_database, open_database
from search.client import SearchClient
from search.server import free_port

RESULTS = results_file.RESULTS
SECONDS = float(os.environ.get("BENCH_CONCURRENCY_SECONDS", "30"))
CLIENTS = int(os.environ.get("BENCH_CONCURRENCY_CLIENTS", "20"))
PRODUCTS = int(os.environ.get("BENCH_CONCURRENCY_PRODUCTS", "5000"))
POSTGRES_URL = os.environ.get("BENCH_CONCURRENCY_DATABASE_URL")
WEB_WORKERS = 2
SETTLE_SECONDS = 120.0


async def _afterwards(database_url: str, search: SearchClient, outcome: Any) -> dict[str, Any]:
    await open_database(database_url)
    try:
        lost = await lost_writes(outcome)
        started = time.monotonic()
        try:
            settle: dict[str, Any] = {"settled_after_s": await settled(search, timeout=SETTLE_SECONDS)}
        except TimeoutError as exc:
            settle = {"settled_after_s": round(time.monotonic() - started, 1), "not_settled": str(exc)}
        difference = await index_difference(search, today=today_in_vietnam())
    finally:
        await close_database()
        await search.aclose()
    return {"lost_writes": lost, **settle, "index": difference,
            "index_equals_database": index_equals_database(difference)}


def run_on(database_url: str | None) -> dict[str, Any]:
    """One run on `database_url` (None: a fresh SQLite file): seed, write, check."""
    seed = ("--products", str(PRODUCTS), "--buyers", str(max(60, CLIENTS)))
    with servers.seeded("concurrency", database_url, *seed) as (meili, env):
        port = free_port()
        web = servers.serve(env, port, WEB_WORKERS)
        jobs = servers.worker(env, Path(env["OCOP_VAR_DIR"]) / "worker.log")
        try:
            started = time.monotonic()
            outcome = asyncio.run(run_clients(f"http://127.0.0.1:{port}", producers=CLIENTS,
                                              buyers=CLIENTS, budget=Budget(seconds=SECONDS)))
            elapsed = time.monotonic() - started
            search = SearchClient(meili.url, meili.master_key, prefix=servers.PREFIX)
            checked = asyncio.run(_afterwards(env["DATABASE_URL"], search, outcome))
        finally:
            servers.stop(web)
            servers.stop(jobs)
    return {"clients": {"producers": CLIENTS, "buyers": CLIENTS}, "seconds": SECONDS,
            "web_workers": WEB_WORKERS, "products": PRODUCTS, "cores": os.cpu_count(),
            **outcome.figures(min(elapsed, SECONDS)), **checked}


def _row(name: str, run: dict[str, Any]) -> str:
    index = run["index"]
    lost = run["lost_writes"]
    errors = ", ".join(f"{kind}: {n}" for kind, n in run["errors_by_kind"].items()) or "none"
    return (f"| {name} | {run['writes']:,} ({run['product_updates']:,} updates, "
            f"{run['demands_posted']:,} demands) | {run['rps']:,.1f} | {run['p50_ms']:,.0f}/"
            f"{run['p95_ms']:,.0f}/{run['p99_ms']:,.0f} | {errors} | "
            f"{len(lost['products_not_as_acknowledged'])} products, {lost['demands_missing']} demands "
            f"missing, {lost['demands_doubled']} doubled | {run['settled_after_s']} s | "
            f"{index['missing_count']} missing, {index['extra_count']} extra, "
            f"{index['differing_count']} differing of {index['published']:,} |")


def write_markdown(stored: dict[str, Any], path: Path) -> None:
    first = next(iter(stored.values()))
    lines = [
        "# Writes under concurrency", "",
        f"`make bench BENCH=concurrency`: {first['clients']['producers']} producers updating their "
        f"products and {first['clients']['buyers']} buyers posting demands at once for "
        f"{first['seconds']:.0f} s, through the JSON API with tokens, on `ocop serve` (production "
        f"settings, {first['web_workers']} web workers) and `ocop worker`; {first['products']:,} "
        f"products, {first['cores']} cores. Then the acknowledged writes are looked up in the "
        "database, and once the outbox is drained, the index is compared with the database "
        "document by document.", "",
        "| database | writes | rps | p50/p95/p99 ms | errors | lost | index settled | "
        "index vs database |",
        "|---|---|---|---|---|---|---|---|",
    ]
    lines += [_row(name, run) for name, run in stored.items()]
    examples = {f"{name}: {kind}": text for name, run in stored.items()
                for kind, text in run["error_examples"].items()}
    if examples:
        lines += ["", "First error of each kind:", ""]
        lines += [f"- {kind}: `{text[:200]}`" for kind, text in examples.items()]
    path.write_text("\n".join(lines) + "\n")


def main() -> None:
    figures = {"sqlite": run_on(None)}
    if POSTGRES_URL:
        figures["postgresql"] = run_on(POSTGRES_URL)
    stored = results_file.keep("concurrency", figures)
    write_markdown(stored, RESULTS / "concurrency.md")
    print((RESULTS / "concurrency.md").read_text())


if __name__ == "__main__":
    main()
