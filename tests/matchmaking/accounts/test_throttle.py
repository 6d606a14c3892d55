"""Login locks end when they should, on SQLite as on PostgreSQL (datetimes compared in SQL)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from matchmaking.accounts import throttle
from matchmaking.models import AuthThrottle

POLICY = throttle.ThrottlePolicy(max_failures=5, lock_minutes=15)


async def test_lock_in_force_then_over(db: str) -> None:
    now = datetime.now(UTC)
    await AuthThrottle.create(key="email:a@b.vn", failures=5, window_started_at=now,
                              locked_until=now + timedelta(minutes=15))
    assert await throttle.locked_until(["email:a@b.vn"], now=now) is not None
    assert await throttle.locked_until(["email:a@b.vn"], now=now + timedelta(minutes=16)) is None


async def test_lock_that_ended_an_hour_ago_is_over(db: str) -> None:
    now = datetime.now(UTC)
    await AuthThrottle.create(key="ip:1.2.3.4", failures=5, window_started_at=now - timedelta(hours=2),
                              locked_until=now - timedelta(hours=1))
    assert await throttle.locked_until(["ip:1.2.3.4"], now=now) is None


async def test_fifth_failure_locks_for_the_window(db: str) -> None:
    now = datetime.now(UTC)
    for _ in range(5):
        await throttle.record_failure(["email:x@y.vn"], now=now, policy=POLICY)
    until = await throttle.locked_until(["email:x@y.vn"], now=now)
    assert until is not None and abs((until - now) - timedelta(minutes=15)) < timedelta(seconds=1)
