"""Role checks: the domain decides who may do what; views only ask."""

from __future__ import annotations

from matchmaking.enums import Role
from matchmaking.errors import Forbidden, NotAuthenticated
from matchmaking.models import Account


def require_account(actor: Account | None) -> Account:
    if actor is None:
        raise NotAuthenticated()
    return actor


def require_role(actor: Account | None, *roles: Role) -> Account:
    """The actor, if logged in with one of `roles` (admins pass every check)."""
    account = require_account(actor)
    if account.role != Role.ADMIN and account.role not in roles:
        raise Forbidden(f"needs role {', '.join(roles)}")
    return account
