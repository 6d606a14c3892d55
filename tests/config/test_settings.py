from __future__ import annotations

import re
from pathlib import Path

import pytest

from config.errors import ConfigError
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
