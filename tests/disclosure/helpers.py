"""Clock and builders shared by the disclosure tests."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from smartcommune.disclosure import actions

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def at(y, m, d, hour=9):
    return lambda: datetime(y, m, d, hour, tzinfo=VN)


def full_item(officer, unit, *, year=2024, kind="dich-vu-cong", title="Thủ tục cấp giấy khai sinh",
              web=True, loudspeaker=True, posting=True):
    item = actions.do_create_item(actor=officer, unit=unit, year=year, kind=kind, title=title,
                                  now=at(year, 2, 1))
    if web:
        item = actions.do_publish_item(actor=officer, item=item, now=at(year, 2, 2))
    if loudspeaker:
        actions.do_record_broadcast(actor=officer, item=item, date=date(year, 2, 3), hamlets="Ấp 1, Ấp 2",
                                    text_read="Thông báo thủ tục", now=at(year, 2, 3))
    if posting:
        actions.do_record_posting(actor=officer, item=item, posted_on=date(year, 2, 4), now=at(year, 2, 4))
    return item
