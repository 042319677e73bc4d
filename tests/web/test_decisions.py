"""The round overview's filters and batch actions, and the decision and appraisal pages,
through the web: role scoping, the confirmation step, the flash messages, stale refusal."""

from datetime import date

import pytest
from django.urls import reverse

from smartcommune.rounds.models import AppraisalSession, AuditEntry, Decision, Status
from tests.rounds.fixtures import fresh, step
from tests.rounds.test_decisions import three, verified

pytestmark = [pytest.mark.django_db]


def overview(round_, query=""):
    return reverse("rounds:round_overview", args=[round_.id]) + query


def confirm(round_):
    return reverse("rounds:round_batch_confirm", args=[round_.id])


def run(round_):
    return reverse("rounds:round_batch_run", args=[round_.id])


def items(*assessments):
    return [f"{a.pk}:{fresh(a).version}" for a in assessments]


def messages_of(response):
    return [str(m) for m in response.context["messages"]] if response.context else []


def text(response):
    return response.content.decode()


def test_overview_filters_and_counts_that_link_to_them(client, world, round_bt):
    a, b, c = three(world, round_bt)
    step(world.secretariat, a, "appraise")
    client.force_login(world.secretariat)
    page = client.get(overview(round_bt))
    assert page.status_code == 200
    body = text(page)
    # Fields met as x/10 (cần 7), from the set's numbers.
    assert "10/10 (cần 7)" in body and "8/7" not in body
    results = {key: n for key, _label, n in page.context["results"]}
    assert results == {"recognisable": 2, "short": 1, "incomplete": 0}
    assert 'href="?result=short"' in body and 'href="?status=appraised"' in body
    shown = lambda q: [r["assessment"].pk for r in client.get(overview(round_bt, q)).context["rows"]]  # noqa: E731
    assert shown("?result=short") == [b.pk]
    assert shown("?status=appraised") == [a.pk]
    assert shown(f"?district={world.d2.pk}") == [c.pk]
    assert f'href="?district={world.d2.pk}" data-district="{world.d2.pk}">Huyện Châu Thành <span class="n">1</span>' \
        in body
    by_district = dict((d.pk, n) for d, n in client.get(overview(round_bt, "?result=recognisable"))
                       .context["district_counts"])
    assert by_district == {world.d1.pk: 1, world.d2.pk: 1}
    assert sorted(shown(f"?district={world.d1.pk}&result=recognisable&status=agency_verified")) == []
    assert shown("?status=nonsense&result=x" + "y" * 100) == shown("")
    # The counts follow the other filters: the status counts of the short communes.
    short = client.get(overview(round_bt, "?result=short"))
    assert [n for _l, st, n in short.context["steps"][2]["counts"] if st == "agency_verified"] == [1]


@pytest.mark.parametrize("who", ["officer_a", "district1", "nobody", "secretariat_vl"])
def test_people_outside_the_round_get_404(client, world, round_bt, who):
    a = verified(world, round_bt, world.a)
    decision_a = step(world.secretariat, step(world.secretariat, a, "appraise"), "record_decision", recognised=True,
                      number="1/QĐ", date=date(2025, 2, 1), signer="An")
    session = AppraisalSession.objects.create(round=round_bt, date=date(2025, 1, 1))
    decision = Decision.objects.get()
    client.force_login(getattr(world, who))
    for url in (reverse("rounds:round_decisions", args=[round_bt.id]), reverse("rounds:decision", args=[decision.id]),
                reverse("rounds:appraisal", args=[session.id])):
        assert client.get(url).status_code == 404, url
    for url in (confirm(round_bt), run(round_bt)):
        assert client.post(url, {"action": "publish", "item": items(decision_a)}).status_code == 404
    assert fresh(decision_a).status == Status.RECOGNISED


def test_anonymous_goes_to_login(client, world, round_bt):
    for url in (confirm(round_bt), run(round_bt), reverse("rounds:round_decisions", args=[round_bt.id])):
        response = client.post(url) if "batch" in url else client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("who", ["verifier", "admin"])
def test_readers_of_the_round_see_decisions_but_may_not_act(client, world, round_bt, who):
    a = verified(world, round_bt, world.a)
    client.force_login(world.verifiers["SYT"] if who == "verifier" else world.admin)
    assert client.get(reverse("rounds:round_decisions", args=[round_bt.id])).status_code == 200
    page = text(client.get(overview(round_bt)))
    assert confirm(round_bt) not in page and 'name="item"' not in page
    for url in (confirm(round_bt), run(round_bt)):
        assert client.post(url, {"action": "appraise", "item": items(a), "date": "2025-01-20"}).status_code == 403
    assert fresh(a).status == Status.AGENCY_VERIFIED


