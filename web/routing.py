"""Path ids: `{name:int}` in a route matches only what fits the database's integer columns.

A larger number (`/api/fairs/9223372036854775808`) matches no route and is a plain 404, instead
of reaching the database and failing there (SQLite's OverflowError, PostgreSQL's int4 range).
"""

from __future__ import annotations

from starlette.convertors import Convertor, register_url_convertor

from matchmaking.parsing import LARGEST_ID  # tortoise IntField: INT on PostgreSQL


def _at_most(limit: str) -> str:
    """A regular expression for the decimal numbers from 0 to `limit` (no leading zeros)."""
    options = [f"[0-9]{{1,{len(limit) - 1}}}"] if len(limit) > 1 else []
    for position, digit in enumerate(limit):
        rest = len(limit) - position - 1
        low = "1" if position == 0 else "0"
        if digit > low:
            top = str(int(digit) - 1)
            tail = f"[0-9]{{{rest}}}" if rest else ""
            options.append(f"{limit[:position]}[{low}-{top}]{tail}")
    options.append(limit)
    return "|".join(options)


class DatabaseIdConvertor(Convertor[int]):
    regex = _at_most(str(LARGEST_ID))

    def convert(self, value: str) -> int:
        return int(value)

    def to_string(self, value: int) -> str:
        return str(int(value))


def register() -> None:
    register_url_convertor("int", DatabaseIdConvertor())
