"""When this process was asked to stop, so every part shares one grace period."""

from __future__ import annotations

import time

_requested_at: float | None = None


def request_stop() -> None:
    """Note the first stop request (SIGTERM or Ctrl-C); later ones change nothing."""
    global _requested_at
    if _requested_at is None:
        _requested_at = time.monotonic()


def stop_requested() -> bool:
    return _requested_at is not None


def remaining(grace: float) -> float:
    """Seconds left of a grace period counted from the stop request (all of it if none yet)."""
    if _requested_at is None:
        return grace
    return max(0.0, _requested_at + grace - time.monotonic())
