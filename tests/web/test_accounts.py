"""Registration, login, sessions, throttling, password change and reset, as users meet them."""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime, timedelta

import httpx
from argon2 import PasswordHasher

from matchmaking.models import Account, AuditLog, EmailMessage, SignUp, WebSession
from tests.factories import PASSWORD, make_account
from tests.web.helpers import csrf, log_in, post_form, sign_up, sign_up_link

SUOI_GIANG = {"role": "producer", "display_name": "HTX Chè Suối Giàng",
              "email": "SuoiGiang@htx.vn", "password": "Shan-Tuyet-Co-Thu", "language": "vi"}


async def test_register_producer_logs_in_and_lands_on_its_next_steps(client: httpx.AsyncClient) -> None:
    response = await sign_up(client, SUOI_GIANG)
    assert response.status_code == 303 and response.headers["location"] == "/"
    home = await client.get("/")
    assert 'id="step-create-profile"><a href="http://testserver/producer/profile">' in home.text
    cookie = response.headers.get_list("set-cookie")
    session = next(c for c in cookie if c.startswith("ocop_session="))
    assert "HttpOnly" in session and "SameSite=lax" in session
    page = await client.get("/account")
    assert "HTX Chè Suối Giàng" in page.text and "suoigiang@htx.vn" in page.text
    assert "<title>Tài khoản của tôi · Kết nối OCOP</title>" in page.text  # a tab title, not a page
    assert page.text.count('id="tokens"') == 1
    account = await Account.get(email="suoigiang@htx.vn")
    assert account.password_hash.startswith("$argon2id$")


async def test_no_account_exists_until_the_emailed_link_is_opened(client: httpx.AsyncClient) -> None:
    sent = await post_form(client, "/register", SUOI_GIANG)
    assert sent.status_code == 200
    assert "Kiểm tra hộp thư" in sent.text and "suoigiang@htx.vn" in sent.text
    assert not any(c.startswith("ocop_session=") for c in sent.headers.get_list("set-cookie"))
    assert await Account.all().count() == 0
    assert (await client.get("/account")).status_code == 303
    email = await EmailMessage.get(to_address="suoigiang@htx.vn")
    assert "HTX Chè Suối Giàng" in email.body and "hai ngày" in email.body
    link = await sign_up_link("suoigiang@htx.vn")
    form = await client.get(link)
    assert form.status_code == 200 and "suoigiang@htx.vn" in form.text
    assert await Account.all().count() == 0  # opening the link (a mail scanner) makes nothing


async def test_the_link_needs_the_password_chosen_on_the_form(client: httpx.AsyncClient) -> None:
    await post_form(client, "/register", SUOI_GIANG)
    link = await sign_up_link("suoigiang@htx.vn")
    wrong = await post_form(client, link, {"password": "Mat-Khau-Cua-Nguoi-La"})
    assert wrong.status_code == 422
    assert "Đây không phải mật khẩu bạn đã chọn khi đăng ký." in wrong.text
    assert "Mat-Khau-Cua-Nguoi-La" not in wrong.text
    assert await Account.all().count() == 0
    finished = await post_form(client, link, {"password": SUOI_GIANG["password"]})
    assert finished.status_code == 303


async def test_a_link_works_once_and_ends_the_other_links(client: httpx.AsyncClient) -> None:
    await post_form(client, "/register", SUOI_GIANG)
    first = await sign_up_link("suoigiang@htx.vn")
    await post_form(client, "/register", {**SUOI_GIANG, "password": "Tra-Xanh-Suoi-Giang"})
    second = await sign_up_link("suoigiang@htx.vn")
    assert first != second
    assert (await post_form(client, second, {"password": "Tra-Xanh-Suoi-Giang"})).status_code == 303
    for link in (first, second):
        assert (await client.get(link)).status_code == 404
        again = await post_form(client, link, {"password": SUOI_GIANG["password"]})
        assert again.status_code == 422 and "Liên kết này không còn dùng được" in again.text
    assert await Account.filter(email="suoigiang@htx.vn").count() == 1


