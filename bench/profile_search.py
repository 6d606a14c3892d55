"""CPU per uncached search page, in process: the app on a seeded catalogue and a real Meilisearch.

`python -m bench.profile_search [--pages N] [--profile] [--stats FILE] [--html DIR]` draws N
(600) of the load benchmark's different searches (bench.bench_load, none asked twice, so the
page cache never answers) straight through the ASGI app, after as many to warm the process up,
and prints this process's CPU time per page, the least of 5 passes (the machine is shared): the
server's work without the HTTP server, Meilisearch working in its own process. `--profile`
prints cProfile's top functions over N more pages and the Python calls per page (a figure other
processes do not disturb); `--stats FILE` keeps that profile for pstats; `--html DIR` writes the
first pass's pages there, to compare two commits' HTML. BENCH_LOAD_PRODUCTS (20000) sets the
catalogue.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import os
import pstats
import statistics
import time
from pathlib import Path
from typing import Any

from bench import servers
from bench.bench_load import PRODUCTS, _varied_searches

PASSES = 5


async def _get(app: Any, path: str) -> tuple[int, bytes]:
    """One anonymous GET through the ASGI app: (status, body)."""
    target, _, query = path.partition("?")
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET",
             "scheme": "http", "path": target, "raw_path": target.encode(),
             "query_string": query.encode(), "root_path": "",
             "headers": [(b"host", b"127.0.0.1:8000")],
             "client": ("127.0.0.1", 50000), "server": ("127.0.0.1", 8000)}
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    await app(scope, receive, send)
    status = next(m["status"] for m in sent if m["type"] == "http.response.start")
    return status, b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")


async def _pages(app: Any, paths: list[str], html: Path | None) -> float:
    """CPU seconds this process spent drawing `paths`."""
    started = time.process_time()
    for number, path in enumerate(paths):
        status, body = await _get(app, path)
        if status != 200 or b'id="degraded-notice"' in body:
            raise RuntimeError(f"{path}: HTTP {status}")
        if html is not None:
            (html / f"{number:04}.html").write_bytes(body)
    return time.process_time() - started


async def _run(env: dict[str, str], count: int, profile: bool, html: Path | None,
               stats_file: Path | None) -> None:
    os.environ.update(env)
    from config.settings import load_settings
    from matchmaking.database import close_database, open_database
    from web.app import create_app

    settings = load_settings()
    await open_database(settings.database_url)
    try:
        app = create_app(settings, manage_database=False)
        paths = list(_varied_searches())
        await _pages(app, paths[:count], None)
        if html is not None:
            html.mkdir(parents=True, exist_ok=True)
        # The machine is shared: the least of several passes is the least disturbed one.
        size = count // PASSES
        passes = [await _pages(app, paths[count + n * size:count + (n + 1) * size],
                               html if n == 0 else None) / size for n in range(PASSES)]
        print(f"{PASSES} passes of {size} pages: {1000 * min(passes):.2f} ms CPU per page at least, "
              f"{1000 * statistics.median(passes):.2f} median (load average {os.getloadavg()[0]:.1f})")
        if profile:
            profiler = cProfile.Profile()
            profiler.enable()
            await _pages(app, paths[2 * count:3 * count], None)
            profiler.disable()
            calls = pstats.Stats(profiler).total_calls  # type: ignore[attr-defined]
            print(f"{calls / count:,.0f} Python function calls per page")
            if stats_file is not None:
                profiler.dump_stats(stats_file)
            stats = pstats.Stats(profiler).sort_stats("cumulative")
            stats.print_stats(45)
            stats.sort_stats("tottime").print_stats(30)
    finally:
        await close_database()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=600)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--stats", type=Path)
    parser.add_argument("--html", type=Path)
    args = parser.parse_args()
    with servers.seeded("profile", None, "--products", str(PRODUCTS)) as (_meili, env):
        servers.ocop(env, "reindex")
        asyncio.run(_run(env, args.pages, args.profile or args.stats is not None, args.html,
                         args.stats))


if __name__ == "__main__":
    main()
