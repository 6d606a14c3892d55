"""Account verbs: creating accounts, changing roles."""

from __future__ import annotations

import re

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from config.i18n import gettext as _
from matchmaking.accounts.passwords import hash_password_off_loop, password_problem
from matchmaking.enums import Language, Role
from matchmaking.errors import ValidationFailed
from matchmaking.models import Account, AuditLog
from matchmaking.places import resolve_province

EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MAX_EMAIL_LENGTH = 254  # RFC 5321, and the column
MAX_NAME_LENGTH = 120


def normalise_email(email: str) -> str:
    return email.strip().lower()


def account_problems(
    *, email: str, password: str, role: Role | str, display_name: str,
    language: Language | str = Language.VI,
) -> dict[str, str]:
    """What is wrong with these details for a new account (field -> message), without the
    database: whether the address is taken is not a problem of the form."""
    errors: dict[str, str] = {}
    if len(email) > MAX_EMAIL_LENGTH or not EMAIL_PATTERN.match(email):
        errors["email"] = _("Enter a valid email address.")
    if problem := password_problem(password, email=email):
        errors["password"] = problem
    if role not in {r.value for r in Role}:
        errors["role"] = _("Choose one of the roles offered.")
    if not display_name.strip():
        errors["display_name"] = _("Enter a name.")
    elif len(display_name.strip()) > MAX_NAME_LENGTH:
        errors["display_name"] = _("Use at most %(n)d characters.") % {"n": MAX_NAME_LENGTH}
    if language not in {lang.value for lang in Language}:
        errors["language"] = _("Choose Vietnamese or English.")
    return errors


async def create_account(
    *,
    email: str,
    password: str,
    role: Role | str,
    display_name: str,
    language: Language | str = Language.VI,
    phone: str | None = None,
    province: str | int | None = None,
    actor: Account | None = None,
) -> Account:
    """Create an account at once (an officer scoped to `province`, national without one): for
    admins and the command line. Public registration goes through `signup`.

    Side effects: writes the account and an audit entry.
    """
    email = normalise_email(email)
    errors = account_problems(email=email, password=password, role=role,
                              display_name=display_name, language=language)
    province_code = None
    if province not in (None, "") and role == Role.OFFICER:
        province_code = resolve_province(str(province))
        if province_code is None:
            errors["province"] = _("Choose one of the 34 provinces, or none for a national officer.")
    if not errors and await Account.filter(email=email).exists():
        errors["email"] = _("An account with this email already exists.")
    if errors:
        raise ValidationFailed(errors)
    password_hash = await hash_password_off_loop(password)
    try:
        async with in_transaction():
            account = await insert_account(
                email=email, password_hash=password_hash, role=Role(role),
                display_name=display_name, language=Language(language), phone=phone,
                province_code=province_code, actor=actor,
            )
    except IntegrityError:
        raise ValidationFailed({"email": _("An account with this email already exists.")}) from None
    return account


async def insert_account(
    *, email: str, password_hash: str, role: Role, display_name: str, language: Language,
    phone: str | None, province_code: int | None = None, actor: Account | None = None,
) -> Account:
    """Write an account whose details are already checked, and its audit entry; inside the
    caller's transaction. Raises IntegrityError when the address is taken."""
    account = await Account.create(
        email=email, password_hash=password_hash, role=role, display_name=display_name.strip(),
        language=language, phone=phone or None, province_code=province_code,
    )
    await AuditLog.create(
        actor=actor, action="account.create", target_type="account", target_id=str(account.id),
        detail={"role": str(role), "province_code": province_code},
    )
    return account


async def change_role(
    actor: Account, account_id: int, role: str, *, client_address: str = ""
) -> Account:
    """An admin gives an account another role. Side effects: audit entry."""
    from matchmaking import audit
    from matchmaking.errors import NotFound
    from matchmaking.permissions import require_role

    require_role(actor, Role.ADMIN)
    if role not in {r.value for r in Role}:
        raise ValidationFailed({"role": _("Choose one of the roles offered.")})
    account = await Account.get_or_none(id=account_id)
    if account is None:
        raise NotFound("account")
    if account.id == actor.id and role != Role.ADMIN:
        raise ValidationFailed({"role": _("You cannot remove your own admin role.")})
    previous = account.role
    account.role = Role(role)
    await account.save(update_fields=["role"])
    await audit.record("account.role_change", actor=actor, target_type="account",
                       target_id=account.id, detail={"from": str(previous), "to": role},
                       client_address=client_address)
    return account
