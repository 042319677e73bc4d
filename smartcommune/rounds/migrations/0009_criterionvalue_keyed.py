from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('rounds', '0008_notification_message_en'),
    ]

    operations = [
        migrations.AddField(
            model_name='criterionvalue',
            name='keyed',
            field=models.JSONField(blank=True, null=True, verbose_name='điều kiện riêng'),
        ),
    ]
