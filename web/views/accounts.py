"""Registration, login and logout, the account page, API tokens, password change and reset."""

from __future__ import annotations

from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from config.i18n import gettext as _
from config.settings import Settings
from matchmaking.accounts import auth
from matchmaking.accounts.accounts import normalise_email
from matchmaking.accounts.signup import (
    finish_sign_up,
    pending_sign_up,
    sign_up_problems,
    start_sign_up,
)
from matchmaking.accounts.throttle import ThrottlePolicy
from matchmaking.clock import local_time, now_utc
from matchmaking.errors import LoginFailed, LoginLocked, ValidationFailed
from matchmaking.models import Account
from matchmaking.permissions import require_account
from web.auth import (
    clear_session_cookie,
    client_address,
    current_account,
    login_policy,
    set_language_cookie,
    set_session_cookie,
)
from web.forms import FormState, keep_typed, read_form
from web.render import render
from web.views.home import safe_next


async def _signed_in(request: Request, account: Account, target: str) -> Response:
    """A new session for `account` (ending the browser's old one), and on to `target`."""
    if request.state.session_token:
        await auth.end_session(request.state.session_token)
    raw = await auth.start_session(account, now=now_utc(), client_address=client_address(request))
    response = RedirectResponse(safe_next(target), status_code=303)
    set_session_cookie(response, request, raw)
    set_language_cookie(response, request, account.language)
    return response


async def register(request: Request) -> Response:
    if request.method == "GET":
        return render(request, "accounts/register.html", {"form": FormState({"role": "producer"})})
    values = await read_form(request)
    details = {name: values.get(name, "") for name in ("email", "password", "role",
                                                       "display_name", "phone")}
    details["language"] = values.get("language") or "vi"
    if errors := sign_up_problems(**details):
        return render(request, "accounts/register.html", {"form": keep_typed(values, errors)},
                      status_code=422)
    settings: Settings = request.app.state.settings
    # After the response, so that it takes as long whether the address is taken or not.
    task = BackgroundTask(start_sign_up, **details, now=now_utc(), public_url=settings.public_url,
                          client_address=client_address(request))
    response = render(request, "accounts/register_sent.html",
                      {"email": normalise_email(details["email"])})
    response.background = task
    return response


async def confirm_sign_up(request: Request) -> Response:
    token = request.path_params["token"]
    if request.method == "GET":
        pending = await pending_sign_up(token, now=now_utc())
        return render(request, "accounts/confirm.html",
                      {"form": FormState(), "email": pending.email if pending else None},
                      status_code=200 if pending else 404)
    values = await read_form(request)
    try:
        account = await finish_sign_up(token, password=values.get("password", ""), now=now_utc())
    except ValidationFailed as exc:
        pending = None if "token" in exc.errors else await pending_sign_up(token, now=now_utc())
        return render(request, "accounts/confirm.html",
                      {"form": keep_typed(values, exc.errors),
                       "email": pending.email if pending else None}, status_code=422)
    return await _signed_in(request, account, "/")


def _policy(request: Request) -> ThrottlePolicy:
    return login_policy(request.app.state.settings)


async def login(request: Request) -> Response:
    target = request.query_params.get("next", "/")
    if request.method == "GET":
        return render(request, "accounts/login.html", {"form": FormState(), "next": target})
    values = await read_form(request)
    target = values.get("next", target)
    try:
        account = await auth.authenticate(
            email=values.get("email", ""), password=values.get("password", ""),
            client_address=client_address(request), now=now_utc(), policy=_policy(request),
        )
    except LoginLocked as exc:
        message = _("Too many failed attempts. Try again after %(time)s.") % {
            "time": local_time(exc.until, "HH:mm")
        }
        return render(request, "accounts/login.html",
                      {"form": keep_typed(values, {"email": message}), "next": target},
                      status_code=429)
    except LoginFailed:
        message = _("The email or the password is wrong.")
        return render(request, "accounts/login.html",
                      {"form": keep_typed(values, {"password": message}), "next": target},
                      status_code=422)
    return await _signed_in(request, account, target)


