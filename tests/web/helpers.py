"""Acting as a browser in tests: CSRF tokens, logging in."""

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
