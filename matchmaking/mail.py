"""The email outbox: verbs queue messages, the mail job delivers them over SMTP."""

from __future__ import annotations

import smtplib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage as MimeMessage

from matchmaking.enums import EmailStatus
from matchmaking.models import EmailMessage

MAX_ATTEMPTS = 5


@dataclass(frozen=True)
class SmtpConfig:
    host: str
    port: int
    sender: str
    username: str | None = None
    password: str | None = None
    starttls: bool = False
    timeout: float = 10.0


async def queue(*, to: str, subject: str, body: str) -> EmailMessage:
    """Queue an email; call inside the transaction of the change it reports."""
    return await EmailMessage.create(to_address=to, subject=subject[:200], body=body)


async def queue_all(emails: Sequence[tuple[str, str, str]]) -> None:
    """Queue (to, subject, body) emails in one statement; inside the change's transaction."""
    if emails:
        await EmailMessage.bulk_create([
            EmailMessage(to_address=to, subject=subject[:200], body=body)
            for to, subject, body in emails])


def _send(config: SmtpConfig, message: EmailMessage) -> None:
    mime = MimeMessage()
    mime["From"] = config.sender
    mime["To"] = message.to_address
    mime["Subject"] = message.subject
    mime.set_content(message.body)
    with smtplib.SMTP(config.host, config.port, timeout=config.timeout) as smtp:
        if config.starttls:
            smtp.starttls()
        if config.username and config.password:
            smtp.login(config.username, config.password)
        smtp.send_message(mime)


async def deliver_pending(config: SmtpConfig, *, now: datetime, limit: int = 50) -> int:
    """Send pending emails; a failure is retried on later runs, up to MAX_ATTEMPTS."""
    import asyncio

    sent = 0
    pending = await EmailMessage.filter(status=EmailStatus.PENDING).order_by("id").limit(limit)
    for message in pending:
        try:
            await asyncio.to_thread(_send, config, message)
        except (OSError, smtplib.SMTPException) as exc:
            message.attempts += 1
            message.last_error = str(exc)[:500]
            if message.attempts >= MAX_ATTEMPTS:
                message.status = EmailStatus.FAILED
            await message.save(update_fields=["attempts", "last_error", "status"])
            continue
        message.status, message.sent_at = EmailStatus.SENT, now
        message.attempts += 1
        await message.save(update_fields=["status", "sent_at", "attempts"])
        sent += 1
    return sent


async def mailbox(*, limit: int = 50) -> list[EmailMessage]:
    """The newest emails, sent or not: the development mailbox page."""
    return await EmailMessage.all().order_by("-id").limit(limit)
