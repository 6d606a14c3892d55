"""The platform's jobs by name: each takes its dependencies, calls the domain, logs, returns."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime

from config.settings import Settings
from matchmaking import mail
from search.client import SearchClient
from search.errors import SearchError
from search.indexer import sync_outbox

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
    total = 0
    try:
        while (sent := await sync_outbox(context.search, today=date.today())) > 0:
            total += sent
    except SearchError as exc:
        log.warning("search sync paused: %s", exc)
        return f"search unavailable after {total} changes; will retry"
    return f"{total} changes indexed"


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
    sent = await mail.deliver_pending(config, now=datetime.now(UTC))
    return f"{sent} emails sent"


@dataclass(frozen=True)
class JobSpec:
    function: JobFunction
    seconds: int
    description: str


JOBS: dict[str, JobSpec] = {
    "search-sync": JobSpec(search_sync, 1, "send product changes to the search index"),
    "send-email": JobSpec(send_email, 10, "deliver queued emails over SMTP"),
}
