""""Việc của tôi" shows the citizens' feedback waiting for an answer in the communes the
user's roles reach — past its deadline, or due within three working days — with counts
and links to the desks; nothing of another commune's, nothing to a user without a role."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from smartcommune.disclosure import actions, selectors
from smartcommune.disclosure.models import Feedback
from smartcommune.disclosure.workdays import add_working_days

VN = ZoneInfo("Asia/Ho_Chi_Minh")
TODAY = date(2024, 3, 20)  # a Wednesday


def received(y, m, d):
    return lambda: datetime(y, m, d, 9, tzinfo=VN)


@pytest.fixture
def waiting(world):
    late_a = actions.do_submit_feedback(unit=world.a, message="Quá hạn ở A", now=received(2024, 3, 1))
    soon_a = actions.do_submit_feedback(unit=world.a, message="Sắp đến hạn ở A", now=received(2024, 3, 8))
    later_a = actions.do_submit_feedback(unit=world.a, message="Còn lâu ở A", now=received(2024, 3, 19))
    answered = actions.do_submit_feedback(unit=world.a, message="Đã trả lời", now=received(2024, 3, 1))
    actions.do_answer_feedback(actor=world.officer_a, feedback=answered, public_answer="Đã trả lời")
    late_c = actions.do_submit_feedback(unit=world.c, message="Quá hạn ở C", now=received(2024, 2, 1))
    return {"late_a": late_a, "soon_a": soon_a, "later_a": later_a, "late_c": late_c}


def independent(user_units, today):
    """Count from the stored records, day by day."""
    open_ = [f for f in Feedback.objects.all() if f.unit_id in user_units and f.status == "open"]
    soon = add_working_days(today, selectors.DUE_SOON_WORKING_DAYS)
    return (sum(1 for f in open_ if f.due_on < today), sum(1 for f in open_ if today <= f.due_on <= soon))


@pytest.mark.parametrize("who, units", [
    ("officer_a", ["a"]), ("officer_b", ["b"]), ("district1", ["a", "b"]), ("district2", ["c", "gone"]),
    ("secretariat", ["a", "b", "c", "gone"]),
])
def test_the_counts_equal_an_independent_count_in_the_users_scope(world, waiting, who, units):
    work = selectors.desk_work(getattr(world, who), TODAY)
    ids = {getattr(world, u).pk for u in units}
    assert (work.overdue, work.due_soon) == independent(ids, TODAY)
    assert {c["unit"].pk for c in work.communes} <= ids
    assert {f.pk for f in work.oldest} == {f.pk for f in Feedback.objects.filter(
        unit_id__in=ids, status="open", due_on__lt=TODAY)}


def test_a_user_without_a_commune_role_has_no_section(world, waiting):
    assert selectors.desk_work(world.nobody, TODAY) is None


def test_the_home_page_lists_them_with_links(client, world, waiting):
    client.force_login(world.officer_a)
    page = client.get(reverse("home")).content.decode()
    assert 'id="feedback-desk"' in page and "Phản hồi của người dân chờ trả lời" in page
    assert reverse("disclosure:desk", args=[world.a.pk]) + "?overdue=1" in page
    assert reverse("disclosure:feedback", args=[waiting["late_a"].pk]) in page
    assert waiting["late_c"].tracking_code not in page
    client.force_login(world.nobody)
    assert 'id="feedback-desk"' not in client.get(reverse("home")).content.decode()


def test_the_district_sees_its_communes_overdue_feedback(client, world, waiting):
    client.force_login(world.district2)
    page = client.get(reverse("home")).content.decode()
    assert waiting["late_c"].tracking_code in page and waiting["late_a"].tracking_code not in page
