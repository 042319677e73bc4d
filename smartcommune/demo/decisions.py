"""The demo's council sessions: each commune of a demo round is appraised in a session of
the council (Hội đồng thẩm định) held on the day its appraisal is dated, with synthetic
members and minutes; the decisions themselves come from the workflow's
``record_decision`` (one decision per year, its number marked "(mô phỏng)").

:func:`appraisal` gives the parameters of a drive's ``appraise`` step: the day's session
(opened through :func:`~smartcommune.rounds.actions.do_open_appraisal_session` on first
use) and the council's comment.
"""

from __future__ import annotations

from django.utils import timezone

from smartcommune.demo.people import demo_name
from smartcommune.demo.scenario import MARK
from smartcommune.rounds.actions import do_open_appraisal_session
from smartcommune.rounds.models import AppraisalSession

MEMBERS = (
    ("hd-chu-tich", "Phó Chủ tịch UBND tỉnh, Chủ tịch Hội đồng"),
    ("hd-pho-chu-tich", "Giám đốc Sở Thông tin và Truyền thông, Phó Chủ tịch Hội đồng"),
    ("hd-uy-vien-1", "Phó Giám đốc Sở Nội vụ, Ủy viên"),
    ("hd-uy-vien-2", "Phó Giám đốc Sở Y tế, Ủy viên"),
    ("hd-thu-ky", "Trưởng phòng Bưu chính – Viễn thông, Sở TT&TT, Thư ký Hội đồng"),
)


def appraisal(drive) -> dict[str, object]:
    """``session`` and ``comment`` for ``drive``'s appraisal, at the moment of its clock."""
    loader, round_ = drive.loader, drive.a.round
    day = timezone.localdate(loader.clock.now())
    session = AppraisalSession.objects.filter(round=round_, date=day).first()
    if session is None:
        members = "\n".join(f"{demo_name(key)}, {title}" for key, title in MEMBERS)
        minutes = (f"Hội đồng thẩm định {round_.criteria_set.recognition_name or 'xã thông minh'} năm {round_.year} họp ngày {day:%d/%m/%Y}, xem xét hồ sơ "
                   f"tự đánh giá và kết quả xác minh của các sở; thống nhất đề nghị theo kết quả từng xã {MARK}")
        session = do_open_appraisal_session(actor=loader.secretariat, round_=round_, date=day, members=members,
                                            minutes=minutes, now=loader.clock.now)
    return {"session": session, "comment": f"Hồ sơ đầy đủ, số liệu khớp kết quả xác minh của các sở {MARK}"}
