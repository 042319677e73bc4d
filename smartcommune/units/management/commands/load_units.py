"""``load_units``: load an old province, the new province it joined, and their lineage."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from smartcommune.units.actions import Counts, do_load_units
from smartcommune.units.source import SourceError


class Command(BaseCommand):
    help = (
        "Nạp đơn vị hành chính từ gói vietnamadminunits: tỉnh cũ (trước 01/07/2025) với các "
        "huyện, xã; tỉnh mới với các xã; và quan hệ kế thừa giữa xã cũ và xã mới. "
        "Chạy lại nhiều lần không thay đổi gì."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--old-province",
            default="83",
            help="Mã tỉnh cũ (63 tỉnh, trước 01/07/2025) theo Tổng cục Thống kê; mặc định 83 (Bến Tre).",
        )
        parser.add_argument(
            "--new-province",
            default="86",
            help="Mã tỉnh mới (34 tỉnh, từ 01/07/2025) mà tỉnh cũ sáp nhập vào; mặc định 86 (Vĩnh Long).",
        )

    def handle(self, *args: Any, old_province: str, new_province: str, **options: Any) -> None:
        try:
            report = do_load_units(old_province_code=old_province, new_province_code=new_province)
        except SourceError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Đơn vị hành chính: {_summary(report.units)}.")
        self.stdout.write(
            f"Quan hệ kế thừa: {_summary(report.successions)}, xóa {report.successions_removed}."
        )
        if not report.changed:
            self.stdout.write(self.style.SUCCESS("Dữ liệu đã đúng, không có thay đổi."))


def _summary(counts: Counts) -> str:
    return f"tạo mới {counts.created}, cập nhật {counts.updated}, giữ nguyên {counts.unchanged}"
