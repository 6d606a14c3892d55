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
