"""Schemathesis against /api/openapi.json on a real `ocop serve`: anonymous and with each role's
token, no 5xx, every response in its documented status codes and schemas.

Bounded in examples, not in time (derandomized, no shrinking), so a run is the same run each time.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    response_schema_conformance,
    status_code_conformance,
)

from matchmaking.accounts.passwords import hash_password
from matchmaking.clock import today_in_vietnam
from matchmaking.demo.seed import seed_demo
from search.client import SearchClient
from search.indexer import reindex
from search.server import free_port

PASSWORD = "ocop-demo-2026"
ROLES = {"producer": "htx@ocop.demo", "buyer": "npp@ocop.demo", "organiser": "btc@ocop.demo",
         "admin": "admin@ocop.demo"}
EXAMPLES = {"anonymous": 4, "producer": 3, "buyer": 2, "organiser": 2, "admin": 2}
# With a token: logging in again proves nothing new, and revoking would end the role's run.
ANONYMOUS_ONLY = {("POST", "/api/auth/token"), ("DELETE", "/api/tokens/{token_id}")}
CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]


@contextlib.contextmanager
def serving(database_url: str, search: SearchClient, var_dir: Path) -> Iterator[str]:
    """The web app under uvicorn in its own process, on the test database and Meilisearch."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MEILI_", "OCOP_", "DATABASE"))}
    env.update({"OCOP_VAR_DIR": str(var_dir), "OCOP_ENV": "test", "DATABASE_URL": database_url,
                "MEILI_URL": search.url, "MEILI_MASTER_KEY": search.api_key or "",
                "SEARCH_INDEX_PREFIX": search.prefix, "SECRET_KEY": "fuzz-secret"})
    port = free_port()
    var_dir.mkdir(parents=True, exist_ok=True)
    log = (var_dir / "server.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "web.app:app_from_environment", "--factory",
         "--port", str(port), "--log-level", "warning"], env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.2)
    try:
        yield url
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def _token(url: str, email: str) -> str:
    response = httpx.post(f"{url}/api/auth/token", json={"email": email, "password": PASSWORD,
                                                          "name": "fuzz"})
    assert response.status_code == 201, response.text
    return str(response.json()["token"])


def _fuzz(url: str, headers: dict[str, str], examples: int) -> list[str]:
    schema = schemathesis.openapi.from_url(f"{url}/api/openapi.json")
    problems: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()
        label = f"{operation.method.upper()} {operation.path}"
        if (operation.method.upper(), operation.path) in ANONYMOUS_ONLY and headers:
            continue

        @settings(max_examples=examples, deadline=None, derandomize=True, database=None,
                  phases=[Phase.explicit, Phase.generate],
                  suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy())
        def run(case: Any) -> None:
            case.headers = {**(case.headers or {}), **headers}  # the role's token, not a made-up one
            case.call_and_validate(base_url=url, checks=CHECKS, timeout=20)

        try:
            run()
        except (Exception, BaseExceptionGroup) as exc:  # every operation is tried, all listed
            problems += [f"{label}: {line}" for line in _failures(exc)]
    return problems


def _failures(exc: BaseException) -> list[str]:
    """One line per distinct failure: what schemathesis saw, and how to reproduce it."""
    found = exc.exceptions if isinstance(exc, BaseExceptionGroup) else [exc]
    text = str(exc)
    reproduce = next((line.strip() for line in text.splitlines() if "curl " in line), "")
    return [" / ".join(str(sub).strip().splitlines()[:3]) + f" [{reproduce[:400]}]"
            for sub in found]


async def test_api_answers_every_generated_request_as_documented(
    db: str, search: SearchClient, tmp_path: Path
) -> None:
    await seed_demo(seed=7, producers=10, products=30, buyers=5, demands=10,
                    today=today_in_vietnam(), password_hash=hash_password(PASSWORD))
    await reindex(search, today=today_in_vietnam())
    problems: list[str] = []
    with serving(db, search, tmp_path / "var") as url:
        for role, examples in EXAMPLES.items():
            headers = {} if role == "anonymous" else {
                "Authorization": f"Bearer {_token(url, ROLES[role])}"}
            found = await asyncio.to_thread(_fuzz, url, headers, examples)
            problems += [f"[{role}] {problem}" for problem in found]
        log = (tmp_path / "var" / "server.log").read_text(errors="replace")
    assert not problems, "\n".join(problems) + "\n" + log[-3000:]
