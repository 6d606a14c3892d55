"""The reviewer's account attacks, replayed: each now gets the safe answer."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import threading
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from argon2 import PasswordHasher
from starlette.applications import Starlette

from config.settings import Settings
from matchmaking.models import ApiToken, EmailMessage, PasswordResetToken, SignUp, WebSession
from search.client import SearchClient
from tests.factories import PASSWORD, make_account
from tests.web.helpers import csrf, log_in, post_form


def _app(settings: Settings, search: SearchClient, **changes: object) -> Starlette:
    from web.app import create_app

    return create_app(replace(settings, **changes), search=search, manage_database=False)


def _client(app: Starlette, base_url: str = "http://testserver") -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app)
    return httpx.AsyncClient(transport=transport, base_url=base_url)


async def _reset_link(email: str) -> str:
    message = await EmailMessage.filter(to_address=email).order_by("-id").first()
    assert message is not None
    line = next(line for line in message.body.splitlines() if "/password/reset/" in line)
    return line[line.index("/password/reset/"):]


async def test_mailbox_is_not_served_unless_enabled(client: httpx.AsyncClient) -> None:
    admin = await make_account("admin")
    await log_in(client, admin.email)
    assert (await client.get("/dev/mailbox")).status_code == 404


async def test_mailbox_needs_an_admin_even_in_development(
    db: str, settings: Settings, search: SearchClient
) -> None:
    app = _app(settings, search, env="development", dev_mailbox=True)
    async with _client(app) as anonymous, _client(app) as producer:
        assert (await anonymous.get("/dev/mailbox")).status_code == 303
        await log_in(producer, (await make_account()).email)
        assert (await producer.get("/dev/mailbox")).status_code == 403


async def test_mailbox_never_shows_a_reset_link(
    db: str, settings: Settings, search: SearchClient
) -> None:
    app = _app(settings, search, env="development", dev_mailbox=True)
    member, admin = await make_account(), await make_account("admin")
    async with _client(app) as browser:
        await post_form(browser, "/password/forgot", {"email": member.email})
        await log_in(browser, admin.email)
        page = await browser.get("/dev/mailbox")
    assert page.status_code == 200 and member.email in page.text
    token = (await _reset_link(member.email)).rsplit("/", 1)[1]
    assert token not in page.text


async def test_mailbox_offers_the_sign_up_link_to_follow(
    db: str, settings: Settings, search: SearchClient
) -> None:
    app = _app(settings, search, env="development", dev_mailbox=True)
    admin = await make_account("admin")
    async with _client(app) as visitor, _client(app) as browser:
        await post_form(visitor, "/register", {
            "role": "buyer", "display_name": "Siêu thị <Quê>", "email": "quehuong@sieuthi.vn",
            "password": "Que-Huong-Sieu-Thi", "language": "vi"})
        await log_in(browser, admin.email)
        page = await browser.get("/dev/mailbox")
    link = re.search(r'<a href="(http://[^"]+/register/confirm/[^"]+)"', page.text)
    assert link is not None, page.text
    assert "Siêu thị &lt;Quê&gt;" in page.text and "<Quê>" not in page.text


async def test_forty_parallel_guesses_verify_at_most_five(client: httpx.AsyncClient) -> None:
    account = await make_account()
    guesses = [f"sai-mat-khau-{n}" for n in range(40)]
    responses = await asyncio.gather(*(
        client.post("/api/auth/token", json={"email": account.email, "password": guess})
        for guess in guesses
    ))
    codes = [r.status_code for r in responses]
    assert set(codes) <= {401, 429} and codes.count(401) <= 5, codes
    right = await client.post("/api/auth/token", json={"email": account.email,
                                                       "password": PASSWORD})
    assert right.status_code == 429


async def test_one_address_cannot_lock_out_everyone_behind_it(client: httpx.AsyncClient) -> None:
    accounts = [await make_account() for _ in range(21)]
    for account in accounts[:20]:
        refused = await post_form(client, "/login", {"email": account.email, "password": "sai"})
        assert refused.status_code == 422
    await log_in(client, accounts[20].email)


async def test_right_password_works_after_the_delay_from_anywhere(db: str) -> None:
    from matchmaking.accounts import auth, throttle
    from matchmaking.errors import LoginFailed, LoginLocked

    account = await make_account()
    policy = throttle.ThrottlePolicy()
    now = datetime.now(UTC)
    for n in range(7):
        with contextlib.suppress(LoginFailed, LoginLocked):
            await auth.authenticate(email=account.email, password="sai", now=now,
                                    client_address=f"10.0.0.{n}", policy=policy)
        now += timedelta(minutes=20)
    try:
        await auth.authenticate(email=account.email, password=PASSWORD, now=now - timedelta(
            minutes=20), client_address="10.9.9.9", policy=policy)
    except LoginLocked:
        pass
    else:
        raise AssertionError("the right password went through during the delay")
    logged_in = await auth.authenticate(email=account.email, password=PASSWORD, now=now,
                                        client_address="10.9.9.9", policy=policy)
    assert logged_in.id == account.id


async def test_password_reset_revokes_tokens_and_other_links(client: httpx.AsyncClient) -> None:
    account = await make_account()
    issued = await client.post("/api/auth/token", json={"email": account.email,
                                                        "password": PASSWORD})
    bearer = {"Authorization": f"Bearer {issued.json()['token']}"}
    assert (await client.get("/api/me", headers=bearer)).status_code == 200
    await post_form(client, "/password/forgot", {"email": account.email})
    first = await _reset_link(account.email)
    await post_form(client, "/password/forgot", {"email": account.email})
    second = await _reset_link(account.email)
    assert first != second
    done = await post_form(client, second, {"new_password": "Nuoc-Mam-Phu-Quoc-9"})
    assert done.status_code == 303
    assert (await client.get("/api/me", headers=bearer)).status_code == 401
    assert (await client.get(first)).status_code == 404
    assert await ApiToken.filter(account=account, revoked_at=None).count() == 0


async def test_password_change_revokes_tokens_and_reset_links(client: httpx.AsyncClient) -> None:
    account = await make_account()
    issued = await client.post("/api/auth/token", json={"email": account.email,
                                                        "password": PASSWORD})
    bearer = {"Authorization": f"Bearer {issued.json()['token']}"}
    await post_form(client, "/password/forgot", {"email": account.email})
    link = await _reset_link(account.email)
    await log_in(client, account.email)
    changed = await post_form(client, "/account/password", {
        "current_password": PASSWORD, "new_password": "Mat-Khau-Moi-2026"})
    assert changed.status_code == 200
    assert (await client.get("/api/me", headers=bearer)).status_code == 401
    assert (await client.get(link)).status_code == 404
    assert await PasswordResetToken.filter(account=account, used_at=None).count() == 0


async def test_reset_requests_are_limited_per_account(client: httpx.AsyncClient) -> None:
    account = await make_account()
    for _ in range(12):
        sent = await post_form(client, "/password/forgot", {"email": account.email})
        assert sent.status_code == 200
    assert await EmailMessage.filter(to_address=account.email).count() == 3


async def test_reset_requests_are_limited_per_address(client: httpx.AsyncClient) -> None:
    accounts = [await make_account() for _ in range(25)]
    for account in accounts:
        await post_form(client, "/password/forgot", {"email": account.email})
    assert await EmailMessage.all().count() == 20


async def test_registration_answers_alike_for_a_taken_address(client: httpx.AsyncClient) -> None:
    account = await make_account()
    details = {"role": "producer", "display_name": "HTX", "password": "Shan-Tuyet-Co-Thu",
               "language": "vi"}
    taken = await post_form(client, "/register", {**details, "email": account.email})
    new = await post_form(client, "/register", {**details, "email": "moi@htx.vn"})
    assert taken.status_code == new.status_code == 200
    assert _without_tokens(taken.text.replace(account.email, "moi@htx.vn")) == _without_tokens(
        new.text)
    notice = await EmailMessage.get(to_address=account.email)
    assert "đăng ký" in notice.subject.lower() and "/register/confirm/" not in notice.body
    link = await EmailMessage.get(to_address="moi@htx.vn")
    assert "/register/confirm/" in link.body
    assert await SignUp.filter(email=account.email).count() == 0


def _without_tokens(page: str) -> str:
    """A page without its per-response values (CSRF token, CSP nonce)."""
    return re.sub(r'"[A-Za-z0-9_\-.]{20,}"', '""', page)


async def test_registrations_mail_one_address_at_most_three_times_an_hour(
    client: httpx.AsyncClient,
) -> None:
    details = {"role": "buyer", "display_name": "Siêu thị", "email": "nan-nhan@x.vn",
               "password": "Shan-Tuyet-Co-Thu", "language": "vi"}
    for _ in range(5):
        assert (await post_form(client, "/register", details)).status_code == 200
    assert await EmailMessage.filter(to_address="nan-nhan@x.vn").count() == 3


async def test_production_cookies_are_secure_with_hsts(
    db: str, settings: Settings, search: SearchClient
) -> None:
    app = _app(settings, search, env="production", secure_cookies=False)
    account = await make_account()
    async with _client(app, "https://testserver") as browser:
        page = await browser.get("/login")
        assert page.headers["strict-transport-security"].startswith("max-age=")
        assert all("Secure" in c for c in page.headers.get_list("set-cookie"))
        response = await log_in(browser, account.email)
        assert all("Secure" in c for c in response.headers.get_list("set-cookie"))


async def test_session_ends_after_its_absolute_lifetime(client: httpx.AsyncClient,
                                                        settings: Settings) -> None:
    account = await make_account()
    await log_in(client, account.email)
    old = datetime.now(UTC) - timedelta(seconds=settings.session_lifetime + 60)
    await WebSession.filter(account=account).update(created_at=old, last_seen_at=datetime.now(UTC))
    assert (await client.get("/account")).status_code == 303


@pytest.mark.parametrize("path", ["/password/reset/", "/register/confirm/"])
async def test_access_log_hides_reset_and_sign_up_tokens(  # type: ignore[no-untyped-def]
    caplog, path: str
) -> None:
    from config.logging import configure_logging

    configure_logging("INFO")
    with caplog.at_level(logging.INFO, logger="uvicorn.access"):
        logging.getLogger("uvicorn.access").info(
            '%s - "%s %s HTTP/%s" %d', "127.0.0.1:5000", "GET",
            f"{path}SECRETTOKEN123?x=1", "1.1", 200)
    assert "SECRETTOKEN123" not in caplog.text
    assert path in caplog.text


async def test_argon2_runs_off_the_event_loop(client: httpx.AsyncClient,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    account = await make_account()
    threads: set[str] = set()
    verify = PasswordHasher.verify

    def spy(self: PasswordHasher, hash: str, password: str) -> bool:
        threads.add(threading.current_thread().name)
        return verify(self, hash, password)

    monkeypatch.setattr(PasswordHasher, "verify", spy)
    await asyncio.gather(*(
        client.post("/api/auth/token", json={"email": account.email, "password": f"sai-{n}"})
        for n in range(4)
    ))
    assert threads and threading.main_thread().name not in threads
    assert len(threads) <= 2


async def test_reset_answer_is_sent_before_any_reset_work(app: Starlette,
                                                          client: httpx.AsyncClient) -> None:
    account = await make_account()
    token = await csrf(client)
    body = f"csrf_token={token}&email={account.email}".encode()
    queued_when_answered: list[bool] = []

    async def receive() -> dict[str, object]:
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: dict[str, object]) -> None:
        if message["type"] == "http.response.body" and not message.get("more_body"):
            queued_when_answered.append(await EmailMessage.exists())

    scope = {"type": "http", "method": "POST", "path": "/password/forgot", "raw_path": b"",
             "query_string": b"", "root_path": "", "scheme": "http", "http_version": "1.1",
             "server": ("testserver", 80), "client": ("127.0.0.1", 5000),
             "headers": [(b"host", b"testserver"),
                         (b"content-type", b"application/x-www-form-urlencoded"),
                         (b"cookie", f"ocop_csrf={token}".encode())]}
    await app(scope, receive, send)
    assert queued_when_answered == [False]  # the same answer, as fast, for any address
    assert await EmailMessage.filter(to_address=account.email).exists()
