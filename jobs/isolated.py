"""Heavy jobs in a child process at low CPU priority, so a web process never runs them itself.

With one web worker, `ocop serve` also runs the scheduler. Matching, booth allocation and meeting
scheduling take seconds to minutes of CPU: on the web's event loop they would stall every page.
Here each run is `ocop jobs run NAME` in its own process, `nice`d so that the web worker wins
the CPU whenever both want it; the loop only awaits the child's exit.
"""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Sequence

from config.settings import Settings

# Lower priority than the web process (0): the kernel gives the child ~1/10 of a busy core.
NICENESS = 10


class JobFailed(Exception):
    """The child process of a job exited with an error."""


def job_environment(settings: Settings) -> dict[str, str]:
    """The environment a job's child needs to reach the same database and Meilisearch."""
    env = dict(os.environ)
    env.update({
        "OCOP_ENV": settings.env,
        "OCOP_VAR_DIR": str(settings.var_dir),
        "DATABASE_URL": settings.database_url,
        "SEARCH_INDEX_PREFIX": settings.search_index_prefix,
        "PUBLIC_URL": settings.public_url,
        "LOG_LEVEL": settings.log_level,
    })
    if settings.meili_url:
        env["MEILI_URL"] = settings.meili_url
    if settings.meili_master_key:
        env["MEILI_MASTER_KEY"] = str(settings.meili_master_key)
    return env


def job_command(name: str) -> list[str]:
    return [sys.executable, "-m", "cli.main", "jobs", "run", name]


def _lower_priority() -> None:
    os.nice(NICENESS)


async def run_in_child(command: Sequence[str], env: dict[str, str]) -> str:
    """Run `command` at low priority and return the last line it printed.

    Raises JobFailed with the last line of its error output when it exits with an error.
    """
    process = await asyncio.create_subprocess_exec(
        *command, env=env, stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE, preexec_fn=_lower_priority,
    )
    try:
        out, err = await process.communicate()
    except asyncio.CancelledError:  # the scheduler is shutting down: do not leave the child behind
        process.kill()
        await process.wait()
        raise
    if process.returncode != 0:
        lines = err.decode(errors="replace").strip().splitlines() or [f"exit {process.returncode}"]
        raise JobFailed(lines[-1])
    lines = out.decode(errors="replace").strip().splitlines()
    return lines[-1] if lines else ""


async def run_job_in_child(name: str, settings: Settings) -> str:
    """`ocop jobs run NAME` in a low-priority child process; its summary line."""
    return await run_in_child(job_command(name), job_environment(settings))
