"""Who is asking: the session cookie for pages, a bearer token under /api/."""

from __future__ import annotations

from datetime import timedelta

from itsdangerous import BadSignature, Signer
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from config.settings import Settings
from matchmaking.accounts.auth import api_token_account, session_account
from matchmaking.accounts.throttle import ThrottlePolicy
from matchmaking.clock import now_utc
from matchmaking.models import Account
from web.middleware import LANGUAGE_COOKIE, read_cookie

SESSION_COOKIE = "ocop_session"




def _bearer(scope: Scope) -> str | None:
    for header, value in scope.get("headers", []):
        if header == b"authorization":
            scheme, _, token = value.decode("latin-1").partition(" ")
            if scheme.lower() == "bearer" and token.strip():
                return token.strip()
    return None


class AuthMiddleware:
    """Puts the account (or None) and the raw session token into `request.state`."""

    def __init__(self, app: ASGIApp, settings: Settings, secret: str) -> None:
        self.app = app
        self.max_age = timedelta(seconds=settings.session_max_age)
        self.lifetime = timedelta(seconds=settings.session_lifetime)
        self.signer = Signer(secret, salt="ocop-session")

    def unsign(self, value: str | None) -> str | None:
        if not value:
            return None
        try:
            return self.signer.unsign(value).decode()
        except BadSignature:
            return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith("/static/"):
            await self.app(scope, receive, send)
            return
        account: Account | None = None
        raw_session: str | None = None
        if scope["path"].startswith("/api/"):
            token = _bearer(scope)
            if token:
                account = await api_token_account(token, now=now_utc())
        else:
            raw_session = self.unsign(read_cookie(scope, SESSION_COOKIE))
            if raw_session:
                account = await session_account(raw_session, now=now_utc(), max_age=self.max_age,
                                                lifetime=self.lifetime)
                if account is None:
                    raw_session = None
        state = scope.setdefault("state", {})
        state["account"] = account
        state["session_token"] = raw_session
        await self.app(scope, receive, send)


def current_account(request: Request) -> Account | None:
    return getattr(request.state, "account", None)


def public_url(request: Request) -> str:
    """The site's public address, for absolute links in emails and documents."""
    settings: Settings = request.app.state.settings
    return settings.public_url


def login_policy(settings: Settings) -> ThrottlePolicy:
    return ThrottlePolicy(
        max_failures=settings.login_max_failures,
        lock_minutes=settings.login_lock_minutes,
        address_max_failures=settings.login_address_max_failures,
    )


def client_address(request: Request) -> str:
    return request.client.host if request.client else ""


def set_session_cookie(response: Response, request: Request, raw: str) -> None:
    settings: Settings = request.app.state.settings
    signer: Signer = request.app.state.session_signer
    response.set_cookie(
        SESSION_COOKIE,
        signer.sign(raw).decode(),
        httponly=True,
        samesite="lax",
        secure=settings.cookies_secure,
    )


def set_language_cookie(response: Response, request: Request, language: str) -> None:
    settings: Settings = request.app.state.settings
    response.set_cookie(LANGUAGE_COOKIE, language, max_age=365 * 24 * 3600, httponly=True,
                        samesite="lax", secure=settings.cookies_secure)


def clear_session_cookie(response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE, httponly=True, samesite="lax")
