"""How much an optimiser may work: until a wall-clock deadline, or a fixed amount of work.

With a work limit the clock decides nothing, so a run gives the same answer on an idle laptop and
on a loaded CI machine: every MILP explores at most `work` branch-and-bound nodes and every
search or column-generation loop runs at most `work` rounds. Services use time limits (an answer
in bounded time); tests use work limits (the same answer every time).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Budget:
    """A deadline on `time.monotonic()` (infinite when work-limited) and an optional work limit."""

    deadline: float = math.inf
    work: int | None = None

    @classmethod
    def of(cls, time_limit: float, work_limit: int | None = None) -> Budget:
        """`time_limit` seconds from now, or `work_limit` units of work and no clock at all."""
        if work_limit is not None:
            if work_limit < 1:
                raise ValueError("work_limit must be at least 1")
            return cls(math.inf, work_limit)
        return cls(time.monotonic() + max(time_limit, 0.0), None)

    def seconds_left(self) -> float:
        """Seconds before the deadline, never negative (infinite when work-limited)."""
        return max(0.0, self.deadline - time.monotonic()) if self.work is None else math.inf

    def part(self, fraction: float, *, floor: float = 0.0, cap: float = math.inf) -> Budget:
        """`fraction` of the time left (between `floor` and `cap` seconds), or the same work limit."""
        if self.work is not None:
            return self
        return Budget(time.monotonic() + min(max(fraction * self.seconds_left(), floor), cap))

    def expired(self, reserve: float = 0.0) -> bool:
        """Whether fewer than `reserve` seconds are left (never, when work-limited)."""
        return self.work is None and time.monotonic() >= self.deadline - reserve

    def spent(self, rounds: int, reserve: float = 0.0) -> bool:
        """Whether a loop that has run `rounds` rounds must stop."""
        return rounds >= self.work if self.work is not None else self.expired(reserve)

    def highs_options(self, floor: float = 0.01) -> dict[str, float | int]:
        """HiGHS options that enforce this budget on one solve (at least `floor` seconds)."""
        if self.work is not None:
            return {"mip_max_nodes": self.work}
        return {"time_limit": max(self.seconds_left(), floor)}
