"""The one place that talks to Meilisearch; its failures become search.errors.

Two doors: the official client (`raw`) for administration (indexes, settings, documents, tasks),
and, for queries on the hot path, search.http's pool of keep-alive connections on asyncio,
so a query costs neither a TCP handshake nor a thread hop.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

import meilisearch
from meilisearch.errors import (
    MeilisearchApiError,
    MeilisearchCommunicationError,
    MeilisearchTimeoutError,
)

from search.errors import SearchAuthError, SearchError, SearchUnavailable
from search.http import ConnectionFailed, Pool

T = TypeVar("T")


@contextmanager
def translated_errors() -> Iterator[None]:
    """Re-raise Meilisearch's exceptions as ours."""
    try:
        yield
    except (MeilisearchCommunicationError, MeilisearchTimeoutError) as exc:
        raise SearchUnavailable(str(exc).splitlines()[0][:200]) from None
    except MeilisearchApiError as exc:
        if exc.code in ("invalid_api_key", "missing_authorization_header"):
            raise SearchAuthError("Meilisearch refused the configured key") from None
        raise SearchError(f"{exc.code}: {exc.message}") from None


@dataclass
class SearchClient:
    """A Meilisearch client bound to one server and one index-name prefix."""

    url: str
    api_key: str | None
    prefix: str = "ocop"
    timeout: float = 10.0

    pool_size: int = 64

    def __post_init__(self) -> None:
        self.raw = meilisearch.Client(self.url, self.api_key, timeout=int(self.timeout))
        self._pool: Pool | None = None
        self._pool_loop: asyncio.AbstractEventLoop | None = None

    # -- queries: pooled async HTTP ---------------------------------------------------------

    def _query_pool(self) -> Pool:
        # A pool belongs to one event loop: a command that runs several loops gets one each.
        loop = asyncio.get_running_loop()
        if self._pool is None or self._pool_loop is not loop:
            headers = {"Content-Type": "application/json"}
            if self.api_key:
                headers["Authorization"] = f"Bearer {self.api_key}"
            self._pool = Pool(self.url, headers, size=self.pool_size, timeout=self.timeout)
            self._pool_loop = loop
        return self._pool

    @property
    def connections_opened(self) -> int:
        """TCP connections the query pool of the running loop has opened."""
        return self._pool.opened if self._pool is not None else 0

    async def _request(self, method: str, path: str, body: bytes = b"") -> tuple[int, bytes]:
        try:
            return await self._query_pool().request(method, path, body)
        except ConnectionFailed as exc:
            raise SearchUnavailable(str(exc)[:200]) from None
        except TimeoutError:
            raise SearchUnavailable(f"no answer within {self.timeout:.0f} s") from None

    async def post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        """POST a JSON body on the pooled client; Meilisearch's answer, or a SearchError."""
        status, content = await self._request("POST", path, json.dumps(body).encode())
        try:
            answer: dict[str, Any] = json.loads(content)
        except ValueError:
            raise SearchError(f"HTTP {status}: not JSON") from None
        if status >= 400:
            code = answer.get("code", "")
            if code in ("invalid_api_key", "missing_authorization_header"):
                raise SearchAuthError("Meilisearch refused the configured key")
            raise SearchError(f"{code}: {answer.get('message', status)}")
        return answer

    async def search(self, index: str, q: str, body: dict[str, Any]) -> dict[str, Any]:
        """One search in index `index` (our name, without the prefix)."""
        return await self.post(f"/indexes/{self.index_uid(index)}/search", {"q": q, **body})

    async def multi_search(self, queries: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Several searches in one request; `queries` name their index uids."""
        answer = await self.post("/multi-search", {"queries": queries})
        return list(answer.get("results", []))

    async def ahealthy(self) -> bool:
        """`healthy`, on the pooled client."""
        try:
            status, _ = await self._request("GET", "/health")
        except SearchError:
            return False
        return status == 200

    async def aclose(self) -> None:
        """Close the pooled connections."""
        if self._pool is not None:
            self._pool.close()
        self._pool, self._pool_loop = None, None

    # -- administration: the official client ------------------------------------------------

    def index_uid(self, name: str) -> str:
        return f"{self.prefix}_{name}"

    def call(self, function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run one client call with errors translated."""
        with translated_errors():
            return function(*args, **kwargs)

    def healthy(self) -> bool:
        """Whether the server answers /health (no key needed)."""
        try:
            with translated_errors():
                return self.raw.health().get("status") == "available"
        except SearchError:
            return False

    def check_access(self) -> None:
        """Raise SearchUnavailable or SearchAuthError unless the key can list indexes."""
        with translated_errors():
            self.raw.get_indexes({"limit": 1})

    def wait(self, task_uid: int, timeout_ms: int = 120_000) -> dict[str, Any]:
        """Wait for a task; raise SearchError if it failed."""
        with translated_errors():
            task = self.raw.wait_for_task(task_uid, timeout_in_ms=timeout_ms, interval_in_ms=20)
        if task.status != "succeeded":
            raise SearchError(f"task {task_uid} {task.status}: {task.error}")
        return dict(task.details or {})


async def acall(client: SearchClient, function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """`client.call` in a worker thread, so the event loop keeps serving."""
    import asyncio

    return await asyncio.to_thread(client.call, function, *args, **kwargs)
