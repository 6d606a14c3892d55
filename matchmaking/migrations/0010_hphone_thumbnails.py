from tortoise import fields, migrations
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [('models', '0005_certificate_register')]

    initial = False

    # Photos uploaded before thumbnails existed have none: pages show the photo itself until
    # `ocop thumbnails` (or the thumbnails job) makes the small copy and sets this.
    operations = [
        ops.AddField(
            model_name='ProductImage',
            name='has_thumbnail',
            field=fields.BooleanField(default=False),
        ),
    ]
