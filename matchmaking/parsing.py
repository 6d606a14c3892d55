"""Reading what people type into forms, spreadsheets and JSON: numbers, dates, đồng.

Numbers are read as a Vietnamese user writes them: the comma is the decimal mark and the dot
groups thousands ("1,5" is one and a half, "1.500" is fifteen hundred). A dot that cannot group
thousands ("1.5", "2.25") is the decimal point of a phone keyboard. "1,500" is one and a half to a
Vietnamese reader and fifteen hundred to an English one: it is refused, never guessed.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation

from config.i18n import gettext as _
from matchmaking.clock import VIETNAM

DATE_PATTERNS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y")
MOMENT_PATTERNS = ("%d/%m/%Y %H:%M", "%d-%m-%Y %H:%M")
QUANTITY_PLACES = 3  # quantities keep three decimals: 1,125 tấn, 0,5 kg


class NumberError(ValueError):
    """Text that is not a number, or could be two different ones (`ambiguous`)."""

    def __init__(self, text: str, *, ambiguous: bool = False) -> None:
        super().__init__(text)
        self.text = text
        self.ambiguous = ambiguous


_GROUPED = {".": re.compile(r"\d{1,3}(\.\d{3})+"), ",": re.compile(r"\d{1,3}(,\d{3})+")}


def _plain(text: str) -> str:
    """`text` (digits, '.', ',', spaces) as a plain decimal string; NumberError otherwise."""
    if " " in text:
        spaced = re.fullmatch(r"(\d{1,3}(?: \d{3})+)(?:[.,](\d+))?", text)
        if spaced is None:
            raise NumberError(text)
        whole, fraction = spaced.group(1).replace(" ", ""), spaced.group(2)
        return f"{whole}.{fraction}" if fraction else whole
    dots, commas = text.count("."), text.count(",")
    if dots and commas:
        mark = "." if text.rfind(".") > text.rfind(",") else ","
        group = "," if mark == "." else "."
        whole, _, fraction = text.rpartition(mark)
        if not _GROUPED[group].fullmatch(whole) or not fraction.isdigit():
            raise NumberError(text)
        return whole.replace(group, "") + "." + fraction
    for sep, count in ((".", dots), (",", commas)):
        if count > 1:
            if not _GROUPED[sep].fullmatch(text):
                raise NumberError(text)
            return text.replace(sep, "")
        if count == 1:
            whole, _, fraction = text.partition(sep)
            if not whole.isdigit() or not fraction.isdigit():
                raise NumberError(text)
            if len(fraction) != 3 or whole == "0":
                return f"{whole}.{fraction}"
            if sep == ".":
                return whole + fraction  # 1.500: the Vietnamese thousands dot
            raise NumberError(text, ambiguous=True)  # 1,500: 1,5 or 1500?
    if not text.isdigit():
        raise NumberError(text)
    return text


def read_decimal(value: object, *, places: int = QUANTITY_PLACES) -> Decimal:
    """A number from an int, float, Decimal or typed text; NumberError if it is not one, has
    more than `places` decimals, or could be read two ways."""
    if isinstance(value, bool) or value is None:
        raise NumberError(str(value))
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise NumberError(str(value))
        number = Decimal(repr(value))
    elif isinstance(value, Decimal):
        number = value
    else:
        text = " ".join(str(value).replace("\u00a0", " ").split())
        sign = ""
        if text.startswith("-"):
            sign, text = "-", text[1:].strip()
        if not text or not re.fullmatch(r"[\d., ]+", text):
            raise NumberError(str(value))
        try:
            number = Decimal(sign + _plain(text))
        except InvalidOperation:
            raise NumberError(str(value)) from None
    if not number.is_finite() or number != number.quantize(Decimal(1).scaleb(-places)) \
            or abs(number) >= Decimal(10) ** 15:
        raise NumberError(str(value))
    return number.to_integral_value() if number == number.to_integral_value() else number.normalize()


def parse_quantity(value: object) -> Decimal | None:
    """A quantity (three decimals at most) or None; use `read_decimal` to tell why not."""
    try:
        return read_decimal(value)
    except NumberError:
        return None


def parse_whole(value: object, *, max_digits: int = 12) -> int | None:
    """A whole number from an int or text such as '1.200', '1 200' or '1,200'; None otherwise
    ('1,5' is one and a half, not a whole number)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    text = str(value or "").strip()
    if _GROUPED[","].fullmatch(text):
        text = text.replace(",", "")  # only a thousands comma makes a whole number of it
    try:
        number = read_decimal(text, places=0)
    except NumberError:
        return None
    return int(number) if len(str(abs(int(number)))) <= max_digits else None


