"""An index that answers "certified now" counts: published, unexpired, 3 stars or more."""

from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0007_participation')]

    initial = False

    operations = [
        ops.AddIndex(
            model_name='Product',
            index=Index(fields=['status', 'certificate_expiry', 'stars']),
        ),
    ]
