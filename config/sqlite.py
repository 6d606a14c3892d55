"""Tortoise's SQLite engine, made honest under concurrency (`"engine": "config.sqlite"`).

Several processes (web workers, `ocop worker`, a job's child process) share one SQLite file.
Tortoise opens write transactions with a plain `BEGIN`: the transaction reads under a
snapshot, and when it then writes while another process has committed, SQLite answers
"database is locked" at once (no waiting can fix a stale snapshot). `BEGIN IMMEDIATE` takes
the write lock up front, so a transaction waits its turn (`busy_timeout`) instead of failing.
WAL lets readers go on while one writer writes.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from tortoise.backends.base.client import TransactionContext
from tortoise.backends.sqlite.client import (
    SqliteClient,
    SqliteTransactionContext,
    SqliteTransactionWrapper,
)
from tortoise.exceptions import TransactionManagementError

# How long a statement or a transaction waits for another process's write lock.
BUSY_TIMEOUT_MS = 15_000
PRAGMAS: dict[str, Any] = {
    "journal_mode": "WAL",
    "busy_timeout": BUSY_TIMEOUT_MS,
    # With WAL, NORMAL cannot corrupt the file; a power cut may lose the last commits.
    "synchronous": "NORMAL",
}


class ImmediateTransactionWrapper(SqliteTransactionWrapper):
    async def begin(self) -> None:
        try:
            await self._connection.commit()
            await self._connection.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise TransactionManagementError(exc) from exc


class ImmediateSqliteClient(SqliteClient):
    """SqliteClient whose transactions start with BEGIN IMMEDIATE."""

    def _in_transaction(self) -> TransactionContext:
        return SqliteTransactionContext(ImmediateTransactionWrapper(self), self._lock)


client_class = ImmediateSqliteClient
