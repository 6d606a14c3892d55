"""Shared fixtures: a real Meilisearch process and a real database (SQLite, or PostgreSQL
when TEST_DATABASE_URL says so), both private to the test session."""

from __future__ import annotations

import logging
import os
import secrets
import shutil
import tempfile
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import replace
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette
from starlette.datastructures import Secret
from tortoise import Tortoise, connections

from config.settings import Settings, load_settings
from search.binary import ensure_binary
from search.client import SearchClient
from search.server import EmbeddedMeili

POSTGRES = os.environ.get("TEST_DATABASE_URL", "").startswith(("postgres://", "postgresql://"))


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "db" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.db)


@pytest.fixture(scope="session")
def session_dir() -> Iterator[Path]:
    path = Path(tempfile.mkdtemp(prefix="ocop-test-"))
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture(scope="session")
def meili_server(session_dir: Path) -> Iterator[EmbeddedMeili]:
    """A real Meilisearch with its own port, data directory and master key."""
    settings = load_settings()
    server = EmbeddedMeili(
        binary=ensure_binary(settings.meili_cache_dir, settings.meili_bin),
        data_dir=session_dir / "meili",
        master_key=secrets.token_urlsafe(24),
        production=False,
    )
    server.start()
    yield server
    server.stop()


def private_meili(data_dir: Path) -> EmbeddedMeili:
    """A started Meilisearch of a test's own, for tests that stop or kill it."""
    settings = load_settings(env_file="/nonexistent")
    server = EmbeddedMeili(binary=ensure_binary(settings.meili_cache_dir, settings.meili_bin),
                           data_dir=data_dir, master_key=secrets.token_urlsafe(24),
                           production=False)
    server.start()
    return server


@pytest.fixture(scope="session")
def search(meili_server: EmbeddedMeili) -> SearchClient:
    return SearchClient(meili_server.url, meili_server.master_key, prefix=f"t{os.getpid()}")


@pytest.fixture(scope="session")
def database_url(session_dir: Path) -> str:
    return os.environ.get("TEST_DATABASE_URL") or f"sqlite://{session_dir / 'test.sqlite3'}"


@pytest.fixture(scope="session")
def settings(session_dir: Path, database_url: str, meili_server: EmbeddedMeili) -> Settings:
    base = load_settings(env_file="/nonexistent")
    return replace(
        base,
        env="test",
        var_dir=session_dir / "var",
        database_url=database_url,
        meili_url=meili_server.url,
        meili_master_key=Secret(meili_server.master_key or ""),
        media_dir=session_dir / "media",
        secret_key=Secret("test-secret-key-not-for-production"),
    )


async def _reset_postgres(database_url: str) -> None:
    import asyncpg

    connection = await asyncpg.connect(database_url)
    try:
        await connection.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    finally:
        await connection.close()


@pytest.fixture(scope="session")
async def migrated(database_url: str) -> AsyncIterator[str]:
    """The test database with every migration applied, Tortoise initialised on it."""
    from matchmaking.database import close_database, migrate_database, open_database

    if POSTGRES:
        await _reset_postgres(database_url)
    await migrate_database(database_url)
    await open_database(database_url)
    yield database_url
    await close_database()


def _tables() -> list[str]:
    names = []
    for app in Tortoise.apps.values():
        for model in app.values():
            names.append(model._meta.db_table)
            for field in model._meta.m2m_fields:
                through = model._meta.fields_map[field].through  # type: ignore[attr-defined]
                names.append(through)
    return sorted(set(names))


async def _empty_database() -> None:
    connection = connections.get("default")
    tables = _tables()
    if POSTGRES:
        quoted = ", ".join(f'"{t}"' for t in tables)
        await connection.execute_script(f"TRUNCATE {quoted} RESTART IDENTITY CASCADE")
        return
    await connection.execute_script(
        "PRAGMA foreign_keys = OFF;"
        + "".join(f'DELETE FROM "{t}";' for t in tables)
        + "DELETE FROM sqlite_sequence; PRAGMA foreign_keys = ON;"
    )


@pytest.fixture
async def db(migrated: str) -> AsyncIterator[str]:
    """An empty, migrated database for one test."""
    await _empty_database()
    yield migrated


@pytest.fixture
async def app(db: str, settings: Settings, search: SearchClient) -> Starlette:
    from web.app import create_app

    return create_app(settings, search=search, manage_database=False)


@pytest.fixture
async def client(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http


@pytest.fixture
def free_port() -> int:
    """A loopback port nothing listens on."""
    from search.server import free_port as pick

    return pick()


class _Statements(logging.Handler):
    """Collects the SQL Tortoise's connections send: each execute call logs its statement."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.statements: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        args = record.args if isinstance(record.args, tuple) else ()
        self.statements.append(str(args[0] if args else record.msg))


@contextmanager
def _counting() -> Iterator[list[str]]:
    logger = logging.getLogger("tortoise.db_client")
    handler, level, propagate = _Statements(), logger.level, logger.propagate
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    logger.propagate = False
    try:
        yield handler.statements
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
        logger.propagate = propagate


@pytest.fixture
def count_queries(db: str) -> Callable[[], AbstractContextManager[list[str]]]:
    """`with count_queries() as statements:` lists the SQL statements sent in the block
    (a bulk insert is one), to guard pages and verbs against one query per row."""
    return _counting
