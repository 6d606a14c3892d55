"""API authentication: tokens for an email and password, listing and revoking them."""

from __future__ import annotations

from typing import NotRequired, TypedDict

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from config.i18n import gettext as _
from config.settings import Settings
from matchmaking.accounts import auth
from matchmaking.clock import now_utc
from matchmaking.enums import Language, Role
from matchmaking.errors import LoginFailed, LoginLocked
from matchmaking.models import Account, ApiToken
from matchmaking.permissions import require_account
from web.api.common import error, json_body, text_field
from web.api.openapi import INVALID, UNAUTHENTICATED, Body, operation
from web.auth import client_address, current_account, login_policy


class TokenRequest(TypedDict):
    """An email and a password, and a label for the token."""

    email: str
    password: str
    name: NotRequired[str]


class TokenJson(TypedDict):
    id: int
    name: str
    created_at: str
    last_used_at: str | None
    revoked: bool


class NewTokenJson(TokenJson):
    """The token itself is shown once, here."""

    token: str


class AccountJson(TypedDict):
    id: int
    email: str
    display_name: str
    role: Role
    language: Language


def _token_json(token: ApiToken) -> TokenJson:
    return {
        "id": token.id,
        "name": token.name,
        "created_at": token.created_at.isoformat(),
        "last_used_at": token.last_used_at.isoformat() if token.last_used_at else None,
        "revoked": token.revoked_at is not None,
    }


def _account_json(account: Account) -> AccountJson:
    return {
        "id": account.id,
        "email": account.email,
        "display_name": account.display_name,
        "role": Role(str(account.role)),
        "language": Language(str(account.language)),
    }


@operation(summary="Create an API token from an email and a password", tags=["auth"], public=True,
           body=Body(TokenRequest, required=["email", "password"]),
           responses={201: ("the token (shown once) and its id", NewTokenJson),
                      401: "wrong email or password", 422: INVALID, 429: "too many failed attempts"})
async def create_token(request: Request) -> Response:
    data = await json_body(request)
    settings: Settings = request.app.state.settings
    try:
        account = await auth.authenticate(
            email=text_field(data, "email"), password=text_field(data, "password"),
            client_address=client_address(request), now=now_utc(),
            policy=login_policy(settings),
        )
    except LoginLocked:
        return error(429, _("Too many failed attempts. Try again later."))
    except LoginFailed:
        return error(401, _("The email or the password is wrong."))
    token, raw = await auth.create_api_token(account, name=text_field(data, "name") or "API")
    created: NewTokenJson = {"token": raw, **_token_json(token)}
    return JSONResponse(created, status_code=201)


@operation(summary="List the caller's API tokens", tags=["auth"],
           responses={200: ("the tokens, newest first (never their values)", list[TokenJson]),
                      401: UNAUTHENTICATED})
async def list_tokens(request: Request) -> Response:
    account = require_account(current_account(request))
    return JSONResponse([_token_json(t) for t in await auth.api_tokens(account)])


@operation(summary="Revoke one of the caller's API tokens", tags=["auth"],
           responses={204: ("revoked", None), 401: UNAUTHENTICATED,
                      404: "no such token of the caller's"})
async def revoke_token(request: Request) -> Response:
    account = require_account(current_account(request))
    await auth.revoke_api_token(account, int(request.path_params["token_id"]), now=now_utc())
    return Response(status_code=204)


@operation(summary="The calling account", tags=["auth"],
           responses={200: ("the account", AccountJson), 401: UNAUTHENTICATED})
async def me(request: Request) -> Response:
    return JSONResponse(_account_json(require_account(current_account(request))))


routes = [
    Route("/api/auth/token", create_token, methods=["POST"]),
    Route("/api/tokens", list_tokens, methods=["GET"]),
    Route("/api/tokens/{token_id:int}", revoke_token, methods=["DELETE"]),
    Route("/api/me", me, methods=["GET"]),
]
