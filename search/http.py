"""A small HTTP/1.1 client for Meilisearch queries: keep-alive connections in a pool, on asyncio.

Queries are the hot path of every search page. A general client (httpx) spends more CPU per
request than Meilisearch does answering it (its connection-pool bookkeeping, and an import
attempt on every request for an optional package); this one sends a request over an idle
connection and parses the answer with httptools, the parser uvicorn uses.
"""

from __future__ import annotations

import asyncio
from collections import deque
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import httptools


class ConnectionFailed(Exception):
    """The server could not be reached, closed the connection or sent something unreadable."""


class _Connection(asyncio.Protocol):
    """One TCP connection, one request at a time."""

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.parser = httptools.HttpResponseParser(self)
        self.waiter: asyncio.Future[tuple[int, bytes]] | None = None
        self.body: list[bytes] = []
        self.usable = True

    # asyncio.Protocol
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserError as exc:
            self._fail(ConnectionFailed(f"bad response: {exc}"))

    def connection_lost(self, exc: Exception | None) -> None:
        self.usable = False
        self._fail(ConnectionFailed("connection closed by the server"))

    # httptools callbacks
    def on_body(self, body: bytes) -> None:
        self.body.append(body)

    def on_message_complete(self) -> None:
        if not self.parser.should_keep_alive():
            self.usable = False
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_result((self.parser.get_status_code(), b"".join(self.body)))

    def _fail(self, exc: Exception) -> None:
        self.usable = False
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_exception(exc)

    async def exchange(self, request: bytes) -> tuple[int, bytes]:
        assert self.transport is not None
        self.body = []
        self.waiter = asyncio.get_running_loop().create_future()
        self.transport.write(request)
        return await self.waiter

    def close(self) -> None:
        self.usable = False
        if self.transport is not None:
            self.transport.close()


@dataclass
class Pool:
    """Up to `size` keep-alive connections to one HTTP server, for one event loop."""

    url: str
    headers: dict[str, str]
    size: int
    timeout: float
    opened: int = 0  # TCP connections opened so far
    _idle: deque[_Connection] = field(default_factory=deque)

    def __post_init__(self) -> None:
        parts = urlsplit(self.url)
        if parts.scheme != "http":
            raise ValueError("the query pool speaks plain HTTP (Meilisearch on a private address)")
        self.host = parts.hostname or "127.0.0.1"
        self.port = parts.port or 80
        lines = [f"Host: {parts.netloc}", *(f"{k}: {v}" for k, v in self.headers.items())]
        self._head = "\r\n".join(lines)
        self._slots = asyncio.Semaphore(self.size)

    def _message(self, method: str, path: str, body: bytes) -> bytes:
        return (f"{method} {path} HTTP/1.1\r\n{self._head}\r\nContent-Length: {len(body)}\r\n\r\n"
                .encode("latin-1") + body)

    async def request(self, method: str, path: str, body: bytes = b"") -> tuple[int, bytes]:
        """(status, body) of one request; ConnectionFailed or TimeoutError when it fails."""
        message = self._message(method, path, body)
        async with self._slots, asyncio.timeout(self.timeout):
            connection = self._take_idle()
            if connection is not None:
                try:
                    return self._release(connection, await connection.exchange(message))
                except ConnectionFailed:
                    connection.close()  # the server dropped an idle connection: one new try
                except BaseException:
                    connection.close()
                    raise
            connection = await self._connect()
            try:
                return self._release(connection, await connection.exchange(message))
            except BaseException:
                connection.close()
                raise

    def _take_idle(self) -> _Connection | None:
        while self._idle:
            connection = self._idle.pop()
            if connection.usable:
                return connection
        return None

    async def _connect(self) -> _Connection:
        loop = asyncio.get_running_loop()
        try:
            _, connection = await loop.create_connection(_Connection, self.host, self.port)
        except OSError as exc:
            raise ConnectionFailed(f"cannot connect to {self.host}:{self.port}: {exc}") from None
        self.opened += 1
        return connection

    def _release(self, connection: _Connection, answer: tuple[int, bytes]) -> tuple[int, bytes]:
        if connection.usable:
            self._idle.append(connection)
        else:
            connection.close()
        return answer

    def close(self) -> None:
        while self._idle:
            self._idle.pop().close()
