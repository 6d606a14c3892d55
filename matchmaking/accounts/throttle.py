"""Attempt throttling: attempts counted per key (an account, a client address) in a window.

Each attempt is counted before the password is checked, by a conditional UPDATE that only one
of several parallel requests can win for a given count, so 40 parallel guesses cannot slip past
the limit between the check and the count. Past the limit a key is not locked for good: each
further attempt must wait, 30 s doubling up to `lock_minutes`, and the right password works
again once the wait is over.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from tortoise.exceptions import IntegrityError
from tortoise.expressions import F

from matchmaking.models import AuthThrottle

CLAIM_RETRIES = 25


@dataclass(frozen=True)
class ThrottlePolicy:
    max_failures: int = 5
    lock_minutes: int = 15
    address_max_failures: int = 100
    first_delay_seconds: int = 30
    window: timedelta = timedelta(days=1)

    def wait_after(self, attempts: int, limit: int) -> timedelta | None:
        """How long the key must wait after its `attempts`-th counted attempt, or None."""
        if attempts < limit:
            return None
        seconds = self.first_delay_seconds * 2 ** min(attempts - limit, 20)
        return timedelta(seconds=min(seconds, self.lock_minutes * 60))


@dataclass(frozen=True)
class Key:
    name: str
    limit: int


async def locked_until(keys: list[str], *, now: datetime) -> datetime | None:
    """The latest wait still in force on any of `keys`, or None."""
    rows = await AuthThrottle.filter(key__in=keys, locked_until__gt=now)
    return max((row.locked_until for row in rows if row.locked_until), default=None)


async def _claim_one(key: Key, *, now: datetime, policy: ThrottlePolicy) -> datetime | None:
    for _ in range(CLAIM_RETRIES):
        row = await AuthThrottle.get_or_none(key=key.name)
        if row is None:
            wait = policy.wait_after(1, key.limit)
            try:
                await AuthThrottle.create(key=key.name, failures=1, window_started_at=now,
                                          locked_until=now + wait if wait else None)
            except IntegrityError:
                continue
            return None
        if row.locked_until is not None and row.locked_until > now:
            return row.locked_until
        attempts, started = row.failures + 1, row.window_started_at
        if started + policy.window < now:
            attempts, started = 1, now
        wait = policy.wait_after(attempts, key.limit)
        won = await AuthThrottle.filter(id=row.id, failures=row.failures).update(
            failures=attempts, window_started_at=started,
            locked_until=now + wait if wait else None,
        )
        if won:
            return None
    return now + timedelta(seconds=policy.first_delay_seconds)


async def claim_attempt(keys: list[Key], *, now: datetime, policy: ThrottlePolicy) -> datetime | None:
    """Count one attempt on every key, or on none: None to go ahead, else until when to wait."""
    claimed: list[Key] = []
    for key in keys:
        until = await _claim_one(key, now=now, policy=policy)
        if until is not None:
            await forgive([k.name for k in claimed])
            return until
        claimed.append(key)
    return None


async def forgive(keys: list[str]) -> None:
    """Take back one counted attempt (it succeeded, or was never made)."""
    await AuthThrottle.filter(key__in=keys, failures__gt=0).update(failures=F("failures") - 1)


async def clear(keys: list[str]) -> None:
    await AuthThrottle.filter(key__in=keys).delete()


MAIL_POLICY = ThrottlePolicy(first_delay_seconds=3600, lock_minutes=3600, window=timedelta(hours=1))
MAILS_PER_ACCOUNT = 3
MAILS_PER_ADDRESS = 20


async def mail_allowed(
    keys: list[str], *, now: datetime, address_limit: int = MAILS_PER_ADDRESS
) -> bool:
    """Whether one more email asked for by a visitor (reset link, notice) may go out now.

    The first key is the recipient (3 an hour), the others client addresses (`address_limit`
    an hour).
    """
    limits = [Key(f"mail:{keys[0]}", MAILS_PER_ACCOUNT)]
    limits += [Key(f"mail:{key}", address_limit) for key in keys[1:]]
    return await claim_attempt(limits, now=now, policy=MAIL_POLICY) is None
