"""The moments the actions stamp (a round's opening, evidence uploaded, a notification)
are given by the action's clock (``now=``), so they are plain defaults, no longer
``auto_now_add`` (which overwrote any value given); and the audit log has an action for
a round's deadlines moved (``do_move_deadlines``).  No change in the database's tables."""

import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("rounds", "0002_audit_append_only"),
    ]

    operations = [
        migrations.AlterField(
            model_name="auditentry",
            name="action",
            field=models.CharField(choices=[("created", "Tạo hồ sơ"), ("value_changed", "Sửa số liệu"), ("evidence_added", "Thêm minh chứng"), ("evidence_removed", "Gỡ minh chứng"), ("status_changed", "Đổi trạng thái"), ("item_verified", "Xác minh tiêu chí"), ("item_returned", "Trả lại tiêu chí"), ("item_answered", "Giải trình tiêu chí"), ("decision_recorded", "Ghi quyết định công nhận"), ("published", "Công bố"), ("reopened", "Mở lại hồ sơ"), ("deadline_moved", "Dời hạn của đợt")], max_length=20, verbose_name="thao tác"),  # noqa: E501
        ),
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
