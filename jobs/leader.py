"""One job runner at a time: a PostgreSQL advisory lock, or a file lock for SQLite."""

from __future__ import annotations

import asyncio
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

    def __init__(self, dsn: str) -> None:
        self.dsn = dsn
        self.connection: asyncpg.Connection | None = None

    async def try_acquire(self) -> bool:
        import asyncpg

        connection = await asyncpg.connect(self.dsn)
        got = await connection.fetchval("SELECT pg_try_advisory_lock($1)", ADVISORY_KEY)
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
    if database_url.startswith(("postgres://", "postgresql://")):
        return PostgresLeadership(database_url)
    return FileLeadership(var_dir / "worker.lock")
