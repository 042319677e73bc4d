"""The public survey form on a phone-sized screen in chromium: reached by its short
address, readable without scrolling sideways, nothing loaded from elsewhere, no CSP
violation; an answer is sent and counted; the honeypot is not visible to a person."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from smartcommune.surveys.models import Answer
from tests.rounds.fixtures import open_round, world  # noqa: F401  (fixture)
from tests.surveys.fixtures import open_survey


@pytest.fixture
def survey(world, settings):  # noqa: F811
    settings.SMARTCOMMUNE_SURVEY_MIN_SECONDS = 0
    return open_survey(world, open_round(world))


def test_a_person_answers_on_a_phone(phone_page: Page, live_server, survey):
    page = phone_page
    outside, console = [], []
    page.on("request", lambda r: None if r.url.startswith(live_server.url) else outside.append(r.url))
    page.on("console", lambda m: console.append(m.text) if m.type in ("error", "warning") else None)
    page.goto(f"{live_server.url}/s/{survey.code}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Khảo sát sự hài lòng")
    # Nothing wider than the phone; the trap field is off screen and not in the way.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375 + 2
    assert not page.locator("#id_website").is_visible() or page.locator("#id_website").bounding_box()["x"] < 0
    page.get_by_label("Tiến bộ rõ rệt").check()
    page.get_by_label("Ấp / khu phố nơi ở").select_option(label="Ấp 2")
    page.get_by_label("Hài lòng", exact=True).check()
    page.get_by_label("Số điện thoại hoặc số CCCD").fill("0912 345 678")
    page.get_by_role("button", name="Gửi phiếu").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Cảm ơn")
    a = Answer.objects.get()
    assert (a.level, a.hamlet.name, a.channel, a.topics) == (4, "Ấp 2", "web", {"dich_vu_cong": "hai_long"})
    # The same number again is refused, in Vietnamese, beside the form.
    page.goto(f"{live_server.url}/s/{survey.code}/")
    page.get_by_label("Thụt lùi").check()
    page.get_by_label("Số điện thoại hoặc số CCCD").fill("0912345678")
    page.get_by_role("button", name="Gửi phiếu").click()
    expect(page.get_by_role("alert")).to_contain_text("mỗi người chỉ trả lời một lần")
    assert Answer.objects.count() == 1
    assert outside == [] and not [c for c in console if "Content Security Policy" in c]
