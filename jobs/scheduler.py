"""APScheduler 3 in asyncio: every job at most one instance at a time, missed runs coalesced.

A tick that finds its job still running does not queue or log a skip: it asks the running one
to go round once more, so a burst of changes is picked up by at most one extra run.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from config.settings import Settings
from jobs.isolated import run_job_in_child
from jobs.registry import JOBS, JobContext, JobSpec, run_job
from search.client import SearchClient

log = logging.getLogger(__name__)

# The job runs in progress in this process, so a stop can give them time to finish.
_running: set[asyncio.Task[None]] = set()


class Coalescing:
    """Runs `work` for each call, except while a run is under way: then it runs once more after."""

    def __init__(self, name: str, work: Callable[[], Awaitable[str]]) -> None:
        self.name = name
        self.work = work
        self.running = False
        self.again = False
        self.runs = 0

    async def __call__(self) -> None:
        if self.running:
            self.again = True
            return
        self.running = True
        task = asyncio.current_task()
        if task is not None:
            _running.add(task)
        try:
            while True:
                self.again = False
                self.runs += 1
                try:
                    outcome = await self.work()
                except Exception:  # a failing job must not stop the scheduler; the next run retries
                    log.exception("job %s failed", self.name)
                    return
                log.debug("job %s: %s", self.name, outcome)
                if not self.again:
                    return
        finally:
            self.running = False
            if task is not None:
                _running.discard(task)


def job_runner(name: str, spec: JobSpec, context: JobContext, *, isolate_heavy: bool) -> Coalescing:
    """The scheduled callable of one job; heavy ones in a child process when `isolate_heavy`."""
    if isolate_heavy and spec.heavy:
        return Coalescing(name, lambda: run_job_in_child(name, context.settings))
    return Coalescing(name, lambda: run_job(name, context))


def start_scheduler(
    settings: Settings, search: SearchClient | None, *, isolate_heavy: bool = False
) -> AsyncIOScheduler:
    """Start the scheduler on the running event loop with every registered job.

    `isolate_heavy` (a web process) runs the heavy jobs in low-priority child processes.
    """
    context = JobContext(settings=settings, search=search)
    scheduler = AsyncIOScheduler(
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 30}
    )
    for name, spec in JOBS.items():
        runner = job_runner(name, spec, context, isolate_heavy=isolate_heavy)
        scheduler.add_job(runner.__call__, "interval", seconds=spec.seconds, id=name, name=name)
    scheduler.start()
    log.info("scheduler started with %d jobs", len(JOBS))
    return scheduler


async def stop_scheduler(scheduler: AsyncIOScheduler, *, grace: float) -> None:
    """Start no new job, give the running ones `grace` seconds, then cancel what is left."""
    scheduler.pause()
    running = set(_running)
    if running and grace > 0:
        log.info("waiting up to %.0f s for %d running jobs", grace, len(running))
        await asyncio.wait(running, timeout=grace)
    left = [task for task in _running if not task.done()]
    if left:
        log.warning("cancelling %d jobs still running at shutdown", len(left))
    scheduler.shutdown(wait=False)  # cancels the jobs still running
    if left:
        await asyncio.wait(left, timeout=1.0)
