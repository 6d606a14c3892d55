"""Jobs never run twice at once: one leader among workers, and a standby takes over."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from jobs.leader import FileLeadership, PostgresLeadership
from search.server import EmbeddedMeili

OCOP = str(Path(sys.executable).parent / "ocop")


async def test_file_lock_admits_one_leader(tmp_path: Path) -> None:
    first, second = FileLeadership(tmp_path / "l"), FileLeadership(tmp_path / "l")
    assert await first.try_acquire()
    assert not await second.try_acquire()
    await first.release()
    assert await second.try_acquire()
    await second.release()


@pytest.mark.db
async def test_advisory_lock_admits_one_leader(migrated: str) -> None:
    if not migrated.startswith("postgres"):
        pytest.skip("advisory locks are PostgreSQL's")
    first, second = PostgresLeadership(migrated), PostgresLeadership(migrated)
    assert await first.try_acquire()
    assert not await second.try_acquire()
    await first.release()
    assert await second.try_acquire()
    await second.release()


def _start_worker(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as out:
        return subprocess.Popen([OCOP, "worker"], env=env, stdout=out, stderr=subprocess.STDOUT)


def _wait_for(log: Path, text: str, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if text in log.read_text(errors="replace"):
            return True
        time.sleep(0.2)
    return False


@pytest.mark.db
@pytest.mark.slow
def test_standby_worker_takes_over_when_leader_dies(
    migrated: str, meili_server: EmbeddedMeili, tmp_path: Path
) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MEILI_", "OCOP_", "DATABASE"))}
    env.update({
        "DATABASE_URL": migrated, "MEILI_URL": meili_server.url,
        "MEILI_MASTER_KEY": meili_server.master_key or "", "OCOP_VAR_DIR": str(tmp_path / "var"),
        "LOG_LEVEL": "INFO",
    })
    leader_log, standby_log = tmp_path / "a.log", tmp_path / "b.log"
    leader = _start_worker(env, leader_log)
    standby = None
    try:
        assert _wait_for(leader_log, "this worker is the leader", 30), leader_log.read_text()
        standby = _start_worker(env, standby_log)
        assert _wait_for(standby_log, "standing by", 30), standby_log.read_text()

        leader.send_signal(signal.SIGKILL)
        leader.wait(10)

        assert _wait_for(standby_log, "this worker is the leader", 30), standby_log.read_text()
        standby.send_signal(signal.SIGTERM)
        assert standby.wait(20) == 0
    finally:
        for process in (leader, standby):
            if process is not None and process.poll() is None:
                process.kill()
                process.wait()
