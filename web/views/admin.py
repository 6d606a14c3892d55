"""Admin pages: accounts and roles, the audit log, and the development mailbox."""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from config.settings import Settings
from matchmaking import audit, mail
from matchmaking.accounts import directory
from matchmaking.accounts.accounts import change_role, create_account
from matchmaking.accounts.directory import find_accounts
from matchmaking.clock import now_utc
from matchmaking.enums import Role
from matchmaking.errors import ValidationFailed
from matchmaking.permissions import require_role
from matchmaking.places import province_codes, short_province_name
from web.auth import client_address, current_account
from web.forms import FormState, keep_typed, read_form
from web.render import render
from web.views.home import safe_next

ROLES = [role.value for role in Role]


def _page_number(request: Request) -> int:
    try:
        return int(request.query_params.get("page", "1"))
    except ValueError:
        return 1


async def _users_page(request: Request, form: FormState, status_code: int = 200) -> Response:
    actor = require_role(current_account(request), Role.ADMIN)
    params = request.query_params
    found = await find_accounts(actor, text=params.get("q", ""), role=params.get("role", ""),
                                page=_page_number(request))
    provinces = [(str(code), short_province_name(code)) for code in province_codes()]
    return render(request, "admin/users.html",
                  {"found": found, "accounts": found.accounts, "form": form, "roles": ROLES,
                   "provinces": provinces},
                  status_code=status_code)


async def users(request: Request) -> Response:
    actor = require_role(current_account(request), Role.ADMIN)
    if request.method == "GET":
        return await _users_page(request, FormState({"role": "organiser", "language": "vi"}))
    values = await read_form(request)
    try:
        await create_account(
            email=values.get("email", ""), password=values.get("password", ""),
            role=values.get("role", ""), display_name=values.get("display_name", ""),
            language=values.get("language", "vi"), province=values.get("province") or None,
            actor=actor,
        )
    except ValidationFailed as exc:
        return await _users_page(request, keep_typed(values, exc.errors), 422)
    return RedirectResponse("/admin/users", status_code=303)


async def set_role(request: Request) -> Response:
    actor = require_role(current_account(request), Role.ADMIN)
    values = await read_form(request)
    try:
        await change_role(actor, int(request.path_params["account_id"]), values.get("role", ""),
                          client_address=client_address(request))
    except ValidationFailed as exc:
        return await _users_page(request, FormState(errors=exc.errors), 422)
    return RedirectResponse("/admin/users", status_code=303)


async def set_active(request: Request) -> Response:
    """Deactivate an account (ending its sessions and tokens) or reactivate it."""
    actor = require_role(current_account(request), Role.ADMIN)
    values = await read_form(request)
    try:
        await directory.set_active(actor, int(request.path_params["account_id"]),
                                   values.get("active") == "true", now=now_utc(),
                                   client_address=client_address(request))
    except ValidationFailed as exc:
        return await _users_page(request, FormState(errors=exc.errors), 422)
    return RedirectResponse(safe_next(values.get("next")) if values.get("next") else "/admin/users",
                            status_code=303)


async def audit_log(request: Request) -> Response:
    require_role(current_account(request), Role.ADMIN)
    try:
        page = max(1, int(request.query_params.get("page", "1")))
    except ValueError:
        page = 1
    action = request.query_params.get("action") or None
    entries = await audit.recent(limit=100, offset=(page - 1) * 100, action=action)
    return render(request, "admin/audit.html",
                  {"entries": entries, "page": page, "action": action or ""})


async def mailbox(request: Request) -> Response:
    settings: Settings = request.app.state.settings
    if settings.smtp_host or not settings.dev_mailbox:
        raise HTTPException(404)
    require_role(current_account(request), Role.ADMIN)
    return render(request, "admin/mailbox.html", {"messages": await mail.mailbox()})


routes = [
    Route("/admin/users", users, methods=["GET", "POST"], name="admin_users"),
    Route("/admin/users/{account_id:int}/role", set_role, methods=["POST"], name="admin_set_role"),
    Route("/admin/users/{account_id:int}/active", set_active, methods=["POST"], name="admin_set_active"),
    Route("/admin/audit", audit_log, name="admin_audit"),
    Route("/dev/mailbox", mailbox, name="mailbox"),
]
