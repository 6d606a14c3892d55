"""The one place that talks to Meilisearch; its failures become search.errors."""

from __future__ import annotations

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

    def __post_init__(self) -> None:
        self.raw = meilisearch.Client(self.url, self.api_key, timeout=int(self.timeout))

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
