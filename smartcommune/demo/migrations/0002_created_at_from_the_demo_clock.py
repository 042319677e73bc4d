"""``created_at`` is given by the demo's clock, so a plain default, no longer
``auto_now_add`` (which overwrote any value given).  No change in the database."""

import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("demo", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="syntheticround",
            name="created_at",
            field=models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name="tạo lúc"),
        ),
    ]
