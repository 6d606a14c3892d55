"""Login throttling: failures counted per key (account, client address) in a window."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from matchmaking.models import AuthThrottle


@dataclass(frozen=True)
class ThrottlePolicy:
    max_failures: int = 5
    lock_minutes: int = 15

    @property
    def window(self) -> timedelta:
        return timedelta(minutes=self.lock_minutes)


async def locked_until(keys: list[str], *, now: datetime) -> datetime | None:
    """The latest lock still in force on any of `keys`, or None."""
    rows = await AuthThrottle.filter(key__in=keys, locked_until__gt=now)
    return max((row.locked_until for row in rows if row.locked_until), default=None)


async def record_failure(keys: list[str], *, now: datetime, policy: ThrottlePolicy) -> None:
    for key in keys:
        row, _ = await AuthThrottle.get_or_create(key=key, defaults={"window_started_at": now})
        if row.window_started_at + policy.window < now:
            row.failures, row.window_started_at, row.locked_until = 0, now, None
        row.failures += 1
        if row.failures >= policy.max_failures:
            row.locked_until = now + policy.window
        await row.save()


async def clear(keys: list[str]) -> None:
    await AuthThrottle.filter(key__in=keys).delete()
