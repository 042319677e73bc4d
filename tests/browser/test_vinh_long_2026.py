"""The product's next real use, in chromium: a 2026 round of the merged Vĩnh Long under the
2026 set (points and levels), communes directly under the province, and the old
communes' earlier results reached through the lineage.

Set-up in Python, the same shape as the demo's 2026 round (smartcommune/demo/vinh_long.py)
at a smaller scale: the units (Bến Tre before the reform, the new Vĩnh Long and the
lineage), the 2026 round of every new commune, the values of Phường Phú Khương (formed on
1 July 2025 from four Bến Tre communes) entered by its officer, and the published 2023 and
2024 results of two of those old communes.  Through the pages: the officer submits
(straight to the agencies: there is no district), each agency verifies from its queue,
the secretariat appraises, decides and publishes; then the public finds no district
anywhere in the round's results and follows the lineage from the new commune's scorecard
to an old commune's 2024 result and back.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from playwright.sync_api import Browser, Page, expect

from smartcommune.accounts.models import Role, RoleAssignment
from smartcommune.criteria.registry import get_criteria_set
from smartcommune.rounds.actions import do_open_round, do_save_values, do_transition, do_verify_items
from smartcommune.rounds.models import Assessment, Round
from smartcommune.units.actions import OLD_VALID_FROM, do_load_units
from smartcommune.units.models import Level, Unit
from smartcommune.units.source import REFORM_DAY
from tests.browser.conftest import DESKTOP, TIMEOUT_MS
from tests.browser.test_round_journey import (
    PASSWORD, expect_message, expect_status, signed_in, submit_from_the_check_page,
)

SET = get_criteria_set("chuyen-doi-so-cap-xa-2026")
OLD_SET = get_criteria_set("ben-tre-2021-2025")
NEW = "28756"  # Phường Phú Khương, Vĩnh Long, from 1 July 2025
OLD = ("28756", "28759")  # two of the four Bến Tre communes it was formed from
OLD_DISTRICT = "829"  # Thành phố Bến Tre
# 1.1 Chủ tịch (10) + 1.2 four meetings (20) + 2.1 9/10 (9) + 2.2 ≥ 80 % (20) + 2.3 ≤ 5 % late (10)
# + 3.1 five wifi points (10) + 3.2 (10) + 3.3 95 % (9.5): 98.50 points, level Tốt.
VALUES = {
    "1.1": {"choice": "chu-tich"},
    "1.2": {"count": 4},
    "2.1": {"numerator": 9, "denominator": 10},
    "2.2": {"numerator": 850, "denominator": 1000},
    "2.3": {"numerator": 3, "denominator": 200},
    "3.1": {"count": 5},
    "3.2": {"met": True},
    "3.3": {"numerator": 950, "denominator": 1000},
}
SOURCE = "Báo cáo số 45/BC-UBND ngày 20/9/2026 của UBND phường (mô phỏng)"
DECISION = {"number": "322/QĐ-UBND", "date": "2026-11-20", "shown": "20/11/2026", "signer": "Trần Văn Bình"}


def person(username: str, role: str, unit: Unit, agency: str = ""):
    user = get_user_model().objects.create_user(username, email=f"{username}@example.vn")
    user.password = make_password(PASSWORD)
    user.save(update_fields=["password"])
    RoleAssignment.objects.create(user=user, role=role, unit=unit, agency=agency)
    return user


def commune(code: str, valid_from: date) -> Unit:
    return Unit.objects.get(level=Level.COMMUNE, code=code, valid_from=valid_from)


def old_results(year: int, secretariat, officers, reviewer, verifiers) -> None:
    """Bến Tre's round of ``year``, the communes of :data:`OLD` published (the first recognised)."""
    bt = Unit.objects.get(level=Level.PROVINCE, code="83", valid_from=OLD_VALID_FROM)
    round_ = do_open_round(actor=secretariat, criteria_set_code=OLD_SET.code, year=year, province=bt,
                           submission_deadline=date(year, 11, 30), review_deadline=date(year, 12, 15),
                           verification_deadline=date(year + 1, 1, 15))
    for i, code in enumerate(OLD):
        a = Assessment.objects.get(round=round_, unit=commune(code, OLD_VALID_FROM))
        good = i == 0
        values = {c.code: {"source": "Báo cáo UBND xã (mô phỏng)"} for c in OLD_SET.criteria}
        for c in OLD_SET.criteria:
            if c.ratio is not None:
                values[c.code] |= {"numerator": 10 if good else 1, "denominator": 10}
            if c.boolean is not None:
                values[c.code]["met"] = good
        a = do_save_values(actor=officers[code], assessment=a, expected_version=a.version, values=values)
        a = do_transition(actor=officers[code], assessment=a, transition_name="submit")
        a = do_transition(actor=reviewer, assessment=a, transition_name="district_forward")
        for c in OLD_SET.criteria:
            a = do_verify_items(actor=verifiers[c.lead_agencies[0]], items=[(a, c.code, a.version)])[0]
        a = do_transition(actor=secretariat, assessment=a, transition_name="appraise")
        a = do_transition(actor=secretariat, assessment=a, transition_name="record_decision", recognised=good,
                          number=f"{year}/QĐ-UBND", date=date(year + 1, 2, 10), signer="Lê Văn Cường",
                          **({} if good else {"reason": "Chưa đạt đủ số lĩnh vực"}))
        do_transition(actor=secretariat, assessment=a, transition_name="publish")


