"""`ocop serve` and `ocop worker`: the long-running processes."""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import socket
import sys
from collections.abc import Callable, Coroutine
from typing import Any

from cli.common import run, with_database
from config.errors import ConfigError
from config.settings import Settings


def register(sub: Any) -> None:
    """Add `serve` and `worker` to `ocop`'s sub-parsers."""
    serve = sub.add_parser("serve", help="web app, scheduler and Meilisearch")
    serve.add_argument("--host")
    serve.add_argument("--port", type=int)
    serve.add_argument("--workers", type=int, help="web worker processes (default WEB_WORKERS)")
    serve.set_defaults(handler=cmd_serve)

    sub.add_parser("worker", help="run the scheduled jobs (one leader at a time)").set_defaults(
        handler=cmd_worker
    )


def check_port_free(host: str, port: int) -> None:
    """ConfigError if nothing can listen on host:port."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind((host, port))
        except OSError:
            raise ConfigError(
                f"port {port} on {host} is already in use; stop the other program or set PORT"
            ) from None


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    from config.logging import uvicorn_log_config
    from config.settings import session_secret
    from search.runtime import catch_up_index, export_search, search_server

    host, port = args.host or settings.host, args.port or settings.port
    workers = args.workers or settings.web_workers
    session_secret(settings)  # a missing SECRET_KEY in production is one line here, not a crash later
    check_port_free(host, port)
    run(with_database(settings, _ok))
    with search_server(settings) as live:
        export_search(live)
        client = _client(live)
        run(with_database(live, lambda: _catch_up(client, catch_up_index)))
        os.environ["OCOP_RUN_SCHEDULER"] = "1" if workers == 1 else "0"
        print(f"OCOP Connect: http://{host}:{port}", file=sys.stderr)
        if workers > 1:
            print("several web workers: run jobs with `ocop worker`", file=sys.stderr)
        uvicorn.run(
            "web.app:app_from_environment",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            log_level=settings.log_level.lower(),
            log_config=uvicorn_log_config(),
            server_header=False,
        )
    return 0


async def _ok() -> int:
    return 0


async def _catch_up(client: Any, catch_up: Callable[[Any], Coroutine[Any, Any, None]]) -> int:
    await catch_up(client)
    return 0


def _client(settings: Settings) -> Any:
    from search.runtime import search_client_for

    return search_client_for(settings)


async def _worker(settings: Settings) -> int:
    from jobs.worker import run_worker

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    return await run_worker(settings, _client(settings), stop=stop)


def cmd_worker(args: argparse.Namespace, settings: Settings) -> int:
    from search.runtime import search_server

    with search_server(settings) as live:
        return run(with_database(live, lambda: _worker(live)))
