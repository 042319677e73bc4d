"""Who is told about each step: in-app rows at once, e-mail after the commit."""

from datetime import date

import pytest
from django.core import mail

from smartcommune.rounds.exceptions import IllegalTransition
from smartcommune.rounds.models import Notification
from tests.rounds.fixtures import assessment_of, fill, open_round, step, verifier_for, verify_all

pytestmark = pytest.mark.django_db


def recipients(assessment):
    return {n.recipient.username for n in Notification.objects.filter(assessment=assessment)}


def test_submit_notifies_the_district_and_mails_after_commit(world, round_bt, django_capture_on_commit_callbacks):
    a = assessment_of(round_bt, world.a)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        step(world.officer_a, a, "submit")
    assert recipients(a) == {"district1"}
    assert len(callbacks) == 1
    assert [m.to for m in mail.outbox] == [["district1@example.vn"]]
    assert "Phường Phú Khương (2024)" in mail.outbox[0].subject


def test_no_mail_before_the_commit(world, round_bt, django_capture_on_commit_callbacks):
    a = assessment_of(round_bt, world.a)
    with django_capture_on_commit_callbacks(execute=False):
        step(world.officer_a, a, "submit")
    assert mail.outbox == [] and recipients(a) == {"district1"}


def test_submit_without_a_district_notifies_the_agencies(world):
    round_vl = open_round(world, year=2025, province=world.vl, secretariat=world.secretariat_vl)
    x = assessment_of(round_vl, world.x)
    step(world.officer_x, x, "submit")
    assert recipients(x) == {u.username for u in world.verifiers.values()}


def test_each_step_notifies_the_right_people(world, round_bt, django_capture_on_commit_callbacks):
    a = fill(assessment_of(round_bt, world.a), world.officer_a)
    a = step(world.officer_a, a, "submit")
    Notification.objects.all().delete()
    a = step(world.district1, a, "district_forward")
    assert recipients(a) == {u.username for u in world.verifiers.values()}
    Notification.objects.all().delete()
    a = step(verifier_for(world, "6.1"), a, "return_item", criterion_code="6.1", comment="Thiếu")
    assert recipients(a) == {"officer_a"}
    assert "6.1" in Notification.objects.get().message
    b = step(world.officer_b, assessment_of(round_bt, world.b), "submit")
    Notification.objects.all().delete()
    a = step(world.district1, b, "district_return", items={"1.1": "Sai số"})
    assert recipients(a) == {"officer_b"}


def test_all_verified_notifies_the_secretariat_and_decision_the_officers(world, round_bt, django_capture_on_commit_callbacks):
    a = step(world.district1, step(world.officer_a, fill(assessment_of(round_bt, world.a), world.officer_a), "submit"),
             "district_forward")
    Notification.objects.all().delete()
    a = verify_all(world, a)
    assert recipients(a) == {"secretariat"}
    Notification.objects.all().delete()
    a = step(world.secretariat, a, "appraise")
    assert recipients(a) == set()
    with django_capture_on_commit_callbacks(execute=True):
        step(world.secretariat, a, "record_decision", recognised=True, number="5/QĐ", date=date(2025, 2, 1), signer="B")
    assert recipients(a) == {"officer_a"}
    assert mail.outbox[-1].to == ["officer_a@example.vn"]
    assert "5/QĐ" in mail.outbox[-1].body and "01/02/2025" in mail.outbox[-1].body


def test_users_without_email_get_only_the_in_app_notification(world, round_bt, django_capture_on_commit_callbacks):
    world.district1.email = ""
    world.district1.save()
    with django_capture_on_commit_callbacks(execute=True):
        step(world.officer_a, assessment_of(round_bt, world.a), "submit")
    assert Notification.objects.filter(recipient=world.district1).count() == 1
    assert mail.outbox == []


def decided(world, round_, commune, officer, reviewer=None):
    """``commune``'s assessment, not recognised (decision 7/QĐ of 01/02/2025)."""
    secretariat = world.secretariat if round_.province == world.bt else world.secretariat_vl
    a = step(officer, fill(assessment_of(round_, commune), officer), "submit")
    if reviewer is not None:
        a = step(reviewer, a, "district_forward")
    a = step(secretariat, verify_all(world, a), "appraise")
    return step(secretariat, a, "record_decision", recognised=False, number="7/QĐ", date=date(2025, 2, 1), signer="B")


def test_publishing_tells_the_officers_and_the_district_after_commit(
        world, round_bt, django_capture_on_commit_callbacks):
    a = decided(world, round_bt, world.a, world.officer_a, world.district1)
    Notification.objects.all().delete()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        step(world.secretariat, a, "publish")
    assert recipients(a) == {"officer_a", "district1"}
    assert mail.outbox == [] and len(callbacks) == 2
    for callback in callbacks:
        callback()
    assert sorted(m.to[0] for m in mail.outbox) == ["district1@example.vn", "officer_a@example.vn"]
    message = Notification.objects.filter(recipient=world.officer_a).get().message
    assert message.startswith("Phường Phú Khương (2024): đã công bố kết quả: không công nhận đạt chuẩn xã thông minh")
    assert "7/QĐ ngày 01/02/2025" in message


def test_publishing_without_a_district_tells_the_officers_only(world):
    round_vl = open_round(world, year=2025, province=world.vl, secretariat=world.secretariat_vl)
    x = decided(world, round_vl, world.x, world.officer_x)
    Notification.objects.all().delete()
    step(world.secretariat_vl, x, "publish")
    assert recipients(x) == {"officer_x"}


def test_a_failed_publish_tells_nobody(world, round_bt):
    a = step(world.officer_a, fill(assessment_of(round_bt, world.a), world.officer_a), "submit")
    Notification.objects.all().delete()
    with pytest.raises(IllegalTransition):
        step(world.secretariat, a, "publish")
    assert recipients(a) == set() and mail.outbox == []


def test_every_notification_is_written_in_english_too_and_read_in_the_chosen_language(
        client, settings, world, round_bt):
    """Each step's notification carries an English text (no Vietnamese in it) and the
    notifications page shows the reader's language: Vietnamese by default, English when
    chosen, whoever wrote it."""
    a = fill(assessment_of(round_bt, world.a), world.officer_a)
    a = step(world.officer_a, a, "submit")
    a = step(world.district1, a, "district_return", items={"1.1": "Thiếu minh chứng"})
    rows = list(Notification.objects.filter(assessment=a).order_by("pk"))
    assert len(rows) == 2
    for n in rows:
        assert n.message.startswith("Phường Phú Khương (2024): ") and n.message_en.startswith("Phường Phú Khương (2024): ")
        english = n.message_en.removeprefix("Phường Phú Khương (2024): ")
        assert english and not set(english) & set("ăâđêôơưàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ")
    assert rows[1].message_en.endswith("the district returned 1 criterion: 1.1")
    client.force_login(world.officer_a)
    assert "huyện trả lại 1 tiêu chí: 1.1" in client.get("/notifications/").content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get("/notifications/").content.decode()
    assert "the district returned 1 criterion: 1.1" in page and "huyện trả lại" not in page
