"""Tortoise ORM configuration built from the settings."""

from __future__ import annotations

from typing import Any

MODELS_MODULE = "matchmaking.models"
MIGRATIONS_MODULE = "matchmaking.migrations"


def connection_config(database_url: str) -> str | dict[str, Any]:
    """A PostgreSQL URL as it is; SQLite through config.sqlite, with its pragmas."""
    if not database_url.startswith("sqlite://"):
        return database_url
    from tortoise.backends.base.config_generator import expand_db_url

    from config.sqlite import PRAGMAS

    expanded = expand_db_url(database_url)
    expanded["engine"] = "config.sqlite"
    expanded["credentials"] = {**PRAGMAS, **expanded["credentials"]}
    return expanded


def tortoise_config(database_url: str) -> dict[str, Any]:
    """The Tortoise config dict for one database URL."""
    return {
        "connections": {"default": connection_config(database_url)},
        "apps": {
            "models": {
                "models": [MODELS_MODULE],
                "default_connection": "default",
                "migrations": MIGRATIONS_MODULE,
            }
        },
        "use_tz": True,
        # Stored in UTC: SQLite compares datetimes as text, so every stored value and every
        # filter value must share one offset. Pages show Vietnam's time (the `local` filter).
        "timezone": "UTC",
    }


def __getattr__(name: str) -> Any:
    # Lazy, so importing this module never reads settings; Tortoise's own CLI reads it:
    # `tortoise -c config.database.TORTOISE_ORM makemigrations`.
    if name == "TORTOISE_ORM":
        from config.settings import load_settings

        return tortoise_config(load_settings().database_url)
    raise AttributeError(name)
