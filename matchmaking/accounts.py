"""Account verbs: creating accounts."""

from __future__ import annotations

import re

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from config.i18n import gettext as _
from matchmaking.enums import Language, Role
from matchmaking.errors import ValidationFailed
from matchmaking.models import Account, AuditLog
from matchmaking.passwords import hash_password

EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MIN_PASSWORD_LENGTH = 10


def normalise_email(email: str) -> str:
    return email.strip().lower()


def password_problem(password: str) -> str | None:
    """Why a password is not acceptable, or None."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return _("The password must have at least %(n)d characters.") % {
            "n": MIN_PASSWORD_LENGTH
        }
    return None


async def create_account(
    *,
    email: str,
    password: str,
    role: Role | str,
    display_name: str,
    language: Language | str = Language.VI,
    phone: str | None = None,
    actor: Account | None = None,
) -> Account:
    """Create an account. Side effects: writes the account and an audit entry."""
    email = normalise_email(email)
    errors: dict[str, str] = {}
    if not EMAIL_PATTERN.match(email):
        errors["email"] = _("Enter a valid email address.")
    if problem := password_problem(password):
        errors["password"] = problem
    if role not in {r.value for r in Role}:
        errors["role"] = _("Choose one of the roles offered.")
    if not display_name.strip():
        errors["display_name"] = _("Enter a name.")
    if language not in {lang.value for lang in Language}:
        errors["language"] = _("Choose Vietnamese or English.")
    if not errors and await Account.filter(email=email).exists():
        errors["email"] = _("An account with this email already exists.")
    if errors:
        raise ValidationFailed(errors)
    try:
        async with in_transaction():
            account = await Account.create(
                email=email,
                password_hash=hash_password(password),
                role=Role(role),
                display_name=display_name.strip(),
                language=Language(language),
                phone=phone or None,
            )
            await AuditLog.create(
                actor=actor,
                action="account.create",
                target_type="account",
                target_id=str(account.id),
                detail={"role": str(role)},
            )
    except IntegrityError:
        raise ValidationFailed({"email": _("An account with this email already exists.")}) from None
    return account
