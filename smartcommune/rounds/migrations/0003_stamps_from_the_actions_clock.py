"""The moments the actions stamp (a round's opening, evidence uploaded, a notification)
are given by the action's clock (``now=``), so they are plain defaults, no longer
``auto_now_add`` (which overwrote any value given).  No change in the database."""

import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("rounds", "0002_audit_append_only"),
    ]

    operations = [
        migrations.AlterField(
            model_name="evidence",
            name="uploaded_at",
            field=models.DateTimeField(default=django.utils.timezone.now, editable=False),
        ),
        migrations.AlterField(
            model_name="notification",
            name="created_at",
            field=models.DateTimeField(default=django.utils.timezone.now, editable=False),
        ),
        migrations.AlterField(
            model_name="round",
            name="opened_at",
            field=models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name="mở lúc"),
        ),
    ]
