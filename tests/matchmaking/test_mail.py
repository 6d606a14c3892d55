"""The outbox: hostile headers, a bad message and an SMTP outage never stop or lose mail."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from aiosmtpd.controller import Controller

from matchmaking import mail
from matchmaking.enums import EmailStatus
from matchmaking.models import EmailMessage
from search.server import free_port


class Inbox:
    def __init__(self) -> None:
        self.messages: list[bytes] = []

    async def handle_DATA(self, server, session, envelope) -> str:  # type: ignore[no-untyped-def]
        self.messages.append(envelope.content)
        return "250 OK"


class SmtpServer:
    """A real SMTP server on a loopback port (aiosmtpd)."""

    def __init__(self, port: int) -> None:
        self.inbox = Inbox()
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=port)

    async def __aenter__(self) -> Inbox:
        self.controller.start()
        return self.inbox

    async def __aexit__(self, *exc: object) -> None:
        await asyncio.to_thread(self.controller.stop)


def _config(port: int) -> mail.SmtpConfig:
    return mail.SmtpConfig(host="127.0.0.1", port=port, sender="OCOP <no-reply@ocop.test>",
                           timeout=2)


async def test_control_characters_never_reach_headers(db: str) -> None:
    message = await mail.queue(to="htx@ocop.test\r\nBcc: all@ocop.test",
                               subject="Nhu cầu mới:\r\nBcc: x@y.vn\x00\x1b chè", body="Chè")
    assert message.subject == "Nhu cầu mới: Bcc: x@y.vn chè"
    assert "\n" not in message.to_address and "\r" not in message.to_address


async def test_one_bad_message_never_blocks_the_queue(db: str) -> None:
    bad = await mail.queue(to="htx@ocop.test", subject="S", body="B")
    await EmailMessage.filter(id=bad.id).update(subject="Chè\nBcc: x@y.vn")
    good = await mail.queue(to="buyer@ocop.test", subject="Báo giá mới", body="B")
    port = free_port()
    now = datetime.now(UTC)
    async with SmtpServer(port) as inbox:
        for _ in range(mail.MAX_ATTEMPTS):
            await mail.deliver_pending(_config(port), now=now)
            now += timedelta(days=1)
    await bad.refresh_from_db()
    await good.refresh_from_db()
    assert good.status == EmailStatus.SENT and len(inbox.messages) == 1
    assert bad.status == EmailStatus.FAILED and bad.attempts == mail.MAX_ATTEMPTS
    assert bad.last_error


async def test_smtp_down_for_an_hour_delays_mail_and_loses_none(db: str) -> None:
    for n in range(3):
        await mail.queue(to=f"htx{n}@ocop.test", subject=f"Đơn hàng {n}", body="B")
    port = free_port()
    start = now = datetime.now(UTC)
    while now < start + timedelta(hours=1):
        assert await mail.deliver_pending(_config(port), now=now) == 0
        now += timedelta(minutes=1)
    attempts = [m.attempts for m in await EmailMessage.all()]
    assert all(1 < a < 10 for a in attempts), attempts
    assert await EmailMessage.filter(status=EmailStatus.PENDING).count() == 3
    async with SmtpServer(port) as inbox:
        while now < start + timedelta(hours=3) and len(inbox.messages) < 3:
            await mail.deliver_pending(_config(port), now=now)
            now += timedelta(minutes=1)
    assert len(inbox.messages) == 3
    assert await EmailMessage.filter(status=EmailStatus.SENT).count() == 3
