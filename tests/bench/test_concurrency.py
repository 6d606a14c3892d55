"""Writes under concurrency at a small scale: the benchmark's scenario (bench/concurrency.py) on a
real `ocop serve` with 2 web workers and `ocop worker`, a fixed number of writes per client."""

from __future__ import annotations

import os
import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.concurrency import Budget, index_difference, lost_writes, run_clients, settled
from matchmaking.accounts.passwords import hash_password
from matchmaking.clock import today_in_vietnam
from matchmaking.demo.seed import seed_demo
from search.client import SearchClient
from search.indexer import reindex
from tests.cli.processes import OCOP, descendants, running, start_serving

pytestmark = pytest.mark.slow

CLIENTS = 4  # producers, and as many buyers
WRITES = 6  # by each client


@pytest.fixture
def served(db: str, search: SearchClient, tmp_path: Path) -> Iterator[str]:
    """`ocop serve --workers 2` and `ocop worker` (which drains the search outbox), with production
    settings, on the test database and Meilisearch."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MEILI_", "OCOP_", "DATABASE"))}
    env.update({"OCOP_VAR_DIR": str(tmp_path / "var"), "OCOP_ENV": "production", "DATABASE_URL": db,
                "PUBLIC_URL": "http://127.0.0.1:8000",
                "MEILI_URL": search.url, "MEILI_MASTER_KEY": search.api_key or "",
                "SEARCH_INDEX_PREFIX": search.prefix, "SECRET_KEY": "concurrency-secret",
                "LOG_LEVEL": "WARNING"})
    started: list[subprocess.Popen[str]] = []
    try:
        server, url = start_serving(env, "--workers", "2", session=True)
        started.append(server)
        started.append(subprocess.Popen([OCOP, "worker"], env=env, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL, start_new_session=True))
        yield url
    finally:
        for process in started:
            os.killpg(process.pid, signal.SIGTERM)
        for process in started:
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                for pid in [process.pid, *descendants(process.pid)]:
                    if running(pid):
                        os.kill(pid, signal.SIGKILL)


@pytest.fixture
async def market(db: str, search: SearchClient) -> None:
    await seed_demo(seed=11, producers=CLIENTS * 2, products=60, buyers=CLIENTS * 2, demands=8,
                    today=today_in_vietnam(), password_hash=hash_password("ocop-demo-2026"))
    await reindex(search, today=today_in_vietnam())


async def test_concurrent_producers_and_buyers_lose_nothing_and_the_index_equals_the_database(
    market: None, served: str, search: SearchClient
) -> None:
    outcome = await run_clients(served, producers=CLIENTS, buyers=CLIENTS, budget=Budget(writes=WRITES))

    assert dict(outcome.errors) == {}, outcome.examples
    assert (outcome.updates, outcome.demands) == (CLIENTS * WRITES, CLIENTS * WRITES)
    assert await lost_writes(outcome) == {
        "products_not_as_acknowledged": [], "products_checked": len(outcome.acknowledged),
        "demands_missing": 0, "demands_doubled": 0}
    await settled(search, timeout=60)
    difference = await index_difference(search, today=today_in_vietnam())
    assert (difference["missing"], difference["extra"], difference["differing"]) == ([], [], {})
    assert difference["indexed"] == difference["published"] > 0
