"""The `ocop` command as an operator meets it: real processes, real services."""

from __future__ import annotations

import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from search.binary import cached_binary_path
from search.server import EmbeddedMeili
from tests.cli.processes import assert_one_clear_line, children_of, clean_env, ocop, start_serving


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return clean_env(tmp_path / "var")


def test_unreachable_database_is_one_line(env: dict[str, str], free_port: int) -> None:
    env["DATABASE_URL"] = f"postgres://nobody:hunter2@127.0.0.1:{free_port}/none"
    args = ("users", "create", "--email", "a@b.vn", "--role", "admin")
    result = ocop(*args, "--password", "Cam-Cao-Phong-2026", env=env)
    assert_one_clear_line(result, "DATABASE_URL")
    assert "hunter2" not in result.stderr


def test_first_migrate_says_what_it_applied_and_the_second_that_nothing_is_left(
    env: dict[str, str],
) -> None:
    first = ocop("migrate", env=env)
    assert first.returncode == 0, first.stderr
    assert "applied models.0001_initial" in first.stdout and "up to date" not in first.stdout
    second = ocop("migrate", env=env)
    assert second.stdout.strip() == "database is up to date: nothing to apply"


def test_migrate_then_create_user_then_duplicate_is_refused(env: dict[str, str]) -> None:
    assert ocop("migrate", env=env).returncode == 0
    args = ("users", "create", "--email", "Ban.To.Chuc@so-nn.vn", "--role", "organiser")
    created = ocop(*args, "--password", "mat-khau-dai-du", env=env)
    assert created.returncode == 0, created.stderr
    assert "ban.to.chuc@so-nn.vn" in created.stdout
    again = ocop(*args, "--password", "mat-khau-dai-du", env=env)
    assert_one_clear_line(again, "email")


def test_short_password_is_refused_with_field(env: dict[str, str]) -> None:
    ocop("migrate", env=env)
    result = ocop("users", "create", "--email", "a@b.vn", "--role", "admin", "--password", "ngan", env=env)
    assert_one_clear_line(result, "password")


def test_checksum_mismatch_is_refused(env: dict[str, str], tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    fake = cached_binary_path(cache)
    fake.parent.mkdir(parents=True)
    fake.write_bytes(b"#!/bin/sh\necho not meilisearch\n")
    env["MEILI_CACHE_DIR"] = str(cache)
    result = ocop("fetch-meili", env=env)
    assert_one_clear_line(result, "checksum mismatch")


def test_wrong_meilisearch_key_is_one_line(env: dict[str, str], meili_server: EmbeddedMeili) -> None:
    ocop("migrate", env=env)
    env.update({"MEILI_URL": meili_server.url, "MEILI_MASTER_KEY": "wrong-key-wrong-key"})
    result = ocop("reindex", env=env)
    assert_one_clear_line(result, "refused MEILI_MASTER_KEY")
    assert "wrong-key-wrong-key" not in result.stderr


def test_port_taken_is_one_line(env: dict[str, str]) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = ocop("serve", "--port", str(port), env=env)
    assert_one_clear_line(result, f"port {port}")


def test_unknown_job_is_one_line(env: dict[str, str]) -> None:
    assert_one_clear_line(ocop("jobs", "run", "no-such-job", env=env), "unknown job")


@pytest.fixture
def served(env: dict[str, str]) -> Iterator[tuple[subprocess.Popen[str], str]]:
    assert ocop("migrate", env=env).returncode == 0
    process, url = start_serving(env)
    yield process, url
    if process.poll() is None:
        process.kill()
        process.wait()


@pytest.mark.slow
def test_serve_answers_and_ctrl_c_leaves_no_process(served: tuple[subprocess.Popen[str], str]) -> None:
    process, url = served
    health = httpx.get(f"{url}/healthz", timeout=5).json()
    assert health == {"status": "ok", "database": "ok", "search": "ok"}
    assert "Kết nối OCOP" in httpx.get(url, timeout=5).text
    children = children_of(process.pid)
    assert children, "Meilisearch should run as a child of ocop serve"

    process.send_signal(signal.SIGINT)
    process.wait(timeout=30)

    time.sleep(0.5)
    assert not [pid for pid in children if Path(f"/proc/{pid}").exists()]


@pytest.mark.slow
def test_restart_keeps_data(env: dict[str, str], served: tuple[subprocess.Popen[str], str]) -> None:
    process, _ = served
    account = ("users", "create", "--email", "giu@lai.vn", "--role", "buyer",
               "--password", "Cam-Cao-Phong-2026")
    assert ocop(*account, env=env).returncode == 0
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=30)

    again, url = start_serving(env)
    try:
        assert httpx.get(f"{url}/healthz", timeout=5).json()["database"] == "ok"
    finally:
        again.send_signal(signal.SIGTERM)
        again.wait(timeout=30)
    assert_one_clear_line(ocop(*account, env=env), "email")


def test_production_without_secret_key_is_one_line(env: dict[str, str]) -> None:
    env.update({"OCOP_ENV": "production", "MEILI_URL": "http://127.0.0.1:9", "MEILI_MASTER_KEY": "k" * 20})
    assert_one_clear_line(ocop("serve", env=env), "SECRET_KEY")


@pytest.mark.parametrize("command", [("serve",), ("worker",), ("jobs", "run", "match")])
def test_production_without_public_url_is_one_line(env: dict[str, str], command: tuple[str, ...]) -> None:
    env.update({"OCOP_ENV": "production", "SECRET_KEY": "s" * 40,
                "MEILI_URL": "http://127.0.0.1:9", "MEILI_MASTER_KEY": "k" * 20})
    assert_one_clear_line(ocop(*command, env=env), "PUBLIC_URL is required in production")
