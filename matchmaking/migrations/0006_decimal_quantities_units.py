"""Quantities as decimals (1,5 tấn), a demand's price unit, a quote's own unit, containers' net
content, and the announcements made once per demand and product.

Checks compare quantities as numbers: SQLite keeps decimals as text. SQLite rebuilds the altered
tables and loses their indexes, which `restore_indexes` (as in 0003) puts back.
"""

from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.migrations.constraints import CheckConstraint

import importlib

restore_indexes = importlib.import_module("matchmaking.migrations.0003_sqlite_indexes").restore_indexes



class AlterFieldType(ops.AlterField):
    """Change a column's type (integer to decimal), which Tortoise's AlterField refuses."""

    async def database_forward(self, app_label, old_state, new_state, state_editor=None):
        if not state_editor:
            return
        old_model = old_state.apps.get_model(f"{app_label}.{self.model_name}")
        new_model = new_state.apps.get_model(f"{app_label}.{self.model_name}")
        old_field = old_model._meta.fields_map[self.name]
        new_field = new_model._meta.fields_map[self.name]
        if state_editor.DIALECT == "sqlite":
            await state_editor._remake_table(new_model, alter_fields=[(old_field, new_field)])
            return
        column = new_field.source_field or self.name
        sql_type = new_field.get_for_dialect(state_editor.DIALECT, "SQL_TYPE")
        await state_editor.client.execute_script(
            f'ALTER TABLE "{new_model._meta.db_table}" ALTER COLUMN "{column}" TYPE {sql_type}')

    database_backward = database_forward


class Migration(migrations.Migration):
    dependencies = [('models', '0008_email_retry')]

    initial = False

    operations = [
        ops.CreateModel(
            name='MatchAnnouncement',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('demand', fields.ForeignKeyField('models.Demand', source_field='demand_id', db_constraint=True, to_field='id', related_name='announcements', on_delete=OnDelete.CASCADE)),
                ('product', fields.ForeignKeyField('models.Product', source_field='product_id', db_constraint=True, to_field='id', related_name='announcements', on_delete=OnDelete.CASCADE)),
                ('announced_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'match_announcement', 'app': 'models', 'unique_together': [('demand', 'product')], 'pk_attr': 'id', 'table_description': 'A (demand, product) pair its producer and buyer were told about, kept so it is told once.'},
            bases=['Model'],
        ),
        ops.RemoveConstraint(
            model_name='Demand',
            name='demand_quantity_positive',
            fields=None,
        ),
        AlterFieldType(
            model_name='Demand',
            name='quantity',
            field=fields.DecimalField(max_digits=15, decimal_places=3),
        ),
        ops.AddField(
            model_name='Demand',
            name='price_unit',
            field=fields.CharField(null=True, max_length=16),
        ),
        ops.AddConstraint(
            model_name='Demand',
            constraint=CheckConstraint(check='CAST(quantity AS REAL) > 0', name='demand_quantity_positive'),
        ),
        ops.RemoveConstraint(
            model_name='Product',
            name='product_min_order_positive',
            fields=None,
        ),
        ops.RemoveConstraint(
            model_name='Product',
            name='product_capacity_covers_min_order',
            fields=None,
        ),
        AlterFieldType(
            model_name='Product',
            name='min_order',
            field=fields.DecimalField(default=1, max_digits=15, decimal_places=3),
        ),
        AlterFieldType(
            model_name='Product',
            name='monthly_capacity',
            field=fields.DecimalField(max_digits=15, decimal_places=3),
        ),
        ops.AddField(
            model_name='Product',
            name='net_quantity',
            field=fields.DecimalField(null=True, max_digits=12, decimal_places=3),
        ),
        ops.AddField(
            model_name='Product',
            name='net_unit',
            field=fields.CharField(null=True, max_length=8),
        ),
        ops.AddConstraint(
            model_name='Product',
            constraint=CheckConstraint(check='CAST(min_order AS REAL) > 0', name='product_min_order_positive'),
        ),
        ops.AddConstraint(
            model_name='Product',
            constraint=CheckConstraint(check='CAST(monthly_capacity AS REAL) >= CAST(min_order AS REAL)', name='product_capacity_covers_min_order'),
        ),
        ops.RemoveConstraint(
            model_name='Quote',
            name='quote_quantity_positive',
            fields=None,
        ),
        AlterFieldType(
            model_name='Quote',
            name='quantity',
            field=fields.DecimalField(max_digits=15, decimal_places=3),
        ),
        ops.AddField(
            model_name='Quote',
            name='unit',
            field=fields.CharField(default='', max_length=16),
        ),
        ops.AddConstraint(
            model_name='Quote',
            constraint=CheckConstraint(check='CAST(quantity AS REAL) > 0', name='quote_quantity_positive'),
        ),
        ops.RemoveConstraint(
            model_name='SourcingShare',
            name='sourcing_quantity_positive',
            fields=None,
        ),
        AlterFieldType(
            model_name='SourcingShare',
            name='quantity',
            field=fields.DecimalField(max_digits=15, decimal_places=3),
        ),
        ops.AddConstraint(
            model_name='SourcingShare',
            constraint=CheckConstraint(check='CAST(quantity AS REAL) > 0', name='sourcing_quantity_positive'),
        ),
        ops.RunPython(restore_indexes, ops.RunPython.noop),
    ]
