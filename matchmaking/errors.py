"""Errors raised by the domain; the web layer maps each to a response."""

from __future__ import annotations


class DomainError(Exception):
    """Base of every error the domain raises on purpose."""


class InvalidInstance(DomainError):
    """An optimiser instance is malformed; `field` names the offending JSON path."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class ValidationFailed(DomainError):
    """Input that breaks the rules; `errors` maps each field to a message for the user."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{field}: {message}" for field, message in errors.items()))
        self.errors = errors


class NotFound(DomainError):
    """The object does not exist, or the actor may not know that it does."""


class Forbidden(DomainError):
    """The actor's role does not allow this action."""


class NotAuthenticated(DomainError):
    """The action needs a logged-in account."""


class LoginFailed(DomainError):
    """Wrong email or password (deliberately not saying which)."""


class LoginLocked(DomainError):
    """Too many failed logins: refused until `until`."""

    def __init__(self, until: object) -> None:
        super().__init__(f"locked until {until}")
        self.until = until
