"""``smartcommune manage disclosure_overdue``: tell each commune's officers about feedback
past its answer deadline (once per feedback).  Run it daily (a systemd timer or cron)."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from smartcommune.disclosure.actions import do_notify_overdue


class Command(BaseCommand):
    help = "Báo cán bộ xã các phản hồi quá hạn trả lời (notify officers of overdue citizen feedback)"

    def handle(self, *args, **options):
        n = do_notify_overdue(today=timezone.localdate())
        self.stdout.write(f"Đã báo {n} phản hồi quá hạn ({n} overdue feedback notified)")
