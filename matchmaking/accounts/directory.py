"""The admin's list of accounts (search, role filter, pages) and switching an account off or on."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from config.i18n import gettext as _
from matchmaking import audit
from matchmaking.enums import Role
from matchmaking.errors import NotFound, ValidationFailed
from matchmaking.models import Account, ApiToken, WebSession
from matchmaking.permissions import require_role

PER_PAGE = 50


@dataclass(frozen=True, slots=True)
class AccountPage:
    """One page of accounts matching `text` (name or email) and `role` ("" for every role)."""

    accounts: list[Account]
    total: int
    page: int
    pages: int
    text: str
    role: str


async def find_accounts(actor: Account, *, text: str = "", role: str = "", page: int = 1,
                        per_page: int = PER_PAGE) -> AccountPage:
    """Accounts newest first, for admins only; an unknown role filters nothing."""
    require_role(actor, Role.ADMIN)
    text, role = text.strip()[:100], role if role in {r.value for r in Role} else ""
    query = Account.all()
    if text:
        query = query.filter(Q(email__icontains=text) | Q(display_name__icontains=text))
    if role:
        query = query.filter(role=role)
    total = await query.count()
    pages = max(1, -(-total // per_page))
    page = min(max(1, page), pages)
    accounts = await query.order_by("-id").offset((page - 1) * per_page).limit(per_page)
    return AccountPage(accounts, total, page, pages, text, role)


async def set_active(actor: Account, account_id: int, active: bool, *, now: datetime,
                     client_address: str = "") -> Account:
    """Switch an account off (ending its sessions and revoking its API tokens) or back on.

    Side effects: sessions deleted, tokens revoked, an audit entry."""
    require_role(actor, Role.ADMIN)
    account = await Account.get_or_none(id=account_id)
    if account is None:
        raise NotFound("account")
    if account.id == actor.id and not active:
        raise ValidationFailed({"active": _("You cannot deactivate your own account.")})
    async with in_transaction():
        account.is_active = active
        await account.save(update_fields=["is_active"])
        if not active:
            await WebSession.filter(account_id=account.id).delete()
            await ApiToken.filter(account_id=account.id, revoked_at__isnull=True).update(revoked_at=now)
        await audit.record("account.reactivate" if active else "account.deactivate", actor=actor,
                           target_type="account", target_id=account.id, client_address=client_address)
    return account
