"""uvicorn, made to stop within the grace period whatever its clients do.

uvicorn 0.54 on SIGTERM/SIGINT closes its listening sockets, closes idle connections, and waits
for in-flight requests; `timeout_graceful_shutdown` bounds that wait (unset, a client that stalls
half-way through a request body holds the process forever). With several workers the parent
sends SIGTERM to each and then joins them without a time limit; `BoundedWorkers` bounds the join.
"""

from __future__ import annotations

import logging
import time
from socket import socket
from types import FrameType

import uvicorn
from uvicorn.supervisors.multiprocess import Multiprocess

from cli.stopping import STOP_MARGIN_SECONDS, Watchdog

log = logging.getLogger("uvicorn.error")


class BoundedServer(uvicorn.Server):
    """One in-process server whose first stop signal also arms the watchdog."""

    def __init__(self, config: uvicorn.Config, *, watchdog: Watchdog) -> None:
        super().__init__(config)
        self.watchdog = watchdog

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        self.watchdog.arm()
        super().handle_exit(sig, frame)


class BoundedWorkers(Multiprocess):
    """Several worker processes: stop listening first, then give each the grace period."""

    def __init__(self, config: uvicorn.Config, sockets: list[socket], *, watchdog: Watchdog) -> None:
        super().__init__(config, sockets)
        self.watchdog = watchdog

    def handle_int(self) -> None:
        self.watchdog.arm()
        super().handle_int()

    def handle_term(self) -> None:
        self.watchdog.arm()
        super().handle_term()

    def terminate_all(self) -> None:
        # The parent's copy of the listening socket would keep queueing connections nobody accepts.
        for sock in self.sockets:
            sock.close()
        super().terminate_all()

    def join_all(self) -> None:
        grace = float(self.config.timeout_graceful_shutdown or 0)
        deadline = time.monotonic() + grace + STOP_MARGIN_SECONDS / 2
        for process in self.processes:
            process.process.join(max(0.0, deadline - time.monotonic()))
            if process.process.is_alive():
                log.error("web worker %s did not stop in time: killing it", process.pid)
                process.kill()
                process.process.join()
