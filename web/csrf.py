"""CSRF protection for every state-changing request outside /api/ (which takes no cookies).

Double submit: a random token in an HttpOnly cookie must come back in the form field
`csrf_token` (or the X-CSRF-Token header). The check sits in middleware so no view can forget it.
It also refuses (400) a body that is not a readable form: broken multipart, text not in UTF-8.

Kept rather than `asgi-csrf`: that library lets through a POST that carries no cookie at all
unless its path is listed (login CSRF), answers with its own unlocalised page, and needs the
token before any file in a multipart body.
"""

from __future__ import annotations

import hmac
import secrets

from starlette.datastructures import Headers, MutableHeaders
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from web.auth import read_cookie
from web.formdata import BadForm, multipart_text_fields, urlencoded_fields

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
    """The token the request sends back; BadForm if its body is not a readable form."""
    headers = Headers(scope=scope)
    content_type = headers.get("content-type", "")
    fields: dict[str, str] = {}
    if content_type.startswith("application/x-www-form-urlencoded"):
        fields = urlencoded_fields(body)
    elif content_type.startswith("multipart/form-data"):
        fields = await multipart_text_fields(headers, body)
    return headers.get("x-csrf-token") or fields.get(CSRF_FIELD, "")


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
            from web.errors import error_response

            body, messages = await _read_body(receive)
            try:
                submitted = await _submitted_token(scope, body)
            except BadForm:
                await error_response(Request(scope), 400)(scope, _replay(messages, receive), send)
                return
            if not cookie or not hmac.compare_digest(submitted.encode(), cookie.encode()):
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
