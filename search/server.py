"""Starts and supervises the embedded Meilisearch process on a free loopback port."""

from __future__ import annotations

import ctypes
import os
import signal
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from search.datadir import DataDirLock, MeiliAddress, forget_address, write_address
from search.errors import ServerStartError

_PR_SET_PDEATHSIG = 1


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port that is free on `host` right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def _die_with_parent() -> None:
    # The kernel sends SIGTERM to the child if the platform dies without cleaning up
    # (SIGKILL, crash), so no Meilisearch outlives it.
    libc = ctypes.CDLL("libc.so.6", use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


@dataclass
class EmbeddedMeili:
    """One supervised Meilisearch child process."""

    binary: Path
    data_dir: Path
    master_key: str | None
    production: bool
    host: str = "127.0.0.1"
    port: int = 0
    process: subprocess.Popen[bytes] | None = field(default=None, init=False)
    lock: DataDirLock | None = field(default=None, init=False)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def log_path(self) -> Path:
        return self.data_dir / "meilisearch.log"

    def start(self, timeout: float = 30.0) -> None:
        """Start the child and wait until it answers /health.

        Raises DataDirBusy when another process already runs Meilisearch on `data_dir`.
        """
        self.data_dir.mkdir(parents=True, exist_ok=True)
        lock = DataDirLock(self.data_dir)
        lock.acquire()
        self.lock = lock
        try:
            self._start(timeout)
        except BaseException:
            self.stop()
            raise
        write_address(self.data_dir, MeiliAddress(self.url, self.master_key, os.getpid()))

    def _start(self, timeout: float) -> None:
        assert self.lock is not None and self.lock.fd is not None
        if not self.port:
            self.port = free_port(self.host)
        command = [
            str(self.binary),
            "--db-path", str(self.data_dir / "data.ms"),
            "--dump-dir", str(self.data_dir / "dumps"),
            "--snapshot-dir", str(self.data_dir / "snapshots"),
            "--http-addr", f"{self.host}:{self.port}",
            "--no-analytics",
            "--env", "production" if self.production else "development",
        ]
        # The key goes through the environment, not argv, so `ps` never shows it.
        environment = {k: v for k, v in os.environ.items() if not k.startswith("MEILI_")}
        if self.master_key:
            environment["MEILI_MASTER_KEY"] = self.master_key
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                command,
                env=environment,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                preexec_fn=_die_with_parent,
                # Its own session: a Ctrl-C in the terminal reaches ocop, which stops it last.
                start_new_session=True,
                # The child keeps the data directory locked until it has exited too.
                pass_fds=(self.lock.fd,),
            )
        self._wait_healthy(timeout)

    def _wait_healthy(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise ServerStartError(f"Meilisearch exited at start: {self._last_log_line()}")
            try:
                if httpx.get(f"{self.url}/health", timeout=1.0).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise ServerStartError(f"Meilisearch did not answer within {timeout:.0f} s")

    def _last_log_line(self) -> str:
        try:
            lines = self.log_path.read_text(errors="replace").strip().splitlines()
        except OSError:
            return "no log"
        return lines[-1] if lines else "no log"

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self, timeout: float = 5.0) -> None:
        """Stop the child (SIGTERM, then SIGKILL if it lingers), then free the data directory."""
        if self.process is not None:
            if self.process.poll() is None:
                self.process.terminate()
                try:
                    self.process.wait(timeout)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait()
            self.process = None
        if self.lock is not None:
            forget_address(self.data_dir)
            self.lock.release()
            self.lock = None
