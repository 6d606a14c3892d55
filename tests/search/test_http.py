"""The query pool against a server that drops idle connections, as Meilisearch does after its
keep-alive timeout: the next query opens a new connection instead of failing."""

from __future__ import annotations

import asyncio

import pytest

from search.http import ConnectionFailed, Pool

ANSWER = b'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n{"ok":true}'


async def _server(close_after_answer: bool) -> tuple[asyncio.Server, int]:
    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            length = int(next(line.split(b":")[1] for line in head.split(b"\r\n")
                              if line.lower().startswith(b"content-length")))
            await reader.readexactly(length)
            writer.write(ANSWER)
            await writer.drain()
            if close_after_answer:
                writer.close()
                return

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    return server, server.sockets[0].getsockname()[1]


async def test_keep_alive_serves_every_request_on_one_connection() -> None:
    server, port = await _server(close_after_answer=False)
    pool = Pool(f"http://127.0.0.1:{port}", {}, size=4, timeout=5)
    try:
        answers = [await pool.request("POST", "/x", b"{}") for _ in range(10)]
    finally:
        pool.close()
        server.close()
    assert answers == [(200, b'{"ok":true}')] * 10
    assert pool.opened == 1


async def test_a_dropped_idle_connection_is_replaced_not_reported() -> None:
    server, port = await _server(close_after_answer=True)
    pool = Pool(f"http://127.0.0.1:{port}", {}, size=4, timeout=5)
    try:
        first = await pool.request("POST", "/x", b"{}")
        await asyncio.sleep(0.05)  # the server's close reaches us
        second = await pool.request("POST", "/x", b"{}")
    finally:
        pool.close()
        server.close()
    assert first == second == (200, b'{"ok":true}')
    assert pool.opened == 2


async def test_nobody_listening_is_a_connection_failure(free_port: int) -> None:
    pool = Pool(f"http://127.0.0.1:{free_port}", {}, size=1, timeout=5)
    with pytest.raises(ConnectionFailed):
        await pool.request("GET", "/health")
