"""Stopping never hangs, and a restart works at once: real `ocop` processes, a stalled client."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from cli.stopping import STOP_MARGIN_SECONDS
from search.server import free_port
from tests.cli.processes import (
    OCOP,
    clean_env,
    descendants,
    meilisearch_processes,
    ocop,
    running,
    seconds_until_gone,
    start_serving,
)

pytestmark = pytest.mark.slow

GRACE = 2
# Every process must be gone this long after the signal: the grace period, Meilisearch's stop
# (STOP_MARGIN_SECONDS at most) and a little for a loaded test machine.
DEADLINE = GRACE + STOP_MARGIN_SECONDS + 2


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    base = clean_env(tmp_path / "var")
    base["SHUTDOWN_GRACE_SECONDS"] = str(GRACE)
    assert ocop("migrate", env=base).returncode == 0
    return base


@pytest.fixture
def processes() -> Iterator[list[subprocess.Popen[str]]]:
    """Processes a test starts; whatever is left is killed afterwards."""
    started: list[subprocess.Popen[str]] = []
    yield started
    for process in started:
        for pid in [process.pid, *descendants(process.pid)]:
            if running(pid):
                os.kill(pid, signal.SIGKILL)


def stalled_clients(url: str) -> list[socket.socket]:
    """One client stalls half-way through a POST body, another half-way through its headers."""
    port = int(url.rsplit(":", 1)[1])
    body = socket.create_connection(("127.0.0.1", port))
    body.sendall(b"POST /password/forgot HTTP/1.1\r\nHost: ocop\r\n"
                 b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 4000\r\n\r\nemail=")
    headers = socket.create_connection(("127.0.0.1", port))
    headers.sendall(b"GET / HTTP/1.1\r\nHost: oc")
    time.sleep(0.5)  # the server has read both
    return [body, headers]


def refuses_connections(url: str) -> bool:
    port = int(url.rsplit(":", 1)[1])
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    except OSError:
        return True
    return False


def meili_url(env: dict[str, str]) -> str:
    record = Path(env["OCOP_VAR_DIR"]) / "meili" / "address.json"
    return str(json.loads(record.read_text())["url"])


def test_sigterm_with_a_stalled_client_stops_in_order_and_in_time(
    env: dict[str, str], processes: list[subprocess.Popen[str]]
) -> None:
    process, url = start_serving(env)
    processes.append(process)
    meili = meilisearch_processes(Path(env["OCOP_VAR_DIR"]) / "meili")
    assert len(meili) == 1 and meili[0] in descendants(process.pid)
    clients = stalled_clients(url)
    everything = [process.pid, *descendants(process.pid)]

    process.send_signal(signal.SIGTERM)
    time.sleep(0.5)
    # The web server stops taking requests first; Meilisearch, stopped last, still answers.
    assert refuses_connections(url)
    assert httpx.get(f"{meili_url(env)}/health", timeout=2).status_code == 200

    elapsed = seconds_until_gone(everything, DEADLINE + 10) + 0.5
    assert elapsed < DEADLINE, f"still running {elapsed:.1f} s after SIGTERM"
    assert elapsed > GRACE - 0.5, "the stalled request should have had the grace period"
    assert process.wait(5) == 0
    for client in clients:
        client.close()


@pytest.mark.parametrize("workers", ["1", "2"])
def test_a_request_cut_at_the_end_of_the_grace_period_logs_one_line_and_gets_503(
    env: dict[str, str], processes: list[subprocess.Popen[str]], workers: str
) -> None:
    process, url = start_serving(env, "--workers", workers)
    processes.append(process)
    stalled_body, stalled_headers = stalled_clients(url)

    process.send_signal(signal.SIGTERM)
    output, _ = process.communicate(timeout=DEADLINE + 10)
    stalled_body.settimeout(5)
    answer = stalled_body.recv(200).decode()
    stalled_body.close()
    stalled_headers.close()

    assert "Traceback" not in output and "Exception in ASGI application" not in output, output
    cut = [line for line in output.splitlines() if "cancel" in line.lower()]
    assert len(cut) == 1, output
    assert cut[0].endswith("stopping: POST /password/forgot cancelled at the end of the grace period")
    assert answer.startswith("HTTP/1.1 503 ")


def test_ctrl_c_with_several_web_workers_leaves_no_process(
    env: dict[str, str], processes: list[subprocess.Popen[str]]
) -> None:
    process, url = start_serving(env, "--workers", "2", session=True)
    processes.append(process)
    clients = stalled_clients(url)
    everything = [process.pid, *descendants(process.pid)]
    assert len(everything) >= 4  # ocop, two web workers, Meilisearch

    os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C in a terminal does: the whole group
    elapsed = seconds_until_gone(everything, DEADLINE + 10)
    assert elapsed < DEADLINE, f"still running {elapsed:.1f} s after Ctrl-C"
    for client in clients:
        client.close()


def start_worker(env: dict[str, str], log: Path) -> subprocess.Popen[str]:
    """`ocop worker` in its own session, once it runs its jobs."""
    with log.open("w") as output:
        process = subprocess.Popen([OCOP, "worker"], env={**env, "LOG_LEVEL": "INFO"},
                                   stdout=output, stderr=subprocess.STDOUT, text=True,
                                   start_new_session=True, cwd=Path(env["OCOP_VAR_DIR"]).parent)
    deadline = time.monotonic() + 60
    while "leader" not in log.read_text() and time.monotonic() < deadline:
        assert process.poll() is None, log.read_text()
        time.sleep(0.2)
    return process


@pytest.mark.parametrize("how", ["SIGTERM", "Ctrl-C"])
def test_worker_stops_in_time(
    env: dict[str, str], processes: list[subprocess.Popen[str]], tmp_path: Path, how: str
) -> None:
    process = start_worker(env, tmp_path / "worker.log")
    processes.append(process)
    assert "this worker is the leader" in (tmp_path / "worker.log").read_text()
    everything = [process.pid, *descendants(process.pid)]
    assert meilisearch_processes(Path(env["OCOP_VAR_DIR"]) / "meili"), "it runs its own Meilisearch"

    if how == "SIGTERM":
        process.send_signal(signal.SIGTERM)
    else:
        os.killpg(process.pid, signal.SIGINT)
    elapsed = seconds_until_gone(everything, DEADLINE + 10)
    assert elapsed < DEADLINE, f"still running {elapsed:.1f} s after {how}"
    assert process.wait(5) == 0


def test_restart_at_once_on_the_same_port(
    env: dict[str, str], processes: list[subprocess.Popen[str]]
) -> None:
    port = free_port()
    process, url = start_serving(env, port=port)
    processes.append(process)
    with httpx.Client() as client:  # a keep-alive connection the server closes when it stops
        assert client.get(f"{url}/healthz").status_code == 200
        process.send_signal(signal.SIGTERM)
        assert process.wait(DEADLINE) == 0
    with socket.socket() as plain, pytest.raises(OSError):
        plain.bind(("127.0.0.1", port))  # TIME_WAIT: a bind without SO_REUSEADDR is refused

    again, url = start_serving(env, port=port)
    processes.append(again)
    assert httpx.get(f"{url}/healthz", timeout=5).json()["status"] == "ok"
    again.send_signal(signal.SIGTERM)
    assert again.wait(DEADLINE) == 0


HANGS = """
import subprocess, sys, time
from cli.stopping import Watchdog
child = subprocess.Popen(["sleep", "120"])
watchdog = Watchdog(0)
watchdog.install()
print(child.pid, flush=True)
time.sleep(120)  # a stop that never ends by itself: a solver in a thread, a stuck clean-up
"""


def test_a_stop_that_hangs_is_ended_by_the_watchdog() -> None:
    process = subprocess.Popen([sys.executable, "-c", HANGS], stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    child = int(process.stdout.readline())
    process.send_signal(signal.SIGTERM)
    assert process.wait(STOP_MARGIN_SECONDS + 5) == 1
    assert seconds_until_gone([child], 5) < 5
