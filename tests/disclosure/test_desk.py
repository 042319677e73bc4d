"""The feedback desk: tracking codes, deadlines, answering, forwarding, closing, moderation,
overdue notices."""

from datetime import date

import pytest

from smartcommune.disclosure import actions
from smartcommune.disclosure.models import Feedback, FeedbackStatus
from smartcommune.rounds.exceptions import NotAllowed, ValidationFailed
from smartcommune.rounds.models import Notification
from tests.disclosure.helpers import at, full_item


def test_web_feedback_gets_a_code_and_a_working_day_deadline(world):
    # Sent on Friday 24/01/2025, the eve of Tết: ten working days end on 14/02/2025.
    f = actions.do_submit_feedback(unit=world.a, message="Xin hỏi thủ tục?", now=at(2025, 1, 24))
    assert f.tracking_code.startswith("PH-") and len(f.tracking_code) == 13
    assert f.due_on == date(2025, 2, 14)
    assert f.status == FeedbackStatus.OPEN and f.year == 2025 and f.recorded_by is None


def test_only_an_officer_records_email_and_sms(world):
    with pytest.raises(NotAllowed):
        actions.do_submit_feedback(unit=world.a, message="x", channel="email", actor=world.officer_b)
    f = actions.do_submit_feedback(unit=world.a, message="Thư hỏi", channel="sms", actor=world.officer_a,
                                   contact="0900000000")
    assert f.recorded_by == world.officer_a


def test_feedback_on_an_unpublished_or_foreign_item_is_refused(world):
    hidden = full_item(world.officer_a, world.a, web=False)
    other = full_item(world.officer_b, world.b)
    for item in (hidden, other):
        with pytest.raises(ValidationFailed):
            actions.do_submit_feedback(unit=world.a, item=item, message="?")


def test_answer_forward_close_and_their_rules(world):
    f1 = actions.do_submit_feedback(unit=world.a, message="1")
    f2 = actions.do_submit_feedback(unit=world.a, message="2")
    f3 = actions.do_submit_feedback(unit=world.a, message="3")
    with pytest.raises(NotAllowed):
        actions.do_answer_feedback(actor=world.officer_b, feedback=f1, public_answer="Không phải xã tôi")
    f1 = actions.do_answer_feedback(actor=world.officer_a, feedback=f1, public_answer="Đã trả lời",
                                    internal_note="gọi điện")
    f2 = actions.do_forward_feedback(actor=world.officer_a, feedback=f2, forwarded_to="Sở Xây dựng")
    with pytest.raises(ValidationFailed):
        actions.do_close_feedback(actor=world.officer_a, feedback=f3, reason="spam", note="")
    f3 = actions.do_close_feedback(actor=world.officer_a, feedback=f3, reason="duplicate", note="trùng với f1")
    assert [f.status for f in (f1, f2, f3)] == ["answered", "forwarded", "closed"]
    with pytest.raises(NotAllowed):
        actions.do_answer_feedback(actor=world.officer_a, feedback=f3, public_answer="muộn")
    with pytest.raises(NotAllowed):
        actions.do_moderate_feedback(actor=world.officer_a, feedback=f3, show=True)


def test_overdue_feedback_is_notified_once(world):
    f = actions.do_submit_feedback(unit=world.a, message="?", now=at(2024, 3, 1))
    actions.do_submit_feedback(unit=world.b, message="?", now=at(2024, 3, 1))
    answered = actions.do_submit_feedback(unit=world.a, message="?", now=at(2024, 3, 1))
    actions.do_answer_feedback(actor=world.officer_a, feedback=answered, public_answer="ok")
    assert actions.do_notify_overdue(today=f.due_on) == 0
    assert actions.do_notify_overdue(today=date(2024, 4, 1)) == 2
    assert actions.do_notify_overdue(today=date(2024, 4, 2)) == 0
    notes = Notification.objects.filter(recipient=world.officer_a)
    assert notes.count() == 1 and f.tracking_code in notes.get().message
    assert not Notification.objects.filter(recipient=world.officer_b, message__contains=f.tracking_code).exists()
    assert Feedback.objects.get(pk=f.pk).overdue_notified


def test_the_daily_command_notifies(world, capsys):
    from django.core.management import call_command

    actions.do_submit_feedback(unit=world.a, message="?", now=at(2024, 3, 1))
    call_command("disclosure_overdue")
    assert "Đã báo 1 phản hồi quá hạn" in capsys.readouterr().out
    assert Notification.objects.filter(recipient=world.officer_a).count() == 1


def test_the_statistics_count_every_answer(world):
    from smartcommune.disclosure.selectors import feedback_stats

    on_time = actions.do_submit_feedback(unit=world.a, message="1", now=at(2024, 3, 1))
    late = actions.do_submit_feedback(unit=world.a, message="2", now=at(2024, 3, 1))
    actions.do_submit_feedback(unit=world.a, message="3", now=at(2024, 3, 1))
    actions.do_answer_feedback(actor=world.officer_a, feedback=on_time, public_answer="ok", now=at(2024, 3, 3))
    actions.do_forward_feedback(actor=world.officer_a, feedback=late, forwarded_to="Sở Tài chính",
                                now=at(2024, 4, 30))
    stats = feedback_stats(Feedback.objects.filter(unit=world.a, year=2024), date(2024, 5, 1))
    assert (stats.received, stats.handled, stats.within_deadline, stats.overdue) == (3, 2, 1, 1)
    assert stats.within_share == 50 and stats.mean_days == (2 + 60) / 2
    assert stats.by_channel == {"web": 3} and stats.by_status == {"open": 1, "answered": 1, "forwarded": 1}


def test_the_answer_goes_to_an_email_contact_only(world, mailoutbox, django_capture_on_commit_callbacks):
    by_mail = actions.do_submit_feedback(unit=world.a, message="?", contact="dan@example.vn")
    by_phone = actions.do_submit_feedback(unit=world.a, message="?", contact="0900000000")
    with django_capture_on_commit_callbacks(execute=True):
        actions.do_answer_feedback(actor=world.officer_a, feedback=by_mail, public_answer="Thứ Hai")
        actions.do_answer_feedback(actor=world.officer_a, feedback=by_phone, public_answer="Thứ Ba")
    assert [m.to for m in mailoutbox] == [["dan@example.vn"]]
    assert by_mail.tracking_code in mailoutbox[0].body and "Thứ Hai" in mailoutbox[0].body
