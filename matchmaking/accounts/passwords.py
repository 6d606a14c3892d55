"""Password hashing with argon2id (rehashed when the parameters change) and password rules."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from config.i18n import gettext as _
from matchmaking.offload import in_thread

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


async def hash_password_off_loop(password: str) -> str:
    """`hash_password` in the bounded worker threads (argon2 takes ~150 ms of CPU)."""
    return await in_thread(hash_password, password)


async def verify_password_off_loop(password_hash: str, password: str) -> bool:
    """`verify_password` in the bounded worker threads."""
    return await in_thread(verify_password, password_hash, password)


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
