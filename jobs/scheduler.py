"""APScheduler 3 in asyncio: every job at most one instance at a time, missed runs coalesced."""

from __future__ import annotations

import logging

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from config.settings import Settings
from jobs.registry import JOBS, JobContext, JobSpec
from search.client import SearchClient

log = logging.getLogger(__name__)


def _runner(name: str, spec: JobSpec, context: JobContext):  # type: ignore[no-untyped-def]
    async def run() -> None:
        try:
            outcome = await spec.function(context)
        except Exception:  # a failing job must not stop the scheduler; the next run retries
            log.exception("job %s failed", name)
            return
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
