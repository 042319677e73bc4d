"""The audit actions of the joined branches together (value fed, decision amended), their
labels translatable.  No change in the database's tables."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('rounds', '0006_merge_feeds_criteria_hash_decisions'),
    ]

    operations = [
        migrations.AlterField(
            model_name='auditentry',
            name='action',
            field=models.CharField(choices=[('created', 'Tạo hồ sơ'), ('value_changed', 'Sửa số liệu'), ('evidence_added', 'Thêm minh chứng'), ('evidence_removed', 'Gỡ minh chứng'), ('status_changed', 'Đổi trạng thái'), ('item_verified', 'Xác minh tiêu chí'), ('item_returned', 'Trả lại tiêu chí'), ('item_answered', 'Giải trình tiêu chí'), ('decision_recorded', 'Ghi quyết định công nhận'), ('published', 'Công bố'), ('reopened', 'Mở lại hồ sơ'), ('deadline_moved', 'Dời hạn của đợt'), ('value_fed', 'Điền số liệu tự động'), ('decision_amended', 'Sửa đổi quyết định công nhận')], max_length=20, verbose_name='thao tác'),
        ),
    ]