async def logout(request: Request) -> Response:
    if request.state.session_token:
        await auth.end_session(request.state.session_token)
    response = RedirectResponse("/", status_code=303)
    clear_session_cookie(response)
    return response


async def _account_page(request: Request, **extra: object) -> Response:
    account = require_account(current_account(request))
    context = {
        "account": account,
        "tokens": await auth.api_tokens(account),
        "password_form": FormState(),
        "token_form": FormState(),
        "new_token": None,
        **extra,
    }
    status = 422 if any(getattr(f, "errors", None) for f in extra.values()) else 200
    return render(request, "accounts/account.html", context, status_code=status)


async def account_page(request: Request) -> Response:
    return await _account_page(request)


async def change_password(request: Request) -> Response:
    account = require_account(current_account(request))
    values = await read_form(request)
    try:
        await auth.change_password(
            account, current=values.get("current_password", ""),
            new=values.get("new_password", ""), keep_session=request.state.session_token,
            now=now_utc(),
        )
    except ValidationFailed as exc:
        return await _account_page(request, password_form=keep_typed(values, exc.errors))
    return await _account_page(request, notice=_("Your password has been changed."))


async def create_token(request: Request) -> Response:
    account = require_account(current_account(request))
    values = await read_form(request)
    try:
        _token, raw = await auth.create_api_token(account, name=values.get("name", ""))
    except ValidationFailed as exc:
        return await _account_page(request, token_form=keep_typed(values, exc.errors))
    return await _account_page(request, new_token=raw)


async def revoke_token(request: Request) -> Response:
    account = require_account(current_account(request))
    await auth.revoke_api_token(account, int(request.path_params["token_id"]), now=now_utc())
    return RedirectResponse("/account#tokens", status_code=303)


async def forgot_password(request: Request) -> Response:
    if request.method == "GET":
        return render(request, "accounts/forgot.html", {"form": FormState(), "sent": False})
    values = await read_form(request)
    settings: Settings = request.app.state.settings
    # After the response, so that it takes as long whether the account exists or not.
    task = BackgroundTask(auth.request_password_reset, values.get("email", ""), now=now_utc(),
                          public_url=settings.public_url, client_address=client_address(request))
    response = render(request, "accounts/forgot.html", {"form": FormState(), "sent": True})
    response.background = task
    return response


async def reset_password(request: Request) -> Response:
    token = request.path_params["token"]
    if request.method == "GET":
        valid = await auth.reset_token_valid(token, now=now_utc())
        return render(request, "accounts/reset.html", {"form": FormState(), "valid": valid},
                      status_code=200 if valid else 404)
    values = await read_form(request)
    try:
        await auth.reset_password(token, new=values.get("new_password", ""), now=now_utc())
    except ValidationFailed as exc:
        valid = "token" not in exc.errors
        return render(request, "accounts/reset.html",
                      {"form": keep_typed(values, exc.errors), "valid": valid}, status_code=422)
    return RedirectResponse("/login?reset=1", status_code=303)


routes = [
    Route("/register", register, methods=["GET", "POST"], name="register"),
    Route("/register/confirm/{token}", confirm_sign_up, methods=["GET", "POST"],
          name="confirm_sign_up"),
    Route("/login", login, methods=["GET", "POST"], name="login"),
    Route("/logout", logout, methods=["POST"], name="logout"),
    Route("/account", account_page, name="account"),
    Route("/account/password", change_password, methods=["POST"], name="change_password"),
    Route("/account/tokens", create_token, methods=["POST"], name="create_token"),
    Route("/account/tokens/{token_id:int}/revoke", revoke_token, methods=["POST"],
          name="revoke_token"),
    Route("/password/forgot", forgot_password, methods=["GET", "POST"], name="forgot_password"),
    Route("/password/reset/{token}", reset_password, methods=["GET", "POST"],
          name="reset_password"),
]
