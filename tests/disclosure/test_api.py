"""The API serves items with their channels, moderated feedback and statistics, scoped as
the web is, never a sender's name or contact."""

import json

import pytest

from smartcommune.api.actions import do_create_token
from smartcommune.disclosure import actions
from tests.disclosure.helpers import full_item


@pytest.fixture
def data(world):
    published = full_item(world.officer_a, world.a, title="Công khai")
    draft = full_item(world.officer_a, world.a, title="Nháp", web=False)
    f = actions.do_submit_feedback(unit=world.a, item=published, message="Hỏi?", name="Bí Mật",
                                   contact="bimat@example.vn")
    actions.do_answer_feedback(actor=world.officer_a, feedback=f, public_answer="Đáp", internal_note="kín")
    actions.do_moderate_feedback(actor=world.officer_a, feedback=f, show=True)
    actions.do_submit_feedback(unit=world.a, message="Chưa duyệt")
    return published, draft


def _get(client, url, user=None):
    headers = {}
    if user is not None:
        headers["Authorization"] = f"Bearer {do_create_token(actor=user, name='t')[1]}"
    return client.get(url, headers=headers)


def test_items_are_scoped(client, world, data):
    anonymous = _get(client, "/api/v1/disclosure/items").json()
    assert [i["title"] for i in anonymous["results"]] == ["Công khai"]
    assert anonymous["results"][0]["on_three_channels"] is True
    assert anonymous["results"][0]["broadcasts"][0]["hamlets"] == "Ấp 1, Ấp 2"
    officer = _get(client, "/api/v1/disclosure/items?year=2024", world.officer_a).json()
    assert {i["title"] for i in officer["results"]} == {"Công khai", "Nháp"}
    other = _get(client, "/api/v1/disclosure/items", world.officer_b).json()
    assert [i["title"] for i in other["results"]] == ["Công khai"]


def test_public_feedback_has_no_personal_data(client, world, data):
    response = _get(client, "/api/v1/disclosure/feedback")
    assert [(f["message"], f["public_answer"]) for f in response.json()["results"]] == [("Hỏi?", "Đáp")]
    body = json.dumps(response.json(), ensure_ascii=False)
    for secret in ("Bí Mật", "bimat@example.vn", "kín", "Chưa duyệt"):
        assert secret not in body


def test_statistics_for_those_whose_roles_reach_the_commune(client, world, data):
    url = f"/api/v1/disclosure/statistics/{world.a.pk}/2024"
    assert _get(client, url).status_code == 404
    assert _get(client, url, world.officer_b).json()["error"]["code"] == "not_found"
    stats = _get(client, url, world.district1).json()
    by_kind = {k["kind"]: k for k in stats["kinds"]}
    assert by_kind["dich-vu-cong"]["items"] == 2 and by_kind["dich-vu-cong"]["on_three_channels"] == 1
    assert stats["feedback_received"] == 0  # the feedback was sent today, not in 2024
