"""`ocop jobs run match` killed (SIGKILL) once its first batch of matches is committed: the next
run completes, with nothing doubled; the run's lock keeps a second run out while it runs, and
is gone with the dead run (no expiry to wait for)."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import time
from collections import Counter
from pathlib import Path

import pytest

from jobs.leader import Leadership, job_lock_for
from matchmaking.accounts.passwords import hash_password
from matchmaking.clock import today_in_vietnam
from matchmaking.demo.seed import seed_demo
from matchmaking.models import EmailMessage, JobState, Match, MatchAnnouncement, Notification, SourcingShare
from search.client import SearchClient
from search.indexer import reindex
from tests.cli.processes import OCOP

pytestmark = pytest.mark.slow

# Enough demands that a run goes on for a while after its first batch is written (the matches
# are written 2,000 demands to a transaction, after every demand is searched and scored).
DEMANDS = 6_000


def _environment(db: str, search: SearchClient, var_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MEILI_", "OCOP_", "DATABASE"))}
    env.update({"OCOP_VAR_DIR": str(var_dir), "OCOP_ENV": "test", "DATABASE_URL": db,
                "MEILI_URL": search.url, "MEILI_MASTER_KEY": search.api_key or "",
                "SEARCH_INDEX_PREFIX": search.prefix, "LOG_LEVEL": "WARNING"})
    return env


def _match_job(env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen([OCOP, "jobs", "run", "match"], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


async def _state() -> tuple[list[tuple[int, int]], Counter[tuple[int, str]], Counter[str], int, int]:
    matches = sorted(await Match.all().values_list("demand_id", "product_id"))
    notes = Counter(await Notification.all().values_list("account_id", "kind"))
    mails = Counter(await EmailMessage.all().values_list("to_address", flat=True))
    announced = await MatchAnnouncement.all().count()
    return matches, notes, mails, announced, await SourcingShare.all().count()  # type: ignore[return-value]


async def _first_batch_written(process: subprocess.Popen[str]) -> None:
    """Wait until the run has committed matches: a progress marker, not a sleep."""
    while not await Match.exists():
        assert process.poll() is None, f"the run ended before writing: {process.communicate()}"
        await asyncio.sleep(0.02)


async def _lock_free(lock: Leadership) -> bool:
    if not await lock.try_acquire():
        return False
    await lock.release()
    return True


async def test_match_job_killed_mid_run_is_completed_by_the_next_run_with_nothing_doubled(
    db: str, search: SearchClient, tmp_path: Path
) -> None:
    await seed_demo(seed=3, producers=200, products=1_000, buyers=400, demands=DEMANDS,
                    today=today_in_vietnam(), password_hash=hash_password("ocop-demo-2026"))
    await reindex(search, today=today_in_vietnam())
    env = _environment(db, search, tmp_path / "var")

    lock = job_lock_for(db, tmp_path / "var", "match")
    started = time.monotonic()
    killed = _match_job(env)
    await _first_batch_written(killed)
    assert not await _lock_free(lock)  # no second run while this one runs
    killed.send_signal(signal.SIGKILL)
    assert killed.wait(10) == -signal.SIGKILL
    assert await _lock_free(lock)  # the dead run's lock went with it
    state = await JobState.get(name="match")
    assert state.last_started_at is not None and state.last_finished_at is None  # killed mid-run

    again = _match_job(env)
    _, err = again.communicate(timeout=600)
    assert again.returncode == 0, err
    matches, notes, mails, announced, shares = await _state()
    assert matches and len(matches) == len(set(matches))
    assert announced == len(matches)  # one announcement per (demand, product)
    assert not await Match.filter(notified_at=None).exists()
    assert notes and max(notes.values()) == 1  # one notification per account and kind
    assert mails and max(mails.values()) == 1
    assert (await JobState.get(name="match")).last_finished_at is not None

    third = _match_job(env)
    assert third.wait(600) == 0
    assert await _state() == (matches, notes, mails, announced, shares)
    assert time.monotonic() - started < 600
