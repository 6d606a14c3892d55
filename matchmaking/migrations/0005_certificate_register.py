from tortoise import migrations
from tortoise.migrations import operations as ops
from matchmaking.enums import DecisionLevel, ProductGroup, Role, Verification
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index
from tortoise.migrations.constraints import CheckConstraint
import importlib
from typing import Any

# Adding CHECK constraints rebuilds SQLite tables and drops their indexes: 0003 restores them.
restore_indexes = importlib.import_module("matchmaking.migrations.0003_sqlite_indexes").restore_indexes


async def groups_of_decision_148(apps: Any, schema_editor: Any) -> None:
    """The 2019 list's textiles group is part of handicrafts since Decision 148/QĐ-TTg."""
    client = schema_editor.client
    for table, column in (("product", '"group"'), ("demand", '"group"'), ("booth", "zone")):
        await client.execute_script(
            f"UPDATE {table} SET {column} = 'handicrafts' WHERE {column} = 'textiles'")
    renamed = "REPLACE(groups_admitted, '\"textiles\"', '\"handicrafts\"')"
    if schema_editor.DIALECT == "postgres":
        renamed = "REPLACE(groups_admitted::text, '\"textiles\"', '\"handicrafts\"')::jsonb"
    await client.execute_script(f"UPDATE fair SET groups_admitted = {renamed}")


async def claims_pending(apps: Any, schema_editor: Any) -> None:
    """Every rated product so far is the producer's own claim, waiting for the register."""
    await schema_editor.client.execute_script(
        "UPDATE product SET verification = 'pending' WHERE stars IS NOT NULL"
    )