LARGEST_ID = 2**31 - 1


def parse_id(value: object) -> int | None:
    """A database id or code (ASCII digits, 0 to 2^31-1) from text or an int; None otherwise."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 0 <= value <= LARGEST_ID else None
    text = str(value or "").strip()
    if not re.fullmatch(r"[0-9]{1,10}", text, flags=re.ASCII) or int(text) > LARGEST_ID:
        return None
    return int(text)


def parse_day(value: object) -> date | None:
    """A date from ISO text, dd/mm/yyyy or dd-mm-yyyy; None otherwise."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value or "").strip()
    for pattern in DATE_PATTERNS:
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def parse_moment(value: object) -> datetime | None:
    """A date and time as an aware datetime: ISO ('2026-06-12T09:00', with or without a zone) or
    '12/06/2026 09:00'; without a zone it is Vietnam's wall-clock time, a bare date is midnight."""
    if isinstance(value, datetime):
        moment = value
    else:
        text = str(value or "").strip()
        for pattern in MOMENT_PATTERNS:
            try:
                moment = datetime.strptime(text, pattern)
                break
            except ValueError:
                continue
        else:
            try:
                moment = datetime.fromisoformat(text.replace(" ", "T"))
            except ValueError:
                day = parse_day(value)
                if day is None:
                    return None
                moment = datetime.combine(day, time())
    return moment if moment.tzinfo else moment.replace(tzinfo=VIETNAM)


def parse_vnd(value: object) -> int | None:
    """Whole đồng from '120.000', '120,000 ₫', '120000' or an int; None if not a whole amount."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    text = str(value or "").strip().lower()
    for suffix in ("₫", "vnđ", "vnd", "đồng", "đ", "d"):
        text = text.removesuffix(suffix).strip()
    if not re.fullmatch(r"\d{1,3}([.,\s]\d{3})+|\d+", text):
        return None
    return int(re.sub(r"[.,\s]", "", text))


def read_quantity(value: object, errors: dict[str, str], name: str = "quantity", *,
                  maximum: int | Decimal = 1_000_000_000) -> Decimal | None:
    """A quantity above zero, or None with a message in `errors[name]` that says what to type."""
    try:
        number = read_decimal(value)
    except NumberError as exc:
        if exc.ambiguous:
            whole, _sep, fraction = exc.text.partition(",")
            errors[name] = _(
                "“%(text)s” could mean %(small)s or %(large)s. Write “%(small)s” for the "
                "first or “%(large)s” for the second.") % {
                    "text": exc.text, "small": f"{whole},{fraction.rstrip('0') or '0'}",
                    "large": f"{whole}.{fraction}"}
        else:
            errors[name] = _("Enter a number above zero, e.g. 1,5 or 1.500 (three decimals at most).")
        return None
    if not 0 < number <= maximum:
        errors[name] = _("Enter a number above zero, e.g. 1,5 or 1.500 (three decimals at most).")
        return None
    return number


def vnd_input(value: int | None) -> str:
    """A stored amount of đồng as a form shows it, grouped the Vietnamese way: '85.000'.
    `parse_vnd` reads it back as the same amount."""
    return "" if value is None else f"{value:,}".replace(",", ".")


def quantity_input(value: object) -> str:
    """A stored quantity as a form shows it, read back as the same number: '2', '1,5', '1500'.
    Three decimals get a fourth zero ('1,1250'), since '1,125' could be read two ways."""
    if value is None or value == "":
        return ""
    number = Decimal(str(value))
    if number == number.to_integral_value():
        return str(int(number))
    whole, _sep, fraction = format(number.normalize(), "f").partition(".")
    return f"{whole},{fraction}0" if len(fraction) == 3 else f"{whole},{fraction}"
