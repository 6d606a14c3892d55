"""Admin pages (accounts, roles, audit log), the email outbox and its SMTP delivery."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC, datetime

import httpx
from aiosmtpd.controller import Controller
from starlette.applications import Starlette

from config.settings import Settings
from matchmaking import mail
from matchmaking.enums import EmailStatus
from matchmaking.models import Account, AuditLog, EmailMessage, WebSession
from search.client import SearchClient
from search.server import free_port
from tests.factories import PASSWORD, make_account
from tests.web.helpers import log_in, post_form
from web.app import create_app


async def test_admin_creates_an_organiser(client: httpx.AsyncClient) -> None:
    admin = await make_account("admin")
    await log_in(client, admin.email)
    response = await post_form(client, "/admin/users", {
        "role": "organiser", "display_name": "TT Xúc tiến Thương mại Lạng Sơn",
        "email": "xttm@langson.gov.vn", "password": "Hoi-Cho-OCOP-2026", "language": "vi"})
    assert response.status_code == 303
    created = await Account.get(email="xttm@langson.gov.vn")
    assert created.role == "organiser"
    entry = await AuditLog.get(action="account.create", target_id=str(created.id))
    assert entry.actor_id == admin.id


async def test_role_change_is_audited_and_shown(client: httpx.AsyncClient) -> None:
    admin, member = await make_account("admin"), await make_account("producer")
    await log_in(client, admin.email)
    await post_form(client, f"/admin/users/{member.id}/role", {"role": "organiser"})
    await member.refresh_from_db()
    assert member.role == "organiser"
    page = await client.get("/admin/audit")
    assert "account.role_change" in page.text and admin.email in page.text


async def test_admin_cannot_demote_itself(client: httpx.AsyncClient) -> None:
    admin = await make_account("admin")
    await log_in(client, admin.email)
    response = await post_form(client, f"/admin/users/{admin.id}/role", {"role": "buyer"})
    assert response.status_code == 422
    await admin.refresh_from_db()
    assert admin.role == "admin"


async def test_mailbox_shows_queued_email_to_admins(db: str, settings: Settings,
                                                    search: SearchClient) -> None:
    app = create_app(replace(settings, dev_mailbox=True), search=search, manage_database=False)
    member = await make_account()
    admin = await make_account("admin")
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                 base_url="http://testserver") as client:
        await post_form(client, "/password/forgot", {"email": member.email})
        await log_in(client, admin.email)
        page = await client.get("/dev/mailbox")
    assert page.status_code == 200
    assert "Đặt lại mật khẩu Kết nối OCOP" in page.text and member.email in page.text


class Inbox:
    def __init__(self) -> None:
        self.messages: list[bytes] = []

    async def handle_DATA(self, server, session, envelope) -> str:  # type: ignore[no-untyped-def]
        self.messages.append(envelope.content)
        return "250 OK"


async def test_email_is_delivered_over_smtp(db: str) -> None:
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        await mail.queue(to="htx@ocop.test", subject="Có nhu cầu mới phù hợp", body="Chè xanh 2 tấn")
        config = mail.SmtpConfig(host="127.0.0.1", port=port, sender="OCOP <no-reply@ocop.test>")
        sent = await mail.deliver_pending(config, now=datetime.now(UTC))
    finally:
        await asyncio.to_thread(controller.stop)
    assert sent == 1
    assert len(inbox.messages) == 1 and b"htx@ocop.test" in inbox.messages[0]
    assert (await EmailMessage.get()).status == EmailStatus.SENT


async def test_unreachable_smtp_keeps_the_email_for_later(db: str) -> None:
    await mail.queue(to="a@b.vn", subject="S", body="B")
    config = mail.SmtpConfig(host="127.0.0.1", port=free_port(), sender="x@y.vn", timeout=2)
    assert await mail.deliver_pending(config, now=datetime.now(UTC)) == 0
    message = await EmailMessage.get()
    assert message.status == EmailStatus.PENDING and message.attempts == 1 and message.last_error


async def test_admin_finds_accounts_by_name_and_role_page_by_page(client: httpx.AsyncClient) -> None:
    admin = await make_account("admin")
    for n in range(55):
        await make_account("buyer", display_name=f"Siêu thị {n}")
    await make_account("producer", display_name="HTX Chè Bản Liền", email="banlien@htx.vn")
    await log_in(client, admin.email)

    found = (await client.get("/admin/users", params={"q": "bản liền"})).text
    buyers = (await client.get("/admin/users", params={"role": "buyer"})).text
    second = (await client.get("/admin/users", params={"role": "buyer", "page": "2"})).text

    assert "banlien@htx.vn" in found and "Siêu thị 3<" not in found
    assert buyers.count('-status">') == 50 and "banlien@htx.vn" not in buyers
    assert second.count('-status">') == 5
    assert "(55)" in buyers


async def test_deactivated_account_loses_its_sessions_and_tokens_until_reactivated(
    client: httpx.AsyncClient, app: Starlette,
) -> None:
    admin, member = await make_account("admin"), await make_account("producer")
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                 base_url="http://testserver") as member_browser:
        await log_in(member_browser, member.email)
        token = (await member_browser.post("/api/auth/token", json={
            "email": member.email, "password": PASSWORD, "name": "script"})).json()["token"]
        assert (await member_browser.get("/account")).status_code == 200
        await log_in(client, admin.email)

        response = await post_form(client, f"/admin/users/{member.id}/active", {"active": "false"})

        assert response.status_code == 303
        assert (await member_browser.get("/account")).status_code == 303  # sent to log in
        api = await member_browser.get("/api/me", headers={"Authorization": f"Bearer {token}"})
        assert api.status_code == 401
        assert not await WebSession.filter(account_id=member.id).exists()
        refused = await post_form(member_browser, "/login", {"email": member.email, "password": PASSWORD})
        assert refused.status_code != 303
        await post_form(client, f"/admin/users/{member.id}/active", {"active": "true"})
        again = await post_form(member_browser, "/login", {"email": member.email, "password": PASSWORD})
        assert again.status_code == 303
    audit_page = (await client.get("/admin/audit")).text
    assert "Đã khóa tài khoản" in audit_page and "Đã mở lại tài khoản" in audit_page


async def test_admin_cannot_deactivate_itself(client: httpx.AsyncClient) -> None:
    admin = await make_account("admin")
    await log_in(client, admin.email)
    response = await post_form(client, f"/admin/users/{admin.id}/active", {"active": "false"})
    assert response.status_code == 422
    await admin.refresh_from_db()
    assert admin.is_active
