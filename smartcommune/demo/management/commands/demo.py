"""``demo``: load the synthetic demo (:func:`smartcommune.demo.actions.do_load_demo`) and
print its logins.  The only place demo passwords are ever shown."""

from __future__ import annotations

import os
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from smartcommune.demo.actions import DemoRefused, DemoReport, do_load_demo
from smartcommune.rounds.models import status_label
from smartcommune.units.source import SourceError

HEADER = "DỮ LIỆU MÔ PHỎNG — chỉ dùng để trình diễn (synthetic demo data, for demonstration only)"


class Command(BaseCommand):
    help = (
        "Nạp dữ liệu mô phỏng để trình diễn: đơn vị hành chính, người dùng mô phỏng cho mọi vai trò và hồ sơ "
        "của mọi xã Bến Tre 2021–2025 và Vĩnh Long 2026 ở mọi bước quy trình; in tài khoản đăng nhập. Chạy lại không tạo thêm gì. "
        "(Load the synthetic demo and print its logins; running it again creates nothing.)"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=2021,
                            help="hạt giống của số liệu mô phỏng (seed of the synthetic values; default 2021)")

    def handle(self, *args: Any, seed: int, verbosity: int = 1, **options: Any) -> None:
        if verbosity:
            self.stdout.write("Đang nạp dữ liệu mô phỏng, lần đầu mất khoảng một phút… "
                              "(loading the synthetic demo, about a minute the first time)")
        try:
            report = do_load_demo(seed=seed)
        except (DemoRefused, SourceError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(render(report, url=_url()))


def _url() -> str:
    host = os.environ.get("HOST") or "127.0.0.1"
    if host in ("0.0.0.0", "::"):
        host = "127.0.0.1"
    return f"http://{host}:{os.environ.get('PORT') or 8000}/"


def render(report: DemoReport, *, url: str) -> str:
    bar = "=" * len(HEADER)
    lines = [bar, HEADER, bar]
    if report.created:
        lines.append(f"Đã tạo dữ liệu mô phỏng trong {report.seconds:.0f} giây (created in {report.seconds:.0f} s).")
    else:
        lines.append("Dữ liệu mô phỏng đã có sẵn, không tạo thêm gì (already loaded; nothing created).")
    province = None
    for r in report.rounds:
        if r.province != province:
            province = r.province
            lines += ["", f"Đợt đánh giá mô phỏng của {province} (synthetic rounds):"]
        steps = ", ".join(f"{status_label(s, districts=r.has_districts)} {n}" for s, n in r.statuses.items() if n)
        lines.append(f"  {r.year} ({r.criteria_set_code}): {r.assessments} hồ sơ, {r.recognised} xã được công nhận "
                     f"— {steps}")
    lines += ["", "Tài khoản mô phỏng (demo logins) — mật khẩu sinh từ SECRET_KEY của máy này, chỉ in ở chế độ mô phỏng:"]
    header = ("Vai trò (role)", "Tên đăng nhập", "Mật khẩu", "Phạm vi (scope)")
    rows = [(login.role_label, login.username, login.password, login.scope) for login in report.logins]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(3)]
    for row in [header, tuple("-" * w for w in widths) + ("-" * len(header[3]),), *rows]:
        lines.append("  " + "  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row[:3])) + "  " + row[3])
    if report.officers_without_login:
        lines.append(
            f"  (+ {report.officers_without_login} cán bộ xã khác, tên đăng nhập xa-<mã xã> (Vĩnh Long 2026: "
            "vl-xa-<mã xã>), không có mật khẩu: họ "
            "chỉ đứng tên số liệu đã nhập; quản trị viên có thể đặt mật khẩu trong trang quản trị.)"
        )
    if not report.key_matches:
        lines += ["", "CẢNH BÁO: SECRET_KEY khác với lúc tạo dữ liệu mô phỏng, các mật khẩu trên sẽ không đăng nhập "
                      "được; dùng lại khoá cũ (var/secret_key) hoặc tạo cơ sở dữ liệu mới. (WARNING: SECRET_KEY "
                      "differs from the one the demo was created with; these passwords will not work.)"]
    lines += ["", f"Mở {url} và đăng nhập bằng một tài khoản ở trên (open {url} and sign in with one of these).",
              "Mọi trang đều ghi rõ “Dữ liệu mô phỏng”: không phải số liệu thật (every page says the data is synthetic)."]
    return "\n".join(lines)
