"""What every `ocop` sub-command shares: running a coroutine, an open database."""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Callable, Coroutine
from typing import Any

from config.settings import Settings

Handler = Callable[[argparse.Namespace, Settings], int]


def run(coroutine: Coroutine[Any, Any, int]) -> int:
    return asyncio.run(coroutine)


async def with_database(settings: Settings, work: Callable[[], Coroutine[Any, Any, int]]) -> int:
    from matchmaking.database import close_database, open_database

    await open_database(settings.database_url)
    try:
        return await work()
    finally:
        await close_database()
