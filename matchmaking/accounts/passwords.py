"""Password hashing with argon2id (rehashed when the parameters change) and password rules."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from config.i18n import gettext as _

_hasher = PasswordHasher()
MIN_LENGTH = 10
COMMON_PASSWORDS = Path(__file__).parents[1] / "data" / "common-passwords.txt"


def hash_password(password: str) -> str:
    """An argon2id hash of `password`, salted."""
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """Whether `password` matches `password_hash`; never raises on a bad hash."""
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """Whether the hash was made with other parameters than today's."""
    return _hasher.check_needs_rehash(password_hash)


@cache
def _common() -> frozenset[str]:
    return frozenset(line.strip().lower() for line in COMMON_PASSWORDS.read_text().splitlines())


def password_problem(password: str, *, email: str = "") -> str | None:
    """Why a password is not acceptable (in the user's language), or None."""
    if len(password) < MIN_LENGTH:
        return _("The password must have at least %(n)d characters.") % {"n": MIN_LENGTH}
    lowered = password.lower()
    if lowered in _common() or len(set(lowered)) <= 2:
        return _("This password is too common. Choose another.")
    if email and lowered == email.lower().split("@")[0]:
        return _("The password must not be your email address.")
    return None


# Verifying against this keeps the time of a login for an unknown email like a real one.
DUMMY_HASH = hash_password("no-such-account-placeholder")
