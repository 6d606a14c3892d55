"""Acting as a browser in tests: CSRF tokens, logging in, signing up."""

from __future__ import annotations

from typing import Any

import httpx

from tests.factories import PASSWORD


async def csrf(client: httpx.AsyncClient) -> str:
    if "ocop_csrf" not in client.cookies:
        await client.get("/login")
    return client.cookies["ocop_csrf"]


async def post_form(client: httpx.AsyncClient, url: str, data: dict[str, Any] | None = None,
                    **kwargs: Any) -> httpx.Response:
    payload = {"csrf_token": await csrf(client), **(data or {})}
    return await client.post(url, data=payload, **kwargs)


async def log_in(client: httpx.AsyncClient, email: str, password: str = PASSWORD) -> httpx.Response:
    response = await post_form(client, "/login", {"email": email, "password": password})
    assert response.status_code == 303, response.text
    return response


async def sign_up_link(email: str) -> str:
    """The path of the newest sign-up link emailed to `email`."""
    from matchmaking.models import EmailMessage

    message = await EmailMessage.filter(to_address=email.lower()).order_by("-id").first()
    assert message is not None and "/register/confirm/" in message.body, "no sign-up email"
    line = next(line for line in message.body.splitlines() if "/register/confirm/" in line)
    return line[line.index("/register/confirm/"):].strip()


async def sign_up(client: httpx.AsyncClient, details: dict[str, str]) -> httpx.Response:
    """Register with `details`, open the emailed link and finish with the same password."""
    sent = await post_form(client, "/register", details)
    assert sent.status_code == 200 and 'id="sign-up-sent"' in sent.text, sent.text
    link = await sign_up_link(details["email"])
    return await post_form(client, link, {"password": details["password"]})
