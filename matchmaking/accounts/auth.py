"""Who the user is: logins, browser sessions, API tokens, password changes and resets."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from tortoise.transactions import in_transaction

from config.i18n import gettext as _
from matchmaking import audit, mail
from matchmaking.accounts import throttle
from matchmaking.accounts.accounts import normalise_email
from matchmaking.accounts.passwords import (
    DUMMY_HASH,
    hash_password_off_loop,
    needs_rehash,
    password_problem,
    verify_password_off_loop,
)
from matchmaking.errors import LoginFailed, LoginLocked, NotFound, ValidationFailed
from matchmaking.models import Account, ApiToken, PasswordResetToken, WebSession

SESSION_TOUCH_INTERVAL = timedelta(seconds=60)
RESET_TOKEN_LIFETIME = timedelta(hours=1)


def new_token() -> str:
    return secrets.token_urlsafe(32)


def digest(raw: str) -> str:
    """How tokens are stored: their SHA-256, never the token itself."""
    return hashlib.sha256(raw.encode()).hexdigest()


async def authenticate(
    *, email: str, password: str, client_address: str, now: datetime,
    policy: throttle.ThrottlePolicy,
) -> Account:
    """The account for these credentials. Side effects: throttle counters, audit entries.

    The attempt is counted before the password is checked (and taken back when it is right),
    so parallel guesses cannot outrun the limit.
    """
    email = normalise_email(email)
    keys = [throttle.Key(f"email:{email}", policy.max_failures),
            throttle.Key(f"ip:{client_address}", policy.address_max_failures)]
    until = await throttle.claim_attempt(keys, now=now, policy=policy)
    if until is not None:
        await audit.record("login.locked", target_type="email", target_id=email,
                           client_address=client_address)
        raise LoginLocked(until)
    account = await Account.get_or_none(email=email)
    stored = account.password_hash if account else DUMMY_HASH
    valid = await verify_password_off_loop(stored, password)
    if account is None or not valid or not account.is_active:
        await audit.record("login.failed", actor=account, target_type="email", target_id=email,
                           client_address=client_address)
        raise LoginFailed()
    await throttle.clear([keys[0].name])
    await throttle.forgive([keys[1].name])
    if needs_rehash(account.password_hash):
        account.password_hash = await hash_password_off_loop(password)
    account.last_login_at = now
    await account.save(update_fields=["password_hash", "last_login_at"])
    await audit.record("login", actor=account, target_type="account", target_id=account.id,
                       client_address=client_address)
    return account


async def start_session(account: Account, *, now: datetime, client_address: str) -> str:
    """A new session for `account`; the raw token goes in the cookie, only its hash is kept."""
    raw = new_token()
    await WebSession.create(account=account, token_hash=digest(raw), last_seen_at=now,
                            client_address=client_address[:64])
    return raw


async def session_account(
    raw: str, *, now: datetime, max_age: timedelta, lifetime: timedelta
) -> Account | None:
    """The account behind a session token, or None when unknown, expired or deactivated.

    A session expires after `max_age` without use, and `lifetime` after it began in any case.
    """
    session = await WebSession.get_or_none(token_hash=digest(raw)).select_related("account")
    if session is None:
        return None
    expired = session.last_seen_at + max_age < now or session.created_at + lifetime < now
    if expired or not session.account.is_active:
        await session.delete()
        return None
    if now - session.last_seen_at > SESSION_TOUCH_INTERVAL:
        session.last_seen_at = now
        await session.save(update_fields=["last_seen_at"])
    return session.account


async def end_session(raw: str) -> None:
    await WebSession.filter(token_hash=digest(raw)).delete()


async def create_api_token(actor: Account, *, name: str) -> tuple[ApiToken, str]:
    """A new bearer token; the raw value is returned once and never stored."""
    name = name.strip()[:80]
    if not name:
        raise ValidationFailed({"name": _("Give the token a name.")})
    raw = "ocop_" + new_token()
    token = await ApiToken.create(account=actor, name=name, token_hash=digest(raw))
    await audit.record("token.create", actor=actor, target_type="api_token", target_id=token.id)
    return token, raw


async def api_tokens(actor: Account) -> list[ApiToken]:
    return await ApiToken.filter(account=actor).order_by("-id")


async def revoke_api_token(actor: Account, token_id: int, *, now: datetime) -> ApiToken:
    """Revoke one of the actor's own tokens; another account's token is NotFound."""
    token = await ApiToken.get_or_none(id=token_id, account=actor)
    if token is None:
        raise NotFound("api token")
    if token.revoked_at is None:
        token.revoked_at = now
        await token.save(update_fields=["revoked_at"])
        await audit.record("token.revoke", actor=actor, target_type="api_token", target_id=token.id)
    return token


async def api_token_account(raw: str, *, now: datetime) -> Account | None:
    token = await ApiToken.get_or_none(token_hash=digest(raw), revoked_at=None).select_related(
        "account"
    )
    if token is None or not token.account.is_active:
        return None
    if token.last_used_at is None or now - token.last_used_at > SESSION_TOUCH_INTERVAL:
        token.last_used_at = now
        await token.save(update_fields=["last_used_at"])
    return token.account


async def _revoke_credentials(account: Account, *, now: datetime) -> None:
    """After a password change: every API token and every unused reset link stops working."""
    await ApiToken.filter(account=account, revoked_at=None).update(revoked_at=now)
    await PasswordResetToken.filter(account=account, used_at=None).update(used_at=now)


async def change_password(
    actor: Account, *, current: str, new: str, now: datetime, keep_session: str | None = None
) -> None:
    """Change the actor's password. Side effects: ends its other sessions, revokes its API
    tokens and reset links."""
    errors: dict[str, str] = {}
    if not await verify_password_off_loop(actor.password_hash, current):
        errors["current_password"] = _("The current password is not right.")
    if problem := password_problem(new, email=actor.email):
        errors["new_password"] = problem
    if errors:
        raise ValidationFailed(errors)
    password_hash = await hash_password_off_loop(new)
    async with in_transaction():
        actor.password_hash = password_hash
        await actor.save(update_fields=["password_hash"])
        others = WebSession.filter(account=actor)
        if keep_session:
            others = others.exclude(token_hash=digest(keep_session))
        await others.delete()
        await _revoke_credentials(actor, now=now)
        await audit.record("password.change", actor=actor, target_type="account",
                           target_id=actor.id)


async def request_password_reset(
    email: str, *, now: datetime, public_url: str, client_address: str
) -> None:
    """Email a one-time reset link if the account exists; say nothing either way.

    At most 3 links an hour go to one account and 20 an hour are asked from one address.
    """
    email = normalise_email(email)
    account = await Account.get_or_none(email=email, is_active=True)
    if account is None:
        return
    if not await throttle.mail_allowed([email, f"ip:{client_address}"], now=now):
        await audit.record("password.reset_throttled", actor=account, target_type="account",
                           target_id=account.id, client_address=client_address)
        return
    raw = new_token()
    async with in_transaction():
        await PasswordResetToken.create(account=account, token_hash=digest(raw),
                                        expires_at=now + RESET_TOKEN_LIFETIME)
        link = f"{public_url}/password/reset/{raw}"
        await mail.queue(
            to=account.email,
            subject=_("Reset your OCOP Connect password"),
            body=_(
                "Hello %(name)s,\n\nTo choose a new password, open this link within one hour:\n"
                "%(link)s\n\nIf you did not ask for this, ignore this email."
            ) % {"name": account.display_name, "link": link},
        )
        await audit.record("password.reset_requested", actor=account, target_type="account",
                           target_id=account.id)


async def reset_token_valid(raw: str, *, now: datetime) -> bool:
    return await PasswordResetToken.filter(
        token_hash=digest(raw), used_at=None, expires_at__gt=now
    ).exists()


async def reset_password(raw: str, *, new: str, now: datetime) -> Account:
    """Use a reset token once: set the password, end every session, revoke the API tokens
    and every other reset link."""
    password_hash = await hash_password_off_loop(new)
    async with in_transaction():
        token = await (
            PasswordResetToken.filter(token_hash=digest(raw), used_at=None, expires_at__gt=now)
            .select_for_update()
            .first()
        )
        if token is None:
            raise ValidationFailed({"token": _("This reset link is no longer valid.")})
        account = await Account.get(id=token.account_id)
        if problem := password_problem(new, email=account.email):
            raise ValidationFailed({"new_password": problem})
        account.password_hash = password_hash
        await account.save(update_fields=["password_hash"])
        await WebSession.filter(account=account).delete()
        await _revoke_credentials(account, now=now)
        await audit.record("password.reset", actor=account, target_type="account",
                           target_id=account.id)
    return account
