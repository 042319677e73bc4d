"""Synthetic field-3 records for the demo's 2025 round: each commune's register of
information items (public services, planning, budget) with the channels they went out on,
and citizens' feedback, some answered, some forwarded, some late.  Everything is labelled
"(mô phỏng)"; written with bulk inserts, a second or two for the province."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from smartcommune.disclosure import config
from smartcommune.disclosure.actions import CODE_ALPHABET
from smartcommune.disclosure.models import Broadcast, Feedback, FeedbackChannel, FeedbackStatus, Item, Posting
from smartcommune.disclosure.workdays import add_working_days
from smartcommune.rounds.models import Assessment

YEAR = 2025
MARK = " (mô phỏng)"
VN = ZoneInfo("Asia/Ho_Chi_Minh")
TITLES = {
    "dich-vu-cong": ["Thủ tục đăng ký khai sinh", "Thủ tục chứng thực bản sao", "Thủ tục đăng ký kết hôn",
                     "Thủ tục cấp giấy xác nhận tình trạng hôn nhân", "Danh mục thủ tục hành chính mức độ toàn trình"],
    "quy-hoach": ["Quy hoạch chung xã", "Kế hoạch sử dụng đất năm 2025", "Quy hoạch chi tiết khu dân cư"],
    "ngan-sach": ["Dự toán ngân sách xã năm 2025", "Quyết toán ngân sách năm 2024",
                  "Tình hình thực hiện ngân sách 6 tháng"],
}
QUESTIONS = ["Xin hỏi thời gian giải quyết thủ tục này?", "Đề nghị xã công khai thêm bản đồ quy hoạch.",
             "Khoản chi sửa đường ấp 3 đã thực hiện chưa?", "Hồ sơ cần những giấy tờ gì?"]


def _at(day: date, hour: int = 9) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=VN)


def load_disclosure(rounds, officers: dict[int, object], *, seed: int) -> None:
    """Registers and feedback for the communes of the demo's 2025 round."""
    rng = random.Random(seed * 31 + YEAR)
    units = [a.unit for a in Assessment.objects.filter(round__year=YEAR, round__in=rounds)
             .select_related("unit").order_by("unit__code")]
    kinds = config.kinds()
    items, channels = [], []
    for unit in units:
        diligent = rng.random() < 0.6  # most communes put everything out on the three channels
        for kind in kinds:
            for title in TITLES.get(kind.code, [kind.label]):
                day = date(YEAR, 1, 6) + timedelta(days=rng.randrange(300))
                item = Item(unit=unit, year=YEAR, kind=kind.code, title=title + MARK,
                            document_number=f"{rng.randrange(1, 300)}/QĐ-UBND (mô phỏng)",
                            document_date=day, created_by=officers.get(unit.pk), created_at=_at(day, 8),
                            published_at=_at(day, 10) if diligent or rng.random() < 0.8 else None)
                items.append(item)
                channels.append((item, day, diligent or rng.random() < 0.8, diligent or rng.random() < 0.7))
    Item.objects.bulk_create(items, batch_size=2000)
    Broadcast.objects.bulk_create([
        Broadcast(item=item, date=day + timedelta(days=1), hamlets="Ấp 1, Ấp 2, Ấp 3",
                  text_read=f"Thông báo: {item.title}", recorded_by=item.created_by, recorded_at=_at(day, 15))
        for item, day, loud, _post in channels if loud
    ], batch_size=2000)
    Posting.objects.bulk_create([
        Posting(item=item, posted_on=day + timedelta(days=2), taken_down_on=day + timedelta(days=32),
                recorded_by=item.created_by, recorded_at=_at(day + timedelta(days=2), 8))
        for item, day, _loud, post in channels if post
    ], batch_size=2000)
    feedback = []
    published = [i for i in items if i.published_at is not None]
    for n in range(len(units) * 6):
        item = rng.choice(published) if rng.random() < 0.7 else None
        unit = item.unit if item else rng.choice(units)
        received = date(YEAR, 1, 10) + timedelta(days=rng.randrange(340))
        due = add_working_days(received, int(config.option("answer_working_days")))
        outcome = rng.random()
        f = Feedback(unit=unit, year=YEAR, item=item, kind=item.kind if item else "",
                     channel=rng.choice(FeedbackChannel.values),
                     tracking_code="PH-" + "".join(rng.choice(CODE_ALPHABET) for _ in range(10)),
                     name=f"Người dân {n}{MARK}" if rng.random() < 0.5 else "",
                     contact=f"nguoidan{n}@example.vn" if rng.random() < 0.5 else "",
                     message=rng.choice(QUESTIONS) + MARK, received_at=_at(received), due_on=due)
        if outcome < 0.7:
            handled = received + timedelta(days=rng.randrange(1, 20))
            f.status, f.public_answer = FeedbackStatus.ANSWERED, "Xã đã tiếp nhận và trả lời (mô phỏng)."
            f.handled_at, f.handled_by, f.shown_publicly = _at(handled, 14), officers.get(unit.pk), rng.random() < 0.6
        elif outcome < 0.8:
            f.status, f.forwarded_to = FeedbackStatus.FORWARDED, "Phòng Tài chính – Kế hoạch huyện (mô phỏng)"
            f.handled_at, f.handled_by = _at(received + timedelta(days=3), 14), officers.get(unit.pk)
        elif outcome < 0.85:
            f.status, f.close_reason, f.close_note = FeedbackStatus.CLOSED, "duplicate", "Trùng câu hỏi trước (mô phỏng)"
            f.handled_at, f.handled_by = _at(received + timedelta(days=1), 14), officers.get(unit.pk)
        feedback.append(f)
    Feedback.objects.bulk_create(feedback, batch_size=2000)
