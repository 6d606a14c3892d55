"""CSRF protection for every state-changing request outside /api/ (which takes no cookies).

Double submit: a random token in an HttpOnly cookie must come back in the form field
`csrf_token` (or the X-CSRF-Token header). The check sits in middleware so no view can forget it.
"""

from __future__ import annotations

import hmac
import secrets
from urllib.parse import parse_qs

from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from web.auth import read_cookie

CSRF_COOKIE = "ocop_csrf"
CSRF_FIELD = "csrf_token"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}


def csrf_token(request: Request) -> str:
    """The token to put in forms (a template global)."""
    return str(request.scope.get("state", {}).get("csrf_token", ""))


async def _read_body(receive: Receive) -> tuple[bytes, list[Message]]:
    chunks, messages = [], []
    while True:
        message = await receive()
        messages.append(message)
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(chunks), messages


def _replay(messages: list[Message], receive: Receive) -> Receive:
    pending = list(messages)

    async def replay() -> Message:
        if pending:
            return pending.pop(0)
        return await receive()

    return replay


async def _submitted_token(scope: Scope, body: bytes) -> str:
    headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
    if "x-csrf-token" in headers:
        return headers["x-csrf-token"]
    content_type = headers.get("content-type", "")
    if content_type.startswith("application/x-www-form-urlencoded"):
        values = parse_qs(body.decode("utf-8", "replace")).get(CSRF_FIELD, [""])
        return values[0]
    if content_type.startswith("multipart/form-data"):
        messages: list[Message] = [{"type": "http.request", "body": body, "more_body": False}]
        request = Request(scope, _replay(messages, _nothing))
        form = await request.form()
        value = form.get(CSRF_FIELD, "")
        await form.close()
        return value if isinstance(value, str) else ""
    return ""


async def _nothing() -> Message:
    return {"type": "http.disconnect"}


class CsrfMiddleware:
    def __init__(self, app: ASGIApp, secure: bool = False) -> None:
        self.app = app
        self.secure = secure

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(("/api/", "/static/")):
            await self.app(scope, receive, send)
            return
        cookie = read_cookie(scope, CSRF_COOKIE)
        token = cookie or secrets.token_urlsafe(32)
        scope.setdefault("state", {})["csrf_token"] = token
        if scope["method"] not in SAFE_METHODS:
            body, messages = await _read_body(receive)
            submitted = await _submitted_token(scope, body)
            if not cookie or not hmac.compare_digest(submitted.encode(), cookie.encode()):
                from web.errors import error_response

                response = error_response(Request(scope), 403, csrf=True)
                await response(scope, _replay(messages, receive), send)
                return
            receive = _replay(messages, receive)

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start" and not cookie:
                headers = MutableHeaders(scope=message)
                secure = "; Secure" if self.secure else ""
                headers.append(
                    "set-cookie",
                    f"{CSRF_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax{secure}",
                )
            await send(message)

        await self.app(scope, receive, send_with_cookie)
