"""`ocop worker`: wait to become the leader, then run the scheduler until told to stop."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from config.settings import Settings
from config.stopping import remaining
from jobs.leader import leadership_for
from jobs.scheduler import start_scheduler, stop_scheduler
from search.client import SearchClient

log = logging.getLogger(__name__)

POLL_SECONDS = 2.0


async def _sleep_or_stop(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), seconds)


async def run_worker(settings: Settings, search: SearchClient | None, *, stop: asyncio.Event) -> int:
    """Run jobs while leader, until `stop` is set; 1 if leadership was lost (a supervisor restarts us)."""
    leadership = leadership_for(settings.database_url, settings.var_dir)
    announced = False
    while not stop.is_set():
        if await leadership.try_acquire():
            break
        if not announced:
            log.info("another worker is the leader; standing by")
            announced = True
        await _sleep_or_stop(stop, POLL_SECONDS)
    if stop.is_set():
        return 0
    log.info("this worker is the leader: running jobs")
    scheduler = start_scheduler(settings, search)
    code = 0
    try:
        while not stop.is_set():
            await _sleep_or_stop(stop, POLL_SECONDS)
            if not await leadership.still_held():
                log.error("leadership lost: stopping jobs")
                code = 1
                break
    finally:
        await stop_scheduler(scheduler, grace=remaining(settings.shutdown_grace_seconds))
        await leadership.release()
    return code
