from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from config.errors import ConfigError
from config.served import forget_public_url, record_public_url
from config.settings import load_settings

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in re.findall(r'config\(\s*"([A-Z_]+)"', (ROOT / "config/settings.py").read_text()):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_defaults_are_embedded_sqlite_and_meilisearch(clean_env: pytest.MonkeyPatch) -> None:
    settings = load_settings(env_file="/nonexistent")
    assert settings.database_url.startswith("sqlite://")
    assert settings.database_url.endswith("/var/ocop.sqlite3")
    assert settings.embedded_meili
    assert (settings.host, settings.port, settings.default_language) == ("127.0.0.1", 8000, "vi")


def test_environment_beats_env_file(clean_env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text("PORT=9001\nMEILI_URL=http://127.0.0.1:7700\n")
    clean_env.setenv("PORT", "9002")
    settings = load_settings(env_file=env_file)
    assert settings.port == 9002
    assert settings.meili_url == "http://127.0.0.1:7700"
    assert not settings.embedded_meili


@pytest.mark.parametrize(
    ("name", "value", "fragment"),
    [
        ("PORT", "eighty", "PORT"),
        ("OCOP_ENV", "staging", "OCOP_ENV"),
        ("DATABASE_URL", "mysql://x", "DATABASE_URL"),
        ("WEB_WORKERS", "0", "WEB_WORKERS"),
    ],
)
def test_bad_setting_names_itself(
    clean_env: pytest.MonkeyPatch, name: str, value: str, fragment: str
) -> None:
    clean_env.setenv(name, value)
    with pytest.raises(ConfigError, match=fragment):
        load_settings(env_file="/nonexistent")


def test_master_key_hidden_in_repr(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("MEILI_URL", "http://127.0.0.1:7700")
    clean_env.setenv("MEILI_MASTER_KEY", "very-secret-key-123")
    assert "very-secret-key-123" not in repr(load_settings(env_file="/nonexistent"))


def test_every_setting_is_documented() -> None:
    names = set(re.findall(r'config\(\s*"([A-Z_]+)"', (ROOT / "config/settings.py").read_text()))
    documented = set(re.findall(r"^\| `([A-Z_]+)` \|", (ROOT / "docs/settings.md").read_text(), re.M))
    assert names and names <= documented, names - documented


def test_without_public_url_links_point_at_host_and_port(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("PORT", "9123")
    settings = load_settings(env_file="/nonexistent")
    assert settings.public_url == "http://127.0.0.1:9123" and not settings.public_url_set
    clean_env.setenv("HOST", "0.0.0.0")
    assert load_settings(env_file="/nonexistent").public_url == "http://127.0.0.1:9123"
    clean_env.setenv("PUBLIC_URL", "https://ocop.example.vn/")
    settings = load_settings(env_file="/nonexistent")
    assert settings.public_url == "https://ocop.example.vn" and settings.public_url_set


def test_a_running_server_s_address_is_everyone_s_default(
    clean_env: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    clean_env.setenv("OCOP_VAR_DIR", str(tmp_path))
    record_public_url(tmp_path, "http://127.0.0.1:8765")  # as `ocop serve --port 8765` does
    assert load_settings(env_file="/nonexistent").public_url == "http://127.0.0.1:8765"
    forget_public_url(tmp_path)
    assert load_settings(env_file="/nonexistent").public_url == "http://127.0.0.1:8000"


def test_a_stopped_server_s_address_is_ignored(clean_env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    clean_env.setenv("OCOP_VAR_DIR", str(tmp_path))
    # Above Linux's largest pid (2**22): no process has it.
    (tmp_path / "served.json").write_text(json.dumps({"pid": 2**22 + 7, "public_url": "http://x:1"}))
    assert load_settings(env_file="/nonexistent").public_url == "http://127.0.0.1:8000"


def test_negative_grace_period_names_itself(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("SHUTDOWN_GRACE_SECONDS", "-1")
    with pytest.raises(ConfigError, match="SHUTDOWN_GRACE_SECONDS"):
        load_settings(env_file="/nonexistent")


def test_production_meilisearch_needs_a_key_and_a_web_worker_s_search_only_key_is_one(
    clean_env: pytest.MonkeyPatch,
) -> None:
    clean_env.setenv("OCOP_ENV", "production")
    clean_env.setenv("MEILI_URL", "http://127.0.0.1:7700")
    with pytest.raises(ConfigError, match="MEILI_MASTER_KEY"):
        load_settings(env_file="/nonexistent")
    # What `ocop serve --workers 2` hands each web worker: the address and the search-only key.
    clean_env.setenv("MEILI_SEARCH_KEY", "search-only-key")
    assert load_settings(env_file="/nonexistent").meili_master_key is None
