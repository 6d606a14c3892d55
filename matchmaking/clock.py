"""What time and what day it is, for the platform: dates that decide something are Vietnam's."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from babel.dates import format_datetime

from config.i18n import current_language

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
DAY_AND_TIME = "dd/MM/yyyy HH:mm"


def now_utc() -> datetime:
    """The current moment, timezone-aware in UTC (the storage zone)."""
    return datetime.now(UTC)


def today_in_vietnam(moment: datetime | None = None) -> date:
    """Vietnam's calendar day at `moment` (default now), whatever the server's own zone."""
    return (moment or now_utc()).astimezone(VIETNAM).date()


def local_time(moment: object, pattern: str = DAY_AND_TIME) -> str:
    """A stored (UTC) moment as read in Vietnam, in a Babel (LDML) pattern such as "HH:mm";
    empty for anything that is not a datetime (None)."""
    if not isinstance(moment, datetime):
        return ""
    return format_datetime(moment, pattern, tzinfo=VIETNAM, locale=current_language())
