"""The B2B meeting job: schedule and publish sessions whose request deadline has passed."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from matchmaking.meetings.schedule import schedule_due_sessions

if TYPE_CHECKING:
    from jobs.registry import JobContext

log = logging.getLogger(__name__)

TIME_LIMIT_SECONDS = 60.0


async def schedule_meetings(context: JobContext) -> str:
    """Schedule every due session once; a published session is never recomputed."""
    outcomes = await schedule_due_sessions(now=datetime.now(UTC), time_limit=TIME_LIMIT_SECONDS)
    for outcome in outcomes:
        log.info("meeting session %s scheduled: %d meetings, %d left out (run %d)",
                 outcome.run.instance.get("session_id"), outcome.scheduled, outcome.unscheduled,
                 outcome.run.id)
    return f"{len(outcomes)} meeting sessions scheduled"
