"""SQLite shared by several processes: write transactions wait their turn, none is refused."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from tortoise.backends.sqlite.client import SqliteClient
from tortoise.exceptions import OperationalError, TransactionManagementError

from config.database import connection_config
from config.sqlite import BUSY_TIMEOUT_MS, ImmediateSqliteClient

WRITERS = 8


async def _counter(path: Path) -> None:
    setup = SqliteClient(str(path), connection_name="setup")
    await setup.create_connection(with_db=True)
    await setup.execute_script("CREATE TABLE counter (n INTEGER NOT NULL); INSERT INTO counter VALUES (0)")
    await setup.close()


async def _read_then_write(client: SqliteClient) -> None:
    """What a create does: read (a unique code, a count), let others run, then write.

    The transaction is the one the client's `in_transaction` opens (same wrapper, same BEGIN),
    driven by hand because these clients are not registered with Tortoise.
    """
    async with client._lock:
        transaction = client._in_transaction().connection  # type: ignore[attr-defined]
        await transaction.begin()
        try:
            _, rows = await transaction.execute_query("SELECT n FROM counter")
            await asyncio.sleep(0.01)
            await transaction.execute_query("UPDATE counter SET n = ?", [rows[0]["n"] + 1])
        except BaseException:
            await transaction.rollback()
            raise
        await transaction.commit()


async def _race(path: Path, kind: type[SqliteClient]) -> tuple[int, list[BaseException]]:
    # One client each, as separate web workers have: separate SQLite connections.
    clients = [kind(str(path), connection_name=f"w{i}", busy_timeout=BUSY_TIMEOUT_MS)
               for i in range(WRITERS)]
    for client in clients:
        await client.create_connection(with_db=True)
    try:
        outcomes = await asyncio.gather(*(_read_then_write(c) for c in clients), return_exceptions=True)
        _, rows = await clients[0].execute_query("SELECT n FROM counter")
    finally:
        for client in clients:
            await client.close()
    return rows[0]["n"], [o for o in outcomes if isinstance(o, BaseException)]


async def test_concurrent_read_then_write_transactions_all_succeed(tmp_path: Path) -> None:
    path = tmp_path / "shared.sqlite3"
    await _counter(path)

    total, failures = await _race(path, ImmediateSqliteClient)

    assert failures == []
    assert total == WRITERS  # no lost update either: each transaction saw the previous one


async def test_plain_begin_is_what_failed_with_database_is_locked(tmp_path: Path) -> None:
    path = tmp_path / "shared.sqlite3"
    await _counter(path)

    _, failures = await _race(path, SqliteClient)

    assert failures, "Tortoise's plain BEGIN no longer fails: config.sqlite may be unnecessary"
    assert all(isinstance(f, OperationalError | TransactionManagementError) for f in failures)
    assert any("locked" in str(f) for f in failures)


def test_sqlite_urls_use_the_immediate_engine_with_wal_and_a_busy_timeout() -> None:
    config = connection_config("sqlite:///var/ocop.sqlite3")
    assert isinstance(config, dict)
    assert config["engine"] == "config.sqlite"
    assert config["credentials"]["journal_mode"] == "WAL"
    assert config["credentials"]["busy_timeout"] == BUSY_TIMEOUT_MS
    assert connection_config("postgres://u@h/db") == "postgres://u@h/db"


@pytest.mark.parametrize("url", ["sqlite://:memory:"])
def test_memory_databases_keep_working(url: str) -> None:
    config = connection_config(url)
    assert isinstance(config, dict)
    assert config["credentials"]["file_path"] == ":memory:"
