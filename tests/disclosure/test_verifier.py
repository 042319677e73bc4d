"""The lead agencies of 3.1–3.4 see, in their queue, the register's count and the year's
feedback figures, with links to each item's channels and proofs."""

from django.urls import reverse

from smartcommune.disclosure import actions
from tests.disclosure.helpers import at, full_item
from tests.rounds.fixtures import assessment_of, fill, step, verifier_for


def test_the_agency_queue_shows_the_register_and_the_desk(client, world, round_bt):
    full_item(world.officer_a, world.a, title="Quy hoạch chung", kind="quy-hoach")
    full_item(world.officer_a, world.a, title="Quy hoạch treo", kind="quy-hoach", posting=False)
    actions.do_submit_feedback(unit=world.a, message="?", now=at(2024, 6, 3))
    a = assessment_of(round_bt, world.a)
    fill(a, world.officer_a)
    step(world.district1, step(world.officer_a, a, "submit"), "district_forward")
    client.force_login(verifier_for(world, "3.2"))
    page = client.get(reverse("rounds:agency_queue")).content.decode()
    assert "Sổ công khai: 1/2 thông tin trên đủ 3 phương tiện" in page
    assert "phản hồi: nhận 1" in page
    register = reverse("disclosure:register", args=[world.a.pk]) + "?year=2024&amp;kind=quy-hoach"
    assert register in page
    # The verifier opens the register: every item with its channels.
    listing = client.get(reverse("disclosure:register", args=[world.a.pk]), {"year": 2024, "kind": "quy-hoach"})
    assert listing.status_code == 200 and "Quy hoạch treo" in listing.content.decode()


def test_overdue_feedback_is_flagged_on_the_district_queue(client, world, round_bt):
    actions.do_submit_feedback(unit=world.a, message="?", now=at(2024, 3, 1))
    a = assessment_of(round_bt, world.a)
    fill(a, world.officer_a)
    step(world.officer_a, a, "submit")
    client.force_login(world.district1)
    page = client.get(reverse("rounds:district_queue")).content.decode()
    assert "1 phản hồi của người dân quá hạn" in page
    assert reverse("disclosure:desk", args=[world.a.pk]) + "?overdue=1" in page
