"""The one place that talks to Meilisearch; its failures become search.errors.

Two doors: the official client (`raw`) for administration (indexes, settings, documents, tasks),
and, for queries on the hot path, an async HTTP client with a pool of keep-alive connections,
so a query costs neither a TCP handshake nor a thread hop.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

import httpx
import meilisearch
from meilisearch.errors import (
    MeilisearchApiError,
    MeilisearchCommunicationError,
    MeilisearchTimeoutError,
)

from search.errors import SearchAuthError, SearchError, SearchUnavailable

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
        self._http: httpx.AsyncClient | None = None
        self._http_loop: asyncio.AbstractEventLoop | None = None
        self.connections_opened = 0  # TCP connections the query client has opened

    # -- queries: pooled async HTTP ---------------------------------------------------------

    def _query_client(self) -> httpx.AsyncClient:
        # A pool belongs to one event loop: a command that runs several loops gets one each.
        loop = asyncio.get_running_loop()
        if self._http is None or self._http_loop is not loop:
            headers = {"Content-Type": "application/json", "Accept-Encoding": "identity"}
            if self.api_key:
                headers["Authorization"] = f"Bearer {self.api_key}"
            self._http = httpx.AsyncClient(
                base_url=self.url, headers=headers, timeout=self.timeout, trust_env=False,
                limits=httpx.Limits(max_connections=self.pool_size,
                                    max_keepalive_connections=self.pool_size, keepalive_expiry=60),
            )
            self._http_loop = loop
        return self._http

    async def _trace(self, event: str, info: dict[str, Any]) -> None:
        if event == "connection.connect_tcp.complete":
            self.connections_opened += 1

    async def post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        """POST a JSON body on the pooled client; Meilisearch's answer, or a SearchError."""
        try:
            response = await self._query_client().post(
                path, content=json.dumps(body), extensions={"trace": self._trace}
            )
        except httpx.HTTPError as exc:
            raise SearchUnavailable(f"{type(exc).__name__}: {exc}"[:200]) from None
        try:
            answer: dict[str, Any] = json.loads(response.content)
        except ValueError:
            raise SearchError(f"HTTP {response.status_code}: not JSON") from None
        if response.status_code >= 400:
            code = answer.get("code", "")
            if code in ("invalid_api_key", "missing_authorization_header"):
                raise SearchAuthError("Meilisearch refused the configured key")
            raise SearchError(f"{code}: {answer.get('message', response.status_code)}")
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
            response = await self._query_client().get("/health", extensions={"trace": self._trace})
        except httpx.HTTPError:
            return False
        return response.status_code == 200

    async def aclose(self) -> None:
        """Close the pooled connections of the running loop's client."""
        if self._http is not None and self._http_loop is asyncio.get_running_loop():
            await self._http.aclose()
        self._http, self._http_loop = None, None

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
