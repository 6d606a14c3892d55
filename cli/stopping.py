"""Stopping never hangs: after the first SIGTERM or Ctrl-C, a bounded time, then a hard stop.

The orderly path (requests, scheduler, database, Meilisearch) normally ends well within the
grace period; the watchdog is the guarantee when something does not (a solver in a thread, a
worker that ignores SIGTERM): it kills every child process and exits.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
from pathlib import Path
from types import FrameType

from config.stopping import request_stop

# What Meilisearch's stop and the last clean-up get after the grace period.
STOP_MARGIN_SECONDS = 5.0


class Watchdog:
    """Arms on the first stop request; `grace + STOP_MARGIN_SECONDS` later it ends the process."""

    def __init__(self, grace: float) -> None:
        self.limit = grace + STOP_MARGIN_SECONDS
        self._armed = threading.Event()
        self._finished = threading.Event()
        self._thread = threading.Thread(target=self._watch, name="stop-watchdog", daemon=True)
        self._thread.start()

    def arm(self) -> None:
        """Safe in a signal handler: sets an event, nothing else."""
        request_stop()
        self._armed.set()

    def handle_signal(self, signum: int, frame: FrameType | None) -> None:
        self.arm()

    def install(self) -> None:
        """From now on SIGINT and SIGTERM start the bounded stop instead of interrupting."""
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, self.handle_signal)

    def _watch(self) -> None:
        self._armed.wait()
        if self._finished.wait(self.limit):
            return
        print(f"ocop: stopping took more than {self.limit:.0f} s: killing what is left",
              file=sys.stderr, flush=True)
        kill_children()
        os._exit(1)

    def finished(self) -> None:
        """The orderly stop is done: stand down."""
        self._finished.set()
        self._armed.set()


def kill_children() -> None:
    """SIGKILL every direct child of this process (web workers, Meilisearch)."""
    me = os.getpid()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        if parent == me:
            with contextlib.suppress(ProcessLookupError):
                os.kill(int(entry.name), signal.SIGKILL)
