"""`ocop serve` and `ocop worker`: the long-running processes, and how they stop."""

from __future__ import annotations

import argparse
import asyncio
import errno
import os
import signal
import socket
import sys
from collections.abc import Callable, Coroutine
from dataclasses import replace
from typing import Any

from cli.common import run, with_database
from cli.stopping import Watchdog
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


def bind_socket(host: str, port: int) -> socket.socket:
    """The listening address, bound exactly as uvicorn binds it (SO_REUSEADDR), or ConfigError.

    Binding here and handing the socket to uvicorn means the check cannot disagree with the
    server: a port left in TIME_WAIT by a server that just stopped is free, one that a program
    listens on is not.
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise ConfigError(
                f"port {port} on {host} is already in use; stop the other program or set PORT"
            ) from None
        raise ConfigError(f"cannot listen on {host}:{port}: {exc.strerror}") from None
    sock.set_inheritable(True)
    return sock


def served_settings(settings: Settings, host: str, port: int) -> Settings:
    """The settings as served: without PUBLIC_URL, links point at the host and port served."""
    from config.served import derived_public_url
    from config.settings import require_public_url

    require_public_url(settings)
    if settings.public_url_set:
        return replace(settings, host=host, port=port)
    return replace(settings, host=host, port=port, public_url=derived_public_url(host, port))


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    from config.served import forget_public_url, record_public_url
    from config.settings import session_secret
    from search.runtime import catch_up_index, export_search, search_server

    host, port = args.host or settings.host, args.port or settings.port
    workers = args.workers or settings.web_workers
    session_secret(settings)  # a missing SECRET_KEY in production is one line here, not a crash later
    settings = served_settings(settings, host, port)
    sock = bind_socket(host, port)
    # Until the server runs, SIGTERM interrupts start-up like Ctrl-C does (and cleans up).
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        run(with_database(settings, _ok))
        with search_server(settings, share=False) as live:
            export_search(live, runs_jobs=workers == 1)
            client = _client(live)
            run(with_database(live, lambda: _catch_up(client, catch_up_index)))
            os.environ["OCOP_RUN_SCHEDULER"] = "1" if workers == 1 else "0"
            os.environ["PUBLIC_URL"] = live.public_url
            record_public_url(live.var_dir, live.public_url)
            print(f"OCOP Connect: {live.public_url}", file=sys.stderr)
            if workers > 1:
                print("several web workers: run jobs with `ocop worker`", file=sys.stderr)
            watchdog = Watchdog(live.shutdown_grace_seconds)
            watchdog.install()
            try:
                started = _serve_http(live, sock, workers, watchdog)
            finally:
                forget_public_url(live.var_dir)
        watchdog.finished()
    finally:
        sock.close()
    return 0 if started else 1


def _serve_http(settings: Settings, sock: socket.socket, workers: int, watchdog: Watchdog) -> bool:
    """Run uvicorn on the bound socket until a stop signal; False if it never started."""
    import uvicorn

    from cli.web_server import BoundedServer, BoundedWorkers
    from config.logging import uvicorn_log_config

    config = uvicorn.Config(
        "web.app:app_from_environment",
        factory=True,
        workers=workers,
        log_level=settings.log_level.lower(),
        log_config=uvicorn_log_config(),
        server_header=False,
        # After the grace period, requests still in flight (a client that stalls half-way
        # through its body, a slow handler) are cancelled instead of waited for forever.
        timeout_graceful_shutdown=settings.shutdown_grace_seconds,
    )
    if workers > 1:
        BoundedWorkers(config, [sock], watchdog=watchdog).run()
        return True
    server = BoundedServer(config, watchdog=watchdog)
    server.run(sockets=[sock])
    return server.started


async def _ok() -> int:
    return 0


async def _catch_up(client: Any, catch_up: Callable[[Any], Coroutine[Any, Any, None]]) -> int:
    await catch_up(client)
    return 0


def _client(settings: Settings) -> Any:
    from search.runtime import search_client_for

    return search_client_for(settings)


async def _worker(settings: Settings, watchdog: Watchdog) -> int:
    from jobs.worker import run_worker

    stop = asyncio.Event()

    def stopping() -> None:
        watchdog.arm()
        stop.set()

    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stopping)
    return await run_worker(settings, _client(settings), stop=stop)


def cmd_worker(args: argparse.Namespace, settings: Settings) -> int:
    from config.settings import require_public_url
    from search.runtime import search_server

    require_public_url(settings)
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    with search_server(settings) as live:
        watchdog = Watchdog(live.shutdown_grace_seconds)
        code = run(with_database(live, lambda: _worker(live, watchdog)))
        # After the loop: a signal now (while Meilisearch stops) must not interrupt the clean-up.
        watchdog.install()
    watchdog.finished()
    return code
