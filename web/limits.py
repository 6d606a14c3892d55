"""Request bodies over the configured size are refused with 413: at once when Content-Length
says so, else as soon as the chunks read add up to more."""

from __future__ import annotations

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from web.middleware import WatchedSend


class BodyTooLarge(Exception):
    """The request body is over the limit (raised while a view reads it; handled as 413)."""


class BodyLimitMiddleware:
    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope["headers"]:
            if name == b"content-length" and value.isdigit() and int(value) > self.max_bytes:
                from web.errors import error_response

                await error_response(Request(scope), 413)(scope, receive, send)
                return
        received = 0
        watched = WatchedSend(send)

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise BodyTooLarge()
            return message

        try:
            await self.app(scope, counting_receive, watched)
        except BodyTooLarge:
            # Raised outside the views too (a middleware reading a chunked body): still a 413.
            if watched.started:
                raise
            from web.errors import error_response

            await error_response(Request(scope), 413)(scope, receive, send)
