"""The platform's jobs by name: each takes its dependencies, calls the domain, logs, returns."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from config.settings import Settings
from matchmaking import mail
from matchmaking.clock import now_utc, today_in_vietnam
from matchmaking.demands import demands
from matchmaking.demands.matching import match_demands
from matchmaking.fairs.allocation import allocate_due_fairs
from matchmaking.meetings.schedule import schedule_due_sessions
from search.client import SearchClient
from search.errors import SearchError
from search.indexer import reindex, reindex_pending, sync_outbox

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class JobContext:
    """What jobs may use: the settings and the search client (None when not configured)."""

    settings: Settings
    search: SearchClient | None


JobFunction = Callable[[JobContext], Awaitable[str]]


async def search_sync(context: JobContext) -> str:
    """Drain the search outbox into Meilisearch."""
    if context.search is None:
        return "search not configured; outbox kept"
    total, rebuilt = 0, ""
    try:
        if await reindex_pending():
            report = await reindex(context.search, today=today_in_vietnam())
            rebuilt = f"interrupted rebuild finished ({report.documents} products rebuilt); "
        while (sent := await sync_outbox(context.search, today=today_in_vietnam())) > 0:
            total += sent
    except SearchError as exc:
        log.warning("search sync paused: %s", exc)
        return f"search unavailable after {total} changes; will retry"
    return f"{rebuilt}{total} changes indexed"


async def send_email(context: JobContext) -> str:
    """Deliver queued emails over SMTP; without SMTP they wait in the local mailbox."""
    settings = context.settings
    if not settings.smtp_host:
        return "no SMTP server configured; emails stay in the local mailbox"
    config = mail.SmtpConfig(
        host=settings.smtp_host,
        port=settings.smtp_port,
        sender=settings.smtp_from,
        username=settings.smtp_username,
        password=str(settings.smtp_password) if settings.smtp_password else None,
        starttls=settings.smtp_starttls,
    )
    sent = await mail.deliver_pending(config, now=now_utc())
    return f"{sent} emails sent"


async def expire_demands(context: JobContext) -> str:
    """Mark open demands past their valid-until date as expired."""
    expired = await demands.expire_demands(today=today_in_vietnam())
    return f"{expired} demands expired"


async def match(context: JobContext) -> str:
    """Match open demands with products, announce new matches, plan consortia."""
    if context.search is None:
        return "search not configured; matching skipped"
    try:
        report = await match_demands(
            context.search, now=now_utc(), public_url=context.settings.public_url
        )
    except SearchError as exc:
        log.warning("matching paused: %s", exc)
        return "search unavailable; matching will retry"
    return report.summary()


async def allocate_booths(context: JobContext) -> str:
    """Allocate booths (as drafts) for fairs whose application window has closed."""
    done = await allocate_due_fairs(now=now_utc(), time_limit=60.0)
    return f"booths allocated for {len(done)} fairs"


async def schedule_meetings(context: JobContext) -> str:
    """Schedule every due B2B session once; a published session is never recomputed."""
    outcomes = await schedule_due_sessions(now=now_utc(), time_limit=60.0,
                                           public_url=context.settings.public_url)
    for outcome in outcomes:
        log.info("meeting session %s scheduled: %d meetings, %d left out (run %d)",
                 outcome.run.instance.get("session_id"), outcome.scheduled, outcome.unscheduled,
                 outcome.run.id)
    return f"{len(outcomes)} meeting sessions scheduled"


async def lapsed_certificates(context: JobContext) -> str:
    """Re-index products whose certificate lapsed lately, so ranking stops treating them as certified."""
    from search.indexer import enqueue_lapsed_certificates

    queued = await enqueue_lapsed_certificates(today=today_in_vietnam())
    return f"{queued} products with lapsed certificates queued for re-indexing"


async def certificate_reminders(context: JobContext) -> str:
    """Remind producers 6, 3 and 1 months before a verified certificate expires (once each)."""
    from matchmaking.certificates.expiry import send_expiry_reminders
    from matchmaking.clock import today_in_vietnam

    sent = await send_expiry_reminders(today=today_in_vietnam(),
                                       public_url=context.settings.public_url)
    return f"{sent} certificate expiry reminders sent"


async def thumbnails(context: JobContext) -> str:
    """Make the thumbnails photos uploaded before thumbnails lack, a bounded number per run."""
    from matchmaking.catalogue.thumbnails import make_missing_thumbnails

    report = await make_missing_thumbnails(media_dir=context.settings.media_dir,
                                           limit=THUMBNAILS_PER_RUN)
    return report.summary()


THUMBNAILS_PER_RUN = 200


@dataclass(frozen=True)
class JobSpec:
    function: JobFunction
    seconds: int
    description: str
    heavy: bool = False  # CPU-bound for long: in a web process it runs in a child process


JOBS: dict[str, JobSpec] = {
    "search-sync": JobSpec(search_sync, 1, "send product changes to the search index"),
    "send-email": JobSpec(send_email, 10, "deliver queued emails over SMTP"),
    "lapsed-certificates": JobSpec(lapsed_certificates, 6 * 3600, "re-index lapsed certificates"),
    "certificate-reminders": JobSpec(certificate_reminders, 6 * 3600,
                                     "remind producers of certificates expiring in 6, 3, 1 months"),
    "thumbnails": JobSpec(thumbnails, 3600, "make missing thumbnails of older photos"),
    "expire-demands": JobSpec(expire_demands, 3600, "expire open demands past their valid-until date"),
    "schedule-meetings": JobSpec(schedule_meetings, 300, "schedule B2B sessions past their deadline",
                                 heavy=True),
    "match": JobSpec(match, 300, "match open demands with products and plan consortia", heavy=True),
    "allocate-booths": JobSpec(allocate_booths, 600, "allocate booths of fairs whose applications closed",
                               heavy=True),
}


async def run_job(name: str, context: JobContext) -> str:
    """Run job `name` now; a heavy one only if no other process runs it (else a line saying so)."""
    spec = JOBS[name]
    if not spec.heavy:
        return await spec.function(context)
    from jobs.leader import job_lock_for

    lock = job_lock_for(context.settings.database_url, context.settings.var_dir, name)
    if not await lock.try_acquire():
        return f"{name} is running in another process: not started"
    try:
        return await spec.function(context)
    finally:
        await lock.release()