def test_appraise_decide_publish_through_the_pages(client, world, round_bt):
    a, b, c = three(world, round_bt)
    client.force_login(world.secretariat)
    # Confirmation: what will happen to how many communes, nothing written yet.
    before = AuditEntry.objects.count()
    page = client.post(confirm(round_bt), {"action": "appraise", "all": "1"})
    assert page.status_code == 200 and AuditEntry.objects.count() == before
    body = text(page)
    assert "Thẩm định 3 xã" in body and body.count('name="item"') == 3
    # Run it.
    response = client.post(run(round_bt), {"action": "appraise", "item": items(a, b, c), "date": "20/01/2025",
                                           "members": "Nguyễn Văn An, Chủ tịch Hội đồng\nTrần Thị Bình, Ủy viên",
                                           "minutes": "Hội đồng họp, thống nhất.", "comment": "Đủ hồ sơ",
                                           "back": overview(round_bt)}, follow=True)
    session = AppraisalSession.objects.get()
    assert response.redirect_chain[-1][0] == reverse("rounds:appraisal", args=[session.id])
    assert messages_of(response) == ["Đã thẩm định 3 xã (phiên họp ngày 20/01/2025)."]
    assert session.member_list == ["Nguyễn Văn An, Chủ tịch Hội đồng", "Trần Thị Bình, Ủy viên"]
    assert "10/10 (cần 7)" in text(response) and "Không đề nghị công nhận" in text(response)
    # The decision: by default each commune as the engine says; b not recognised, with a reason.
    page = client.post(confirm(round_bt), {"action": "decide", "item": items(a, b, c)})
    assert 'name="recognised-%d"' % b.pk in text(page)
    form = {"action": "decide", "item": items(a, b, c), "number": "12/QĐ-UBND", "date": "2025-02-10",
            "signer": "Nguyễn Văn An", "signer_title": "KT. CHỦ TỊCH — PHÓ CHỦ TỊCH",
            "issuing_body": "Ủy ban nhân dân tỉnh Bến Tre", f"recognised-{a.pk}": "1", f"recognised-{b.pk}": "0",
            f"reason-{b.pk}": "Chưa đạt 7 lĩnh vực", f"recognised-{c.pk}": "1"}
    missing = client.post(run(round_bt), {**form, "number": ""})
    assert missing.status_code == 400 and "Cần số quyết định" in text(missing) and Decision.objects.count() == 0
    # What was typed is kept: a's result changed by hand stays changed, b's reason stays.
    flipped = client.post(run(round_bt), {**form, "number": "", f"recognised-{a.pk}": "0"})
    assert f'<select name="recognised-{a.pk}"' in text(flipped)
    row = text(flipped).split(f'data-assessment="{a.pk}"')[1].split("</tr>")[0]
    assert '<option value="0" selected>' in row and '<option value="1" selected>' not in row
    assert 'value="Chưa đạt 7 lĩnh vực"' in text(flipped)
    response = client.post(run(round_bt), form, follow=True)
    decision = Decision.objects.get()
    assert messages_of(response) == ["Đã ghi quyết định số 12/QĐ-UBND: 2 xã được công nhận, 1 xã không được công nhận."]
    assert [fresh(x).status for x in (a, b, c)] == [Status.RECOGNISED, Status.NOT_RECOGNISED, Status.RECOGNISED]
    assert decision.lines.get(assessment=b).reason == "Chưa đạt 7 lĩnh vực"
    assert "Chưa đạt 7 lĩnh vực" in text(response) and "Không công nhận" in text(response)
    # Publish every decided commune of the filter "status recognised": b is left as it is.
    page = client.post(confirm(round_bt), {"action": "publish", "all": "1", "status": "recognised"})
    assert "Công bố kết quả của 2 xã" in text(page)
    response = client.post(run(round_bt), {"action": "publish", "item": items(a, c),
                                           "back": overview(round_bt, "?status=recognised")}, follow=True)
    assert messages_of(response) == ["Đã công bố kết quả của 2 xã."]
    assert response.redirect_chain[-1][0] == overview(round_bt, "?status=recognised")
    assert [fresh(x).status for x in (a, b, c)] == [Status.PUBLISHED, Status.NOT_RECOGNISED, Status.PUBLISHED]


def test_the_confirmation_names_the_communes_left_out(client, world, round_bt):
    a, b, c = three(world, round_bt)
    step(world.secretariat, a, "appraise")
    client.force_login(world.secretariat)
    page = client.post(confirm(round_bt), {"action": "appraise", "item": items(a, b, c)})
    body = text(page)
    assert "Thẩm định 2 xã" in body and "1 xã đã chọn không ở bước này" in body and "Phường Phú Khương" in body
    nothing = client.post(confirm(round_bt), {"action": "publish", "item": items(b, c)}, follow=True)
    assert "không có gì để làm" in messages_of(nothing)[0]
    for bad in ({"action": "appraise"}, {"action": "fly", "item": items(a)}, {"action": "appraise", "item": ["x:1"]},
                {"action": "appraise", "item": ["99999999999999999999:1"]}):
        response = client.post(confirm(round_bt), bad, follow=True)
        assert response.status_code == 200 and messages_of(response), bad


