"""Jobs off the request path: heavy ones in a child process, and runs that coalesce."""

from __future__ import annotations

import asyncio
import sys
from dataclasses import replace
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette

from config.settings import Settings
from jobs.isolated import JobFailed, job_environment, run_in_child
from jobs.registry import JOBS, JobContext
from jobs.scheduler import Coalescing, job_runner
from search.client import SearchClient

HOLD = "import pathlib, sys, time\nwhile not pathlib.Path(sys.argv[1]).exists(): time.sleep(0.01)\n" \
       "print('done')"


async def test_the_loop_answers_pages_while_a_heavy_job_holds(
    app: Starlette, settings: Settings, tmp_path: Path
) -> None:
    gate = tmp_path / "release"
    job = asyncio.create_task(
        run_in_child([sys.executable, "-c", HOLD, str(gate)], job_environment(settings)))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        answers = [(await http.get("/healthz")).status_code for _ in range(20)]
        still_holding = not job.done()
    gate.touch()

    assert answers == [200] * 20
    assert still_holding
    assert await job == "done"


async def test_heavy_jobs_run_in_a_child_process_in_the_web_process(
    db: str, settings: Settings, search: SearchClient
) -> None:
    from datetime import date

    from matchmaking.models import Match
    from search.indexer import reindex
    from tests.factories import make_account, make_buyer, make_demand, make_producer, make_product

    producer = await make_producer(owner=await make_account("producer"))
    tea = await make_product(producer, name="Trà Shan tuyết cổ thụ")
    demand = await make_demand(await make_buyer())
    await reindex(search, today=date.today())
    heavy = {name for name, spec in JOBS.items() if spec.heavy}
    assert heavy == {"match", "allocate-booths", "schedule-meetings"}

    same_index = replace(settings, search_index_prefix=search.prefix)
    runner = job_runner("match", JOBS["match"], JobContext(settings=same_index, search=search),
                        isolate_heavy=True)
    outcome = await runner.work()

    assert outcome.startswith("full run: 1 demands")
    # Written by the child process, read here.
    assert await Match.filter(demand=demand).values_list("product_id", flat=True) == [tea.id]


async def test_a_failing_child_raises_its_last_error_line(settings: Settings) -> None:
    with pytest.raises(JobFailed, match="no such thing"):
        await run_in_child([sys.executable, "-c", "raise SystemExit('no such thing')"],
                           job_environment(settings))


async def test_a_job_that_is_still_running_coalesces_the_ticks_into_one_more_run() -> None:
    release = asyncio.Event()
    started = 0

    async def sync() -> str:
        nonlocal started
        started += 1
        if started == 1:
            await release.wait()
        return "ok"

    runner = Coalescing("search-sync", sync)
    first = asyncio.create_task(runner())
    await asyncio.sleep(0)
    for _ in range(5):  # five ticks while the first run holds: none piles up
        await runner()
    assert (started, runner.again) == (1, True)
    release.set()
    await first

    assert started == 2
    assert runner.running is False


async def test_a_failing_run_does_not_stop_later_runs(caplog: pytest.LogCaptureFixture) -> None:
    calls = 0

    async def flaky() -> str:
        nonlocal calls
        calls += 1
        if calls == 1:
            raise RuntimeError("boom")
        return "ok"

    runner = Coalescing("flaky", flaky)
    await runner()
    await runner()

    assert calls == 2
    assert "job flaky failed" in caplog.text


async def test_a_heavy_job_already_running_elsewhere_is_not_started_again(
    db: str, settings: Settings, search: SearchClient
) -> None:
    from jobs.leader import job_lock_for
    from jobs.registry import run_job
    from matchmaking.models import JobState

    elsewhere = job_lock_for(settings.database_url, settings.var_dir, "match")
    assert await elsewhere.try_acquire()
    try:
        outcome = await run_job("match", JobContext(settings=settings, search=search))
    finally:
        await elsewhere.release()

    assert outcome == "match is running in another process: not started"
    assert not await JobState.exists(name="match")
    assert (await run_job("match", JobContext(settings=settings, search=search))).startswith("full run")
