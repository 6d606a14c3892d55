"""The email outbox: verbs queue messages, the mail job delivers them over SMTP."""

from __future__ import annotations

import asyncio
import re
import smtplib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage as MimeMessage

from tortoise.expressions import Q

from matchmaking.enums import EmailStatus
from matchmaking.models import EmailMessage

# Retried with a growing wait (1 min, doubling, at most an hour between tries): a message is
# given up only after about 8 hours of failures.
MAX_ATTEMPTS = 12
FIRST_RETRY = timedelta(minutes=1)
LONGEST_RETRY = timedelta(hours=1)
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")
# The server is away: every other message would fail the same way, so the batch stops.
CONNECTION_ERRORS = (OSError, smtplib.SMTPConnectError, smtplib.SMTPServerDisconnected)


@dataclass(frozen=True)
class SmtpConfig:
    host: str
    port: int
    sender: str
    username: str | None = None
    password: str | None = None
    starttls: bool = False
    timeout: float = 10.0


def header_safe(text: str) -> str:
    """`text` on one line: control characters (newlines included) become single spaces."""
    return " ".join(CONTROL_CHARACTERS.sub(" ", text).split())


def _outgoing(to: str, subject: str, body: str) -> EmailMessage:
    return EmailMessage(to_address=header_safe(to)[:254], subject=header_safe(subject)[:200],
                        body=body)


async def queue(*, to: str, subject: str, body: str) -> EmailMessage:
    """Queue an email; call inside the transaction of the change it reports."""
    message = _outgoing(to, subject, body)
    await message.save()
    return message


async def queue_all(emails: Sequence[tuple[str, str, str]]) -> None:
    """Queue (to, subject, body) emails in one statement; inside the change's transaction."""
    if emails:
        await EmailMessage.bulk_create([_outgoing(*email) for email in emails])


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


def retry_wait(attempts: int) -> timedelta:
    """How long to wait before the next try after `attempts` failed ones."""
    return min(FIRST_RETRY * 2 ** min(attempts - 1, 16), LONGEST_RETRY)


async def _failed(message: EmailMessage, error: Exception, *, now: datetime) -> None:
    message.attempts += 1
    message.last_error = f"{type(error).__name__}: {error}"[:500]
    message.next_attempt_at = now + retry_wait(message.attempts)
    if message.attempts >= MAX_ATTEMPTS:
        message.status = EmailStatus.FAILED
    await message.save(update_fields=["attempts", "last_error", "status", "next_attempt_at"])


async def deliver_pending(config: SmtpConfig, *, now: datetime, limit: int = 50) -> int:
    """Send the pending emails that are due. Side effects: marks each sent, or records the
    error and when to try again; after MAX_ATTEMPTS failures a message is marked failed (its
    error kept) so that it never holds up the others."""
    sent = 0
    due = (
        EmailMessage.filter(status=EmailStatus.PENDING)
        .filter(Q(next_attempt_at=None) | Q(next_attempt_at__lte=now))
        .order_by("id")
        .limit(limit)
    )
    for message in await due:
        try:
            await asyncio.to_thread(_send, config, message)
        except CONNECTION_ERRORS as exc:
            await _failed(message, exc, now=now)
            break
        except Exception as exc:  # this message is bad (header, address): the next one may not be
            await _failed(message, exc, now=now)
            continue
        message.status, message.sent_at = EmailStatus.SENT, now
        message.attempts += 1
        await message.save(update_fields=["status", "sent_at", "attempts"])
        sent += 1
    return sent


SECRET_LINK = re.compile(r"(/password/reset/)[^\s]+")


def without_secrets(text: str) -> str:
    """`text` with the token of every reset link blanked out."""
    return SECRET_LINK.sub(r"\1…", text)


async def mailbox(*, limit: int = 50) -> list[EmailMessage]:
    """The newest emails, sent or not, reset links blanked: the development mailbox page."""
    messages = await EmailMessage.all().order_by("-id").limit(limit)
    for message in messages:
        message.body = without_secrets(message.body)
    return messages
