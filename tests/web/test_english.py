"""The English interface leaves no status untranslated (issue 14): every main page, as
each role sees it with English chosen, is searched for the Vietnamese labels of the
workflow's statuses, the items' review states and the criteria's results."""

from __future__ import annotations

import html
import re

import pytest
from django.conf import settings
from django.urls import reverse

from smartcommune.criteria.engine import STATUS_LABELS_VI
from smartcommune.rounds.models import ReviewStatus, Status
from tests.rounds.fixtures import assessment_of, fill, open_round, step, verifier_for, world  # noqa: F401

VIETNAMESE_STATUSES = sorted(
    {str(s.label) for s in Status} | {str(s.label) for s in ReviewStatus}
    | {v for k, v in STATUS_LABELS_VI.items() if v != "Đạt"},  # "Đạt" is inside other words' letters
    key=len, reverse=True,
)
TAGS = re.compile(r"<script.*?</script>|<style.*?</style>|<[^>]+>", re.S)


def visible_text(response) -> str:
    assert response.status_code == 200, response.status_code
    return html.unescape(TAGS.sub(" ", response.content.decode()))


def untranslated(text: str) -> list[str]:
    return [label for label in VIETNAMESE_STATUSES if re.search(rf"(?<!\w){re.escape(label)}(?!\w)", text)]


@pytest.fixture
def busy_round(world):
    """A round with an assessment at most steps: a draft, one returned, one verified in part."""
    round_ = open_round(world)
    a = step(world.officer_a, fill(assessment_of(round_, world.a), world.officer_a), "submit")
    a = step(world.district1, a, "district_forward")
    a = step(verifier_for(world, "1.1"), a, "verify_item", criterion_code="1.1")
    a = step(verifier_for(world, "1.2"), a, "return_item", criterion_code="1.2", comment="Chưa khớp")
    b = step(world.officer_b, fill(assessment_of(round_, world.b), world.officer_b), "submit")
    return round_, a, b


def pages(world, round_, a, b):
    assessment = reverse("rounds:assessment", args=[a.pk])
    return {
        world.officer_a: [reverse("home"), assessment, reverse("rounds:assessment_submit", args=[a.pk]),
                          reverse("rounds:assessment_history", args=[a.pk]), reverse("notifications")],
        world.district1: [reverse("home"), reverse("rounds:district_queue"),
                          reverse("rounds:assessment", args=[b.pk]), reverse("notifications")],
        verifier_for(world, "1.1"): [reverse("home"), reverse("rounds:agency_queue"), assessment],
        world.secretariat: [reverse("home"), reverse("rounds:round_list"),
                            reverse("rounds:round_overview", args=[round_.pk]), assessment],
    }


def test_no_page_of_the_english_interface_shows_a_vietnamese_status(client, world, busy_round):
    round_, a, b = busy_round
    found = {}
    for user, urls in pages(world, round_, a, b).items():
        client.force_login(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        for url in urls:
            left = untranslated(visible_text(client.get(url)))
            if left:
                found[f"{user.username} {url}"] = left
    assert not found, found
    client.force_login(world.officer_a)
    english = visible_text(client.get(reverse("rounds:assessment", args=[a.pk])))
    assert "Returned" in english and "Verified" in english  # the statuses, in English


def test_the_same_pages_in_vietnamese_do_show_the_statuses(client, world, busy_round):
    # The search would find them: the Vietnamese pages show them.
    round_, a, b = busy_round
    client.force_login(world.officer_a)
    text = visible_text(client.get(reverse("rounds:assessment", args=[a.pk])))
    assert {"Bị trả lại", "Đã xác minh"} <= set(untranslated(text))


def test_counts_of_communes_take_the_plural_form(client, world):
    # "1 communes" (issue 14): the secretariat's home page says "1 commune in total".
    round_ = open_round(world, year=2025, province=world.vl, secretariat=world.secretariat_vl)
    client.force_login(world.secretariat_vl)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    text = visible_text(client.get(reverse("home")))
    n = round_.assessments.count()
    assert f"{n} commune{'s' if n != 1 else ''} in total." in text
    from django.utils import translation
    with translation.override("en"):
        one = translation.ngettext("Tổng số %(total)s xã.", "Tổng số %(total)s xã.", 1) % {"total": 1}
    assert one == "1 commune in total."


def test_the_admin_reads_in_english(client, world):
    """The admin's headings come from the apps' and models' verbose names, its column
    titles from the fields'; the help under a field from its help text."""
    from smartcommune.disclosure.models import InboundAddress

    InboundAddress.objects.create(unit=world.a, channel="email", address="phanhoi@phukhuong.gov.vn")
    client.force_login(world.admin)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    index = visible_text(client.get(reverse("admin:index")))
    assert {"Administrative units", "Assessment rounds", "Disclosure and feedback", "Self-assessments"} <= set(
        line.strip() for line in index.splitlines())
    units = visible_text(client.get(reverse("admin:units_unit_changelist")))
    assert "Select administrative unit to change" in units
    for heading in ("Code (General Statistics Office)", "Name", "Level", "Kind", "Parent unit", "Valid from",
                    "Valid until (inclusive)", "By level"):
        assert heading in units, heading
    addresses = visible_text(client.get(reverse("admin:disclosure_inboundaddress_changelist")))
    assert {"Commune", "Channel", "E-mail address or phone number"} <= set(
        line.strip() for line in addresses.splitlines())
    add = visible_text(client.get(reverse("admin:disclosure_inboundaddress_add")))
    assert "Add commune feedback address" in add and "Phone numbers as +84…" in add
    # The page's own words: no Vietnamese letter is left outside the data (the units' names).
    for text in (index, add):
        assert not [line for line in text.splitlines() if re.search(r"[^\W\d_a-zA-Z]", line)], text


def test_the_same_admin_pages_in_vietnamese(client, world):
    client.force_login(world.admin)
    units = visible_text(client.get(reverse("admin:units_unit_changelist")))
    assert "Mã (Tổng cục Thống kê)" in units and "Đơn vị cấp trên" in units
    assert "Parent unit" not in units
