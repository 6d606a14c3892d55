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


def officer_scope(actor: Account | None) -> int | None:
    """The province an officer (or admin) may act on: its code, or None for the whole country.

    Raises Forbidden for other roles."""
    account = require_role(actor, Role.OFFICER)
    return account.province_code if account.role == Role.OFFICER else None


def require_in_scope(actor: Account | None, province_code: int) -> Account:
    """The actor, if an admin, a national officer or the officer of `province_code`."""
    scope = officer_scope(actor)
    if scope is not None and scope != province_code:
        raise Forbidden("outside the officer's province")
    assert actor is not None
    return actor
