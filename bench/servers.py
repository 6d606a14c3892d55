"""The platform as the benchmarks run it: a production `ocop serve`, `ocop worker`, their own
Meilisearch, environment and database."""

from __future__ import annotations

import asyncio
import contextlib
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

from config.settings import load_settings
from search.binary import ensure_binary
from search.server import EmbeddedMeili

OCOP = str(Path(sys.executable).parent / "ocop")
PREFIX = "bench"


def ocop(env: dict[str, str], *args: str) -> None:
    subprocess.run([OCOP, *args], env=env, check=True, stdout=subprocess.DEVNULL)


def serve(env: dict[str, str], port: int, workers: int) -> subprocess.Popen[bytes]:
    """`ocop serve` in its own process group, once it answers with Meilisearch ready."""
    process = subprocess.Popen([OCOP, "serve", "--port", str(port), "--workers", str(workers)],
                               env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).json()["search"] == "ok":
                return process
        except (httpx.HTTPError, ValueError, KeyError):
            time.sleep(0.5)
    stop(process)
    raise RuntimeError("ocop serve did not start")


def worker(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    """`ocop worker` in its own process group (the scheduled jobs, the search outbox among them)."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("wb") as output:
        return subprocess.Popen([OCOP, "worker"], env=env, stdout=output, stderr=subprocess.STDOUT,
                                start_new_session=True)


def stop(process: subprocess.Popen[bytes]) -> None:
    os.killpg(process.pid, signal.SIGINT)
    try:
        process.wait(30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def environment(folder: Path, meili: EmbeddedMeili, database_url: str | None) -> dict[str, str]:
    """Production settings on `database_url`, else a SQLite file in `folder`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MEILI_", "OCOP_", "DATABASE_"))}
    env.update({
        "OCOP_ENV": "production", "SECRET_KEY": secrets.token_urlsafe(32),
        "DATABASE_URL": database_url or f"sqlite://{folder / 'bench.sqlite3'}",
        "MEILI_URL": meili.url, "MEILI_MASTER_KEY": meili.master_key or "",
        "SEARCH_INDEX_PREFIX": PREFIX, "OCOP_VAR_DIR": str(folder / "var"),
        "LOG_LEVEL": "WARNING", "PUBLIC_URL": "http://127.0.0.1:8000",
    })
    return env


@contextlib.contextmanager
def seeded(prefix: str, database_url: str | None,
           *seed_args: str) -> Iterator[tuple[EmbeddedMeili, dict[str, str]]]:
    """A Meilisearch of its own and a migrated database with the demo seed (`ocop seed
    *seed_args`), in a temporary folder; the environment to run `ocop` on them."""
    folder = Path(tempfile.mkdtemp(prefix=f"ocop-bench-{prefix}-"))
    settings = load_settings()
    meili = EmbeddedMeili(binary=ensure_binary(settings.meili_cache_dir, settings.meili_bin),
                          data_dir=folder / "meili", master_key=secrets.token_urlsafe(24),
                          production=True)
    meili.start()
    try:
        env = environment(folder, meili, database_url)
        if database_url:
            reset_postgres(database_url)
        ocop(env, "migrate")
        ocop(env, "seed", "--quiet", "--seed", "42", *seed_args)
        yield meili, env
    finally:
        meili.stop()
        shutil.rmtree(folder, ignore_errors=True)


def reset_postgres(url: str) -> None:
    """An empty public schema (the benchmark's own database only)."""
    import asyncpg

    async def reset() -> None:
        connection = await asyncpg.connect(url)
        try:
            await connection.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
        finally:
            await connection.close()

    asyncio.run(reset())
