"""Vietnam's day and time: what a date decides, and how a moment reads."""

from __future__ import annotations

from datetime import UTC, date, datetime

from config import i18n
from matchmaking.clock import local_time, today_in_vietnam
from matchmaking.parsing import parse_moment

EVENING_IN_UTC = datetime(2026, 6, 30, 18, 30, 5, tzinfo=UTC)  # 01:30 on 1 July in Hà Nội


def test_vietnams_day_begins_seven_hours_before_utcs() -> None:
    assert today_in_vietnam(EVENING_IN_UTC) == date(2026, 7, 1)
    assert today_in_vietnam(datetime(2026, 6, 30, 16, 59, tzinfo=UTC)) == date(2026, 6, 30)


def test_local_time_reads_a_stored_moment_in_vietnams_time_in_either_language() -> None:
    for language in ("vi", "en"):
        with i18n.speaking(language):
            assert local_time(EVENING_IN_UTC) == "01/07/2026 01:30"
            assert local_time(EVENING_IN_UTC, "HH:mm") == "01:30"
            assert local_time(EVENING_IN_UTC, "dd/MM/yyyy HH:mm:ss") == "01/07/2026 01:30:05"
    assert local_time(None) == ""


def test_a_typed_moment_without_a_zone_is_vietnams_wall_clock_time() -> None:
    nine = datetime(2026, 6, 12, 2, 0, tzinfo=UTC)  # 09:00 in Hà Nội
    for typed in ("2026-06-12T09:00", "2026-06-12 09:00", "12/06/2026 09:00", "2026-06-12T02:00Z"):
        moment = parse_moment(typed)
        assert moment is not None and moment == nine, typed
    assert parse_moment("12/06/2026") == datetime(2026, 6, 11, 17, 0, tzinfo=UTC)  # midnight there
    assert parse_moment("soon") is None and parse_moment("") is None
