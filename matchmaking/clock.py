"""What time and what day it is, for the platform: dates that decide something are Vietnam's."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


def now_utc() -> datetime:
    """The current moment, timezone-aware in UTC (the storage zone)."""
    return datetime.now(UTC)


def today_in_vietnam(moment: datetime | None = None) -> date:
    """Vietnam's calendar day at `moment` (default now), whatever the server's own zone."""
    return (moment or now_utc()).astimezone(VIETNAM).date()
