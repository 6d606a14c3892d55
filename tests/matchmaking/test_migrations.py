from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SCRIPT = """
import asyncio
from tortoise.cli.cli import tortoise_cli_context
from tortoise.migrations.autodetector import MigrationAutodetector
from config.database import tortoise_config

async def main():
    config = tortoise_config("sqlite://:memory:")
    apps = config["apps"]
    async with tortoise_cli_context(config) as ctx:
        writers = await MigrationAutodetector(ctx.apps, apps).changes()
    print(len(writers))

asyncio.run(main())
"""


def test_models_and_migrations_agree(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=60,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "0", "run `tortoise makemigrations`"


def test_model_docstrings_have_no_semicolons() -> None:
    # Tortoise copies docstrings into SQL comments and splits scripts on ";" (SQLite breaks).
    from tortoise.models import Model

    import matchmaking.models as models

    for name in models.__all__:
        model = getattr(models, name)
        assert issubclass(model, Model)
        assert ";" not in (model.__doc__ or ""), name