@pytest.fixture
def vinh_long(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    do_load_units()
    bt = Unit.objects.get(level=Level.PROVINCE, code="83", valid_from=OLD_VALID_FROM)
    vl = Unit.objects.get(level=Level.PROVINCE, code="86", valid_from=REFORM_DAY)
    bt_secretariat = person("bt-thuky", Role.SECRETARIAT, bt)
    bt_verifiers = {a.code: person(f"bt-{a.code.lower()}", Role.AGENCY_VERIFIER, bt, a.code) for a in OLD_SET.agencies}
    reviewer = person("bt-huyen", Role.DISTRICT_REVIEWER, Unit.objects.get(level=Level.DISTRICT, code=OLD_DISTRICT))
    officers = {code: person(f"bt-xa-{code}", Role.COMMUNE_OFFICER, commune(code, OLD_VALID_FROM)) for code in OLD}
    for year in (2023, 2024):
        old_results(year, bt_secretariat, officers, reviewer, bt_verifiers)

    secretariat = person("vl-thuky", Role.SECRETARIAT, vl)
    for a in SET.agencies:
        person(f"vl-{a.code.lower()}", Role.AGENCY_VERIFIER, vl, a.code)
    new = commune(NEW, REFORM_DAY)
    officer = person(f"vl-xa-{NEW}", Role.COMMUNE_OFFICER, new)
    round_ = do_open_round(actor=secretariat, criteria_set_code=SET.code, year=2026, province=vl,
                           submission_deadline=date(2026, 12, 31), review_deadline=date(2026, 12, 31),
                           verification_deadline=date(2026, 12, 31))
    a = Assessment.objects.get(round=round_, unit=new)
    do_save_values(actor=officer, assessment=a, expected_version=a.version,
                   values={code: {**v, "source": SOURCE} for code, v in VALUES.items()})
    return round_, a.pk, new


def test_a_2026_round_without_districts_and_the_lineage_to_the_old_communes(
    browser: Browser, live_server, vinh_long
) -> None:
    round_, aid, new = vinh_long
    assessment_url = f"{live_server.url}/assessments/{aid}/"
    where = f"{new.name} (2026)"

    # 1. The officer opens the file and submits it: it goes straight to the agencies.
    with signed_in(browser, live_server, f"vl-xa-{NEW}") as page:
        page.goto(assessment_url)
        expect_status(page, "draft", "Nháp")
        expect(page.locator(".a-head .meta")).not_to_contain_text("Huyện")
        submit_from_the_check_page(page, "Kiểm tra và nộp hồ sơ", "Nộp hồ sơ")
        page.get_by_role("link", name="Xem hồ sơ").click()
        expect_status(page, "district_reviewed", "Chờ sở xác minh")
        expect(page.locator("#district-review")).to_have_count(0)

    # 2. Each agency verifies the criteria it leads, from its queue.
    for agency in SET.agencies:
        led = [c.code for c in SET.criteria if agency.code in c.lead_agencies]
        with signed_in(browser, live_server, f"vl-{agency.code.lower()}") as page:
            page.on("dialog", lambda d: d.accept())  # "no evidence: verify anyway?"
            page.locator(".site-nav").get_by_role("link", name="Hàng chờ của sở").click()
            expect(page.locator("#queue-count")).to_have_text(str(len(led)))
            expect(page.locator("#district")).to_have_count(0)  # no district filter in Vĩnh Long
            for code in led:
                item = page.locator(f'[id="item-{aid}-{code}"]')
                item.get_by_role("button", name="Xác minh", exact=True).click()
                expect_message(page, f"Đã xác minh tiêu chí {code} của {where}.")
                expect(item).to_have_count(0)

    # 3. The secretariat finds it in the round (no district column), appraises, decides, publishes.
    with signed_in(browser, live_server, "vl-thuky") as page:
        page.goto(f"{live_server.url}/rounds/{round_.pk}/")
        expect(page.locator("h1")).to_contain_text("2026")
        table = page.locator("table.data").first
        expect(table.locator("thead")).not_to_contain_text("Huyện")
        expect(page.locator("select#district")).to_have_count(0)
        table.locator("tbody tr", has_text=NEW).get_by_role("link", name=new.name).click()
        expect(page).to_have_url(assessment_url)
        expect_status(page, "agency_verified", "Sở đã xác minh")
        actions = page.locator("section.actions")
        actions.get_by_role("button", name="Thẩm định hồ sơ").click()
        expect_message(page, f"Đã thẩm định hồ sơ {where}.")
        actions.locator("details.action-form > summary", has_text="Ghi quyết định công nhận").click()
        form = actions.locator("details.action-form[open] form")
        form.get_by_label("Số quyết định").fill(DECISION["number"])
        form.get_by_label("Ngày quyết định").fill(DECISION["date"])
        form.get_by_label("Người ký").fill(DECISION["signer"])
        expect(form.get_by_label("Kết quả")).to_have_value("1")  # suggested from the computed result
        form.get_by_role("button", name="Ghi quyết định công nhận").click()
        expect_status(page, "recognised", "Được công nhận")
        actions.get_by_role("button", name="Công bố kết quả").click()
        expect_message(page, f"Đã công bố kết quả của {where}.")
        expect_status(page, "published", "Đã công bố")
        page.goto(f"{live_server.url}/rounds/{round_.pk}/decisions/")
        page.get_by_role("link", name=DECISION["number"]).first.click()
        expect(page.locator("#annex tbody tr")).to_have_count(1)
        expect(page.locator("#annex thead")).not_to_contain_text("Huyện")
        expect(page.locator("#annex tbody")).not_to_contain_text(round_.province.name)

    # 4. The public: the round's results without a district, the scorecard, the lineage.
    context = browser.new_context(**DESKTOP)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    try:
        public_results_and_lineage(page, live_server, new)
    finally:
        context.close()


def public_results_and_lineage(page: Page, live_server, new: Unit) -> None:
    page.goto(f"{live_server.url}/results/86/2026/")
    expect(page.locator("h1")).to_contain_text("Vĩnh Long")
    expect(page.locator("#districts")).to_have_count(0)
    expect(page.locator('select[name="district"]')).to_have_count(0)
    expect(page.locator("main")).not_to_contain_text("Huyện")
    # The set recognises by points: the page says so, and counts no "0 fields".
    expect(page.locator("p.lead")).to_contain_text("Xã được công nhận khi có tổng điểm từ 50,00 trở lên.")
    expect(page.locator(".r-cards")).to_contain_text("xã đạt từ 50,00 điểm")
    expect(page.locator(".r-cards")).to_contain_text("điểm bình quân")
    expect(page.locator("main")).not_to_contain_text("(cần 0)")
    page.goto(f"{live_server.url}/results/86/2026/map/")
    expect(page.locator("#map-list-title")).to_have_text("Danh sách xã")
    expect(page.locator("p.lead")).to_contain_text("màu và con số cho biết tổng điểm (làm tròn)")
    expect(page.locator(".map-list li")).to_have_count(1)  # published only
    page.locator(".map-list").get_by_role("link", name=new.name).click()

    # The new commune's 2026 scorecard: no district; before the reform, its old communes.
    expect(page.locator("h1")).to_contain_text(f"{new.name} — năm 2026")
    expect(page.locator(".sc-head .meta")).not_to_contain_text("Huyện")
    before = page.locator("#lineage-before")
    expect(before.locator("h2")).to_have_text("Trước sắp xếp đơn vị hành chính")
    expect(before).to_contain_text("01/07/2025")
    expect(before.locator("li")).to_have_count(4)  # Phú Khương, Phường 8, Phú Hưng, Nhơn Thạnh
    old_pk = commune(OLD[0], OLD_VALID_FROM)
    row = before.locator(f'li[data-unit="{old_pk.pk}"]')
    expect(row).to_contain_text("Thành phố Bến Tre")
    expect(row).to_contain_text("Tỉnh Bến Tre")
    expect(row.get_by_role("link")).to_have_text(["2023", "2024"])
    empty = before.locator(f'li[data-unit="{commune("28786", OLD_VALID_FROM).pk}"]')  # Xã Phú Hưng: none published
    expect(empty).to_contain_text("không có kết quả bạn được xem")
    page.screenshot(path="/tmp/vinh-long-2026-lineage.png", full_page=True)

    # Follow it to the old commune's 2024 result: under its district, in Bến Tre's set.
    row.get_by_role("link", name="2024").click()
    expect(page).to_have_url(f"{live_server.url}/results/scorecard/{old_pk.pk}/2024/")
    expect(page.locator("h1")).to_contain_text(f"{old_pk.name} — năm 2024")
    expect(page.locator(".sc-head .meta")).to_contain_text("Thành phố Bến Tre")
    expect(page.locator(".sc-head .decision")).to_contain_text("2024/QĐ-UBND")
    expect(page.locator("#lineage-before")).to_have_count(0)
    after = page.locator("#lineage-after")
    expect(after.locator("h2")).to_have_text("Sau sắp xếp đơn vị hành chính")
    expect(after).to_contain_text(f"{new.name} ({NEW}, Tỉnh Vĩnh Long)")

    # And back to the successor's 2026 result.
    after.get_by_role("link", name="2026").click()
    expect(page).to_have_url(f"{live_server.url}/results/scorecard/{new.pk}/2026/")
    expect(page.locator("#lineage-before li")).to_have_count(4)
    assert Round.objects.count() == 3
