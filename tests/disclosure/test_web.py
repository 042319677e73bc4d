"""The register, the desk and the public page over HTTP: role scoping (a commune never sees
another's unpublished items or feedback; the public never sees personal data), the bot
checks and rate limit of the public form, tracking without an account."""

import time

import pytest
from django.core import signing
from django.urls import reverse

from smartcommune.disclosure import actions
from smartcommune.disclosure.models import Feedback
from smartcommune.disclosure.public import SALT
from tests.disclosure.helpers import full_item

SECRET_NAME = "Nguyễn Văn Bí Mật"
SECRET_CONTACT = "bimat@example.vn"


@pytest.fixture
def records(world):
    published = full_item(world.officer_a, world.a, title="Dự toán ngân sách công khai", kind="ngan-sach")
    draft = full_item(world.officer_a, world.a, title="Bản nháp chưa đăng", web=False)
    question = actions.do_submit_feedback(unit=world.a, item=published, message="Câu hỏi đã duyệt",
                                          name=SECRET_NAME, contact=SECRET_CONTACT)
    actions.do_answer_feedback(actor=world.officer_a, feedback=question, public_answer="Trả lời công khai",
                               internal_note="Ghi chú nội bộ kín")
    actions.do_moderate_feedback(actor=world.officer_a, feedback=question, show=True)
    hidden = actions.do_submit_feedback(unit=world.a, message="Câu hỏi chưa duyệt", name=SECRET_NAME)
    return published, draft, question, hidden


def _get(client, user, url):
    if user is not None:
        client.force_login(user)
    return client.get(url)


def test_the_public_page_shows_published_items_and_moderated_questions_only(client, world, records):
    published, draft, question, hidden = records
    page = client.get(reverse("disclosure:public", args=[world.a.pk])).content.decode()
    assert published.title in page and draft.title not in page
    assert "Câu hỏi đã duyệt" in page and "Trả lời công khai" in page and "Câu hỏi chưa duyệt" not in page
    for secret in (SECRET_NAME, SECRET_CONTACT, "Ghi chú nội bộ kín"):
        assert secret not in page
    item_page = client.get(reverse("disclosure:public_item", args=[world.a.pk, published.pk])).content.decode()
    assert "Câu hỏi đã duyệt" in item_page and SECRET_NAME not in item_page
    assert client.get(reverse("disclosure:public_item", args=[world.a.pk, draft.pk])).status_code == 404
    # An item of commune A is not reachable through commune B's page.
    assert client.get(reverse("disclosure:public_item", args=[world.b.pk, published.pk])).status_code == 404


def test_tracking_shows_the_answer_not_the_sender(client, world, records):
    _published, _draft, question, _hidden = records
    page = client.get(reverse("disclosure:track") + f"?code={question.tracking_code.lower()}").content.decode()
    assert "Trả lời công khai" in page
    for secret in (SECRET_NAME, SECRET_CONTACT, "Ghi chú nội bộ kín"):
        assert secret not in page
    assert "Không có phản hồi" in client.get(reverse("disclosure:track") + "?code=PH-NOPE").content.decode()


@pytest.mark.parametrize(("who", "sees"), [
    ("officer_a", True), ("district1", True), ("secretariat", True), ("admin", True),
    ("officer_b", False), ("district2", False), ("secretariat_vl", False), ("nobody", False),
])
def test_the_register_and_desk_are_scoped_by_role(client, world, records, who, sees):
    published, draft, question, hidden = records
    user = getattr(world, who)
    urls = [
        reverse("disclosure:register", args=[world.a.pk]) + "?year=2024",
        reverse("disclosure:item", args=[draft.pk]),
        reverse("disclosure:desk", args=[world.a.pk]),
        reverse("disclosure:feedback", args=[hidden.pk]),
    ]
    client.force_login(user)
    for url in urls:
        response = client.get(url)
        assert response.status_code == (200 if sees else 404), url
    if sees:
        assert draft.title in client.get(urls[0]).content.decode()


def test_the_sender_is_shown_only_to_the_communes_officers(client, world, records):
    hidden = records[3]
    client.force_login(world.officer_a)
    assert SECRET_NAME in client.get(reverse("disclosure:feedback", args=[hidden.pk])).content.decode()
    client.force_login(world.district1)
    assert SECRET_NAME not in client.get(reverse("disclosure:feedback", args=[hidden.pk])).content.decode()


def test_readers_cannot_write(client, world, records):
    published, draft, question, hidden = records
    client.force_login(world.district1)
    client.post(reverse("disclosure:item_channel", args=[draft.pk, "web"]))
    client.post(reverse("disclosure:feedback_act", args=[hidden.pk, "answer"]), {"public_answer": "x"})
    draft.refresh_from_db()
    hidden.refresh_from_db()
    assert draft.published_at is None and hidden.status == "open"


def _form(started_ago=10.0, **extra):
    return {"message": "Xin hỏi lịch tiếp dân?", "started": signing.dumps(time.time() - started_ago, salt=SALT),
            "website": "", **extra}


def test_a_citizen_sends_feedback_and_gets_a_code(client, world, records):
    published = records[0]
    response = client.post(reverse("disclosure:send", args=[world.a.pk]), _form(item=published.pk, name="An"))
    assert response.status_code == 302
    feedback = Feedback.objects.get(message="Xin hỏi lịch tiếp dân?")
    assert feedback.item == published and feedback.name == "An" and not feedback.shown_publicly
    assert feedback.tracking_code in response["Location"]
    assert feedback.tracking_code in client.get(response["Location"]).content.decode()


@pytest.mark.parametrize(("form", "why"), [
    (lambda: _form(website="http://spam.example"), "để trống"),
    (lambda: _form(started_ago=0.0), "quá nhanh"),
    (lambda: {**_form(), "started": "forged"}, "hết hạn"),
])
def test_robots_are_turned_away(client, world, form, why):
    response = client.post(reverse("disclosure:send", args=[world.a.pk]), form())
    assert response.status_code == 400 and why in response.content.decode()
    assert not Feedback.objects.exists()


def test_the_form_is_rate_limited_per_address(client, world, settings):
    settings.SMARTCOMMUNE_DISCLOSURE = {"feedback_rate": 2}
    codes = [client.post(reverse("disclosure:send", args=[world.a.pk]), _form()).status_code for _ in range(3)]
    assert codes == [302, 302, 429]
    assert Feedback.objects.count() == 2


def test_overdue_feedback_is_flagged_on_the_desk(client, world):
    from tests.disclosure.helpers import at

    late = actions.do_submit_feedback(unit=world.a, message="Hỏi từ lâu", now=at(2024, 3, 1))
    client.force_login(world.officer_a)
    page = client.get(reverse("disclosure:desk", args=[world.a.pk]), {"year": 2024, "overdue": 1}).content.decode()
    assert late.tracking_code in page and 'class="is-overdue"' in page and "Quá hạn" in page