async def test_a_sign_up_link_lasts_two_days(client: httpx.AsyncClient) -> None:
    await post_form(client, "/register", SUOI_GIANG)
    link = await sign_up_link("suoigiang@htx.vn")
    await SignUp.all().update(expires_at=datetime.now(UTC) - timedelta(minutes=1))
    assert (await client.get(link)).status_code == 404
    late = await post_form(client, link, {"password": SUOI_GIANG["password"]})
    assert late.status_code == 422 and await Account.all().count() == 0


async def test_register_errors_keep_what_was_typed(client: httpx.AsyncClient) -> None:
    response = await post_form(client, "/register", {
        "role": "buyer", "display_name": "Siêu thị Quê Hương", "email": "khong-phai-email",
        "password": "123456789", "phone": "0912345678",
    })
    assert response.status_code == 422
    assert "Nhập địa chỉ email hợp lệ." in response.text
    assert 'value="khong-phai-email"' in response.text
    assert 'value="Siêu thị Quê Hương"' in response.text
    assert "123456789" not in response.text
    assert await Account.all().count() == 0


async def test_register_refuses_overlong_details_with_field_messages(client: httpx.AsyncClient) -> None:
    response = await post_form(client, "/register", {
        **SUOI_GIANG, "display_name": "HTX " * 40, "email": "a" * 250 + "@htx.vn",
        "phone": "0912 345 678 / 0987 654 321"})
    assert response.status_code == 422
    assert "Nhập địa chỉ email hợp lệ." in response.text and "Tối đa 120 ký tự." in response.text
    assert "Tối đa 20 ký tự." in response.text and 'value="0912 345 678 / 0987 654 321"' in response.text
    assert await EmailMessage.all().count() == 0


async def test_register_cannot_pick_organiser(client: httpx.AsyncClient) -> None:
    response = await post_form(client, "/register", {
        "role": "organiser", "display_name": "X", "email": "x@y.vn", "password": "Mot-Hai-Ba-Bon-Nam",
    })
    assert response.status_code == 422
    assert await Account.all().count() == 0


async def test_common_password_is_refused(client: httpx.AsyncClient) -> None:
    response = await post_form(client, "/register", {
        "role": "producer", "display_name": "A", "email": "a@b.vn", "password": "anhyeuem",
    })
    assert response.status_code == 422
    response = await post_form(client, "/register", {
        "role": "producer", "display_name": "A", "email": "a@b.vn", "password": "password123",
    })
    assert "quá phổ biến" in response.text


async def test_wrong_password_is_refused_and_audited(client: httpx.AsyncClient) -> None:
    account = await make_account()
    response = await post_form(client, "/login", {"email": account.email, "password": "sai-mat-khau"})
    assert response.status_code == 422
    assert "Email hoặc mật khẩu không đúng." in response.text
    assert f'value="{account.email}"' in response.text
    assert await AuditLog.filter(action="login.failed", actor=account).count() == 1


async def test_five_failures_lock_the_account(client: httpx.AsyncClient) -> None:
    account = await make_account()
    for _ in range(5):
        await post_form(client, "/login", {"email": account.email, "password": "sai"})
    locked = await post_form(client, "/login", {"email": account.email, "password": PASSWORD})
    assert locked.status_code == 429
    assert "Bạn đã nhập sai quá nhiều lần" in locked.text
    assert "ocop_session" not in locked.headers.get("set-cookie", "")


async def test_failures_across_accounts_slow_the_address_down(db: str) -> None:
    from matchmaking.accounts import auth, throttle
    from matchmaking.errors import LoginFailed, LoginLocked

    policy = throttle.ThrottlePolicy(address_max_failures=8)
    accounts = [await make_account() for _ in range(9)]
    now = datetime.now(UTC)
    for account in accounts[:8]:
        with contextlib.suppress(LoginFailed):
            await auth.authenticate(email=account.email, password="sai", client_address="1.2.3.4",
                                    now=now, policy=policy)
    try:
        await auth.authenticate(email=accounts[8].email, password=PASSWORD,
                                client_address="1.2.3.4", now=now, policy=policy)
    except LoginLocked:
        pass
    else:
        raise AssertionError("the address was not slowed down")


async def test_login_rotates_the_session(client: httpx.AsyncClient) -> None:
    account = await make_account()
    first = (await log_in(client, account.email)).cookies["ocop_session"]
    second = (await log_in(client, account.email)).cookies["ocop_session"]
    assert first != second
    assert await WebSession.filter(account=account).count() == 1


