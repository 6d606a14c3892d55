"""Opening, checking and migrating the database."""

from __future__ import annotations

from pathlib import Path

from tortoise import Tortoise, connections
from tortoise.migrations.api import migrate

from config.database import tortoise_config
from config.errors import ConfigError
from config.redact import redact_url


def _prepare_sqlite(database_url: str) -> None:
    if database_url.startswith("sqlite://") and ":memory:" not in database_url:
        path = Path(database_url.removeprefix("sqlite://"))
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ConfigError(f"cannot create the database folder {path.parent}: {exc}") from None


async def open_database(database_url: str) -> None:
    """Initialise Tortoise and prove the database answers; ConfigError otherwise."""
    _prepare_sqlite(database_url)
    try:
        # The global fallback lets request and job tasks see the connection opened here.
        await Tortoise.init(config=tortoise_config(database_url), _enable_global_fallback=True)
        await connections.get("default").execute_query("SELECT 1")
    except Exception as exc:  # every driver raises its own types; all mean "unusable"
        await Tortoise.close_connections()
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ConfigError(
            f"cannot use DATABASE_URL={redact_url(database_url)}: {reason}"
        ) from None


async def migrate_database(database_url: str) -> list[str]:
    """Apply every pending migration; the names of those applied, in order."""
    _prepare_sqlite(database_url)
    applied: list[str] = []

    def record(event: str, app_label: str, name: str) -> None:
        if event == "apply_done":
            applied.append(f"{app_label}.{name}")

    try:
        await migrate(config=tortoise_config(database_url), progress=record)
    except Exception as exc:  # as above: report one line, not a driver traceback
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ConfigError(
            f"cannot migrate DATABASE_URL={redact_url(database_url)}: {reason}"
        ) from None
    finally:
        await Tortoise.close_connections()
    return applied


async def close_database() -> None:
    await Tortoise.close_connections()
