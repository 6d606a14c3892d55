"""The database goes away mid-request: a clear 503 (never a stack trace or a 500), and pages
work again as soon as it is back."""

from __future__ import annotations

import httpx
import pytest
from tortoise import connections
from tortoise.exceptions import DBConnectionError

from tests.conftest import POSTGRES
from tests.factories import make_account, make_product
from tests.web.helpers import log_in


@pytest.fixture
def database_down(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """Every query fails as when the server has gone (only a failure is simulated)."""
    client_class = type(connections.get("default"))

    async def gone(self: object, *args: object, **kwargs: object) -> None:
        raise DBConnectionError("connection to the database was lost")

    def stop() -> None:
        for name in ("execute_query", "execute_query_dict", "execute_insert", "execute_many"):
            monkeypatch.setattr(client_class, name, gone)

    return stop


async def test_lost_database_gives_503_then_recovers(client: httpx.AsyncClient, database_down,  # type: ignore[no-untyped-def]
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    product = await make_product()
    account = await make_account()
    await log_in(client, account.email)
    assert (await client.get(f"/api/products/{product.id}")).status_code == 200
    database_down()
    api = await client.get(f"/api/products/{product.id}")
    page = await client.get(f"/products/{product.id}")
    account_page = await client.get("/account")  # the session lookup, in middleware, fails too
    monkeypatch.undo()
    assert (api.status_code, page.status_code, account_page.status_code) == (503, 503, 503)
    assert api.json()["error"] and api.headers["retry-after"]
    assert "tạm thời" in page.text and "Traceback" not in page.text
    assert (await client.get(f"/api/products/{product.id}")).status_code == 200
    assert (await client.get("/account")).status_code == 200


async def open_idle_connections(count: int) -> None:
    """Leave `count` connections idle in the pool, as after a burst of concurrent requests."""
    import asyncio

    from tortoise.transactions import in_transaction

    async def hold(ready: asyncio.Barrier) -> None:
        async with in_transaction() as conn:
            await conn.execute_query("SELECT 1")
            await ready.wait()

    ready = asyncio.Barrier(count)
    await asyncio.gather(*(hold(ready) for _ in range(count)))


@pytest.mark.skipif(not POSTGRES, reason="terminates PostgreSQL backends")
async def test_killed_postgres_connections_are_replaced(client: httpx.AsyncClient,
                                                        database_url: str) -> None:
    import asyncpg

    product = await make_product()
    assert (await client.get(f"/api/products/{product.id}")).status_code == 200
    await open_idle_connections(4)  # killed too: none of them may fail a later request
    admin = await asyncpg.connect(database_url)
    try:
        await admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                            "WHERE datname = current_database() AND pid <> pg_backend_pid()")
    finally:
        await admin.close()
    during = await client.get(f"/api/products/{product.id}")
    assert during.status_code in (200, 503)
    assert (await client.get(f"/api/products/{product.id}")).status_code == 200
