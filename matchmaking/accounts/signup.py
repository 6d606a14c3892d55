"""Public registration: an account exists only once its owner has opened the emailed link.

The form answers the same whether the address is new or taken ("check your inbox"), and the
work behind it (one argon2 hash, one email) is the same too: a new address gets a link to
finish, a taken one a notice to its owner. The link finishes the account only with the
password chosen on the form, so a stranger who registers someone else's address before them
cannot hand them an account whose password the stranger knows.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from config.i18n import gettext as _
from matchmaking import mail
from matchmaking.accounts.accounts import account_problems, insert_account, normalise_email
from matchmaking.accounts.auth import digest, new_token
from matchmaking.accounts.passwords import hash_password_off_loop, verify_password_off_loop
from matchmaking.accounts.throttle import mail_allowed
from matchmaking.enums import Language, Role
from matchmaking.errors import ValidationFailed
from matchmaking.models import Account, SignUp

SIGN_UP_LIFETIME = timedelta(days=2)
SELF_SERVICE_ROLES = (Role.PRODUCER, Role.BUYER)
MAX_PHONE_LENGTH = 20  # the column
# A fair's registration desk sends many sign-ups from one Wi-Fi address.
SIGN_UPS_PER_ADDRESS = 60


def sign_up_problems(
    *, email: str, password: str, role: str, display_name: str, language: str,
    phone: str | None = None,
) -> dict[str, str]:
    """What the visitor must correct on the form (field -> message); never whether the
    address is taken."""
    if role not in {r.value for r in SELF_SERVICE_ROLES}:
        role = ""
    errors = account_problems(email=normalise_email(email), password=password, role=role,
                              display_name=display_name, language=language)
    if phone and len(phone.strip()) > MAX_PHONE_LENGTH:
        errors["phone"] = _("Use at most %(n)d characters.") % {"n": MAX_PHONE_LENGTH}
    return errors


async def start_sign_up(
    *, email: str, password: str, role: str, display_name: str, language: str,
    phone: str | None, now: datetime, public_url: str, client_address: str,
) -> None:
    """Email a link that finishes the account, or tell the owner of a taken address.

    Call with details `sign_up_problems` found nothing wrong with (they are stored as given).
    Side effects: a pending sign-up and an email, each at most 3 an hour to one address.
    """
    email = normalise_email(email)
    password_hash = await hash_password_off_loop(password)
    allowed = await mail_allowed([f"signup:{email}", f"signup-ip:{client_address}"], now=now,
                                 address_limit=SIGN_UPS_PER_ADDRESS)
    await SignUp.filter(expires_at__lt=now).delete()
    if not allowed:
        return
    if await Account.filter(email=email).exists():
        await _tell_owner(email)
        return
    raw = new_token()
    async with in_transaction():
        await SignUp.create(
            email=email, password_hash=password_hash, role=Role(role),
            display_name=display_name.strip(), language=Language(language),
            phone=(phone or "").strip() or None, token_hash=digest(raw),
            expires_at=now + SIGN_UP_LIFETIME,
        )
        await mail.queue(
            to=email,
            subject=_("Finish creating your OCOP Connect account"),
            body=_(
                "Hello %(name)s,\n\nTo finish creating your account, open this link within two "
                "days and enter the password you chose:\n%(link)s\n\nIf you did not ask for "
                "this, ignore this email: no account is made without it."
            ) % {"name": display_name.strip(), "link": f"{public_url}/register/confirm/{raw}"},
        )


async def pending_sign_up(raw: str, *, now: datetime) -> SignUp | None:
    return await SignUp.get_or_none(token_hash=digest(raw), expires_at__gt=now)


async def finish_sign_up(raw: str, *, password: str, now: datetime) -> Account:
    """Make the account of a pending sign-up, given the password chosen on the form.

    Side effects: the account and its audit entry; every pending sign-up of the address ends.
    """
    expired = ValidationFailed({"token": _("This link is no longer valid.")})
    pending = await pending_sign_up(raw, now=now)
    if pending is None:
        raise expired
    if not await verify_password_off_loop(pending.password_hash, password):
        raise ValidationFailed({"password": _("This is not the password you chose when you "
                                              "signed up.")})
    try:
        async with in_transaction():
            if await SignUp.filter(id=pending.id).delete() == 0:
                raise expired
            account = await insert_account(
                email=pending.email, password_hash=pending.password_hash, role=pending.role,
                display_name=pending.display_name, language=pending.language,
                phone=pending.phone,
            )
            await SignUp.filter(email=pending.email).delete()
    except IntegrityError:  # another of its sign-ups was finished first
        await SignUp.filter(email=pending.email).delete()
        raise expired from None
    return account


async def _tell_owner(email: str) -> None:
    await mail.queue(
        to=email,
        subject=_("Someone tried to register with your email"),
        body=_("Hello,\n\nSomeone tried to create an OCOP Connect account with this address, "
               "which already has one. If it was you, log in, or ask for a new password on "
               "the login page. Otherwise, ignore this email."),
    )
