from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
import importlib
from json import dumps, loads
from matchmaking.enums import PaymentStatus, RegistrationStatus, ResultKind
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.migrations.constraints import CheckConstraint

_restore_indexes = importlib.import_module(
    "matchmaking.migrations.0003_sqlite_indexes").restore_indexes


class Migration(migrations.Migration):
    dependencies = [('models', '0006_decimal_quantities_units')]

    initial = False

    operations = [
        ops.CreateModel(
            name='MeetingParticipant',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('session', fields.ForeignKeyField('models.MeetingSession', source_field='session_id', db_constraint=True, to_field='id', related_name='participants', on_delete=OnDelete.CASCADE)),
                ('account', fields.ForeignKeyField('models.Account', source_field='account_id', db_constraint=True, to_field='id', related_name='meeting_registrations', on_delete=OnDelete.CASCADE)),
                ('side', fields.CharField(max_length=10)),
                ('company', fields.CharField(default='', max_length=200)),
                ('seeking', fields.TextField(default='', unique=False)),
                ('unavailable', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('max_meetings', fields.SmallIntField(null=True)),
                ('status', fields.CharEnumField(default=RegistrationStatus.PENDING, description='PENDING: pending\nAPPROVED: approved\nREJECTED: rejected', enum_type=RegistrationStatus, max_length=10)),
                ('pass_code', fields.CharField(unique=True, max_length=16)),
                ('checked_in_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'meeting_participant', 'app': 'models', 'unique_together': [('session', 'account')], 'pk_attr': 'id', 'table_description': "A buyer's registration for a session, or an exhibitor's stated availability, with the"},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='MeetingResult',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('meeting', fields.ForeignKeyField('models.Meeting', source_field='meeting_id', db_constraint=True, to_field='id', related_name='results', on_delete=OnDelete.CASCADE)),
                ('account', fields.ForeignKeyField('models.Account', source_field='account_id', db_constraint=True, to_field='id', related_name='meeting_results', on_delete=OnDelete.CASCADE)),
                ('kind', fields.CharEnumField(description='NO_INTEREST: no_interest\nFOLLOW_UP: follow_up\nMOU: mou\nCONTRACT: contract', enum_type=ResultKind, max_length=12)),
                ('value_vnd', fields.BigIntField(null=True)),
                ('product', fields.CharField(default='', max_length=200)),
                ('quantity', fields.IntField(null=True)),
                ('demand', fields.ForeignKeyField('models.Demand', source_field='demand_id', null=True, db_constraint=True, to_field='id', related_name='meeting_results', on_delete=OnDelete.SET_NULL)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'meeting_result', 'app': 'models', 'unique_together': [('meeting', 'account')], 'pk_attr': 'id', 'table_description': "One side's account of a meeting: no interest, follow-up, MOU or contract, with its value,"},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='BoothApplication',
            name='onsite_sales_vnd',
            field=fields.BigIntField(null=True),
        ),
        ops.AddField(
            model_name='Fair',
            name='buyers_auto_approved',
            field=fields.BooleanField(default=False),
        ),
        ops.AddField(
            model_name='Fair',
            name='visitors',
            field=fields.IntField(null=True),
        ),
        ops.AddField(
            model_name='Fair',
            name='support_share',
            field=fields.FloatField(null=True),
        ),
        ops.AddField(
            model_name='Fair',
            name='support_amount_vnd',
            field=fields.BigIntField(null=True),
        ),
        ops.AddField(
            model_name='Fair',
            name='support_budget_vnd',
            field=fields.BigIntField(null=True),
        ),
        ops.AddField(
            model_name='BoothApplication',
            name='fee_vnd',
            field=fields.BigIntField(null=True),
        ),
        ops.AddField(
            model_name='BoothApplication',
            name='support_vnd',
            field=fields.BigIntField(default=0),
        ),
        ops.AddField(
            model_name='BoothApplication',
            name='payment_status',
            field=fields.CharEnumField(default=PaymentStatus.DUE, description='DUE: due\nPAID: paid\nWAIVED: waived', enum_type=PaymentStatus, max_length=8),
        ),
        ops.AddConstraint(
            model_name='MeetingParticipant',
            constraint=CheckConstraint(check="side IN ('buyer', 'exhibitor')", name='participant_side_valid'),
        ),
        ops.AddConstraint(
            model_name='MeetingParticipant',
            constraint=CheckConstraint(check="status IN ('pending', 'approved', 'rejected')", name='participant_status_valid'),
        ),
        ops.AddConstraint(
            model_name='MeetingParticipant',
            constraint=CheckConstraint(check='max_meetings IS NULL OR max_meetings >= 0', name='participant_max_meetings_nonnegative'),
        ),
        ops.AddConstraint(
            model_name='MeetingResult',
            constraint=CheckConstraint(check="kind IN ('no_interest', 'follow_up', 'mou', 'contract')", name='meeting_result_kind_valid'),
        ),
        ops.AddConstraint(
            model_name='MeetingResult',
            constraint=CheckConstraint(check='value_vnd IS NULL OR value_vnd >= 0', name='meeting_result_value_nonnegative'),
        ),
        ops.AddConstraint(
            model_name='MeetingResult',
            constraint=CheckConstraint(check='quantity IS NULL OR quantity > 0', name='meeting_result_quantity_positive'),
        ),
        ops.AddConstraint(
            model_name='Fair',
            constraint=CheckConstraint(check='support_share IS NULL OR (support_share > 0 AND support_share <= 1)', name='fair_support_share_range'),
        ),
        ops.AddConstraint(
            model_name='BoothApplication',
            constraint=CheckConstraint(check="payment_status IN ('due', 'paid', 'waived')", name='application_payment_status_valid'),
        ),
        ops.AddConstraint(
            model_name='BoothApplication',
            constraint=CheckConstraint(check='support_vnd >= 0', name='application_support_nonnegative'),
        ),
        # The CHECK constraints rebuild SQLite tables, which drops their composite unique keys.
        ops.RunPython(_restore_indexes, ops.RunPython.noop),
    ]
