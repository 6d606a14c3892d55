"""API authentication: tokens for an email and password, listing and revoking them."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from config.i18n import gettext as _
from config.settings import Settings
from matchmaking.accounts import auth
from matchmaking.clock import now_utc
from matchmaking.errors import LoginFailed, LoginLocked
from matchmaking.models import Account, ApiToken
from matchmaking.permissions import require_account
from web.api.common import error, json_body, text_field
from web.auth import client_address, current_account, login_policy


def _token_json(token: ApiToken) -> dict[str, object]:
    return {
        "id": token.id,
        "name": token.name,
        "created_at": token.created_at.isoformat(),
        "last_used_at": token.last_used_at.isoformat() if token.last_used_at else None,
        "revoked": token.revoked_at is not None,
    }


def _account_json(account: Account) -> dict[str, object]:
    return {
        "id": account.id,
        "email": account.email,
        "display_name": account.display_name,
        "role": str(account.role),
        "language": str(account.language),
    }


async def create_token(request: Request) -> Response:
    """
    summary: Create an API token from an email and a password
    tags: [auth]
    security: []
    requestBody:
      required: true
      content:
        application/json:
          schema:
            type: object
            required: [email, password]
            properties:
              email: {type: string}
              password: {type: string}
              name: {type: string, description: "a label for the token"}
    responses:
      201: {description: "the token (shown once) and its id"}
      401: {description: wrong email or password}
      422: {description: invalid body}
      429: {description: too many failed attempts}
    """
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
    return JSONResponse({"token": raw, **_token_json(token)}, status_code=201)


async def list_tokens(request: Request) -> Response:
    """
    summary: List the caller's API tokens
    tags: [auth]
    responses:
      200: {description: "the tokens, newest first (never their values)"}
      401: {description: not authenticated}
    """
    account = require_account(current_account(request))
    return JSONResponse([_token_json(t) for t in await auth.api_tokens(account)])


async def revoke_token(request: Request) -> Response:
    """
    summary: Revoke one of the caller's API tokens
    tags: [auth]
    parameters:
      - {name: token_id, in: path, required: true, schema: {type: integer}}
    responses:
      204: {description: revoked}
      401: {description: not authenticated}
      404: {description: no such token of the caller's}
    """
    account = require_account(current_account(request))
    await auth.revoke_api_token(account, int(request.path_params["token_id"]), now=now_utc())
    return Response(status_code=204)


async def me(request: Request) -> Response:
    """
    summary: The calling account
    tags: [auth]
    responses:
      200: {description: "id, email, display_name, role, language"}
      401: {description: not authenticated}
    """
    return JSONResponse(_account_json(require_account(current_account(request))))


routes = [
    Route("/api/auth/token", create_token, methods=["POST"]),
    Route("/api/tokens", list_tokens, methods=["GET"]),
    Route("/api/tokens/{token_id:int}", revoke_token, methods=["DELETE"]),
    Route("/api/me", me, methods=["GET"]),
]
