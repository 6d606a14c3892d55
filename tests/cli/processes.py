"""Running `ocop` as an operator does, and watching its processes come and go."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx

from search.server import free_port

OCOP = str(Path(sys.executable).parent / "ocop")


def clean_env(var_dir: Path) -> dict[str, str]:
    """A clean environment: own var dir and SQLite file; the shared binary cache."""
    base = {k: v for k, v in os.environ.items() if not k.startswith(("MEILI_", "OCOP_", "DATABASE"))}
    for name in ("PUBLIC_URL", "PORT", "HOST", "WEB_WORKERS", "SHUTDOWN_GRACE_SECONDS"):
        base.pop(name, None)
    base.update({"OCOP_VAR_DIR": str(var_dir), "LOG_LEVEL": "WARNING"})
    return base


def ocop(*args: str, env: dict[str, str], timeout: float = 60) -> subprocess.CompletedProcess[str]:
    cwd = Path(env["OCOP_VAR_DIR"]).parent
    return subprocess.run([OCOP, *args], env=env, capture_output=True, text=True, timeout=timeout, cwd=cwd)


def assert_one_clear_line(result: subprocess.CompletedProcess[str], fragment: str) -> None:
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("ocop: error:") and fragment in lines[0]
    assert "Traceback" not in result.stderr


def _parent_of(pid: int) -> int | None:
    try:
        return int((Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return None


def children_of(pid: int) -> list[int]:
    pids = [int(entry.name) for entry in Path("/proc").iterdir() if entry.name.isdigit()]
    return [child for child in pids if _parent_of(child) == pid]


def descendants(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        for child in children_of(todo.pop()):
            found.append(child)
            todo.append(child)
    return found


def running(pid: int) -> bool:
    """Alive and not a zombie."""
    try:
        state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")


def meilisearch_processes(data_dir: Path) -> list[int]:
    """Every Meilisearch process whose database lives in `data_dir`."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                argv = (entry / "cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            if argv and argv[0].endswith(b"meilisearch") and str(data_dir / "data.ms").encode() in argv:
                found.append(int(entry.name))
    return [pid for pid in found if running(pid)]


def seconds_until_gone(pids: list[int], limit: float) -> float:
    """How long until none of `pids` runs; `limit` if some still does then."""
    started = time.monotonic()
    while time.monotonic() - started < limit:
        if not any(running(pid) for pid in pids):
            return time.monotonic() - started
        time.sleep(0.05)
    return limit


def wait_healthy(url: str, timeout: float = 60) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                return True
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    return False


def start_serving(
    env: dict[str, str], *args: str, port: int | None = None, session: bool = False
) -> tuple[subprocess.Popen[str], str]:
    """`ocop serve` on its own port, answering; `session` starts it as a terminal would its job."""
    port = port or free_port()
    process = subprocess.Popen(
        [OCOP, "serve", "--port", str(port), *args], env=env, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, text=True, cwd=Path(env["OCOP_VAR_DIR"]).parent,
        start_new_session=session,
    )
    url = f"http://127.0.0.1:{port}"
    assert wait_healthy(url), "ocop serve did not answer"
    return process, url
