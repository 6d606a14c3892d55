"""One job runner at a time, and one run of a heavy job at a time: a PostgreSQL advisory lock,
or a file lock for SQLite. Either dies with the process holding it, however it dies."""

from __future__ import annotations

import asyncio
import hashlib
import os
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    import asyncpg

from config.locks import try_lock

# A fixed 64-bit key: "OCOPJOBS" as ASCII.
ADVISORY_KEY = int.from_bytes(b"OCOPJOBS", "big") - (1 << 63)


class Leadership(Protocol):
    async def try_acquire(self) -> bool: ...
    async def still_held(self) -> bool: ...
    async def release(self) -> None: ...


class FileLeadership:
    """An exclusive flock on a file: held until the process dies or releases it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.fd: int | None = None

    async def try_acquire(self) -> bool:
        self.fd = try_lock(self.path)
        return self.fd is not None

    async def still_held(self) -> bool:
        return self.fd is not None

    async def release(self) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None


class PostgresLeadership:
    """pg_try_advisory_lock on a dedicated connection; the lock dies with the connection."""

    def __init__(self, dsn: str, key: int = ADVISORY_KEY) -> None:
        self.dsn = dsn
        self.key = key
        self.connection: asyncpg.Connection | None = None

    async def try_acquire(self) -> bool:
        import asyncpg

        connection = await asyncpg.connect(self.dsn)
        got = await connection.fetchval("SELECT pg_try_advisory_lock($1)", self.key)
        if not got:
            await connection.close()
            return False
        self.connection = connection
        return True

    async def still_held(self) -> bool:
        if self.connection is None:
            return False
        try:
            await asyncio.wait_for(self.connection.fetchval("SELECT 1"), 5)
        except Exception:  # a broken connection means the lock is gone
            return False
        return True

    async def release(self) -> None:
        if self.connection is not None:
            await self.connection.close()
            self.connection = None


def leadership_for(database_url: str, var_dir: Path) -> Leadership:
    if _postgres(database_url):
        return PostgresLeadership(database_url)
    return FileLeadership(var_dir / "worker.lock")


def _postgres(database_url: str) -> bool:
    return database_url.startswith(("postgres://", "postgresql://"))


def job_lock_for(database_url: str, var_dir: Path, name: str) -> Leadership:
    """The lock a run of job `name` holds, so a run started by hand and a scheduled one never
    overlap; a killed run's lock is gone with its process (its connection, its descriptor)."""
    if _postgres(database_url):
        digest = hashlib.sha256(f"ocop-job:{name}".encode()).digest()
        return PostgresLeadership(database_url, key=int.from_bytes(digest[:8], "big", signed=True))
    return FileLeadership(var_dir / "jobs" / f"{name}.lock")
