"""Restore on SQLite the indexes that 0002's table rebuilds dropped.

Tortoise 1.1 rebuilds a SQLite table to add a CHECK constraint and loses its composite unique
constraints, one-to-one unique keys and secondary indexes on the way. PostgreSQL is unaffected.
"""

from typing import Any

from tortoise import migrations
from tortoise.fields.relational import OneToOneFieldInstance
from tortoise.migrations import operations as ops


def _columns(model: Any, names: tuple[str, ...]) -> list[str]:
    columns = []
    for name in names:
        field = model._meta.fields_map[name]
        columns.append(getattr(field, "source_field", None) or name)
    return columns


async def restore_indexes(apps: Any, schema_editor: Any) -> None:
    if schema_editor.DIALECT != "sqlite":
        return
    statements = []
    for app in apps.apps.values() if hasattr(apps, "apps") else apps.values():
        for model in app.values():
            table = model._meta.db_table
            for names in model._meta.unique_together:
                columns = _columns(model, tuple(names))
                statements.append((True, table, columns))
            for index in model._meta.indexes:
                names = index if isinstance(index, tuple | list) else tuple(index.fields)
                statements.append((False, table, _columns(model, tuple(names))))
            for field in model._meta.fields_map.values():
                if isinstance(field, OneToOneFieldInstance):
                    statements.append((True, table, [field.source_field]))
    for unique, table, columns in statements:
        name = ("uq_" if unique else "ix_") + table + "_" + "_".join(columns)
        quoted = ", ".join(f'"{c}"' for c in columns)
        kind = "UNIQUE INDEX" if unique else "INDEX"
        await schema_editor.client.execute_script(
            f'CREATE {kind} IF NOT EXISTS "{name}" ON "{table}" ({quoted})'
        )


class Migration(migrations.Migration):
    dependencies = [("models", "0002_check_constraints")]

    initial = False

    operations = [ops.RunPython(restore_indexes, ops.RunPython.noop)]
