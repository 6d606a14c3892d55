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


async def test_waits_grow_from_the_fifth_attempt(db: str) -> None:
    now = datetime.now(UTC)
    key = [throttle.Key("email:x@y.vn", POLICY.max_failures)]
    waits = []
    for _ in range(9):
        assert await throttle.claim_attempt(key, now=now, policy=POLICY) is None
        until = await throttle.locked_until([key[0].name], now=now)
        waits.append(round((until - now).total_seconds()) if until else 0)
        now = until or now
    assert waits == [0, 0, 0, 0, 30, 60, 120, 240, 480]


async def test_attempt_during_a_wait_is_refused_and_not_counted(db: str) -> None:
    now = datetime.now(UTC)
    key = [throttle.Key("email:x@y.vn", 2)]
    await throttle.claim_attempt(key, now=now, policy=POLICY)
    await throttle.claim_attempt(key, now=now, policy=POLICY)
    assert await throttle.claim_attempt(key, now=now, policy=POLICY) is not None
    assert (await AuthThrottle.get(key="email:x@y.vn")).failures == 2