async def test_session_expires_after_inactivity(client: httpx.AsyncClient, settings) -> None:  # type: ignore[no-untyped-def]
    account = await make_account()
    await log_in(client, account.email)
    assert (await client.get("/account")).status_code == 200
    stale = datetime.now(UTC) - timedelta(seconds=settings.session_max_age + 60)
    await WebSession.filter(account=account).update(last_seen_at=stale)
    response = await client.get("/account")
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login?next=")


async def test_logout_ends_the_session(client: httpx.AsyncClient) -> None:
    account = await make_account()
    await log_in(client, account.email)
    stolen = client.cookies["ocop_session"]
    await post_form(client, "/logout")
    client.cookies.set("ocop_session", stolen)
    assert (await client.get("/account")).status_code == 303


async def test_forms_without_csrf_token_are_refused(client: httpx.AsyncClient) -> None:
    account = await make_account()
    await csrf(client)
    missing = await client.post("/login", data={"email": account.email, "password": PASSWORD})
    wrong = await client.post("/login", data={"email": account.email, "password": PASSWORD,
                                              "csrf_token": "not-the-token"})
    assert (missing.status_code, wrong.status_code) == (403, 403)
    assert "Biểu mẫu đã hết hạn" in missing.text


async def test_every_html_post_route_checks_csrf(client: httpx.AsyncClient, app) -> None:  # type: ignore[no-untyped-def]
    await csrf(client)
    checked = 0
    for route in app.routes:
        methods = getattr(route, "methods", None) or set()
        path = getattr(route, "path", "")
        if "POST" in methods and not path.startswith("/api/"):
            url = path.replace("{token_id:int}", "1").replace("{account_id:int}", "1")
            url = url.replace("{token}", "x")
            response = await client.post(url, data={"anything": "1"})
            assert response.status_code == 403, path
            checked += 1
    assert checked >= 8


async def test_change_password_ends_other_sessions(app) -> None:  # type: ignore[no-untyped-def]
    account = await make_account()
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as phone, \
            httpx.AsyncClient(transport=transport, base_url="http://t") as laptop:
        await log_in(phone, account.email)
        await log_in(laptop, account.email)
        wrong = await post_form(laptop, "/account/password", {
            "current_password": "sai", "new_password": "Mat-Khau-Moi-2026"})
        assert wrong.status_code == 422 and "Mật khẩu hiện tại không đúng." in wrong.text
        done = await post_form(laptop, "/account/password", {
            "current_password": PASSWORD, "new_password": "Mat-Khau-Moi-2026"})
        assert done.status_code == 200
        assert (await laptop.get("/account")).status_code == 200
        assert (await phone.get("/account")).status_code == 303


async def test_password_reset_by_emailed_link(client: httpx.AsyncClient) -> None:
    account = await make_account()
    sent = await post_form(client, "/password/forgot", {"email": account.email.upper()})
    assert sent.status_code == 200
    email = await EmailMessage.get(to_address=account.email)
    link = next(line for line in email.body.splitlines() if "/password/reset/" in line)
    path = link[link.index("/password/reset/"):]
    assert (await client.get(path)).status_code == 200

    done = await post_form(client, path, {"new_password": "Nuoc-Mam-Phu-Quoc-9"})
    assert done.status_code == 303
    await log_in(client, account.email, "Nuoc-Mam-Phu-Quoc-9")
    reused = await post_form(client, path, {"new_password": "Another-Good-One-77"})
    assert reused.status_code == 422


async def test_reset_for_unknown_email_sends_nothing(client: httpx.AsyncClient) -> None:
    response = await post_form(client, "/password/forgot", {"email": "khong-co@ai.vn"})
    assert response.status_code == 200
    assert await EmailMessage.all().count() == 0


async def test_old_hash_parameters_are_upgraded_at_login(client: httpx.AsyncClient) -> None:
    weak = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash(PASSWORD)
    account = await make_account(password_hash=weak)
    await log_in(client, account.email)
    await account.refresh_from_db()
    assert account.password_hash != weak and "m=65536" in account.password_hash


async def test_oversized_body_gets_413(client: httpx.AsyncClient, settings) -> None:  # type: ignore[no-untyped-def]
    response = await post_form(client, "/login", {"email": "x" * (settings.max_body_bytes + 10)})
    assert response.status_code == 413