class Migration(migrations.Migration):
    dependencies = [('models', '0009_certified_index')]

    initial = False

    operations = [
        ops.CreateModel(
            name='CertificateEntry',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('lineage', fields.IntField(default=0)),
                ('decision_number', fields.CharField(max_length=60)),
                ('decision_key', fields.CharField(max_length=60)),
                ('decision_date', fields.DateField()),
                ('authority', fields.CharField(max_length=200)),
                ('level', fields.CharEnumField(default=DecisionLevel.PROVINCE, description='PROVINCE: province\nCENTRAL: central\nDISTRICT: district', enum_type=DecisionLevel, max_length=10)),
                ('province_recorded', fields.CharField(max_length=60)),
                ('province_code', fields.IntField()),
                ('producer_name', fields.CharField(max_length=200)),
                ('producer_key', fields.CharField(max_length=200)),
                ('producer_kind', fields.CharField(null=True, max_length=20)),
                ('tax_code', fields.CharField(null=True, max_length=14)),
                ('product_name', fields.CharField(max_length=200)),
                ('product_key', fields.CharField(max_length=200)),
                ('group', fields.CharField(max_length=16)),
                ('subgroup', fields.CharField(default='', max_length=40)),
                ('stars', fields.SmallIntField()),
                ('score', fields.SmallIntField(null=True)),
                ('certificate_number', fields.CharField(max_length=60)),
                ('certificate_key', fields.CharField(max_length=60)),
                ('expiry', fields.DateField()),
                ('imported_by', fields.ForeignKeyField('models.Account', source_field='imported_by_id', null=True, db_constraint=True, to_field='id', related_name='certificate_entries', on_delete=OnDelete.SET_NULL)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'certificate_entry', 'app': 'models', 'unique_together': [('decision_key', 'producer_key', 'product_key')], 'constraints': [CheckConstraint(check='stars >= 1 AND stars <= 5', name='certificate_stars_range'), CheckConstraint(check='expiry > decision_date', name='certificate_expiry_after'), CheckConstraint(check="level IN ('province', 'central', 'district')", name='certificate_level_valid')], 'indexes': [Index(fields=['lineage']), Index(fields=['province_code']), Index(fields=['certificate_key']), Index(fields=['tax_code'])], 'pk_attr': 'id', 'table_description': "A product's rating in one recognition decision (quyết định công nhận), as published."},
            bases=['Model'],
        ),
        ops.RemoveConstraint(
            model_name='Account',
            name='account_role_valid',
            fields=None,
        ),
        ops.AlterModelOptions(
            name='Account',
            options={'table': 'account', 'app': 'models', 'constraints': [CheckConstraint(check="role IN ('producer', 'buyer', 'organiser', 'officer', 'admin')", name='account_role_valid'), CheckConstraint(check="language IN ('vi', 'en')", name='account_language_valid')], 'pk_attr': 'id', 'table_description': 'A person who logs in: producer, buyer, organiser, programme officer or admin.'},
        ),
        ops.AlterField(
            model_name='Account',
            name='role',
            field=fields.CharEnumField(description='PRODUCER: producer\nBUYER: buyer\nORGANISER: organiser\nOFFICER: officer\nADMIN: admin', enum_type=Role, max_length=16),
        ),
        ops.AddField(
            model_name='Account',
            name='province_code',
            field=fields.IntField(null=True),
        ),
        ops.AddConstraint(
            model_name='Account',
            constraint=CheckConstraint(check="role IN ('producer', 'buyer', 'organiser', 'officer', 'admin')", name='account_role_valid'),
        ),
        ops.AddField(
            model_name='Product',
            name='certificate_entry',
            field=fields.ForeignKeyField('models.CertificateEntry', source_field='certificate_entry_id', null=True, db_constraint=True, to_field='id', related_name='products', on_delete=OnDelete.SET_NULL),
        ),
        ops.AddField(
            model_name='Product',
            name='verification',
            field=fields.CharEnumField(default=Verification.NONE, description='NONE: none\nPENDING: pending\nVERIFIED: verified\nREJECTED: rejected', enum_type=Verification, max_length=10),
        ),
        ops.AddField(
            model_name='Product',
            name='verified_expiry',
            field=fields.DateField(null=True),
        ),
        ops.AddField(
            model_name='Product',
            name='verified_stars',
            field=fields.SmallIntField(null=True),
        ),
        ops.AddConstraint(
            model_name='Product',
            constraint=CheckConstraint(check="verification IN ('none', 'pending', 'verified', 'rejected')", name='product_verification_valid'),
        ),
        ops.CreateModel(
            name='CertificateReminder',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('product', fields.ForeignKeyField('models.Product', source_field='product_id', db_constraint=True, to_field='id', related_name='certificate_reminders', on_delete=OnDelete.CASCADE)),
                ('expiry', fields.DateField()),
                ('months', fields.SmallIntField()),
                ('sent_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'certificate_reminder', 'app': 'models', 'unique_together': [('product', 'expiry', 'months')], 'pk_attr': 'id', 'table_description': 'A reminder sent to a producer that a verified certificate expires in `months` months.'},
            bases=['Model'],
        ),
        ops.RemoveConstraint(
            model_name='Product',
            name='product_group_valid',
            fields=None,
        ),
        ops.AlterField(
            model_name='Product',
            name='group',
            field=fields.CharEnumField(description='FOOD: food\nBEVERAGES: beverages\nHERBAL: herbal\nHANDICRAFTS: handicrafts\nORNAMENTAL: ornamental\nTOURISM: tourism', enum_type=ProductGroup, max_length=16),
        ),
        ops.RunPython(groups_of_decision_148, ops.RunPython.noop),
        ops.AddConstraint(
            model_name='Product',
            constraint=CheckConstraint(check='"group" IN (\'food\', \'beverages\', \'herbal\', \'handicrafts\', \'ornamental\', \'tourism\')', name='product_group_valid'),
        ),
        ops.AddIndex(
            model_name='Product',
            index=Index(fields=['status', 'verified_expiry', 'verified_stars']),
        ),
        ops.RunPython(claims_pending, ops.RunPython.noop),
        ops.RunPython(restore_indexes, ops.RunPython.noop),
    ]
