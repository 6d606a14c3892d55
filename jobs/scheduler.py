"""APScheduler 3 in asyncio: every job at most one instance at a time, missed runs coalesced."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from config.settings import Settings
from jobs.registry import JOBS, JobContext, JobSpec
from search.client import SearchClient

log = logging.getLogger(__name__)

# The job runs in progress in this process, so a stop can give them time to finish.
_running: set[asyncio.Task[None]] = set()


def _runner(name: str, spec: JobSpec, context: JobContext) -> Callable[[], Awaitable[None]]:
    async def run() -> None:
        task = asyncio.current_task()
        if task is not None:
            _running.add(task)
        try:
            outcome = await spec.function(context)
        except Exception:  # a failing job must not stop the scheduler; the next run retries
            log.exception("job %s failed", name)
            return
        finally:
            if task is not None:
                _running.discard(task)
        log.debug("job %s: %s", name, outcome)

    return run


def start_scheduler(settings: Settings, search: SearchClient | None) -> AsyncIOScheduler:
    """Start the scheduler on the running event loop with every registered job."""
    context = JobContext(settings=settings, search=search)
    scheduler = AsyncIOScheduler(
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 30}
    )
    for name, spec in JOBS.items():
        scheduler.add_job(
            _runner(name, spec, context), "interval", seconds=spec.seconds, id=name, name=name
        )
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
