"""Many rows in few statements, without building a model object per row.

Tortoise's `bulk_create` builds and validates a model instance per row, which is most of the
time of writing a hundred thousand matches. `insert_rows` sends plain tuples in one executemany
per batch, on SQLite and PostgreSQL alike; values are converted as the model's fields would
(JSON encoded by the field's encoder), and the current transaction, if any, is used.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from json.encoder import c_make_encoder, encode_basestring_ascii  # type: ignore[attr-defined]
from typing import Any

from tortoise.fields import JSONField
from tortoise.fields.data import JSON_DUMPS
from tortoise.models import Model

BATCH = 5_000  # rows per executemany


def _compact_json() -> Callable[[Any], str] | None:
    """Tortoise's default JSON encoding (json.dumps with compact separators), the same text, from
    one C encoder made once: json.dumps builds an encoder per value, a third of the time of
    encoding a full run's matches. None without the C encoder."""
    if c_make_encoder is None:
        return None
    encode = c_make_encoder(None, json.JSONEncoder().default, encode_basestring_ascii, None, ":", ",",
                            False, False, True)
    return lambda value: "".join(encode(value, 0))


_COMPACT_JSON = _compact_json()


def compact_json(value: Any) -> str:
    """`value` as Tortoise's default JSON field encoder writes it."""
    return _COMPACT_JSON(value) if _COMPACT_JSON is not None else JSON_DUMPS(value)


class JsonText(str):
    """A JSON column's value already encoded (as `compact_json` does): written as it is."""


def _encoders(model: type[Model], columns: Sequence[str]) -> list[Callable[[Any], str] | None]:
    fields = model._meta.fields_map
    found: list[Callable[[Any], str] | None] = []
    for column in columns:
        field = fields[column]
        if not isinstance(field, JSONField):
            found.append(None)
        elif field.encoder is JSON_DUMPS and _COMPACT_JSON is not None:
            found.append(_COMPACT_JSON)
        else:
            found.append(field.encoder)
    return found


def _encoded(rows: Sequence[Sequence[Any]], encoders: list[Callable[[Any], str] | None]) -> list[list[Any]]:
    """The rows as lists, their JSON columns encoded."""
    json_columns = [(i, encode) for i, encode in enumerate(encoders) if encode is not None]
    encoded = []
    for row in rows:
        values = list(row)
        for i, encode in json_columns:
            if values[i] is not None and not isinstance(values[i], JsonText):
                values[i] = encode(values[i])
        encoded.append(values)
    return encoded


def _placeholders(dialect: str, count: int) -> str:
    if dialect == "sqlite":
        return ", ".join("?" * count)
    return ", ".join(f"${i}" for i in range(1, count + 1))


async def insert_rows(model: type[Model], columns: Sequence[str], rows: Sequence[Sequence[Any]], *,
                      ignore_conflicts: bool = False) -> int:
    """Insert `rows` (values in the order of `columns`, model field names); the rows sent.

    With `ignore_conflicts`, a row that breaks a unique constraint is skipped (ON CONFLICT DO
    NOTHING). Auto fields (`auto_now`, defaults) are not filled in: pass every value.
    """
    if not rows:
        return 0
    meta = model._meta
    db = meta.db
    names = [meta.fields_db_projection[column] for column in columns]
    encoders = _encoders(model, columns)
    quoted = ", ".join(f'"{name}"' for name in names)
    sql = (f'INSERT INTO "{meta.db_table}" ({quoted}) '
           f"VALUES ({_placeholders(db.capabilities.dialect, len(names))})"
           + (" ON CONFLICT DO NOTHING" if ignore_conflicts else ""))
    for start in range(0, len(rows), BATCH):
        await db.execute_many(sql, _encoded(rows[start:start + BATCH], encoders))
    return len(rows)


async def update_rows(model: type[Model], columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> int:
    """Set `columns` (model field names) of many rows by primary key, in one executemany per batch:
    each row is the new values in the order of `columns`, then the primary key; the rows sent."""
    if not rows:
        return 0
    meta = model._meta
    db = meta.db
    names = [meta.fields_db_projection[column] for column in columns]
    marks = _placeholders(db.capabilities.dialect, len(names) + 1).split(", ")
    assignments = ", ".join(f'"{name}" = {mark}' for name, mark in zip(names, marks, strict=False))
    sql = f'UPDATE "{meta.db_table}" SET {assignments} WHERE "{meta.db_pk_column}" = {marks[-1]}'
    encoders = [*_encoders(model, columns), None]
    for start in range(0, len(rows), BATCH):
        await db.execute_many(sql, _encoded(rows[start:start + BATCH], encoders))
    return len(rows)