def test_a_stale_commune_is_refused_with_its_name_and_nothing_is_done(client, world, round_bt):
    a, b, c = three(world, round_bt)
    shown = items(a, b)
    step(world.secretariat, b, "appraise")
    client.force_login(world.secretariat)
    before = AuditEntry.objects.count()
    response = client.post(run(round_bt), {"action": "appraise", "item": shown, "date": "2025-01-20"}, follow=True)
    [message] = messages_of(response)
    assert "Phường Phú Tân" in message and "thay đổi sau khi mở trang" in message
    assert AuditEntry.objects.count() == before and AppraisalSession.objects.count() == 0
    assert fresh(a).status == Status.AGENCY_VERIFIED


def test_one_communes_decision_messages_say_the_outcome(client, world, round_bt):
    a = step(world.secretariat, verified(world, round_bt, world.a), "appraise")
    client.force_login(world.secretariat)
    url = reverse("rounds:transition", args=[a.id, "record_decision"])
    response = client.post(url, {"number": "7/QĐ", "date": "2025-02-01", "signer": "An", "recognised": "0",
                                 "reason": "Thiếu minh chứng", "expected_version": a.version}, follow=True)
    assert messages_of(response) == ["Đã ghi quyết định số 7/QĐ: Phường Phú Khương (2024) không được công nhận."]
    a = fresh(a)
    assert a.status == Status.NOT_RECOGNISED and a.decision_lines.get().reason == "Thiếu minh chứng"
    url = reverse("rounds:transition", args=[a.id, "amend_decision"])
    response = client.post(url, {"number": "9/QĐ", "date": "2025-03-01", "signer": "An", "recognised": "1",
                                 "reason": "Xem xét lại", "expected_version": a.version}, follow=True)
    assert messages_of(response) == [
        "Đã ghi quyết định số 9/QĐ sửa đổi kết quả: Phường Phú Khương (2024) được công nhận xã thông minh."]
    assert fresh(a).status == Status.RECOGNISED
    page = text(client.get(reverse("rounds:assessment", args=[a.id])))
    assert reverse("rounds:transition", args=[a.id, "amend_decision"]) in page and "Lý do sửa đổi" in page
    first, second = a.decision_lines.order_by("pk")
    assert f'<a href="{reverse("rounds:decision", args=[first.decision_id])}">7/QĐ</a> (không công nhận) → ' \
           f'<a href="{reverse("rounds:decision", args=[second.decision_id])}">9/QĐ</a> (công nhận)' in page
    # The commune's officer sees the decision on the page, not the links to the round's decisions.
    client.force_login(world.officer_a)
    page = text(client.get(reverse("rounds:assessment", args=[a.id])))
    assert "9/QĐ" in page and reverse("rounds:decision", args=[second.decision_id]) not in page


def test_hostile_input_to_the_new_pages_is_never_a_server_error(world, round_bt):
    """The fuzz test's hostile values (tests/test_fuzz.py) in every field the batch and
    decision pages read, as the secretariat (who gets past the role checks)."""
    from django.test import Client

    from tests.test_fuzz import HOSTILE, HOSTILE_PATH

    a, b, c = three(world, round_bt)
    step(world.secretariat, c, "appraise")
    client = Client(raise_request_exception=False)
    client.force_login(world.secretariat)
    failures = []
    for value in HOSTILE:
        short = value[:1000]
        for action in ("appraise", "decide", "publish", short):
            for all_ in ("1", short):
                form = {"action": action, "all": all_, "item": [f"{a.pk}:{a.version}", f"{short}:{short}"],
                        "date": value, "members": value, "minutes": value, "comment": value, "number": value,
                        "signer": value, "signer_title": value, "issuing_body": value, "back": value,
                        f"recognised-{c.pk}": value, f"reason-{c.pk}": value, "district": short, "status": short,
                        "result": short}
                for url in (confirm(round_bt), run(round_bt)):
                    response = client.post(url, form)
                    if response.status_code >= 500:
                        failures.append((url, action, value[:20]))
            valid = {"action": action, "item": [f"{c.pk}:{fresh(c).version}"], "number": short, "date": "2025-02-01",
                     "signer": short, f"recognised-{c.pk}": "1", f"reason-{c.pk}": value}
            if client.post(run(round_bt), valid).status_code >= 500:
                failures.append(("run valid", action, value[:20]))
        query = {"district": short, "status": short, "result": short, "page": short}
        if client.get(overview(round_bt), query).status_code >= 500:
            failures.append(("overview", value[:20]))
    for bad in HOSTILE_PATH:
        for path in (f"/rounds/{bad}/batch/", f"/rounds/{bad}/batch/run/", f"/rounds/{bad}/decisions/",
                     f"/decisions/{bad}/", f"/appraisals/{bad}/"):
            response = client.post(path, {"action": "appraise"}) if "batch" in path else client.get(path)
            if response.status_code >= 500:
                failures.append((path[:60],))
    assert not failures
