"""Pure ASGI middleware: security headers on every response, the request's language, a lost
database as a 503, a request cut at shutdown as one log line."""

from __future__ import annotations

import asyncio
import logging
from http.cookies import SimpleCookie

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from config import i18n

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)

SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}

# Production is served over HTTPS only: browsers must never try plain HTTP again for a year.
HSTS = "max-age=31536000; includeSubDomains"

LANGUAGE_COOKIE = "lang"
RETRY_AFTER_SECONDS = 5
log = logging.getLogger(__name__)


class SecurityHeadersMiddleware:
    """Adds the CSP and friends to every HTTP response, errors included (and HSTS if asked)."""

    def __init__(self, app: ASGIApp, hsts: bool = False) -> None:
        self.app = app
        self.headers = {**SECURITY_HEADERS, **({"Strict-Transport-Security": HSTS} if hsts else {})}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in self.headers.items():
                    headers.setdefault(name, value)
            await send(message)

        await self.app(scope, receive, send_with_headers)


def read_cookie(scope: Scope, name: str) -> str | None:
    """The value of cookie `name` in the request, or None (a malformed header counts as none)."""
    for header, value in scope.get("headers", []):
        if header == b"cookie":
            cookie: SimpleCookie = SimpleCookie()
            try:
                cookie.load(value.decode("latin-1"))
            except Exception:  # a malformed cookie header is treated as no cookie
                continue
            if name in cookie:
                return cookie[name].value
    return None


def language_from_scope(scope: Scope) -> str:
    """The cookie's language if valid, else Vietnamese."""
    value = read_cookie(scope, LANGUAGE_COOKIE)
    return value if value in i18n.LANGUAGES else i18n.DEFAULT_LANGUAGE


class LanguageMiddleware:
    """Sets the gettext language for the request from its `lang` cookie."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            i18n.set_language(language_from_scope(scope))
        await self.app(scope, receive, send)


class WatchedSend:
    """A `send` that remembers whether the response has started (then it is too late to
    answer with an error page instead)."""

    def __init__(self, send: Send) -> None:
        self.send = send
        self.started = False

    async def __call__(self, message: Message) -> None:
        self.started = self.started or message["type"] == "http.response.start"
        await self.send(message)


def database_unavailable(exc: BaseException) -> bool:
    """Whether `exc` (or what caused it) says the database cannot be reached right now."""
    import asyncpg
    from tortoise.exceptions import DBConnectionError, IntegrityError, OperationalError

    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, IntegrityError):
            return False
        if isinstance(seen, DBConnectionError | OperationalError | ConnectionError | TimeoutError
                      | asyncpg.PostgresConnectionError | asyncpg.InterfaceError
                      | asyncpg.InternalClientError | asyncpg.AdminShutdownError):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


async def expire_database_connections() -> None:
    """Have every pooled connection replaced on its next use. When PostgreSQL drops its
    backends, each idle connection in the pool is dead, and would fail one request after
    another; asyncpg's `expire_connections` (reached through Tortoise's pooled client) makes
    the next request open a fresh one. SQLite clients have no pool and are left alone."""
    from tortoise import connections

    for client in connections.all():
        expire = getattr(client, "_expire_connections", None)
        if expire is None:
            continue
        try:
            await expire()
        except Exception:  # the database may still be down: the next request retries
            log.debug("could not expire database connections", exc_info=True)


class UnavailableMiddleware:
    """503 instead of a traceback, from views and middleware alike: a lost database connection
    (with Retry-After; the next request uses a fresh connection), and a request still running
    when the shutdown grace ends, which uvicorn cancels (one log line, not its "Exception in ASGI
    application")."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        watched = WatchedSend(send)
        headers = {}
        try:
            await self.app(scope, receive, watched)
            return
        except asyncio.CancelledError:
            # This request's own task cancelled (uvicorn does that only when the shutdown grace
            # ends), not a CancelledError escaping from some inner task.
            task = asyncio.current_task()
            if task is None or not task.cancelling():
                raise
            task.uncancel()
            from config.logging import SECRET_PATH

            log.warning("stopping: %s %s cancelled at the end of the grace period",
                        scope["method"], SECRET_PATH.sub(r"\1…", scope["path"]))
            headers["Connection"] = "close"
        except Exception as exc:
            if watched.started or not database_unavailable(exc):
                raise
            log.warning("database unavailable on %s %s: %s", scope["method"], scope["path"], exc)
            await expire_database_connections()
            headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
        if watched.started:
            return
        from starlette.requests import Request

        from web.errors import error_response

        response = error_response(Request(scope), 503)
        response.headers.update(headers)
        await response(scope, receive, send)
