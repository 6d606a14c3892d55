"""Gettext through Babel: Vietnamese first, English second, chosen per request."""

from __future__ import annotations

import gettext as gettext_module
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from decimal import Decimal
from functools import cache, lru_cache
from io import BytesIO
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_currency, format_decimal

LANGUAGES = ("vi", "en")
DEFAULT_LANGUAGE = "vi"
LOCALE_DIR = Path(__file__).parent / "locale"

_current: ContextVar[str] = ContextVar("language", default=DEFAULT_LANGUAGE)


@cache
def translations(language: str) -> gettext_module.NullTranslations:
    """The catalogue for `language`, compiled in memory from its .po file."""
    po_path = LOCALE_DIR / language / "LC_MESSAGES" / "messages.po"
    if not po_path.is_file():
        return gettext_module.NullTranslations()
    with po_path.open("rb") as handle:
        catalog = read_po(handle, locale=language)
    buffer = BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext_module.GNUTranslations(buffer)


@contextmanager
def speaking(language: str) -> Iterator[None]:
    """Compose messages in a recipient's language, whoever triggered them."""
    previous = current_language()
    set_language(language)
    try:
        yield
    finally:
        set_language(previous)


def set_language(language: str) -> None:
    _current.set(language if language in LANGUAGES else DEFAULT_LANGUAGE)


def current_language() -> str:
    return _current.get()


def gettext(message: str) -> str:
    return translations(_current.get()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return translations(_current.get()).ngettext(singular, plural, n)


_ = gettext


# Babel formats a number in tens of microseconds and a results page shows dozens: prices and
# counts repeat, so each is formatted once (bounded, as the values are).
@lru_cache(maxsize=16_384)
def format_vnd(amount: int) -> str:
    """Money as Vietnamese users read it: '120.000 ₫' (whatever the interface language)."""
    return format_currency(amount, "VND", locale="vi_VN")


@lru_cache(maxsize=16_384, typed=True)
def _format_decimal(value: int | float | Decimal, locale: str) -> str:
    return format_decimal(value, locale=locale)


def format_number(value: int | float | Decimal) -> str:
    return _format_decimal(value, "vi_VN" if current_language() == "vi" else "en_US")
