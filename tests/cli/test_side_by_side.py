"""Commands next to a running `ocop serve`: one Meilisearch per data directory, links that point
at the server. Real processes, a real Meilisearch."""

from __future__ import annotations

import re
import signal
import sqlite3
import stat
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from search.server import free_port
from tests.cli.processes import (
    OCOP,
    assert_one_clear_line,
    clean_env,
    descendants,
    meilisearch_processes,
    ocop,
    start_serving,
)

pytestmark = pytest.mark.slow


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    base = clean_env(tmp_path / "var")
    base["OCOP_ENV"] = "test"  # the embedded Meilisearch then runs with a master key
    assert ocop("migrate", env=base).returncode == 0
    return base


@pytest.fixture
def served(env: dict[str, str]) -> Iterator[tuple[subprocess.Popen[str], str]]:
    process, url = start_serving(env)
    yield process, url
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        process.wait(30)


def meili_starts(data_dir: Path) -> int:
    return (data_dir / "meilisearch.log").read_text(errors="replace").count("Database path:")


def test_commands_next_to_the_server_use_its_meilisearch(
    env: dict[str, str], served: tuple[subprocess.Popen[str], str], tmp_path: Path
) -> None:
    process, url = served
    data_dir = tmp_path / "var" / "meili"
    record = data_dir / "address.json"
    assert stat.S_IMODE(record.stat().st_mode) == 0o600
    key = (tmp_path / "var" / "meili_master_key").read_text().strip()
    assert key in record.read_text()
    ours = meilisearch_processes(data_dir)
    assert len(ours) == 1 and ours[0] in descendants(process.pid)
    starts = meili_starts(data_dir)

    job = ocop("jobs", "run", "search-sync", env={**env, "LOG_LEVEL": "INFO"})
    assert job.returncode == 0, job.stderr
    assert "changes indexed" in job.stdout and "using the Meilisearch of process" in job.stderr
    assert key not in job.stdout + job.stderr

    log = tmp_path / "worker.log"
    with log.open("w") as output:
        worker = subprocess.Popen([OCOP, "worker"], env={**env, "LOG_LEVEL": "INFO"}, stdout=output,
                                  stderr=subprocess.STDOUT, cwd=tmp_path)
    try:
        deadline = time.monotonic() + 60
        while "leader" not in log.read_text() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert "using the Meilisearch of process" in log.read_text()
        assert meilisearch_processes(data_dir) == ours
    finally:
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(30) == 0
    assert key not in log.read_text()

    assert meili_starts(data_dir) == starts, "no second Meilisearch was started on the data"
    assert httpx.get(f"{url}/healthz", timeout=5).json()["search"] == "ok"


def test_a_second_server_on_the_same_data_is_refused(
    env: dict[str, str], served: tuple[subprocess.Popen[str], str]
) -> None:
    second = ocop("serve", "--port", str(free_port()), env=env)
    assert_one_clear_line(second, "a Meilisearch already runs on")


def email_bodies(var_dir: Path) -> str:
    with sqlite3.connect(var_dir / "ocop.sqlite3") as database:
        return " ".join(body for (body,) in database.execute("SELECT body FROM email_message"))


def test_links_point_at_the_port_served_by_the_server_and_by_cli_jobs(
    env: dict[str, str], tmp_path: Path
) -> None:
    seeded = ocop("seed", "--products", "60", "--demands", "10", "--buyers", "5", "--quiet", env=env)
    assert seeded.returncode == 0, seeded.stderr
    env["OCOP_ENV"] = "development"
    process, url = start_serving(env)  # --port, no PUBLIC_URL
    try:
        with httpx.Client(base_url=url) as browser:
            form = browser.get("/password/forgot").text
            token = re.search(r'name="csrf_token" value="([^"]+)"', form)
            assert token is not None
            browser.post("/password/forgot",
                         data={"csrf_token": token.group(1), "email": "admin@ocop.demo"})
        deadline = time.monotonic() + 30  # the reset email is queued after the response
        while "/password/reset/" not in email_bodies(tmp_path / "var") and time.monotonic() < deadline:
            time.sleep(0.2)
        assert f"{url}/password/reset/" in email_bodies(tmp_path / "var")
        match = ocop("jobs", "run", "match", env=env)  # a CLI job, without --port
        assert match.returncode == 0, match.stderr
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(30)
    bodies = email_bodies(tmp_path / "var")
    hosts = set(re.findall(r"https?://[^/\s]+", bodies))
    assert hosts == {url}, hosts
    assert bodies.count(url) > 1, "the match job's emails carry links too"
