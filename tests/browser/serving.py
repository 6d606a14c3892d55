"""`ocop serve` in its own folder for browser tests: own SQLite database, own Meilisearch."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

from search.server import free_port

CHROMIUM = "/usr/bin/chromium"
OCOP = str(Path(sys.executable).parent / "ocop")
BROWSER_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


@contextlib.contextmanager
def ocop_server(root: Path, *, seed: list[str] | None = None) -> Iterator[str]:
    """Migrate (and seed with these `ocop seed` arguments), serve, yield the base URL, stop."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MEILI_", "OCOP_", "DATABASE"))}
    env.update({"OCOP_VAR_DIR": str(root / "var"), "LOG_LEVEL": "WARNING"})
    subprocess.run([OCOP, "migrate"], env=env, cwd=root, check=True, capture_output=True)
    if seed is not None:
        subprocess.run([OCOP, "seed", "--quiet", *seed], env=env, cwd=root, check=True,
                       capture_output=True)
    port = free_port()
    process = subprocess.Popen([OCOP, "serve", "--port", str(port)], env=env, cwd=root,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/healthz", timeout=1).json().get("search") == "ok":
                break
        except (httpx.HTTPError, ValueError):
            time.sleep(0.3)
    try:
        yield url
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
        shutil.rmtree(root, ignore_errors=True)


def emailed_link(root: Path, email: str, path: str) -> str:
    """The path of the newest link starting with `path` that the server in `root` emailed to
    `email` (it is queued just after the response, so wait a little for it)."""
    deadline = time.monotonic() + 15
    while True:
        with contextlib.closing(sqlite3.connect(root / "var" / "ocop.sqlite3")) as database:
            rows = database.execute(
                "SELECT body FROM email_message WHERE to_address = ? ORDER BY id DESC", (email,)
            ).fetchall()
        for (body,) in rows:
            if path in body:
                return body[body.index(path):].split()[0]
        if time.monotonic() > deadline:
            raise AssertionError(f"no {path} link was emailed to {email}")
        time.sleep(0.2)
