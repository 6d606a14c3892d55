"""Registrations waiting for their address to be confirmed: an account is made only when the
emailed link is opened, so the form answers alike whether the address is taken or not."""

from tortoise import migrations
from tortoise.migrations import operations as ops
from matchmaking.enums import Language, Role
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0010_hmatch_product_indexes')]

    initial = False

    operations = [
        ops.CreateModel(
            name='SignUp',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('email', fields.CharField(db_index=True, max_length=254)),
                ('password_hash', fields.CharField(max_length=255)),
                ('display_name', fields.CharField(max_length=120)),
                ('role', fields.CharEnumField(description='PRODUCER: producer\nBUYER: buyer\nORGANISER: organiser\nOFFICER: officer\nADMIN: admin', enum_type=Role, max_length=16)),
                ('language', fields.CharEnumField(default=Language.VI, description='VI: vi\nEN: en', enum_type=Language, max_length=2)),
                ('phone', fields.CharField(null=True, max_length=20)),
                ('token_hash', fields.CharField(unique=True, max_length=64)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('expires_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'sign_up', 'app': 'models', 'pk_attr': 'id', 'table_description': "A registration waiting for its address to be confirmed (only the hash of its link is kept)."},
            bases=['Model'],
        ),
    ]
