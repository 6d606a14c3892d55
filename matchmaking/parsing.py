"""Reading what people type into forms, spreadsheets and JSON: numbers, dates, đồng."""

from __future__ import annotations

import re
from datetime import date, datetime, time

from matchmaking.clock import VIETNAM

DATE_PATTERNS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y")
MOMENT_PATTERNS = ("%d/%m/%Y %H:%M", "%d-%m-%Y %H:%M")


def parse_whole(value: object, *, max_digits: int = 12) -> int | None:
    """A whole number from an int or text such as '1.200' or '1 200'; None otherwise."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    text = str(value or "").strip().replace(".", "").replace(",", "").replace(" ", "")
    return int(text) if re.fullmatch(rf"-?\d{{1,{max_digits}}}", text) else None


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
