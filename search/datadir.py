"""One Meilisearch per data directory: an exclusive lock, and a record of where it listens.

The lock (`meili.lock`) is held by the supervising process and, through an inherited file
descriptor, by the Meilisearch child itself, so it is released only when both are gone. The record
(`address.json`, mode 0600 because it holds the master key) lets other `ocop` commands on the same
data directory use that Meilisearch instead of starting a second one on the same files.
"""

from __future__ import annotations

import contextlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from config.locks import try_lock
from search.errors import ServerStartError

LOCK_NAME = "meili.lock"
RECORD_NAME = "address.json"


@dataclass(frozen=True)
class MeiliAddress:
    """Where the Meilisearch of a data directory answers, and with which key."""

    url: str
    master_key: str | None
    pid: int

    def __repr__(self) -> str:  # never show the key
        return f"MeiliAddress(url={self.url!r}, pid={self.pid})"


class DataDirBusy(ServerStartError):
    """Another process holds the data directory's lock."""

    def __init__(self, data_dir: Path, holder: int | None) -> None:
        self.data_dir = data_dir
        self.holder = holder
        who = f"process {holder}" if holder else "another process"
        super().__init__(
            f"a Meilisearch already runs on {data_dir} (started by {who}); "
            "stop it, or use it with MEILI_URL"
        )


class DataDirLock:
    """The exclusive flock on `data_dir/meili.lock`, which also names its holder's pid."""

    def __init__(self, data_dir: Path) -> None:
        self.path = data_dir / LOCK_NAME
        self.fd: int | None = None

    def acquire(self) -> None:
        """Take the lock or raise DataDirBusy naming the holder."""
        fd = try_lock(self.path)
        if fd is None:
            raise DataDirBusy(self.path.parent, lock_holder(self.path.parent))
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        self.fd = fd

    def release(self) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None


def lock_holder(data_dir: Path) -> int | None:
    """The pid written by the lock's holder, if any."""
    try:
        return int((data_dir / LOCK_NAME).read_text().strip() or 0) or None
    except (OSError, ValueError):
        return None


def write_address(data_dir: Path, address: MeiliAddress) -> None:
    """Record the address and key, readable by the owner only."""
    path = data_dir / RECORD_NAME
    temporary = path.with_suffix(".tmp")
    with contextlib.suppress(FileNotFoundError):
        temporary.unlink()
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        json.dump({"url": address.url, "master_key": address.master_key, "pid": address.pid}, handle)
    os.replace(temporary, path)


def read_address(data_dir: Path) -> MeiliAddress | None:
    """The recorded address, if its writer still holds the lock (a stale record is ignored)."""
    try:
        raw = json.loads((data_dir / RECORD_NAME).read_text())
        address = MeiliAddress(url=str(raw["url"]), master_key=raw.get("master_key"),
                               pid=int(raw["pid"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if not _alive(address.pid) or lock_holder(data_dir) != address.pid:
        return None
    return address


def forget_address(data_dir: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        (data_dir / RECORD_NAME).unlink()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
