"""Indexes on the product of matches and consortium shares: the match job looks up the demands a
changed product is listed for, and the capacity already promised of a product."""

from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0010_hphone_thumbnails')]

    initial = False

    operations = [
        ops.AddIndex(
            model_name='Match',
            index=Index(fields=['product_id']),
        ),
        ops.AddIndex(
            model_name='SourcingShare',
            index=Index(fields=['product_id']),
        ),
    ]
