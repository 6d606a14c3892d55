"""CPU-heavy work (argon2, image decoding, spreadsheets) off the event loop, in few threads.

A small pool bounds how much such work runs at once, so a burst of logins or uploads waits its
turn instead of stalling every other request (`/healthz` included) or exhausting memory.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")

MAX_THREADS = 2
_pool = ThreadPoolExecutor(max_workers=MAX_THREADS, thread_name_prefix="ocop-cpu")


async def in_thread(function: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
    """Run `function` in the bounded pool and wait for its result."""
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(_pool, functools.partial(function, *args, **kwargs))
